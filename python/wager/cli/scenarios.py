"""``wager validate``, ``wager presets`` and ``wager schema``: scenario files
and the built-in strategies."""

from __future__ import annotations

import json
import sys

import click

from wager import presets
from wager.cli.options import EXIT_BAD_INPUT
from wager.scenario import Scenario, load_scenario
from wager.scenario.errors import ScenarioError

__all__ = ["presets_cmd", "schema", "validate"]


@click.command(name="validate")
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


@click.command(name="presets")
def presets_cmd() -> None:
    """List the built-in strategies."""
    for name in presets.names():
        click.echo(f"{name}: {presets.load(name).description}")


@click.command(name="schema")
def schema() -> None:
    """Print the JSON Schema of a scenario file."""
    click.echo(json.dumps(Scenario.model_json_schema(), indent=2))
