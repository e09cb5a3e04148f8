"""Results you can take away: one tidy table per result, written atomically
to Parquet, CSV or JSON with its run manifest, and read back; or as an Excel
workbook to read (``to_excel``, :mod:`wager.results.excel`).

Every result's ``to_frame()`` is a tidy table with the columns of
:data:`COLUMNS`, typed as :data:`DTYPES`: ``table`` names the part of the
result (``annual``, ``distress_probability``, ``grid``, ``summary``, ...),
``strategy``, ``stress``, ``severity``, ``variable`` and ``year`` say what a
row is about (missing where they do not apply; a missing ``year`` in an
event-year distribution means "never"), ``statistic`` what is measured
(``mean``, ``se``, ``q5``, ``probability``, ...), and ``value`` the number.
:func:`read_results` gives back a frame equal to it, types included.

Writes go to a temporary file in the target's folder, then replace the
target in one rename: a failure leaves no partial file and the previous file
as it was. The temporaries of a process's live exports are listed
(:func:`live_temporaries`) so that a command-line program's SIGTERM handler
can remove them (:func:`discard_temporaries`); the library installs no
signal handler. A process killed outright (SIGKILL, a power cut) leaves its
temporary ``.<name>.<12 hex digits>.tmp`` beside the target; the next export
to that target removes such leftovers older than
:data:`STALE_TEMPORARY_SECONDS`.

:func:`read_results` trusts nothing in the file: it reads only regular
files, at most ``max_bytes``, and refuses anything truncated, malformed or
forged with one exception, :class:`ResultsFileError`.

A CSV file holds the table only (Excel opens it as it is); its manifest is
in a file beside it, ``<name>.manifest.json`` (:func:`csv_manifest_path`),
which records the CSV's SHA-256, so that a CSV changed after it was written,
or paired with another result's manifest, is refused when read back.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import inspect
import io
import json
import math
import os
import re
import secrets
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Protocol

import numpy as np
import pandas as pd

from wager.results.errors import ResultsFileError, shown
from wager.results.excel import excel_writer
from wager.results.manifest import validate_manifest
from wager.scenario.file_kind import special_file_kind

__all__ = [
    "COLUMNS",
    "DTYPES",
    "MAX_MANIFEST_BYTES",
    "MAX_RESULT_BYTES",
    "MAX_RESULT_ROWS",
    "STALE_TEMPORARY_SECONDS",
    "Exportable",
    "ReadResults",
    "ResultsFileError",
    "atomic_path",
    "csv_manifest_path",
    "discard_temporaries",
    "live_temporaries",
    "read_results",
    "tidy_frame",
    "tidy_rows",
]

COLUMNS = ("table", "strategy", "stress", "severity", "variable", "year", "statistic", "value")
#: The type of every column of a tidy frame.
DTYPES: dict[str, str] = {
    "table": "string",
    "strategy": "string",
    "stress": "string",
    "severity": "float64",
    "variable": "string",
    "year": "Int64",
    "statistic": "string",
    "value": "float64",
}
#: Dimensions of to_xarray, in this order when present.
_DIMS = ("strategy", "stress", "severity", "variable", "year", "statistic")
_MANIFEST_KEY = "wager_manifest"

#: :func:`read_results` refuses a larger file (bytes).
MAX_RESULT_BYTES = 128 * 1024 * 1024
#: :func:`read_results` refuses a file of more rows.
MAX_RESULT_ROWS = 2_000_000
#: :func:`read_results` refuses a CSV's manifest file larger than this (bytes).
MAX_MANIFEST_BYTES = 1024 * 1024
#: The key of a CSV's manifest file that holds the CSV's SHA-256.
_CSV_SHA256_KEY = "csv_sha256"
#: A temporary of the next export's target left this long ago (seconds) is
#: a leftover of a killed process, and that export removes it.
STALE_TEMPORARY_SECONDS = 3600.0
_TOKEN_HEX = 12  # hex digits of a temporary's random part


def tidy_rows(
    table: str,
    frame: pd.DataFrame,
    *,
    strategy: str | None = None,
    stress: str | None = None,
    severity: float | None = None,
    variable: str | None = None,
    index_as: tuple[str, ...] = ("year",),
) -> pd.DataFrame:
    """One wide frame of a result as tidy rows, typed as :data:`DTYPES`.

    Parameters
    ----------
    table
        The ``table`` of every row.
    frame
        The wide frame: its index levels become the columns named in
        ``index_as`` (each one of ``strategy``, ``stress``, ``severity``,
        ``variable``, ``year``), its columns become ``statistic``. An index
        value "never" in a ``year`` level becomes a missing year.
    strategy, stress, severity, variable
        The value of that column in every row (missing if None).
    index_as
        The columns ``frame``'s index levels fill.

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, typed as :data:`DTYPES` (missing:
        ``<NA>`` in a string or integer column, NaN in a float column).
    """
    long = frame.copy()
    long.index = long.index.set_names(list(index_as))
    long.columns = long.columns.astype(str)
    # Private names for melt's columns: a result's own column may be "value".
    long = long.reset_index().melt(
        id_vars=list(index_as), var_name="__statistic__", value_name="__value__"
    )
    n = len(long)
    fixed: dict[str, Any] = {
        "table": table,
        "strategy": strategy,
        "stress": stress,
        "severity": severity,
        "variable": variable,
    }
    columns: dict[str, Any] = {}
    for name in COLUMNS:
        if name in index_as:
            values = long[name].to_numpy(dtype=object)
            if name == "year":
                values = np.array([None if y == "never" else int(y) for y in values], dtype=object)
        elif name == "statistic":
            values = long["__statistic__"].to_numpy(dtype=object)
        elif name == "value":
            values = pd.to_numeric(long["__value__"], errors="coerce").to_numpy(dtype=float)
        else:
            values = np.full(n, fixed.get(name), dtype=object)
        columns[name] = _column(values, DTYPES[name])
    return pd.DataFrame(columns, columns=list(COLUMNS))


def _column(values: np.ndarray, dtype: str) -> Any:
    """``values`` (None for missing) as an array of ``dtype``."""
    if dtype == "float64":
        return np.array([np.nan if v is None else v for v in values], dtype=np.float64)
    if dtype == "Int64":
        return pd.array(values, dtype=pd.Int64Dtype())
    return pd.array(values, dtype=pd.StringDtype())


def tidy_frame(parts: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Tidy frames (from :func:`tidy_rows`) as one, typed as :data:`DTYPES`,
    with a fresh 0..n-1 index.

    Parameters
    ----------
    parts
        Tidy frames, in the order their rows come.

    Returns
    -------
    pandas.DataFrame
        Their rows; the columns of :data:`COLUMNS` (none if ``parts`` is empty).
    """
    frames = list(parts)
    if not frames:
        return _typed(pd.DataFrame(columns=list(COLUMNS)))
    return _typed(pd.concat(frames, ignore_index=True))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=list(COLUMNS))
    return frame.astype(DTYPES).reset_index(drop=True)


