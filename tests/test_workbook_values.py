"""Scenario values from a spreadsheet (issue 19, item 4): rows of field
paths by columns of years, read into values a scenario sets and validates."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import wager
from wager.scenario.errors import ScenarioError

openpyxl = pytest.importorskip("openpyxl")


def _book(path: Path, rows: list[list[Any]], title: str = "plan") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_a_plan_sheet_sets_series_and_values(tmp_path: Path) -> None:
    path = _book(
        tmp_path / "plan.xlsx",
        [
            ["field", 2025, 2026, 2030, "value"],
            ["segments.consumer.revenue", 10.0, 22.0, 95.0, None],
            ["# a comment row is skipped"],
            [None],
            ["financing.initial_cash", None, None, None, 15],
            ["tax.rate", 0.25],
        ],
    )
    values = wager.values_from_excel(path)
    assert values == {
        "segments.consumer.revenue": {2025: 10.0, 2026: 22.0, 2030: 95.0},
        "financing.initial_cash": 15.0,
        "tax.rate": 0.25,
    }
    sc = wager.presets.load("compute_first").with_values(values)
    annual = wager.project(sc).annual
    # The given years exactly; 2027 interpolated between 2026 and 2030 as a
    # scenario file's series is (linearly, docs/scenarios.md).
    assert annual.loc[[2025, 2026, 2030], "revenue_consumer"].tolist() == [10.0, 22.0, 95.0]
    assert annual.loc[2027, "revenue_consumer"] == pytest.approx(22.0 + (95.0 - 22.0) / 4)
    assert sc.financing.initial_cash == 15.0 and sc.tax.rate == 0.25
    assert sc.origin.overrides  # what was set is recorded


@pytest.mark.parametrize(
    ("rows", "where", "reason"),
    [
        ([["field", 2025], ["tax.rate", "high"]], "sheet plan, B2", "not a number"),
        ([["field", "x"], ["tax.rate", 0.2]], "sheet plan, row 1", "no column headed by a year"),
        ([["field", 2025], ["tax.rate", 0.2], ["tax.rate", 0.3]], "sheet plan, A3", "second time"),
        ([["field", 2025, "value"], ["tax.rate", 0.2, 0.3]], "sheet plan, row 2", "both"),
    ],
)
def test_problems_name_the_file_sheet_and_cell(
    tmp_path: Path, rows: list[list[Any]], where: str, reason: str
) -> None:
    path = _book(tmp_path / "bad.xlsx", rows)
    with pytest.raises(ScenarioError) as err:
        wager.values_from_excel(path)
    text = str(err.value)
    assert "bad.xlsx" in text and where in text and reason in text, text


def test_what_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="is a directory"):
        wager.values_from_excel(tmp_path)
    (tmp_path / "x.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"not a readable \.xlsx workbook"):
        wager.values_from_excel(tmp_path / "x.xlsx")
    path = _book(tmp_path / "ok.xlsx", [["field", 2025], ["tax.rate", 0.2]])
    with pytest.raises(ScenarioError, match="no sheet 'other'; its sheets: plan"):
        wager.values_from_excel(path, sheet="other")
    with pytest.raises(ScenarioError, match="no such file"):
        wager.values_from_excel(tmp_path / "missing.xlsx")
