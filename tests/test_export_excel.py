"""Issue 19, part 4: results as Excel workbooks (one wide sheet per table and
a manifest sheet, refused over Excel's limits), and CSV without the comment
line, its manifest in a file beside it that read_results checks."""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
import sys
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl  # the test extra has it; wager[excel] for users
import pandas as pd
import pytest

import wager
from wager.results import excel as excel_module
from wager.results import export as export_module
from wager.results.excel import MANIFEST_SHEET, sheet_names
from wager.results.export import (
    COLUMNS,
    Exportable,
    csv_manifest_path,
    live_temporaries,
    tidy_frame,
)

KINDS = ["simulation", "stress_grid", "comparison", "race", "tornado", "sobol", "sensitivity"]
#: The label columns a sheet may have on its left, in this order.
LABELS = ("strategy", "stress", "severity", "variable", "statistic")


@pytest.fixture(scope="module")
def results(every_result: dict[str, Any]) -> dict[str, Any]:
    """One small result of every kind (tests/conftest.py)."""
    return every_result


@pytest.fixture(scope="module")
def workbooks(results: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Each result's workbook, written once and read back with openpyxl."""
    where = tmp_path_factory.mktemp("xlsx")
    return {
        kind: openpyxl.load_workbook(r.to_excel(where / f"{kind}.xlsx"), read_only=True)
        for kind, r in results.items()
    }


@pytest.fixture(autouse=True)
def _no_temporaries_left() -> Any:
    yield
    assert not live_temporaries()


class _Fake(Exportable):
    """A result of a hand-made tidy frame and manifest."""

    def __init__(self, frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
        self.frame, self.about = frame, manifest

    def to_frame(self) -> pd.DataFrame:
        return self.frame

    def manifest(self) -> dict[str, Any]:
        return self.about


def _tidy(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A tidy frame of rows given as dicts (missing keys: missing cells)."""
    full = [{c: r.get(c) for c in COLUMNS} for r in rows]
    return tidy_frame([pd.DataFrame(full, columns=list(COLUMNS))])


def _unpivot(sheet: Any) -> tuple[list[Any], dict[tuple[Any, ...], Any]]:
    """A wide sheet back as {(strategy, stress, severity, variable, year,
    statistic): cell}, read independently of the writer: the heading row's
    leading label names, then years or statistics."""
    # A read-only sheet leaves out a row's trailing empty cells.
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows[0]
    rows = [r + [None] * (len(header) - len(r)) for r in rows]
    n = 0
    while n < len(header) and header[n] in LABELS:
        n += 1
    labels, heads = header[:n], header[n:]
    across = "year" if all(isinstance(h, int) or h == "never" for h in heads) else "statistic"
    cells: dict[tuple[Any, ...], Any] = {}
    for row in rows[1:]:
        known = dict(zip(labels, row[:n], strict=True))
        for head, value in zip(heads, row[n:], strict=True):
            key = dict(known)
            key[across] = None if head == "never" else head
            cells[tuple(key.get(c) for c in (*LABELS[:4], "year", "statistic"))] = value
    return header, cells


def _tidy_cells(frame: pd.DataFrame) -> dict[tuple[Any, ...], float]:
    dims = ("strategy", "stress", "severity", "variable", "year", "statistic")
    out = {}
    for row in frame.astype(object).itertuples(index=False):
        r = row._asdict()
        out[tuple(None if pd.isna(r[d]) else r[d] for d in dims)] = r["value"]
    return out


# -- every number of every sheet ---------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_every_number_in_the_workbook_is_the_tidy_frame_s_exactly(
    results: dict[str, Any], workbooks: dict[str, Any], kind: str
) -> None:
    frame = results[kind].to_frame()
    book = workbooks[kind]
    tables = list(dict.fromkeys(frame["table"]))
    assert book.sheetnames == [*tables, MANIFEST_SHEET]
    for table in tables:
        _, cells = _unpivot(book[table])
        expected = _tidy_cells(frame[frame["table"] == table])
        for key, value in expected.items():
            got = cells[key]
            if math.isnan(value):
                assert got is None, (table, key)
            else:
                # A number cell (not text), the same double.
                assert type(got) is float and got == value, (table, key, got, value)
        written = {k for k, v in cells.items() if v is not None}
        assert written == {k for k, v in expected.items() if not math.isnan(v)}, table


def test_a_simulation_s_sheets_read_as_its_own_tables(
    results: dict[str, Any], workbooks: dict[str, Any]
) -> None:
    sim = results["simulation"]
    header, cells = _unpivot(workbooks["simulation"]["annual"])
    years = list(sim.annual.loc["cash", "q50"].index)
    assert header == ["strategy", "stress", "severity", "variable", "statistic", *years]
    key = ("compute_first", "price_war", 1.0, "cash")
    np.testing.assert_array_equal(
        [cells[(*key, y, "q50")] for y in years], sim.annual.loc["cash", "q50"].to_numpy()
    )
    # An event-year distribution: "never" is the last column.
    header, cells = _unpivot(workbooks["simulation"]["distress_year"])
    assert header[-1] == "never" and header[:4] == ["strategy", "stress", "severity", "statistic"]
    never = cells[("compute_first", "price_war", 1.0, None, None, "probability")]
    assert never == sim.distress_year.loc["never", "probability"]
    # pandas reads a sheet straight into a frame with the years as columns.
    path = Path(workbooks["simulation"]._archive.filename)
    annual = pd.read_excel(path, sheet_name="annual", index_col=[0, 1, 2, 3, 4])
    row = annual.loc[("compute_first", "price_war", 1.0, "cash", "mean")]
    np.testing.assert_array_equal(row.to_numpy(), sim.annual.loc["cash", "mean"].to_numpy())


def test_a_grid_and_a_summary_have_their_statistics_as_columns(
    results: dict[str, Any], workbooks: dict[str, Any]
) -> None:
    grid = results["stress_grid"]
    header, cells = _unpivot(workbooks["stress_grid"]["grid"])
    assert header == ["strategy", "stress", "severity", *map(str, grid.table.columns)]
    got = cells[("compute_first", "funding_freeze", 0.5, None, None, "p_distress")]
    assert got == grid.table.loc[("compute_first", "funding_freeze", 0.5), "p_distress"]
    comparison = results["comparison"]
    summary = comparison.summary()
    header, cells = _unpivot(workbooks["comparison"]["summary"])
    assert header == ["stress", "variable", *map(str, summary.columns)]
    metric = summary.index.get_level_values(1)[0]
    column = str(summary.columns[2])
    assert (
        cells[(None, "rate_shock", None, metric, None, column)]
        == (summary.loc[("rate_shock", metric), column])
    )


@pytest.mark.parametrize("kind", ["comparison", "race"])
def test_the_manifest_sheet_is_the_result_s_manifest(
    results: dict[str, Any], workbooks: dict[str, Any], kind: str
) -> None:
    rows = list(workbooks[kind][MANIFEST_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("key", "value")
    expected = results[kind].manifest()
    assert [k for k, _ in rows[1:]] == list(expected)
    for key, cell in rows[1:]:
        value = expected[key]
        if isinstance(value, dict | list):
            assert json.loads(cell) == value, key  # nested: JSON text
        elif key == "created_utc":
            assert isinstance(cell, str) and cell.endswith("+00:00")
        else:
            assert cell == value and type(cell) is type(value), key
    assert any(isinstance(v, dict) for v in expected.values())  # some nested values


# -- Excel's limits ------------------------------------------------------------


def _rows_needed(frame: pd.DataFrame) -> dict[str, int]:
    """Rows of each table's sheet: a heading and one per combination of its
    labels other than the one across (years, or else statistics)."""
    out = {}
    for table, part in frame.groupby("table", sort=False):
        across = "year" if part["year"].notna().any() else "statistic"
        labels = [c for c in LABELS if c != across and part[c].notna().any()]
        out[str(table)] = 1 + len(part[labels].drop_duplicates()) if labels else 2
    return out


def test_a_table_over_the_row_limit_is_refused_before_any_file_is_made(
    results: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim = results["simulation"]
    needed = _rows_needed(sim.to_frame())
    largest = max(needed.values())
    first_over = next(t for t, n in needed.items() if n == largest)
    monkeypatch.setattr(excel_module, "EXCEL_MAX_ROWS", largest - 1)
    target = tmp_path / "new" / "sim.xlsx"
    with pytest.raises(
        ValueError,
        match=(
            rf"table {first_over} needs {largest:,} rows in Excel .* more than Excel's limit "
            rf"of {largest - 1:,} rows per sheet"
        ),
    ):
        sim.to_excel(target)
    assert not target.parent.exists()
    # An existing workbook stays as it was.
    kept = tmp_path / "kept.xlsx"
    kept.write_bytes(b"before")
    with pytest.raises(ValueError, match="rows per sheet"):
        sim.to_excel(kept)
    assert kept.read_bytes() == b"before" and sorted(os.listdir(tmp_path)) == ["kept.xlsx"]
    # At the limit exactly, it fits.
    monkeypatch.setattr(excel_module, "EXCEL_MAX_ROWS", largest)
    book = openpyxl.load_workbook(sim.to_excel(kept), read_only=True)
    assert len(list(book[first_over].iter_rows())) == largest


def test_a_table_over_the_column_limit_is_refused(
    results: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    grid = results["stress_grid"]
    columns = 3 + grid.table.shape[1]  # strategy, stress, severity, then the statistics
    monkeypatch.setattr(excel_module, "EXCEL_MAX_COLUMNS", columns - 1)
    with pytest.raises(
        ValueError,
        match=rf"table grid needs {columns} columns .* limit of {columns - 1} columns per sheet",
    ):
        grid.to_excel(tmp_path / "grid.xlsx")
    assert not (tmp_path / "grid.xlsx").exists()


def test_sheet_names_are_valid_unique_and_deterministic() -> None:
    tables = ["a" * 40, "a" * 40 + "b", "A" * 35, "manifest", "x[1]:y/z", "History", "'q'"]
    names = sheet_names(tables)
    assert names == {
        "a" * 40: "a" * 31,
        "a" * 40 + "b": "a" * 29 + "~2",
        "A" * 35: "A" * 29 + "~3",  # Excel compares names without case
        "manifest": "manifest~2",  # the manifest sheet keeps its name
        "x[1]:y/z": "x_1__y_z",
        "History": "History~2",  # reserved by Excel
        "'q'": "q",
    }
    assert sheet_names(tables) == names


def test_long_and_clashing_table_names_make_a_valid_workbook(tmp_path: Path) -> None:
    # openpyxl warns of a title over 31 characters, an error under pytest's
    # filterwarnings: none is given.
    long = "distress_probability_by_counterparty_and_year"
    frame = _tidy(
        [
            {"table": long, "variable": "v", "statistic": "mean", "value": 1.5},
            {"table": long + "_b", "variable": "v", "statistic": "mean", "value": 2.5},
            {"table": "manifest", "variable": "v", "statistic": "mean", "value": 3.5},
        ]
    )
    path = _Fake(frame, {"kind": "simulation"}).to_excel(tmp_path / "names.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    assert book.sheetnames == [long[:31], long[:29] + "~2", "manifest~2", "manifest"]
    assert [r[1] for r in book[long[:29] + "~2"].iter_rows(values_only=True)] == ["mean", 2.5]


# -- what a cell holds ---------------------------------------------------------


def test_floats_are_exact_numbers_and_missing_values_empty(tmp_path: Path) -> None:
    # openpyxl and XlsxWriter write 16 significant digits: 0.1 + 0.2 would
    # come back 0.3, and about a third of doubles one bit off.
    values = [0.1 + 0.2, 1 / 3, 5e-324, 1.7976931348623157e308, -0.0, 1e22, 2.0**53 + 2, 0.1]
    values += list(np.random.default_rng(5).standard_normal(200) * 1e6)
    rows = [{"table": "t", "statistic": f"s{i}", "value": v} for i, v in enumerate(values)]
    rows.append({"table": "t", "statistic": "missing", "value": None})
    path = _Fake(_tidy(rows), {"kind": "simulation"}).to_excel(tmp_path / "f.xlsx")
    book = openpyxl.load_workbook(path, read_only=True)
    header, row = (list(r) for r in book["t"].iter_rows(values_only=True))
    row += [None] * (len(header) - len(row))  # a trailing empty cell is left out
    assert list(header) == [f"s{i}" for i in range(len(values))] + ["missing"]
    assert all(type(v) is float for v in row[:-1]) and row[-1] is None
    assert list(row[:-1]) == values
    assert math.copysign(1.0, row[4]) == -1.0  # -0.0 keeps its sign


def test_an_infinite_value_is_refused(tmp_path: Path) -> None:
    frame = _tidy([{"table": "t", "variable": "x", "statistic": "mean", "value": math.inf}])
    with pytest.raises(ValueError, match=r"table t: inf at variable x, statistic mean; Excel"):
        _Fake(frame, {"kind": "simulation"}).to_excel(tmp_path / "inf.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_label_is_always_text_never_a_formula(tmp_path: Path) -> None:
    # A scenario named like a formula or an error code, or with an escape.
    odd = ['=HYPERLINK("http://example.com","x")', "#N/A", "red\x1b[31m", "+1", "plain é"]
    frame = _tidy([{"table": "t", "strategy": s, "statistic": "mean", "value": 1.0} for s in odd])
    path = _Fake(frame, {"kind": "simulation", "note": "=1+1"}).to_excel(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)  # not read-only: cells have a data_type
    labels = [c for c in book["t"]["A"][1:]]
    assert [c.data_type for c in labels] == ["s"] * len(odd)
    assert [c.value for c in labels] == [*odd[:2], "red\\x1b[31m", "+1", "plain é"]
    note = next(r for r in book[MANIFEST_SHEET].iter_rows() if r[0].value == "note")[1]
    assert note.data_type == "s" and note.value == "=1+1"


def test_an_excel_write_that_fails_leaves_the_old_file(
    results: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    target = tmp_path / "grid.xlsx"
    target.write_bytes(b"before")

    def broken(self: Any, filename: str) -> None:
        Path(filename).write_bytes(b"PK partial")
        raise OSError("device full")

    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(OSError, match="device full"):
        results["stress_grid"].to_excel(target)
    assert target.read_bytes() == b"before" and os.listdir(tmp_path) == ["grid.xlsx"]


def test_without_openpyxl_to_excel_says_what_to_install(
    results: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl fails
    with pytest.raises(ImportError, match=r"to_excel needs openpyxl: pip install 'wager\[excel\]'"):
        results["stress_grid"].to_excel(tmp_path / "grid.xlsx")
    assert list(tmp_path.iterdir()) == []


# -- CSV and the manifest beside it -------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_csv_and_its_manifest_read_back_equal(
    results: dict[str, Any], kind: str, tmp_path: Path
) -> None:
    r = results[kind]
    path = r.to_csv(tmp_path / f"{kind}.csv")
    assert sorted(os.listdir(tmp_path)) == [f"{kind}.csv", f"{kind}.manifest.json"]
    assert not path.read_text(encoding="utf-8").startswith("#")
    back = wager.read_results(path)
    pd.testing.assert_frame_equal(back.frame, r._frame(), check_exact=True)
    expected = r.manifest()
    assert {k: v for k, v in back.manifest.items() if k != "created_utc"} == {
        k: v for k, v in expected.items() if k != "created_utc"
    }


def test_csv_manifest_path_is_beside_the_csv(tmp_path: Path) -> None:
    assert csv_manifest_path(tmp_path / "comparison.csv") == tmp_path / "comparison.manifest.json"
    assert csv_manifest_path("out") == Path("out.manifest.json")
    assert csv_manifest_path("a.b.csv") == Path("a.b.manifest.json")


@pytest.fixture
def pair(results: dict[str, Any], tmp_path: Path) -> tuple[Path, Path]:
    """A real CSV of the stress grid and its manifest file."""
    path = results["stress_grid"].to_csv(tmp_path / "grid.csv")
    return path, csv_manifest_path(path)


def _forge(csv_path: Path, text: str, manifest: dict[str, Any]) -> None:
    """A CSV and a manifest file whose SHA-256 matches it."""
    csv_path.write_text(text, encoding="utf-8")
    digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    doc = {"wager_manifest": manifest, "csv_sha256": digest}
    csv_manifest_path(csv_path).write_text(json.dumps(doc), encoding="utf-8")


def test_a_csv_without_its_manifest_is_refused(pair: tuple[Path, Path]) -> None:
    path, beside = pair
    beside.unlink()
    with pytest.raises(
        wager.ResultsFileError, match=r"grid\.csv: not a wager result \(no manifest beside it"
    ):
        wager.read_results(path)


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.999])
def test_a_truncated_manifest_file_is_refused(pair: tuple[Path, Path], keep: float) -> None:
    path, beside = pair
    data = beside.read_bytes()
    beside.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(wager.ResultsFileError, match=r"grid\.manifest\.json: "):
        wager.read_results(path)


def test_a_forged_manifest_file_is_refused(
    pair: tuple[Path, Path], results: dict[str, Any]
) -> None:
    path, beside = pair
    doc = json.loads(beside.read_text(encoding="utf-8"))
    # A manifest of the wrong types, its SHA-256 still the CSV's.
    doc["wager_manifest"]["seed"] = "7"
    beside.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(
        wager.ResultsFileError, match=r"grid\.manifest\.json: not a valid wager manifest: seed"
    ):
        wager.read_results(path)
    # Another key, or no SHA-256.
    for bad in ({**doc, "extra": 1}, {"wager_manifest": doc["wager_manifest"]}, [doc]):
        beside.write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(wager.ResultsFileError, match="not the manifest of a wager CSV"):
            wager.read_results(path)
    beside.write_text(json.dumps({**doc, "csv_sha256": "ABC"}), encoding="utf-8")
    with pytest.raises(wager.ResultsFileError, match="csv_sha256 is not 64 hexadecimal"):
        wager.read_results(path)


def test_a_csv_changed_or_paired_with_another_manifest_is_refused(
    pair: tuple[Path, Path], results: dict[str, Any], tmp_path: Path
) -> None:
    path, beside = pair
    text = path.read_text(encoding="utf-8")
    # One digit changed, as a spreadsheet that rounds and saves would.
    lines = text.splitlines(keepends=True)
    lines[1] = lines[1][:-3] + ("1" if lines[1][-3] != "1" else "2") + lines[1][-2:]
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(wager.ResultsFileError, match=r"grid\.csv: does not match its manifest"):
        wager.read_results(path)
    # The manifest of another result beside it.
    results["simulation"].to_csv(tmp_path / "sim.csv")
    path.write_text(text, encoding="utf-8")
    beside.write_bytes((tmp_path / "sim.manifest.json").read_bytes())
    with pytest.raises(wager.ResultsFileError, match="does not match its manifest"):
        wager.read_results(path)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("table,", "tables,", 1), "columns tables, strategy"),
        (lambda t: _cell(t, 2, 7, "1.0,extra"), "row 1 has 9 cells, not 8"),
        (lambda t: t.replace(",p_distress,", ",,", 1), "statistic: missing"),
        (lambda t: _cell(t, 1, 7, "abc"), r"row 0, value: 'abc' is not a number"),
        (lambda t: _cell(t, 1, 7, "nan"), r"row 0, value: 'nan' is not a number"),
        (lambda t: _cell(t, 1, 7, "1_000"), r"row 0, value: '1_000' is not a number"),
        (lambda t: _cell(t, 1, 3, " 0.5"), r"row 0, severity: ' 0.5' is not a number"),
        (lambda t: _cell(t, 1, 5, "2025.0"), r"row 0, year: '2025.0' is not an integer"),
        (lambda t: t + '"unclosed\n', "not a readable CSV file"),
        (lambda t: "", r"empty"),
    ],
)
def test_a_forged_csv_with_a_matching_manifest_is_refused(
    pair: tuple[Path, Path], change: Any, message: str
) -> None:
    path, beside = pair
    manifest = json.loads(beside.read_text(encoding="utf-8"))["wager_manifest"]
    _forge(path, change(path.read_text(encoding="utf-8")), manifest)
    with pytest.raises(wager.ResultsFileError, match=message):
        wager.read_results(path)


def _cell(text: str, line: int, column: int, value: str) -> str:
    lines = text.split("\n")
    cells = lines[line].split(",")
    cells[column] = value
    lines[line] = ",".join(cells)
    return "\n".join(lines)


def test_the_csv_limits_hold(pair: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    path, beside = pair
    n = len(wager.read_results(path).frame)
    assert len(wager.read_results(path, max_rows=n).frame) == n
    with pytest.raises(wager.ResultsFileError, match=f"{n:,} rows, more than the limit of 10"):
        wager.read_results(path, max_rows=10)
    size = beside.stat().st_size
    monkeypatch.setattr(export_module, "MAX_MANIFEST_BYTES", size - 1)
    with pytest.raises(
        wager.ResultsFileError, match=rf"grid\.manifest\.json: {size:,} bytes, more than"
    ):
        wager.read_results(path)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX special files")
def test_a_manifest_file_that_is_not_a_regular_file_is_refused(pair: tuple[Path, Path]) -> None:
    path, beside = pair
    beside.unlink()
    os.mkfifo(beside)
    with pytest.raises(wager.ResultsFileError, match=r"named pipe .* regular files only"):
        wager.read_results(path)
    beside.unlink()
    beside.symlink_to("/dev/zero")
    with pytest.raises(wager.ResultsFileError, match="regular files only"):
        wager.read_results(path)
    assert stat.S_ISREG(path.stat().st_mode)


def test_an_old_csv_with_its_manifest_on_the_first_line_is_refused_with_the_way_out(
    pair: tuple[Path, Path],
) -> None:
    path, beside = pair
    manifest = json.loads(beside.read_text(encoding="utf-8"))["wager_manifest"]
    beside.unlink()
    path.write_text(
        f"# wager_manifest: {json.dumps(manifest)}\n" + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(
        wager.ResultsFileError,
        match=r"a CSV of an earlier wager, its manifest on its first line.*comment='#'",
    ):
        wager.read_results(path)
    # What the message suggests reads its table.
    assert list(pd.read_csv(path, comment="#").columns) == list(COLUMNS)


def test_the_manifest_file_itself_is_not_a_result(pair: tuple[Path, Path]) -> None:
    _, beside = pair
    with pytest.raises(wager.ResultsFileError, match="the manifest of a CSV result"):
        wager.read_results(beside)


def test_a_csv_write_that_fails_leaves_both_files_as_they_were(
    pair: tuple[Path, Path], results: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    path, beside = pair
    before = path.read_bytes(), beside.read_bytes()

    def half_then_fail(target: Any, write: Any) -> Path:
        with export_module.atomic_path(target) as tmp:
            tmp.write_bytes(b"table,str")
            raise OSError("device full")

    monkeypatch.setattr(Exportable, "_write", staticmethod(half_then_fail))
    with pytest.raises(OSError, match="device full"):
        results["simulation"].to_csv(path)
    assert (path.read_bytes(), beside.read_bytes()) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["grid.csv", "grid.manifest.json"]
