"""``extends``: a scenario written as another one (a preset or a file) with
some values changed (``docs/scenarios.md``, "Extending a scenario").

``extends = "compute_first"`` names a preset; a value ending in ``.toml``,
``.json``, ``.yaml`` or ``.yml`` names a scenario file, relative to the
directory of the file that extends it (to the current directory for
standard input or a dict). The base may itself extend another, up to
:data:`MAX_EXTENDS_DEPTH` links; a chain that comes back to a file already in
it is refused, naming the chain. Bases are read like any scenario file
(regular files only, the size limit, the safe parsers) and need not be
complete scenarios: only the merged result is validated.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from wager.scenario import preset_library
from wager.scenario.document import ScenarioDocument
from wager.scenario.errors import ScenarioError
from wager.scenario.merge import MergeError, Sources, merge
from wager.scenario.migration import SCHEMA_VERSION, migrate
from wager.scenario.origin import ScenarioOrigin
from wager.scenario.validation_errors import describe_value

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["EXTENDS", "MAX_EXTENDS_DEPTH", "SUFFIXES", "preset_key", "resolve_extends"]

#: The key that names a scenario's base.
EXTENDS = "extends"
#: At most this many ``extends`` are followed from the file given.
MAX_EXTENDS_DEPTH = 8
#: The suffixes of scenario files: an ``extends`` ending otherwise names a preset.
SUFFIXES = (".toml", ".json", ".yaml", ".yml")

#: Reads a base file: its path and the name messages give it -> the parsed document.
ReadFile = Callable[[Path, str], Any]


def preset_key(name: str) -> str:
    """What identifies a preset in a chain (files are identified by their real path)."""
    return f"preset:{name}"


class _Link:
    """One document of a chain: its data without ``extends``, its name in messages."""

    def __init__(self, data: Mapping[str, Any], label: str) -> None:
        self.data = {k: v for k, v in data.items() if k != EXTENDS}
        self.label = label


def resolve_extends(
    data: Any,
    label: str,
    directory: Path | None,
    read_file: ReadFile,
    *,
    key: str | None = None,
) -> ScenarioDocument:
    """The document ``data`` (named ``label``) with every scenario it
    extends merged under it.

    Parameters
    ----------
    data
        The parsed document.
    label
        Its name in messages: the file as given, ``<stdin>``, ``<dict>``.
    directory
        Where a relative ``extends`` path starts (None: the current directory).
    read_file
        Reads a base scenario file (regular files only, within the size
        limit), raising :class:`ScenarioError` naming it.
    key
        What identifies ``data``'s own file or preset, to refuse a chain
        back to it (:func:`preset_key`, or the file's real path).

    Raises
    ------
    ScenarioError
        An ``extends`` that is not a string, names no preset nor scenario
        file, cannot be read, makes a cycle or a chain over
        :data:`MAX_EXTENDS_DEPTH`; a base that is not a table; a contract
        that cannot be matched by name; a ``schema_version`` that differs
        from its base's.
    """
    if not isinstance(data, Mapping) or EXTENDS not in data:
        return ScenarioDocument(data, ScenarioOrigin(label))
    chain = [_Link(data, label)]
    seen = {key} if key is not None else set()
    current: Mapping[str, Any] = data
    while EXTENDS in current:
        extending = chain[-1].label
        if len(chain) > MAX_EXTENDS_DEPTH:
            names = " -> ".join(link.label for link in chain)
            raise ScenarioError(
                extending,
                [(EXTENDS, f"more than {MAX_EXTENDS_DEPTH} scenarios extended in a row: {names}")],
            )
        base_path, base_label, base_key = _locate(current[EXTENDS], extending, directory)
        if base_key in seen:  # before it is read again
            names = " -> ".join([*(link.label for link in chain), base_label])
            raise ScenarioError(extending, [(EXTENDS, f"a cycle: {names}")])
        seen.add(base_key)
        base = _read_base(base_path, base_label, extending, read_file)
        directory = base_path.parent if isinstance(base_path, Path) else None
        if not isinstance(base, Mapping):
            reason = f"a scenario must be a table of fields, got {describe_value(base)}"
            raise ScenarioError(base_label, [("", f"{reason} (extended by {extending})")])
        chain.append(_Link(base, base_label))
        current = base
    return _merged(chain)


def _locate(value: Any, extending: str, directory: Path | None) -> tuple[Path | str, str, str]:
    """What an ``extends`` names: a file's path or a preset's name, its name
    in messages and what identifies it in a chain."""
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError(
            extending,
            [(EXTENDS, f"a preset's name or a scenario file's path, got {describe_value(value)}")],
        )
    if Path(value).suffix.lower() not in SUFFIXES:
        if value in preset_library.names():
            return value, f"preset {value}", preset_key(value)
        known = ", ".join(preset_library.names())
        close = difflib.get_close_matches(value, preset_library.names(), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise ScenarioError(
            extending,
            [
                (
                    EXTENDS,
                    f"{value!r} is no preset ({known}) and no scenario file "
                    f"(.toml, .json, .yaml or .yml){hint}",
                )
            ],
        )
    path = Path(value)
    if not path.is_absolute() and directory is not None:
        path = directory / path
    return path, os.path.normpath(path), os.path.realpath(path)


def _read_base(base: Path | str, label: str, extending: str, read_file: ReadFile) -> Any:
    """The parsed document of a base: a preset (by name) or a file."""
    if isinstance(base, str):
        return tomllib.loads(preset_library.text(base))
    try:
        return read_file(base, label)
    except ScenarioError as err:
        problems = [(p, f"{why} (extended by {extending})") for p, why in err.problems]
        raise ScenarioError(err.source, problems) from None


def _same_version(base: dict[str, Any], link: _Link) -> dict[str, Any]:
    """The base read in ``link``'s ``schema_version``: a file without one
    takes its base's; a file of the current version reads an older base
    with its meaning kept (:func:`wager.scenario.migration.migrate`)."""
    given = link.data.get("schema_version")
    if given is None:
        return base
    current = base.get("schema_version", 1)
    if given == current:
        return base
    if isinstance(given, int) and not isinstance(given, bool) and given == SCHEMA_VERSION:
        try:
            migrated = migrate(base)
        except ValueError as err:
            raise ScenarioError(link.label, [("schema_version", f"of its base: {err}")]) from None
        return dict(migrated)
    raise ScenarioError(
        link.label,
        [
            (
                "schema_version",
                f"{given!r} differs from its base's ({current!r}): leave it out to read the file "
                f"as its base, or give {SCHEMA_VERSION}",
            )
        ],
    )


def _merged(chain: list[_Link]) -> ScenarioDocument:
    """The chain's documents merged, each over the ones it extends."""
    bottom = chain[-1]
    data: dict[str, Any] = bottom.data
    sources = Sources(bottom.label)
    for link in reversed(chain[:-1]):
        base = _same_version(data, link)
        try:
            data, sources = merge(base, sources, link.data, link.label)
        except MergeError as err:
            raise ScenarioError(link.label, [(err.path, err.reason)]) from None
        except RecursionError:
            raise ScenarioError(link.label, [("", "nested too deeply")]) from None
    top = chain[0].label
    extends = tuple(link.label for link in chain[1:])
    return ScenarioDocument(data, ScenarioOrigin(top, extends), sources)
