"""Turns pydantic's validation errors into ``(field path, reason)`` pairs."""

from __future__ import annotations

import difflib
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .series import SERIES_TAGS

__all__ = ["problems_from"]


def _loc_to_path(loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in SERIES_TAGS or item.startswith(("function-", "list[", "dict[")):
            continue
        elif item == "[key]":
            parts.append("<key>")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def _model_at(root: type[BaseModel], loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class that holds the field at ``loc`` (to list its known keys)."""
    current: Any = root
    for item in loc:
        if isinstance(item, int) or item in SERIES_TAGS:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(item))
            if field is None:
                return current if item == loc[-1] else None
            current = _unwrap(field.annotation)
        elif item != loc[-1]:
            # a dict of models: the key is a user-chosen name
            continue
    return None


def _unwrap(annotation: Any) -> Any:
    """The model class inside ``Model``, ``list[Model]``, ``dict[str, Model]`` or ``Model | None``."""
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        for inner in typing.get_args(arg):
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def problems_from(error: ValidationError, root: type[BaseModel]) -> list[tuple[str, str]]:
    """List each error as ``(dotted field path, reason)``, with "did you mean" for unknown keys."""
    out: list[tuple[str, str]] = []
    for err in error.errors(include_url=False):
        loc = tuple(err["loc"])
        ctx = err.get("ctx") or {}
        if err["type"] == "scenario":
            prefix = _loc_to_path(loc)
            path = f"{prefix}.{ctx['path']}" if prefix else str(ctx["path"])
            out.append((path, str(ctx["reason"])))
            continue
        path = _loc_to_path(loc)
        reason = err["msg"]
        if err["type"] == "extra_forbidden":
            reason = "unknown key"
            holder = _model_at(root, loc)
            if holder is not None:
                close = difflib.get_close_matches(str(loc[-1]), list(holder.model_fields), n=1, cutoff=0.6)
                if close:
                    reason += f" (did you mean {close[0]!r}?)"
        elif err["type"] == "missing":
            reason = "required field missing"
        else:
            reason = f"{reason} (got {err.get('input')!r})" if "input" in err and not isinstance(
                err.get("input"), dict | list
            ) else reason
        out.append((path, reason))
    return out
