"""What the ``wager`` commands print: the headline, then compact tables that
fit the terminal, every number in the formats of :mod:`wager.present.numbers`
(``--format csv/json`` and exports keep every digit instead).

Each function returns text; the commands echo it. A table wider than the
terminal wraps its columns into blocks (pandas' ``line_width``), never a
line past the width.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from wager.present.headline import headline_text
from wager.present.numbers import (
    money,
    percent,
    percent_interval,
    points,
    significant,
)

if TYPE_CHECKING:
    from wager.analyses.calibration_spread import CalibrationSpread
    from wager.analyses.comparison import Comparison
    from wager.analyses.projection import Projection
    from wager.analyses.race import Race
    from wager.analyses.simulation import Simulation
    from wager.analyses.stress_grid import StressGrid

__all__ = [
    "calibration_spread_text",
    "comparison_text",
    "fit",
    "grid_text",
    "projections_text",
    "race_text",
    "simulation_text",
    "wrapped",
]

#: The narrowest layout the commands aim for.
MIN_WIDTH = 60


def fit(frame: pd.DataFrame, width: int) -> str:
    """A frame of already formatted cells as text at most ``width`` wide."""
    return frame.to_string(line_width=max(width, MIN_WIDTH), na_rep="")


def wrapped(text: str, width: int, indent: str = "") -> str:
    """A paragraph wrapped to ``width`` columns."""
    return textwrap.fill(
        text,
        width=max(width, MIN_WIDTH),
        initial_indent=indent,
        subsequent_indent=indent,
        break_on_hyphens=False,
    )


def _signed_points(d: float) -> str:
    return ("-" if d < 0 else "+") + points(d) if d == d else ""


def _signed_money(d: float) -> str:
    return ("+" if d > 0 else "") + money(d) if d == d else ""


_MONEY_LABELS = {
    "cumulative_fcf": "cumulative FCF",
    "peak_funding_need": "peak funding need",
    "terminal_equity_value": "terminal value, multiple",
    "terminal_dcf_value": "terminal value, DCF",
    "terminal_equity_value_today": "value today, multiple",
    "terminal_dcf_value_today": "value today, DCF",
}


def _metric_label(metric: str) -> tuple[str, bool]:
    """A summary metric's short label, and whether it is a probability."""
    if metric.startswith("P("):
        m = re.match(r"P\((\S+) in distress, (\S+) not, by (\d+)\)", metric)
        if m:
            return f"only {m[1]} in distress", True
        inner = metric[2:-1]
        inner = inner.replace("profit by", "first profit by")
        inner = inner.replace("wiped out by", "equity wiped out by")
        return inner, True
    if metric.startswith("recovery rate "):
        return metric.replace("_", " "), True  # a share of the claims: % and points
    name = metric.removeprefix("mean ")
    parts = name.rsplit(" ", 1)
    if len(parts) == 2 and parts[1].isdigit():
        return f"{parts[0].replace('_', ' ')} {parts[1]}", False
    return _MONEY_LABELS.get(name, name.replace("_", " ")), False


def comparison_text(c: Comparison, width: int) -> str:
    """The headline, then per stress and other strategy: A, B, B - A and its
    95% interval, probabilities in % (differences in points), money in US$ bn."""
    summary = c.summary()
    a = c.reference
    out = [wrapped(headline_text(c), width), ""]
    out.append(
        wrapped(
            f"{c.n_paths:,} paths, seed {c.seed}, the same paths for every strategy. "
            "Probabilities in % of paths by the horizon, differences in points; means in "
            "US$ bn; 95% intervals from the paired paths.",
            width,
        )
    )
    for stress in c.stresses:
        block = summary.loc[stress]
        for b in [s for s in c.strategies if s != a]:
            rows: dict[str, dict[str, str]] = {}
            for metric, r in block.iterrows():
                label, prob = _metric_label(str(metric))
                nan = float("nan")
                va, vb = float(r.get(a, nan)), float(r.get(b, nan))
                d = float(r.get(f"{b} - {a}", nan))
                if va != va and vb != vb and d != d:
                    continue  # nothing to show (a claim class neither strategy had)
                lo, hi = float(r.get(f"{b} - {a} low", nan)), float(r.get(f"{b} - {a} high", nan))
                show = percent if prob else money
                delta = _signed_points if prob else _signed_money
                interval = ""
                if lo == lo and hi == hi:
                    ends = (
                        (_signed_points(lo), _signed_points(hi))
                        if prob
                        else (_signed_money(lo), _signed_money(hi))
                    )
                    interval = f"[{ends[0]}, {ends[1]}]"
                rows[label] = {
                    a: show(va) if va == va else "",
                    b: show(vb) if vb == vb else "",
                    "difference": delta(d),
                    "95% interval": interval,
                }
            frame = pd.DataFrame.from_dict(rows, orient="index")
            title = wrapped(f"== {stress}: {b} against {a}; difference = {b} minus {a} ==", width)
            out += ["", title, fit(frame, width)]
    if c.calibration_spread is not None:
        out += ["", calibration_spread_text(c.calibration_spread, width)]
    return "\n".join(out)


