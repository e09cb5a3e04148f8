"""A scenario with reported actuals turned into the scenario its run starts
from: the year after the last reported one, at the reported state, with the
plan ahead re-based on what was reported (``docs/model.md`` §29).

The core needs nothing new: the run is an ordinary scenario whose start year
is later and whose start state (cash, debt, owned capacity, the funding
score) is the reported one, so nothing is drawn for a reported year.
"""

from __future__ import annotations

import math
import re
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from wager.compile.model import kernel_model, regime_path
from wager.compile.uncertainty import central_scenario
from wager.kernel import core
from wager.scenario.actuals_schema import Actuals
from wager.scenario.distribution import Distribution, distribution_leaves, path_name
from wager.scenario.document import ScenarioDocument, validated
from wager.scenario.errors import ScenarioError
from wager.scenario.schema import Scenario
from wager.scenario.series import expand_series

__all__ = [
    "PlanPath",
    "one_calendar",
    "plan_path",
    "reported_revenue",
    "start_from_actuals",
    "without_actuals",
]

#: Series fields below a segment, and the scenario's other series, as
#: (path, key): ``Scenario._series`` lists the same ones.
_SEGMENT_SERIES = ("revenue", "inference_cost_ratio", "price_change")
_OTHER_SERIES = (
    ("costs", "staff", "fixed"),
    ("costs", "staff", "of_revenue"),
    ("costs", "sales_marketing", "fixed"),
    ("costs", "sales_marketing", "of_revenue"),
    ("costs", "general_admin", "fixed"),
    ("costs", "general_admin", "of_revenue"),
    ("costs", "stock_based_pay", "fixed"),
    ("costs", "stock_based_pay", "of_revenue"),
    ("compute", "training"),
    ("compute", "capex"),
    ("compute", "impairment"),
    ("financing", "debt", "rate"),
    ("financing", "valuation_scale"),
)


@dataclass(frozen=True)
class PlanPath:
    """The plan's deterministic projection (the scenario without its actuals):
    each annual column by name, and each segment's revenue, one value a year."""

    years: list[int]
    columns: dict[str, np.ndarray]
    segment_revenue: dict[str, np.ndarray]

    def at(self, column: str, year: int) -> float:
        """A column's value in a calendar year."""
        return float(self.columns[column][self.years.index(year)])


def without_actuals(scenario: Scenario) -> Scenario:
    """The plan: the same scenario with no reported years."""
    return scenario.model_copy(update={"actuals": None})


def plan_path(scenario: Scenario) -> PlanPath:
    """The deterministic projection of the plan (uncertain inputs at their
    central values, the market in its initial regime but where pinned)."""
    plan = without_actuals(scenario)
    raw = core.project(kernel_model(central_scenario(plan)), regime_path(plan), False, [])
    columns = {c: np.asarray(raw["values"][i], dtype=float) for i, c in enumerate(raw["columns"])}
    segments = {
        name: np.asarray(raw["segment_revenue"][i], dtype=float)
        for i, name in enumerate(scenario.segments)
    }
    return PlanPath(plan.time.years, columns, segments)


def reported_revenue(scenario: Scenario, year: int, plan: PlanPath) -> dict[str, float]:
    """Each segment's reported revenue in a reported year: as reported, or
    its plan share of a reported total; a segment without either is absent."""
    assert scenario.actuals is not None
    row = scenario.actuals.years[year]
    if row.total_revenue is not None:
        planned = {
            s: float(plan.segment_revenue[s][plan.years.index(year)]) for s in plan.segment_revenue
        }
        total = sum(planned.values())
        if total <= 0:
            n = len(planned)
            return {s: row.total_revenue / n for s in planned}
        return {s: row.total_revenue * v / total for s, v in planned.items()}
    return {s: float(v) for s, v in row.revenue.items()}


def _total_revenue(scenario: Scenario, year: int, plan: PlanPath) -> float:
    """The year's revenue: reported segments as reported, the others as planned."""
    reported = reported_revenue(scenario, year, plan) if year in _years(scenario) else {}
    i = plan.years.index(year)
    return sum(reported.get(s, float(v[i])) for s, v in plan.segment_revenue.items())


