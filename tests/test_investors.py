"""Each committed tranche's stake (docs/model.md §28, investors): by hand
without and with a later round's dilution, a tranche lost in a distress and
one that never landed, tranches sharing a step, and the same bits for any
threads and split."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from click.testing import CliRunner
from raw_arrays import series_arrays
from test_hand_computed import _burning

import wager
from wager import _core
from wager.cli.main import cli
from wager.compile.prepared import prepare_strategy
from wager.compile.run_config import simulation_config
from wager.kernel.execution import merge_results
from wager.present.exposure_text import exposure_headline

#: Sums of values rounded to 2^-24 before adding.
FIXED = 2**-24
N = 64


def _tranche(year: int, amount: float, post_money: float, investor: str = "X") -> dict[str, Any]:
    return {
        "investor": investor,
        "year": year,
        "month": 1,
        "amount": amount,
        "post_money": post_money,
    }


def _investors(sc: dict[str, Any]) -> Any:
    return wager.simulate(sc, n_paths=N, seed=2, progress=False).investors


def test_a_tranche_alone_keeps_its_share_and_is_worth_it_at_the_horizon() -> None:
    # _burning: revenue 10, burn 30 a year, 2025-26, multiple 10. Cash 100 +
    # 20 - 2 x 30 = 60 at the end: the company is worth 10 x 10 + 60 = 160.
    # The tranche bought 20 / 200 = 10% and nothing dilutes it: worth 16,
    # a loss of 20 - 16 = 4 on every path.
    row = _investors(_burning(initial_cash=100.0, tranches=[_tranche(2025, 20.0, 200.0)])).iloc[0]
    assert row.name == "X 2025-01"
    assert row["invested"] == pytest.approx(20.0, abs=FIXED)
    assert row["stake"] == pytest.approx(0.1, abs=FIXED)
    assert row["value"] == pytest.approx(16.0, abs=FIXED)
    # Discounted over the two years at the regime's default rate, 12% a year.
    assert row["value_today"] == pytest.approx(16.0 / 1.12**2, abs=1e-6)
    assert row["multiple"] == pytest.approx(0.8, abs=1e-6)
    assert row["el"] == pytest.approx(4.0, abs=FIXED)
    assert row["p_loss"] == 1.0
    assert abs(row["loss_q99"] - 4.0) <= row["bin_width"]
    assert row["bin_width"] == pytest.approx(2 * 20.0 / 1000)
    # By DCF: the last year's cash flow is negative, so the company is worth
    # its net cash, 60: the stake 6, a loss of 14.
    assert row["value_dcf"] == pytest.approx(6.0, abs=FIXED)
    assert row["multiple_dcf"] == pytest.approx(0.3, abs=1e-6)
    assert row["el_dcf"] == pytest.approx(14.0, abs=FIXED)


def test_a_later_round_dilutes_the_tranche_with_everyone() -> None:
    # test_hand_computed.test_equity_raise_by_hand with a tranche of 10 at a
    # post-money of 50 landing first in 2025: it holds 20%. Cash -10 + 10 = 0
    # is below a year's burn: the round raises 2 x 30 - 0 = 60 at a
    # pre-money of 100, so every holder keeps 100 / 160: the tranche 12.5%.
    # 2026: cash 30, not below the burn: no round. Worth 12.5% of 100 + 30.
    sc = _burning(
        tranches=[_tranche(2025, 10.0, 50.0)],
        equity={
            "enabled": True,
            "trigger_runway": 1.0,
            "target_runway": 2.0,
            "max_dilution": 0.5,
            "min_interval": 0.5,
        },
    )
    annual = wager.project(sc).annual
    assert annual.loc[2025, "equity_raised"] == pytest.approx(60.0, abs=1e-9)
    row = _investors(sc).iloc[0]
    assert row["stake"] == pytest.approx(0.2 * 100 / 160, abs=FIXED)
    assert row["value"] == pytest.approx(0.125 * 130.0, abs=1e-6)
    assert row["multiple"] == pytest.approx(1.625, abs=1e-6)
    assert row["el"] == 0.0 and row["p_loss"] == 0.0


def test_a_tranche_before_a_distress_is_lost_and_one_after_never_paid() -> None:
    # No cash: 2025 ends at -30 + 5 = -25 and the company falls into
    # distress with nothing left for its equity (a going concern burning
    # cash, no assets): the 2025 tranche landed and is lost whole; the 2026
    # one never lands.
    sc = _burning(initial_cash=0.0, tranches=[_tranche(2025, 5.0, 50.0), _tranche(2026, 7.0, 70.0)])
    d = wager.project(sc).events.distress
    assert d is not None and d.distress_step == 0
    table = _investors(sc)
    first, second = table.iloc[0], table.iloc[1]
    assert first["invested"] == pytest.approx(5.0, abs=FIXED)
    assert first["stake"] == pytest.approx(0.1, abs=FIXED)
    assert first["value"] == 0.0
    assert first["el"] == pytest.approx(5.0, abs=FIXED) and first["p_loss"] == 1.0
    assert second["invested"] == 0.0 and second["stake"] == 0.0 and second["el"] == 0.0
    assert np.isnan(second["multiple"])


def test_tranches_landing_in_one_step_share_its_new_shares_by_amount() -> None:
    # Two agreed tranches in January 2025: 10 at 100 and 30 at 100 sell
    # 1 - 0.9 x 0.7 = 37% of the company, split 1 : 3 by their amounts (an
    # approximation stated in docs/model.md: each paid its own price).
    sc = _burning(
        initial_cash=100.0,
        tranches=[_tranche(2025, 10.0, 100.0, "A"), _tranche(2025, 30.0, 100.0, "B")],
    )
    table = _investors(sc)
    sold = 1 - 0.9 * 0.7
    assert table["stake"].tolist() == pytest.approx([sold / 4, 3 * sold / 4], abs=1e-6)
    assert list(table.index) == ["A 2025-01", "B 2025-01"]
    # Cash 100 + 40 - 60 = 80: the company is worth 180, its new holders 37% of it.
    assert table["value"].sum() == pytest.approx(sold * 180.0, abs=1e-6)


def test_the_same_investor_twice_in_one_month_is_numbered() -> None:
    sc = _burning(initial_cash=100.0, tranches=[_tranche(2025, 1.0, 100.0)] * 2)
    assert list(_investors(sc).index) == ["X 2025-01", "X 2025-01 #2"]


def test_without_tranches_the_table_is_empty() -> None:
    assert _investors(_burning()).empty


def _raw(n_paths: int, n_threads: int, first_path: int = 0) -> dict[str, Any]:
    st = prepare_strategy(wager.presets.load("compute_first"))
    cfg = simulation_config(
        [st], n_paths=n_paths, seed=4, n_threads=n_threads, keep_paths=False, first_path=first_path
    )
    return {"strategies": _core.simulate(cfg), "pairs": []}


def _arrays(raw: dict[str, Any]) -> dict[str, np.ndarray]:
    return series_arrays(raw["strategies"][0]["investors"], ("sums", "loss"), bound="bound")


def test_the_stakes_are_the_same_bits_for_any_threads_and_split() -> None:
    one = _arrays(_raw(300, 1))
    two = _arrays(_raw(300, 2))
    split = _arrays(merge_results(_raw(130, 1), _raw(170, 2, first_path=130)))
    assert one["loss.histogram"].shape == (7, 1002)  # compute_first's seven tranches
    assert one["sums.histogram"].sum() == 300 * 7 * 8  # every path, tranche and sum
    for key, value in one.items():
        np.testing.assert_array_equal(two[key], value, err_msg=key)
        np.testing.assert_array_equal(split[key], value, err_msg=key)


def test_the_exposure_view_exports_and_reports_the_stakes(tmp_path: Path) -> None:
    a = _burning(initial_cash=100.0, tranches=[_tranche(2025, 20.0, 200.0)])
    b = {**_burning(initial_cash=100.0, tranches=[_tranche(2026, 5.0, 100.0, "Y")]), "name": "b"}
    r = wager.exposure(a, b, n_paths=N, seed=1, progress=False)
    assert list(r.investors.index) == [("burning", "X 2025-01"), ("b", "Y 2026-01")]
    # b's tranche: 5% of a company worth 10 x 10 + (100 + 5 - 60) = 145.
    assert r.investors.loc[("b", "Y 2026-01"), "value"] == pytest.approx(0.05 * 145.0, abs=1e-6)
    frame = r.to_frame()
    rows = frame[(frame["table"] == "investors") & (frame["statistic"] == "stake")]
    assert rows["value"].tolist() == pytest.approx([0.1, 0.05], abs=FIXED)
    sim_rows = r.simulations[0].to_frame()
    assert "investors" in set(sim_rows["table"])
    html = (r.report(tmp_path / "r.html")).read_text(encoding="utf-8")
    assert "committed investors&#39; stakes" in html or "committed investors' stakes" in html


def test_the_command_prints_each_bet_s_committed_investors() -> None:
    out = CliRunner().invoke(
        cli, ["exposure", "compute_first", "--paths", "500"], env={"COLUMNS": "100"}
    )
    assert out.exit_code == 0, out.output
    assert "compute_first: its committed investors' stakes at 2035" in out.output
    assert "SoftBank-led round, second close 2025-12" in out.output
    assert max(len(line) for line in out.output.splitlines()) <= 100


def test_a_supplier_that_invests_in_its_customer_sees_both_legs_in_one_number() -> None:
    # test_a_tranche_before_a_distress_is_lost_and_one_after_never_paid, with
    # X also the company's supplier: at the distress it loses its stake (5)
    # and its claim, less nothing recovered.
    sc = _burning(initial_cash=0.0, tranches=[_tranche(2025, 5.0, 50.0)])
    sc["compute"] = {
        "commitments": [{"name": "c", "counterparty": "X", "schedule": {2025: 1.0, 2026: 2.0}}]
    }
    r = wager.exposure(sc, n_paths=N, seed=1, progress=False)
    legs = r.counterparties.loc[("burning", "X")]
    assert legs["roles"] == "supplier+investor"
    assert legs["el_investor"] == pytest.approx(5.0, abs=FIXED)
    assert legs["el_supplier"] == pytest.approx(r.expected_loss.loc[("burning", "X"), "el"])
    assert legs["el_supplier"] > 0
    assert legs["el_total"] == pytest.approx(legs["el_supplier"] + legs["el_investor"])
    assert "X, a supplier and investor of burning, expects to lose" in exposure_headline(r)
    frame = r.to_frame()
    total = frame[(frame["table"] == "counterparties") & (frame["statistic"] == "el_total")]
    assert total["value"].tolist() == pytest.approx([legs["el_total"]])


def test_a_bet_without_an_investor_s_tranches() -> None:
    sc = wager.presets.load("compute_first")
    without = wager.without_investor(sc, "Nvidia")
    assert without.name == "compute_first_without_Nvidia"
    assert [t.investor for t in without.financing.tranches] == [
        "SoftBank-led round, first close",
        "SoftBank-led round, second close",
    ]
    assert len(sc.financing.tranches) == 7  # the original is unchanged
    with pytest.raises(ValueError, match="no tranche from 'Oracle'"):
        wager.without_investor(sc, "Oracle")
