"""What the ``wager`` commands share: reading scenario arguments (and the
``--set`` values set over them), a path count, the output format option, and
the checks every command makes before its run starts (repeated names, where
it will write, whether the run fits) so that bad input ends in one line and
exit status 2, never in a traceback after the run."""

from __future__ import annotations

import contextlib
import difflib
import math
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from wager import presets
from wager.analyses import defaults
from wager.analyses.run import PATH_STEPS_PER_SECOND, estimate_run_time, format_duration
from wager.compile.memory import RunTooLargeError
from wager.kernel.contract import MAX_PATHS, local_thread_limit
from wager.results.export import csv_manifest_path
from wager.scenario import Scenario
from wager.scenario.document import SET_LABEL, ScenarioDocument
from wager.scenario.errors import ScenarioError, printable
from wager.scenario.loader import file_document, preset_document, scenario_from_document
from wager.scenario.overrides import Assignment, parse_assignment

__all__ = [
    "ESTIMATE_SHOWN_ABOVE",
    "EXIT_BAD_INPUT",
    "EXPORT_OPTIONS",
    "FORMAT_OPTION",
    "PLOT_SUFFIXES",
    "SET_OPTION",
    "announce_estimate",
    "distinct_strategies",
    "echo_answer",
    "export_target",
    "finite_severity",
    "monte_carlo_options",
    "path_count",
    "refuse_repeats",
    "refuse_unknown_targets",
    "resolve_scenario",
    "resolve_scenarios",
    "run_must_fit",
    "scenario_document",
    "set_for",
    "terminal_width",
    "with_set",
    "writable_file",
    "writable_folder",
    "write_export",
]

#: A run expected to take longer than this (seconds) prints its estimated
#: time to standard error before it starts.
ESTIMATE_SHOWN_ABOVE = 10.0
#: The picture formats ``--plot`` writes.
PLOT_SUFFIXES = (".png", ".svg", ".pdf")
_PATHS = "'--paths'"

EXIT_BAD_INPUT = 2

FORMAT_OPTION = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)


F = TypeVar("F", bound=Callable[..., Any])

#: The formats a result file may have (``--out``); parquet and xlsx are files only.
EXPORT_FORMATS = ("csv", "json", "parquet", "xlsx")


def EXPORT_OPTIONS(f: F) -> F:
    """``--format`` (table, csv, json on standard output; with ``--out``, the
    whole result as csv, json, parquet or xlsx) and ``--out FILE``."""
    f = click.option(
        "--out",
        "out",
        default=None,
        type=click.Path(dir_okay=False),
        help="Write the whole result (tidy, with its run manifest) to this file, in --format.",
    )(f)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", *EXPORT_FORMATS]),
        default="table",
        show_default=True,
        help="table/csv/json print a summary; with --out, csv/json/parquet/xlsx write the result.",
    )(f)


def plots_options(help_text: str) -> Callable[[F], F]:
    """``--plots FOLDER`` (its help: `help_text`) and ``--plot-format``."""

    def decorate(f: F) -> F:
        f = click.option(
            "--plot-format", type=click.Choice(["png", "svg"]), default="png", show_default=True
        )(f)
        return click.option(
            "--plots",
            "plots",
            default=None,
            type=click.Path(file_okay=False),
            help=help_text,
        )(f)

    return decorate


def export_target(fmt: str, out: str | None) -> Path | None:
    """Where ``--out`` writes, checked before the run: parquet and xlsx need
    it (binary files), a table is never written."""
    if out is None:
        if fmt in ("parquet", "xlsx"):
            raise click.UsageError(f"--format {fmt} writes a binary file: give --out FILE")
        return None
    if fmt == "table":
        raise click.UsageError("--out writes csv, json, parquet or xlsx: give --format")
    path = writable_file(out, "--out", suffixes=(f".{fmt}",))
    if fmt == "csv":
        writable_file(csv_manifest_path(path), "--out")
    return path


def write_export(result: Any, fmt: str, path: Path) -> None:
    """The result to ``path`` in ``fmt``; what was written, one line each."""
    try:
        written = getattr(result, "to_excel" if fmt == "xlsx" else f"to_{fmt}")(path)
    except ValueError as err:  # over Excel's limits, named by the writer
        raise click.ClickException(str(err)) from None
    click.echo(f"wrote {written}")
    if fmt == "csv":
        click.echo(f"wrote {csv_manifest_path(written)}")


