"""Each supplier's exposure to the company and its loss at a distress
(``docs/model.md`` §28), decoded from a simulation's exact sums: expected
and potential future exposure per year, exposure at default, expected loss
(by year of distress and in all, undiscounted and discounted to the start)
and the 99% quantile of the loss."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wager.analyses.claimants import claimant_rows
from wager.scenario.schema import Scenario
from wager.stats.estimators import join_int128, mean_and_se
from wager.stats.exposure import linear_quantiles

__all__ = [
    "EXPECTED_LOSS_COLUMNS",
    "EXPOSURE_COLUMNS",
    "expected_loss_table",
    "exposure_table",
    "lender_exposure_table",
    "lender_loss_table",
    "supplier_names",
]

#: The columns of :func:`exposure_table`, per (counterparty, year).
EXPOSURE_COLUMNS = (
    "ee",
    "ee_se",
    "pfe95",
    "pfe99",
    "el",
    "el_se",
    "el_discounted",
    "el_discounted_se",
)
#: The columns of :func:`expected_loss_table`, per counterparty.
EXPECTED_LOSS_COLUMNS = (
    "ead",
    "ead_all_paths",
    "el",
    "el_se",
    "el_discounted",
    "el_discounted_se",
    "loss_q99",
    "bin_width",
    "paths",
)


@dataclass(frozen=True)
class _Holder:
    """One row of the tables: its name, its place in the core's outcome
    (``raw["exposure"]`` or ``raw["lenders"]``), its claimant in the
    distress sums, and its share of that claimant (a term lender's)."""

    name: str
    series: int
    claimant: int
    weight: float
    kind: str = "contract"


def supplier_names(scenario: Scenario) -> list[str]:
    """The suppliers in the core's order (``counterparty_names``)."""
    return [r.claimant for r in claimant_rows(scenario) if r.kind == "contract"]


def _suppliers(scenario: Scenario) -> list[_Holder]:
    return [_Holder(name, c, 2 + c, 1.0) for c, name in enumerate(supplier_names(scenario))]


def _lenders(scenario: Scenario) -> list[_Holder]:
    """The facility's lenders (the core's lender 0) and each term lender
    (lender 1, split by what the maturities owe each, as the claims are)."""
    return [
        _Holder(r.claimant, r.core_index, r.core_index, r.weight, r.kind)
        for r in claimant_rows(scenario)
        if r.kind in ("facility", "term_debt")
    ]


def _exposure_frame(
    holders: list[_Holder], e: dict[str, Any], n: int, years: Sequence[int], index: pd.Index
) -> pd.DataFrame:
    """Per holder and year: EE, PFE95/99, and EL by year of distress (each times its weight)."""
    if not holders:
        return pd.DataFrame(index=index, columns=list(EXPOSURE_COLUMNS), dtype=float)
    ny = len(years)
    ee, ee_se = mean_and_se(
        join_int128(e["exposure"]["sum"]), join_int128(e["exposure"]["sum_squares"]), n
    )
    hist = np.asarray(e["exposure"]["histogram"])
    bound = np.asarray(e["bound"], dtype=float)
    el, el_se = mean_and_se(
        join_int128(e["loss_by_year"]["sum"]), join_int128(e["loss_by_year"]["sum_squares"]), n
    )
    # loss_by_year: [(2 c + d) * ny + y], d = 0 the loss, 1 discounted.
    n_series = int(bound.size)
    el = el.reshape(n_series, 2, ny)
    el_se = el_se.reshape(n_series, 2, ny)
    rows = []
    for h in holders:
        c, w = h.series, h.weight
        for y in range(ny):
            pfe = linear_quantiles(hist[c * ny + y], float(bound[c]), (0.95, 0.99))
            rows.append(
                {
                    "ee": w * float(ee[c * ny + y]),
                    "ee_se": w * float(ee_se[c * ny + y]),
                    "pfe95": w * pfe[0],
                    "pfe99": w * pfe[1],
                    "el": w * float(el[c, 0, y]),
                    "el_se": w * float(el_se[c, 0, y]),
                    "el_discounted": w * float(el[c, 1, y]),
                    "el_discounted_se": w * float(el_se[c, 1, y]),
                }
            )
    return pd.DataFrame(rows, index=index, columns=list(EXPOSURE_COLUMNS))


def _loss_frame(
    holders: list[_Holder], e: dict[str, Any], raw: dict[str, Any], index: pd.Index
) -> pd.DataFrame:
    """Per holder: EAD, EL (and discounted), the loss's q99, its accuracy, the distressed paths."""
    if not holders:
        return pd.DataFrame(index=index, columns=list(EXPECTED_LOSS_COLUMNS), dtype=float)
    n = int(raw["n_paths"])
    bound = np.asarray(e["bound"], dtype=float)
    ny = int(np.asarray(e["exposure"]["histogram"]).shape[0]) // int(bound.size)
    d = raw["distress"]
    m = int(np.asarray(d["count"])[0])
    claim_sums = join_int128(d["claimants"]["sum"])
    scale = 2.0**24
    by_year_sum = join_int128(e["loss_by_year"]["sum"])
    by_year_sq = join_int128(e["loss_by_year"]["sum_squares"])
    loss_hist = np.asarray(e["loss"]["histogram"])
    bins = loss_hist.shape[1] - 2
    rows = []
    for h in holders:
        c, w = h.series, h.weight
        claim = w * claim_sums[3 * h.claimant]
        # Each path has at most one distress: its year's sums are its sums.
        totals = []
        for dd in (0, 1):
            cells = range((2 * c + dd) * ny, (2 * c + dd + 1) * ny)
            totals.append((sum(by_year_sum[i] for i in cells), sum(by_year_sq[i] for i in cells)))
        mean, se = mean_and_se([t[0] for t in totals], [t[1] for t in totals], n)
        counted = int(loss_hist[c].sum())
        (q99,) = linear_quantiles(loss_hist[c], float(bound[c]), (0.99,), zeros=n - counted)
        rows.append(
            {
                "ead": claim / scale / m if m else math.nan,
                "ead_all_paths": claim / scale / n if n else math.nan,
                "el": w * float(mean[0]),
                "el_se": w * float(se[0]),
                "el_discounted": w * float(mean[1]),
                "el_discounted_se": w * float(se[1]),
                "loss_q99": w * q99,
                "bin_width": w * float(bound[c]) / bins,
                "paths": m,
            }
        )
    return pd.DataFrame(rows, index=index, columns=list(EXPECTED_LOSS_COLUMNS))


def exposure_table(scenario: Scenario, raw: dict[str, Any], years: Sequence[int]) -> pd.DataFrame:
    """Index (counterparty, year); per supplier and year-end over every path:
    ``ee`` (mean exposure) and ``ee_se``, ``pfe95`` and ``pfe99`` (within
    one bin width, ``expected_loss_table``'s ``bin_width``; NaN beyond the
    histogram's bound), and ``el``, ``el_se``, ``el_discounted``,
    ``el_discounted_se``: the mean over every path of the loss of a
    distress that began in that year (0 on the other paths)."""
    holders = _suppliers(scenario)
    names = [h.name for h in holders]
    index = pd.MultiIndex.from_product([names, list(years)], names=["counterparty", "year"])
    return _exposure_frame(holders, raw["exposure"], int(raw["n_paths"]), years, index)


def expected_loss_table(scenario: Scenario, raw: dict[str, Any]) -> pd.DataFrame:
    """Index counterparty; ``ead`` (the mean claim over the distressed
    paths), ``ead_all_paths`` (the claim over every path, 0 without
    distress), ``el`` and ``el_se`` (the mean loss, claim less recovery,
    over every path), ``el_discounted`` and ``el_discounted_se`` (each
    loss times the path's discount factor to its distress step),
    ``loss_q99`` (the loss's 99% quantile over every path, within
    ``bin_width``; NaN beyond the bound), ``paths`` (distressed paths)."""
    holders = _suppliers(scenario)
    index = pd.Index([h.name for h in holders], name="counterparty")
    return _loss_frame(holders, raw["exposure"], raw, index)


def lender_exposure_table(
    scenario: Scenario, raw: dict[str, Any], years: Sequence[int]
) -> pd.DataFrame:
    """Index (kind, lender, year), kind ``facility`` or ``term_debt``: the
    columns of :func:`exposure_table` for each lender, its exposure the
    facility's drawn part or its share of the term debt outstanding at the
    year's end (``docs/model.md`` §28, lenders)."""
    holders = _lenders(scenario)
    keys = [(h.kind, h.name, y) for h in holders for y in years]
    index = pd.MultiIndex.from_tuples(keys, names=["kind", "lender", "year"])
    return _exposure_frame(holders, raw["lenders"], int(raw["n_paths"]), years, index)


def lender_loss_table(scenario: Scenario, raw: dict[str, Any]) -> pd.DataFrame:
    """Index (kind, lender): the columns of :func:`expected_loss_table` for
    each lender, from its claim and recovery at a distress."""
    holders = _lenders(scenario)
    index = pd.MultiIndex.from_tuples([(h.kind, h.name) for h in holders], names=["kind", "lender"])
    return _loss_frame(holders, raw["lenders"], raw, index)
