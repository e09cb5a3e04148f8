"""A projection exports like every other result (issue 19, item 4): tidy
rows, Parquet/JSON/CSV that read back equal, and an Excel workbook."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import wager

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def projection() -> wager.Projection:
    return wager.project(wager.presets.load("compute_first"), stress="funding_freeze")


def test_the_tidy_rows_are_the_projection_s_numbers(projection: wager.Projection) -> None:
    frame = projection.to_frame()
    annual = frame[frame.table == "annual"]
    cash = annual[(annual.variable == "cash") & (annual.year == 2030)]["value"].item()
    assert cash == projection.annual.loc[2030, "cash"]
    events = frame[frame.table == "events"].set_index("variable")["value"]
    assert events["distress_year"] == projection.events.distress_year
    assert events["peak_funding_need"] == projection.events.peak_funding_need
    assert set(frame.stress.dropna()) == {"funding_freeze"}


@pytest.mark.parametrize("suffix", ["parquet", "json", "csv"])
def test_a_projection_reads_back_equal(
    projection: wager.Projection, suffix: str, tmp_path: Path
) -> None:
    path = getattr(projection, f"to_{suffix}")(tmp_path / f"p.{suffix}")
    back = wager.read_results(path)
    pd.testing.assert_frame_equal(back.frame, projection.to_frame())
    assert back.manifest["kind"] == "projection" and back.manifest["stresses"] == ["funding_freeze"]


def test_a_projection_s_workbook(projection: wager.Projection, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(projection.to_excel(tmp_path / "p.xlsx"), read_only=True)
    assert book.sheetnames[-1] == "manifest" and "annual" in book.sheetnames
    cells = [c for row in book["annual"].iter_rows(values_only=True) for c in row]
    assert projection.annual.loc[2028, "revenue"] in cells
