"""``wager race``: the 2 x 2 compute race and its Nash equilibria."""

from __future__ import annotations

import json

import click

from wager.analyses import defaults
from wager.analyses.race import RACE_LIMITS, RACE_PARAMETERS, check_race_setting, race, race_sweep
from wager.cli.options import (
    EXPORT_OPTIONS,
    PLOT_SUFFIXES,
    SET_OPTION,
    announce_estimate,
    distinct_strategies,
    echo_answer,
    export_target,
    monte_carlo_options,
    path_count,
    refuse_repeats,
    resolve_scenarios,
    run_must_fit,
    terminal_width,
    writable_file,
    write_export,
)
from wager.present.terminal import race_text
from wager.scenario.overrides import Assignment

__all__ = ["race_cmd"]


def _sweep(spec: str) -> tuple[str, list[float]]:
    name, _, values = spec.partition("=")
    if name not in RACE_PARAMETERS or not values:
        raise click.BadParameter(
            f"{spec!r}: give PARAMETER=v1,v2,... with PARAMETER one of {', '.join(RACE_PARAMETERS)}"
        )
    try:
        numbers = [float(v) for v in values.split(",")]
    except ValueError:
        raise click.BadParameter(f"{spec!r}: the values must be numbers") from None
    try:
        return name, [check_race_setting(name, v) for v in numbers]
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="'--sweep'") from None


def _setting(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """A race setting: finite and in its range (``RACE_LIMITS``), checked as it is read."""
    try:
        return check_race_setting(str(param.name), value)
    except ValueError:
        lo, hi = RACE_LIMITS[str(param.name)]
        raise click.BadParameter(f"{value!r} is not a number in [{lo:g}, {hi:g}]") from None


def _range(name: str) -> str:
    lo, hi = RACE_LIMITS[name]
    return f"{lo:g} to {hi:g}"


@click.command(name="race")
@click.argument("labs", nargs=-1)
@click.option(
    "--share-sensitivity",
    default=1.0,
    show_default=True,
    type=float,
    callback=_setting,
    help=f"How strongly relative compute moves market shares ({_range('share_sensitivity')}).",
)
@click.option(
    "--aggression",
    default=3.0,
    show_default=True,
    type=float,
    callback=_setting,
    help=f"Compute of the aggressive choice over the prudent one ({_range('aggression')}).",
)
@click.option(
    "--funding",
    default=1.0,
    show_default=True,
    type=float,
    callback=_setting,
    help=f"Multiplies every regime's probability that a raise succeeds ({_range('funding')}).",
)
@click.option(
    "--bust",
    default=1.0,
    show_default=True,
    type=float,
    callback=_setting,
    help=f"Multiplies every regime's yearly chance of moving into a bust ({_range('bust')}).",
)
@click.option(
    "--payoff",
    type=click.Choice(["terminal_equity_value", "survival"]),
    default="terminal_equity_value",
    show_default=True,
    help="The payoff of the equilibria.",
)
@monte_carlo_options(f"{defaults.RACE_PATHS}")
@click.option(
    "--sweep",
    "sweep",
    default=None,
    help="PARAMETER=v1,v2,...: the equilibria at each value of one parameter.",
)
@click.option(
    "--plot",
    "plot",
    default=None,
    type=click.Path(dir_okay=False),
    help="Write the payoff matrix as a picture (.png, .svg or .pdf).",
)
@EXPORT_OPTIONS
@SET_OPTION
def race_cmd(
    labs: tuple[str, ...],
    share_sensitivity: float,
    aggression: float,
    funding: float,
    bust: float,
    payoff: str,
    paths: str,
    seed: int,
    threads: int | None,
    sweep: str | None,
    plot: str | None,
    fmt: str,
    out: str | None,
    assignments: tuple[Assignment, ...],
) -> None:
    """The compute race: two labs in one market, each prudent or aggressive.

    LABS are two scenario files or preset names (default: profitability as
    lab A, prudent by plan; compute_first as lab B, aggressive by plan).
    Prints the 2 x 2 payoff matrix of expected terminal equity value and
    survival probability, with intervals, and names the Nash equilibria.

    \b
    Examples:
      wager race
      wager race --payoff survival --paths 1e5
      wager race --sweep share_sensitivity=0,0.25,0.5,1,2
      wager race --plot race.png
    """
    # Everything on the command line is checked before the first run.
    if labs and len(labs) != 2:
        raise click.UsageError("a race needs two labs (or none for the presets)")
    n_paths = path_count(paths)
    swept = _sweep(sweep) if sweep is not None else None
    if plot is not None:
        if swept is not None:
            raise click.UsageError("--plot draws one race: not with --sweep")
        writable_file(plot, "--plot", PLOT_SUFFIXES)
    if out is not None and swept is not None:
        raise click.UsageError("--out writes one race: not with --sweep")
    target = export_target(fmt, out)
    refuse_repeats(labs, "LABS", "the lab")
    # Without labs, race()'s defaults, loaded here for the estimate and --set.
    a, b = resolve_scenarios(list(labs) or list(defaults.PRESETS), assignments)
    distinct_strategies([a, b], "LABS")
    kwargs = {
        "a": a,
        "b": b,
        "share_sensitivity": share_sensitivity,
        "aggression": aggression,
        "funding": funding,
        "bust": bust,
        "payoff": payoff,
        "n_paths": n_paths,
        "seed": seed,
        "n_threads": threads,
    }
    runs = 1 if swept is None else len(swept[1])
    announce_estimate([a, b], n_paths, cells_per_scenario=4 * runs, threads=threads)
    if swept is not None:
        name, values = swept
        kwargs.pop(name)
        with run_must_fit("'--paths' / '--threads'"):
            table = race_sweep(name, values, **kwargs)
        click.echo(table.to_csv() if fmt == "csv" else table.to_string(), nl=fmt != "csv")
        return
    with run_must_fit("'--paths' / '--threads'"):
        r = race(**kwargs)  # type: ignore[arg-type]
    if plot is not None:
        r.plot.race(value=payoff).savefig(plot)
    if target is not None:
        write_export(r, fmt, target)
        return
    if fmt == "json":
        doc = {
            "labs": list(r.labs),
            "settings": r.settings,
            "matrix": json.loads(r.matrix.reset_index().to_json(orient="records")),
            "equilibria": [list(e) for e in r.equilibria],
            "dilemma": r.dilemma,
        }
        click.echo(json.dumps(doc, indent=2))
    elif fmt == "csv":
        click.echo(r.matrix.to_csv(), nl=False)
    else:
        echo_answer(race_text(r, terminal_width()))
