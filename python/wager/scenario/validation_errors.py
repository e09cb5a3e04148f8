"""Turns pydantic's validation errors into ``(field path, reason)`` pairs.

Paths are written the way the scenario file spells them: ``financing.initial_cash``
for table keys (years too: ``compute.training.2040``), ``[2]`` for list positions,
and a key that is not a bare TOML key in double quotes (``segments."my seg"``).
Pydantic's internal location parts (union tags such as ``table``, validator
wrappers such as ``function-after[...]``) never appear.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from wager.scenario.errors import printable
from wager.scenario.series import SERIES_TAGS

__all__ = ["describe_value", "format_path", "problems_from"]

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_]*$"
_MAX_SHOWN = 60
_KEY_ERROR = "[key]"

#: Pydantic's message prefixes that say nothing to a reader of a scenario file.
_NOISE_PREFIXES = ("Value error, ", "Assertion failed, ")


def format_path(parts: Iterable[str | int]) -> str:
    """Join path parts into the dotted path used in messages.

    Parameters
    ----------
    parts
        Table keys (``str``, or ``int`` for a year key given as a number) and
        list positions. A list position must be given as ``[i]`` text so that it
        is not mistaken for a year key; see :func:`problems_from`.

    Returns
    -------
    str
        ``a.b[2].c``; keys that are not bare TOML keys are double-quoted, with
        control characters escaped (``"a\\x1bb"``, see
        :func:`wager.scenario.errors.printable`).
    """
    out = ""
    for part in parts:
        text = str(part)
        if text.startswith("[") and text.endswith("]") and text[1:-1].isdigit():
            out += text
            continue
        if not _BARE_KEY.match(text):
            text = '"' + printable(text.replace("\\", "\\\\").replace('"', '\\"')) + '"'
        out += f".{text}" if out else text
    return out


def describe_value(value: Any) -> str:
    """A short, one-line description of a bad input value for a message.

    Parameters
    ----------
    value
        The value pydantic refused.

    Returns
    -------
    str
        ``'1.5'`` for a string, ``True`` for a boolean, ``a table`` or
        ``a list`` for containers; long texts are shortened.
    """
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, str) and len(value) > _MAX_SHOWN:
        value = value[:_MAX_SHOWN]  # repr only what is shown (texts may be long)
    try:
        text = repr(value)
    except ValueError:  # an integer too long to print
        return "a very large number"
    text = " ".join(text.split())
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


def _is_wrapper(item: str | int) -> bool:
    """Location parts pydantic adds that are not keys of the document."""
    return isinstance(item, str) and (
        item in SERIES_TAGS or item.startswith(("function-", "list[", "dict[", "tagged-union["))
    )


def _lookup(node: Any, item: str | int) -> tuple[bool, Any, Any]:
    """Find ``item`` in the document node: ``(found, key as written, child)``."""
    if isinstance(node, Mapping):
        for key in (item, str(item)):
            if key in node:
                return True, key, node[key]
        if isinstance(item, str) and item.strip().isdigit():
            number = int(item)
            if number in node:
                return True, number, node[number]
    elif (
        isinstance(node, list | tuple)
        and isinstance(item, int)
        and not isinstance(item, bool)
        and 0 <= item < len(node)
    ):
        return True, f"[{item}]", node[item]
    return False, None, None


def _path_parts(loc: Sequence[str | int], data: Any) -> tuple[list[str | int], bool]:
    """Walk ``loc`` through the document: the path parts, and whether the error is about a key."""
    parts: list[str | int] = []
    node = data
    known = data is not None
    key_error = False
    for item in loc:
        if item == _KEY_ERROR:
            key_error = True
            continue
        if known:
            found, key, child = _lookup(node, item)
            if found:
                parts.append(key)
                node = child
                continue
        if _is_wrapper(item):
            continue
        # Not in the document (a missing field) or no document to walk.
        known = False
        parts.append(f"[{item}]" if isinstance(item, int) and not _is_mapping(node) else item)
        node = None
    return parts, key_error


def _is_mapping(node: Any) -> bool:
    return isinstance(node, Mapping)


def _strip(annotation: Any) -> Any:
    """Remove ``Annotated[...]`` and ``X | None`` around a type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model_at(root: type[BaseModel], loc: Sequence[str | int]) -> type[BaseModel] | None:
    """The model class found by following ``loc`` from ``root`` (to list its known keys)."""
    current: Any = root
    for item in loc:
        current = _strip(current)
        origin = typing.get_origin(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(item))
            if field is None:
                return None
            current = field.annotation
        elif origin is dict:
            current = typing.get_args(current)[1]
        elif origin is list:
            current = typing.get_args(current)[0]
        elif not _is_wrapper(item):
            return None
    current = _strip(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return current
    return None


def _did_you_mean(root: type[BaseModel], loc: Sequence[str | int]) -> str:
    holder = _model_at(root, loc[:-1])
    if holder is None:
        return ""
    fields = list(holder.model_fields)
    close = difflib.get_close_matches(str(loc[-1]).lower(), fields, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _reason(err: Any, root: type[BaseModel], loc: Sequence[str | int]) -> str:
    """The reason for one pydantic error, in the words of a scenario file."""
    kind: str = err["type"]
    value = err.get("input")
    got = f" (got {describe_value(value)})" if "input" in err else ""
    if kind == "extra_forbidden":
        return "unknown key" + _did_you_mean(root, loc)
    if kind == "missing":
        return "required field missing"
    if kind == "finite_number":
        return f"{describe_value(value)} is not a finite number"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a table{got}"
    if kind == "list_type":
        return f"expected a list{got}"
    if kind == "string_pattern_mismatch" and (err.get("ctx") or {}).get("pattern") == _NAME_PATTERN:
        return f"names must start with a letter or _ and use only letters, digits and _{got}"
    msg = str(err["msg"])
    for prefix in _NOISE_PREFIXES:
        msg = msg.removeprefix(prefix)
    if kind in ("value_error", "assertion_error"):
        return msg
    return msg + got


def problems_from(
    error: ValidationError, root: type[BaseModel], data: Any = None
) -> list[tuple[str, str]]:
    """List each error of a validation as ``(dotted field path, reason)``.

    Parameters
    ----------
    error
        What ``root.model_validate(data)`` raised.
    root
        The model that was validated (used to suggest a known key for an
        unknown one: "did you mean 'initial_cash'?").
    data
        The document that was validated. With it, paths follow the document
        exactly (``segments.consumer.revenue.2029`` for a year key,
        ``[2]`` for a list position); without it, integer parts are shown as
        list positions.

    Returns
    -------
    list of (str, str)
        One pair per problem, in pydantic's order, without duplicates. Each
        reason is a single line. The time taken is linear in the number of
        errors (duplicates are found in a set).
    """
    out: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()
    for err in error.errors(include_url=False):
        loc: tuple[str | int, ...] = tuple(err["loc"])
        parts, key_error = _path_parts(loc, data)
        found: list[tuple[str, str]] = []
        if err["type"] == "scenario":
            # Raised by the schema's own checks: ctx names the path below loc
            # (and, from fail_all, the check's other problems).
            ctx = err.get("ctx") or {}
            prefix = format_path(parts)
            pairs = [(ctx.get("path", ""), ctx.get("reason", err["msg"])), *ctx.get("more", [])]
            for sub, why in pairs:
                sub = str(sub)
                found.append((f"{prefix}.{sub}" if prefix and sub else prefix or sub, str(why)))
        else:
            reason = _reason(err, root, loc)
            found.append((format_path(parts), f"invalid key: {reason}" if key_error else reason))
        for path, reason in found:
            problem = (path, " ".join(reason.split()))
            if problem not in seen:
                seen.add(problem)
                out.append(problem)
    return out
