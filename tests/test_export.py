"""Exports: tidy frames, xarray, Parquet / CSV / JSON written atomically with
the run manifest, and read back equal."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import wager
from wager.results.export import COLUMNS, atomic_path
from wager.results.manifest import canonical_scenario


@pytest.fixture(scope="module")
def results() -> dict[str, Any]:
    a, b = wager.presets.load("profitability"), wager.presets.load("compute_first")
    return {
        "simulation": wager.simulate(b, n_paths=2_000, seed=4, progress=False, stress="price_war"),
        "grid": wager.stress(
            [a, b],
            ["baseline", "funding_freeze"],
            severity=[0.5, 1.0],
            n_paths=500,
            seed=2,
            progress=False,
        ),
        "comparison": wager.compare(
            a, b, n_paths=1_000, seed=3, stresses=["baseline", "rate_shock"], progress=False
        ),
    }


@pytest.mark.parametrize("kind", ["simulation", "grid", "comparison"])
@pytest.mark.parametrize("suffix", [".parquet", ".json"])
def test_written_results_read_back_equal(
    results: dict[str, Any], kind: str, suffix: str, tmp_path: Path
) -> None:
    r = results[kind]
    path = getattr(r, f"to_{suffix[1:]}")(tmp_path / f"out{suffix}")
    back = wager.read_results(path)
    pd.testing.assert_frame_equal(back.frame, r._frame(), check_exact=True)
    written = back.manifest
    expected = r.manifest()
    # The same manifest but for the time it was made.
    assert {k: v for k, v in written.items() if k != "created_utc"} == {
        k: v for k, v in expected.items() if k != "created_utc"
    }
    assert written["seed"] == r.seed and written["n_paths"] == r.n_paths
    assert written["build"]["rng"].startswith("Philox4x32-10") and written["build"]["simd_level"]
    assert list(back.frame.columns) == list(COLUMNS)


def test_the_manifest_names_the_scenario_by_its_canonical_hash(results: dict[str, Any]) -> None:
    sim = results["simulation"]
    m = sim.manifest()
    sc = sim.scenario
    assert (
        m["scenarios"][sc.name]["sha256"]
        == hashlib.sha256(canonical_scenario(sc).encode()).hexdigest()
    )
    # The same scenario written in another key order or format hashes the same.
    again = wager.Scenario.model_validate(json.loads(canonical_scenario(sc)))
    assert canonical_scenario(again) == canonical_scenario(sc)
    assert m["kind"] == "simulation" and m["stress"] == "price_war" and m["steps_per_year"] == 4
    assert m["version"] == wager.__version__ and m["created_utc"].endswith("+00:00")


def test_tidy_frames_hold_the_result_s_numbers(results: dict[str, Any]) -> None:
    sim = results["simulation"]
    f = sim.to_frame()
    cash = f[(f.table == "annual") & (f.variable == "cash") & (f.statistic == "q50")]
    np.testing.assert_array_equal(
        cash["value"].to_numpy(), sim.annual.loc["cash", "q50"].to_numpy()
    )
    never = f[(f.table == "distress_year") & f.year.isna() & (f.statistic == "probability")]
    assert never["value"].item() == sim.distress_year.loc["never", "probability"]
    grid = results["grid"]
    g = grid.to_frame()
    row = g[
        (g.strategy == "compute_first")
        & (g.stress == "funding_freeze")
        & (g.severity == 1.0)
        & (g.statistic == "p_distress")
    ]
    assert (
        row["value"].item()
        == grid.table.loc[("compute_first", "funding_freeze", 1.0), "p_distress"]
    )


def test_to_xarray_has_the_result_s_dimensions(results: dict[str, Any]) -> None:
    ds = results["grid"].to_xarray()
    da = ds["grid"]
    assert set(da.dims) == {"strategy", "stress", "severity", "statistic"}
    v = da.sel(
        strategy="compute_first", stress="funding_freeze", severity=1.0, statistic="p_distress"
    ).item()
    assert v == results["grid"].table.loc[("compute_first", "funding_freeze", 1.0), "p_distress"]
    sim = results["simulation"].to_xarray()
    assert set(sim["annual"].dims) == {
        "strategy",
        "stress",
        "severity",
        "variable",
        "year",
        "statistic",
    } - {"stress"} | {"stress"}
    assert json.loads(sim.attrs["wager_manifest"])["kind"] == "simulation"


def test_csv_holds_the_table_only_and_its_manifest_beside_it(
    results: dict[str, Any], tmp_path: Path
) -> None:
    # No "# wager_manifest" line for Excel to put in A1: the heading comes first.
    path = results["grid"].to_csv(tmp_path / "grid.csv")
    assert path.read_text(encoding="utf-8").splitlines()[0] == ",".join(COLUMNS)
    frame = pd.read_csv(path)
    assert list(frame.columns) == list(COLUMNS) and len(frame) == len(results["grid"].to_frame())
    beside = json.loads((tmp_path / "grid.manifest.json").read_text(encoding="utf-8"))
    assert beside["wager_manifest"]["kind"] == "stress_grid"
    assert beside["csv_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.csv", "grid.manifest.json"]


def test_a_failed_write_leaves_no_partial_file_and_the_old_file_intact(
    results: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "keep.json"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError, match="disk full"):
        _write_half_then_fail(target)
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.json"]
    # Through an export: the Parquet writer fails after writing part of the file.
    import pyarrow.parquet as pq

    def broken(table: Any, where: Any) -> None:
        Path(where).write_bytes(b"PAR1 partial")
        raise OSError("device full")

    old = tmp_path / "grid.parquet"
    results["grid"].to_parquet(old)
    before = old.read_bytes()
    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="device full"):
        results["grid"].to_parquet(old)
    assert old.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["grid.parquet", "keep.json"]


def _write_half_then_fail(target: Path) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")


def test_read_results_refuses_other_files(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text('{"a": 1}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a wager result"):
        wager.read_results(tmp_path / "x.json")
    with pytest.raises(ValueError, match=r"reads \.parquet, \.json and \.csv"):
        wager.read_results(tmp_path / "x.xlsx")


def test_race_and_sensitivity_results_round_trip(tmp_path: Path) -> None:
    from test_sensitivity import _linear

    results = {
        "race": wager.race(n_paths=500, seed=1),
        "tornado": wager.tornado(_linear(), n_paths=32),
        "sobol": wager.sobol(_linear(), n_base=16),
    }
    for kind, r in results.items():
        for suffix in (".parquet", ".json"):
            back = wager.read_results(getattr(r, f"to_{suffix[1:]}")(tmp_path / f"{kind}{suffix}"))
            pd.testing.assert_frame_equal(back.frame, r._frame(), check_exact=True)
            assert back.manifest["kind"] == kind
    race = results["race"].to_frame()
    row = race[
        (race.table == "race")
        & (race.variable == "aggressive/aggressive")
        & (race.statistic == "survival_b")
    ]
    assert (
        row["value"].item()
        == results["race"].matrix.loc[("aggressive", "aggressive"), "survival_b"]
    )


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_output_follows_the_umask(tmp_path: Path, umask: int) -> None:
    # Not mkstemp's 0o600: colleagues on a shared drive can open a report.
    old = os.umask(umask)
    try:
        with atomic_path(tmp_path / "report.html") as tmp:
            tmp.write_text("<html></html>", encoding="utf-8")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o666 & ~umask


def test_a_replaced_output_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    with atomic_path(target) as tmp:
        tmp.write_text("new", encoding="utf-8")
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["table.csv"]
