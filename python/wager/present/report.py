"""One self-contained HTML report of a result: the findings first (the
headline sentences, the figure that carries them and the key numbers, in
the formats of :mod:`wager.present.numbers`), then the detail tables and
pictures (embedded SVG), a technical appendix, the stresses' narratives,
the scenarios and the run manifest. It loads nothing from the network."""

from __future__ import annotations

import base64
import io
import json
import os
from dataclasses import dataclass, field
from html import escape
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
import pandas as pd

from wager import stresses as library
from wager._version import __version__
from wager.analyses.calibration_spread import AS_GIVEN, CalibrationSpread
from wager.analyses.comparison import Comparison
from wager.analyses.exposure_view import ExposureResult
from wager.analyses.one_way import OneWaySensitivity
from wager.analyses.projection import Projection
from wager.analyses.race import Race
from wager.analyses.reverse_stress import ReverseStress
from wager.analyses.sensitivity import SobolIndices, Tornado
from wager.analyses.simulation import Simulation
from wager.analyses.stress_grid import StressGrid
from wager.present import plotting
from wager.present.exposure_text import exposure_headline
from wager.present.headline import headline
from wager.present.numbers import money, percent, percent_interval, significant
from wager.present.one_way_labels import metric_label
from wager.present.plotting.calibration_spread_chart import calibration_spread
from wager.results.export import atomic_path
from wager.results.manifest import canonical_scenario, scenario_sha256
from wager.scenario.schema import Scenario
from wager.scenario.stress_schema import Stress

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["render_report", "summary_html", "write_report"]


@dataclass
class _Figure:
    caption: str
    data: str  # base64 of the SVG document
    mime: str = "image/svg+xml"


@dataclass
class _Table:
    html: str
    caption: str = ""


@dataclass
class _Section:
    id: str
    title: str
    text: str = ""
    findings: list[str] = field(default_factory=list)
    figures_first: bool = False
    tables: list[_Table] = field(default_factory=list)
    figures: list[_Figure] = field(default_factory=list)


def _svg(fig: Figure, caption: str) -> _Figure:
    """The figure as SVG, so it stays sharp at any zoom: text stays text,
    and ids are fixed so the same result gives the same file."""
    import matplotlib

    buf = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "wager"}):
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    fig.clear()
    return _Figure(caption, base64.b64encode(buf.getvalue()).decode("ascii"))


def _table(frame: pd.DataFrame, caption: str = "", digits: int = 4) -> _Table:
    def fmt(v: Any) -> str:
        if isinstance(v, float):
            if v != v:  # NaN
                return ""
            return significant(v, digits)
        return str(v)

    html = frame.to_html(formatters=None, float_format=None, na_rep="", border=0, escape=True)
    html = frame.map(fmt).to_html(border=0, escape=True) if len(frame) else html
    return _Table(html, caption)


def _stress_names(labels: list[str]) -> list[str]:
    out: list[str] = []
    for label in labels:
        for name in label.split("+"):
            if name and name not in out and name not in ("none", "<stress>"):
                out.append(name)
    return out


def _definitions(name: str, scenarios: list[Scenario]) -> list[tuple[Stress, str]]:
    """Where the stress ``name`` that ran is defined, with a note saying so.

    A stress is looked up per strategy (its scenario's own stresses, then the
    library's: :func:`wager.compile.shocks.lookup`), so each distinct definition
    is shown once, naming the strategies that ran it; none if the name is
    nowhere (an unnamed or a Python-built stress).
    """
    found: list[tuple[Stress, list[str]]] = []
    library_users: list[str] = []
    for sc in scenarios:
        if name not in sc.stresses:
            library_users.append(sc.name)
            continue
        own = sc.stresses[name]
        for stress, users in found:
            if stress == own:
                users.append(sc.name)
                break
        else:
            found.append((own, [sc.name]))
    out = [(stress, f"own stress of {', '.join(users)}") for stress, users in found]
    if library_users and name in library.names():
        note = "library" if not found else f"library, for {', '.join(library_users)}"
        out.append((library.load(name), note))
    return out


def _stresses(labels: list[str], scenarios: list[Scenario]) -> list[dict[str, Any]]:
    out = []
    for name in _stress_names(labels):
        for s, where in _definitions(name, scenarios):
            out.append(_stress_entry(name, s, where))
    return out


