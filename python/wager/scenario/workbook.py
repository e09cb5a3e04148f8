"""Scenario values from a spreadsheet (issue 19, item 4): a sheet whose rows
are field paths and whose columns are years, read into the values that
``Scenario.with_values`` and ``load_scenario(overrides=...)`` set.

The layout an analyst keeps a plan in::

    field                        2025   2026   2027   ...
    segments.consumer.revenue    9.75   20.7   38.43
    segments.enterprise.revenue  3.25   8.7    19.52
    financing.initial_cash       12.0

A row with a number under a single year, or in a column headed ``value``,
sets that field to the number; a row with several years sets the field's
yearly series ({year: value}, interpolated between years as a scenario file's
series is). Blank rows, and rows whose first cell starts with ``#``, are
skipped. The workbook is read as data only (formulas give their last saved
value, never run), from a regular file of at most :data:`MAX_WORKBOOK_BYTES`,
and every problem names the file, the sheet and the cell.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

from wager.scenario.errors import ScenarioError, printable
from wager.scenario.file_kind import open_regular, special_file_kind

__all__ = ["MAX_WORKBOOK_BYTES", "MAX_WORKBOOK_CELLS", "values_from_excel"]

#: The largest workbook read (bytes): a plan is a few kilobytes.
MAX_WORKBOOK_BYTES = 16 * 1024 * 1024
#: The most cells of a sheet read (rows x columns).
MAX_WORKBOOK_CELLS = 1_000_000


def _refuse(path: Path, where: str, reason: str) -> ScenarioError:
    return ScenarioError(printable(str(path)), [(where, reason)])


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and 1900 <= value <= 2300:
        return value
    if isinstance(value, float) and value.is_integer() and 1900 <= value <= 2300:
        return int(value)
    if isinstance(value, str) and value.strip().isdigit() and 1900 <= int(value) <= 2300:
        return int(value)
    return None


def _read_sheet(path: Path, sheet: str | None) -> tuple[str, list[tuple[Any, ...]]]:
    """The sheet's title and its rows of values, the file closed after."""
    try:
        handle = open_regular(path)
    except FileNotFoundError:
        raise _refuse(path, "", "no such file") from None
    except OSError as err:
        kind = special_file_kind(path.stat().st_mode) if path.exists() else ""
        raise _refuse(
            path,
            "",
            f"is {kind}, not a workbook file" if kind else err.strerror or "cannot be read",
        ) from None
    with handle:
        info = os.fstat(handle.fileno())
        kind = special_file_kind(info.st_mode)
        if kind:
            raise _refuse(path, "", f"is {kind}, not a workbook file")
        if info.st_size > MAX_WORKBOOK_BYTES:
            raise _refuse(path, "", f"is larger than {MAX_WORKBOOK_BYTES:,} bytes")
        data = io.BytesIO(handle.read(MAX_WORKBOOK_BYTES + 1))
    if len(data.getbuffer()) > MAX_WORKBOOK_BYTES:
        raise _refuse(path, "", f"is larger than {MAX_WORKBOOK_BYTES:,} bytes")
    try:
        import openpyxl
    except ImportError as err:  # pragma: no cover - the excel extra is missing
        raise ImportError("reading a workbook needs openpyxl: pip install 'wager[excel]'") from err
    try:
        book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a broken file
        reason = f"is not a readable .xlsx workbook ({type(err).__name__})"
        raise _refuse(path, "", reason) from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            known = ", ".join(printable(n) for n in book.sheetnames)
            raise _refuse(path, "", f"has no sheet {printable(sheet)!r}; its sheets: {known}")
        ws: Any = book.worksheets[0] if sheet is None else book[sheet]
        rows: list[tuple[Any, ...]] = []
        cells = 0
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
            if cells > MAX_WORKBOOK_CELLS:
                where = f"sheet {printable(ws.title)}"
                raise _refuse(path, where, f"has more than {MAX_WORKBOOK_CELLS:,} cells")
            rows.append(tuple(row))
        return str(ws.title), rows
    finally:
        book.close()


def values_from_excel(path: str | os.PathLike[str], sheet: str | None = None) -> dict[str, Any]:
    """The field values of a sheet laid out as field paths by years.

    Parameters
    ----------
    path
        An ``.xlsx`` workbook.
    sheet
        The sheet's name (default: the first).

    Returns
    -------
    dict
        Field path -> a number or a {year: number} series, in the sheet's
        order: pass it to ``Scenario.with_values`` or
        ``wager.load_scenario(..., overrides=...)``, which validate it.

    Raises
    ------
    ScenarioError
        Naming the file, the sheet and the cell: not a workbook, no such
        sheet, no header row of years, a cell that is not a number, a field
        given twice, a sheet over :data:`MAX_WORKBOOK_CELLS` cells.

    Examples
    --------
    >>> import wager  # doctest: +SKIP
    >>> plan = wager.values_from_excel("plan.xlsx")  # doctest: +SKIP
    >>> wager.presets.load("compute_first").with_values(plan)  # doctest: +SKIP
    """
    p = Path(path)
    title, table = _read_sheet(p, sheet)
    name = printable(title)
    rows = iter(table)
    header = next(rows, None)
    if header is None:
        raise _refuse(p, f"sheet {name}", "is empty")
    columns: list[int | str | None] = []
    for value in header[1:]:
        columns.append("value" if str(value).strip().lower() == "value" else _year(value))
    if not any(c is not None for c in columns):
        raise _refuse(p, f"sheet {name}, row 1", "has no column headed by a year or 'value'")
    out: dict[str, Any] = {}
    for r, row in enumerate(rows, start=2):
        field = row[0] if row else None
        if field is None or (isinstance(field, str) and field.strip().startswith("#")):
            continue
        field = str(field).strip()
        if field in out:
            raise _refuse(p, f"sheet {name}, A{r}", f"sets {printable(field)} a second time")
        series: dict[int, float] = {}
        scalar: float | None = None
        for c, value in enumerate(row[1 : len(columns) + 1]):
            if value is None or columns[c] is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                cell = f"{_column_letter(c + 2)}{r}"
                raise _refuse(
                    p, f"sheet {name}, {cell}", f"holds {printable(repr(value))}, not a number"
                )
            if columns[c] == "value":
                scalar = float(value)
            else:
                series[int(columns[c])] = float(value)  # type: ignore[arg-type]
        if scalar is not None and series:
            raise _refuse(p, f"sheet {name}, row {r}", "has both a 'value' and yearly values")
        if scalar is not None:
            out[field] = scalar
        elif len(series) == 1:
            out[field] = next(iter(series.values()))
        elif series:
            out[field] = series
    return out


def _column_letter(index: int) -> str:
    """Excel's name of the 1-based column ``index`` (1 -> A, 27 -> AA)."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
