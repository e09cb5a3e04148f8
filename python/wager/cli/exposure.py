"""``wager exposure``: who carries the risk of one bet, or of two in one world."""

from __future__ import annotations

import json
from pathlib import Path

import click

from wager.analyses import defaults
from wager.analyses.exposure_view import exposure as run_exposure
from wager.cli.options import (
    EXPORT_OPTIONS,
    SET_OPTION,
    announce_estimate,
    distinct_strategies,
    echo_answer,
    export_target,
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
from wager.present.exposure_text import exposure_headline, exposure_text
from wager.scenario.overrides import Assignment

__all__ = ["exposure_cmd"]


@click.command(name="exposure")
@click.argument("scenarios", nargs=-1)
@click.option(
    "--stress",
    "stress_name",
    default="baseline",
    show_default=True,
    help="The stress both bets run under.",
)
@monte_carlo_options(f"{defaults.PATHS}")
@EXPORT_OPTIONS
@plots_options(
    "A folder: write the exposure profiles, the loss concentration chart and, with two "
    "bets, the grid of a shared supplier's losses there."
)
@SET_OPTION
def exposure_cmd(
    scenarios: tuple[str, ...],
    stress_name: str,
    paths: str,
    seed: int,
    threads: int | None,
    fmt: str,
    out: str | None,
    plots: str | None,
    plot_format: str,
    assignments: tuple[Assignment, ...],
) -> None:
    """Who carries the risk of each bet and of both (docs/exposure.md).

    SCENARIOS are one or two scenario files or preset names (default: the
    two presets), run on the same paths of the same world. Prints who
    carries the expected loss of each bet and of both, P(both bets in
    distress), then per bet each supplier's exposure at default (EAD), its
    expected loss (EL, and discounted), the 99% quantile of its loss, its
    share of the bet's EL, and EL and the quantile as shares of the
    supplier's revenue and equity value (from the scenario's
    `counterparties`); then both bets' concentration, with each supplier's
    loss on both on the same path (99% quantile, expected shortfall ES99,
    and how often both leave it a loss). --format csv prints
    the per-supplier table with every column; json the headline and every
    table; --out writes the whole result (per year too).

    \b
    Examples:
      wager exposure
      wager exposure --stress ai_bubble_burst --paths 2e4
      wager exposure compute_first --format csv
      wager exposure --out exposure.parquet --format parquet
    """
    specs = list(scenarios) or list(defaults.PRESETS)
    if len(specs) > 2:
        raise click.UsageError("exposure takes one or two strategies (files or preset names)")
    n_paths = path_count(paths)
    refuse_repeats(specs, "SCENARIOS", "the strategy")
    target = export_target(fmt, out)
    if plots is not None:
        writable_folder(plots, "--plots")
    loaded = resolve_scenarios(specs, assignments)
    distinct_strategies(loaded)
    announce_estimate(loaded, n_paths, cells_per_scenario=1, threads=threads)
    with run_must_fit("'--paths' / '--threads'"):
        result = run_exposure(
            *loaded, stress=stress_name, n_paths=n_paths, seed=seed, n_threads=threads
        )
    if plots is not None:
        folder = Path(plots)
        folder.mkdir(parents=True, exist_ok=True)
        for kind in result.plot.kinds():  # profiles, concentration, and joint with two bets
            path = folder / f"exposure_{kind}_{result.stress}.{plot_format}"
            getattr(result.plot, kind)().savefig(path)
            click.echo(f"wrote {path}", err=True)
    if target is not None:
        write_export(result, fmt, target)
        return
    if fmt == "json":
        doc = {
            "stress": result.stress,
            "n_paths": result.n_paths,
            "seed": result.seed,
            "units": "US$ bn; shares as fractions",
            "headline": exposure_headline(result),
            "p_both_in_distress": None if len(result.strategies) < 2 else result.p_both_in_distress,
            "concentration": json.loads(
                result.concentration.reset_index().to_json(orient="records")
            ),
            "expected_loss": json.loads(
                result.expected_loss.reset_index().to_json(orient="records")
            ),
            "combined_loss": json.loads(
                result.combined_loss.reset_index().to_json(orient="records")
            ),
        }
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(result.expected_loss.to_csv(), nl=False)
    else:
        echo_answer(exposure_text(result, terminal_width()))
