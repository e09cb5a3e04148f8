"""Values set over a scenario document by field path: ``wager ... --set
financing.initial_cash=12.5``, ``wager.load_scenario(path, overrides=...)``
and :meth:`wager.Scenario.with_values` (``docs/cli.md``, "--set").

A path is the field's path in the file, with the stress targets' syntax
(``docs/stress.md``, "Targets"): table keys joined by dots
(``segments.consumer.revenue``, a year too: ``compute.training.2028``); an
item of a list by its position from 0 (``financing.tranches.0.amount``, or
``financing.tranches[0].amount`` as messages write it) or by its ``name``
(``compute.commitments.stargate.total``); ``*`` for every key of a table or
every item of a list. A value is set as if it were written in the file,
before the scenario is validated: missing tables on the way are created,
and the usual errors follow.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wager.scenario.errors import printable
from wager.scenario.merge import Sources, child_part, same_key
from wager.scenario.validation_errors import describe_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "MAX_PATH_LENGTH",
    "Assignment",
    "Override",
    "OverrideError",
    "apply_override",
    "parse_assignment",
    "parse_path",
    "parse_value",
]

#: A field path is at most this long (a stress target's limit).
MAX_PATH_LENGTH = 200
#: Shown at most this long in a scenario's origin.
_SHOWN_LENGTH = 200

_PART = re.compile(r"[A-Za-z0-9_]+|\*")
_INDEX = re.compile(r"\[(\d+)\]")
_BARE_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class OverrideError(ValueError):
    """A value cannot be set: ``path`` is where, as messages spell it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}" if path else reason)
        self.path = path
        self.reason = reason


def _quoted(text: str) -> str:
    """``text`` quoted for a one-line message, escaped (it may come from anywhere)."""
    return printable(repr(text))


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN_LENGTH else text[: _SHOWN_LENGTH - 3] + "..."


@dataclass(frozen=True)
class Override:
    """One value to set: ``path`` (see the module), ``value`` (what a TOML,
    JSON or YAML file would hold there) and ``text``, how the scenario's
    origin shows it (``financing.initial_cash=12.5``)."""

    path: str
    value: Any
    text: str

    @classmethod
    def of(cls, path: str, value: Any) -> Override:
        """An override given in Python, shown with its value as JSON."""
        try:
            shown = json.dumps(value, default=str, allow_nan=True)
        except (TypeError, ValueError):  # keys that JSON cannot write
            shown = repr(value)
        return cls(path, value, _shown(f"{path}={shown}"))


@dataclass(frozen=True)
class Assignment:
    """One ``--set [STRATEGY:]FIELD.PATH=VALUE``: ``target`` is the strategy
    it is for (None: every strategy of the command)."""

    target: str | None
    override: Override


def parse_path(path: str) -> list[str]:
    """The parts of a field path: ``a.b[2].c`` and ``a.b.2.c`` give
    ``["a", "b", "2", "c"]``.

    Raises
    ------
    ValueError
        For an empty or over-long path, or a part that is not a key, a
        position or ``*`` (one line, the path escaped).
    """
    if not path:
        raise ValueError("the field path is empty")
    if len(path) > MAX_PATH_LENGTH:
        raise ValueError(f"the field path is over {MAX_PATH_LENGTH} characters")
    parts = _INDEX.sub(r".\1", path).split(".")
    for part in parts:
        if not _PART.fullmatch(part):
            shown = printable(part) if part else "(empty)"
            raise ValueError(
                f"{_quoted(path)}: {shown} is not a key (letters, digits and _), a position or *"
            )
    return parts


def parse_value(text: str) -> Any:
    """A value written as in a TOML file: ``12.5``, ``true``, ``"text"``,
    ``[1, 2]``, ``{ dist = "normal", mean = 10, sd = 2 }``; a bare word
    (``bust``) is taken as the string it spells.

    Raises
    ------
    ValueError
        If ``text`` is not one TOML value (one line, the text escaped).
    """
    try:
        doc = tomllib.loads(f"value = {text}")
    except tomllib.TOMLDecodeError as err:
        if _BARE_WORD.fullmatch(text):
            return text
        why = " ".join(str(err).split())
        raise ValueError(
            f"{_quoted(text)} is not a TOML value ({printable(why)}); "
            'write a string in quotes: name="x"'
        ) from None
    if set(doc) != {"value"}:
        raise ValueError(f"{_quoted(text)} is more than one TOML value")
    return doc["value"]


