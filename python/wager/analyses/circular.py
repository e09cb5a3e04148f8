"""Circular financing (``docs/exposure.md``, "Circular financing"): a
counterparty that is a bet's supplier and its investor (Nvidia selling
compute to a lab and buying its shares per gigawatt) or its lender sees
every leg in one number; and the bet without an investor's tranches, to
show how much of its plan they carry."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from wager.scenario.schema import Scenario

__all__ = ["COUNTERPARTY_COLUMNS", "counterparty_legs", "without_investor"]

#: The columns of :func:`counterparty_legs`.
COUNTERPARTY_COLUMNS = (
    "roles",
    "el_supplier",
    "el_lender",
    "el_investor",
    "el_total",
    "ead_supplier",
    "invested",
    "stake_value",
)


def counterparty_legs(
    expected_loss: pd.DataFrame,
    lender_loss: pd.DataFrame,
    investors: pd.DataFrame,
) -> pd.DataFrame:
    """Index counterparty: every name that is one bet's supplier, lender or
    investor, with its expected loss in each role and in all.

    Parameters
    ----------
    expected_loss, lender_loss, investors
        The bet's ``Simulation.expected_loss``, ``lender_loss`` and
        ``investors``.

    Returns
    -------
    pandas.DataFrame
        ``roles`` (``supplier``, ``lender``, ``investor``, joined by ``+``),
        ``el_supplier`` (claim less recovery at a distress),
        ``el_lender``, ``el_investor`` (the sum over its tranches of the
        mean of max(paid - value, 0), value by the multiple), ``el_total``
        (their sum: expectations add whatever the dependence), and
        ``ead_supplier`` (its mean claim over every path), ``invested``
        (the mean paid over its tranches) and ``stake_value`` (the mean
        value of its stakes at the horizon); 0 where it has no such role.
        The largest ``el_total`` first.
    """
    names: list[str] = []
    roles: dict[str, list[str]] = {}

    def add(name: str, role: str) -> None:
        if name not in roles:
            names.append(name)
            roles[name] = []
        if role not in roles[name]:
            roles[name].append(role)

    for name in expected_loss.index:
        add(str(name), "supplier")
    for _, name in lender_loss.index:
        add(str(name), "lender")
    for name in investors["investor"]:
        add(str(name), "investor")
    lender_el = lender_loss["el"].groupby(level="lender").sum() if len(lender_loss) else None
    by_investor = investors.groupby("investor")[["el", "invested", "value"]].sum()
    rows = []
    for name in names:
        supplier = name in expected_loss.index
        invests = name in by_investor.index
        lends = lender_el is not None and name in lender_el.index
        el = {
            "el_supplier": float(expected_loss["el"].loc[name]) if supplier else 0.0,
            "el_lender": float(lender_el.loc[name]) if lender_el is not None and lends else 0.0,
            "el_investor": float(by_investor["el"].loc[name]) if invests else 0.0,
        }
        rows.append(
            {
                "roles": "+".join(roles[name]),
                **el,
                "el_total": sum(el.values()),
                "ead_supplier": float(expected_loss["ead_all_paths"].loc[name])
                if supplier
                else 0.0,
                "invested": float(by_investor["invested"].loc[name]) if invests else 0.0,
                "stake_value": float(by_investor["value"].loc[name]) if invests else 0.0,
            }
        )
    out = pd.DataFrame(
        rows, index=pd.Index(names, name="counterparty"), columns=list(COUNTERPARTY_COLUMNS)
    )
    return out.sort_values("el_total", ascending=False, kind="stable")


def without_investor(scenario: Scenario, investors: str | Sequence[str]) -> Scenario:
    """``scenario`` without the committed tranches of ``investors``, named
    ``<name>_without_<investors>``: compared with the scenario itself (one
    world, ``wager.compare`` or ``wager.exposure``), it shows how much of
    the bet's plan those tranches carry.

    Raises
    ------
    ValueError
        If an investor has no tranche in the scenario.
    """
    wanted = [investors] if isinstance(investors, str) else list(investors)
    have = {t.investor for t in scenario.financing.tranches}
    missing = [w for w in wanted if w not in have]
    if missing:
        known = ", ".join(sorted(have)) or "none"
        raise ValueError(
            f"{scenario.name}: no tranche from {', '.join(map(repr, missing))} "
            f"(financing.tranches' investors: {known})"
        )
    data = scenario.model_dump(exclude_none=True)
    data["financing"]["tranches"] = [
        t for t in data["financing"]["tranches"] if t["investor"] not in wanted
    ]
    # A scenario's name is an identifier: the investors' names as words.
    words = "_and_".join(re.sub(r"\W+", "_", w).strip("_") for w in wanted)
    data["name"] = f"{scenario.name}_without_{words}"
    return Scenario.model_validate(data)
