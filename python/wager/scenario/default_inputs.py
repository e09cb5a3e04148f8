"""Inputs whose package default is an uncited assumption, and the warning
naming each one a scenario leaves at it.

The headline answer of a simulation (P(distress)) turns on the market's
regime chain and on the funding function: the odds of closing a round (each
regime's ``raise_success``, read through ``financing.equity.score``'s
sensitivity) and its price (each regime's ``valuation_multiple``, blended by
``dcf_weight`` with a cash flow discounted at ``discount_rate``). The
package gives each a default so that a small scenario runs, but no episode
count or reported figure supports those defaults (docs/calibration.md,
"Inputs left at the package default"): a scenario that leaves one at it gets
a :class:`ScenarioDefaultInputWarning` naming the file and the field path,
which the scenario silences by listing the path in ``accept_defaults``.

An input counts as left at the default when the scenario document does not
give it *and* its validated value is the package default: a file of an
earlier ``schema_version`` whose migration sets an input to its old meaning
(``financing.equity.score.sensitivity = 0`` for version 4) is not warned of.
A scenario without ``market.regimes`` is named once, for the whole default
table, not field by field; a regime's ``discount_rate`` only where its
``dcf_weight`` gives the discounted cash flow a part in the price.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from wager.scenario.regime_defaults import TRANSITION_DEFAULTS

__all__ = [
    "DEFAULT_INPUTS",
    "DefaultInput",
    "ScenarioDefaultInputWarning",
    "defaults_left",
    "unknown_acknowledgement",
]


class ScenarioDefaultInputWarning(UserWarning):
    """A scenario leaves an input at a package default that no evidence supports."""


@dataclass(frozen=True)
class DefaultInput:
    """An input whose package default is an uncited assumption."""

    path: str  #: field path; ``*`` stands for a regime's name
    why: str  #: what the default is and why it needs the scenario's own value


#: The documented list (docs/calibration.md, "Inputs left at the package default").
DEFAULT_INPUTS: Final[tuple[DefaultInput, ...]] = (
    DefaultInput(
        "market.transition",
        "the yearly regime chain (normal->bust 0.10, bust->bust 0.60), which no episode "
        "count supports; the presets derive theirs from the Nasdaq's bear markets",
    ),
    DefaultInput(
        "market.regimes",
        "the default regimes (wager.scenario.regime_defaults): their odds and price of a "
        "round are assumptions",
    ),
    DefaultInput(
        "market.regimes.*.raise_success",
        "the yearly chance of closing a round in this regime (0.9999), an assumption",
    ),
    DefaultInput(
        "market.regimes.*.valuation_multiple",
        "the price of a round, 20 times annualised revenue in this regime, an assumption",
    ),
    DefaultInput(
        "market.regimes.*.dcf_weight",
        "the weight of the discounted cash flow in the price of a round (0.25), an assumption",
    ),
    DefaultInput(
        "market.regimes.*.discount_rate",
        "the rate discounting that cash flow in this regime (0.12), an assumption "
        "(named only where dcf_weight is above 0)",
    ),
    DefaultInput(
        "financing.equity.score.sensitivity",
        "how strongly the company's Rule-of-40 score moves its odds of a round (1.5), "
        "an assumption no source gives",
    ),
)

_REGIME_FIELDS: Final = tuple(
    d.path.rsplit(".", 1)[1] for d in DEFAULT_INPUTS if d.path.startswith("market.regimes.*.")
)


def _pattern(path: str) -> re.Pattern[str]:
    return re.compile(
        "".join("[^.]+" if p == "*" else re.escape(p) for p in re.split(r"(\*)", path))
    )


_PATTERNS: Final = tuple((d, _pattern(d.path)) for d in DEFAULT_INPUTS)


def unknown_acknowledgement(name: str) -> str | None:
    """Why ``name`` cannot be listed in ``accept_defaults``, or None if it can.

    A name is a listed path (``market.regimes.*.raise_success`` silences
    every regime) or one of its instances (``market.regimes.bust.raise_success``).
    """
    if any(p.fullmatch(name) for _, p in _PATTERNS):
        return None
    known = ", ".join(d.path for d in DEFAULT_INPUTS)
    return f"{name!r} is not an input with an uncited package default; they are: {known}"


def _acknowledged(path: str, accepted: Sequence[str]) -> bool:
    pattern = next(d.path for d, p in _PATTERNS if p.fullmatch(path))
    return path in accepted or pattern in accepted


def _table(data: Any, *keys: str) -> Mapping[str, Any] | None:
    """The sub-table of the raw document at ``keys``, or None if it is not given."""
    for key in keys:
        if not isinstance(data, Mapping) or key not in data:
            return None
        data = data[key]
    return data if isinstance(data, Mapping) else None


def defaults_left(data: Mapping[str, Any], scenario: Any) -> list[tuple[str, str]]:
    """The inputs of :data:`DEFAULT_INPUTS` a scenario leaves at the package default.

    Parameters
    ----------
    data
        The scenario document as given (before validation and migration;
        after ``extends`` and overrides are merged).
    scenario : wager.Scenario
        The same document, validated (typed ``Any``: the schema imports this
        module to check ``accept_defaults``).

    Returns
    -------
    list of (str, str)
        ``(field path, why)`` for each input left at its default and not
        listed in ``scenario.accept_defaults``, in the order of
        :data:`DEFAULT_INPUTS`, regimes in the scenario's order.
    """
    why = {d.path: d.why for d in DEFAULT_INPUTS}
    found: list[tuple[str, str]] = []
    market = scenario.market
    given_market = _table(data, "market") or {}
    if "transition" not in given_market and market.transition == TRANSITION_DEFAULTS:
        found.append(("market.transition", why["market.transition"]))
    given_regimes = _table(data, "market", "regimes")
    if given_regimes is None:
        found.append(("market.regimes", why["market.regimes"]))
    else:
        for field in _REGIME_FIELDS:
            for name, regime in market.regimes.items():
                given = _table(given_regimes, name) or {}
                default = type(regime).model_fields[field].default
                if field == "discount_rate" and regime.dcf_weight == 0:
                    continue  # the rate of a part of the price that weighs nothing
                if field not in given and getattr(regime, field) == default:
                    path = f"market.regimes.{name}.{field}"
                    found.append((path, why[f"market.regimes.*.{field}"]))
    score = scenario.financing.equity.score
    given_score = _table(data, "financing", "equity", "score") or {}
    default_sensitivity = type(score).model_fields["sensitivity"].default
    if "sensitivity" not in given_score and score.sensitivity == default_sensitivity:
        path = "financing.equity.score.sensitivity"
        found.append((path, why[path]))
    accepted = scenario.accept_defaults
    return [(path, reason) for path, reason in found if not _acknowledged(path, accepted)]
