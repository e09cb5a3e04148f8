"""Reads scenario files (TOML, JSON, YAML) into validated ``Scenario`` objects.

Every failure, whatever its cause, becomes one :class:`wager.ScenarioError`
naming the file, the field path and the reason: one line per problem.

Scenario files are small and untrusted. Only regular files are opened (a FIFO,
a device or a directory is refused unopened), or standard input for ``-``. A
file over :data:`MAX_FILE_BYTES` is refused before it is read in full; YAML is
read with a safe loader that also refuses tags, anchors, aliases (so no
"billion laughs") and duplicate keys; JSON refuses duplicate keys; NaN and
infinity are refused in every format.
"""

from __future__ import annotations

import json
import math
import os
import sys
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from wager.scenario.errors import ScenarioError, printable
from wager.scenario.file_kind import special_file_kind
from wager.scenario.plausibility import ScenarioPlausibilityWarning, unusual_values
from wager.scenario.schema import Scenario
from wager.scenario.validation_errors import describe_value, format_path, problems_from

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "MAX_FILE_BYTES",
    "STDIN",
    "as_scenario",
    "load_scenario",
    "parse_scenario_text",
    "scenario_from_dict",
]

#: Scenario files are small; anything larger is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: The path that reads a scenario from standard input (with the same limit).
STDIN = "-"
STDIN_SOURCE = "<stdin>"

_SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_FORMATS = {"toml": "toml", "json": "json", "yaml": "yaml", "yml": "yaml"}
_YAML_CORE = "tag:yaml.org,2002:"


