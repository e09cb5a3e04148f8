"""What the pictures share: the figure (and the lazy matplotlib import with
its ImportError), colours, titles, axis formats, number formats, labels and
the results a picture of simulations accepts."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeAlias

from wager.analyses.comparison import Comparison
from wager.analyses.simulation import Simulation

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    SimulationResults: TypeAlias = Simulation | Comparison | Mapping[str, Simulation]

FIGSIZE = (8.0, 4.5)

_OUTCOME_LABELS = {
    "terminal_equity_value": "terminal equity value",
    "cumulative_fcf": "cumulative free cash flow",
    "peak_funding_need": "peak funding need",
    "terminal_dcf_value": "terminal DCF value",
    "terminal_equity_value_today": "terminal equity value today",
    "terminal_dcf_value_today": "terminal DCF value today",
}
#: Two-sided normal quantile of the 95% intervals drawn from standard errors.
_Z95 = 1.959963984540054


def _figure(figsize: tuple[float, float]) -> Figure:
    """A new figure with constrained layout, or an ImportError that says what to install."""
    try:
        from matplotlib.figure import Figure
    except ImportError as err:
        raise ImportError(
            "wager's plots need matplotlib, which is not installed: pip install 'wager[plot]'"
        ) from err
    return Figure(figsize=figsize, layout="constrained")


def _colour(i: int) -> str:
    # The same strategy keeps the same colour from one figure to the next.
    return f"C{i % 10}"


def _title(*parts: str | None) -> str:
    return " — ".join(p for p in parts if p)


def _under(stress: str | None) -> str | None:
    return f"stress: {stress}" if stress else None


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    from matplotlib.ticker import PercentFormatter

    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(PercentFormatter(1.0))


def _year_axis(ax: Axes) -> None:
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def _is_probability(name: str) -> bool:
    return name.startswith("p_") or "probability" in name or "survival" in name


def _money(v: float) -> str:
    if not math.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:,.1f}"


def _number(v: float) -> str:
    """An input value, short: 3 significant digits, thousands written out."""
    if not math.isfinite(v):
        return "n/a"
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _text_colour(rgba: tuple[float, float, float, float]) -> str:
    # Relative luminance (sRGB weights): black text on light cells, white on dark.
    r, g, b, _ = rgba
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else "white"


def _simulations(
    results: SimulationResults, stress: str | None
) -> tuple[dict[str, Simulation], str | None]:
    """Name -> Simulation of the results, and the stress to name in titles."""
    if isinstance(results, Simulation):
        return {results.scenario.name: results}, stress
    if isinstance(results, Comparison):
        label = stress if stress is not None else results.stresses[0]
        return {s: results.simulation(s, label) for s in results.strategies}, label
    if isinstance(results, Mapping):
        sims = {str(k): v for k, v in results.items()}
        bad = [k for k, v in sims.items() if not isinstance(v, Simulation)]
        if bad or not sims:
            raise TypeError(
                "a mapping of results must map names to wager.Simulation, "
                + (f"not {bad}" if bad else "and not be empty")
            )
        return sims, stress
    raise TypeError(
        "expected a wager.Simulation, a wager.Comparison or a mapping name -> Simulation, "
        f"got {type(results).__name__}"
    )


_STAT_LABELS = {
    "mean": "mean {}",
    "se": "standard error of the mean {}",
    "q5": "5th percentile of {}",
    "q50": "median {}",
    "q95": "95th percentile of {}",
    "es95": "95% expected shortfall of {}",
    "es95_se": "standard error of the 95% expected shortfall of {}",
}


def _value_label(value: str, horizon: int | None) -> str:
    """A grid column's (or payoff's) name in words, with its unit."""
    by = f"by {horizon}" if horizon is not None else "by the horizon"
    for name, words in (
        ("p_distress", f"P(distress {by})"),
        ("p_profit", f"P(first operating profit {by})"),
    ):
        if value == name:
            return words
        if value in (f"{name}_low", f"{name}_high"):
            return f"{words}, {value.rsplit('_', 1)[1]} end of its 95% interval"
    if value.startswith("det_"):
        return "deterministic " + _value_label(value.removeprefix("det_"), horizon)
    if value.endswith("_year") or _is_probability(value):
        return value.replace("_", " ")
    for outcome, words in _OUTCOME_LABELS.items():
        if value == outcome:
            return f"{words}, US$ bn"
        if value.startswith(outcome + "_"):
            stat = value.removeprefix(outcome + "_")
            return f"{_STAT_LABELS.get(stat, '{} ' + stat).format(words)}, US$ bn"
    return f"{value.replace('_', ' ')}, US$ bn"
