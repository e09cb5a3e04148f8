"""Scenario files of earlier ``schema_version``\\ s read in the current one.

``schema_version`` says which meaning a file's fields have (CHANGELOG.md,
"Migration"). A file without it was written for wager 0.1: version 1.

- **1 -> 2.** ``distress.management.penalty`` was charged at once, on every
  later cancelled payment, the step after a renegotiation; version 2 pays it
  as each cancelled payment would have fallen due
  (``penalty_timing = "spread"``, docs/model.md §11). A version-1 file whose
  management renegotiates with a penalty keeps its meaning
  (``penalty_timing = "upfront"``) and says so in a warning; nothing else
  changed meaning.
- **2 -> 3.** No scenario field changed meaning: the results did. The event
  wager 0.1 called *default* is named *distress* everywhere
  (docs/model.md §27): ``distress_probability``, ``distress_year``,
  ``p_distress``, ... (the old names still answer, with a warning). A
  version-2 file is read as it is.
- **3 -> 4.** ``market.regimes.*.raise_success`` was the chance that one
  attempt, made at the end of a step, succeeds; version 4 makes it the chance
  that a company seeking a round for a whole year closes one (a yearly rate,
  so the results no longer depend on the step size; docs/model.md §11, 4.).
  A version-3 file keeps the meaning of its equity rounds: each number p
  given becomes ``1 - (1 - p) ** steps_per_year``, with a warning; a regime
  that omits it, or a file without regimes, gets the version-3 default
  converted the same way, silently. An uncertain ``raise_success`` (a
  distribution) cannot be converted: the file is read with a warning that it
  now means a yearly chance. Not kept: a maturity's refinancing, one event
  that uses ``raise_success`` as its chance, now reads the converted (higher)
  value; a scenario's own stresses that set or add to ``raise_success`` are
  not converted. Version 4 also buys spot compute beyond the plan with a
  lead time (``spot_lead_time``, docs/model.md §5); version 3 bought any
  amount at once, so a version-3 file's regimes get ``spot_lead_time = 0``,
  silently.
- **4 -> 5.** The odds of a round and of refinancing read the company
  (``financing.equity.score``, docs/model.md §11, 4.): the regime's yearly
  rate is scaled by the company's trailing Rule-of-40 score. Version 4 used
  the regime's odds whatever the company did, so a version-4 file gets
  ``financing.equity.score.sensitivity = 0``, silently (its results are
  unchanged). Version 5 also prices a round from the market multiple blended
  with the going concern's discounted cash flow (``dcf_weight`` per regime,
  docs/model.md §11, 2.); a version-4 file's regimes (its own, or the
  package's defaults when it lists none) get ``dcf_weight = 0``, silently.
"""

from __future__ import annotations

import warnings
from typing import Any, Final

from wager.scenario.regime_defaults import REGIME_DEFAULTS

#: The schema version this wager writes and reads natively.
SCHEMA_VERSION: Final = 5


class ScenarioMigrationWarning(UserWarning):
    """A scenario of an earlier ``schema_version`` was read with its old meaning kept."""


def _nonzero(value: Any) -> bool:
    # A number other than 0, or anything else (a distribution): the penalty can bite.
    return not (isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0)


def migrate(data: Any) -> Any:
    """``data`` (a scenario's raw dict) in the current schema version.

    Raises
    ------
    ValueError
        For a ``schema_version`` this wager does not know.
    """
    if not isinstance(data, dict):
        return data
    version = data.get("schema_version", 1)
    integer = isinstance(version, int) and not isinstance(version, bool)
    if not (integer and version in (1, 2, 3, 4, SCHEMA_VERSION)):
        raise ValueError(
            f"schema_version {version!r} is not one this wager reads (1 to {SCHEMA_VERSION}); "
            "a file from a newer wager needs that version"
        )
    out = {**data, "schema_version": SCHEMA_VERSION}
    if version == 1:
        out = _upfront_penalty(out)
    if version < 4:
        out = _yearly_raise_success(out)
    return _multiple_only(_regime_odds_only(out)) if version < SCHEMA_VERSION else out


