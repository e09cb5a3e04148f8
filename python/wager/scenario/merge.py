"""Deep merge of scenario documents, remembering which document set each part.

A scenario that ``extends`` another is its base with the extending file's
values merged over it (``docs/scenarios.md``, "Extending a scenario"):

- tables merge key by key;
- ``compute.commitments``, whose contracts have unique names, merge by
  ``name``: a contract of the same name is merged into the base's, key by
  key (its payments given as ``schedule`` replace the base's ``total``,
  ``start`` and ``end``, and the other way round); a new name is added at
  the end;
- everything else is one value and replaces what the base holds: numbers,
  strings, lists (tranches, maturities, a series given as a list,
  ``accept_unusual``), a table keyed by years (a series, a schedule,
  ``market.path``: a series's years are the points of one curve) and a
  distribution (a table with a ``dist``).

:class:`Sources` records, for each part of the merged document, the
documents it came from, so that a problem found when the result is
validated names the file that set the bad value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wager.scenario.validation_errors import format_path

__all__ = [
    "EXCLUSIVE_FORMS",
    "MERGED_BY_NAME",
    "MergeError",
    "Sources",
    "child_part",
    "is_distribution",
    "is_year_table",
    "merge",
    "same_key",
]

#: The lists of tables merged item by item, matched on the key named here.
MERGED_BY_NAME: dict[tuple[str, ...], str] = {("compute", "commitments"): "name"}

#: Tables that take one of several forms (``[]``: any item of a list): the
#: keys of a form the overriding table gives replace the base's other forms.
EXCLUSIVE_FORMS: dict[tuple[str, ...], tuple[tuple[str, ...], ...]] = {
    ("compute", "commitments", "[]"): (("schedule",), ("total", "start", "end")),
}


class MergeError(ValueError):
    """A document cannot be merged over its base: ``path`` names where, as
    the file spells it."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def child_part(key: Any) -> str:
    """A table key or a list position (``int`` given as ``"[i]"``) as one
    part of a path in messages: ``financing``, ``2028``, ``[2]``."""
    return format_path([key])


def _join(path: str, part: str) -> str:
    if not path:
        return part
    return path + part if part.startswith("[") else f"{path}.{part}"


def same_key(key: Any) -> Any:
    """The key a table key matches: a year written ``2028`` or ``"2028"`` is one key."""
    if isinstance(key, int) and not isinstance(key, bool):
        return str(key)
    return key


def _is_year(key: Any) -> bool:
    if isinstance(key, int) and not isinstance(key, bool):
        return True
    return isinstance(key, str) and key.strip().isdigit()


def is_year_table(value: Any) -> bool:
    """Whether ``value`` is a table keyed by calendar years (a series, a
    schedule, ``market.path``): no name of the schema is all digits."""
    return isinstance(value, Mapping) and bool(value) and all(_is_year(k) for k in value)


def is_distribution(value: Any) -> bool:
    """Whether ``value`` is written as a distribution (a table whose ``dist``
    names a family); a segment named ``dist`` is not one."""
    return isinstance(value, Mapping) and isinstance(value.get("dist"), str)


@dataclass
class Sources:
    """Which documents set a part of a merged document.

    ``default`` set every part not listed in ``children`` (None when every
    child is listed); ``children`` are keyed by :func:`child_part`.
    """

    default: str | None
    children: dict[str, Sources] = field(default_factory=dict)

    def child(self, part: str) -> Sources:
        """The sources of one child part (its parent's default when not listed)."""
        found = self.children.get(part)
        return found if found is not None else Sources(self.default)

    def listed(self, parts: Iterable[str]) -> Sources:
        """The same sources with every one of ``parts`` listed (a table
        about to be changed key by key)."""
        return Sources(None, {part: self.child(part) for part in parts})

    def by_path(self) -> dict[str, frozenset[str]]:
        """Every listed part's path (as messages spell it, root ``""``) and
        the documents that set something under it."""
        out: dict[str, frozenset[str]] = {}

        def walk(node: Sources, path: str) -> frozenset[str]:
            found = {node.default} if node.default is not None else set()
            for part, child in node.children.items():
                found |= walk(child, _join(path, part))
            out[path] = frozenset(found)
            return out[path]

        walk(self, "")
        return out


def merge(
    base: Any, base_sources: Sources, override: Any, label: str, at: tuple[str, ...] = ()
) -> tuple[Any, Sources]:
    """``override`` (a document labelled ``label``) merged over ``base``.

    Neither input is changed: the merged tables and lists are new, the
    values they hold are shared.

    Raises
    ------
    MergeError
        A contract of the overriding document has no name, or a name given
        twice, so that it cannot be matched with the base's.
    RecursionError
        For a document nested deeper than the interpreter's recursion limit.
    """
    if (
        isinstance(base, Mapping)
        and isinstance(override, Mapping)
        and not any(is_distribution(v) or is_year_table(v) for v in (base, override))
    ):
        return _merge_tables(base, base_sources, override, label, at)
    key = MERGED_BY_NAME.get(at)
    if key is not None and isinstance(base, list) and isinstance(override, list):
        return _merge_named(base, base_sources, override, label, at, key)
    return override, Sources(label)


def _merge_tables(
    base: Mapping[Any, Any],
    base_sources: Sources,
    override: Mapping[Any, Any],
    label: str,
    at: tuple[str, ...],
) -> tuple[dict[Any, Any], Sources]:
    out = dict(base)
    sources = base_sources.listed(child_part(k) for k in base)
    keys = {same_key(k): k for k in base}
    for key, value in override.items():
        base_key = keys.get(same_key(key))
        if base_key is None:
            out[key] = value
            sources.children[child_part(key)] = Sources(label)
            continue
        part = child_part(base_key)
        out[base_key], sources.children[part] = merge(
            base[base_key], sources.child(part), value, label, (*at, str(same_key(key)))
        )
    for form in EXCLUSIVE_FORMS.get(at, ()):
        if any(k in override for k in form):
            # The base's other forms give way: "give either schedule or total".
            others = {k for f in EXCLUSIVE_FORMS[at] if f != form for k in f}
            for k in others - set(override):
                if k in out:
                    del out[k]
                    sources.children.pop(child_part(k), None)
    return out, sources


def _merge_named(
    base: list[Any],
    base_sources: Sources,
    override: list[Any],
    label: str,
    at: tuple[str, ...],
    key: str,
) -> tuple[list[Any], Sources]:
    where = ".".join(at)
    out = list(base)
    sources = base_sources.listed(f"[{i}]" for i in range(len(base)))
    index = {
        item[key]: i
        for i, item in enumerate(base)
        if isinstance(item, Mapping) and isinstance(item.get(key), str)
    }
    given: set[str] = set()
    for j, item in enumerate(override):
        name = item.get(key) if isinstance(item, Mapping) else None
        if not isinstance(name, str):
            raise MergeError(
                f"{where}[{j}].{key}",
                f"needed to merge the item with its base's {where} (matched by {key})",
            )
        if name in given:
            raise MergeError(f"{where}[{j}].{key}", f"{name!r} is given twice")
        given.add(name)
        i = index.get(name)
        if i is None:
            sources.children[f"[{len(out)}]"] = Sources(label)
            out.append(item)
            continue
        out[i], sources.children[f"[{i}]"] = merge(
            base[i], sources.child(f"[{i}]"), item, label, (*at, "[]")
        )
    return out, sources