def _stress_entry(name: str, s: Stress, where: str) -> dict[str, Any]:
    shocks = []
    for k in s.shocks:
        if k.trigger is not None:
            after = f", from {k.trigger.after}" if k.trigger.after else ""
            what = k.trigger.regime or f"{k.trigger.distress} is in distress"
            start = f"when {what}{after}"
        else:
            start = f"from {k.start}" if k.start else "from the first year"
        lasts = f", {k.duration:g} yr" if k.duration else ", to the horizon"
        shocks.append(
            {
                "target": k.target,
                "op": k.op,
                "value": k.value,
                "timing": start + lasts,
                "shape": k.shape,
            }
        )
    if s.includes:
        shocks.insert(
            0,
            {
                "target": "includes",
                "op": "",
                "value": ", ".join(s.includes),
                "timing": "",
                "shape": "",
            },
        )
    return {
        # Where it is defined, beside its name: a scenario's own stress is never
        # shown under the library's narrative, nor one strategy's under another's.
        "name": f"{name} ({where})",
        "title": s.title,
        "narrative": s.narrative,
        "analogue": s.analogue,
        "source": s.source,
        "shocks": shocks,
    }


def _key_numbers(sim: Simulation) -> dict[str, str]:
    """One strategy's key numbers by the horizon, formatted for reading."""
    dp = sim.distress_probability.iloc[-1]
    res = sim.resolution.iloc[-1]
    pp = sim.profit_probability.iloc[-1]
    mean = sim.outcomes["mean"]
    return {
        "P(distress)": percent(float(dp["probability"])),
        "95% interval": percent_interval(dp["low"], dp["high"]),
        "P(reorganised)": percent(float(res["reorganised"])),
        "P(liquidated)": percent(float(res["liquidated"])),
        "P(first operating profit)": percent(float(pp["probability"])),
        "mean DCF value today, US$ bn": money(float(mean["terminal_dcf_value_today"])),
        "mean peak funding need, US$ bn": money(float(mean["peak_funding_need"])),
    }


def _key_table(sims: dict[tuple[str, str], Simulation], last: int) -> _Table:
    frame = pd.DataFrame.from_dict({k: _key_numbers(v) for k, v in sims.items()}, orient="index")
    frame.index = pd.MultiIndex.from_tuples(list(sims), names=["stress", "strategy"])
    return _Table(frame.to_html(border=0), f"Key numbers by {last} (95% interval of P(distress))")


def _findings(
    result: Simulation | Comparison | StressGrid | Tornado | OneWaySensitivity,
) -> _Section:
    """The report's first screen: the headline, the figure that carries it,
    the key numbers."""
    section = _Section(
        id="findings", title="Findings", findings=headline(result), figures_first=True
    )
    if isinstance(result, Comparison):
        last = result.years[-1]
        sims = {(s, n): result.simulation(n, s) for s in result.stresses for n in result.strategies}
        if len(result.stresses) > 1:
            fig = plotting.distress_by_stress(result)
            caption = f"P(distress by {last}) per stress, each strategy on the same paths"
        else:
            fig = plotting.survival(result)
            caption = f"P(no distress by year) under {result.stresses[0]}"
        section.figures.append(_svg(fig, caption))
        section.tables.append(_key_table(sims, last))
    elif isinstance(result, Simulation):
        last = int(result.distress_probability.index[-1])
        label = result.stress or "no stress"
        section.figures.append(
            _svg(
                plotting.survival(result, stress=result.stress),
                f"P(no distress by year) under {label}",
            )
        )
        section.tables.append(_key_table({(label, result.scenario.name): result}, last))
    elif isinstance(result, OneWaySensitivity):
        section.figures.append(
            _svg(
                plotting.one_way_tornado(result),
                f"Each input alone at x {1 - result.change:g} and x {1 + result.change:g}: "
                f"{metric_label(result.metric, result.year, unit=True)}",
            )
        )
        section.tables.append(
            _table(
                result.ranked(),
                "Each input's ends, changes and swing, with standard errors from the paired paths",
            )
        )
    elif isinstance(result, Tornado):
        section.figures.append(
            _svg(
                plotting.tornado(result),
                "Each uncertain input alone at its low and high percentile",
            )
        )
        section.tables.append(_table(result.table, "Swing of each input, with standard errors"))
    else:
        severity = 1.0 if 1.0 in {k[2] for k in result.cells} else result.cells[0][2]
        section.figures.append(
            _svg(
                plotting.stress_heatmap(result, severity=severity),
                f"P(distress by the horizon), severity {severity:g}",
            )
        )
    return section


