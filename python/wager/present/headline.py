"""The answer first: two to five sentences computed from a result, with
their 95% intervals, that every command prints before its tables and the
report opens with.

Every number in a sentence is read from the result it describes (nothing is
recomputed here), so a headline and the tables below it always agree.
"Distress" is the event of ``docs/model.md`` §27: the first time the
company cannot meet its obligations.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from wager.present.numbers import money, percent, percent_interval, points, points_interval
from wager.present.one_way_labels import metric_label, metric_value

if TYPE_CHECKING:
    from wager.analyses.comparison import Comparison
    from wager.analyses.one_way import OneWaySensitivity
    from wager.analyses.projection import Projection
    from wager.analyses.race import Race
    from wager.analyses.sensitivity import Tornado
    from wager.analyses.simulation import Simulation
    from wager.analyses.stress_grid import StressGrid

__all__ = ["headline", "headline_text"]

#: Below this (percentage points), a change between stresses is "about the same".
_SAME_POINTS = 0.005


def _p(row: Any) -> str:
    """'22.4% [21.9, 23.0]' from a row with probability, low and high."""
    return f"{percent(float(row['probability']))} {percent_interval(row['low'], row['high'])}"


def _under(stress: str | None) -> str:
    return "" if stress in (None, "baseline") else f" under {stress}"


def simulation_headline(sim: Simulation) -> list[str]:
    """Distress by the horizon with its interval, how it resolves, and profit."""
    dp = sim.distress_probability
    last = int(dp.index[-1])
    name = sim.scenario.name
    out = [
        f"{name}{_under(sim.stress)} falls into distress by {last} on "
        f"{_p(dp.iloc[-1])} of {sim.n_paths:,} paths."
    ]
    res: Any = sim.resolution.iloc[-1]
    if float(res["distress"]) > 0:
        out.append(
            f"By {last} it is reorganised on {percent(float(res['reorganised']))} of paths "
            f"and liquidated on {percent(float(res['liquidated']))}; its equity holders "
            f"are wiped out on {percent(float(res['wiped_out']))}."
        )
    pp = sim.profit_probability
    out.append(f"It makes a first operating profit by {last} on {_p(pp.iloc[-1])}.")
    return out


def _gap_sentence(c: Comparison, summary: pd.DataFrame, stress: str, b: str) -> tuple[str, float]:
    a, last = c.reference, c.years[-1]
    row: Any = summary.loc[(stress, f"P(distress by {last})")]
    d = float(row[f"{b} - {a}"])
    word = "lower" if d < 0 else "higher"
    text = (
        f"On the same paths, {b}'s risk is {points(d)} points {word} than {a}'s "
        f"{_magnitude_interval(row[f'{b} - {a} low'], row[f'{b} - {a} high'])}"
    )
    cells: Any = summary[b]
    only_a = cells.loc[(stress, f"P({a} in distress, {b} not, by {last})")]
    only_b = cells.loc[(stress, f"P({b} in distress, {a} not, by {last})")]
    text += (
        f": {a} fails where {b} survives on {percent(float(only_a))} of paths, "
        f"the reverse on {percent(float(only_b))}."
    )
    return text, d


def _magnitude_interval(low: float, high: float) -> str:
    """The interval of |d| for a difference d whose interval does not straddle 0
    ("20.8 points lower [20.2, 21.3]"), else the signed one."""
    if low >= 0 or high <= 0:
        a, b = sorted((abs(low), abs(high)))
        return f"[{points(a)}, {points(b)}]"
    return points_interval(low, high)


def _spread_sentence(c: Comparison, stress: str) -> list[str]:
    """How far P(distress by the horizon) moves across the calibration's
    evidence, when the comparison ran its calibration spread."""
    spread = c.calibration_spread
    if spread is None or stress not in spread.stresses:
        return []
    metric = f"P(distress by {c.years[-1]})"
    cells = []
    for name in c.strategies:
        r = spread.range_of(stress, name, metric)
        cells.append(f"{name} {percent(float(r['min']))} to {percent(float(r['max']))}")
    return [
        "Across the calibration's range (its inputs one at a time; not a confidence "
        "interval): " + ", ".join(cells) + "."
    ]


def comparison_headline(c: Comparison) -> list[str]:
    """Each strategy's risk under the first stress, the paired gap, and how
    the other stresses move it."""
    last = c.years[-1]
    first = c.stresses[0]
    summary = c.summary()
    parts = [
        f"{name} on {_p(c.simulation(name, first).distress_probability.iloc[-1])}"
        for name in c.strategies
    ]
    lead, rest = parts[0].split(" on ", 1)
    out = [
        f"By {last}{_under(first)}, {lead} falls into distress on {rest} of paths "
        f"(95% intervals), " + ", ".join(parts[1:]) + "."
    ]
    out += _spread_sentence(c, first)
    others = [s for s in c.strategies if s != c.reference]
    gaps = {}
    for b in others:
        text, gaps[b] = _gap_sentence(c, summary, first, b)
        if len(others) == 1:
            out.append(text)
    if len(others) == 1:
        b = others[0]
        key = "mean terminal_dcf_value_today"
        row: Any = summary.loc[(first, key)]
        va, vb = float(row[c.reference]), float(row[b])
        richer, poorer = (c.reference, b) if va >= vb else (b, c.reference)
        out.append(
            f"{richer}'s mean discounted cash-flow value today is "
            f"{money(max(va, vb))} against {money(min(va, vb))} US$ bn for {poorer}."
        )
    for stress in c.stresses[1:]:
        probs = [
            percent(float(c.simulation(n, stress).distress_probability["probability"].iloc[-1]))
            for n in c.strategies
        ]
        sentence = f"Under {stress}: " + " against ".join(probs)
        if len(others) == 1:
            b = others[0]
            _, d = _gap_sentence(c, summary, stress, b)
            change = abs(d) - abs(gaps[b])
            if abs(change) < _SAME_POINTS:
                how = "about the same gap"
            else:
                how = f"the gap {'widens' if change > 0 else 'narrows'} to {points(d)} points"
            sentence += f"; {how}"
        out.append(sentence + ".")
    return out


def grid_headline(g: StressGrid) -> list[str]:
    """Per strategy: the baseline's risk (if in the grid), the worst stress,
    and how many stresses leave the strategy unchanged."""
    t = g.table
    out = []
    for strategy in dict.fromkeys(t.index.get_level_values("strategy")):
        rows = t.xs(strategy, level="strategy")
        worst_key: Any = rows["p_distress"].idxmax()
        worst: Any = rows.loc[worst_key]
        stress, severity = worst_key
        at = "" if severity == 1.0 else f" at severity {severity:g}"
        text = (
            f"{strategy}: distress by the horizon on "
            f"{percent(float(worst['p_distress']))} "
            f"{percent_interval(worst['p_distress_low'], worst['p_distress_high'])} "
            f"under {stress}{at}, its worst stress"
        )
        base = rows[rows.index.get_level_values("stress") == "baseline"]
        if len(base):
            b: Any = base.iloc[0]
            text += (
                f", against {percent(float(b['p_distress']))} "
                f"{percent_interval(b['p_distress_low'], b['p_distress_high'])} at baseline"
            )
        out.append(text + ".")
    return out


def race_headline(r: Race) -> list[str]:
    """The equilibria with each lab's survival, and whether it is a dilemma."""
    a, b = r.labs
    if not r.equilibria:
        out = ["No pure-strategy equilibrium: each profile leaves one lab better off by changing."]
    else:
        out = []
        for x, y in r.equilibria:
            m: Any = r.matrix.loc[(x, y)]
            out.append(
                f"Equilibrium: {a} plays {x}, {b} plays {y}; {a} survives on "
                f"{percent(float(m['survival_a']))} "
                f"{percent_interval(m['survival_a_low'], m['survival_a_high'])} of paths, "
                f"{b} on {percent(float(m['survival_b']))} "
                f"{percent_interval(m['survival_b_low'], m['survival_b_high'])}."
            )
    out.append(
        "It is the article's prisoner's dilemma: both labs would be better off prudent."
        if r.dilemma
        else "It is not a prisoner's dilemma."
    )
    return out


