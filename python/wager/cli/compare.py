"""``wager compare`` (strategies on the same paths, under stresses) and
``wager report`` (the same run as a self-contained HTML file)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from wager.analyses import defaults
from wager.analyses.calibration_spread import calibration_variants
from wager.analyses.comparison import Comparison
from wager.analyses.comparison import compare as run_compare
from wager.cli.options import (
    SET_OPTION,
    announce_estimate,
    distinct_strategies,
    echo_answer,
    finite_severity,
    monte_carlo_options,
    path_count,
    plots_options,
    refuse_repeats,
    resolve_scenarios,
    run_must_fit,
    terminal_width,
    writable_file,
    writable_folder,
    write_export,
)
from wager.present.terminal import comparison_text
from wager.scenario.overrides import Assignment

__all__ = ["DEFAULT_STRESSES", "compare_cmd", "report_cmd"]

#: What ``wager compare`` runs without --stress: the reference and three
#: futures of the article (a burst bubble, no money for two years, the
#: 2000-2002 replay).
DEFAULT_STRESSES = defaults.COMPARE_STRESSES

_RUN_OPTIONS = [
    click.argument("scenarios", nargs=-1),
    click.option(
        "--stress",
        "stress_names",
        multiple=True,
        help=f"A stress (repeat for several; default: {', '.join(DEFAULT_STRESSES)}).",
    ),
    click.option(
        "--severity",
        default=1.0,
        show_default=True,
        type=click.FloatRange(0),
        callback=finite_severity,
        help="Of every stress.",
    ),
    monte_carlo_options(f"{defaults.PATHS}"),
    click.option(
        "--reference",
        default=None,
        help="The strategy the others are compared with (default: the first).",
    ),
    SET_OPTION,
    click.option(
        "--calibration-spread",
        "calibration_spread",
        is_flag=True,
        default=False,
        help=(
            "Also rerun the comparison at each end of the calibration's evidence "
            f"(docs/calibration.md, Bounds: {len(calibration_variants())} variants of the market, "
            "one input at a time) and show how far P(distress) and P(first profit) move: "
            f"multiplies the run time by {1 + len(calibration_variants())}. Not a confidence "
            "interval."
        ),
    ),
]


def _run_options(f: Any) -> Any:
    for option in reversed(_RUN_OPTIONS):
        f = option(f)
    return f


def _run(
    scenarios: tuple[str, ...],
    stress_names: tuple[str, ...],
    severity: float,
    paths: str,
    seed: int,
    threads: int | None,
    reference: str | None,
    assignments: tuple[Assignment, ...],
    calibration_spread: bool = False,
) -> Comparison:
    specs = list(scenarios) or list(defaults.PRESETS)
    if len(specs) < 2:
        raise click.UsageError("compare needs two or more strategies (files or preset names)")
    n_paths = path_count(paths)
    refuse_repeats(specs, "SCENARIOS", "the strategy")
    refuse_repeats(stress_names, "'--stress'", "the stress")
    loaded = resolve_scenarios(specs, assignments)
    distinct_strategies(loaded)
    names = [sc.name for sc in loaded]
    if reference is not None and reference not in names:
        raise click.BadParameter(
            f"{reference!r} is not one of the strategies ({', '.join(names)})",
            param_hint="'--reference'",
        )
    stresses = list(stress_names) or list(DEFAULT_STRESSES)
    runs = 1
    if calibration_spread:
        # Refused before the run: the variants move the presets' three regimes.
        for v in calibration_variants():
            for sc in loaded:
                try:
                    v.values(sc)
                except ValueError as err:
                    hint = "'--calibration-spread'"
                    raise click.BadParameter(str(err), param_hint=hint) from None
        runs += len(calibration_variants())
        click.echo(
            f"wager: calibration spread: {runs} runs of the comparison (the scenarios as given "
            f"and {runs - 1} variants of the calibration), each {n_paths:,} paths x "
            f"{len(loaded)} strategies x {len(stresses)} "
            f"{'stress' if len(stresses) == 1 else 'stresses'}",
            err=True,
        )
    announce_estimate(loaded, n_paths, cells_per_scenario=len(stresses) * runs, threads=threads)
    with run_must_fit("'--paths' / '--threads' / '--stress'"):
        return run_compare(
            *loaded,
            n_paths=n_paths,
            seed=seed,
            stresses=stresses,
            severity=severity,
            reference=reference if reference is not None else 0,
            n_threads=threads,
            calibration_spread=calibration_spread,
        )


def write_plots(c: Comparison, folder: Path, fmt: str) -> list[Path]:
    """The comparison's pictures, one file each, per stress."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for stress in c.stresses:
        figures = {
            "fan_cash": c.plot.fan("cash", stress=stress),
            "fan_operating_income": c.plot.fan("operating_income", stress=stress),
            "survival": c.plot.survival(stress=stress),
            "first_profit": c.plot.first_profit(stress=stress),
        }
        for kind, fig in figures.items():
            path = folder / f"{kind}_{stress}.{fmt}"
            fig.savefig(path)
            written.append(path)
    return written