def _spread_label(metric: str) -> str:
    return metric[2:-1].replace("profit by", "first profit by")


def calibration_spread_text(spread: CalibrationSpread, width: int) -> str:
    """Per stress and strategy, one row per run (the scenarios as given, then
    each calibration variant): P(distress) by 2030 and by the horizon and
    P(first profit) by the horizon, each with its 95% interval; then the
    range across the runs."""
    out = [
        wrapped(
            f"Calibration spread: the comparison run {spread.n_runs} times on the same "
            f"{spread.n_paths:,} paths (seed {spread.seed}): as given, then with one "
            "calibration input of the shared market at an end of its evidence "
            "(docs/calibration.md, Bounds), the others as given; episodes: the transition "
            "matrix of another set of episodes counted as busts. range: the smallest and "
            "largest value across the runs. It is how far the answer moves across the "
            "evidence, not a confidence interval; [ ] is each run's 95% Monte Carlo interval.",
            width,
        )
    ]
    for stress in spread.stresses:
        for strategy in spread.strategies:
            runs = spread.runs(stress, strategy)
            rows: dict[str, dict[str, str]] = {}
            for variant, r in runs.iterrows():
                rows[str(variant)] = {
                    _spread_label(m): f"{percent(float(r[m]))} "
                    f"{percent_interval(r[f'{m} low'], r[f'{m} high'])}"
                    for m in spread.metrics
                }
            ends = {m: spread.range_of(stress, strategy, m) for m in spread.metrics}
            rows["range"] = {
                _spread_label(m): f"{percent(float(e['min']))} to {percent(float(e['max']))}"
                for m, e in ends.items()
            }
            frame = pd.DataFrame.from_dict(rows, orient="index")
            title = wrapped(f"== calibration spread, {stress}: {strategy} ==", width)
            out += ["", title, fit(frame, width)]
    return "\n".join(out)


