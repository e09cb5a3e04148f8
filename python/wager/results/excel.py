"""A result as an Excel workbook: one sheet per table of its tidy frame, in
wide form as an analyst reads it, and a ``manifest`` sheet.

The wide form of a table: when its rows have years, the years head the
value columns (ascending, "never" last) and every other label that the
table uses (``strategy``, ``stress``, ``severity``, ``variable``,
``statistic``) is a column on the left, one row per combination; otherwise
the statistics head the value columns. So ``annual`` reads as a time series
per variable and statistic, ``grid`` and ``summary`` as the tables their
results print. A table kind added later gets the same treatment, with no
code of its own here.

The sheets come in the order the tables first appear in the frame, the
``manifest`` sheet last. Written with openpyxl (the ``excel`` extra);
wager does not read these workbooks back. Numbers stay numbers, exactly: a
float is written as the shortest text that reads back as the same double
(openpyxl and XlsxWriter both write 16 significant digits, which moves a
double that needs 17, such as 0.1 + 0.2 and about 40% of random doubles,
by its last bit; Excel itself writes 17 when needed). A missing value is an
empty cell; a text is always text, never a formula. A workbook that would
not fit Excel's limits is refused before any file is made.
"""

from __future__ import annotations

import json
import math
import numbers
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from wager.results.errors import shown

__all__ = [
    "EXCEL_MAX_CELL_CHARS",
    "EXCEL_MAX_COLUMNS",
    "EXCEL_MAX_ROWS",
    "EXCEL_MAX_SHEET_NAME",
    "MANIFEST_SHEET",
    "WideSheet",
    "excel_writer",
    "manifest_rows",
    "sheet_names",
    "wide_sheets",
]

#: Excel's rows per sheet (the heading row included).
EXCEL_MAX_ROWS = 1_048_576
#: Excel's columns per sheet.
EXCEL_MAX_COLUMNS = 16_384
#: Excel's longest sheet name (characters).
EXCEL_MAX_SHEET_NAME = 31
#: Excel's longest text in a cell (characters).
EXCEL_MAX_CELL_CHARS = 32_767
#: The name of the sheet of the run manifest (key, value rows).
MANIFEST_SHEET = "manifest"

#: The heading of the value column of a missing year ("never", in an
#: event-year distribution).
_NEVER = "never"
#: The columns of a tidy frame that are not labels.
_NOT_LABELS = ("table", "value")
#: Characters Excel refuses in a sheet name.
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_LABEL_WIDTH = (8, 60)  # the narrowest and widest label column (characters)


@dataclass(frozen=True)
class WideSheet:
    """One table of a tidy frame in wide form.

    Attributes
    ----------
    table
        The ``table`` it holds.
    name
        The sheet's name (Excel's rules; see :func:`sheet_names`).
    labels
        The tidy columns written as label columns on the left.
    header
        The heading row: the label columns' names, then the values'
        headings (years as integers and ``"never"``, or statistics).
    rows
        One list per row: its labels, then its values (None where missing).
    """

    table: str
    name: str
    labels: tuple[str, ...]
    header: tuple[Any, ...]
    rows: list[list[Any]]


def sheet_names(tables: Sequence[str]) -> dict[str, str]:
    """A sheet name for every table, unique and valid in Excel.

    Excel's forbidden characters (``[ ] : * ? / \\``) become ``_``; a
    leading or trailing apostrophe is dropped; a name is cut to
    :data:`EXCEL_MAX_SHEET_NAME` characters; a name already taken (Excel
    compares names without case; :data:`MANIFEST_SHEET` is taken first)
    gets ``~2``, ``~3``, ... in place of its last characters. The same
    tables in the same order always get the same names.

    Parameters
    ----------
    tables
        The tables, in the order of their sheets.

    Returns
    -------
    dict
        table -> sheet name.
    """
    taken = {MANIFEST_SHEET.casefold()}
    names: dict[str, str] = {}
    for table in tables:
        base = _NOT_IN_SHEET_NAME.sub("_", table).strip("'")[:EXCEL_MAX_SHEET_NAME] or "table"
        name, n = base, 2
        while name.casefold() in taken or name.casefold() == "history":  # Excel reserves History
            suffix = f"~{n}"
            name = base[: EXCEL_MAX_SHEET_NAME - len(suffix)] + suffix
            n += 1
        taken.add(name.casefold())
        names[table] = name
    return names


