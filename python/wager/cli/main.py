"""The ``wager`` command line.

Exit status: 0 on success, 2 for bad input (a refused scenario or a wrong
command line), 1 for anything unexpected.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Sequence

import click

from wager._version import __version__
from wager.cli.compare import compare_cmd, report_cmd
from wager.cli.options import EXIT_BAD_INPUT
from wager.cli.project import project_cmd, simulate
from wager.cli.race import race_cmd
from wager.cli.scenarios import presets_cmd, schema, validate
from wager.cli.stress import stress_cmd, stresses_cmd
from wager.scenario.errors import ScenarioError

__all__ = ["cli", "main"]


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
    race_cmd,
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


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point of the ``wager`` command."""
    warnings.formatwarning = _plain_warning  # this process is the command
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
    except BrokenPipeError:
        sys.exit(0)