def _rates_by_year(t: pd.DataFrame) -> pd.DataFrame:
    """``Simulation.recoveries_by_year`` as one row a year: each class's
    recovery rate, then the distressed paths of that year; years without any
    left out."""
    rates = t["recovery_rate"].unstack("class")[list(t.index.unique("class"))]
    rates["paths"] = t["paths"].groupby(level="year").first()
    return rates[rates["paths"] > 0]


def _simulation_sections(sims: dict[str, Simulation], label: str) -> list[_Section]:
    key = label.replace("+", "_")
    first = next(iter(sims.values()))
    last = first.scenario.time.horizon
    curves = pd.DataFrame(
        {
            (name, col): s.distress_probability[col]
            for name, s in sims.items()
            for col in ("probability", "low", "high")
        }
    )
    risk = pd.concat({name: s.risk for name, s in sims.items()}, names=["strategy"])
    outcomes = pd.concat({name: s.outcomes for name, s in sims.items()}, names=["strategy"])
    # docs/model.md §27: how distress was resolved, and who recovered what.
    events = ["distress", "reorganised", "liquidated", "wiped_out"]
    resolution = pd.DataFrame({name: s.resolution[events].iloc[-1] for name, s in sims.items()}).T
    resolution.index.name = "strategy"
    recoveries = pd.concat({name: s.recoveries for name, s in sims.items()}, names=["strategy"])
    by_year = pd.concat(
        {name: _rates_by_year(s.recoveries_by_year) for name, s in sims.items()},
        names=["strategy"],
    )
    claimants = pd.concat(
        {name: s.claimants.drop(columns="paths") for name, s in sims.items()}, names=["strategy"]
    )
    return [
        _Section(
            id=f"paths-{key}",
            title=f"Paths under {label}",
            text=f"{first.n_paths:,} paths, seed {first.seed}; money in US$ bn.",
            tables=[
                _Table(
                    curves.to_html(float_format=lambda v: f"{v:.4f}", border=0),
                    "P(distress by year), 95% interval (docs/model.md §27)",
                ),
                _table(outcomes, "Per-path outcomes: mean, standard error, quantiles"),
                _table(
                    risk, "Value-at-Risk and Expected Shortfall (lower tail), with standard errors"
                ),
                _table(
                    resolution,
                    f"Distress and its resolution by {last}: P(distress), P(reorganised), "
                    "P(liquidated), P(equity wiped out)",
                ),
                _table(
                    recoveries,
                    "Claims and recoveries over the distressed paths: mean claim and payment "
                    "a path, recovery rate (total paid / total claimed) and its standard error",
                ),
                _table(
                    by_year,
                    "Recovery rate by claim class and the year the distress began (its "
                    "claims valued then), over that year's distressed paths (years "
                    "without any left out)",
                ),
                _table(
                    claimants,
                    "Claims and recoveries by claimant over the distressed paths: the "
                    "facility's and the term debt's lenders and each supplier whose "
                    "contracts are rejected",
                ),
            ],
            figures=[
                _svg(
                    plotting.fan_chart(sims, "cash"),
                    f"Cash at year end under {label}: median and bands",
                ),
                _svg(
                    plotting.fan_chart(sims, "operating_income"),
                    f"Operating income under {label}: median and bands",
                ),
                _svg(plotting.survival(sims), f"P(no distress by year) under {label}, to {last}"),
                _svg(
                    plotting.first_profit_years(sims),
                    f"First year of operating profit under {label}",
                ),
                _svg(
                    plotting.outcome_ecdf(sims),
                    f"Distribution of the terminal DCF value today under {label}, every path "
                    "(a path in distress is worth 0)",
                ),
            ],
        )
    ]


def _plain_dominance(frame: pd.DataFrame, a: str) -> pd.DataFrame:
    """The dominance test's columns in words."""
    names = {"critical value": "margin allowed (5% test)"}
    for b in frame.index:
        names[f"max(F_{b} - F_{a})"] = f"largest share of paths where {b} is further behind"
        names[f"max(F_{a} - F_{b})"] = f"largest share of paths where {a} is further behind"
        names[f"{b} dominates {a}"] = f"{b} ahead at every level"
        names[f"{a} dominates {b}"] = f"{a} ahead at every level"
    return frame.rename(columns=names)


