"""A scenario document on its way to a validated scenario: the parsed file
with what it extends merged in and the values set over it, where each part
came from, and its validation.

Every problem a document's validation finds is one line of one
:class:`ScenarioError` (``file: field.path: reason``); when the bad value came
from another document than the file given (a file it extends, a preset,
``--set``), the reason ends with ``(from base.toml)``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from wager.scenario.default_inputs import ScenarioDefaultInputWarning, defaults_left
from wager.scenario.errors import ScenarioError, printable
from wager.scenario.merge import Sources
from wager.scenario.origin import ScenarioOrigin
from wager.scenario.overrides import Override, OverrideError, apply_override
from wager.scenario.plausibility import ScenarioPlausibilityWarning, unusual_values
from wager.scenario.validation_errors import describe_value, format_path, problems_from

__all__ = ["OVERRIDES_LABEL", "SET_LABEL", "ScenarioDocument", "validated"]

#: How messages and origins name values set from the command line ...
SET_LABEL = "--set"
#: ... and from Python (``overrides=``, ``Scenario.with_values``).
OVERRIDES_LABEL = "overrides"

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class ScenarioDocument:
    """A parsed scenario, its bases merged in, not yet validated.

    Attributes
    ----------
    data
        The document (a table of fields, unless the file holds something else).
    origin
        Its file, what it extends, the values set over it.
    sources
        Which document set each part; None when all of it is ``origin.source``'s.
    """

    data: Any
    origin: ScenarioOrigin
    sources: Sources | None = None

    @property
    def name(self) -> str | None:
        """The strategy's ``name`` as the document gives it, if it is a string."""
        name = self.data.get("name") if isinstance(self.data, Mapping) else None
        return name if isinstance(name, str) else None

    def with_overrides(self, overrides: Iterable[Override], label: str) -> ScenarioDocument:
        """The document with ``overrides`` set, in order, each named ``label``
        (:data:`SET_LABEL`, :data:`OVERRIDES_LABEL`) in messages and in the origin.

        Raises
        ------
        ScenarioError
            Naming the document, the path and the reason, when a path is
            malformed or cannot be followed.
        """
        items = list(overrides)
        if not items:
            return self
        if not isinstance(self.data, Mapping):
            raise _not_a_table(self.origin.source, self.data)
        data: dict[str, Any] = dict(self.data)
        sources = self.sources or Sources(self.origin.source)
        for item in items:
            try:
                data, sources = apply_override(data, sources, item, label)
            except OverrideError as err:
                raise ScenarioError(
                    self.origin.source, [(err.path, f"{err.reason} (from {label})")]
                ) from None
            except ValueError as err:  # the path's syntax
                raise ScenarioError(self.origin.source, [("", f"{err} (from {label})")]) from None
        shown = tuple(f"{label} {item.text}" for item in items)
        origin = replace(self.origin, overrides=(*self.origin.overrides, *shown))
        return ScenarioDocument(data, origin, sources)


def _not_a_table(source: str, data: Any) -> ScenarioError:
    return ScenarioError(
        source, [("", f"a scenario must be a table of fields, got {describe_value(data)}")]
    )


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


class _Provenance:
    """Says which documents set the value at a path, for the messages."""

    def __init__(self, doc: ScenarioDocument) -> None:
        self._source = doc.origin.source
        self._sources = doc.sources
        self._by_path: dict[str, frozenset[str]] | None = None
        # Most recent first: what was set, the file, then its bases, nearest first.
        order = [SET_LABEL, OVERRIDES_LABEL, doc.origin.source, *doc.origin.extends]
        self._rank = {label: i for i, label in reversed(list(enumerate(order)))}

    def note(self, path: str, reason: str) -> str:
        """``reason``, ending with ``(from ...)`` when the value at ``path``
        came from another document than the file given."""
        if self._sources is None:
            return reason
        if self._by_path is None:  # worked out once, when a message first needs it
            try:
                self._by_path = self._sources.by_path()
            except RecursionError:  # pragma: no cover - the merge refuses deeper documents
                self._sources = None
                return reason
        found = next((self._by_path[p] for p in _prefixes(path) if p in self._by_path), None)
        if not found or found == {self._source}:
            return reason
        shown = sorted(found, key=lambda s: (self._rank.get(s, len(self._rank)), s))
        return f"{reason} (from {' and '.join(shown)})"


def validated(model: type[M], doc: ScenarioDocument, *, stacklevel: int = 2) -> M:
    """Validate a document as ``model`` (:class:`wager.Scenario`), warning
    of its unusual values (:mod:`wager.scenario.plausibility`) and of the
    inputs it leaves at an uncited package default
    (:mod:`wager.scenario.default_inputs`).

    Raises
    ------
    ScenarioError
        Listing every problem found, one line each.
    """
    source, data = doc.origin.source, doc.data
    if not isinstance(data, Mapping):
        raise _not_a_table(source, data)
    provenance = _Provenance(doc)
    non_finite = _non_finite(data)
    try:
        result = model.model_validate(dict(data))
    except ValidationError as err:
        problems = problems_from(err, model, data)
        reported = {path for path, _ in problems}
        problems += [p for p in non_finite if not _covered(p[0], reported)]
        raise ScenarioError(
            source, [(path, provenance.note(path, why)) for path, why in problems]
        ) from None
    except RecursionError:
        raise ScenarioError(source, [("", "nested too deeply")]) from None
    if non_finite:  # pragma: no cover - the schema refuses them too
        raise ScenarioError(source, non_finite)
    accepted = getattr(result, "accept_unusual", [])
    for field, reason in unusual_values(data, accepted):
        warnings.warn(
            f"{printable(source)}: {printable(field)}: {printable(provenance.note(field, reason))}"
            f" (if meant, list {printable(field)!r} in accept_unusual)",
            ScenarioPlausibilityWarning,
            stacklevel=stacklevel + 1,
        )
    if hasattr(result, "accept_defaults"):  # a wager.Scenario (the schema imports this module)
        for field, why in defaults_left(data, result):
            warnings.warn(
                f"{printable(source)}: {field}: left at the package default, {why} "
                f"(docs/calibration.md; if meant, list {field!r} in accept_defaults)",
                ScenarioDefaultInputWarning,
                stacklevel=stacklevel + 1,
            )
    return result
