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
"""

from __future__ import annotations

import warnings
from typing import Any, Final

#: The schema version this wager writes and reads natively.
SCHEMA_VERSION: Final = 3


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
    if not (integer and version in (1, 2, SCHEMA_VERSION)):
        raise ValueError(
            f"schema_version {version!r} is not one this wager reads (1 to {SCHEMA_VERSION}); "
            "a file from a newer wager needs that version"
        )
    out = {**data, "schema_version": SCHEMA_VERSION}
    if version > 1:
        return out
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
            "as 0.1 did (distress.management.penalty_timing = 'upfront'). Set schema_version = 3 "
            "to pay it as the cancelled payments fall due (the default), or keep 'upfront' "
            "explicitly; CHANGELOG.md, Migration.",
            ScenarioMigrationWarning,
            stacklevel=2,
        )
    return out
