"""Turns stresses into the core's shocks for one scenario.

A shock names a scenario field path; here it becomes one core shock per
field it reaches (``*`` and ``largest`` reach several or one), with its
timing in years from the start of the horizon and its severity. Every
problem is a :class:`wager.stresses.StressError` naming the stress, the
shock and the reason.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from wager import stresses as library
from wager.kernel.contract import ShockDict
from wager.scenario.distribution import Distribution
from wager.scenario.errors import printable
from wager.scenario.schema import Scenario
from wager.scenario.stress_limits import (
    MAX_EXPANDED_SHOCKS,
    MAX_INCLUDE_DEPTH,
    MAX_INCLUDED_STRESSES,
    depth_limit_reason,
    shocks_limit_reason,
    stresses_limit_reason,
)
from wager.scenario.stress_schema import Shock, Stress
from wager.stresses import StressError

__all__ = ["StressArg", "core_shocks", "distress_sources", "lookup", "stress_label", "stress_list"]

#: What the public functions take as ``stress``: a name (the scenario's own
#: stresses, then the library's), a :class:`Stress`, several of them applied
#: together in order, or None.
StressArg = str | Stress | Sequence[str | Stress] | None

Kind = Literal["step", "date", "constant", "switch", "regime"]

_SEGMENT_FIELDS: dict[str, Kind] = {
    "revenue": "step",
    "inference_cost_ratio": "step",
    "price_change": "step",
    "demand_beta": "constant",
    "volatility": "constant",
    "persistence": "constant",
}
_REGIME_FIELDS = (
    "demand_growth",
    "price_change",
    "valuation_multiple",
    "raise_success",
    "spot_price",
    "resale_share",
    "credit_spread",
)
#: Scenario path -> (core field, kind) for fields outside tables.
_PLAIN: dict[str, tuple[str, Kind]] = {
    "compute.training": ("training", "step"),
    "compute.capex": ("capex", "step"),
    "compute.depreciation_life": ("depreciation_life", "step"),
    "compute.impairment": ("impairment", "step"),
    "compute.initial_assets": ("initial_assets", "date"),
    "compute.capacity_per_dollar": ("capacity_per_dollar", "constant"),
    "financing.initial_cash": ("initial_cash", "date"),
    "financing.cash_yield": ("cash_yield", "constant"),
    "financing.valuation_scale": ("valuation_scale", "step"),
    "financing.debt.initial": ("initial_debt", "date"),
    "financing.debt.rate": ("debt_rate", "step"),
    "financing.debt.credit_limit": ("credit_limit", "constant"),
    "financing.equity.trigger_runway": ("equity.trigger_runway", "constant"),
    "financing.equity.target_runway": ("equity.target_runway", "constant"),
    "financing.equity.max_dilution": ("equity.max_dilution", "constant"),
    "financing.equity.min_interval": ("equity.min_interval", "constant"),
    "tax.rate": ("tax_rate", "constant"),
    "distress.backstop": ("backstop", "switch"),
    **{
        f"distress.management.{f}": (f"management.{f}", "constant")
        for f in ("trigger_runway", "cut_training", "cut_opex", "renegotiate", "penalty")
    },
    **{
        f"costs.{line}.{part}": (f"{line}.{part}", "step")
        for line in ("staff", "sales_marketing", "general_admin", "stock_based_pay")
        for part in ("fixed", "of_revenue")
    },
}
_ROOTS = (
    "segments.<name|*>.<field>, market.regimes.<name|*>.<field>, "
    "compute.commitments.<name|*|largest>, "
    "financing.tranches.<index|*|largest>.<amount|post_money>, "
    "or one of: " + ", ".join(sorted(_PLAIN))
)


@dataclass(frozen=True)
class _Target:
    field: str
    kind: Kind
    #: For a contract: its payments per year (a shock on one contract is an
    #: addition to the summed commitments).
    contract: tuple[float, ...] | None = None
    #: For a contract: its index in the scenario's ``compute.commitments``
    #: (its supplier's claim in a distress follows the shock); -1 otherwise.
    contract_index: int = -1


class _Refused(Exception):
    """A reason, raised while resolving one shock; becomes a StressError."""


def lookup(name: str, scenario: Scenario | None = None) -> Stress:
    """A stress by name: the scenario's own first, then the library's."""
    if scenario is not None and name in scenario.stresses:
        found = scenario.stresses[name]
        return found if found.name else found.model_copy(update={"name": name})
    if name in library.names():
        return library.load(name)
    own = sorted(scenario.stresses) if scenario is not None else []
    known = ", ".join([*own, *library.names()])
    raise StressError(f"stress {name!r}", [("", f"unknown stress; known: {known}")])


def _not_posing_as_library(item: Stress) -> Stress:
    """``item``, unless it takes a library stress's name for another stress.

    Results and the report show a stress by its name, with the library's
    narrative for a library name: a stress built in Python under that name
    must be the library's (at any severity, as ``with_severity`` gives).
    """
    if item.name in library.names():
        own = library.load(item.name)
        if item.model_copy(update={"severity": own.severity}) != own:
            raise StressError(
                f"stress {item.name!r}",
                [
                    (
                        "name",
                        "is the name of a library stress, but this stress differs from it: "
                        "results would show it under the library's name and narrative; "
                        "give it a name of its own",
                    )
                ],
            )
    return item


def stress_list(stress: StressArg, scenario: Scenario | None = None) -> list[Stress]:
    """The stresses ``stress`` names, in the order they apply."""
    if stress is None:
        return []
    items = [stress] if isinstance(stress, str | Stress) else list(stress)
    out: list[Stress] = []
    for item in items:
        if isinstance(item, Stress):
            out.append(_not_posing_as_library(item))
        elif isinstance(item, str):
            out.append(lookup(item, scenario))
        else:
            raise TypeError(f"a stress is a name or a wager.Stress, got {type(item).__name__}")
    return out


def _central(value: float | Distribution) -> float:
    return value.central() if isinstance(value, Distribution) else float(value)


def stress_label(item: StressArg) -> str:
    """The name a grid gives a stress argument: its name, or names joined by '+'."""
    if item is None:
        return "none"
    if isinstance(item, str):
        return item
    if isinstance(item, Stress):
        return item.name or "<stress>"
    return "+".join(stress_label(x) for x in item)


def _keys(table: dict[str, Any], key: str, what: str) -> list[str]:
    if key == "*":
        return list(table)
    if key not in table:
        raise _Refused(f"no {what} {key!r}; known: {', '.join(table) or 'none'}")
    return [key]


def _targets(target: str, sc: Scenario) -> list[_Target]:
    parts = target.split(".")
    if parts[0] == "segments" and len(parts) == 3:
        kind = _SEGMENT_FIELDS.get(parts[2])
        if kind is None:
            raise _Refused(
                f"a segment has no shockable field {parts[2]!r}; "
                f"known: {', '.join(_SEGMENT_FIELDS)}"
            )
        names = list(sc.segments)
        return [
            _Target(f"segments[{names.index(k)}].{parts[2]}", kind)
            for k in _keys(sc.segments, parts[1], "segment")
        ]
    if parts[:2] == ["market", "regimes"] and len(parts) == 4:
        if parts[3] not in _REGIME_FIELDS:
            raise _Refused(
                f"a regime has no field {parts[3]!r}; known: {', '.join(_REGIME_FIELDS)}"
            )
        names = list(sc.market.regimes)
        return [
            _Target(f"regimes[{names.index(k)}].{parts[3]}", "step")
            for k in _keys(sc.market.regimes, parts[2], "regime")
        ]
    if parts[:2] == ["compute", "commitments"] and len(parts) == 3:
        contracts = {c.name: c for c in sc.compute.commitments}
        if parts[2] == "largest":
            if not contracts:
                return []
            chosen = [max(contracts.values(), key=lambda c: sum(c.payments().values())).name]
        else:
            chosen = _keys(contracts, parts[2], "contract")
        years = sc.time.years
        order = list(contracts)
        return [
            _Target(
                "commitments",
                "step",
                tuple(contracts[n].payments().get(y, 0.0) for y in years),
                order.index(n),
            )
            for n in chosen
        ]
    if parts[:2] == ["financing", "tranches"] and len(parts) == 4:
        tranches = sc.financing.tranches
        if parts[3] not in ("amount", "post_money"):
            raise _Refused(
                f"a tranche's shockable fields are amount and post_money, not {parts[3]!r}"
            )
        if parts[2] == "*":
            index = list(range(len(tranches)))
        elif parts[2] == "largest":
            amounts = [_central(t.amount) for t in tranches]
            index = [amounts.index(max(amounts))] if amounts else []
        elif parts[2].isdigit() and int(parts[2]) < len(tranches):
            index = [int(parts[2])]
        else:
            raise _Refused(
                f"no tranche {parts[2]!r}: give an index below {len(tranches)}, '*' or 'largest'"
            )
        return [_Target(f"tranches[{i}].{parts[3]}", "date") for i in index]
    if target in _PLAIN:
        field, kind = _PLAIN[target]
        return [_Target(field, kind)]
    if target == "market.regime":
        return [_Target("regime", "regime")]  # docs/model.md §25, a regime moved
    if parts[0] == "market":
        raise _Refused(
            "the shared world's processes (market.transition, market.demand_factor, "
            "market.path) cannot be shocked; shock the regimes' effects "
            "(market.regimes.<name>.<field>) or move a bet's regime (market.regime) instead"
        )
    raise _Refused(f"unknown target {target!r}; shockable: {_ROOTS}")


def _core_shock(
    shock: Shock, target: _Target, severity: float, label: str, sc: Scenario
) -> ShockDict:
    t = sc.time
    whole = shock.trigger is None and (shock.start is None or shock.start == t.start_year)
    whole = whole and shock.duration is None and shock.shape == "step"
    if target.kind == "switch":
        if not isinstance(shock.value, bool) or shock.op != "set":
            raise _Refused("a switch takes op 'set' with value true or false")
    elif target.kind == "regime":
        regimes = list(sc.market.regimes)
        if shock.value not in regimes:
            raise _Refused(f"{shock.value!r} is not a regime; known: {', '.join(regimes)}")
    elif isinstance(shock.value, bool):
        raise _Refused("true/false is only for a switch (distress.backstop)")
    if target.kind in ("constant", "switch") and not whole:
        raise _Refused(
            f"{shock.target} is constant over the horizon in the model: a shock on it must start "
            f"in {t.start_year} (or give no start), with shape 'step' and no duration or trigger"
        )
    if target.kind == "date" and shock.trigger is not None:
        raise _Refused(
            f"{shock.target} acts at one date: a trigger needs a field that varies in time"
        )
    if shock.start is not None and not t.start_year <= shock.start <= t.horizon:
        raise _Refused(f"start {shock.start} is outside the horizon {t.start_year}-{t.horizon}")
    trigger_regime, trigger_after = -1, 0.0
    if shock.trigger is not None:
        regimes = list(sc.market.regimes)
        if shock.trigger.regime is not None and shock.trigger.regime not in regimes:
            raise _Refused(
                f"trigger regime {shock.trigger.regime!r} is not a regime; "
                f"known: {', '.join(regimes)}"
            )
        after = shock.trigger.after if shock.trigger.after is not None else t.start_year
        if not t.start_year <= after <= t.horizon:
            raise _Refused(
                f"trigger after {after} is outside the horizon {t.start_year}-{t.horizon}"
            )
        trigger_after = float(after - t.start_year)
        if shock.trigger.regime is not None:
            trigger_regime = regimes.index(shock.trigger.regime)
    value_of = shock.value
    if isinstance(value_of, str):  # a regime's name: its index
        value_of = list(sc.market.regimes).index(value_of)
    op, value, by_year = shock.op, float(value_of), []
    failure = op == "fail"
    if target.contract is not None:
        # One contract of the summed commitments: its change is an addition.
        p = target.contract
        if op == "fail":  # the share lost, unless the estate keeps it (docs/model.md §5)
            by_year = [-value * x for x in p]
        elif op == "scale":
            by_year = [(value - 1.0) * x for x in p]
        elif op == "set":
            by_year = [value - x for x in p]
        else:
            by_year = [value] * len(p)
        op, value = "add", 0.0
    duration = shock.duration if shock.duration is not None else math.inf
    out: ShockDict = {
        "field": target.field,
        "label": label,
        "op": op,
        "value": value,
        "value_by_year": by_year,
        "severity": severity,
        "start": float((shock.start if shock.start is not None else t.start_year) - t.start_year),
        "trigger_regime": trigger_regime,
        "trigger_strategy": -1,
        "trigger_after": trigger_after,
        "duration": duration,
        "shape": shock.shape,
        "ramp": float(shock.ramp if shock.ramp is not None else shock.duration or 1.0),
        "half_life": float(shock.half_life if shock.half_life is not None else 1.0),
        "failure": failure,
        "contract": target.contract_index,
    }
    if shock.trigger is not None and shock.trigger.distress is not None:
        out["trigger_bet"] = shock.trigger.distress  # compile.contagion links it
    return out


@dataclass
class _Budget:
    """What a run's stresses have expanded to so far (the limits of
    :mod:`wager.scenario.stress_limits` bound it while it is built)."""

    shocks: int = 0
    stresses: int = 0
    #: The run's stresses started so far (the first is 1).
    started: int = 0


def _top(chain: tuple[str, ...], name: str, budget: _Budget) -> str:
    """The stress of the run being expanded (the limits count a run's stresses together)."""
    top = f"stress {(chain[0] if chain else name)!r}"
    return top if budget.started <= 1 else f"{top}, with the run's stresses before it,"


def _expand(
    stress: Stress, sc: Scenario, severity: float, chain: tuple[str, ...], budget: _Budget
) -> list[ShockDict]:
    name = stress.name or "<stress>"
    source = f"stress {name!r}"
    if name in chain:
        raise StressError(source, [("includes", f"includes itself: {' -> '.join([*chain, name])}")])
    eff = severity * stress.severity
    out: list[ShockDict] = []
    for i, inc in enumerate(stress.includes):
        if len(chain) >= MAX_INCLUDE_DEPTH:
            raise StressError(source, [("includes", depth_limit_reason([*chain, name, inc]))])
        budget.stresses += 1
        if budget.stresses > MAX_INCLUDED_STRESSES:
            raise StressError(
                source, [("includes", stresses_limit_reason(_top(chain, name, budget)))]
            )
        try:
            included = lookup(inc, sc)
        except StressError as err:
            raise StressError(source, [(f"includes[{i}]", err.problems[0][1])]) from None
        out += _expand(included, sc, eff, (*chain, name), budget)
    for i, shock in enumerate(stress.shocks):
        label = f"{name}.shocks[{i}]"
        where = f"shocks[{i}] ({printable(shock.target)})"
        try:
            targets = _targets(shock.target, sc)
            budget.shocks += len(targets)
            if budget.shocks > MAX_EXPANDED_SHOCKS:
                raise _Refused(shocks_limit_reason(_top(chain, name, budget)))
            out += [_core_shock(shock, t, eff, label, sc) for t in targets]
        except _Refused as why:
            raise StressError(source, [(where, str(why))]) from None
    return out


def core_shocks(stress: StressArg, scenario: Scenario, severity: float = 1.0) -> list[ShockDict]:
    """The core's shocks for ``stress`` applied to ``scenario`` at ``severity``.

    Several stresses apply in the order given; a stress's ``includes`` apply
    before its own shocks, at its severity times theirs.

    The expansion is bounded while it is built: at most
    ``MAX_EXPANDED_SHOCKS`` core shocks and ``MAX_INCLUDED_STRESSES``
    inclusions for the run's stresses together, and ``MAX_INCLUDE_DEPTH``
    levels of includes (:mod:`wager.scenario.stress_limits`).

    Raises
    ------
    StressError
        For an unknown stress or target, a shock outside the horizon, a
        negative severity, a shock its target cannot take, or an expansion
        beyond the limits.
    """
    items = stress_list(stress, scenario)
    if not (isinstance(severity, int | float) and math.isfinite(severity) and severity >= 0):
        names = ", ".join(s.name or "<stress>" for s in items) or "<none>"
        raise StressError(
            f"stress {names}", [("severity", f"must be a number >= 0, got {severity!r}")]
        )
    out: list[ShockDict] = []
    budget = _Budget()
    for s in items:
        budget.started += 1
        out += _expand(s, scenario, float(severity), (), budget)
    failures = [d["label"] for d in out if d["failure"]]
    if len(failures) > 1:
        listed = ", ".join(failures)
        names = ", ".join(s.name or "<stress>" for s in items)
        raise StressError(
            f"stress {names}",
            [("shocks", f"at most one supplier's failure (op 'fail') a run: {listed}")],
        )
    # docs/model.md §25, contagion: a bet's own distress starts none of its shocks.
    return [d for d in out if d.get("trigger_bet") != scenario.name]


def distress_sources(stress: StressArg, scenario: Scenario | None = None) -> list[str]:
    """The bets whose distress starts some shock of ``stress`` (its includes'
    too), in the order they first appear: a contagion (docs/model.md §25)."""
    found: list[str] = []

    def walk(item: Stress, depth: int) -> None:
        for shock in item.shocks:
            bet = shock.trigger.distress if shock.trigger is not None else None
            if bet is not None and bet not in found:
                found.append(bet)
        if depth < MAX_INCLUDE_DEPTH:
            for name in item.includes:
                walk(lookup(name, scenario), depth + 1)

    for item in stress_list(stress, scenario):
        walk(item, 0)
    return found