def _years(scenario: Scenario) -> dict[int, Any]:
    return dict(scenario.actuals.years) if scenario.actuals is not None else {}


def _scaled(value: Any, factor: float) -> Any:
    """A number or a distribution (as dumped) times a positive factor: every
    family is closed under positive scaling."""
    if factor == 1.0:
        return value
    if isinstance(value, dict) and "dist" in value:
        k, a, b, c = Distribution.model_validate(value).canonical()
        if k == "normal":
            return {"dist": k, "mean": a * factor, "sd": b * factor}
        if k == "lognormal":
            return {"dist": k, "mu": a + math.log(factor), "sigma": b}
        if k == "uniform":
            return {"dist": k, "min": a * factor, "max": b * factor}
        if k == "student_t":
            return {"dist": k, "loc": a * factor, "scale": b * factor, "df": c}
        return {"dist": k, "min": a * factor, "max": b * factor, "mode": c * factor}
    return float(value) * factor


def _central(value: Any) -> float:
    if isinstance(value, dict) and "dist" in value:
        return Distribution.model_validate(value).central()
    return float(value)


def _series_ahead(value: Any, start: int, first: int, factor: float = 1.0) -> Any:
    """A dumped series over the years from ``first`` on (``first`` > ``start``),
    each value times ``factor``. A table keeps its later years, with
    ``first`` interpolated between the years around it (at central values
    when one of them is uncertain)."""
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value[first - start :]]
    if not (isinstance(value, dict) and "dist" not in value):
        return _scaled(value, factor)
    years = sorted(int(y) for y in value)
    ahead = {y: value[y] for y in years if y >= first}
    before = [y for y in years if y < first]
    if before and first not in ahead:
        if not ahead:
            ahead = {first: value[before[-1]]}
        else:
            xs = [before[-1], min(ahead)]
            ys = [_central(value[x]) for x in xs]
            ahead[first] = float(np.interp(first, xs, ys))
    return {y: _scaled(v, factor) for y, v in sorted(ahead.items())}


def _book_value(scenario: Scenario, through: int) -> float:
    """Owned capacity's book value at the end of ``through`` on the plan
    (``docs/model.md`` §6, stepped exactly; central values)."""
    sc = central_scenario(without_actuals(scenario))
    t = sc.time
    n = through - t.start_year + 1
    capex = expand_series(sc.compute.capex, t.start_year, n)
    impairment = expand_series(sc.compute.impairment, t.start_year, n)
    life = float(sc.compute.depreciation_life)  # type: ignore[arg-type]
    dt = 1.0 / t.steps_per_year
    q = 1.0 - math.exp(-dt / life)
    book = float(sc.compute.initial_assets)  # type: ignore[arg-type]
    for y in range(n):
        for _ in range(t.steps_per_year):
            book = book * (1.0 - impairment[y]) ** dt * (1.0 - q) + capex[y] * life * q
    return book


def _start_cash(scenario: Scenario, plan: PlanPath) -> float:
    """Cash at the end of the last reported year: as reported, or the plan's
    then moved by every reported gap since the last reported cash (or the
    start): free cash flow and funding raised (``docs/model.md`` §29)."""
    years = _years(scenario)
    last = max(years)
    if years[last].cash is not None:
        return float(years[last].cash)
    anchored = [y for y in years if years[y].cash is not None]
    anchor = max(anchored) if anchored else None
    cash = plan.at("cash", last)
    if anchor is not None:
        cash += float(years[anchor].cash) - plan.at("cash", anchor)
    for y in years:
        if anchor is not None and y <= anchor:
            continue
        row = years[y]
        if row.free_cash_flow is not None:
            cash += row.free_cash_flow - plan.at("free_cash_flow", y)
        if row.funding_raised is not None:
            planned = plan.at("equity_raised", y) + plan.at("tranches_received", y)
            cash += row.funding_raised - planned
    return max(cash, 0.0)


