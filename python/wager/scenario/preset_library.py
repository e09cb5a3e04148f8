"""The built-in presets as the scenario format knows them: names a scenario
can ``extends``, and their text. The public entry point is
:mod:`wager.presets`; this module sits in the scenario layer so that
loading a scenario can read a preset without importing a layer above it.
"""

from __future__ import annotations

import functools
from importlib import resources
from importlib.abc import Traversable

__all__ = ["names", "text"]


def _folder() -> Traversable:
    # Package data of wager (the files beside wager/presets/__init__.py),
    # read as files: the presets module is not imported.
    return resources.files("wager").joinpath("presets")


@functools.cache
def names() -> tuple[str, ...]:
    """Names of the built-in presets, sorted (package data: they do not
    change while the process runs)."""
    files = _folder().iterdir()
    return tuple(sorted(f.name.removesuffix(".toml") for f in files if f.name.endswith(".toml")))


def text(name: str) -> str:
    """The text of a preset's scenario file (TOML); ``name`` must be one of :func:`names`."""
    if name not in names():
        raise KeyError(name)
    return _folder().joinpath(f"{name}.toml").read_text(encoding="utf-8")
