"""The library of named stresses, shipped as one TOML file per stress beside
this module (``docs/stress.md`` documents each: narrative, shocks, source).

>>> import wager
>>> "funding_freeze" in wager.stresses.names()
True
"""

from __future__ import annotations

import functools
import sys
from importlib import resources
from typing import Any

from pydantic import ValidationError

from wager.scenario.errors import ScenarioError
from wager.scenario.stress_schema import Stress
from wager.scenario.validation_errors import problems_from

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["StressError", "load", "names", "parse_stress", "text"]


class StressError(ScenarioError):
    """A stress, or one of its shocks, was refused.

    The message names the stress (or its file), the shock's path in it
    (``shocks[2].target``) and the reason, one line per problem.
    """


def names() -> list[str]:
    """Names of the library's stresses, sorted."""
    return list(_names())


@functools.cache
def _names() -> tuple[str, ...]:
    # The library is package data: it does not change while the process runs.
    files = resources.files(__package__)
    return tuple(
        sorted(f.name.removesuffix(".toml") for f in files.iterdir() if f.name.endswith(".toml"))
    )


def text(name: str) -> str:
    """The text of a library stress's file (TOML)."""
    if name not in names():
        raise StressError(
            f"stress {name!r}", [("", f"unknown stress; known: {', '.join(names())}")]
        )
    return resources.files(__package__).joinpath(f"{name}.toml").read_text(encoding="utf-8")


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