# -- atomic writes -----------------------------------------------------------

#: The temporaries of this process's exports now being written.
_live: set[Path] = set()


def live_temporaries() -> frozenset[Path]:
    """The temporary files of the exports this process is writing now.

    Returns
    -------
    frozenset of pathlib.Path
        Each will be renamed over its target or removed when its export ends.
    """
    return frozenset(_live)


def discard_temporaries() -> list[Path]:
    """Remove the temporary file of every export this process is writing.

    For the signal handler of a command-line program that is about to exit
    (``wager``'s SIGTERM handler calls it): the exports then fail and their
    targets stay as they were. The library never calls it and installs no
    signal handler; a program whose exports in other threads should go on
    must not call it.

    Returns
    -------
    list of pathlib.Path
        The temporaries removed.
    """
    removed = []
    for tmp in list(_live):
        with contextlib.suppress(OSError):
            tmp.unlink()
            removed.append(tmp)
        _live.discard(tmp)
    return removed


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target``; on success it replaces ``target``
    in one rename, on failure it is removed and ``target`` is untouched.

    The temporary is ``.<target name>.<12 hex digits>.tmp`` in the target's
    folder, listed in :func:`live_temporaries` while it lives. Leftovers of
    that pattern older than :data:`STALE_TEMPORARY_SECONDS` (from a process
    killed outright) are removed first.

    Parameters
    ----------
    target
        The file to write.

    Yields
    ------
    pathlib.Path
        The temporary file to write (exists, empty).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(target)
    tmp = _new_file_beside(target)
    try:
        # A file it replaces keeps its permissions; a new one has the
        # umask's (created with 0o666 like any file a program writes, not
        # mkstemp's 0o600, which would hide a report from colleagues).
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(target.stat().st_mode))
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        _live.discard(tmp)