def _regime_odds_only(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4's funding odds: the regime's, whatever the company does."""
    financing = data.get("financing")
    if not isinstance(financing, dict):
        return data  # validation names the missing or bad value
    equity = financing.get("equity", {})
    if not isinstance(equity, dict):
        return data
    score = equity.get("score", {})
    if not isinstance(score, dict) or "sensitivity" in score:
        return data
    return {
        **data,
        "financing": {**financing, "equity": {**equity, "score": {**score, "sensitivity": 0.0}}},
    }


def _multiple_only(data: dict[str, Any]) -> dict[str, Any]:
    """Version 4's price of a round: the market multiple alone."""
    market = data.get("market", {})
    if not isinstance(market, dict):
        return data
    regimes = market.get("regimes")
    if regimes is None:
        regimes = {n: dict(v) for n, v in REGIME_DEFAULTS.items()}
    if not isinstance(regimes, dict):
        return data
    priced = {
        n: {**r, "dcf_weight": r.get("dcf_weight", 0.0)} if isinstance(r, dict) else r
        for n, r in regimes.items()
    }
    return {**data, "market": {**market, "regimes": priced}}


def _upfront_penalty(out: dict[str, Any]) -> dict[str, Any]:
    """Version 1's renegotiation penalty, charged at once."""
    data = out
    distress = data.get("distress")
    if not isinstance(distress, dict):
        return out
    management = distress.get("management")
    if (
        isinstance(management, dict)
        and management.get("enabled") is True
        and _nonzero(management.get("renegotiate", 0.0))
        and _nonzero(management.get("penalty", 0.0))
        and "penalty_timing" not in management
    ):
        out["distress"] = {**distress, "management": {**management, "penalty_timing": "upfront"}}
        name = data.get("name", "the scenario")
        warnings.warn(
            f"{name}: schema_version 1 (wager 0.1): its renegotiation penalty is charged at once, "
            "as 0.1 did (distress.management.penalty_timing = 'upfront'). Set schema_version = 4 "
            "(with yearly raise_success) to pay it as the cancelled payments fall due (the "
            "default), or keep 'upfront' explicitly; CHANGELOG.md, Migration.",
            ScenarioMigrationWarning,
            stacklevel=3,
        )
    return out


#: Version 3's default regimes' raise_success, per attempt (one a step).
_V3_RAISE_SUCCESS: Final = {"boom": 0.95, "normal": 0.9, "bust": 0.2}
_V3_REGIME_DEFAULT: Final = 0.9


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _yearly_raise_success(data: dict[str, Any]) -> dict[str, Any]:
    """Version 3's per-step ``raise_success`` as the yearly chance of version 4."""
    time = data.get("time")
    steps = time.get("steps_per_year", 4) if isinstance(time, dict) else 4
    market = data.get("market", {})
    if not isinstance(market, dict):
        return data  # validation names the bad value
    regimes = market.get("regimes")
    if not (_number(steps) and steps in (1, 4, 12)) or not isinstance(regimes, (dict, type(None))):
        return data
    k = int(steps)
    listed = regimes is not None
    given: dict[str, Any] = (
        regimes
        if regimes is not None
        else {n: {"raise_success": p} for n, p in _V3_RAISE_SUCCESS.items()}
    )
    converted: dict[str, Any] = {}
    changed: list[str] = []
    unconverted: list[str] = []
    for name, regime in given.items():
        if not isinstance(regime, dict):
            converted[name] = regime
            continue
        p = regime.get("raise_success", _V3_REGIME_DEFAULT)
        if _number(p) and 0.0 <= p <= 1.0:
            yearly = p if k == 1 else 1.0 - (1.0 - float(p)) ** k
            converted[name] = {**regime, "raise_success": yearly, "spot_lead_time": 0.0}
            if listed and "raise_success" in regime and yearly != p:
                changed.append(name)
        else:
            converted[name] = {**regime, "spot_lead_time": 0.0}
            unconverted.append(name)
    if not listed:  # the default regimes' other fields
        converted = {n: {**REGIME_DEFAULTS[n], **converted[n]} for n in converted}
    if changed or unconverted:
        name = data.get("name", "the scenario")
        done = (
            f" {', '.join(changed)}: p became 1 - (1 - p)^{k}, to keep the file's meaning "
            "(a maturity's refinancing now uses the converted value)."
            if changed
            else ""
        )
        left = (
            f" {', '.join(unconverted)}: an uncertain raise_success could not be converted and "
            "now means a yearly chance."
            if unconverted
            else ""
        )
        warnings.warn(
            f"{name}: schema_version 3: raise_success was the chance of one attempt a step; "
            f"it is now the yearly chance of closing a round.{done}{left} Set schema_version = 4 "
            "and give yearly chances to silence this; CHANGELOG.md, Migration.",
            ScenarioMigrationWarning,
            stacklevel=3,
        )
    return {**data, "market": {**market, "regimes": converted}}