def wide_sheets(frame: pd.DataFrame) -> list[WideSheet]:
    """Every table of a tidy frame in wide form, checked against Excel's limits.

    Parameters
    ----------
    frame
        A tidy frame (``wager.results.export.COLUMNS``, typed).

    Returns
    -------
    list of WideSheet
        One per table, in the order the tables first appear.

    Raises
    ------
    ValueError
        If a table needs more rows than :data:`EXCEL_MAX_ROWS` or more
        columns than :data:`EXCEL_MAX_COLUMNS` (naming the table and the
        limit), holds an infinite value (Excel has none), or has two rows
        for the same cell.
    """
    tables = [str(t) for t in pd.unique(frame["table"])]
    names = sheet_names(tables)
    sheets = []
    for table, part in frame.groupby("table", sort=False):
        sheets.append(_wide(str(table), names[str(table)], part))
    return sheets


def _cells(column: pd.Series) -> list[Any]:
    """A column as Python values, None where missing."""
    return [None if pd.isna(v) else v for v in column.astype(object)]


def _wide(table: str, name: str, part: pd.DataFrame) -> WideSheet:
    across = "year" if part["year"].notna().any() else "statistic"
    labels = tuple(
        c for c in part.columns if c not in (*_NOT_LABELS, across) and part[c].notna().any()
    )
    heads = _cells(part[across])
    if across == "year":
        years = sorted({int(y) for y in heads if y is not None})
        headings: list[Any] = [*years, _NEVER] if None in heads else list(years)
        heads = [_NEVER if y is None else int(y) for y in heads]
    else:
        headings = list(dict.fromkeys(heads))
    # Rows keep each label's order of first appearance (q5 before q25).
    columns = [_cells(part[c]) for c in labels]
    keys = list(zip(*columns, strict=True)) if labels else [()] * len(part)
    ranks = [{v: i for i, v in enumerate(dict.fromkeys(col))} for col in columns]
    order = sorted(
        dict.fromkeys(keys), key=lambda k: tuple(r[v] for r, v in zip(ranks, k, strict=True))
    )
    _fits(table, 1 + len(order), len(labels) + len(headings))
    row_of = {k: i for i, k in enumerate(order)}
    column_of = {h: j for j, h in enumerate(headings)}
    values: list[list[Any]] = [[None] * len(headings) for _ in order]
    filled: set[tuple[int, int]] = set()
    for key, head, value in zip(keys, heads, part["value"].to_numpy(dtype=float), strict=True):
        i, j = row_of[key], column_of[head]
        if (i, j) in filled:
            raise ValueError(
                f"table {shown(table)}: two rows for {_describe(labels, key)}, {across} {head}"
            )
        filled.add((i, j))
        if math.isinf(value):
            raise ValueError(
                f"table {shown(table)}: {value} at {_describe(labels, key)}, {across} {head}; "
                "Excel has no infinity"
            )
        values[i][j] = None if math.isnan(value) else float(value)
    rows = [[*key, *vals] for key, vals in zip(order, values, strict=True)]
    return WideSheet(table, name, labels, (*labels, *headings), rows)


def _describe(labels: Sequence[str], key: Sequence[Any]) -> str:
    return ", ".join(f"{c} {shown(str(v))}" for c, v in zip(labels, key, strict=True)) or "it"


def _fits(table: str, rows: int, columns: int) -> None:
    """Refuse a sheet over Excel's limits (read at call time, so a test can
    lower them)."""
    if rows > EXCEL_MAX_ROWS:
        raise ValueError(
            f"table {shown(table)} needs {rows:,} rows in Excel (a heading and one row per "
            f"combination of its labels), more than Excel's limit of {EXCEL_MAX_ROWS:,} rows "
            "per sheet; write it to Parquet or CSV instead"
        )
    if columns > EXCEL_MAX_COLUMNS:
        raise ValueError(
            f"table {shown(table)} needs {columns:,} columns in Excel, more than Excel's "
            f"limit of {EXCEL_MAX_COLUMNS:,} columns per sheet; write it to Parquet or CSV instead"
        )


