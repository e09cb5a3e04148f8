"""``wager validate``, ``wager presets`` and ``wager schema``: scenario files
and the built-in strategies."""

from __future__ import annotations

import json
import sys

import click

from wager import presets
from wager.cli.options import EXIT_BAD_INPUT, SET_OPTION, refuse_unknown_targets, with_set
from wager.scenario import Scenario
from wager.scenario.document import ScenarioDocument
from wager.scenario.errors import ScenarioError, printable
from wager.scenario.loader import STDIN, STDIN_SOURCE, file_document
from wager.scenario.overrides import Assignment

__all__ = ["presets_cmd", "schema", "validate"]


@click.command(name="validate")
@click.argument("files", nargs=-1, required=True)
@SET_OPTION
def validate(files: tuple[str, ...], assignments: tuple[Assignment, ...]) -> None:
    """Check scenario files; print what each holds, or why it is refused (exit 2).

    A FILE of - reads a scenario from standard input (TOML; JSON if it starts
    with '{', YAML if it starts with '---'). With --set, each file is checked
    with the values set (docs/cli.md).
    """
    read: list[ScenarioDocument | ScenarioError] = []
    for f in files:
        try:
            read.append(file_document(f))
        except ScenarioError as err:
            read.append(err)
    docs = [r if isinstance(r, ScenarioDocument) else None for r in read]
    refuse_unknown_targets(files, docs, assignments)
    failed = False
    for f, r in zip(files, read, strict=True):
        # The name as the user gave it, with control characters escaped: a
        # file name cannot forge a line such as "other.toml: valid".
        shown = STDIN_SOURCE if f == STDIN else printable(f)
        try:
            if isinstance(r, ScenarioError):
                raise r
            sc = with_set(f, r, assignments)
        except ScenarioError as err:
            click.echo(str(err), err=True)
            failed = True
            continue
        click.echo(
            f"{shown}: valid — {sc.name}, {sc.time.start_year}-{sc.time.horizon}, "
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