def projection_headline(p: Projection) -> list[str]:
    """The central path's distress or survival, first profit and funding need."""
    e = p.events
    name, last = p.scenario.name, int(p.annual.index[-1])
    under = f" under {', '.join(p.stresses)}" if p.stresses else ""
    if e.distress_year is not None:
        first = f"On the central path{under}, {name} falls into distress in {e.distress_year}"
    else:
        first = f"On the central path{under}, {name} meets its obligations to {last}"
    profit = (
        f"first operating profit in {e.first_profit_year}"
        if e.first_profit_year is not None
        else f"no operating profit by {last}"
    )
    return [
        f"{first}; {profit}.",
        f"Its peak funding need is {money(e.peak_funding_need)} US$ bn; its terminal "
        f"discounted cash-flow value today {money(e.terminal_dcf_value_today)} US$ bn.",
    ]


def _metric_value(metric: str, v: float) -> str:
    if metric == "p_distress":
        return percent(v)
    if metric == "first_profit_year":
        return f"{v:.1f}"
    return f"{money(v)} US$ bn"


def tornado_headline(t: Tornado) -> list[str]:
    """The central value, then the inputs that move the metric most."""
    label = {
        "p_distress": f"P(distress by {t.year})",
        "first_profit_year": "The mean first year of operating profit",
        "terminal_equity_value": "The mean terminal equity value",
    }.get(t.metric, t.metric)
    out = [
        f"{label} of {t.scenario.name} is {_metric_value(t.metric, t.central)} with every "
        "uncertain input at its central value."
    ]
    lo, hi = (f"{p * 100:g}th" for p in t.percentiles)
    rows: Any = t.table[t.table["swing"] > 0].head(3)
    moves = [
        f"{name} ({_metric_value(t.metric, float(r['low']))} at its {lo} percentile, "
        f"{_metric_value(t.metric, float(r['high']))} at its {hi})"
        for name, r in rows.iterrows()
    ]
    out.append(
        "It moves most with " + "; then ".join(moves) + "."
        if moves
        else "No uncertain input moves it on these paths."
    )
    return out


