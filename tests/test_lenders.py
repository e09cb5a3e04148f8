"""Each lender's exposure and loss (docs/model.md §28, lenders): by hand
on a path every simulated path repeats, against the claimants' sums on
random paths, and bit for bit across threads and split runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from raw_arrays import series_arrays
from test_hand_computed import _burning

import wager
from wager import _core
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel.execution import merge_results

#: Sums of values rounded to 2^-24 before adding.
FIXED = 2**-24
ROOT = Path(__file__).resolve().parent.parent


def _indebted() -> dict[str, Any]:
    """_burning (revenue 10, burn 30 a year) from 2025 to 2027 with 20 of
    cash, 50 of term debt (30 of it due to bank X in 2027, the rest to no
    named lender) and a facility of 20 from bank F, all at 0%."""
    sc = _burning(
        debt={
            "rate": 0.0,
            "initial": 50.0,
            "credit_limit": 20.0,
            "credit_lenders": "bank F",
            "maturities": [{"lender": "bank X", "year": 2027, "amount": 30.0}],
        }
    )
    sc["time"]["horizon"] = 2027
    return sc


def test_each_lender_is_owed_its_debt_and_loses_its_claim_by_hand() -> None:
    # 2025: cash 20 - 30 = -10, drawn from the facility: bank F is owed 10,
    # the term lenders 50 (bank X 30, the others 20). 2026: -30 more, the
    # facility's last 10 drawn, cash -20: distress, liquidated with nothing
    # to share (no assets, a going concern burning cash), so each lender
    # loses its claim: bank F 20, bank X 30, the others 20.
    sc = _indebted()
    d = wager.project(sc).events.distress
    assert d is not None and d.distress_step == 1 and d.kind == "liquidated"
    sim = wager.simulate(sc, n_paths=64, seed=1, progress=False)
    exposure, loss = sim.lender_exposure, sim.lender_loss
    rows = [("facility", "bank F"), ("term_debt", "bank X"), ("term_debt", "other term lenders")]
    assert list(loss.index) == rows
    for (kind, lender), owed, claim in zip(
        rows, (10.0, 30.0, 20.0), (20.0, 30.0, 20.0), strict=True
    ):
        first = exposure.loc[(kind, lender, 2025)]
        assert first["ee"] == pytest.approx(owed, abs=FIXED)
        assert abs(first["pfe99"] - owed) <= loss.loc[(kind, lender), "bin_width"]
        # In distress from 2026: exposure 0, the loss realised that year.
        assert exposure.loc[(kind, lender, 2026), "ee"] == 0.0
        assert exposure.loc[(kind, lender, 2026), "el"] == pytest.approx(claim, abs=FIXED)
        row = loss.loc[(kind, lender)]
        assert row["ead"] == pytest.approx(claim, abs=FIXED)
        assert row["el"] == pytest.approx(claim, abs=FIXED)
        assert row["el_discounted"] == pytest.approx(claim / 1.12**2, abs=1e-6)
        assert abs(row["loss_q99"] - claim) <= row["bin_width"]
        assert row["paths"] == 64
    # The histograms' tops: the facility's limit and the term debt at the
    # start (a lender's share of it), each over 1000 bins.
    assert loss["bin_width"].tolist() == pytest.approx([0.02, 0.03, 0.02])


def test_the_lenders_losses_are_the_claimants_on_random_paths() -> None:
    sc = wager.load_scenario(ROOT / "examples" / "cloud_vendor.toml")
    n = 4000
    sim = wager.simulate(sc, n_paths=n, seed=3, progress=False)
    loss = sim.lender_loss
    assert len(loss) == 2 and loss["paths"].iloc[0] > 0
    claimants = sim.claimants
    for kind, lender in loss.index:
        c = claimants.loc[(kind, lender)]
        m = int(c["paths"])
        assert loss.loc[(kind, lender), "el"] == pytest.approx(
            (c["claim"] - c["recovered"]) * m / n, abs=1e-6
        )
        assert loss.loc[(kind, lender), "ead"] == pytest.approx(c["claim"], abs=1e-6)
    # The years of distress add up to the total.
    by_year = sim.lender_exposure["el"].groupby(level=["kind", "lender"], sort=False).sum()
    np.testing.assert_allclose(by_year.loc[loss.index], loss["el"], atol=1e-9)


def test_no_debt_no_lenders() -> None:
    sim = wager.simulate(_burning(), n_paths=32, progress=False)
    assert sim.lender_loss.empty and sim.lender_exposure.empty


def _raw(n_paths: int, n_threads: int, first_path: int = 0) -> dict[str, Any]:
    sc = wager.load_scenario(ROOT / "examples" / "cloud_vendor.toml")
    cfg = simulation_config(
        [prepare_strategy(sc)],
        n_paths=n_paths,
        seed=6,
        n_threads=n_threads,
        keep_paths=False,
        first_path=first_path,
    )
    return {"strategies": _core.simulate(cfg), "pairs": []}


def _arrays(raw: dict[str, Any]) -> dict[str, np.ndarray]:
    parts = ("exposure", "loss", "loss_by_year")
    return series_arrays(raw["strategies"][0]["lenders"], parts, bound="bound")


def test_the_lenders_sums_are_the_same_bits_for_any_threads_and_split() -> None:
    one = _arrays(_raw(500, 1))
    two = _arrays(_raw(500, 2))
    split = _arrays(merge_results(_raw(200, 1), _raw(300, 2, first_path=200)))
    # The tops of the histograms: the facility's limit and the term debt at the start.
    assert one["bound"].tolist() == pytest.approx([0.5, 1.0])
    for key, value in one.items():
        np.testing.assert_array_equal(two[key], value, err_msg=key)
        np.testing.assert_array_equal(split[key], value, err_msg=key)
