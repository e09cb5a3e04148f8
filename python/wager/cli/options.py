"""What the ``wager`` commands share: reading a scenario argument, a path
count, the output format option."""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from wager import presets
from wager.scenario import Scenario, load_scenario
from wager.scenario.errors import ScenarioError

__all__ = [
    "EXIT_BAD_INPUT",
    "FORMAT_OPTION",
    "monte_carlo_options",
    "path_count",
    "resolve_scenario",
]

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
                default=0,
                show_default=True,
                type=click.IntRange(0, 2**64 - 1),
                help="Random seed.",
            ),
            click.option(
                "--threads",
                default=None,
                type=click.IntRange(1),
                help="Threads (default: all cores).",
            ),
        ]
        for option in reversed(options):
            f = option(f)
        return f

    return decorate


def resolve_scenario(spec: str) -> Scenario:
    """A scenario file, or the name of a built-in preset."""
    if not Path(spec).exists():
        if spec in presets.names():
            return presets.load(spec)
        close = difflib.get_close_matches(spec, presets.names(), n=1)
        if close:
            reason = f"no such file; did you mean the preset {close[0]!r}?"
            raise ScenarioError(spec, [("", reason)])
    return load_scenario(spec)


def path_count(value: str) -> int:
    """A path count such as ``100000`` or ``1e6``."""
    try:
        n = float(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a number of paths") from None
    # NaN and infinities (1e400 reads as inf) are no count: refused before int().
    if not math.isfinite(n) or n < 1 or n != int(n):
        raise click.BadParameter(f"{value!r} is not a positive whole number of paths")
    return int(n)
