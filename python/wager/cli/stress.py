"""``wager stresses`` (the library) and ``wager stress`` (a grid)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wager import presets
from wager import stresses as library
from wager.analyses import defaults
from wager.analyses.stress_grid import MAX_GRID_CELLS
from wager.analyses.stress_grid import stress as run_grid
from wager.cli.options import (
    EXPORT_OPTIONS,
    SET_OPTION,
    announce_estimate,
    distinct_strategies,
    echo_answer,
    export_target,
    finite_severity,
    monte_carlo_options,
    path_count,
    plots_options,
    refuse_repeats,
    resolve_scenarios,
    run_must_fit,
    terminal_width,
    writable_folder,
    write_export,
)
from wager.present.terminal import grid_text, wrapped
from wager.scenario.overrides import Assignment

__all__ = ["stress_cmd", "stresses_cmd"]

#: Paths per cell of the check that a stress changes something on the presets.
_EFFECT_PATHS = 2_000


def _without_effect(names: list[str]) -> dict[str, list[str]]:
    """Per stress, the presets whose results it leaves exactly as the baseline's."""
    scenarios = [presets.load(n) for n in presets.names()]
    others = [n for n in library.one_bet_names() if n in names and n != "baseline"]
    grid = run_grid(scenarios, ["baseline", *others], n_paths=_EFFECT_PATHS, seed=0, progress=False)
    return {name: [sc.name for sc in scenarios if grid.unchanged(sc.name, name)] for name in others}


@click.command(name="stresses")
@click.option("--verbose", "-v", is_flag=True, help="Also print each stress's shocks.")
def stresses_cmd(verbose: bool) -> None:
    """List the library's named stresses (docs/stress.md documents each).

    A stress that leaves a built-in preset's results exactly as they are
    (2,000 paths and the deterministic projection, bit for bit against
    ``baseline``) says so.

    \b
    Examples:
      wager stresses
      wager stresses -v
    """
    names = list(library.names())
    unchanged = _without_effect(names)
    width = terminal_width()
    idle = [f"{n} ({', '.join(p)})" for n, p in unchanged.items() if p]
    lead = f"{len(names)} stresses in the library (docs/stress.md gives each its source)."
    if idle:
        lead += (
            f" {len(idle)} leave a built-in preset exactly as it is: {'; '.join(idle)}; the "
            "others, but the baseline, move both presets."
        )
    click.echo(click.style(wrapped(lead, width), bold=True) + "\n")
    for name in names:
        s = library.load(name)
        analogue = (s.analogue or "none").rstrip(".")
        click.echo(click.style(f"{name}: {s.title}", bold=True))
        click.echo(wrapped(f"Analogue: {analogue}. Expected: {s.expected}.", width, "    "))
        if name not in library.one_bet_names():
            click.echo(
                wrapped(
                    "Acts between two bets: run it with wager compare or wager exposure, the "
                    "bet whose distress it starts from among them.",
                    width,
                    "    ",
                )
            )
        if unchanged.get(name):
            click.echo(
                wrapped(
                    f"No effect on the preset(s) {', '.join(unchanged[name])}: their results "
                    f"({_EFFECT_PATHS:,} paths and the projection) are the baseline's, bit "
                    "for bit.",
                    width,
                    "    ",
                )
            )
        if verbose:
            for inc in s.includes:
                click.echo(f"    includes {inc}")
            for shock in s.shocks:
                when = f"from {shock.start or 'the first year'}"
                if shock.trigger is not None and shock.trigger.distress is not None:
                    when = f"after {shock.trigger.distress}'s distress"
                elif shock.trigger is not None:
                    when = f"when in {shock.trigger.regime}"
                lasts = f" for {shock.duration:g} yr" if shock.duration else ""
                click.echo(
                    wrapped(
                        f"{shock.target} {shock.op} {shock.value} {when}{lasts} ({shock.shape})",
                        width,
                        "    ",
                    )
                )


@click.command(name="stress")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--stress",
    "stress_names",
    multiple=True,
    help="A stress to run (repeat for several; default: every library stress).",
)
@click.option(
    "--severity",
    "severities",
    multiple=True,
    type=click.FloatRange(0),
    callback=finite_severity,
    help="A severity (repeat for a sweep; default 1).",
)
@monte_carlo_options(f"{defaults.GRID_PATHS}", "Paths per cell")
@EXPORT_OPTIONS
@plots_options("A folder: write a heatmap of P(distress) per severity there.")
@SET_OPTION
def stress_cmd(
    scenarios: tuple[str, ...],
    stress_names: tuple[str, ...],
    severities: tuple[float, ...],
    paths: str,
    seed: int,
    threads: int | None,
    fmt: str,
    out: str | None,
    plots: str | None,
    plot_format: str,
    assignments: tuple[Assignment, ...],
) -> None:
    """Run strategies under stresses in one grid, on the same random numbers.

    SCENARIOS are scenario files or preset names (default: the two presets).
    Prints, per strategy, stress and severity: P(distress by the horizon)
    with its 95% interval, P(reorganised) and P(liquidated) by the horizon
    (how the distress was resolved), P(first profit by the horizon), the
    mean discounted cash-flow value today, and the year of distress on the
    central path under the stress. --format csv/json print every column of
    the grid (among them P(equity wiped out) and the recovery rate of each
    claim class).

    \b
    Examples:
      wager stress
      wager stress compute_first --stress funding_freeze --severity 0.5 --severity 1
      wager stress a.toml b.toml --stress telecom_2001 --paths 1e5 --format csv
    """
    # Everything on the command line is checked before the grid is built.
    specs = list(scenarios) or list(defaults.PRESETS)
    n_paths = path_count(paths)
    names = list(stress_names) or library.one_bet_names()
    sweep = list(severities) or [1.0]
    refuse_repeats(specs, "SCENARIOS", "the strategy")
    refuse_repeats(stress_names, "'--stress'", "the stress")
    refuse_repeats(sweep, "'--severity'", "the severity")
    cells = len(specs) * len(names) * len(sweep)
    if cells > MAX_GRID_CELLS:
        raise click.BadParameter(
            f"{len(specs)} strategies x {len(names)} stresses x {len(sweep)} severities = "
            f"{cells:,} cells, over the limit of {MAX_GRID_CELLS:,} cells a grid",
            param_hint="'--stress' / '--severity'",
        )
    target = export_target(fmt, out)
    if plots is not None:
        writable_folder(plots, "--plots")
    loaded = resolve_scenarios(specs, assignments)
    distinct_strategies(loaded)
    announce_estimate(loaded, n_paths, cells_per_scenario=len(names) * len(sweep), threads=threads)
    with run_must_fit("'--paths' / '--threads' / '--stress' / '--severity'"):
        grid = run_grid(
            loaded, names, severity=sweep, n_paths=n_paths, seed=seed, n_threads=threads
        )
    table = grid.table
    if plots is not None:
        folder = Path(plots)
        folder.mkdir(parents=True, exist_ok=True)
        for sev in sorted({k[2] for k in grid.cells}):
            path = folder / f"heatmap_p_distress_{sev:g}.{plot_format}"
            grid.plot.heatmap(severity=sev).savefig(path)
            click.echo(f"wrote {path}", err=True)
    if target is not None:
        write_export(grid, fmt, target)
        return
    if fmt == "json":
        doc = {
            "n_paths": grid.n_paths,
            "seed": grid.seed,
            "units": "US$ bn",
            "cells": json.loads(table.reset_index().to_json(orient="records")),
        }
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(table.to_csv(), nl=False)
    else:
        echo_answer(grid_text(grid, terminal_width()))
