"""Results you can take away: one tidy table per result, written atomically
to Parquet, CSV or JSON with its run manifest, and read back.

Every result's ``to_frame()`` is a tidy table with the columns of
:data:`COLUMNS`: ``table`` names the part of the result (``annual``,
``distress_probability``, ``grid``, ``summary``, ...), ``strategy``,
``stress``, ``severity``, ``variable`` and ``year`` say what a row is about
(missing where they do not apply; a missing ``year`` in an event-year
distribution means "never"), ``statistic`` what is measured (``mean``,
``se``, ``q5``, ``probability``, ...), and ``value`` the number.

Writes go to a temporary file in the target's folder, then replace the
target in one rename: a failure leaves no partial file and the previous file
as it was.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import secrets
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd

__all__ = ["COLUMNS", "Exportable", "ReadResults", "atomic_path", "read_results", "tidy_rows"]

COLUMNS = ("table", "strategy", "stress", "severity", "variable", "year", "statistic", "value")
_DTYPES = {
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
    """One wide frame of a result as tidy rows.

    ``frame``'s index levels become the columns named in ``index_as`` (each
    one of ``strategy``, ``stress``, ``severity``, ``variable``, ``year``);
    its columns become ``statistic``. An index value "never" in a ``year``
    level becomes a missing year.
    """
    long = frame.copy()
    long.index = long.index.set_names(list(index_as))
    long.columns = long.columns.astype(str)
    # Private names for melt's columns: a result's own column may be "value".
    long = long.reset_index().melt(
        id_vars=list(index_as), var_name="__statistic__", value_name="__value__"
    )
    out = pd.DataFrame({c: pd.Series([None] * len(long), dtype=object) for c in COLUMNS})
    out["table"] = table
    for name, value in (
        ("strategy", strategy),
        ("stress", stress),
        ("severity", severity),
        ("variable", variable),
    ):
        if value is not None:
            out[name] = value
    for name in index_as:
        col = long[name]
        if name == "year":
            col = col.map(lambda y: None if y == "never" else int(y))
        out[name] = col.to_numpy(dtype=object)
    out["statistic"] = long["__statistic__"].to_numpy(dtype=object)
    out["value"] = pd.to_numeric(long["__value__"], errors="coerce").to_numpy(dtype=float)
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=list(COLUMNS))
    return frame.astype(_DTYPES).reset_index(drop=True)


@contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary path beside ``target``; on success it replaces ``target``
    in one rename, on failure it is removed and ``target`` is untouched."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
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


def _new_file_beside(target: Path) -> Path:
    """An empty file of a fresh name beside ``target``, mode 0o666 less the umask."""
    for _ in range(100):
        tmp = target.parent / f".{target.name}.{secrets.token_hex(6)}.tmp"
        try:
            fd = os.open(tmp, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"{target.parent}: no free temporary name beside {target.name}")


def _json_value(v: Any) -> Any:
    if isinstance(v, float | np.floating):
        return None if math.isnan(v) else float(v)
    if v is pd.NA or v is None:
        return None
    if isinstance(v, np.integer):
        return int(v)
    return v


@dataclass(frozen=True)
class ReadResults:
    """What :func:`read_results` returns: the tidy frame and the manifest."""

    frame: pd.DataFrame
    manifest: dict[str, Any]


def read_results(path: str | os.PathLike[str]) -> ReadResults:
    """Read a result written by ``to_parquet`` or ``to_json``, with its manifest.

    The frame equals the written ``to_frame()`` (same columns, types and
    values) and the manifest the written one.
    """
    path = Path(path)
    if path.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(path)
        meta = table.schema.metadata or {}
        if _MANIFEST_KEY.encode() not in meta:
            raise ValueError(f"{path}: not a wager result (no manifest in the Parquet metadata)")
        manifest = json.loads(meta[_MANIFEST_KEY.encode()])
        return ReadResults(_typed(table.to_pandas()), manifest)
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(doc, dict) or _MANIFEST_KEY not in doc or "rows" not in doc:
            raise ValueError(f"{path}: not a wager result (no manifest)")
        frame = pd.DataFrame(doc["rows"], columns=list(COLUMNS))
        frame["value"] = frame["value"].astype("float64")  # JSON null -> NaN
        return ReadResults(_typed(frame), doc[_MANIFEST_KEY])
    raise ValueError(f"{path}: read_results reads .parquet and .json files")


class _HasFrame(Protocol):
    def to_frame(self) -> pd.DataFrame: ...
    def manifest(self) -> dict[str, Any]: ...


class Exportable:
    """Exports for a result that defines ``to_frame()`` (tidy rows, built
    with :func:`tidy_rows`) and ``manifest()``."""

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
        """Write the tidy frame to Parquet, the manifest in its metadata (atomic)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(self._frame(), preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[_MANIFEST_KEY.encode()] = json.dumps(self.manifest(), sort_keys=True).encode()
        table = table.replace_schema_metadata(meta)
        return self._write(path, lambda tmp: pq.write_table(table, tmp))

    def to_csv(self, path: str | os.PathLike[str]) -> Path:
        """Write the tidy frame to CSV; the first line is the manifest as a
        ``#`` comment (``pandas.read_csv(path, comment="#")`` skips it; atomic)."""
        frame = self._frame()

        def write(tmp: Path) -> None:
            with open(tmp, "w", encoding="utf-8", newline="") as f:
                f.write(f"# {_MANIFEST_KEY}: {json.dumps(self.manifest(), sort_keys=True)}\n")
                frame.to_csv(f, index=False)

        return self._write(path, write)

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
