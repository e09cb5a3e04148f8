"""Reads scenario files (TOML, JSON, YAML) into validated ``Scenario`` objects.

Every failure, whatever its cause, becomes one :class:`wager.ScenarioError`
naming the file, the field path and the reason: one line per problem.

Scenario files are small and untrusted. Only regular files are opened (a FIFO,
a device or a directory is refused unopened), or standard input for ``-``. A
file over :data:`MAX_FILE_BYTES` is refused before it is read in full; YAML is
read with a safe loader that also refuses tags, anchors, aliases (so no
"billion laughs") and duplicate keys; JSON refuses duplicate keys; NaN and
infinity are refused in every format.

A scenario may ``extends`` a preset or another file (:mod:`wager.scenario.extends`),
and values may be set over it by field path (``overrides``,
:mod:`wager.scenario.overrides`): both act on the parsed document, before it
is validated, so the usual errors follow, naming where each bad value came
from.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from wager.scenario import preset_library
from wager.scenario.document import OVERRIDES_LABEL, ScenarioDocument, validated
from wager.scenario.errors import ScenarioError
from wager.scenario.extends import preset_key, resolve_extends
from wager.scenario.file_kind import open_regular, special_file_kind
from wager.scenario.overrides import Override
from wager.scenario.schema import Scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "MAX_FILE_BYTES",
    "STDIN",
    "Overrides",
    "as_scenario",
    "file_document",
    "load_scenario",
    "parse_scenario_text",
    "preset_document",
    "scenario_from_dict",
    "scenario_from_document",
]

#: Scenario files are small; anything larger is refused before parsing.
MAX_FILE_BYTES = 4 * 1024 * 1024

#: The path that reads a scenario from standard input (with the same limit).
STDIN = "-"
STDIN_SOURCE = "<stdin>"

_SUFFIXES = {".toml": "toml", ".json": "json", ".yaml": "yaml", ".yml": "yaml"}
_FORMATS = {"toml": "toml", "json": "json", "yaml": "yaml", "yml": "yaml"}
_YAML_CORE = "tag:yaml.org,2002:"

#: Values set over a scenario by field path (``docs/cli.md``, "--set"):
#: ``{"financing.initial_cash": 12.5}``, or pairs to set one path twice.
Overrides = Mapping[str, Any] | Iterable[tuple[str, Any]]


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


def _override_list(overrides: Overrides | None) -> list[Override]:
    """``overrides`` as :class:`Override` items, in order."""
    if overrides is None:
        return []
    pairs = overrides.items() if isinstance(overrides, Mapping) else overrides
    out = []
    for pair in pairs:
        path, value = pair
        if not isinstance(path, str):
            raise TypeError(f"overrides: a field path is a string, got {path!r}")
        out.append(Override.of(path, value))
    return out


def scenario_from_document(
    doc: ScenarioDocument, overrides: Overrides | None = None, label: str = OVERRIDES_LABEL
) -> Scenario:
    """Validate a document (:func:`file_document`, :func:`preset_document`),
    with ``overrides`` set over it first, named ``label`` in messages.

    Raises
    ------
    ScenarioError
        Listing every problem found, one line each.
    """
    doc = doc.with_overrides(_override_list(overrides), label)
    scenario = validated(Scenario, doc, stacklevel=3)
    scenario._origin = doc.origin
    return scenario


def _document(data: Any, source: str, directory: Path | None, key: str | None) -> ScenarioDocument:
    return resolve_extends(data, source, directory, _read_base_file, key=key)


def scenario_from_dict(
    data: Any, source: str = "<dict>", *, overrides: Overrides | None = None
) -> Scenario:
    """Validate a parsed document as a :class:`Scenario`.

    Parameters
    ----------
    data
        The parsed document: a mapping of fields. Its ``extends`` (a preset
        name, or a file relative to the current directory) is merged under it.
    source
        Named in error messages (a file name, or ``<dict>``).
    overrides
        Values to set by field path before validation:
        ``{"financing.initial_cash": 12.5}`` (``docs/api.md``).

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        Listing every problem found, one line each.
    """
    return scenario_from_document(_document(data, source, None, None), overrides)


def _parse_text(text: str, fmt: str, source: str) -> Any:
    """The document a text holds (a table of fields, or whatever it holds)."""
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
    return data


def parse_scenario_text(
    text: str, fmt: str, source: str = "<text>", *, overrides: Overrides | None = None
) -> Scenario:
    """Parse and validate a scenario given as text.

    Parameters
    ----------
    text
        The document. Its ``extends`` (a preset name, or a file relative to
        the current directory) is merged under it.
    fmt
        ``toml``, ``json``, ``yaml`` or ``yml``.
    source
        Named in error messages.
    overrides
        Values to set by field path before validation (``docs/api.md``).

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
    doc = _document(_parse_text(text, fmt, source), source, None, None)
    return scenario_from_document(doc, overrides)


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

    The file is opened without blocking and what was opened is checked, so a
    special file is refused without waiting (opening a FIFO waits for a
    writer; a device may never end), even one put in the path's place after
    any earlier look at it.
    """
    too_large = f"scenario files are limited to {limit} bytes"
    try:
        with open_regular(p) as f:
            _refuse_special(source, os.fstat(f.fileno()).st_mode)
            size = os.fstat(f.fileno()).st_size
            if size > limit:
                raise ScenarioError(source, [("", f"the file is {size} bytes; {too_large}")])
            raw = f.read(limit + 1)  # the size may lie (a growing file)
    except OSError as err:
        failed: OSError | None = err
    else:
        failed = None
    if failed is not None:
        # What cannot be opened may still be named (a socket, a directory).
        mode = 0
        with contextlib.suppress(OSError):
            mode = p.stat().st_mode
        if mode:
            _refuse_special(source, mode)
        reason = f"cannot read the file: {failed.strerror or failed}"
        raise ScenarioError(source, [("", reason)])
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


def _decode(raw: bytes, source: str) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        reason = f"not UTF-8 text (byte {err.start}: {err.reason}); save the file as UTF-8"
        raise ScenarioError(source, [("", reason)]) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise ScenarioError(source, [("", "the file is empty")])
    return text


def _read_path(p: Path, source: str) -> tuple[str, str]:
    """The text of a scenario file and its format (from its suffix)."""
    fmt = _SUFFIXES.get(p.suffix.lower())
    if fmt is None:
        shown = repr(p.suffix) if p.suffix else "(none)"
        raise ScenarioError(
            source, [("", f"unknown file type {shown}; use .toml, .json, .yaml or .yml")]
        )
    return _decode(_read_file(p, source, MAX_FILE_BYTES), source), fmt


def _read_base_file(p: Path, source: str) -> Any:
    """A file that a scenario ``extends``, parsed (not validated: a base
    need not be a whole scenario)."""
    text, fmt = _read_path(p, source)
    return _parse_text(text, fmt, source)


def file_document(path: str | Path, fmt: str | None = None) -> ScenarioDocument:
    """A scenario file (or ``-``, standard input) read and parsed, with what
    it extends merged in, not yet validated (see :func:`load_scenario`).

    Raises
    ------
    ScenarioError
        For anything wrong with the file or a file it extends.
    """
    if isinstance(path, str) and path == STDIN:
        text = _decode(_read_stdin(MAX_FILE_BYTES), STDIN_SOURCE)
        data = _parse_text(text, fmt or _stdin_format(text), STDIN_SOURCE)
        return _document(data, STDIN_SOURCE, None, None)
    p = Path(path)
    text, suffix_fmt = _read_path(p, str(p))
    data = _parse_text(text, suffix_fmt, str(p))
    return _document(data, str(p), p.parent, os.path.realpath(p))


def preset_document(name: str) -> ScenarioDocument:
    """A built-in preset's document, not yet validated; named ``preset <name>``.

    Raises
    ------
    ScenarioError
        If ``name`` is no preset.
    """
    source = f"preset {name}"
    if name not in preset_library.names():
        known = ", ".join(preset_library.names())
        raise ScenarioError(f"preset {name!r}", [("", f"unknown preset; known: {known}")])
    data = _parse_text(preset_library.text(name), "toml", source)
    return _document(data, source, None, preset_key(name))


def load_scenario(
    path: str | Path, fmt: str | None = None, *, overrides: Overrides | None = None
) -> Scenario:
    """Load a scenario file: ``.toml`` (main format), ``.json``, ``.yaml`` or ``.yml``.

    Parameters
    ----------
    path
        The file; or the string ``"-"`` to read standard input (a file named
        ``-`` is ``./-``). Only a regular file is read: a directory, a named
        pipe (FIFO), a device or a socket is refused without being opened.
        Its ``extends`` (a preset name, or a file relative to this file's
        directory) is merged under it (``docs/scenarios.md``, "Extending a
        scenario").
    fmt
        ``toml``, ``json`` or ``yaml``: the format of standard input. By
        default standard input is JSON if it starts with ``{``, YAML if it
        starts with ``---``, TOML otherwise. A file's format is always its
        extension's.
    overrides
        Values to set by field path before validation, as ``--set`` does:
        ``{"financing.initial_cash": 12.5, "segments.consumer.volatility":
        0.3}`` (``docs/api.md``); a problem they cause ends with ``(from
        overrides)``.

    Returns
    -------
    Scenario
        The validated scenario; ``scenario.origin`` says what it was read
        from, what it extends and what was set over it.

    Raises
    ------
    ScenarioError
        For anything wrong with the file: unknown extension, not a regular
        file, unreadable, too large (over :data:`MAX_FILE_BYTES`, standard
        input too), not UTF-8, malformed, empty, unsafe YAML, a bad
        ``extends`` or override, or any invalid field.
    """
    return scenario_from_document(file_document(path, fmt), overrides)


def as_scenario(scenario: Scenario | dict[str, Any]) -> Scenario:
    """Accept a Scenario or a plain dict (validated, raising ScenarioError)."""
    if isinstance(scenario, Scenario):
        return scenario
    return scenario_from_dict(scenario)