def _comparison_sections(c: Comparison) -> list[_Section]:
    # A row with nothing to show (a claim class no strategy had a claim in)
    # is left out, as the terminal table leaves it out.
    summary = c.summary().dropna(how="all")
    words = {" - ": " minus ", " low": ", 95% low", " high": ", 95% high"}
    columns = [str(col) for col in summary.columns]
    for old, new in words.items():
        columns = [col.replace(old, new) for col in columns]
    summary.columns = pd.Index(columns)
    sections = [
        _Section(
            id="summary",
            title="Side by side",
            text=(
                f"Every strategy on the same {c.n_paths:,} paths (seed {c.seed}); each "
                f"difference is against {c.reference}, with its 95% interval from the paired "
                "paths. Money in US$ bn."
            ),
            tables=[_table(summary, "Every metric, each strategy and the difference")],
        )
    ]
    if c.calibration_spread is not None:
        sections.append(_spread_section(c.calibration_spread))
    for stress in c.stresses:
        sims = {name: c.simulation(name, stress) for name in c.strategies}
        sections += _simulation_sections(sims, stress)
    if len(c.strategies) == 2:  # the exposure view pairs two bets
        sections += [
            _exposure_section(ExposureResult.from_comparison(c, stress), profiles=False)
            for stress in c.stresses
        ]
    sections.append(
        _Section(
            id="appendix",
            title="Technical appendix",
            text=(
                "Is one strategy's terminal equity value ahead of the other's at every level "
                "(first-order stochastic dominance)? For each pair, the largest gap between "
                "the two distribution functions, against the one-sided Kolmogorov-Smirnov "
                "margin at 5%. The paths are paired, so the margin is a guide, not an exact test."
            ),
            tables=[
                _table(_plain_dominance(c.dominance(s), c.reference), f"Under {s}")
                for s in c.stresses
            ],
        )
    )
    return sections


def _spread_section(spread: CalibrationSpread) -> _Section:
    """How far the answer moves across the calibration's evidence: the range
    per strategy and metric, then every run's numbers with their intervals."""
    ranges = spread.ranges()
    summary = pd.DataFrame(
        {
            AS_GIVEN: [
                f"{percent(float(r[AS_GIVEN]))} {percent_interval(r['low'], r['high'])}"
                for _, r in ranges.iterrows()
            ],
            "range across the calibration": [
                f"{percent(float(r['min']))} to {percent(float(r['max']))}"
                for _, r in ranges.iterrows()
            ],
            "lowest at": ranges["min at"],
            "highest at": ranges["max at"],
        },
        index=ranges.index,
    )
    tables = [_Table(summary.to_html(border=0), "The answer and its range across the calibration")]
    for stress in spread.stresses:
        for strategy in spread.strategies:
            runs = spread.runs(stress, strategy)
            cells = pd.DataFrame(
                {
                    m: [
                        f"{percent(float(r[m]))} {percent_interval(r[f'{m} low'], r[f'{m} high'])}"
                        for _, r in runs.iterrows()
                    ]
                    for m in spread.metrics
                },
                index=runs.index,
            )
            tables.append(_Table(cells.to_html(border=0), f"{strategy} under {stress}, run by run"))
    variants = "; ".join(v.name for v in spread.variants)
    return _Section(
        id="calibration-spread",
        title="Calibration spread",
        text=(
            f"The comparison run {spread.n_runs} times on the same {spread.n_paths:,} paths "
            f"(seed {spread.seed}): as given, then with one calibration input of the shared "
            "market at an end of its evidence, the others as given (docs/calibration.md, "
            f"Bounds): {variants}. An episode set replaces the transition matrix by the one "
            "its count of busts gives. This is how far the answer moves across the "
            "evidence's range of each input, not a confidence interval: nothing says the "
            "truth lies inside it, nor how likely each end is. Each run's own Monte Carlo "
            "error is its 95% interval, in brackets; P(profit): a first operating profit."
        ),
        tables=tables,
        figures_first=True,
        figures=[
            _svg(
                calibration_spread(spread, stress=stress),
                f"P(distress by {spread.years[-1]}) under {stress}, run by run, with 95% "
                "intervals; the line is the run as given, the band the range",
            )
            for stress in spread.stresses
        ],
    )


