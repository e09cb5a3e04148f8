"""Bounds on what a stress expands to, and the names a scenario's stresses may take.

A stress's ``includes`` compose stresses: two inclusions of a stress that
includes another twice, thirty levels deep, is a short file that expands to
2**30 shocks. Only cycles would be refused when the stress is applied, so a
scenario is checked here, when it is validated, against three limits (the
same limits bound every run, :func:`wager.compile.shocks.core_shocks`):

- :data:`MAX_EXPANDED_SHOCKS` shocks a stress expands to, its includes'
  included, each key that a ``*`` target reaches counted (``segments.*.revenue``
  on three segments is three shocks);
- :data:`MAX_INCLUDED_STRESSES` stresses applied through ``includes``, each
  inclusion counted (a stress included twice counts twice);
- :data:`MAX_INCLUDE_DEPTH` levels of nested ``includes``.

The expansion is measured without being built: each stress is measured once
(memoised), so the check takes a time linear in the size of the file.

A scenario's own stress may not take a library stress's name
(:func:`wager.stresses.names`): it would replace the library's stress for
that strategy only, under the library's name and narrative.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from wager.scenario.stress_schema import Shock, Stress

__all__ = [
    "MAX_EXPANDED_SHOCKS",
    "MAX_INCLUDED_STRESSES",
    "MAX_INCLUDE_DEPTH",
    "depth_limit_reason",
    "expansion_problem",
    "keys_reached",
    "reserved_name_problem",
    "shocks_limit_reason",
    "stresses_limit_reason",
]

#: Shocks one stress, or one run's stresses together, may expand to.
MAX_EXPANDED_SHOCKS = 10_000
#: Stresses one stress, or one run's stresses together, may apply through ``includes``.
MAX_INCLUDED_STRESSES = 1_000
#: Levels of nested ``includes`` (a stress that includes one that includes another: 2).
MAX_INCLUDE_DEPTH = 32

_WHERE = "docs/stress.md, Limits"


def shocks_limit_reason(what: str) -> str:
    """The reason given when ``what`` expands to too many shocks."""
    return (
        f"{what} expands to more than {MAX_EXPANDED_SHOCKS:,} shocks, its includes' "
        f"included (each key a '*' reaches counted); the limit is {MAX_EXPANDED_SHOCKS:,} "
        f"({_WHERE})"
    )


def stresses_limit_reason(what: str) -> str:
    """The reason given when ``what`` applies too many included stresses."""
    return (
        f"{what} applies more than {MAX_INCLUDED_STRESSES:,} stresses through its includes "
        f"(each inclusion counted, repeats too); the limit is {MAX_INCLUDED_STRESSES:,} "
        f"({_WHERE})"
    )


def depth_limit_reason(chain: list[str]) -> str:
    """The reason given when the includes of ``chain[0]`` nest too deeply."""
    shown = chain if len(chain) <= 6 else [*chain[:3], "...", *chain[-2:]]
    return (
        f"includes nest more than {MAX_INCLUDE_DEPTH} levels deep ({' -> '.join(shown)}); "
        f"the limit is {MAX_INCLUDE_DEPTH} ({_WHERE})"
    )


def reserved_name_problem(key: str, library: list[str]) -> tuple[str, str] | None:
    """Why a scenario's own stress may not be called ``key`` (None if it may).

    Parameters
    ----------
    key
        The key of the stress in the scenario's ``stresses`` table.
    library
        The names of the library's stresses.

    Returns
    -------
    tuple of (str, str) or None
        ``(field path, reason)``, the path from the scenario's root.
    """
    if key not in library:
        return None
    return (
        f"stresses.{key}",
        f"{key!r} is the name of a library stress (wager.stresses.names()); a scenario's "
        "own stress needs a name of its own, so that results never show it under the "
        "library's name and narrative",
    )


@dataclass(frozen=True)
class _Size:
    shocks: int
    stresses: int
    depth: int


class _Exceeded(Exception):
    def __init__(self, chain: list[str], field: str, reason: str) -> None:
        super().__init__(reason)
        self.chain = chain
        self.field = field
        self.reason = reason


def expansion_problem(
    own: Mapping[str, Stress],
    count: Callable[[Shock], int],
    library: Callable[[str], Stress | None],
) -> tuple[str, str] | None:
    """The first of a scenario's stresses that expands beyond a limit, and why.

    Parameters
    ----------
    own
        The scenario's stresses, by key.
    count
        The number of core shocks a shock becomes in this scenario (the keys
        a ``*`` reaches; 1 otherwise).
    library
        A library stress by name, or None if there is none of that name.

    Returns
    -------
    tuple of (str, str) or None
        ``(field path, reason)``: ``stresses.<name>.includes`` (or
        ``.shocks``) of the scenario's stress nearest to where a limit was
        crossed; None if every stress is within the limits. Unknown included
        stresses and cycles are left to the application of the stress, which
        refuses them.
    """
    memo: dict[str, _Size] = {}
    visiting: set[str] = set()

    def resolve(name: str) -> Stress | None:
        return own[name] if name in own else library(name)

    def visit(name: str, stress: Stress, stack: list[str]) -> _Size:
        stack.append(name)
        visiting.add(name)
        shocks = sum(count(shock) for shock in stress.shocks)
        if shocks > MAX_EXPANDED_SHOCKS:
            raise _Exceeded(list(stack), "shocks", shocks_limit_reason(f"stress {name!r}"))
        stresses = depth = 0
        for inc in stress.includes:
            if inc in visiting:
                continue  # a cycle: refused, naming it, when the stress is applied
            child = resolve(inc)
            if child is None:
                continue  # unknown: refused, naming it, when the stress is applied
            if len(stack) > MAX_INCLUDE_DEPTH:
                raise _Exceeded([*stack, inc], "depth", depth_limit_reason([*stack, inc]))
            size = memo[inc] if inc in memo else visit(inc, child, stack)
            shocks += size.shocks
            stresses += 1 + size.stresses
            depth = max(depth, size.depth + 1)
            if len(stack) - 1 + depth > MAX_INCLUDE_DEPTH:
                chain = [*stack, inc, "..."]
                raise _Exceeded(chain, "depth", depth_limit_reason(chain))
            if shocks > MAX_EXPANDED_SHOCKS:
                raise _Exceeded(list(stack), "includes", shocks_limit_reason(f"stress {name!r}"))
            if stresses > MAX_INCLUDED_STRESSES:
                raise _Exceeded(list(stack), "includes", stresses_limit_reason(f"stress {name!r}"))
        stack.pop()
        visiting.discard(name)
        memo[name] = _Size(shocks, stresses, depth)
        return memo[name]

    for key, stress in own.items():
        if key in memo:
            continue
        try:
            visit(key, stress, [])
        except _Exceeded as exceeded:
            chain = exceeded.chain
            if exceeded.field == "depth":
                return f"stresses.{chain[0]}.includes", exceeded.reason
            if chain[-1] in own:
                return f"stresses.{chain[-1]}.{exceeded.field}", exceeded.reason
            # Crossed in a library stress: blame the scenario's stress that includes it.
            at = max(i for i, n in enumerate(chain) if n in own)
            path = " -> ".join(chain[at:])
            return f"stresses.{chain[at]}.includes", f"through {path}: {exceeded.reason}"
    return None


def keys_reached(target: str, tables: Mapping[str, int]) -> int:
    """How many core shocks a shock on ``target`` becomes: the keys a ``*`` reaches.

    Parameters
    ----------
    target
        The shock's target, e.g. ``segments.*.revenue``.
    tables
        The number of keys of each table a ``*`` can stand in, by its path:
        ``{"segments": 3, "market.regimes": 3, ...}``.

    Returns
    -------
    int
        The table's number of keys for a ``*`` key in it, 1 otherwise.
    """
    for prefix, n in tables.items():
        rest = target.removeprefix(prefix + ".*")
        if rest != target and (not rest or rest.startswith(".")):
            return n
    return 1