def one_way_headline(s: OneWaySensitivity) -> list[str]:
    """The metric as written, then the inputs whose +/-x% moves it most."""
    m = s.metric
    label = metric_label(m, s.year)
    label = label[0].upper() + label[1:]
    table = s.ranked()
    probability = s.monte_carlo and m in ("p_distress", "p_profit")
    paths = f" on {s.n_paths:,} paths" if probability else ""
    out = [
        f"{label} of {s.scenario.name} is {metric_value(m, s.central, unit=True)} "
        f"as written{paths}."
    ]
    rows: Any = table[table["swing"] > 0].head(3)
    lo, hi = f"x {1 - s.change:g}", f"x {1 + s.change:g}"
    moves = [
        f"{name} ({metric_value(m, float(r['low']))} at {lo}, "
        f"{metric_value(m, float(r['high']))} at {hi})"
        for name, r in rows.iterrows()
    ]
    out.append(
        f"Each of {len(table)} inputs moved alone by +/-{s.change * 100:g}%, it moves most with "
        + "; then ".join(moves)
        + "."
        if moves
        else f"No input moved alone by +/-{s.change * 100:g}% changes it."
    )
    return out


def headline(result: object) -> list[str]:
    """The headline sentences of a result (or of a sequence of projections).

    Parameters
    ----------
    result
        A :class:`~wager.Simulation`, :class:`~wager.Comparison`,
        :class:`~wager.StressGrid`, :class:`~wager.Race`,
        :class:`~wager.Projection`, :class:`~wager.Tornado`,
        :class:`~wager.OneWaySensitivity`, or a sequence
        of projections.

    Returns
    -------
    list of str
        Two to five sentences (one more per extra stress of a comparison,
        and one for a comparison's calibration spread).
    """
    from wager.analyses.comparison import Comparison
    from wager.analyses.one_way import OneWaySensitivity
    from wager.analyses.projection import Projection
    from wager.analyses.race import Race
    from wager.analyses.sensitivity import Tornado
    from wager.analyses.simulation import Simulation
    from wager.analyses.stress_grid import StressGrid

    if isinstance(result, OneWaySensitivity):
        return one_way_headline(result)
    if isinstance(result, Tornado):
        return tornado_headline(result)
    if isinstance(result, Comparison):
        return comparison_headline(result)
    if isinstance(result, StressGrid):
        return grid_headline(result)
    if isinstance(result, Simulation):
        return simulation_headline(result)
    if isinstance(result, Race):
        return race_headline(result)
    if isinstance(result, Projection):
        return projection_headline(result)
    if isinstance(result, Sequence) and all(isinstance(p, Projection) for p in result):
        return [s for p in result for s in projection_headline(p)[:1]]
    raise TypeError(f"no headline for a {type(result).__name__}")


def headline_text(result: object, width: int | None = None) -> str:
    """The headline as one paragraph, wrapped to ``width`` columns if given."""
    text = " ".join(headline(result))
    if width is None or width <= 0:
        return text
    import textwrap

    return textwrap.fill(text, width=width, break_on_hyphens=False)
