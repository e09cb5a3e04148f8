"""The ``wager`` command line.

Exit status: 0 on success, 2 for bad input (a refused scenario or a wrong
command line), 1 for anything unexpected.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from typing import Any

import click
import pandas as pd

from . import presets
from ._version import __version__
from .cli_common import _FORMAT, EXIT_BAD_INPUT, _paths, _resolve
from .cli_compare import compare_cmd, report_cmd
from .cli_race import race_cmd
from .cli_stress import stress_cmd, stresses_cmd
from .errors import ScenarioError
from .projection import Projection, project
from .scenario import Scenario, load_scenario
from .side_by_side import KEY_METRICS, annual_side_by_side, events_side_by_side, tidy
from .simulation import simulate as run_simulation

__all__ = ["main"]


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
            }
            for p in projections
        ],
    }
    return json.dumps(doc, indent=2, default=_json_default)


def _fmt_event(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _table(projections: Sequence[Projection], metrics: Sequence[str]) -> str:
    annual = annual_side_by_side(projections, metrics)
    events = events_side_by_side(projections).map(_fmt_event)
    with pd.option_context("display.width", 200, "display.max_columns", 50):
        body = annual.to_string(float_format=lambda x: f"{x:,.1f}")
        return (
            f"Per year, US$ bn\n{body}\n\nEvents (years; money in US$ bn)\n{events.to_string()}\n"
        )


def _emit(projections: Sequence[Projection], fmt: str, metrics: Sequence[str]) -> None:
    if fmt == "json":
        click.echo(_to_json(projections))
    elif fmt == "csv":
        click.echo(tidy(projections, metrics).to_csv(index=False), nl=False)
    else:
        click.echo(_table(projections, metrics), nl=False)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wager")
def cli() -> None:
    """Project, stress-test and compare the finances of strategic bets.

    `wager --version --verbose` prints the build (compiler, flags, OpenMP,
    SIMD level) and the versions of the packages wager uses.

    \b
    Examples:
      wager compare                       # the two presets on the same paths, under stresses
      wager compare a.toml b.toml --stress funding_freeze --paths 1e6 --out results/
      wager project                       # the two presets' plans side by side
      wager project compute_first --stress ai_bubble_burst
      wager report --out report.html      # a self-contained HTML report
      wager race --sweep share_sensitivity=0,0.5,1   # the compute race's equilibria
      wager simulate compute_first --paths 1e6 --seed 7
      wager stress --stress funding_freeze --severity 0.5 --severity 1
      wager stresses                      # the library of named stresses
      wager validate my.toml
      wager schema > scenario.schema.json
    """


@cli.command(name="project")
@click.argument("scenarios", nargs=-1)
@_FORMAT
@click.option(
    "--all-columns", is_flag=True, help="Show every annual column, not just the key ones."
)
@click.option("--stress", "stress_name", default=None, help="Apply a named stress.")
@click.option(
    "--severity", default=1.0, show_default=True, type=click.FloatRange(0), help="Its severity."
)
def project_cmd(
    scenarios: tuple[str, ...],
    fmt: str,
    all_columns: bool,
    stress_name: str | None,
    severity: float,
) -> None:
    """Project strategies deterministically, side by side (default: the two presets).

    SCENARIOS are scenario files (TOML, JSON, YAML) or preset names.

    \b
    Examples:
      wager project
      wager project compute_first --all-columns --format csv
      wager project mine.toml compute_first --stress funding_freeze --format json
    """
    specs = list(scenarios) or ["profitability", "compute_first"]
    projections = [project(_resolve(s), stress=stress_name, severity=severity) for s in specs]
    metrics: list[str] = list(KEY_METRICS)
    if all_columns:
        metrics = list(projections[0].annual.columns)
    elif len(projections) == 1:
        metrics = [*KEY_METRICS, "utilisation", "dilution", "debt"]
    _emit(projections, fmt, metrics)


@cli.command()
@click.argument("scenario")
@click.option(
    "--paths", "paths", default="100000", show_default=True, help="Number of paths (1e6 works)."
)
@click.option(
    "--seed", default=0, show_default=True, type=click.IntRange(0, 2**64 - 1), help="Random seed."
)
@click.option(
    "--threads", default=None, type=click.IntRange(1), help="Threads (default: all cores)."
)
@_FORMAT
def simulate(scenario: str, paths: str, seed: int, threads: int | None, fmt: str) -> None:
    """Monte Carlo of one strategy (a scenario file or a preset name).

    Prints, per year, P(default by year) and P(first profit by year) with 95%
    intervals and mean cash with its standard error, then VaR and Expected
    Shortfall of cumulative free cash flow and terminal equity value.

    \b
    Examples:
      wager simulate compute_first --paths 1e6 --seed 7
      wager simulate mine.toml --format json
    """
    r = run_simulation(_resolve(scenario), n_paths=_paths(paths), seed=seed, n_threads=threads)
    curves = pd.concat(
        {
            "P(default by year)": r.default_probability,
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
        with pd.option_context("display.width", 200, "display.max_columns", 50):
            click.echo(f"{r.scenario.name}: {r.n_paths:,} paths, seed {r.seed}; money in US$ bn\n")
            click.echo(curves.to_string(float_format=lambda x: f"{x:,.4g}"))
            click.echo("\nValue-at-Risk and Expected Shortfall (lower tail), with standard errors")
            click.echo(r.risk.to_string(float_format=lambda x: f"{x:,.1f}"))


@cli.command()
@click.argument("files", nargs=-1, required=True)
def validate(files: tuple[str, ...]) -> None:
    """Check scenario files; print what each holds, or why it is refused (exit 2)."""
    failed = False
    for f in files:
        try:
            sc = load_scenario(f)
        except ScenarioError as err:
            click.echo(str(err), err=True)
            failed = True
            continue
        click.echo(
            f"{f}: valid — {sc.name}, {sc.time.start_year}-{sc.time.horizon}, "
            f"{len(sc.segments)} segment(s), {len(sc.compute.commitments)} commitment(s)"
        )
    if failed:
        sys.exit(EXIT_BAD_INPUT)


@cli.command(name="presets")
def presets_cmd() -> None:
    """List the built-in strategies."""
    for name in presets.names():
        click.echo(f"{name}: {presets.load(name).description}")


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a scenario file."""
    click.echo(json.dumps(Scenario.model_json_schema(), indent=2))


cli.add_command(stresses_cmd)
cli.add_command(stress_cmd)
cli.add_command(compare_cmd)
cli.add_command(report_cmd)
cli.add_command(race_cmd)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wager`` command."""
    args = list(argv) if argv is not None else sys.argv[1:]
    if "--version" in args and ("--verbose" in args or "-v" in args):
        from .versions import show_versions

        show_versions()
        return
    try:
        cli.main(
            args=list(argv) if argv is not None else None, prog_name="wager", standalone_mode=False
        )
    except ScenarioError as err:
        click.echo(str(err), err=True)
        sys.exit(EXIT_BAD_INPUT)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except BrokenPipeError:
        sys.exit(0)
