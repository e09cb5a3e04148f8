"""The ``wager`` command line.

Exit status: 0 on success, 2 for bad input (a refused scenario or a wrong
command line), 1 for anything unexpected, 130 interrupted (Ctrl-C), 141
when the reader of its output went away (``wager ... | head``: 128 +
SIGPIPE, what a shell reports for a program SIGPIPE ended), 143 terminated
(SIGTERM) and 129 hung up (SIGHUP).

Signal handlers are installed here, by the command, and only while it runs:
never by the library, which may run inside a user's process or a Dask
worker. On SIGTERM or SIGHUP the command removes the temporary files of the
exports it is writing (``wager.results.export.discard_temporaries``), so no
``.tmp`` file is left beside an intact target, and exits. A broken pipe ends
it quietly: its standard output is pointed at ``os.devnull`` (so that the
interpreter's last flush does not fail again) and no traceback is printed.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType
from typing import Any

import click

from wager._version import __version__
from wager.cli.compare import compare_cmd, report_cmd
from wager.cli.exposure import exposure_cmd
from wager.cli.options import EXIT_BAD_INPUT
from wager.cli.project import project_cmd, simulate
from wager.cli.race import race_cmd
from wager.cli.scenarios import presets_cmd, schema, validate
from wager.cli.sensitivity import sensitivity_cmd
from wager.cli.stress import stress_cmd, stresses_cmd
from wager.results.export import discard_temporaries
from wager.scenario.errors import ScenarioError

__all__ = ["EXIT_BROKEN_PIPE", "cli", "main"]

#: The exit status when standard output's reader went away (128 + SIGPIPE).
EXIT_BROKEN_PIPE = 128 + 13
#: The signals that end the command after removing its temporary files.
_TERMINATING = ("SIGTERM", "SIGHUP")


class _OutputClosed(Exception):
    """The reader of the command's output went away (a BrokenPipeError);
    not an OSError, so that click does not handle it in its own way."""


class _Wager(click.Group):
    """The ``wager`` group: a broken pipe in any command ends it quietly."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except BrokenPipeError as err:
            raise _OutputClosed from err


@click.group(cls=_Wager, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="wager")
def cli() -> None:
    """Project, stress-test and compare the finances of strategic bets.

    `wager --version --verbose` prints the build (compiler, flags, OpenMP,
    SIMD level) and the versions of the packages wager uses.

    \b
    Examples:
      wager compare                       # the two presets on the same paths, under stresses
      wager compare a.toml b.toml --stress funding_freeze --paths 1e6 --out results/
      wager exposure --stress ai_bubble_burst   # who carries the risk of each bet and of both
      wager project                       # the two presets' plans side by side
      wager project compute_first --stress ai_bubble_burst
      wager project compute_first --set financing.initial_cash=60   # a field changed
      wager report --out report.html      # a self-contained HTML report
      wager race --sweep share_sensitivity=0,0.5,1   # the compute race's equilibria
      wager sensitivity compute_first     # each input +/-10%, ranked by its effect
      wager simulate compute_first --paths 1e6 --seed 7
      wager stress --stress funding_freeze --severity 0.5 --severity 1
      wager stresses                      # the library of named stresses
      wager validate my.toml
      wager schema > scenario.schema.json
    """


for command in (
    project_cmd,
    simulate,
    validate,
    presets_cmd,
    schema,
    stresses_cmd,
    stress_cmd,
    compare_cmd,
    report_cmd,
    exposure_cmd,
    race_cmd,
    sensitivity_cmd,
):
    cli.add_command(command)


def _plain_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    line: str | None = None,
) -> str:
    """A warning as the command's user reads it: its message, not the line that raised it."""
    return f"wager: warning: {message}\n"


def _terminating_handler(pid: int) -> Callable[[int, FrameType | None], None]:
    """A handler that removes the command's temporary files, then exits 128 + signal."""

    def handler(signum: int, frame: FrameType | None) -> None:
        if os.getpid() != pid:  # a forked child: not the command; die as by default
            signal.signal(signum, signal.SIG_DFL)
            os.kill(os.getpid(), signum)
            return
        discard_temporaries()
        raise SystemExit(128 + signum)

    return handler


@contextmanager
def _removing_temporaries_on_termination() -> Iterator[None]:
    """While the command runs, SIGTERM and SIGHUP remove its temporary files
    and exit (128 + the signal's number).

    Installed only from the main thread, and only over the default
    disposition: a signal the caller ignores (``nohup``) stays ignored, and a
    handler of an embedding program stays in place. The previous handlers
    come back afterwards, so calling :func:`main` in a process changes
    nothing once it returns.
    """
    installed: dict[int, Any] = {}
    if threading.current_thread() is threading.main_thread():
        handler = _terminating_handler(os.getpid())
        for name in _TERMINATING:
            signum = getattr(signal, name, None)
            if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
                installed[signum] = signal.signal(signum, handler)
    try:
        yield
    finally:
        for signum, previous in installed.items():
            signal.signal(signum, previous)


def _click_pacified_a_broken_pipe() -> bool:
    """Whether click met a broken pipe (it then wraps the standard streams
    and exits 1)."""
    # By the class's name: later clicks rename it (_PacifyFlushWrapper) and
    # deprecate the old attribute, which would warn in the middle of the exit.
    return type(sys.stdout).__name__ in {"PacifyFlushWrapper", "_PacifyFlushWrapper"}


def _quiet_stdout() -> None:
    """Point standard output at ``os.devnull``: the interpreter's last flush
    of what is still buffered must not raise a second BrokenPipeError."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.__stdout__.fileno() if sys.__stdout__ else 1)
        os.close(devnull)
    except (OSError, ValueError):  # no file descriptor: nothing will be flushed to it
        pass


def _run(argv: Sequence[str] | None) -> None:
    args = list(argv) if argv is not None else sys.argv[1:]
    if "--version" in args and ("--verbose" in args or "-v" in args):
        from wager.kernel.versions import show_versions

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


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wager`` command.

    Parameters
    ----------
    argv
        The arguments (default ``sys.argv[1:]``).
    """
    warnings.formatwarning = _plain_warning  # this process is the command
    try:
        with _removing_temporaries_on_termination():
            _run(argv)
            if sys.stdout is not None:
                sys.stdout.flush()  # a broken pipe shows here, not at the interpreter's exit
    except (BrokenPipeError, _OutputClosed):
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except SystemExit as end:
        if end.code == 1 and _click_pacified_a_broken_pipe():
            _quiet_stdout()
            sys.exit(EXIT_BROKEN_PIPE)
        raise
