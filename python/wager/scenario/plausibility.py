"""Plausibility warnings: values a field can hold but rarely means.

The schema refuses what a field cannot hold (a tax rate above 1). Some
mistakes pass it: a debt rate of ``9`` meant as 9% is a valid 900% a year,
an inference cost ratio of ``35`` meant as 35% is a valid 35 times revenue,
an amount in dollars instead of US$ billions is a valid, enormous, number.
Each rule below names a field, the value above which it is unusual and the
likely intent; a scenario silences a field it means by listing it in
``accept_unusual``. The thresholds are judgement, not evidence: each is
far above what the calibration file (`docs/scenarios.md`, "Plausibility")
shows for real companies, so a warning is worth a look, never an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wager.scenario.distribution import Distribution

__all__ = ["MONEY_LIMIT", "RULES", "Rule", "ScenarioPlausibilityWarning", "unusual_values"]


class ScenarioPlausibilityWarning(UserWarning):
    """A scenario value the schema accepts but that is likely a unit mistake."""


@dataclass(frozen=True)
class Rule:
    """Values above ``above`` in the fields matching ``pattern`` are unusual."""

    pattern: str  #: field path, ``*`` for one name (a segment, a regime, a cost)
    above: float
    intent: str  #: what the value likely meant, with ``{value}`` and ``{fraction}``


_PERCENT = "a fraction is meant ({fraction:g} for {value:g}%?)"
_PER_YEAR = "is a fraction per year: " + _PERCENT

#: Fractions per year or ratios that the schema bounds below only.
RULES: tuple[Rule, ...] = (
    Rule("financing.debt.rate", 1.0, "an interest rate " + _PER_YEAR),
    Rule("segments.*.price_change", 1.0, "a price change " + _PER_YEAR),
    Rule("market.regimes.*.price_change", 1.0, "a price change " + _PER_YEAR),
    Rule("market.regimes.*.demand_growth", 3.0, "a growth rate " + _PER_YEAR),
    Rule("segments.*.inference_cost_ratio", 3.0, "the ratio is cost over revenue: " + _PERCENT),
    Rule("costs.*.of_revenue", 2.0, "a cost of revenue is a fraction of revenue: " + _PERCENT),
    Rule("segments.*.volatility", 2.0, "a volatility " + _PER_YEAR),
    Rule("market.demand_factor.volatility", 2.0, "a volatility " + _PER_YEAR),
    Rule(
        "market.regimes.*.spot_price",
        5.0,
        "the spot price is a multiple of the contract price: " + _PERCENT,
    ),
)

#: Money is in US$ billions: 100,000 (US$ 100 trillion, about the world's
#: yearly output) or more in any field is almost surely dollars.
MONEY_LIMIT = 1e5

# Leaves that are no amount: calendar fields and a Student-t's degrees of freedom.
_NOT_MONEY = {"year", "month", "start_year", "horizon", "steps_per_year", "schema_version", "df"}
# Parameters that are no value of the field: a lognormal's (on the log
# scale) and a Student-t's degrees of freedom.
_NOT_VALUES = {"mu", "sigma", "df"}
# The keys of a distribution table (docs/scenarios.md, `<distribution>`).
_PARAMETERS = frozenset(Distribution.model_fields) - {"dist"}


def _matches(path: str, pattern: str) -> bool:
    regex = "".join(
        "[^.]+" if part == "*" else re.escape(part) for part in re.split(r"(\*)", pattern)
    )
    return re.fullmatch(regex + r"(\..*)?", path) is not None


def _leaves(data: Any, path: str = "") -> Iterator[tuple[str, str, float]]:
    """(field path, leaf key, value) of every number: a series' years and a
    distribution's parameters belong to their field's path."""
    if isinstance(data, Mapping):
        for key, value in data.items():
            k = str(key)
            year = k.strip().isdigit()
            yield from _leaves(value, path if year else (f"{path}.{k}" if path else k))
    elif isinstance(data, Sequence) and not isinstance(data, str | bytes):
        for i, value in enumerate(data):
            yield from _leaves(value, f"{path}[{i}]")
    elif isinstance(data, int | float) and not isinstance(data, bool):
        yield path, path.rsplit(".", 1)[-1], float(data)


def _field(path: str) -> str:
    # A distribution's parameter (mean, low, ...) reports as its field.
    head, _, last = path.rpartition(".")
    return head if head and last in _PARAMETERS else path


def unusual_values(data: Mapping[str, Any], accepted: Sequence[str] = ()) -> list[tuple[str, str]]:
    """The unusual values of a scenario document, one per field.

    Parameters
    ----------
    data
        The scenario as parsed (before validation: years as written).
    accepted
        Field paths the scenario means as written (``accept_unusual``).

    Returns
    -------
    list of (str, str)
        ``(field path, reason)``, the reason naming the value and the likely
        intent, in the document's order.
    """
    found: dict[str, str] = {}
    for path, key, value in _leaves(data):
        field = _field(path)
        if field in found or field in accepted or key in _NOT_VALUES or path.startswith("time."):
            continue
        for rule in RULES:
            if _matches(path, rule.pattern) and value > rule.above:
                intent = rule.intent.format(value=value, fraction=value / 100)
                found[field] = f"{value:g} is above {rule.above:g}, unusual here: {intent}"
                break
        else:
            if key not in _NOT_MONEY and abs(value) >= MONEY_LIMIT:
                found[field] = (
                    f"{value:,.0f} looks like dollars: amounts are in US$ billions "
                    f"({value / 1e9:,.6g} if these are dollars)"
                )
    return list(found.items())