def _grid_sections(g: StressGrid) -> list[_Section]:
    severities = sorted({k[2] for k in g.cells})
    figures = [
        _svg(plotting.stress_heatmap(g, severity=s), f"P(distress by the horizon), severity {s:g}")
        for s in severities
    ]
    figures += [
        _svg(
            plotting.stress_heatmap(g, severity=s, value="terminal_equity_value_mean"),
            f"Mean terminal equity value, severity {s:g}",
        )
        for s in severities
    ]
    return [
        _Section(
            id="grid",
            title="Stress grid",
            text=(
                f"{g.n_paths:,} paths per cell, seed {g.seed}, the same paths in every cell; "
                "money in US$ bn."
            ),
            tables=[_table(g.table, "Every strategy x stress x severity")],
            figures=figures,
        )
    ]


def _one_way_section(s: OneWaySensitivity) -> _Section:
    """Every metric of a one-way sensitivity: the whole tidy table."""
    return _Section(
        id="one-way",
        title="Every metric",
        text=(
            f"Each input moved alone to x {1 - s.change:g} and x {1 + s.change:g} of its value "
            f"over the whole horizon, every metric read in {s.year}; money in US$ bn. "
            "Monte Carlo metrics carry standard errors (the changes' from the paired paths); "
            "deterministic ones (det_) are the central projection's."
        ),
        tables=[_table(s.table, "Every input and metric")],
    )


#: The per-supplier columns of the exposure section, with their headings.
_EXPOSURE_COLUMNS = {
    "ead": "EAD",
    "el": "EL",
    "el_discounted": "EL discounted",
    "loss_q99": "loss q99",
    "el_of_revenue": "EL / revenue",
    "loss_q99_of_revenue": "loss q99 / revenue",
    "el_of_equity_value": "EL / equity value",
    "loss_q99_of_equity_value": "loss q99 / equity value",
}


#: The columns of the lenders' table (ExposureResult.lenders).
_LENDER_COLUMNS = {
    "ee_peak": "EE peak",
    "pfe99_peak": "PFE99 peak",
    "ead": "EAD",
    "el": "EL",
    "el_discounted": "EL discounted",
    "loss_q99": "loss q99",
}
#: The columns of the investors' table (ExposureResult.investors).
_INVESTOR_COLUMNS = {
    "invested": "paid",
    "stake": "stake",
    "value": "value",
    "multiple": "x paid",
    "multiple_dcf": "x paid (DCF)",
    "el": "EL",
    "el_dcf": "EL (DCF)",
    "p_loss": "P(loss)",
    "loss_q99": "loss q99",
}
#: The columns of the joint view's table (ExposureResult.combined_loss).
_JOINT_COLUMNS = {
    "el": "EL both",
    "loss_q99": "loss q99",
    "es99": "ES99",
    "es99_se": "ES99 s.e.",
    "p_both_lose": "P(both lose)",
    "loss_correlation": "loss correlation",
}


