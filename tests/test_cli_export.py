"""Every command that runs a Monte Carlo writes its whole result with --out
in --format csv, json, parquet or xlsx (issue 19, item 4), checked before the
run; binary formats need --out."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import wager
from wager.cli import cli

openpyxl = pytest.importorskip("openpyxl")


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def test_simulate_writes_a_workbook_whose_numbers_are_the_result_s(tmp_path: Path) -> None:
    out = tmp_path / "cf.xlsx"
    code, text = _invoke(
        "simulate", "compute_first", "--paths", "500", "--seed", "4", "--format", "xlsx",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, text
    assert f"wrote {out}" in text
    book = openpyxl.load_workbook(out, read_only=True)
    assert book.sheetnames[-1] == "manifest"
    manifest = {row[0]: row[1] for row in book["manifest"].iter_rows(values_only=True)}
    assert manifest["n_paths"] == 500 and manifest["seed"] == 4
    # The workbook holds the same result as the API's, run on the same paths.
    sim = wager.simulate(wager.presets.load("compute_first"), n_paths=500, seed=4, progress=False)
    p = float(sim.distress_probability["probability"].iloc[-1])
    values = [
        c
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for c in row
        if isinstance(c, float)
    ]
    assert p in values


def test_stress_writes_csv_with_its_manifest_beside_it(tmp_path: Path) -> None:
    out = tmp_path / "grid.csv"
    code, text = _invoke(
        "stress", "profitability", "--stress", "price_war", "--paths", "300", "--format", "csv",
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, text
    assert f"wrote {out}" in text and "grid.manifest.json" in text
    back = wager.read_results(out)
    grid = wager.stress(
        [wager.presets.load("profitability")], ["price_war"], n_paths=300, progress=False
    )
    pd.testing.assert_frame_equal(back.frame, grid.to_frame())
    assert back.manifest["kind"] == "stress_grid"


def test_race_and_compare_write_their_results(tmp_path: Path) -> None:
    code, text = _invoke(
        "race", "--paths", "300", "--format", "json", "--out", str(tmp_path / "race.json")
    )
    assert code == 0, text
    assert wager.read_results(tmp_path / "race.json").manifest["kind"] == "race"
    code, text = _invoke(
        "compare", "--paths", "300", "--stress", "baseline", "--format", "xlsx",
        "--out", str(tmp_path / "res"),
    )  # fmt: skip
    assert code == 0, text
    book = openpyxl.load_workbook(tmp_path / "res" / "comparison.xlsx", read_only=True)
    assert "manifest" in book.sheetnames and len(book.sheetnames) > 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("simulate", "compute_first", "--format", "xlsx"), "binary file: give --out"),
        (("stress", "--format", "parquet"), "binary file: give --out"),
        (("simulate", "compute_first", "--out", "x.csv"), "give --format"),
        (("race", "--format", "csv", "--out", "x.json"), "must end in .csv"),
        (("race", "--sweep", "bust=1,2", "--format", "csv", "--out", "x.csv"), "not with --sweep"),
        (("compare", "--format", "xlsx"), "--format xlsx needs --out"),
    ],
)
def test_bad_export_usage_is_refused_before_the_run(
    args: tuple[str, ...], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, text = _invoke(*args)
    assert code == 2 and message in text, text
    assert not list(tmp_path.iterdir())  # nothing written, nothing run