class _SafeScenarioLoader(yaml.SafeLoader):
    """Safe YAML that also refuses anchors, aliases, unknown tags and duplicate keys."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problem = "anchors and aliases are not allowed in scenario files"
            raise yaml.composer.ComposerError(None, None, problem, event.start_mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _ in node.value:
                if key_node.tag == _YAML_CORE + "merge":
                    raise yaml.constructor.ConstructorError(
                        None,
                        None,
                        "merge keys (<<) are not allowed in scenario files",
                        key_node.start_mark,
                    )
                if isinstance(key_node, yaml.ScalarNode):
                    key = self.construct_object(key_node)
                    if key in seen:
                        raise yaml.constructor.ConstructorError(
                            None, None, f"duplicate key {key!r}", key_node.start_mark
                        )
                    seen.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_undefined(self, node: Any) -> Any:
        tag = str(node.tag)
        shown = "!!" + tag.removeprefix(_YAML_CORE) if tag.startswith(_YAML_CORE) else tag
        raise yaml.constructor.ConstructorError(
            None, None, f"the tag {shown} is not allowed in scenario files", node.start_mark
        )


_SafeScenarioLoader.add_constructor(None, _SafeScenarioLoader.construct_undefined)


def _json_constant(name: str) -> float:
    # NaN, Infinity, -Infinity: parsed, then refused with their field path.
    return float(name.replace("Infinity", "inf"))


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def _parse(text: str, fmt: str) -> Any:
    if fmt == "toml":
        return tomllib.loads(text)
    if fmt == "json":
        return json.loads(text, parse_constant=_json_constant, object_pairs_hook=_json_object)
    return yaml.load(text, Loader=_SafeScenarioLoader)  # a SafeLoader subclass


def _parse_error(err: Exception) -> str:
    """One line saying what is wrong with the text, and where."""
    if isinstance(err, RecursionError):
        return "nested too deeply"
    if isinstance(err, yaml.MarkedYAMLError):
        text = "; ".join(str(p) for p in (err.context, err.problem) if p)
        mark = err.problem_mark or err.context_mark
        if mark is not None:
            text += f" (line {mark.line + 1}, column {mark.column + 1})"
        return text
    return " ".join(str(err).split())


def _non_finite(data: Any) -> list[tuple[str, str]]:
    """Every NaN or infinity in the document, with its path (TOML and YAML can spell them)."""
    found: list[tuple[str, str]] = []
    stack: list[tuple[list[str | int], Any]] = [([], data)]
    while stack:
        parts, node = stack.pop()
        if isinstance(node, float) and not math.isfinite(node):
            found.append((format_path(parts), f"{node!r} is not a finite number"))
        elif isinstance(node, Mapping):
            stack.extend(([*parts, key], value) for key, value in node.items())
        elif isinstance(node, list | tuple):
            stack.extend(([*parts, f"[{i}]"], value) for i, value in enumerate(node))
    found.reverse()
    return found


def _prefixes(path: str) -> list[str]:
    """``path`` and every path it is inside: ``a.b[2]`` gives ``a.b[2]``, ``a.b``, ``a``, ``""``."""
    return [path, *(path[:i] for i, c in enumerate(path) if c in ".["), ""]


def _covered(path: str, reported: set[str]) -> bool:
    """Whether ``path`` is, or is inside, a path already reported.

    One set look-up per prefix of ``path``: linear in the number of problems,
    however many were reported.
    """
    return any(p in reported for p in _prefixes(path))


def scenario_from_dict(data: Any, source: str = "<dict>") -> Scenario:
    """Validate a parsed document as a :class:`Scenario`.

    Parameters
    ----------
    data
        The parsed document: a mapping of fields.
    source
        Named in error messages (a file name, or ``<dict>``).

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        Listing every problem found, one line each.
    """
    if not isinstance(data, Mapping):
        raise ScenarioError(
            source, [("", f"a scenario must be a table of fields, got {describe_value(data)}")]
        )
    non_finite = _non_finite(data)
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as err:
        problems = problems_from(err, Scenario, data)
        reported = {path for path, _ in problems}
        problems += [p for p in non_finite if not _covered(p[0], reported)]
        raise ScenarioError(source, problems) from None
    except RecursionError:
        raise ScenarioError(source, [("", "nested too deeply")]) from None
    if non_finite:  # pragma: no cover - the schema refuses them too
        raise ScenarioError(source, non_finite)
    for field, reason in unusual_values(data, scenario.accept_unusual):
        warnings.warn(
            f"{printable(source)}: {printable(field)}: {reason} (if meant, list "
            f"{printable(field)!r} in accept_unusual)",
            ScenarioPlausibilityWarning,
            stacklevel=2,
        )
    return scenario


def parse_scenario_text(text: str, fmt: str, source: str = "<text>") -> Scenario:
    """Parse and validate a scenario given as text.

    Parameters
    ----------
    text
        The document.
    fmt
        ``toml``, ``json``, ``yaml`` or ``yml``.
    source
        Named in error messages.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If the format is unknown, the text is malformed or empty, or the
        scenario is invalid.
    """
    kind = _FORMATS.get(fmt.lower())
    if kind is None:
        raise ScenarioError(source, [("", f"unknown format {fmt!r}; use toml, json or yaml")])
    try:
        data = _parse(text, kind)
    except (tomllib.TOMLDecodeError, yaml.YAMLError, ValueError, RecursionError) as err:
        # json.JSONDecodeError and UnicodeError are ValueErrors.
        reason = f"not valid {kind.upper()}: {_parse_error(err)}"
        raise ScenarioError(source, [("", reason)]) from None
    if data is None or (isinstance(data, Mapping) and not data):
        raise ScenarioError(source, [("", "the file is empty")])
    return scenario_from_dict(data, source)


def _refuse_special(source: str, mode: int) -> None:
    kind = special_file_kind(mode)
    if kind:
        reason = (
            f"cannot read the file: it is {kind}, not a regular file; give a scenario file, "
            "or - to read standard input"
        )
        raise ScenarioError(source, [("", reason)])


def _read_file(p: Path, source: str, limit: int) -> bytes:
    """At most ``limit + 1`` bytes of a regular file.

    A special file is refused before it is opened (opening a FIFO waits for a
    writer; a device may never end), and again if what was opened is one.
    """
    too_large = f"scenario files are limited to {limit} bytes"
    try:
        info = p.stat()
        _refuse_special(source, info.st_mode)  # before open(): opening a FIFO waits
        if info.st_size > limit:
            raise ScenarioError(source, [("", f"the file is {info.st_size} bytes; {too_large}")])
        with p.open("rb") as f:
            # What was opened, in case the path was replaced since stat().
            _refuse_special(source, os.fstat(f.fileno()).st_mode)
            raw = f.read(limit + 1)  # the size may lie (a growing file)
    except OSError as err:
        reason = f"cannot read the file: {err.strerror or err}"
        raise ScenarioError(source, [("", reason)]) from None
    if len(raw) > limit:
        raise ScenarioError(source, [("", f"the file is over {limit} bytes; {too_large}")])
    return raw


def _read_stdin(limit: int) -> bytes:
    """At most ``limit + 1`` bytes of standard input."""
    stream = sys.stdin
    if stream is None:
        raise ScenarioError(STDIN_SOURCE, [("", "there is no standard input to read")])
    try:
        buffer = getattr(stream, "buffer", None)
        if buffer is not None:
            raw = bytes(buffer.read(limit + 1))
        else:  # a text stream (a test's, a notebook's)
            raw = stream.read(limit + 1).encode("utf-8", "surrogateescape")
    except OSError as err:
        reason = f"cannot read standard input: {err.strerror or err}"
        raise ScenarioError(STDIN_SOURCE, [("", reason)]) from None
    if len(raw) > limit:
        reason = (
            f"standard input is over {limit} bytes; scenario files are limited to {limit} bytes"
        )
        raise ScenarioError(STDIN_SOURCE, [("", reason)])
    return raw


def _stdin_format(text: str) -> str:
    """The format of a scenario read from standard input (it has no file name)."""
    head = text.lstrip()
    if head.startswith("{"):
        return "json"
    if head.startswith("---"):
        return "yaml"
    return "toml"


def load_scenario(path: str | Path, fmt: str | None = None) -> Scenario:
    """Load a scenario file: ``.toml`` (main format), ``.json``, ``.yaml`` or ``.yml``.

    Parameters
    ----------
    path
        The file; or the string ``"-"`` to read standard input (a file named
        ``-`` is ``./-``). Only a regular file is read: a directory, a named
        pipe (FIFO), a device or a socket is refused without being opened.
    fmt
        ``toml``, ``json`` or ``yaml``: the format of standard input. By
        default standard input is JSON if it starts with ``{``, YAML if it
        starts with ``---``, TOML otherwise. A file's format is always its
        extension's.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        For anything wrong with the file: unknown extension, not a regular
        file, unreadable, too large (over :data:`MAX_FILE_BYTES`, standard
        input too), not UTF-8, malformed, empty, unsafe YAML, or any invalid
        field.
    """
    limit = MAX_FILE_BYTES
    if isinstance(path, str) and path == STDIN:
        source = STDIN_SOURCE
        raw = _read_stdin(limit)
    else:
        p = Path(path)
        source = str(p)
        fmt = _SUFFIXES.get(p.suffix.lower())
        if fmt is None:
            shown = repr(p.suffix) if p.suffix else "(none)"
            raise ScenarioError(
                source, [("", f"unknown file type {shown}; use .toml, .json, .yaml or .yml")]
            )
        raw = _read_file(p, source, limit)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 text (byte {err.start}: {err.reason}); save the file as UTF-8"
        raise ScenarioError(source, [("", reason)]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ScenarioError(source, [("", "the file is empty")])
    return parse_scenario_text(text, fmt or _stdin_format(text), source)


def as_scenario(scenario: Scenario | dict[str, Any]) -> Scenario:
    """Accept a Scenario or a plain dict (validated, raising ScenarioError)."""
    if isinstance(scenario, Scenario):
        return scenario
    return scenario_from_dict(scenario)
