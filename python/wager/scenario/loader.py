"""Reads scenario files (TOML, JSON, YAML) into validated ``Scenario`` objects.

Every failure, whatever its cause, becomes one :class:`wager.ScenarioError`
naming the file, the field path and the reason.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import ScenarioError
from .schema import Scenario
from .validation_errors import problems_from

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["MAX_FILE_BYTES", "load_scenario", "parse_scenario_text", "scenario_from_dict"]

#: Scenario files are small; anything larger is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024

_SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}


class _NoAliasLoader(yaml.SafeLoader):
    """Safe YAML that also refuses anchors and aliases (no "billion laughs")."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.YAMLError(f"aliases are not allowed in scenario files ({event.start_mark})")
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise yaml.YAMLError(f"anchors are not allowed in scenario files ({event.start_mark})")
        return super().compose_node(parent, index)


def _json_constant(name: str) -> float:
    raise ValueError(f"{name} is not a finite number")


def _parse(text: str, fmt: str) -> Any:
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "json":
        return json.loads(text, parse_constant=_json_constant)
    return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass


def _reject_non_finite(data: Any, path: str = "") -> None:
    """TOML and YAML can spell nan and inf; refuse them wherever they appear."""
    if isinstance(data, float) and not math.isfinite(data):
        raise ScenarioError("", [(path, f"{data!r} is not a finite number")])
    if isinstance(data, Mapping):
        for key, value in data.items():
            _reject_non_finite(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _reject_non_finite(value, f"{path}[{i}]")


def scenario_from_dict(data: Any, source: str = "<dict>") -> Scenario:
    """Validate a plain mapping as a :class:`Scenario`, raising :class:`ScenarioError`.

    Parameters
    ----------
    data
        The parsed document.
    source
        Named in error messages (a file name, or ``<dict>``).
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(source, [("", f"a scenario must be a table of fields, got {type(data).__name__}")])
    try:
        _reject_non_finite(data)
    except ScenarioError as err:
        raise ScenarioError(source, err.problems) from None
    try:
        return Scenario.model_validate(data)
    except ValidationError as err:
        raise ScenarioError(source, problems_from(err, Scenario)) from None


def parse_scenario_text(text: str, fmt: str, source: str = "<text>") -> Scenario:
    """Parse and validate a scenario given as text in ``fmt`` (toml, json or yaml)."""
    try:
        data = _parse(text, fmt)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, yaml.YAMLError, ValueError, RecursionError) as err:
        raise ScenarioError(source, [("", f"not valid {fmt.upper()}: {err}")]) from None
    if data is None or (isinstance(data, Mapping) and not data):
        raise ScenarioError(source, [("", "the file is empty")])
    return scenario_from_dict(data, source)


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file: ``.toml`` (main format), ``.json``, ``.yaml`` or ``.yml``.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        For anything wrong with the file: unreadable, too large, not UTF-8,
        malformed, empty, unsafe YAML, or any invalid field.
    """
    p = Path(path)
    source = str(p)
    fmt = _SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        raise ScenarioError(source, [("", f"unknown file type {p.suffix!r}; use .toml, .json, .yaml or .yml")])
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ScenarioError(source, [("", f"file is {size} bytes; scenario files are limited to {MAX_FILE_BYTES}")])
        raw = p.read_bytes()
    except OSError as err:
        raise ScenarioError(source, [("", f"cannot read the file: {err.strerror or err}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ScenarioError(source, [("", f"not UTF-8 text (byte {err.start}: {err.reason})")]) from None
    if not text.strip():
        raise ScenarioError(source, [("", "the file is empty")])
    return parse_scenario_text(text.removeprefix("\ufeff"), fmt, source)