def _start_score(scenario: Scenario, plan: PlanPath) -> tuple[float, float]:
    """The funding score's ``start`` and ``prior_revenue`` at the new start:
    the last reported year's growth and free-cash-flow margin."""
    years = _years(scenario)
    last = max(years)
    score = scenario.financing.equity.score
    revenue = _total_revenue(scenario, last, plan)
    if last > scenario.time.start_year:
        before: float | None = _total_revenue(scenario, last - 1, plan)
    else:
        before = score.prior_revenue
    fcf = years[last].free_cash_flow
    fcf = plan.at("free_cash_flow", last) if fcf is None else fcf
    if before is None or before <= 0 or revenue <= 0:
        return score.start, revenue
    value = revenue / before - 1.0 + score.margin_weight * fcf / revenue
    return float(min(max(value, score.floor), score.cap)), revenue


def _renamed_input(name: str, shift: dict[str, int], kept: dict[str, dict[int, int]]) -> str | None:
    """An uncertain input's name in the re-based scenario; None if it is gone."""
    m = re.fullmatch(r"(.*)\[(\d+)\](.*)", name)
    if m is None:
        return name
    prefix, index, rest = m.group(1), int(m.group(2)), m.group(3)
    if prefix in kept:
        new = kept[prefix].get(index)
        return None if new is None else f"{prefix}[{new}]{rest}"
    if prefix in shift and not rest:
        new_index = index - shift[prefix]
        return None if new_index < 0 else f"{prefix}[{new_index}]"
    return name