def _print_table(c: Comparison) -> None:
    echo_answer(comparison_text(c, terminal_width()))


@click.command(name="compare")
@_run_options
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json", "parquet", "xlsx"]),
    default="table",
    show_default=True,
    help="table/csv/json print the summary; with --out, csv/json/parquet/xlsx write every table.",
)
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(file_okay=False),
    help="A folder: write comparison.<format> there (tidy, with the run manifest).",
)
@plots_options("A folder: write the pictures there (fan charts, survival, first-profit years).")
def compare_cmd(
    scenarios: tuple[str, ...],
    stress_names: tuple[str, ...],
    severity: float,
    paths: str,
    seed: int,
    threads: int | None,
    reference: str | None,
    assignments: tuple[Assignment, ...],
    calibration_spread: bool,
    fmt: str,
    out: str | None,
    plots: str | None,
    plot_format: str,
) -> None:
    """Compare strategies on the same random paths, under stresses.

    SCENARIOS are scenario files or preset names (default: the two presets).
    Prints, for every stress: P(distress) and P(first profit) by the horizon,
    P(one in distress and the other not), and the mean outcomes, for A, B
    and B - A with 95% intervals from the paired differences; and what
    distress came to by the horizon, P(reorganised), P(liquidated), P(equity
    wiped out) and the recovery rate of each claim class, for A, B and B - A
    (no interval: the pairs do not track them). With --calibration-spread,
    then how far P(distress) and P(first profit) move across the
    calibration's evidence (docs/calibration.md, Bounds), variant by variant.

    \b
    Examples:
      wager compare
      wager compare --calibration-spread --stress baseline --paths 2e4 --seed 1
      wager compare A.toml B.toml --stress funding_freeze --paths 1e6 --seed 7 --threads 2
      wager compare --out results/ --format parquet --plots results/
      wager compare --out results/ --format xlsx
    Exit status: 0 done, 2 bad input, 1 anything else, 130 interrupted,
    141 output closed, 143 terminated.
    """
    # Where the command writes is checked before the run, not after it.
    if out is not None:
        if fmt == "table":
            raise click.UsageError("--out writes csv, json, parquet or xlsx: give --format")
        writable_folder(out, "--out")
        writable_file(Path(out) / f"comparison.{fmt}", "--out")
    elif fmt in ("parquet", "xlsx"):
        raise click.UsageError(f"--format {fmt} needs --out")
    if plots is not None:
        writable_folder(plots, "--plots")
    c = _run(
        scenarios,
        stress_names,
        severity,
        paths,
        seed,
        threads,
        reference,
        assignments,
        calibration_spread,
    )
    if plots is not None:
        for path in write_plots(c, Path(plots), plot_format):
            click.echo(f"wrote {path}")
    if out is not None:
        write_export(c, fmt, Path(out) / f"comparison.{fmt}")
        return
    if fmt == "csv":
        click.echo(c.summary().to_csv(), nl=False)
    elif fmt == "json":
        summary = c.summary().reset_index()
        doc = {"manifest": c.manifest(), "summary": json.loads(summary.to_json(orient="records"))}
        if c.calibration_spread is not None:
            spread = c.calibration_spread.table.reset_index()
            doc["calibration_spread"] = json.loads(spread.to_json(orient="records"))
        click.echo(json.dumps(doc, indent=2))
    else:
        _print_table(c)


@click.command(name="report")
@_run_options
@click.option(
    "--out",
    "out",
    default="report.html",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The HTML file to write.",
)
def report_cmd(
    scenarios: tuple[str, ...],
    stress_names: tuple[str, ...],
    severity: float,
    paths: str,
    seed: int,
    threads: int | None,
    reference: str | None,
    assignments: tuple[Assignment, ...],
    calibration_spread: bool,
    out: str,
) -> None:
    """Compare strategies and write a self-contained HTML report.

    The report holds the summary tables, fan charts of cash and operating
    income, survival curves, first-profit years, each stress's narrative and
    source, the scenarios and the run manifest (with --calibration-spread,
    a section on how far the answer moves across the calibration's
    evidence); it loads nothing from the network.

    \b
    Examples:
      wager report --out report.html
      wager report A.toml B.toml --stress telecom_2001 --paths 1e5 --out bust.html
    """
    writable_file(out, "--out")  # before the run, not after it
    c = _run(
        scenarios,
        stress_names,
        severity,
        paths,
        seed,
        threads,
        reference,
        assignments,
        calibration_spread,
    )
    click.echo(f"wrote {c.report(out)}")
