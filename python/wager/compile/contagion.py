"""Contagion: shocks of one bet started by another bet's distress on the same
path (``docs/model.md`` section 25, "Contagion").

A stress's shock with ``trigger = { distress = "<bet>" }`` names a bet by its
scenario's name. It becomes the core's ``trigger_strategy`` (that bet's place
among the strategies of one core call) only where both bets run in that
call; a run without the named bet refuses it.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import TypeVar

from wager.compile.prepared import PreparedStrategy
from wager.kernel.contract import ShockDict

__all__ = ["link_contagion", "refuse_unlinked"]

#: What tells the cells of one bet apart (a stress's label, and its severity).
K = TypeVar("K", bound=Hashable)


def refuse_unlinked(shocks: Sequence[ShockDict], what: str) -> None:
    """Refuse shocks started by a bet's distress where no such bet runs.

    Raises
    ------
    ValueError
        Naming the shock and the bet, and where such a stress runs.
    """
    for shock in shocks:
        bet = shock.get("trigger_bet")
        if bet is not None:
            raise ValueError(
                f"{what}: {shock['label']} starts on the distress of {bet!r}, which does not run "
                f"beside it: a contagion needs both bets in one run (wager.compare or "
                f"wager.exposure with {bet!r} among the bets)"
            )


def link_contagion(
    cells: Mapping[tuple[str, K], PreparedStrategy],
) -> dict[tuple[str, K], PreparedStrategy]:
    """The cells of one core call with their contagion shocks linked.

    Parameters
    ----------
    cells
        ``(bet name, stress key) -> strategy``, in the order of the call's
        strategies. A shock of cell ``(b, k)`` started by bet ``a``'s distress
        is started by cell ``(a, k)``: the same stress on the other bet (a
        bet's own shocks of that kind were dropped by ``core_shocks``).

    Returns
    -------
    dict
        The same keys, each strategy with ``trigger_strategy`` set.

    Raises
    ------
    ValueError
        A shock names a bet that is not among the cells, or a bet both
        starts and receives a contagion (it goes one way: the source runs
        first on each path).
    """
    keys = list(cells)
    names = sorted({name for name, _ in keys})
    out: dict[tuple[str, K], PreparedStrategy] = {}
    for (name, key), cell in cells.items():
        shocks: list[ShockDict] = []
        for shock in cell.shocks:
            bet = shock.get("trigger_bet")
            if bet is None:
                shocks.append(shock)
                continue
            if (bet, key) not in cells:
                raise ValueError(
                    f"{shock['label']}: starts on the distress of {bet!r}, which is not one of "
                    f"the bets run together ({', '.join(names)})"
                )
            linked: ShockDict = {**shock, "trigger_strategy": keys.index((bet, key))}
            del linked["trigger_bet"]
            shocks.append(linked)
        out[(name, key)] = cell.stressed(shocks)
    for (name, _), cell in out.items():
        for shock in cell.shocks:
            source = keys[shock["trigger_strategy"]] if shock["trigger_strategy"] >= 0 else None
            if source is not None and any(s["trigger_strategy"] >= 0 for s in out[source].shocks):
                raise ValueError(
                    f"{shock['label']}: {name!r} receives {source[0]!r}'s distress, and "
                    f"{source[0]!r} receives another bet's: a contagion goes one way in a run "
                    "(the bet it starts from runs first on each path)"
                )
    return out
