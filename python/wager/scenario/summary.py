"""A scenario at a glance in a notebook (``Scenario._repr_html_``): what it
is, its horizon, each segment's revenue at both ends of it, the money it
starts with and commits, and where it was read from. Plain HTML, every
echoed text escaped; a distribution reads "uncertain"."""

from __future__ import annotations

from html import escape
from typing import Any

from wager.scenario.series import expand_series

__all__ = ["scenario_html"]


def _number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,.1f}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"
    return "uncertain"


def _ends(value: Any, sc: Any) -> tuple[str, str]:
    try:
        years = expand_series(value, sc.time.start_year, sc.time.n_years)
    except (TypeError, ValueError, AttributeError):
        return "uncertain", "uncertain"
    return _number(years[0]), _number(years[-1])


def scenario_html(sc: Any) -> str:
    """The notebook summary of ``sc``, a ``wager.Scenario`` (typed loosely:
    the schema imports this module, so it cannot import the schema)."""
    t = sc.time
    rows = []
    for name, seg in sc.segments.items():
        first, last = _ends(seg.revenue, sc)
        rows.append(
            f"<tr><td>{escape(name)}</td><td>{escape(str(seg.kind))}</td>"
            f"<td>{first}</td><td>{last}</td></tr>"
        )
    # Payments planned to the horizon, at the central value of an uncertain amount.
    total = sum(
        v for c in sc.compute.commitments for y, v in c.payments().items() if y <= t.horizon
    )
    origin = sc.origin
    source = [f"read from {escape(origin.source)}"]
    if origin.extends:
        source.append("extends " + ", ".join(escape(e) for e in origin.extends))
    if origin.overrides:
        source.append(f"{len(origin.overrides)} value(s) set over it")
    return (
        f"<p><b>wager scenario</b> {escape(sc.name)}: {escape(sc.description or '')}</p>"
        f"<p>{t.start_year}-{t.horizon}, {t.steps_per_year} steps a year; initial cash "
        f"{_number(sc.financing.initial_cash)} US$ bn; {len(sc.compute.commitments)} "
        f"compute contract(s), {total:,.1f} US$ bn to pay by {t.horizon}; {'; '.join(source)}.</p>"
        "<table><tr><th>segment</th><th>kind</th>"
        f"<th>revenue {t.start_year}, US$ bn</th><th>revenue {t.horizon}</th></tr>"
        + "".join(rows)
        + "</table>"
    )
