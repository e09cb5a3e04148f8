"""Resolves a validated Scenario into the plain dict the C++ core reads.

This is the one place where scenario fields become per-year vectors; the
core never sees a pydantic object.
"""

from __future__ import annotations

from typing import Any

from .scenario.schema import CostLine, Scenario
from .scenario.series import SeriesValue, expand_series

__all__ = ["commitment_schedule", "kernel_model", "regime_path"]


def commitment_schedule(scenario: Scenario) -> list[float]:
    """Take-or-pay payments per year of the horizon, all contracts summed (US$ bn)."""
    t = scenario.time
    out = [0.0] * t.n_years
    for contract in scenario.compute.commitments:
        for year, amount in contract.payments().items():
            out[year - t.start_year] += amount
    return out


def regime_path(scenario: Scenario) -> list[int]:
    """Regime index per step: the initial regime, except in pinned years."""
    t = scenario.time
    names = list(scenario.market.regimes)
    path: list[int] = []
    for year in t.years:
        name = scenario.market.path.get(year, scenario.market.initial)
        path.extend([names.index(name)] * t.steps_per_year)
    return path


def kernel_model(scenario: Scenario) -> dict[str, Any]:
    """The dict that ``wager._core`` turns into a ``wager::Model``.

    ``scenario`` must hold numbers only (see ``uncertainty.central_scenario``).
    """
    t = scenario.time
    n = t.n_years

    def series(value: SeriesValue) -> list[float]:
        return expand_series(value, t.start_year, n)

    def cost(line: CostLine) -> dict[str, list[float]]:
        return {"fixed": series(line.fixed), "of_revenue": series(line.of_revenue)}

    fin = scenario.financing
    mg = scenario.distress.management
    regimes = list(scenario.market.regimes.items())
    return {
        "start_year": t.start_year,
        "n_years": n,
        "steps_per_year": t.steps_per_year,
        "segments": [
            {
                "name": name,
                "revenue": series(seg.revenue),
                "inference_cost_ratio": series(seg.inference_cost_ratio),
                "price_change": series(seg.price_change),
                "demand_beta": seg.demand_beta,
                "volatility": seg.volatility,
                "persistence": seg.persistence,
            }
            for name, seg in scenario.segments.items()
        ],
        "regimes": [{"name": name, **r.model_dump()} for name, r in regimes],
        "initial_regime": [name for name, _ in regimes].index(scenario.market.initial),
        "training": series(scenario.compute.training),
        "commitments": commitment_schedule(scenario),
        "capex": series(scenario.compute.capex),
        "initial_assets": scenario.compute.initial_assets,
        "capacity_per_dollar": scenario.compute.capacity_per_dollar,
        "depreciation_life": scenario.compute.depreciation_life,
        "impairment": series(scenario.compute.impairment),
        "staff": cost(scenario.costs.staff),
        "sales_marketing": cost(scenario.costs.sales_marketing),
        "general_admin": cost(scenario.costs.general_admin),
        "stock_based_pay": cost(scenario.costs.stock_based_pay),
        "initial_cash": fin.initial_cash,
        "cash_yield": fin.cash_yield,
        "tranches": [
            {
                "time": (tr.year - t.start_year) + (tr.month - 1) / 12.0,
                "amount": tr.amount,
                "post_money": tr.post_money or 0.0,
            }
            for tr in fin.tranches
        ],
        "valuation_scale": series(fin.valuation_scale),
        "equity": fin.equity.model_dump(),
        "initial_debt": fin.debt.initial,
        "debt_rate": series(fin.debt.rate),
        "credit_limit": fin.debt.credit_limit,
        "tax_rate": scenario.tax.rate,
        "backstop": scenario.distress.backstop,
        "management": mg.model_dump(),
    }
