"""Names results had before schema version 3 (CHANGELOG.md, Migration): the
event 0.1 called *default* is *distress* (docs/model.md §27). The old names
still answer, with a DeprecationWarning naming the new one."""

from __future__ import annotations

import warnings
from typing import Final

__all__ = ["OLD_METRICS", "metric_name", "warn_renamed"]

#: Metric names of sensitivity, reverse-stress and heatmap calls, old -> new.
OLD_METRICS: Final = {
    "p_default": "p_distress",
    "p_default_low": "p_distress_low",
    "p_default_high": "p_distress_high",
    "deterministic_default": "deterministic_distress",
    "det_default_year": "det_distress_year",
}


def warn_renamed(old: str, new: str) -> None:
    """Warn that ``old`` is now called ``new``."""
    warnings.warn(
        f"{old} is now {new}: the event wager 0.1 called default is distress "
        "(docs/model.md §27; CHANGELOG.md, Migration)",
        DeprecationWarning,
        stacklevel=3,
    )


def metric_name(name: str) -> str:
    """``name``, or its new name (with a warning) if it is an old one."""
    new = OLD_METRICS.get(name)
    if new is None:
        return name
    warn_renamed(repr(name), repr(new))
    return new
