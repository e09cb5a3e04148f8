"""A one-way sensitivity in the terminal: the headline, the inputs ranked by
the swing of the chosen metric, then what the same moves do to the others."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from wager.present.headline import headline_text
from wager.present.one_way_labels import metric_label, metric_value, signed_change
from wager.present.terminal import fit, wrapped

if TYPE_CHECKING:
    from wager.analyses.one_way import OneWaySensitivity

__all__ = ["one_way_text"]

#: The other metrics the second table shows (effect of high minus low), with
#: their short column names; a year moves from low to high.
_OTHERS = {
    "p_distress": "distress",
    "p_profit": "profit",
    "terminal_dcf_value_today": "value",
    "det_cash": "cash",
    "det_operating_income": "op. inc.",
    "det_distress_year": "distress yr",
}


def _short(name: str, width: int) -> str:
    """An input's name, its middle elided to at most ``width`` characters."""
    if len(name) <= width:
        return name
    keep = width - 3
    return name[: keep // 2] + "..." + name[len(name) - (keep - keep // 2) :]


def _year_move(low: float, high: float, never: int) -> str:
    def y(v: float) -> str:
        return "none" if v >= never else f"{v:.0f}"

    return "=" if low == high else f"{y(low)}>{y(high)}"


def one_way_text(s: OneWaySensitivity, width: int, top: int | None = None) -> str:
    """The headline, the ranked table of ``s.metric`` and the other metrics'
    effects, at most ``width`` columns wide (``top``: the first rows only)."""
    m = s.metric
    table = s.ranked()
    if top is not None:
        table = table.iloc[:top]
    names = max(24, min(46, width - 54))
    lo, hi = f"x {1 - s.change:g}", f"x {1 + s.change:g}"
    rows = {}
    for name, r in table.iterrows():
        row = {
            lo: metric_value(m, float(r["low"])),
            hi: metric_value(m, float(r["high"])),
            "effect": signed_change(m, float(r["effect"])),
        }
        if r["swing_se"] > 0 or m.startswith(("p_", "terminal_")):
            row["se"] = signed_change(m, float(r["swing_se"])).lstrip("+")
        rows[_short(str(name), names)] = row
    ranked = pd.DataFrame.from_dict(rows, orient="index")
    ranked.index.name = "input"
    unit = (
        "points"
        if m in ("p_distress", "p_profit")
        else "years"
        if m.endswith("_year")
        else ("US$ bn")
    )
    mc = (
        f"{s.n_paths:,} paths per move, seed {s.seed}, every move on the same paths; "
        if s.monte_carlo
        else "Projections only (no Monte Carlo); "
    )
    lines = [
        wrapped(headline_text(s), width),
        "",
        wrapped(
            f"{mc}each input alone at {lo} and {hi} of its value over the whole horizon. "
            f"As written, {metric_label(m, s.year)}: {metric_value(m, s.central, unit=True)}. "
            "Effect: "
            f"{hi} minus {lo}, in {unit}"
            + (", with its standard error from the paired paths (se)." if s.monte_carlo else "."),
            width,
        ),
        "",
        fit(ranked, width),
    ]
    others = [o for o in _OTHERS if o != m and o in s.metrics]
    if others:
        never = s.scenario.time.horizon + 1
        block = {}
        for name in table.index:
            cells = {}
            for o in others:
                r = s.table.loc[(name, o)]
                if o.endswith("_year"):
                    cells[_OTHERS[o]] = _year_move(float(r["low"]), float(r["high"]), never)
                else:
                    cells[_OTHERS[o]] = signed_change(o, float(r["effect"]))
            block[_short(str(name), names)] = cells
        frame = pd.DataFrame.from_dict(block, orient="index")
        frame.index.name = "input"
        words = {
            "p_distress": f"distress: P(distress by {s.year}), points",
            "p_profit": f"profit: P(first profit by {s.year}), points",
            "terminal_dcf_value_today": "value: mean DCF value today, US$ bn",
            "det_cash": f"cash: in {s.year} on the central path, US$ bn",
            "det_operating_income": f"op. inc.: operating income in {s.year} on the central "
            "path, US$ bn",
            "det_distress_year": "distress yr: the central path's year of distress at "
            f"{lo} > at {hi}",
        }
        shown = [words[o] for o in others if o in words]
        lines += [
            "",
            wrapped(
                f"The same moves on the other metrics ({hi} minus {lo}): "
                + "; ".join(shown)
                + ". Every metric and standard error: --format csv or json.",
                width,
            ),
            "",
            fit(frame, width),
        ]
    return "\n".join(lines)