def start_from_actuals(scenario: Scenario) -> Scenario:
    """The scenario a run of ``scenario`` starts from.

    Without actuals, ``scenario`` itself. With them, the same plan from the
    year after the last reported one: its start state the reported one
    (cash, debt, owned capacity's book value, the funding score), the plan
    ahead re-based on the gaps ``actuals.carry_forward`` names, and what
    fell in the reported years (payments, tranches, maturities, pinned
    regimes) left out (``docs/model.md`` §29).

    Raises
    ------
    ScenarioError
        Naming the field and ``(from actuals)`` if the re-based scenario is
        not valid (e.g. the reported debt is below the maturities ahead).
    """
    actuals: Actuals | None = scenario.actuals
    if actuals is None:
        return scenario
    plan = plan_path(scenario)
    t = scenario.time
    last = actuals.last_year
    first = last + 1
    k = first - t.start_year
    data = scenario.model_dump(exclude_none=True)
    data.pop("actuals")
    data["time"] = {**data["time"], "start_year": first}

    revenue_factor: dict[str, float] = {}
    if "revenue" in actuals.carry_forward:
        for s, value in reported_revenue(scenario, last, plan).items():
            series = central_scenario(scenario).segments[s].revenue
            planned = expand_series(series, t.start_year, t.n_years)[last - t.start_year]
            if planned > 0:
                revenue_factor[s] = value / planned
    cost_factor = 1.0
    margin = actuals.years[last].gross_margin
    if "gross_margin" in actuals.carry_forward and margin is not None:
        planned_margin = plan.at("gross_profit", last) / plan.at("revenue", last)
        if planned_margin < 1.0:
            cost_factor = (1.0 - margin) / (1.0 - planned_margin)
    shift: dict[str, int] = {}
    for name, seg in data["segments"].items():
        factors = {"revenue": revenue_factor.get(name, 1.0), "inference_cost_ratio": cost_factor}
        for field in _SEGMENT_SERIES:
            if field in seg:
                if isinstance(seg[field], list):
                    shift[f"segments.{name}.{field}"] = k
                seg[field] = _series_ahead(seg[field], t.start_year, first, factors.get(field, 1.0))
    for path in _OTHER_SERIES:
        node = data
        for key in path[:-1]:
            node = node.get(key, {})
        if path[-1] in node:
            if isinstance(node[path[-1]], list):
                shift[".".join(path)] = k
            node[path[-1]] = _series_ahead(node[path[-1]], t.start_year, first)

    kept: dict[str, dict[int, int]] = {"compute.commitments": {}, "financing.tranches": {}}
    contracts: list[dict[str, Any]] = []
    for i, c in enumerate(data["compute"].get("commitments", [])):
        model = scenario.compute.commitments[i]
        ahead = [y for y in model.payment_years() if y >= first]
        if not ahead:
            continue
        if "schedule" in c:
            c = {**c, "schedule": {y: v for y, v in c["schedule"].items() if int(y) >= first}}
        elif model.start is not None and model.start < first:
            share = _scaled(c["total"], 1.0 / len(model.payment_years()))
            c = {key: v for key, v in c.items() if key not in ("total", "start", "end")}
            c["schedule"] = {y: share for y in ahead}
        kept["compute.commitments"][i] = len(contracts)
        contracts.append(c)
    data["compute"]["commitments"] = contracts
    data["compute"]["initial_assets"] = _book_value(scenario, last)
    names = {c["counterparty"] for c in contracts}
    support = data["distress"]["supplier_support"]
    support["counterparties"] = [n for n in support.get("counterparties", []) if n in names]

    fin = data["financing"]
    tranches: list[dict[str, Any]] = []
    for i, tr in enumerate(fin.get("tranches", [])):
        if tr["year"] >= first:
            kept["financing.tranches"][i] = len(tranches)
            tranches.append(tr)
    fin["tranches"] = tranches
    fin["initial_cash"] = _start_cash(scenario, plan)
    reported_debt = actuals.years[last].debt
    fin["debt"]["initial"] = plan.at("debt", last) if reported_debt is None else reported_debt
    fin["debt"]["maturities"] = [m for m in fin["debt"].get("maturities", []) if m["year"] >= first]
    start, prior = _start_score(scenario, plan)
    fin["equity"]["score"] = {**fin["equity"]["score"], "start": start}
    if prior > 0:
        fin["equity"]["score"]["prior_revenue"] = prior
    data["market"]["path"] = {
        y: r for y, r in data["market"].get("path", {}).items() if int(y) >= first
    }

    unc = data.get("uncertainty", {})
    if unc.get("inputs"):
        renamed = [_renamed_input(n, shift, kept) for n in unc["inputs"]]
        data["uncertainty"] = {**unc, "inputs": [], "correlation": []}
        probe = _validated(data, scenario)
        known = {path_name(p) for p, _ in distribution_leaves(probe)}
        rows = [i for i, n in enumerate(renamed) if n is not None and n in known]
        data["uncertainty"] = {
            **unc,
            "inputs": [renamed[i] for i in rows],
            "correlation": [[unc["correlation"][i][j] for j in rows] for i in rows],
        }
    return _validated(data, scenario)


def _validated(data: dict[str, Any], scenario: Scenario) -> Scenario:
    # The file's warnings (plausibility, package defaults) were given when it
    # was read: the re-based values would repeat them.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = validated(Scenario, ScenarioDocument(data, scenario.origin))
    out._origin = scenario.origin
    return out


def one_calendar(given: list[Scenario]) -> list[Scenario]:
    """Each of ``given`` from its last reported year's end
    (:func:`start_from_actuals`), for strategies run together on one world.

    Raises
    ------
    ScenarioError
        Naming the first strategy whose reported actuals move its start away
        from another's, and both start years.
    """
    started = [start_from_actuals(sc) for sc in given]
    years = {sc.time.start_year for sc in started}
    if len(years) == 1:
        return started
    for i, sc in enumerate(given):
        if sc.actuals is None:
            continue
        other = next(s for s in started if s.time.start_year != started[i].time.start_year)
        raise ScenarioError(
            sc.origin.source,
            [
                (
                    "actuals",
                    f"{sc.name} runs from {started[i].time.start_year} (after its reported "
                    f"years) but {other.name} from {other.time.start_year}: strategies run "
                    "on the same paths share one calendar; report the same years for each",
                )
            ],
        )
    return started  # calendars that differ without actuals: refused by the core, as before