def _is_temporary_name(name: str, target: Path) -> bool:
    """Whether ``name`` is that of one of ``target``'s temporaries."""
    prefix, suffix = f".{target.name}.", ".tmp"
    if len(name) != len(prefix) + _TOKEN_HEX + len(suffix):
        return False
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return False
    token = name[len(prefix) : len(prefix) + _TOKEN_HEX]
    return all(c in "0123456789abcdef" for c in token)


def _sweep_stale(target: Path) -> None:
    """Remove ``target``'s temporaries older than :data:`STALE_TEMPORARY_SECONDS`
    (regular files only; a live export rewrites its own well within that)."""
    now = time.time()
    try:
        entries = os.scandir(target.parent)
    except OSError:
        return
    with entries:
        for entry in entries:
            if not _is_temporary_name(entry.name, target):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_TEMPORARY_SECONDS:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _new_file_beside(target: Path) -> Path:
    """An empty file of a fresh name beside ``target``, mode 0o666 less the
    umask, listed in :func:`live_temporaries` before it exists."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(_TOKEN_HEX // 2)}.tmp"
        _live.add(tmp)
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            _live.discard(tmp)
            continue
        except BaseException:
            _live.discard(tmp)
            raise
        os.close(fd)
        return tmp
    raise FileExistsError(f"{target.parent}: no free temporary name beside {target.name}")


def _write_bytes(path: Path, data: bytes) -> None:
    path.write_bytes(data)


def _json_value(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) else float(v)
    if v is pd.NA or v is None:
        return None
    if isinstance(v, np.integer):
        return int(v)
    return v


# -- reading back ------------------------------------------------------------


@dataclass(frozen=True)
class ReadResults:
    """What :func:`read_results` returns: the tidy frame and the manifest."""

    frame: pd.DataFrame
    manifest: dict[str, Any]


def read_results(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_RESULT_BYTES,
    max_rows: int = MAX_RESULT_ROWS,
) -> ReadResults:
    """Read a result written by ``to_parquet``, ``to_json`` or ``to_csv``,
    with its manifest.

    The frame equals the written ``to_frame()`` (same columns, types and
    values) and the manifest the written one.

    Parameters
    ----------
    path
        A ``.parquet``, ``.json`` or ``.csv`` file; a CSV's manifest is read
        from the file beside it (:func:`csv_manifest_path`).
    max_bytes
        Refuse a larger file (default :data:`MAX_RESULT_BYTES`, 128 MiB);
        a CSV's manifest file larger than :data:`MAX_MANIFEST_BYTES` is
        refused too.
    max_rows
        Refuse a file of more rows (default :data:`MAX_RESULT_ROWS`).

    Returns
    -------
    ReadResults
        ``frame`` (:data:`COLUMNS`, typed as :data:`DTYPES`) and ``manifest``.

    Raises
    ------
    ResultsFileError
        For every file it refuses, with the path and the reason: another
        suffix; not a regular file (a FIFO, a device such as a link to
        ``/dev/zero``, a directory: checked before it is opened, and opened
        without blocking); larger than ``max_bytes``; more than
        ``max_rows`` rows; truncated or malformed; other columns or cell
        types; a manifest missing, or not of the structure and types a
        wager manifest has (:class:`wager.results.manifest.ResultManifest`);
        a CSV without its manifest file, with a manifest file that is not
        a regular file, too large or malformed, or whose recorded SHA-256
        is not the CSV's; a CSV of an earlier wager (the manifest on its
        first line, which this function never read).
    OSError
        If the file does not exist or cannot be opened.
    """
    path = Path(path)
    if path.suffix not in (".parquet", ".json", ".csv"):
        _refuse(path, "read_results reads .parquet, .json and .csv files")
    data = _read_bounded(path, max_bytes)
    source = path  # the file the manifest came from, for its messages
    if path.suffix == ".parquet":
        frame, manifest = _from_parquet(path, data, max_rows)
    elif path.suffix == ".csv":
        frame, manifest = _from_csv(path, data, max_rows)
        source = csv_manifest_path(path)
    else:
        frame, manifest = _from_json(path, data, max_rows)
    return ReadResults(frame, validate_manifest(manifest, source))


def _refuse(path: Path, reason: str) -> NoReturn:
    raise ResultsFileError(f"{shown(path)}: {reason}")


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of the regular file ``path``, refused beyond ``max_bytes``."""
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        _refuse(path, f"{special_file_kind(before.st_mode)}; read_results reads regular files only")
    if before.st_size > max_bytes:
        _refuse(path, f"{before.st_size:,} bytes, more than the limit of {max_bytes:,} bytes")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    fd = os.open(path, flags | getattr(os, "O_BINARY", 0))
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode) or (after.st_dev, after.st_ino) != (
            before.st_dev,
            before.st_ino,
        ):
            _refuse(path, "replaced by another file while being opened")
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            except BlockingIOError:
                _refuse(path, "cannot be read without waiting")
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:
                _refuse(path, f"more than the limit of {max_bytes:,} bytes")
    finally:
        os.close(fd)
    if not size:
        _refuse(path, "empty")
    return b"".join(chunks)


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")


