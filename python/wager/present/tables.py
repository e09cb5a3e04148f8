"""The tidy long table of several projections (``wager project --format csv``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wager.analyses.projection import Projection

__all__ = ["KEY_METRICS", "tidy"]

#: The per-year figures ``wager compare`` shows, in order.
KEY_METRICS = ("revenue", "operating_income", "free_cash_flow", "cash")


def _names(projections: Sequence[Projection]) -> list[str]:
    names = [p.scenario.name for p in projections]
    # Two scenarios may share a name: number them so columns stay distinct.
    return [f"{n}#{i + 1}" if names.count(n) > 1 else n for i, n in enumerate(names)]


def tidy(projections: Sequence[Projection], metrics: Sequence[str] | None = None) -> pd.DataFrame:
    """Long format: columns ``strategy, kind, year, metric, value``.

    ``kind`` is ``annual`` (one row per strategy, year and metric) or
    ``event`` (year empty; value may be empty when the event did not happen).
    """
    rows: list[dict[str, object]] = []
    for name, p in zip(_names(projections), projections, strict=True):
        # A metric the strategy does not have (another's segment) has no rows.
        cols = (
            [m for m in metrics if m in p.annual.columns]
            if metrics is not None
            else list(p.annual.columns)
        )
        for year, row in p.annual[cols].iterrows():
            rows.extend(
                {"strategy": name, "kind": "annual", "year": year, "metric": m, "value": row[m]}
                for m in cols
            )
        rows.extend(
            {"strategy": name, "kind": "event", "year": pd.NA, "metric": k, "value": v}
            for k, v in p.events.flat().items()
        )
    out = pd.DataFrame(rows, columns=["strategy", "kind", "year", "metric", "value"])
    out["year"] = out["year"].astype("Int64")
    return out
