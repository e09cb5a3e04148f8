"""Each committed investor tranche's stake (``docs/model.md`` §28,
investors), decoded from a simulation's exact sums: what it paid, the share
of the company it holds at the horizon after the later rounds' dilution,
what that share is worth, and what the investor loses."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from wager.scenario.schema import Scenario
from wager.stats.estimators import join_int128, mean_and_se
from wager.stats.exposure import linear_quantiles

__all__ = ["INVESTOR_COLUMNS", "investors_table", "tranche_labels"]

#: The columns of :func:`investors_table`, per tranche.
INVESTOR_COLUMNS = (
    "investor",
    "year",
    "month",
    "amount",
    "invested",
    "stake",
    "stake_se",
    "value",
    "value_se",
    "value_today",
    "value_today_se",
    "multiple",
    "el",
    "el_se",
    "p_loss",
    "loss_q99",
    "bin_width",
    "value_dcf",
    "value_dcf_se",
    "value_dcf_today",
    "multiple_dcf",
    "el_dcf",
    "el_dcf_se",
)
#: The core's sums per tranche (wager/investors.hpp: InvestorSeries).
_SERIES = (
    "invested",
    "stake",
    "value",
    "value_today",
    "loss",
    "value_dcf",
    "value_dcf_today",
    "loss_dcf",
)


def tranche_labels(scenario: Scenario) -> list[str]:
    """One label per tranche, in the scenario's order: the investor and the
    month it lands (``Nvidia 2026-07``), numbered when two would read the same."""
    labels: list[str] = []
    for t in scenario.financing.tranches:
        label = f"{t.investor} {t.year}-{t.month:02d}"
        n = sum(1 for x in labels if x == label or x.startswith(f"{label} #"))
        labels.append(label if n == 0 else f"{label} #{n + 1}")
    return labels


def investors_table(scenario: Scenario, raw: dict[str, Any]) -> pd.DataFrame:
    """Index tranche (:func:`tranche_labels`); ``investor``, ``year``,
    ``month`` and ``amount`` (planned, at its central value), then over
    every path: ``invested`` (the mean paid: 0 on a path in distress before
    it landed, less what a per-delivery tranche does not pay), ``stake``
    (the mean share of the company at the horizon, or at a distress),
    ``value`` (the stake times the terminal equity value, or the equity's
    recovery at a distress; undiscounted) and ``value_today`` (discounted
    to the start), each with its standard error; ``multiple`` (mean value
    over mean invested); ``el`` (the mean of max(invested - value, 0)),
    ``el_se``, ``p_loss`` (the share of paths with a loss), ``loss_q99``
    (within ``bin_width``: the loss histogram's 1,000 bins on twice the
    planned amount); then the same valued at the terminal DCF value
    instead of the multiple: ``value_dcf``, ``value_dcf_se``,
    ``value_dcf_today``, ``multiple_dcf``, ``el_dcf``, ``el_dcf_se``."""
    labels = tranche_labels(scenario)
    index = pd.Index(labels, name="tranche")
    if not labels:
        return pd.DataFrame(index=index, columns=list(INVESTOR_COLUMNS), dtype=float)
    v = raw["investors"]
    n = int(raw["n_paths"])
    mean, se = mean_and_se(join_int128(v["sums"]["sum"]), join_int128(v["sums"]["sum_squares"]), n)
    k = len(_SERIES)
    mean, se = mean.reshape(len(labels), k), se.reshape(len(labels), k)
    at = {name: i for i, name in enumerate(_SERIES)}
    hist = np.asarray(v["loss"]["histogram"])
    bound = np.asarray(v["bound"], dtype=float)
    bins = hist.shape[1] - 2
    rows = []
    for i, t in enumerate(scenario.financing.tranches):
        counted = int(hist[i].sum())
        (q99,) = linear_quantiles(hist[i], float(bound[i]), (0.99,))
        invested = float(mean[i, at["invested"]])
        rows.append(
            {
                "investor": t.investor,
                "year": t.year,
                "month": t.month,
                "amount": float(bound[i]) / 2.0,
                "invested": invested,
                "stake": float(mean[i, at["stake"]]),
                "stake_se": float(se[i, at["stake"]]),
                "value": float(mean[i, at["value"]]),
                "value_se": float(se[i, at["value"]]),
                "value_today": float(mean[i, at["value_today"]]),
                "value_today_se": float(se[i, at["value_today"]]),
                "multiple": float(mean[i, at["value"]]) / invested if invested > 0 else math.nan,
                "el": float(mean[i, at["loss"]]),
                "el_se": float(se[i, at["loss"]]),
                "p_loss": (counted - int(hist[i, 0])) / n if n else math.nan,
                "loss_q99": q99,
                "bin_width": float(bound[i]) / bins,
                "value_dcf": float(mean[i, at["value_dcf"]]),
                "value_dcf_se": float(se[i, at["value_dcf"]]),
                "value_dcf_today": float(mean[i, at["value_dcf_today"]]),
                "multiple_dcf": float(mean[i, at["value_dcf"]]) / invested
                if invested > 0
                else math.nan,
                "el_dcf": float(mean[i, at["loss_dcf"]]),
                "el_dcf_se": float(se[i, at["loss_dcf"]]),
            }
        )
    out = pd.DataFrame(rows, index=index, columns=list(INVESTOR_COLUMNS))
    return out.astype({"year": "int64", "month": "int64"})