def _exposure_section(r: ExposureResult, *, profiles: bool = True) -> _Section:
    """Who carries the risk (docs/exposure.md): the headline, the loss
    concentration chart, each bet's suppliers' loss with shares of their
    size, the concentration table, the joint distress and the sizes' sources."""
    key = r.stress.replace("+", "_")
    section = _Section(
        id=f"exposure-{key}",
        title=f"Who is exposed, under {r.stress}",
        findings=[exposure_headline(r)],
        text=(
            "Each supplier's exposure at default (EAD: its mean claim over the paths in "
            "distress), its expected loss over every path (EL: claim less recovery; "
            "discounted to the start), the 99% quantile of its loss, and EL and the "
            "quantile as shares of the supplier's revenue and equity value where the "
            "scenario gives them; with two bets, each supplier's loss on both on the same "
            "path (its 99% quantile and expected shortfall, how often both leave it a "
            "loss); each lender's exposure (the facility drawn, the term debt owed) and "
            "loss; each committed investor's stake at the horizon after dilution, its "
            "value by the multiple and by DCF, and its loss (docs/exposure.md). Money in "
            "US$ bn."
        ),
        figures_first=True,
    )
    section.figures.append(
        _svg(plotting.loss_concentration(r), f"Who carries the expected loss, under {r.stress}")
    )
    if profiles:
        section.figures.append(
            _svg(
                plotting.exposure_profiles(r),
                "Each supplier's expected exposure at the year's end (solid) and PFE95 (dashed)",
            )
        )
    for strategy in r.strategies:
        _, loss = r.of(strategy)
        if len(loss):
            shown = loss[list(_EXPOSURE_COLUMNS)].rename(columns=_EXPOSURE_COLUMNS)
            section.tables.append(_table(shown, f"{strategy}: its suppliers' loss at its distress"))
        for frame, columns, caption in (
            (r.lenders, _LENDER_COLUMNS, "its lenders' loss at its distress"),
            (r.investors, _INVESTOR_COLUMNS, f"its committed investors' stakes at {r.years[-1]}"),
        ):
            rows = frame[frame.index.get_level_values("strategy") == strategy]
            if len(rows):
                shown = rows.droplevel("strategy")[list(columns)].rename(columns=columns)
                section.tables.append(_table(shown, f"{strategy}: {caption}"))
    section.tables.append(
        _table(r.concentration, "Each supplier's share of the total expected loss")
    )
    if len(r.strategies) > 1:
        section.tables.append(
            _table(
                r.joint_distress,
                f"Distress by {r.years[-1]} on the same paths (A = {r.strategies[0]}, "
                f"B = {r.strategies[1]})",
            )
        )
        joint = r.combined_loss[list(_JOINT_COLUMNS)].rename(columns=_JOINT_COLUMNS)
        section.tables.append(_table(joint, "Each supplier's loss on both bets on the same path"))
        if r.combined_loss["shared"].astype(bool).any():
            section.figures.append(
                _svg(plotting.joint_losses(r), "Losses of a supplier of both bets, path by path")
            )
    if len(r.sizes):
        sizes = r.sizes
        section.tables.append(_table(sizes.drop(columns="source"), "The counterparties' sizes"))
        # The sources as text, which wraps (a table's cells do not).
        sources = sizes["source"].groupby(level="counterparty", sort=False).first()
        section.text += " Sources of the sizes: " + "; ".join(
            f"{name}: {source}" for name, source in sources.items()
        )
    return section


def render_report(
    result: Simulation | Comparison | StressGrid | Tornado | OneWaySensitivity | ExposureResult,
    title: str | None = None,
) -> str:
    """The report of ``result`` as one HTML document (a string)."""
    if isinstance(result, Comparison):
        sections = [_findings(result), *_comparison_sections(result)]
        scenarios = list(result.scenarios)
        labels = list(result.stresses)
        lead = (
            f"{' vs '.join(result.strategies)} under {', '.join(result.stresses)}; "
            f"{result.n_paths:,} paths, seed {result.seed}."
        )
    elif isinstance(result, ExposureResult):
        sections = [_exposure_section(result)]
        scenarios = list(result.scenarios)
        labels = [result.stress]
        lead = (
            f"{' and '.join(result.strategies)} under {result.stress}; "
            f"{result.n_paths:,} paths, seed {result.seed}."
        )
    elif isinstance(result, StressGrid):
        sections = [_findings(result), *_grid_sections(result)]
        scenarios = list(result.scenarios)
        labels = list(result.stresses)
        lead = f"{', '.join(s.name for s in scenarios)} under {len(labels)} stresses."
    elif isinstance(result, OneWaySensitivity):
        sections = [_findings(result), _one_way_section(result)]
        scenarios = [result.scenario]
        labels = []
        runs = (
            f"{result.n_paths:,} paths per move, seed {result.seed}"
            if result.monte_carlo
            else "projections only"
        )
        lead = (
            f"{result.scenario.name} under each input moved alone by "
            f"+/-{result.change * 100:g}%; {runs}."
        )
    elif isinstance(result, Tornado):
        sections = [_findings(result)]
        scenarios = [result.scenario]
        labels = []
        lead = (
            f"{result.scenario.name} under its uncertain inputs; "
            f"{result.n_paths:,} paths per run, seed {result.seed}."
        )
    elif isinstance(result, Simulation):
        label = result.stress or "no stress"
        sections = [
            _findings(result),
            *_simulation_sections({result.scenario.name: result}, label),
        ]
        scenarios = [result.scenario]
        labels = [result.stress] if result.stress else []
        lead = (
            f"{result.scenario.name} under {label}; {result.n_paths:,} paths, seed {result.seed}."
        )
    else:
        raise TypeError(f"no report for a {type(result).__name__}")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(
        resources.files(__package__)
        .joinpath("templates", "report.html.j2")
        .read_text(encoding="utf-8")
    )
    return template.render(
        title=title or f"wager report: {lead.split(' under ')[0]}",
        lead=lead,
        sections=sections,
        stresses=_stresses(labels, scenarios),
        scenarios=[
            {
                "name": s.name,
                "sha256": scenario_sha256(s),
                "text": json.dumps(json.loads(canonical_scenario(s)), indent=2),
            }
            for s in scenarios
        ],
        manifest=json.dumps(result.manifest(), indent=2, sort_keys=True),
        version=__version__,
    )


