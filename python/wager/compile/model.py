"""Resolves a validated Scenario into the plain dict the C++ core reads.

This is the one place where scenario fields become per-year vectors; the
core never sees a pydantic object.
"""

from __future__ import annotations

from wager.kernel.contract import ContractDict, CostDict, ModelDict
from wager.scenario.distribution import Distribution
from wager.scenario.schema import CostLine, Scenario
from wager.scenario.series import SeriesValue, expand_series

__all__ = ["commitment_schedule", "kernel_model", "number", "regime_path"]


def number(value: float | Distribution) -> float:
    """A field's value in a central scenario, where every distribution has
    been replaced by its central value (``uncertainty.central_scenario``)."""
    if isinstance(value, Distribution):
        raise TypeError("the core reads numbers: resolve distributions first (central_scenario)")
    return float(value)


def commitment_schedule(scenario: Scenario) -> list[float]:
    """Take-or-pay payments per year of the horizon, all contracts summed (US$ bn)."""
    t = scenario.time
    out = [0.0] * t.n_years
    for contract in scenario.compute.commitments:
        for year, amount in contract.payments().items():
            out[year - t.start_year] += amount
    return out


def contract_schedules(scenario: Scenario) -> list[ContractDict]:
    """Each contract's payments per year of the horizon (US$ bn), in the
    scenario's order, with its name and supplier: their sum is
    :func:`commitment_schedule`; a supplier's claim in a distress sums its
    contracts (``docs/model.md`` §27)."""
    t = scenario.time
    out: list[ContractDict] = []
    for contract in scenario.compute.commitments:
        row = [0.0] * t.n_years
        for year, amount in contract.payments().items():
            row[year - t.start_year] += amount
        out.append({"name": contract.name, "counterparty": contract.counterparty, "payments": row})
    return out


def supported_schedule(scenario: Scenario) -> list[float]:
    """The part of :func:`commitment_schedule` owed to the supporting
    suppliers (``distress.supplier_support``), per year; empty without them."""
    support = scenario.distress.supplier_support
    if not support.counterparties or not any(support.odds.values()):
        return []
    t = scenario.time
    out = [0.0] * t.n_years
    for contract in scenario.compute.commitments:
        if contract.counterparty in support.counterparties:
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


def kernel_model(scenario: Scenario) -> ModelDict:
    """The dict that ``wager._core`` turns into a ``wager::Model``.

    ``scenario`` must hold numbers only (see ``uncertainty.central_scenario``).
    """
    t = scenario.time
    n = t.n_years

    def series(value: SeriesValue) -> list[float]:
        return expand_series(value, t.start_year, n)

    def cost(line: CostLine) -> CostDict:
        return {"fixed": series(line.fixed), "of_revenue": series(line.of_revenue)}

    fin = scenario.financing
    mg = scenario.distress.management
    res = scenario.distress.resolution
    eq = fin.equity
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
                "demand_beta": number(seg.demand_beta),
                "volatility": number(seg.volatility),
                "persistence": number(seg.persistence),
            }
            for name, seg in scenario.segments.items()
        ],
        "regimes": [
            {
                "name": name,
                "demand_growth": number(r.demand_growth),
                "price_change": number(r.price_change),
                "valuation_multiple": number(r.valuation_multiple),
                "raise_success": number(r.raise_success),
                "spot_price": number(r.spot_price),
                "resale_share": number(r.resale_share),
                "credit_spread": number(r.credit_spread),
                "discount_rate": r.discount_rate,
                "support_odds": scenario.distress.supplier_support.odds.get(name, 0.0),
                "spot_lead_time": r.spot_lead_time,
                "dcf_weight": r.dcf_weight,
            }
            for name, r in regimes
        ],
        "initial_regime": [name for name, _ in regimes].index(scenario.market.initial),
        "training": series(scenario.compute.training),
        "commitments": commitment_schedule(scenario),
        "supported_commitments": supported_schedule(scenario),
        "support_defers": scenario.distress.supplier_support.behaviour == "defer",
        "contracts": contract_schedules(scenario),
        "capex": series(scenario.compute.capex),
        "initial_assets": number(scenario.compute.initial_assets),
        "capacity_per_dollar": number(scenario.compute.capacity_per_dollar),
        "depreciation_life": number(scenario.compute.depreciation_life),
        "impairment": series(scenario.compute.impairment),
        "staff": cost(scenario.costs.staff),
        "sales_marketing": cost(scenario.costs.sales_marketing),
        "general_admin": cost(scenario.costs.general_admin),
        "stock_based_pay": cost(scenario.costs.stock_based_pay),
        "initial_cash": number(fin.initial_cash),
        "cash_yield": number(fin.cash_yield),
        "tranches": [
            {
                "time": (tr.year - t.start_year) + (tr.month - 1) / 12.0,
                "amount": number(tr.amount),
                "post_money": number(tr.post_money or 0.0),
                "per_delivery": tr.per_delivery,
            }
            for tr in fin.tranches
        ],
        "valuation_scale": series(fin.valuation_scale),
        "equity": {
            "enabled": eq.enabled,
            "trigger_runway": number(eq.trigger_runway),
            "target_runway": number(eq.target_runway),
            "max_dilution": number(eq.max_dilution),
            "min_interval": number(eq.min_interval),
            "score": {
                "sensitivity": eq.score.sensitivity,
                "reference": eq.score.reference,
                "margin_weight": eq.score.margin_weight,
                "floor": eq.score.floor,
                "cap": eq.score.cap,
                "start": eq.score.start,
                "prior_revenue": eq.score.prior_revenue or 0.0,
            },
        },
        "initial_debt": number(fin.debt.initial),
        "debt_rate": series(fin.debt.rate),
        "debt_maturities": [
            {"time": (m.year - t.start_year) + (m.month - 1) / 12.0, "amount": m.amount}
            for m in fin.debt.maturities
        ],
        "credit_limit": number(fin.debt.credit_limit),
        "credit_revolving": fin.debt.revolving,
        "credit_secured": fin.debt.secured,
        "liquidity_covenant": fin.debt.min_liquidity is not None,
        "min_liquidity": fin.debt.min_liquidity or 0.0,
        "tax_rate": number(scenario.tax.rate),
        "backstop": scenario.distress.backstop,
        "management": {
            "enabled": mg.enabled,
            "trigger_runway": number(mg.trigger_runway),
            "cut_training": number(mg.cut_training),
            "cut_opex": number(mg.cut_opex),
            "renegotiate": number(mg.renegotiate),
            "penalty": number(mg.penalty),
            "penalty_upfront": mg.penalty_timing == "upfront",
        },
        "resolution": {
            "enabled": res.enabled,
            "duration": res.duration,
            "cost": res.cost,
            "terminal_growth": res.terminal_growth,
            "asset_sale_fraction": res.asset_sale_fraction,
            "cap_rejection": res.cap_rejection,
        },
    }
