"""Two bets' losses to one supplier on the same paths (docs/model.md §28,
"The joint view"): by hand when both bets fail together; against each
path's losses read from runs of one path (a path's results do not depend
on its neighbours); bit for bit across threads and split runs; and the
binned expected shortfall against a closed form and its own spread."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from raw_arrays import series_arrays
from test_exposure import _random_suppliers
from test_exposure_view import P_YEAR, PAY, N, _one_supplier

import wager
from wager import _core
from wager.analyses.exposure import supplier_names
from wager.analyses.joint_loss import combined_loss_table, joint_loss_table
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel.execution import merge_results
from wager.stats.estimators import join_int128
from wager.stats.tail import binned_shortfall

#: Sums of values rounded to 2^-24 before adding.
FIXED = 2**-24
#: Bins of the combined loss (wager/exposure.hpp: exposure_bins) and of
#: each side of the grid (wager/joint_loss.hpp: joint_loss_grid_bins).
BINS, GRID = 1000, 20


def test_two_bets_failing_together_lose_twice_as_much_to_their_shared_supplier() -> None:
    # Both bets owe A the same 200 a year and draw the same starting cash
    # (test_exposure_view._one_supplier): they fall into distress in the
    # same year on every path, and A loses 600, 400, 200, 0 or 0 to each
    # (probability 1/5 each). Combined: 1200, 800, 400, 0, 0.
    r = wager.exposure(_one_supplier("a"), _one_supplier("b"), n_paths=N, seed=3, progress=False)
    row = r.combined_loss.loc["A"]
    assert bool(row["shared"])
    second = P_YEAR * (1200**2 + 800**2 + 400**2)
    el = 2 * 240.0
    se = math.sqrt((second - el**2) / N)
    assert abs(row["el"] - el) <= 4 * se
    assert row["el_se"] == pytest.approx(se, rel=0.05)
    # Every path of the worst 1% lost 1200: the tail mean is exact (one
    # bin holds them all), the quantile within a bin of the doubled bound.
    bound = 2 * 2 * 4 * PAY  # each side's payments, doubled (an uncertain input)
    assert row["bin_width"] == pytest.approx(bound / BINS, rel=1e-12)
    assert row["es99"] == pytest.approx(1200.0, abs=1e-6)
    assert abs(row["loss_q99"] - 1200.0) <= row["bin_width"]
    # The tail has no spread and the exact quantile is the tail's value, so
    # the standard error is 0 but for the quantile's place within its bin:
    # at most sqrt(0.99 w^2 / (0.01 N)), w the bin width.
    w = row["bin_width"]
    assert 0.0 <= row["es99_se"] <= math.sqrt(0.99 * w * w / (0.01 * N))
    # Both lose on the paths in distress in 2025-27; the losses are equal.
    p = 3 * P_YEAR
    assert abs(row["p_both_lose"] - p) <= 4 * math.sqrt(p * (1 - p) / N)
    assert row["loss_correlation"] == pytest.approx(1.0, abs=1e-9)
    # The grid: every path on the diagonal, the cells of 0, 200, 400, 600
    # (20 bins of 1600 / 20 = 80 a side, bin b holding [80 (b - 1), 80 b):
    # 200 in bin 3, 400 in 6, 600 in 8).
    grid = r.joint_loss.loc["A"]
    assert set(grid.index) == {(0, 0), (3, 3), (6, 6), (8, 8)}
    assert grid["paths"].sum() == N
    assert grid.loc[(8, 8), "a_low"] == 560.0 and grid.loc[(8, 8), "a_high"] == 640.0
    for cell, share in {(0, 0): 2 * P_YEAR, (3, 3): P_YEAR, (8, 8): P_YEAR}.items():
        q = grid.loc[cell, "probability"]
        assert abs(q - share) <= 4 * math.sqrt(share * (1 - share) / N), cell
    q = grid.loc[(6, 6), "probability"]
    assert abs(q - P_YEAR) <= 4 * math.sqrt(P_YEAR * (1 - P_YEAR) / N)


def test_suppliers_of_one_bet_only_are_not_joint() -> None:
    r = wager.exposure(
        _one_supplier("a", "A"), _one_supplier("b", "B"), n_paths=512, seed=1, progress=False
    )
    c = r.combined_loss
    assert list(c.index) == list(r.concentration.index)
    assert not c["shared"].any()
    assert (c["p_both_lose"] == 0.0).all()
    assert c["loss_correlation"].isna().all()
    # Alone, a bet's combined loss is its own.
    for name, bet in (("A", "a"), ("B", "b")):
        assert c.loc[name, "el"] == pytest.approx(r.expected_loss.loc[(bet, name), "el"], abs=FIXED)
    assert r.joint_loss.empty
    one = wager.exposure(_one_supplier("a"), n_paths=64, progress=False)
    assert one.combined_loss.empty and one.joint_loss.empty


def _pair(n_paths: int, first_path: int = 0, n_threads: int = 1) -> dict[str, Any]:
    """_random_suppliers against a variant with more cash and a supplier D
    in place of B: A is shared; the variant fails on fewer paths."""
    a = _random_suppliers()
    b = _random_suppliers()
    b["name"] = "richer"
    b["financing"]["initial_cash"] = 420.0
    for contract in b["compute"]["commitments"][1:3]:  # B's two contracts
        contract["counterparty"] = "D"
    scs = [wager.Scenario.model_validate(x) for x in (a, b)]
    cfg = simulation_config(
        [prepare_strategy(s) for s in scs],
        n_paths=n_paths,
        seed=11,
        n_threads=n_threads,
        keep_paths=False,
        first_path=first_path,
        pairs=[(0, 1)],
    )
    raw: dict[str, Any] = _core.simulate_paired(cfg, None, 65_536)
    raw["names"] = [supplier_names(s) for s in scs]
    return raw


def _losses(strategy: dict[str, Any]) -> np.ndarray:
    """Each supplier's loss on a one-path run: the path's loss."""
    return np.asarray(join_int128(strategy["exposure"]["loss"]["sum"]), dtype=float) * FIXED


def _bin(x: np.ndarray, bound: float, n: int) -> np.ndarray:
    """wager::linear_bin."""
    inside = (x > 0) & (x <= bound)
    b = 1 + np.minimum(np.floor(np.where(inside, x, 0) * (n / bound)), n - 1)
    return np.where(inside, b, np.where(x > bound, n + 1, 0)).astype(np.int64)


def test_the_joint_view_is_that_of_each_path_s_losses() -> None:
    n = 192
    whole = _pair(n)
    pair = whole["pairs"][0]
    names_a, names_b = whole["names"]
    assert names_a == ["A", "B", "C"] and names_b == ["A", "D", "C"]
    # Each path alone: its losses to each supplier of each bet.
    la, lb = np.zeros((n, 3)), np.zeros((n, 3))
    for p in range(n):
        one = _pair(1, first_path=p)
        la[p], lb[p] = _losses(one["strategies"][0]), _losses(one["strategies"][1])
    # Rows: a's suppliers A, B, C, then b's D; A and C shared.
    x = np.stack([la[:, 0], la[:, 1], la[:, 2], np.zeros(n)], axis=1)
    y = np.stack([lb[:, 0], np.zeros(n), lb[:, 2], lb[:, 1]], axis=1)
    table = combined_loss_table(pair, names_a, names_b, *whole["strategies"])
    assert list(table.index) == ["A", "B", "C", "D"]
    assert table["shared"].tolist() == [True, False, True, False]
    assert ((x[:, 0] > 0) & (y[:, 0] > 0)).any(), "some paths must cost A on both bets"
    assert ((x[:, 0] > 0) != (y[:, 0] > 0)).any(), "and some on one only"
    bound = np.asarray(pair["joint_loss"]["bound"])
    for k, name in enumerate(table.index):
        row = table.loc[name]
        total = x[:, k] + y[:, k]
        assert row["el"] == pytest.approx(total.mean(), abs=1e-6)
        assert row["p_both_lose"] == ((x[:, k] > 0) & (y[:, k] > 0)).mean()
        # The tail mean of the worst 1% (1.92 paths: the worst, and 0.92 of the next).
        worst = np.sort(total)[::-1]
        m = 0.01 * n
        exact = (worst[0] + (m - 1) * worst[1]) / m
        assert abs(row["es99"] - exact) <= row["bin_width"] + 1e-9, name
        assert row["bin_width"] == pytest.approx(bound[k].sum() / BINS)
        if row["shared"] and x[:, k].std() > 0 and y[:, k].std() > 0:
            assert row["loss_correlation"] == pytest.approx(
                np.corrcoef(x[:, k], y[:, k])[0, 1], abs=1e-6
            )
    # The grid: the shared suppliers' cells, counted path by path.
    grid = joint_loss_table(pair, names_a, names_b)
    assert sorted(set(grid.index.get_level_values("counterparty"))) == ["A", "C"]
    for k, name in ((0, "A"), (2, "C")):
        ga, gb = _bin(x[:, k], bound[k, 0], GRID), _bin(y[:, k], bound[k, 1], GRID)
        cells, counts = np.unique(np.stack([ga, gb], axis=1), axis=0, return_counts=True)
        got = grid.loc[name]["paths"]
        assert {tuple(c): int(v) for c, v in zip(cells.tolist(), counts, strict=True)} == {
            tuple(i): int(v) for i, v in got.items()
        }


def _joint_arrays(pair: dict[str, Any]) -> dict[str, np.ndarray]:
    j = pair["joint_loss"]
    return series_arrays(j, ("grid", "combined"), counterparties="counterparties", bound="bound")


def test_the_joint_sums_are_the_same_bits_for_any_threads_and_split() -> None:
    one = _joint_arrays(_pair(600)["pairs"][0])
    two = _joint_arrays(_pair(600, n_threads=2)["pairs"][0])
    first, second = _pair(250), _pair(350, first_path=250)
    split = _joint_arrays(merge_results(first, second)["pairs"][0])
    assert one["grid.histogram"].sum() == 600 * 4
    for key, value in one.items():
        np.testing.assert_array_equal(two[key], value, err_msg=key)
        np.testing.assert_array_equal(split[key], value, err_msg=key)


def _binned(x: np.ndarray, bound: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    b = _bin(x, bound, BINS)
    counts = np.bincount(b, minlength=BINS + 2)
    return counts, np.bincount(b, x, BINS + 2), np.bincount(b, x * x, BINS + 2)


def test_the_binned_shortfall_of_an_exponential_loss() -> None:
    # Exp(1): q99 = ln 100, ES99 = q99 + 1, Var(L | L > q) = 1, so the
    # estimator's standard error is sqrt((1 + 0.99) / (0.01 N)).
    rng = np.random.default_rng(7)
    n, level = 4000, 0.99
    q, es = math.log(100.0), math.log(100.0) + 1.0
    se = math.sqrt((1.0 + level) / ((1 - level) * n))
    estimates, errors = [], []
    for _ in range(300):
        result = binned_shortfall(*_binned(rng.exponential(size=n), 20.0), 20.0, level)
        estimates.append(result.es)
        errors.append(result.es_se)
        assert abs(result.quantile - q) < 1.5
    # The mean of 300 estimates within 4 of its standard errors (plus a
    # bin width, 0.02, and the estimator's small-sample bias, ~se / 10).
    assert abs(np.mean(estimates) - es) <= 4 * se / math.sqrt(300) + 0.02 + se / 10
    # The stated standard error matches the estimates' spread (the spread of
    # 300 standard deviations is about 4%), and the closed form.
    assert np.std(estimates) == pytest.approx(se, rel=0.15)
    assert np.mean(errors) == pytest.approx(se, rel=0.15)


def test_a_tail_above_the_bound_has_no_shortfall() -> None:
    counts = np.zeros(BINS + 2)
    sums, squares = np.zeros(BINS + 2), np.zeros(BINS + 2)
    counts[0], counts[-1], sums[-1], squares[-1] = 95, 5, 5 * 30.0, 5 * 900.0
    # The worst 1% is inside the bin above the bound: its width is unknown.
    assert math.isnan(binned_shortfall(counts, sums, squares, 10.0, 0.99).es)
    # The worst 5% is that whole bin: exact.
    assert binned_shortfall(counts, sums, squares, 10.0, 0.95).es == pytest.approx(30.0)
    assert math.isnan(binned_shortfall(np.zeros(4), np.zeros(4), np.zeros(4), 1.0, 0.99).es)