def write_report(
    result: Simulation | Comparison | StressGrid | Tornado | OneWaySensitivity | ExposureResult,
    path: str | os.PathLike[str],
    title: str | None = None,
) -> Path:
    """Write :func:`render_report` to ``path`` (atomically)."""
    html = render_report(result, title)
    with atomic_path(path) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return Path(path)


def summary_html(result: Any) -> str:
    """The compact summary a notebook shows (``_repr_html_``): the headline
    (where the result has one), then the key table."""
    try:
        sentences = headline(result)
    except TypeError:  # Sobol indices and reverse stress tests have none
        sentences = []
    lead = "".join(f"<p>{escape(s)}</p>" for s in sentences)
    return lead + _summary_table_html(result)


def _summary_table_html(result: Any) -> str:
    if isinstance(result, Race):
        a, b = result.labs
        head = f"<p><b>wager race</b>: {escape(a)} (A) vs {escape(b)} (B)</p>"
        return head + _table(result.matrix).html
    if isinstance(result, SobolIndices):
        head = f"<p><b>wager Sobol indices</b>: {escape(result.metric)}</p>"
        return head + _table(result.table).html
    if isinstance(result, ReverseStress):
        at = f"severity {result.severity:.4g}" if result.found else "not found"
        head = (
            f"<p><b>wager reverse stress test</b>: {escape(result.metric)} crossing "
            f"{result.threshold:g} by {result.year}: {at}</p>"
        )
        return head + _table(result.evaluations).html
    if isinstance(result, Projection):
        head = f"<p><b>wager projection</b>: {escape(result.scenario.name)}; US$ bn</p>"
        return head + _table(result.annual.T).html
    if isinstance(result, OneWaySensitivity):
        head = (
            f"<p><b>wager sensitivity</b>: {escape(result.scenario.name)}, "
            f"+/-{result.change * 100:g}%, {escape(result.metric)}</p>"
        )
        return head + _table(result.ranked()).html
    if isinstance(result, Tornado):
        head = f"<p><b>wager tornado</b>: {result.scenario.name}, {result.metric}</p>"
        return head + _table(result.table).html
    if isinstance(result, ExposureResult):
        head = (
            f"<p><b>wager exposure</b>: {escape(' and '.join(result.strategies))} under "
            f"{escape(result.stress)}; {result.n_paths:,} paths</p>"
        )
        return (
            f"<p>{escape(exposure_headline(result))}</p>" + head + _table(result.concentration).html
        )
    if isinstance(result, Comparison):
        names = ", ".join(result.strategies)
        head = f"<p><b>wager comparison</b>: {names}; {result.n_paths:,} paths</p>"
        return head + _table(result.summary().dropna(how="all")).html
    if isinstance(result, StressGrid):
        cols = ["p_distress", "p_distress_low", "p_distress_high", "terminal_equity_value_mean"]
        n_cells = len(result.cells)
        head = f"<p><b>wager stress grid</b>: {n_cells} cells; {result.n_paths:,} paths each</p>"
        return head + _table(result.table[cols]).html
    p = result.distress_probability
    under = f" under {result.stress}" if result.stress else ""
    head = (
        f"<p><b>wager simulation</b>: {result.scenario.name}{under}; "
        f"{result.n_paths:,} paths, seed {result.seed}</p>"
    )
    return head + _table(pd.concat({"P(distress by year)": p}, axis=1)).html
