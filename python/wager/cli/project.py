"""``wager project`` (deterministic plans side by side) and ``wager simulate``
(one strategy's Monte Carlo)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import click
import pandas as pd

from wager.analyses import defaults
from wager.analyses.projection import Projection, project
from wager.analyses.simulation import Simulation
from wager.analyses.simulation import simulate as run_simulation
from wager.cli.options import (
    EXPORT_OPTIONS,
    FORMAT_OPTION,
    SET_OPTION,
    announce_estimate,
    distinct_strategies,
    echo_answer,
    export_target,
    finite_severity,
    monte_carlo_options,
    path_count,
    refuse_repeats,
    resolve_scenario,
    resolve_scenarios,
    run_must_fit,
    terminal_width,
    write_export,
)
from wager.present.numbers import percent, significant
from wager.present.tables import KEY_METRICS, tidy
from wager.present.terminal import fit, projections_text, simulation_text, wrapped
from wager.scenario.overrides import Assignment

__all__ = ["project_cmd", "simulate"]


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _to_json(projections: Sequence[Projection]) -> str:
    doc = {
        "units": "US$ bn",
        "strategies": [
            {
                "name": p.scenario.name,
                "annual": {
                    str(year): {k: _clean(v) for k, v in row.items()}
                    for year, row in p.annual.to_dict(orient="index").items()
                },
                "events": p.events.to_dict(),
                **_gaps_json(p),
            }
            for p in projections
        ],
    }
    return json.dumps(doc, indent=2, default=_json_default)


def _gaps_json(p: Projection) -> dict[str, Any]:
    """A projection's plan against actual, as JSON rows; nothing without actuals."""
    if p.plan_vs_actual is None:
        return {}
    rows = p.plan_vs_actual.reset_index().to_dict(orient="records")
    return {"plan_vs_actual": [{k: _clean(v) for k, v in row.items()} for row in rows]}


def _gaps_text(projections: Sequence[Projection], width: int) -> str:
    """Each projection's plan against actual (docs/scenarios.md, "Reported
    actuals"); empty when none has actuals."""
    out = ""
    for p in projections:
        if p.plan_vs_actual is None:
            continue
        table = p.plan_vs_actual.drop(columns="source").map(_cell)
        start = p.scenario.time.start_year
        note = (
            f"{p.scenario.name}: plan against actual (US$ bn; margins as fractions); "
            f"the projection above starts from the end of {start - 1}"
        )
        sources = dict.fromkeys(s for s in p.plan_vs_actual["source"] if s)
        cited = "".join(f"\n{wrapped(f'Source: {s}', width)}" for s in sources)
        out += f"\n{wrapped(note, width)}\n{fit(table, width)}{cited}\n"
    return out


def _distress_text(r: Simulation, width: int) -> str:
    """P(distress), P(reorganised), P(liquidated), P(wiped out) by the
    horizon and the recoveries by claim class (docs/model.md §27)."""
    last = r.resolution.iloc[-1]
    horizon = r.resolution.index[-1]
    shares = ", ".join(
        f"{label} {percent(float(last[key]))}"
        for key, label in (
            ("distress", "distress"),
            ("reorganised", "reorganised"),
            ("liquidated", "liquidated"),
            ("wiped_out", "equity wiped out"),
        )
    )
    text = "\n" + wrapped(f"Distress and its resolution by {horizon}: {shares}", width)
    rec = r.recoveries
    if int(rec["paths"].iloc[0]) == 0:
        return text + "\n"
    table = fit(rec.drop(columns="paths").map(_cell), width)
    paths = int(rec["paths"].iloc[0])
    note = (
        f"Claims and recoveries over the {paths:,} distressed paths (mean a path, US$ bn; "
        "recovery rate = total paid / total claimed)"
    )
    text += f"\n{wrapped(note, width)}\n{table}\n"
    by = r.claimants
    if by.empty:
        return text
    # The largest claims first; the kind and class are in the exports.
    by = by.sort_values("claim", ascending=False)[["claim", "recovered", "recovery_rate"]]
    by.index = pd.Index([name for _, name in by.index], name="claimant")
    shown = fit(by.head(10).map(_cell), width)
    more = f"\n({len(by) - 10} more in the exports)" if len(by) > 10 else ""
    return f"{text}\nBy claimant (mean a distressed path)\n{shown}{more}\n"