def manifest_rows(manifest: dict[str, Any]) -> list[list[Any]]:
    """The manifest as ``[key, value]`` rows: a scalar as itself, an object
    or array as JSON text (keys sorted), null as None."""
    rows: list[list[Any]] = []
    for key, value in manifest.items():
        if isinstance(value, dict | list | tuple):
            value = json.dumps(value, sort_keys=True, allow_nan=False)
        rows.append([str(key), value])
    return rows


def excel_writer(frame: pd.DataFrame, manifest: dict[str, Any]) -> Callable[[Path], None]:
    """Lay out ``frame`` and ``manifest`` as a workbook and check every cell
    now; return the function that writes it to a path (``Exportable.to_excel``
    gives it a temporary file, renamed when written).

    Parameters
    ----------
    frame
        A tidy frame.
    manifest
        Its run manifest.

    Returns
    -------
    callable
        ``write(path)``: writes the ``.xlsx`` file.

    Raises
    ------
    ValueError
        If a table does not fit a sheet (:func:`wide_sheets`) or a text is
        longer than :data:`EXCEL_MAX_CELL_CHARS` characters; here, before
        any file is made.
    ImportError
        If openpyxl is not installed (``pip install 'wager[excel]'``).
    """
    laid_out = [
        (s.name, len(s.labels), _typed_rows(s.table, [list(s.header), *s.rows]))
        for s in wide_sheets(frame)
    ]
    about = _typed_rows(MANIFEST_SHEET, [["key", "value"], *manifest_rows(manifest)])
    laid_out.append((MANIFEST_SHEET, 1, about))
    try:
        from openpyxl import Workbook
    except ImportError as err:
        raise ImportError("to_excel needs openpyxl: pip install 'wager[excel]'") from err

    def write(path: Path) -> None:
        # The whole workbook in memory, then one save: openpyxl's streaming
        # mode keeps temporary files and generators that a failure leaves.
        book = Workbook()
        book.remove(book.worksheets[0])  # the empty sheet a new workbook has
        book.properties.creator = "wager"
        for name, n_labels, rows in laid_out:
            _fill_sheet(book.create_sheet(name), n_labels, rows)
        book.save(os.fspath(path))

    return write


#: A cell as openpyxl's cell types hold it: ("n", the number's text),
#: ("s", a text), ("b", a boolean); None for an empty cell.
_Typed = tuple[str, Any] | None


def _typed_rows(sheet: str, rows: list[list[Any]]) -> list[list[_Typed]]:
    return [[_typed(sheet, v) for v in row] for row in rows]


def _typed(sheet: str, value: Any) -> _Typed:
    """``value`` as the cell that holds it exactly (None: an empty cell)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, numbers.Real):
        number = int(value) if isinstance(value, numbers.Integral) else float(value)
        if not math.isfinite(number):
            raise ValueError(f"sheet {shown(sheet)}: {number}; Excel has no infinity or NaN")
        # The shortest text that reads back as the same double (repr), set
        # as a number's text: openpyxl would write only 16 digits.
        return ("n", repr(number))
    text = shown(str(value))  # no control characters (Excel refuses them)
    if len(text) > EXCEL_MAX_CELL_CHARS:
        raise ValueError(
            f"sheet {shown(sheet)}: a text of {len(text):,} characters, more than Excel's "
            f"limit of {EXCEL_MAX_CELL_CHARS:,} per cell"
        )
    return ("s", text)


def _fill_sheet(sheet: Any, n_labels: int, rows: list[list[_Typed]]) -> None:
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # The heading row and the label columns stay in view when scrolling.
    sheet.freeze_panes = f"{get_column_letter(n_labels + 1)}2"
    for j in range(n_labels):
        cells = [r[j] for r in rows]
        longest = max((len(str(c[1])) for c in cells if c is not None), default=0)
        width = min(max(longest, _LABEL_WIDTH[0]), _LABEL_WIDTH[1])
        sheet.column_dimensions[get_column_letter(j + 1)].width = width + 2
    bold = Font(bold=True)
    for i, row in enumerate(rows, start=1):
        for j, typed in enumerate(row, start=1):
            if typed is None:
                continue
            kind, value = typed
            cell = sheet.cell(row=i, column=j, value=value)
            # Set after the value: a text is never a formula ("=...") or an
            # error code ("#N/A"), a number keeps its every digit.
            cell.data_type = kind
            if i == 1:
                cell.font = bold