def _parse_manifest_json(path: Path, text: bytes) -> Any:
    try:
        return json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
        _refuse(path, f"the manifest is not valid JSON ({shown(str(err))})")


def _has_feature(func: Callable[..., Any], name: str) -> bool:
    try:
        return name in inspect.signature(func).parameters
    except (TypeError, ValueError):  # pragma: no cover - a builtin without a signature
        return False


def _string_type(t: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_string(t) or pa.types.is_large_string(t))


def _arrow_type_ok(name: str, t: Any) -> bool:
    import pyarrow as pa

    if DTYPES[name] == "string":
        return _string_type(t)
    if DTYPES[name] == "Int64":
        return bool(pa.types.is_int64(t))
    return bool(pa.types.is_float64(t))


def _from_parquet(path: Path, data: bytes, max_rows: int) -> tuple[pd.DataFrame, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    options: dict[str, Any] = {}
    if _has_feature(pq.ParquetFile, "page_checksum_verification"):
        options["page_checksum_verification"] = True
    try:
        pf = pq.ParquetFile(pa.BufferReader(data), **options)
        meta, schema = pf.metadata, pf.schema_arrow
    except (pa.ArrowException, OSError, ValueError, TypeError, MemoryError) as err:
        _refuse(path, f"not a readable Parquet file ({shown(str(err))})")
    kv = schema.metadata or {}
    if _MANIFEST_KEY.encode() not in kv:
        _refuse(path, "not a wager result (no manifest in the Parquet metadata)")
    manifest = _parse_manifest_json(path, kv[_MANIFEST_KEY.encode()])
    if list(schema.names) != list(COLUMNS):
        names = ", ".join(shown(n) for n in schema.names[:20])
        _refuse(path, f"columns {names}, not those of a wager result ({', '.join(COLUMNS)})")
    for field in schema:
        if not _arrow_type_ok(field.name, field.type):
            _refuse(
                path, f"column {field.name} is {shown(str(field.type))}, not {DTYPES[field.name]}"
            )
    if meta.num_rows > max_rows or meta.num_rows < 0:
        _refuse(path, f"{meta.num_rows:,} rows, more than the limit of {max_rows:,}")
    try:
        groups = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        if sum(groups) != meta.num_rows or any(n < 0 for n in groups):
            _refuse(
                path, f"row groups of {sum(groups):,} rows where its footer says {meta.num_rows:,}"
            )
        table = pf.read(columns=list(COLUMNS), use_pandas_metadata=False)
        if table.num_rows != meta.num_rows:
            _refuse(path, f"{table.num_rows:,} rows where its metadata says {meta.num_rows:,}")
        for name in ("table", "statistic"):
            if table.column(name).null_count:
                _refuse(path, f"column {name} has missing values")
        mapping: dict[Any, Any] = {pa.string(): pd.StringDtype(), pa.int64(): pd.Int64Dtype()}
        mapping[pa.large_string()] = pd.StringDtype()
        frame = table.to_pandas(types_mapper=mapping.get, ignore_metadata=True)
        return _typed(frame), manifest
    except (
        pa.ArrowException,
        OSError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        MemoryError,
        OverflowError,
    ) as err:
        if isinstance(err, ResultsFileError):
            raise
        _refuse(path, f"a damaged Parquet file ({shown(str(err))})")


#: The Python types a JSON cell of each column may have.
_CELL_TYPES: dict[str, tuple[type, ...]] = {
    "table": (str,),
    "strategy": (str, type(None)),
    "stress": (str, type(None)),
    "severity": (float, int, type(None)),
    "variable": (str, type(None)),
    "year": (int, type(None)),
    "statistic": (str,),
    "value": (float, int, type(None)),
}
_CELL_WORDS = {
    "table": "a string",
    "strategy": "a string or null",
    "stress": "a string or null",
    "severity": "a number or null",
    "variable": "a string or null",
    "year": "an integer or null",
    "statistic": "a string",
    "value": "a number or null",
}


def _json_type(v: Any) -> str:
    names = {bool: "a boolean", dict: "an object", list: "an array", str: "a string"}
    names |= {int: "an integer", float: "a number", type(None): "null"}
    return names.get(type(v), type(v).__name__)


def _from_json(path: Path, data: bytes, max_rows: int) -> tuple[pd.DataFrame, Any]:
    try:
        doc = json.loads(data, parse_constant=_no_constant)
    except (ValueError, RecursionError) as err:  # UnicodeDecodeError is a ValueError
        _refuse(path, f"not valid JSON ({shown(str(err))})")
    if isinstance(doc, dict) and _CSV_SHA256_KEY in doc:
        _refuse(path, "the manifest of a CSV result; read the CSV itself")
    if not isinstance(doc, dict) or _MANIFEST_KEY not in doc or "rows" not in doc:
        _refuse(path, "not a wager result (no manifest)")
    others = sorted(set(doc) - {_MANIFEST_KEY, "columns", "rows"})
    if others:
        _refuse(path, f"unknown keys {', '.join(shown(k) for k in others[:10])}")
    if doc.get("columns") != list(COLUMNS):
        _refuse(path, f"'columns' is not [{', '.join(COLUMNS)}]")
    rows = doc["rows"]
    if not isinstance(rows, list):
        _refuse(path, f"'rows' is {_json_type(rows)}, not an array")
    if len(rows) > max_rows:
        _refuse(path, f"{len(rows):,} rows, more than the limit of {max_rows:,}")
    for i, row in enumerate(rows):
        if type(row) is not list or len(row) != len(COLUMNS):
            _refuse(path, f"row {i} is not an array of {len(COLUMNS)} cells")
    columns: dict[str, Any] = {}
    for j, name in enumerate(COLUMNS):
        cells = [row[j] for row in rows]
        allowed = _CELL_TYPES[name]
        for i, v in enumerate(cells):
            # type(), not isinstance(): JSON's true is a bool, never a number.
            if type(v) not in allowed:
                _refuse(path, f"row {i}, {name}: {_json_type(v)}, not {_CELL_WORDS[name]}")
            if name == "year" and v is not None and abs(v) >= 2**63:
                _refuse(path, f"row {i}, year: an integer out of range")
        try:
            columns[name] = _column(np.array(cells, dtype=object), DTYPES[name])
        except (OverflowError, ValueError, TypeError) as err:
            _refuse(path, f"column {name}: {shown(str(err))}")
    return _typed(pd.DataFrame(columns, columns=list(COLUMNS))), doc[_MANIFEST_KEY]


def csv_manifest_path(path: str | os.PathLike[str]) -> Path:
    """The manifest file of the CSV ``path``: ``<name>.manifest.json``
    beside it (``comparison.csv`` -> ``comparison.manifest.json``).

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    pathlib.Path
        Its manifest file, in the same folder.
    """
    path = Path(path)
    return path.with_name(f"{path.stem if path.suffix else path.name}.manifest.json")


_SHA256_HEX = re.compile(r"[0-9a-f]{64}")
#: A float cell as pandas writes one (Python's repr): no spaces, no "_",
#: no "nan" (a missing value is an empty cell).
_CSV_FLOAT = re.compile(r"[+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf)")
_CSV_INT = re.compile(r"-?[0-9]{1,18}")
_CSV_WORDS = {"float64": "a number", "Int64": "an integer"}
#: The first bytes of a CSV written by to_csv before the manifest moved beside it.
_OLD_CSV_START = f"# {_MANIFEST_KEY}: ".encode()


def _csv_manifest(path: Path, data: bytes) -> Any:
    """The manifest of the CSV ``path`` (whose bytes are ``data``), from the
    file beside it, once that file's record of the CSV's SHA-256 matches."""
    beside = csv_manifest_path(path)
    try:
        raw = _read_bounded(beside, MAX_MANIFEST_BYTES)
    except FileNotFoundError:
        if data.startswith(_OLD_CSV_START):
            _refuse(
                path,
                "a CSV of an earlier wager, its manifest on its first line; read_results "
                f"reads a CSV whose manifest is beside it ({shown(beside.name)}): export the "
                "result again, or read the table with pandas.read_csv(path, comment='#')",
            )
        _refuse(
            path, f"not a wager result (no manifest beside it: {shown(beside.name)} is missing)"
        )
    doc = _parse_manifest_json(beside, raw)
    if not isinstance(doc, dict) or set(doc) != {_MANIFEST_KEY, _CSV_SHA256_KEY}:
        keys = ", ".join(shown(str(k)) for k in list(doc)[:10]) if isinstance(doc, dict) else ""
        _refuse(
            beside,
            f"not the manifest of a wager CSV (keys {keys or 'none'}; it holds "
            f"{_MANIFEST_KEY} and {_CSV_SHA256_KEY})",
        )
    recorded = doc[_CSV_SHA256_KEY]
    if not isinstance(recorded, str) or not _SHA256_HEX.fullmatch(recorded):
        _refuse(beside, f"{_CSV_SHA256_KEY} is not 64 hexadecimal digits")
    if hashlib.sha256(data).hexdigest() != recorded:
        _refuse(
            path,
            f"does not match its manifest {shown(beside.name)} (the CSV's SHA-256 is not the "
            "one recorded there: the CSV was changed after it was written, or the manifest "
            "is another result's)",
        )
    return doc[_MANIFEST_KEY]


def _from_csv(path: Path, data: bytes, max_rows: int) -> tuple[pd.DataFrame, Any]:
    manifest = _csv_manifest(path, data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        _refuse(path, f"not UTF-8 text ({shown(str(err))})")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[list[str]] = []
    n = 0
    try:
        header = next(reader, [])
        if header != list(COLUMNS):
            names = ", ".join(shown(c) for c in header[:20])
            _refuse(path, f"columns {names}, not those of a wager result ({', '.join(COLUMNS)})")
        for row in reader:
            if len(row) != len(COLUMNS):
                _refuse(path, f"row {n} has {len(row)} cells, not {len(COLUMNS)}")
            if n < max_rows:
                rows.append(row)
            n += 1
    except csv.Error as err:
        _refuse(path, f"not a readable CSV file (line {reader.line_num}: {shown(str(err))})")
    if n > max_rows:
        _refuse(path, f"{n:,} rows, more than the limit of {max_rows:,}")
    columns: dict[str, Any] = {}
    for j, name in enumerate(COLUMNS):
        cells = [_csv_cell(path, i, name, row[j]) for i, row in enumerate(rows)]
        columns[name] = _column(np.array(cells, dtype=object), DTYPES[name])
    return _typed(pd.DataFrame(columns, columns=list(COLUMNS))), manifest


def _csv_cell(path: Path, i: int, name: str, cell: str) -> Any:
    """One CSV cell as its column's value (None where missing: an empty cell)."""
    if not cell:
        if name in ("table", "statistic"):
            _refuse(path, f"row {i}, {name}: missing")
        return None
    dtype = DTYPES[name]
    if dtype == "string":
        return cell
    pattern = _CSV_FLOAT if dtype == "float64" else _CSV_INT
    if not pattern.fullmatch(cell):
        _refuse(path, f"row {i}, {name}: {shown(cell[:40])!r} is not {_CSV_WORDS[dtype]}")
    return float(cell) if dtype == "float64" else int(cell)


class _HasFrame(Protocol):
    def to_frame(self) -> pd.DataFrame: ...
    def manifest(self) -> dict[str, Any]: ...


class Exportable:
    """Exports for a result that defines ``to_frame()`` (tidy rows, built
    with :func:`tidy_rows` and :func:`tidy_frame`) and ``manifest()``."""

    def to_frame(self) -> pd.DataFrame:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def manifest(self) -> dict[str, Any]:  # pragma: no cover - defined by each result
        raise NotImplementedError

    def _frame(self) -> pd.DataFrame:
        return _typed(self.to_frame())

    def to_xarray(self) -> Any:
        """An ``xarray.Dataset``: one variable per table, with dimensions among
        strategy, stress, severity, variable, year (event-year "never" as
        -1) and statistic; the manifest in ``attrs``."""
        import xarray as xr

        frame = self._frame()
        data = {}
        for table, part in frame.groupby("table", sort=False):
            dims = [d for d in _DIMS if part[d].notna().any()]
            part = part.assign(year=part["year"].fillna(-1)) if "year" in dims else part
            series = part.set_index(dims)["value"]
            data[str(table)] = series.to_xarray()
        ds = xr.Dataset(data)
        ds.attrs[_MANIFEST_KEY] = json.dumps(self.manifest(), sort_keys=True)
        return ds

    def to_parquet(self, path: str | os.PathLike[str]) -> Path:
        """Write the tidy frame to Parquet, the manifest in its metadata
        (atomic; with page checksums where pyarrow writes them)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self._frame(), preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_MANIFEST_KEY.encode()] = json.dumps(self.manifest(), sort_keys=True).encode()
        table = table.replace_schema_metadata(meta)
        options: dict[str, Any] = {}
        if _has_feature(pq.write_table, "write_page_checksum"):
            options["write_page_checksum"] = True
        return self._write(path, lambda tmp: pq.write_table(table, tmp, **options))

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the tidy frame to CSV (UTF-8, a heading row, nothing else)
        and the manifest beside it, ``<name>.manifest.json``
        (:func:`csv_manifest_path`): ``{"wager_manifest": {...},
        "csv_sha256": "<the CSV's SHA-256>"}``.

        Both files are written to temporaries first, then renamed, the CSV
        first: a failure while writing leaves both files as they were (a
        failure of the last rename leaves the new CSV beside the old
        manifest, a pair :func:`read_results` refuses). The
        CSV opens as it is in a spreadsheet, and ``pandas.read_csv(path)``
        reads it; :func:`read_results` reads both back.

        Returns
        -------
        pathlib.Path
            The CSV file.
        """
        data = self._frame().to_csv(index=False).encode("utf-8")
        about = {_MANIFEST_KEY: self.manifest(), _CSV_SHA256_KEY: hashlib.sha256(data).hexdigest()}
        text = json.dumps(about, indent=2, sort_keys=True, allow_nan=False) + "\n"
        # The CSV is renamed first, its manifest last: between the two
        # renames a reader finds the new CSV beside the old manifest, whose
        # SHA-256 refuses it, never a wrong pair it would accept.
        with atomic_path(csv_manifest_path(path)) as manifest_tmp:
            manifest_tmp.write_text(text, encoding="utf-8")
            self._write(path, lambda tmp: _write_bytes(tmp, data))
        return Path(path)

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook (``.xlsx``; atomic): one sheet per table,
        in wide form (years, or else statistics, as columns; every other
        label as a column on the left), and a ``manifest`` sheet of key and
        value rows (an object or array as JSON text).

        Numbers are numbers, exactly as in ``to_frame()``; a missing value
        is an empty cell. Sheet names follow Excel's rules
        (:func:`wager.results.excel.sheet_names`). Needs openpyxl
        (``pip install 'wager[excel]'``). Write-only: :func:`read_results`
        does not read it back.

        Returns
        -------
        pathlib.Path
            The workbook.

        Raises
        ------
        ValueError
            If a table needs more rows or columns than an Excel sheet has
            (1,048,576 rows, 16,384 columns), naming the table and the
            limit; nothing is written.
        """
        return self._write(path, excel_writer(self._frame(), self.manifest()))

    def to_json(self, path: str | os.PathLike[str]) -> Path:
        """Write ``{"wager_manifest": ..., "columns": [...], "rows": [...]}`` (atomic)."""
        frame = self._frame()
        rows = [[_json_value(v) for v in row] for row in frame.itertuples(index=False)]
        doc = {_MANIFEST_KEY: self.manifest(), "columns": list(COLUMNS), "rows": rows}

        def write(tmp: Path) -> None:
            tmp.write_text(json.dumps(doc, allow_nan=False), encoding="utf-8")

        return self._write(path, write)

    @staticmethod
    def _write(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
        with atomic_path(path) as tmp:
            write(tmp)
        return Path(path)