def monte_carlo_options(default_paths: str, what: str = "Paths") -> Callable[[F], F]:
    """``--paths`` (a count such as ``1e6``; read it with :func:`path_count`),
    ``--seed`` and ``--threads``: the options of every command that runs a
    Monte Carlo."""

    def decorate(f: F) -> F:
        options = [
            click.option(
                "--paths",
                "paths",
                default=default_paths,
                show_default=True,
                help=f"{what} (1e6 works).",
            ),
            click.option(
                "--seed",
                default=defaults.SEED,
                show_default=True,
                type=click.IntRange(0, 2**64 - 1),
                help="Random seed.",
            ),
            click.option(
                "--threads",
                default=None,
                type=click.IntRange(1),
                callback=_thread_count,
                help="Threads (default: all cores; at most 4 x the CPUs).",
            ),
        ]
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def _parse_assignments(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[Assignment, ...]:
    """``--set [STRATEGY:]FIELD.PATH=VALUE``, each read (syntax only: the
    paths are followed when the scenarios are read)."""
    out = []
    for text in value:
        try:
            out.append(parse_assignment(text))
        except ValueError as err:
            raise click.BadParameter(str(err)) from None
    return tuple(out)


SET_OPTION = click.option(
    "--set",
    "assignments",
    multiple=True,
    metavar="[STRATEGY:]FIELD.PATH=VALUE",
    callback=_parse_assignments,
    help=(
        "Set a scenario field before it is validated, e.g. financing.initial_cash=12.5 "
        "(a TOML value; quote strings). Repeat for several; prefix STRATEGY: (its name, "
        "preset or file) for one strategy only, else it sets every one. See docs/cli.md."
    ),
)


def scenario_document(spec: str) -> ScenarioDocument:
    """A scenario file, or the name of a built-in preset, read (not validated)."""
    if not Path(spec).exists():
        if spec in presets.names():
            return preset_document(spec)
        close = difflib.get_close_matches(spec, presets.names(), n=1)
        if close:
            reason = f"no such file; did you mean the preset {close[0]!r}?"
            raise ScenarioError(spec, [("", reason)])
    return file_document(spec)


def _names(spec: str, doc: ScenarioDocument | None) -> set[str]:
    """What a ``--set STRATEGY:`` may call a scenario argument: the argument
    as given (a preset's name, a file's path) and the document's ``name``."""
    return {spec} | ({doc.name} if doc is not None and doc.name else set())


def set_for(
    spec: str, doc: ScenarioDocument | None, assignments: Sequence[Assignment]
) -> list[Assignment]:
    """The ``--set`` values for one scenario argument: those without a
    strategy, and those for this one."""
    names = _names(spec, doc)
    return [a for a in assignments if a.target is None or a.target in names]


def refuse_unknown_targets(
    specs: Sequence[str],
    docs: Sequence[ScenarioDocument | None],
    assignments: Sequence[Assignment],
) -> None:
    """A ``--set STRATEGY:...`` for none of the strategies is a usage error
    (``docs``: each argument's document, None where it could not be read)."""
    known = set().union(*(_names(spec, doc) for spec, doc in zip(specs, docs, strict=True)))
    for a in assignments:
        if a.target is not None and a.target not in known:
            shown = ", ".join(printable(s) for s in specs)
            raise click.BadParameter(
                f"{printable(repr(a.target))} is none of the strategies ({shown}): before ':' give "
                "one of them (its name, preset or file), or nothing to set every one",
                param_hint="'--set'",
            )


def with_set(spec: str, doc: ScenarioDocument, assignments: Sequence[Assignment]) -> Scenario:
    """One scenario argument's document with its ``--set`` values set, validated."""
    mine = [a.override for a in set_for(spec, doc, assignments)]
    return scenario_from_document(doc.with_overrides(mine, SET_LABEL))


def resolve_scenarios(
    specs: Sequence[str], assignments: Sequence[Assignment] = ()
) -> list[Scenario]:
    """Scenario files or preset names, each read, with its ``--set`` values
    (:func:`set_for`) set, validated. Every argument is read, and every
    ``--set`` strategy checked, before the first is validated."""
    docs = [scenario_document(spec) for spec in specs]
    refuse_unknown_targets(specs, docs, assignments)
    return [with_set(spec, doc, assignments) for spec, doc in zip(specs, docs, strict=True)]


def resolve_scenario(spec: str, assignments: Sequence[Assignment] = ()) -> Scenario:
    """A scenario file, or the name of a built-in preset, with its ``--set`` values."""
    return resolve_scenarios([spec], assignments)[0]


def echo_answer(text: str) -> None:
    """A command's output: its first paragraph, the headline, in bold on a
    terminal (click drops the styling when the output is piped)."""
    head, _, rest = text.partition("\n\n")
    click.echo(click.style(head, bold=True))
    if rest:
        click.echo("\n" + rest)


def terminal_width() -> int:
    """The columns tables may use: the terminal's (``COLUMNS`` when set), 100
    when the output is not a terminal."""
    return shutil.get_terminal_size((100, 24)).columns


def path_count(value: str) -> int:
    """A path count such as ``100000`` or ``1e6``, at most 2**53."""
    try:
        n = float(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number of paths", param_hint=_PATHS) from None
    # NaN and infinities (1e400 reads as inf) are no count: refused before int().
    if not math.isfinite(n) or n < 1 or n != int(n):
        raise click.BadParameter(
            f"{value!r} is not a positive whole number of paths", param_hint=_PATHS
        )
    if n > MAX_PATHS:
        raise click.BadParameter(
            f"{value!r} is more paths than the limit, 2**53 ({MAX_PATHS:,})", param_hint=_PATHS
        )
    return int(n)


def _thread_count(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    """``--threads``: at most four times the CPUs this process may use."""
    limit = local_thread_limit()
    if value is not None and value > limit:
        raise click.BadParameter(
            f"{value:,} threads is more than {limit:,}, four times the CPUs this process may "
            "use: more threads than cores run no faster and each holds its own statistics"
        )
    return value


def finite_severity(
    ctx: click.Context, param: click.Parameter, value: float | Sequence[float] | None
) -> Any:
    """``--severity``: a finite number (``nan`` and ``inf`` pass ``FloatRange``)."""
    values = [value] if isinstance(value, float) else list(value or ())
    for v in values:
        if not math.isfinite(v):
            raise click.BadParameter(f"{v!r} is not a finite severity")
    return value


def refuse_repeats(values: Iterable[Any], hint: str, what: str) -> None:
    """Refuse the first value given twice (``hint``: the option, ``what``:
    what a value is)."""
    seen: set[Any] = set()
    for v in values:
        if v in seen:
            shown = f"{v:g}" if isinstance(v, float) else repr(v)
            raise click.BadParameter(f"{what} {shown} is given twice", param_hint=hint)
        seen.add(v)


def distinct_strategies(scenarios: Sequence[Scenario], hint: str = "SCENARIOS") -> None:
    """Refuse two strategies with the same name: results are keyed by it."""
    refuse_repeats((sc.name for sc in scenarios), hint, "the strategy")


def _refuse_path(option: str, path: Path, reason: str) -> click.BadParameter:
    return click.BadParameter(f"{str(path)!r} {reason}", param_hint=f"'{option}'")


def writable_folder(value: str | Path, option: str, *, shown: str | Path | None = None) -> Path:
    """``value`` as a folder the command can write in: an existing
    directory, or one it can create (its nearest existing ancestor is a
    directory in which a file can be created: tried, not guessed, so that a
    read-only file system or a full quota shows before the run). ``shown``:
    the path the messages name (default ``value``)."""
    path = Path(value)
    named = Path(shown) if shown is not None else path
    if path.exists() and not path.is_dir():
        where = "" if named == path else f": {str(path)!r}"
        raise _refuse_path(option, named, f"cannot be written{where} is not a directory")
    ancestor = path.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise _refuse_path(
            option, named, f"cannot be written: {str(ancestor)!r} is not a directory"
        )
    try:
        with tempfile.NamedTemporaryFile(dir=ancestor, prefix=".wager-write-check-"):
            pass
    except OSError as err:
        reason = err.strerror or type(err).__name__
        raise _refuse_path(
            option,
            named,
            f"cannot be written: no file can be created in {str(ancestor)!r} ({reason})",
        ) from None
    return path


def writable_file(value: str | Path, option: str, suffixes: Sequence[str] = ()) -> Path:
    """``value`` as a file the command can write: not a directory nor a
    special file, with one of ``suffixes`` (if given), in a folder it can
    write in (:func:`writable_folder`)."""
    path = Path(value)
    if path.is_dir():
        raise _refuse_path(option, path, "is a directory")
    if path.exists() and not path.is_file():
        raise _refuse_path(option, path, "is not a regular file")
    if suffixes and path.suffix.lower() not in suffixes:
        raise _refuse_path(option, path, f"must end in {', '.join(suffixes)}")
    writable_folder(path.parent, option, shown=path)
    return path


def announce_estimate(
    scenarios: Sequence[Scenario],
    n_paths: int,
    *,
    cells_per_scenario: int,
    threads: int | None,
) -> float:
    """Print the run's estimated time to standard error when it is over
    :data:`ESTIMATE_SHOWN_ABOVE` seconds (``estimate_run_time``); return it."""
    seconds = estimate_run_time(
        scenarios, n_paths, cells_per_scenario=cells_per_scenario, n_threads=threads
    )
    if seconds > ESTIMATE_SHOWN_ABOVE:
        click.echo(
            f"wager: estimated run time {format_duration(seconds)} (an estimate from the run's "
            f"size at a conservative {PATH_STEPS_PER_SECOND / 1e6:g} M path-steps/s per thread, "
            "not a measurement; Ctrl-C stops the run)",
            err=True,
        )
    return seconds


@contextlib.contextmanager
def run_must_fit(options: str) -> Iterator[None]:
    """A run refused because it would not fit in memory (checked before it
    allocates) ends as a usage error naming the ``options`` that size it."""
    try:
        yield
    except RunTooLargeError as err:
        raise click.BadParameter(
            f"{err.what} would need about {err.needed / 2**30:.2f} GiB and "
            f"{max(err.available, 0) / 2**30:.2f} GiB is available: make it smaller",
            param_hint=options,
        ) from None