def _cell(value: Any) -> str:
    return significant(value) if isinstance(value, float) else str(value)


def _emit(projections: Sequence[Projection], fmt: str, metrics: Sequence[str]) -> None:
    if fmt == "json":
        click.echo(_to_json(projections))
    elif fmt == "csv":
        click.echo(tidy(projections, metrics).to_csv(index=False), nl=False)
    else:
        echo_answer(projections_text(projections, metrics, terminal_width()))
        gaps = _gaps_text(projections, terminal_width())
        if gaps:
            click.echo(gaps)


@click.command(name="project")
@click.argument("scenarios", nargs=-1)
@FORMAT_OPTION
@click.option(
    "--all-columns", is_flag=True, help="Show every annual column, not just the key ones."
)
@click.option("--stress", "stress_name", default=None, help="Apply a named stress.")
@click.option(
    "--severity",
    default=1.0,
    show_default=True,
    type=click.FloatRange(0),
    callback=finite_severity,
    help="Its severity.",
)
@SET_OPTION
def project_cmd(
    scenarios: tuple[str, ...],
    fmt: str,
    all_columns: bool,
    stress_name: str | None,
    severity: float,
    assignments: tuple[Assignment, ...],
) -> None:
    """Project strategies deterministically, side by side (default: the two presets).

    SCENARIOS are scenario files (TOML, JSON, YAML) or preset names.

    \b
    Examples:
      wager project
      wager project compute_first --all-columns --format csv
      wager project mine.toml compute_first --stress funding_freeze --format json
      wager project compute_first --set financing.initial_cash=60
    """
    specs = list(scenarios) or list(defaults.PRESETS)
    refuse_repeats(specs, "SCENARIOS", "the strategy")
    loaded = resolve_scenarios(specs, assignments)
    distinct_strategies(loaded)
    projections = [project(sc, stress=stress_name, severity=severity) for sc in loaded]
    metrics: list[str] = list(KEY_METRICS)
    if all_columns:
        metrics = list(projections[0].annual.columns)
    elif len(projections) == 1:
        metrics = [*KEY_METRICS, "utilisation", "dilution", "debt"]
    _emit(projections, fmt, metrics)


@click.command(name="simulate")
@click.argument("scenario")
@monte_carlo_options(f"{defaults.PATHS}", "Number of paths")
@EXPORT_OPTIONS
@SET_OPTION
def simulate(
    scenario: str,
    paths: str,
    seed: int,
    threads: int | None,
    fmt: str,
    out: str | None,
    assignments: tuple[Assignment, ...],
) -> None:
    """Monte Carlo of one strategy (a scenario file or a preset name).

    Prints, per year, P(distress by year) and P(first profit by year) with 95%
    intervals and mean cash with its standard error, then VaR and Expected
    Shortfall of cumulative free cash flow and terminal equity value.

    \b
    Examples:
      wager simulate compute_first --paths 1e6 --seed 7
      wager simulate mine.toml --format json
      wager simulate compute_first --format xlsx --out compute_first.xlsx
    """
    n_paths = path_count(paths)
    target = export_target(fmt, out)
    sc = resolve_scenario(scenario, assignments)
    announce_estimate([sc], n_paths, cells_per_scenario=1, threads=threads)
    with run_must_fit("'--paths' / '--threads'"):
        r = run_simulation(sc, n_paths=n_paths, seed=seed, n_threads=threads)
    if target is not None:
        write_export(r, fmt, target)
        return
    curves = pd.concat(
        {
            "P(distress by year)": r.distress_probability,
            "P(first profit by year)": r.profit_probability,
            "cash": r.annual.loc["cash", ["mean", "se", "q5", "q50", "q95"]],
        },
        axis=1,
    )
    if fmt == "json":
        doc = {
            "strategy": r.scenario.name,
            "n_paths": r.n_paths,
            "seed": r.seed,
            "by_year": json.loads(
                curves.set_axis([".".join(map(str, c)) for c in curves.columns], axis=1).to_json(
                    orient="index"
                )
            ),
            "risk": json.loads(r.risk.reset_index().to_json(orient="records")),
        }
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(curves.to_csv(), nl=False)
    else:
        echo_answer(simulation_text(r, terminal_width()))
        click.echo(_distress_text(r, terminal_width()))
