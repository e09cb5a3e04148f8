"""``wager sensitivity``: one-way sensitivity of any input, +/-x% around its value."""

from __future__ import annotations

import json
import math

import click

from wager.analyses import defaults
from wager.analyses.one_way import ONE_WAY_METRICS, default_inputs
from wager.analyses.one_way import sensitivity as run_sensitivity
from wager.cli.options import (
    EXPORT_OPTIONS,
    SET_OPTION,
    announce_estimate,
    echo_answer,
    export_target,
    monte_carlo_options,
    path_count,
    refuse_repeats,
    resolve_scenario,
    run_must_fit,
    terminal_width,
    write_export,
)
from wager.present.one_way_text import one_way_text
from wager.scenario.errors import ScenarioError
from wager.scenario.overrides import Assignment

__all__ = ["sensitivity_cmd"]


def _fraction(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """``--change``: a finite fraction in (0, 1)."""
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise click.BadParameter(f"{value!r} is not a fraction in (0, 1) (0.1 = +/-10%)")
    return value


@click.command(name="sensitivity")
@click.argument("scenario")
@click.option(
    "--input",
    "inputs",
    multiple=True,
    metavar="TARGET",
    help=(
        "An input to move, as a stress names its target (segments.*.revenue moves every "
        "segment); repeat for several. Default: the scenario's main inputs (docs/cli.md)."
    ),
)
@click.option(
    "--change",
    default=0.1,
    show_default=True,
    type=float,
    callback=_fraction,
    help="The relative move: 0.1 runs each input at x 0.9 and x 1.1.",
)
@click.option(
    "--metric",
    default=None,
    type=click.Choice(ONE_WAY_METRICS),
    help="What ranks the inputs (default p_distress; det_cash with --deterministic).",
)
@click.option(
    "--year", default=None, type=int, help="The year the metrics are read in (default: horizon)."
)
@click.option("--deterministic", is_flag=True, help="Projections only: no Monte Carlo (instant).")
@click.option("--top", default=None, type=click.IntRange(1), help="Print only the first N inputs.")
@monte_carlo_options(f"{defaults.SENSITIVITY_PATHS}", "Paths per move")
@EXPORT_OPTIONS
@SET_OPTION
def sensitivity_cmd(
    scenario: str,
    inputs: tuple[str, ...],
    change: float,
    metric: str | None,
    year: int | None,
    deterministic: bool,
    top: int | None,
    paths: str,
    seed: int,
    threads: int | None,
    fmt: str,
    out: str | None,
    assignments: tuple[Assignment, ...],
) -> None:
    """One-way sensitivity: each input alone at -x% and +x% of its value.

    SCENARIO is a scenario file or a preset name. No distributions needed:
    each input is a target path, as stresses write them (docs/stress.md),
    moved over the whole horizon; every move runs on the same paths as the
    scenario as written, so each effect's standard error comes from the
    paired paths. Prints the inputs ranked by the swing of --metric, then
    what the same moves do to the other metrics. --format csv/json print
    every metric with its standard errors.

    \b
    Examples:
      wager sensitivity compute_first
      wager sensitivity profitability --change 0.2 --year 2030
      wager sensitivity compute_first --input 'segments.*.inference_cost_ratio'
      wager sensitivity compute_first --deterministic --metric det_cash
      wager sensitivity compute_first --format csv --out sensitivity.csv
    """
    n_paths = path_count(paths)
    refuse_repeats(inputs, "'--input'", "the input")
    if deterministic and metric is not None and not metric.startswith("det_"):
        raise click.BadParameter(
            f"{metric} is a Monte Carlo metric: --deterministic ranks by det_* metrics",
            param_hint="'--metric'",
        )
    target = export_target(fmt, out)
    sc = resolve_scenario(scenario, assignments)
    chosen = list(inputs) or default_inputs(sc)
    if not deterministic:
        announce_estimate([sc], n_paths, cells_per_scenario=1 + 2 * len(chosen), threads=threads)
    try:
        with run_must_fit("'--paths' / '--threads' / '--input'"):
            result = run_sensitivity(
                sc,
                chosen,
                change=change,
                metric=metric,
                year=year,
                monte_carlo=not deterministic,
                n_paths=n_paths,
                seed=seed,
                n_threads=threads,
            )
    except ScenarioError:
        raise  # a refused input: its message names it (exit status 2)
    except ValueError as err:  # a year outside the horizon
        raise click.BadParameter(str(err), param_hint="'--year'") from None
    if target is not None:
        write_export(result, fmt, target)
        return
    if fmt == "json":
        doc = {
            "strategy": sc.name,
            "change": result.change,
            "year": result.year,
            "metric": result.metric,
            "monte_carlo": result.monte_carlo,
            "n_paths": result.n_paths if result.monte_carlo else None,
            "seed": result.seed if result.monte_carlo else None,
            "units": "US$ bn; probabilities as fractions",
            "rows": json.loads(result.table.reset_index().to_json(orient="records")),
        }
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(result.table.to_csv(), nl=False)
    else:
        echo_answer(one_way_text(result, terminal_width(), top=top))
