"""The library of named stresses as the scenario format knows it: their
names (which a scenario's own stresses may not take) and their definitions
(which a scenario's stresses may include), read from the TOML files of the
``wager/stresses`` folder. The public entry point is :mod:`wager.stresses`;
this module sits in the scenario layer so that validating a scenario can
read the library without importing a layer above it.
"""

from __future__ import annotations

import functools
import sys
from importlib import resources
from importlib.abc import Traversable
from typing import Any

from pydantic import ValidationError

from wager.scenario.errors import ScenarioError
from wager.scenario.stress_schema import Stress
from wager.scenario.validation_errors import problems_from

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["StressError", "load", "names", "one_bet_names", "parse_stress", "text"]


class StressError(ScenarioError):
    """A stress, or one of its shocks, was refused.

    The message names the stress (or its file), the shock's path in it
    (``shocks[2].target``) and the reason, one line per problem.
    """


def _folder() -> Traversable:
    # Package data of wager (the files beside wager/stresses/__init__.py),
    # read as files: the stresses module is not imported.
    return resources.files("wager").joinpath("stresses")


def names() -> list[str]:
    """Names of the library's stresses, sorted."""
    return list(_names())


def one_bet_names() -> list[str]:
    """The library's stresses that act on one bet alone, sorted: all but a
    contagion's, whose shocks start on another bet's distress and act only
    where both bets run together (``wager.compare``, ``wager.exposure``;
    docs/model.md section 25)."""

    def between_bets(name: str, depth: int = 0) -> bool:
        item = load(name)
        if any(k.trigger is not None and k.trigger.distress is not None for k in item.shocks):
            return True
        return depth < len(_names()) and any(
            between_bets(inc, depth + 1) for inc in item.includes if inc in _names()
        )

    return [n for n in _names() if not between_bets(n)]


@functools.cache
def _names() -> tuple[str, ...]:
    # The library is package data: it does not change while the process runs.
    files = _folder()
    return tuple(
        sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))
    )


def text(name: str) -> str:
    """The text of a library stress's file (TOML)."""
    if name not in names():
        raise StressError(
            f"stress {name!r}", [("", f"unknown stress; known: {', '.join(names())}")]
        )
    return _folder().joinpath(f"{name}.toml").read_text(encoding="utf-8")


def parse_stress(data: Any, source: str) -> Stress:
    """Validate a parsed stress document (a table of fields).

    Raises
    ------
    StressError
        Naming ``source``, each bad field's path and the reason.
    """
    if not isinstance(data, dict):
        raise StressError(source, [("", "a stress must be a table of fields")])
    try:
        return Stress.model_validate(data)
    except ValidationError as err:
        raise StressError(source, problems_from(err, Stress, data)) from None


@functools.cache
def load(name: str) -> Stress:
    """A library stress by name (see :func:`names`); stresses are immutable."""
    source = f"stress {name} (wager/stresses/{name}.toml)"
    try:
        data = tomllib.loads(text(name))
    except tomllib.TOMLDecodeError as err:  # pragma: no cover - the library files are tested
        raise StressError(source, [("", f"not valid TOML: {err}")]) from None
    stress = parse_stress(data, source)
    if stress.name != name:
        raise StressError(source, [("name", f"{stress.name!r} differs from the file's name")])
    return stress