def grid_text(g: StressGrid, width: int) -> str:
    """The headline, then one row per cell: P(distress) with its interval,
    P(reorganised) and P(liquidated) (distress resolved so by the horizon,
    ``docs/model.md`` §27), P(first profit), the mean value today, and the
    central path's distress."""
    t = g.table
    severities = t.index.get_level_values("severity").unique()
    rows = {}
    for key, r in t.iterrows():
        strategy, stress, severity = cast(tuple[str, str, float], key)
        index = (strategy, stress) if len(severities) == 1 else (strategy, stress, f"{severity:g}")
        year = r["det_distress_year"]
        rows[index] = {
            "distress": percent(float(r["p_distress"])),
            "interval": percent_interval(r["p_distress_low"], r["p_distress_high"]),
            "reorg.": percent(float(r["p_reorganised"])),
            "liquid.": percent(float(r["p_liquidated"])),
            "profit": percent(float(r["p_profit"])),
            "value": money(float(r["terminal_dcf_value_today_mean"])),
            "central": "-" if year != year else str(int(year)),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    names = ["strategy", "stress"] + ([] if len(severities) == 1 else ["severity"])
    frame.index = pd.MultiIndex.from_tuples(list(rows), names=names)
    return "\n".join(
        [
            wrapped(headline_text(g), width),
            "",
            wrapped(
                f"{g.n_paths:,} paths per cell, seed {g.seed}, the same paths in every cell. "
                "distress (with its 95% interval), reorg. and liquid. (distress resolved by a "
                "reorganisation or a liquidation) and profit (a first operating profit): % of "
                "paths by the horizon; value: mean discounted cash-flow value today, US$ bn; "
                "central: the year of distress on the central path under the stress (- none).",
                width,
            ),
            "",
            fit(frame, width),
        ]
    )


def race_text(r: Race, width: int) -> str:
    """The headline, then the 2 x 2 matrix: each lab's mean value and survival."""
    a, b = r.labs
    rows = {}
    for key, m in r.matrix.iterrows():
        x, y = cast(tuple[str, str], key)
        rows[(x, y)] = {
            "A value": money(float(m["terminal_equity_value_a"])),
            "A survives": percent(float(m["survival_a"])),
            "B value": money(float(m["terminal_equity_value_b"])),
            "B survives": percent(float(m["survival_b"])),
        }
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame.index = pd.MultiIndex.from_tuples(list(rows), names=["A plays", "B plays"])
    settings = ", ".join(f"{k} {v}" for k, v in r.settings.items())
    return "\n".join(
        [
            wrapped(headline_text(r), width),
            "",
            wrapped(
                f"A = {a}, B = {b}; {r.n_paths:,} paths, seed {r.seed}; {settings}. value: "
                "mean terminal equity value, US$ bn; survives: % of paths with no distress by "
                "the horizon.",
                width,
            ),
            "",
            fit(frame, width),
        ]
    )


_EVENTS = (
    ("first_profit_year", "first operating profit"),
    ("distress_year", "distress"),
    ("peak_funding_need", "peak funding need, US$ bn"),
    ("equity_raised_total", "equity raised, US$ bn"),
    ("terminal_dcf_value", "terminal value (DCF), US$ bn"),
    ("terminal_equity_value", "terminal value (multiple), US$ bn"),
    ("terminal_dcf_value_today", "value today (DCF), US$ bn"),
    ("terminal_equity_value_today", "value today (multiple), US$ bn"),
)


#: Per-year columns that are shares, shown in percent.
_SHARES = ("utilisation", "dilution", "ownership_retained", "regime")


def _cells(column: pd.Series) -> pd.Series:
    name = str(column.name)
    if name == "regime" or column.dtype == object:
        return column.astype(str)
    if name in _SHARES:
        return column.map(percent)
    return column.map(money)


def projections_text(projections: Sequence[Projection], metrics: Sequence[str], width: int) -> str:
    """The headline of each projection, one per-year table per strategy
    (wrapped to the width when it has many columns), the key events."""
    names = [p.scenario.name for p in projections]
    out = [wrapped(" ".join(headline_text(p) for p in projections), width), ""]
    for n, p in zip(names, projections, strict=True):
        shown = p.annual.reindex(columns=list(metrics))
        frame = pd.DataFrame({m.replace("_", " "): _cells(shown[m]) for m in shown.columns})
        unit = "US$ bn; shares in %" if set(metrics) & set(_SHARES) else "US$ bn"
        out += [f"{n}, per year ({unit})", fit(frame, width), ""]
    events: dict[str, dict[str, str]] = {}
    for label_key, label in _EVENTS:
        events[label] = {}
        for n, p in zip(names, projections, strict=True):
            v: Any = getattr(p.events, label_key)
            events[label][n] = (
                "none" if v is None else (str(v) if label_key.endswith("year") else money(v))
            )
    out += ["Events (terminal: at the horizon; today: discounted to the start)"]
    out += [fit(pd.DataFrame.from_dict(events, orient="index"), width)]
    return "\n".join(out)


def simulation_text(sim: Simulation, width: int) -> str:
    """The headline, then per year: P(distress) with its interval, P(first
    profit), and the cash of the paths not in distress; then the tail risk."""
    dp, pp, live = sim.distress_probability, sim.profit_probability, sim.surviving_cash
    per_year = pd.DataFrame(
        {
            "distress": dp["probability"].map(percent),
            "95% interval": [
                percent_interval(lo, hi) for lo, hi in zip(dp["low"], dp["high"], strict=True)
            ],
            "first profit": pp["probability"].map(percent),
            "live cash q5": live["q5"].map(money) if "q5" in live else "",
            "median": live["q50"].map(money) if "q50" in live else "",
            "q95": live["q95"].map(money) if "q95" in live else "",
        }
    )
    risk = sim.risk.map(significant)
    return "\n".join(
        [
            wrapped(headline_text(sim), width),
            "",
            wrapped(
                f"{sim.n_paths:,} paths, seed {sim.seed}. distress and first profit: % of "
                "paths by each year's end; live cash: year-end cash of the paths not in "
                "distress, US$ bn.",
                width,
            ),
            "",
            fit(per_year, width),
            "",
            "Value-at-Risk and Expected Shortfall (lower tail), US$ bn, with standard errors",
            fit(risk, width),
        ]
    )