def parse_assignment(text: str) -> Assignment:
    """``[STRATEGY:]FIELD.PATH=VALUE`` (``--set``) read.

    Raises
    ------
    ValueError
        Naming what is wrong, on one line, the text escaped.
    """
    left, equals, value_text = text.partition("=")
    if not equals:
        raise ValueError(f"{_quoted(text)} is not FIELD.PATH=VALUE")
    target, colon, path = left.strip().rpartition(":")
    if colon and not target.strip():
        raise ValueError(f"{_quoted(text)}: no strategy before ':'")
    path = path.strip()
    parse_path(path)
    value = parse_value(value_text.strip())
    return Assignment(target.strip() or None, Override(path, value, _shown(text.strip())))


def apply_override(
    data: Mapping[str, Any], sources: Sources, override: Override, label: str
) -> tuple[dict[str, Any], Sources]:
    """``data`` with ``override`` set, and its sources with ``label`` as
    the source of what was set. ``data`` is not changed.

    Raises
    ------
    OverrideError
        If the path cannot be followed: a position past the end of a list,
        no item of that name, ``*`` on an empty table or list, a key inside
        a number or a string. The path's syntax is checked first
        (``ValueError`` from :func:`parse_path`).
    """
    parts = parse_path(override.path)
    out, out_sources = _assign(data, sources, parts, "", override.value, label)
    assert isinstance(out, dict)
    return out, out_sources


def _join(path: str, part: str) -> str:
    if not path:
        return part
    return path + part if part.startswith("[") else f"{path}.{part}"


def _matches(node: Any, part: str, path: str) -> list[tuple[Any, str]]:
    """The keys or positions of ``node`` that ``part`` reaches, each with
    its part in messages; a key not in a table is a new key."""
    if isinstance(node, Mapping):
        if part == "*":
            if not node:
                raise OverrideError(path, "* matches nothing: the table is empty")
            return [(k, child_part(k)) for k in node]
        found = [k for k in node if same_key(k) == part]
        return [(k, child_part(k)) for k in found] or [(part, child_part(part))]
    if isinstance(node, list):
        if part == "*":
            if not node:
                raise OverrideError(path, "* matches nothing: the list is empty")
            return [(i, f"[{i}]") for i in range(len(node))]
        if part.isdigit():
            i = int(part)
            if i >= len(node):
                raise OverrideError(path, f"no item {i}: the list has {len(node)}")
            return [(i, f"[{i}]")]
        found = [
            i
            for i, item in enumerate(node)
            if isinstance(item, Mapping) and item.get("name") == part
        ]
        if not found:
            names = [item.get("name") for item in node if isinstance(item, Mapping)]
            known = ", ".join(str(n) for n in names if isinstance(n, str)) or "none"
            raise OverrideError(
                path, f"no item named {part!r} (names: {known}; or give a position from 0)"
            )
        return [(i, f"[{i}]") for i in found]
    raise OverrideError(
        path, f"is {describe_value(node)}, not a table: {part!r} cannot be set inside it"
    )


def _assign(
    node: Any, sources: Sources, parts: list[str], path: str, value: Any, label: str
) -> tuple[Any, Sources]:
    part, rest = parts[0], parts[1:]
    matches = _matches(node, part, path)
    out: Any
    if isinstance(node, Mapping):
        out = dict(node)
        listed = sources.listed(child_part(k) for k in node)
    else:
        out = list(node)
        listed = sources.listed(f"[{i}]" for i in range(len(node)))
    for key, shown in matches:
        if not rest:
            out[key] = copy.deepcopy(value)
            listed.children[shown] = Sources(label)
            continue
        known = key in node if isinstance(node, Mapping) else True
        child = node[key] if known else {}
        child_sources = listed.child(shown) if known else Sources(label)
        out[key], listed.children[shown] = _assign(
            child, child_sources, rest, _join(path, shown), value, label
        )
    return out, listed
