"""Who holds the claims of a distress (``docs/model.md`` §27, 1.): the credit
facility's lenders, the term debt's lenders and each commitment's
counterparty, with what each was owed and recovered, for one projected path
and over a simulation's distressed paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wager.compile.model import number
from wager.compile.uncertainty import central_scenario
from wager.scenario.schema import Scenario
from wager.stats.recovery import fixed_squares, fixed_sums, ratio_estimate

__all__ = ["Claim", "ClaimantRow", "claimant_rows", "claimants_table", "path_claims"]

#: What the facility is called when ``financing.debt.credit_lenders`` is empty.
FACILITY = "credit facility"
#: The term debt no maturity names a lender for.
OTHER_LENDERS = "other term lenders"


@dataclass(frozen=True)
class ClaimantRow:
    """One claimant: the core's claimant it is part of (0 facility, 1 term
    debt, 2 + i the i-th counterparty) and its share of that claimant."""

    kind: str
    claimant: str
    claim_class: str
    core_index: int
    weight: float


@dataclass(frozen=True)
class Claim:
    """What one claimant was owed at a distress, and was paid (US$ bn).

    Attributes
    ----------
    kind
        ``"facility"``, ``"term_debt"`` or ``"contract"``.
    claimant
        The lenders' label or the counterparty's name.
    claim_class
        Its class in the priority of claims (``CLAIM_CLASSES``).
    claim, recovered
        US$ bn.
    """

    kind: str
    claimant: str
    claim_class: str
    claim: float
    recovered: float


def claimant_rows(scenario: Scenario) -> list[ClaimantRow]:
    """The claimants of ``scenario`` in the core's order: the facility (if it
    has one), the term debt's lenders (if it has term debt; split by what
    the maturities owe each, the rest to ``other term lenders``: an
    assumption that refinanced debt stays with its lenders), then each
    commitment's counterparty. An uncertain debt or facility counts at its
    central value here."""
    debt = central_scenario(scenario).financing.debt
    initial, limit = number(debt.initial), number(debt.credit_limit)
    rows: list[ClaimantRow] = []
    if limit > 0:
        facility_class = "secured" if debt.secured else "unsecured_debt"
        name = debt.credit_lenders or FACILITY
        rows.append(ClaimantRow("facility", name, facility_class, 0, 1.0))
    if initial > 0:
        owed: dict[str, float] = {}
        for m in debt.maturities:
            label = m.lender or OTHER_LENDERS
            owed[label] = owed.get(label, 0.0) + m.amount
        total = max(initial, sum(owed.values()))
        named = sum(v for k, v in owed.items() if k != OTHER_LENDERS)
        owed[OTHER_LENDERS] = total - named
        for name, amount in owed.items():
            if amount > 0:
                rows.append(ClaimantRow("term_debt", name, "unsecured_debt", 1, amount / total))
    seen: list[str] = []
    for contract in scenario.compute.commitments:
        if contract.counterparty not in seen:
            seen.append(contract.counterparty)
    rows += [ClaimantRow("contract", n, "contracts", 2 + i, 1.0) for i, n in enumerate(seen)]
    return rows


def path_claims(
    scenario: Scenario, claims: list[float], recovered: list[float]
) -> tuple[Claim, ...]:
    """One distress's claims by claimant, from the core's by-claimant values."""
    return tuple(
        Claim(
            r.kind,
            r.claimant,
            r.claim_class,
            claims[r.core_index] * r.weight,
            recovered[r.core_index] * r.weight,
        )
        for r in claimant_rows(scenario)
    )


def claimants_table(scenario: Scenario, raw: dict[str, Any]) -> pd.DataFrame:
    """Index (kind, claimant); the class, and over the distressed paths: the
    mean claim and recovery, the recovery rate (total recovered / total
    claimed) with its delta-method standard error, the number of distressed
    paths. A lender's share of the term debt has the term debt's rate."""
    d = raw["distress"]
    c = d["claimants"]
    m = int(np.asarray(d["count"])[0])
    s1 = fixed_sums(c["sum"])
    s2 = fixed_squares(c["sum_squares"])
    out = []
    for r in claimant_rows(scenario):
        x, y, both = 3 * r.core_index, 3 * r.core_index + 1, 3 * r.core_index + 2
        est = ratio_estimate(s1[x], s1[y], s2[x], s2[y], s2[both], m)
        est["claim"] *= r.weight
        est["recovered"] *= r.weight
        out.append({"kind": r.kind, "claimant": r.claimant, "class": r.claim_class, **est})
    columns = ["kind", "claimant", "class", "claim", "recovered"]
    columns += ["recovery_rate", "recovery_rate_se", "paths"]
    return pd.DataFrame(out, columns=columns).set_index(["kind", "claimant"])
