"""Each supplier's exposure to the company and its loss at a distress
(``docs/model.md`` §28), decoded from a simulation's exact sums: expected
and potential future exposure per year, exposure at default, expected loss
(by year of distress and in all, undiscounted and discounted to the start)
and the 99% quantile of the loss."""

from __future__ import annotations

import math
from collections.abc import Sequence
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


def supplier_names(scenario: Scenario) -> list[str]:
    """The suppliers in the core's order (``counterparty_names``)."""
    return [r.claimant for r in claimant_rows(scenario) if r.kind == "contract"]


def exposure_table(scenario: Scenario, raw: dict[str, Any], years: Sequence[int]) -> pd.DataFrame:
    """Index (counterparty, year); per supplier and year-end over every path:
    ``ee`` (mean exposure) and ``ee_se``, ``pfe95`` and ``pfe99`` (within
    one bin width, ``expected_loss_table``'s ``bin_width``; NaN beyond the
    histogram's bound), and ``el``, ``el_se``, ``el_discounted``,
    ``el_discounted_se``: the mean over every path of the loss of a
    distress that began in that year (0 on the other paths)."""
    names = supplier_names(scenario)
    index = pd.MultiIndex.from_product([names, list(years)], names=["counterparty", "year"])
    if not names:
        return pd.DataFrame(index=index, columns=list(EXPOSURE_COLUMNS), dtype=float)
    e = raw["exposure"]
    n = int(raw["n_paths"])
    ny = len(years)
    ee, ee_se = mean_and_se(
        join_int128(e["exposure"]["sum"]), join_int128(e["exposure"]["sum_squares"]), n
    )
    hist = np.asarray(e["exposure"]["histogram"])
    bound = np.asarray(e["bound"], dtype=float)
    pfe = [
        linear_quantiles(hist[c * ny + y], float(bound[c]), (0.95, 0.99))
        for c in range(len(names))
        for y in range(ny)
    ]
    el, el_se = mean_and_se(
        join_int128(e["loss_by_year"]["sum"]), join_int128(e["loss_by_year"]["sum_squares"]), n
    )
    # loss_by_year: [(2 c + d) * ny + y], d = 0 the loss, 1 discounted.
    el = el.reshape(len(names), 2, ny)
    el_se = el_se.reshape(len(names), 2, ny)
    return pd.DataFrame(
        {
            "ee": ee,
            "ee_se": ee_se,
            "pfe95": [p[0] for p in pfe],
            "pfe99": [p[1] for p in pfe],
            "el": el[:, 0, :].ravel(),
            "el_se": el_se[:, 0, :].ravel(),
            "el_discounted": el[:, 1, :].ravel(),
            "el_discounted_se": el_se[:, 1, :].ravel(),
        },
        index=index,
    )


def expected_loss_table(scenario: Scenario, raw: dict[str, Any]) -> pd.DataFrame:
    """Index counterparty; ``ead`` (the mean claim over the distressed
    paths), ``ead_all_paths`` (the claim over every path, 0 without
    distress), ``el`` and ``el_se`` (the mean loss, claim less recovery,
    over every path), ``el_discounted`` and ``el_discounted_se`` (each
    loss times the path's discount factor to its distress step),
    ``loss_q99`` (the loss's 99% quantile over every path, within
    ``bin_width``; NaN beyond the bound), ``paths`` (distressed paths)."""
    names = supplier_names(scenario)
    index = pd.Index(names, name="counterparty")
    if not names:
        return pd.DataFrame(index=index, columns=list(EXPECTED_LOSS_COLUMNS), dtype=float)
    e = raw["exposure"]
    n = int(raw["n_paths"])
    ny = int(np.asarray(e["exposure"]["histogram"]).shape[0]) // len(names)
    d = raw["distress"]
    claims = d["claimants"]
    m = int(np.asarray(d["count"])[0])
    claim_sums = join_int128(claims["sum"])
    first = 2  # the claimants: the facility, the term debt, then the suppliers
    scale = 2.0**24
    by_year_sum = join_int128(e["loss_by_year"]["sum"])
    by_year_sq = join_int128(e["loss_by_year"]["sum_squares"])
    loss_hist = np.asarray(e["loss"]["histogram"])
    bound = np.asarray(e["bound"], dtype=float)
    bins = loss_hist.shape[1] - 2
    rows = []
    for c, _name in enumerate(names):
        claim = claim_sums[3 * (first + c)]
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
                "el": float(mean[0]),
                "el_se": float(se[0]),
                "el_discounted": float(mean[1]),
                "el_discounted_se": float(se[1]),
                "loss_q99": q99,
                "bin_width": float(bound[c]) / bins,
                "paths": m,
            }
        )
    return pd.DataFrame(rows, index=index, columns=list(EXPECTED_LOSS_COLUMNS))
