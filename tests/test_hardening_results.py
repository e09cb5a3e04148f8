"""Hardening of what results carry and how they travel (issue 18: items 4, 7's
broken pipe, 9's read_results, 11 and 12).

- 4: the manifest names the code that ran: the installed distribution's
  version, a commit only from wager's own checkout.
- 7: a broken pipe ends the command quietly (status 141, no traceback).
- 9: read_results refuses special files, reads a bounded number of bytes and
  fails on anything truncated, malformed or forged with ResultsFileError.
- 11: SIGTERM during an export leaves no temporary file; a killed process's
  leftover is swept by the next export.
- 12: to_frame() is typed, and read_results(export(x)).frame equals it.

Each class has a property-based test (hypothesis) and a regression test for
each example of the issue.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import wager
from wager.results import export as export_module
from wager.results import manifest as manifest_module
from wager.results.export import (
    COLUMNS,
    DTYPES,
    STALE_TEMPORARY_SECONDS,
    Exportable,
    atomic_path,
    discard_temporaries,
    live_temporaries,
    tidy_frame,
    tidy_rows,
)
from wager.results.manifest import ResultManifest, _provenance, validate_manifest

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(wager.__file__).resolve().parent
POSIX = pytest.mark.skipif(sys.platform == "win32", reason="POSIX files and signals")
HAS_GIT = shutil.which("git") is not None
FAST = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture(scope="module")
def results(every_result: dict[str, Any]) -> dict[str, Any]:
    """One small result of every kind (tests/conftest.py)."""
    return every_result


@pytest.fixture(scope="module")
def exported(results: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The bytes of a real JSON and Parquet export (the stress grid: small)."""
    where = tmp_path_factory.mktemp("exported")
    grid = results["stress_grid"]
    return {
        ".json": grid.to_json(where / "grid.json").read_bytes(),
        ".parquet": grid.to_parquet(where / "grid.parquet").read_bytes(),
    }


def _valid_manifest(results: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(results["simulation"].manifest()))


# == 12: typed frames; the round trip keeps columns, types and values ========


@pytest.mark.parametrize(
    "kind", ["simulation", "stress_grid", "comparison", "race", "tornado", "sobol"]
)
@pytest.mark.parametrize("suffix", [".parquet", ".json"])
def test_read_back_equals_to_frame_types_included(
    results: dict[str, Any], kind: str, suffix: str, tmp_path: Path
) -> None:
    r = results[kind]
    frame = r.to_frame()
    assert {c: str(frame[c].dtype) for c in frame.columns} == {
        c: str(pd.Series(dtype=DTYPES[c]).dtype) for c in COLUMNS
    }
    assert not any(frame[c].dtype == object for c in frame.columns)
    back = wager.read_results(getattr(r, f"to_{suffix[1:]}")(tmp_path / f"{kind}{suffix}"))
    # No _frame(): the frame the user gets from to_frame() itself.
    pd.testing.assert_frame_equal(back.frame, frame, check_exact=True)
    assert back.manifest["kind"] == kind


def test_missing_cells_are_typed_missing_not_python_none(results: dict[str, Any]) -> None:
    # The example: object columns holding None where read_results
    # gave string, Int64 and float64.
    c = results["comparison"].to_frame()
    summary = c[c["table"] == "summary"]
    assert summary["strategy"].isna().all() and summary["severity"].isna().all()
    assert summary["year"].isna().all()
    assert str(c["strategy"].dtype) == "string" and str(c["year"].dtype) == "Int64"
    assert c["severity"].dtype == np.float64 and c["value"].dtype == np.float64
    assert summary["strategy"].iloc[0] is pd.NA and summary["year"].iloc[0] is pd.NA
    sim = results["simulation"].to_frame()
    never = sim[(sim["table"] == "distress_year") & sim["year"].isna()]
    assert sorted(never["statistic"]) == ["count", "probability"]
    probability = never.loc[never["statistic"] == "probability", "value"].item()
    assert probability == results["simulation"].distress_year.loc["never", "probability"]
    cash = sim[(sim["table"] == "annual") & (sim["variable"] == "cash")]
    assert cash["year"].min() == 2025 and cash["year"].dtype == pd.Int64Dtype()
    assert set(sim["strategy"].dropna()) == {"compute_first"}
    assert set(sim["stress"].dropna()) == {"price_war"}


def test_an_empty_frame_is_typed_too() -> None:
    empty = tidy_frame([])
    assert list(empty.columns) == list(COLUMNS) and len(empty) == 0
    assert {c: str(empty[c].dtype) for c in COLUMNS} == {
        c: str(pd.Series(dtype=DTYPES[c]).dtype) for c in COLUMNS
    }


_LABELS = st.text(alphabet="abcxyz_ /:-", min_size=1, max_size=6)


class _Table(Exportable):
    """A result of one random table, for the round-trip property."""

    def __init__(self, frame: pd.DataFrame, manifest: dict[str, Any]) -> None:
        self._rows, self._manifest = frame, manifest

    def to_frame(self) -> pd.DataFrame:
        return self._rows

    def manifest(self) -> dict[str, Any]:
        return self._manifest


@FAST
@given(
    years=st.lists(
        st.one_of(st.integers(1900, 2200), st.just("never")), min_size=1, max_size=4, unique=True
    ),
    stats=st.lists(_LABELS, min_size=1, max_size=3, unique=True),
    data=st.data(),
    strategy=st.one_of(st.none(), _LABELS),
    severity=st.one_of(st.none(), st.floats(0, 2, allow_nan=False)),
)
def test_any_tidy_table_round_trips_exactly(
    results: dict[str, Any],
    tmp_path: Path,
    years: list[Any],
    stats: list[str],
    data: st.DataObject,
    strategy: str | None,
    severity: float | None,
) -> None:
    values = data.draw(
        st.lists(
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=False), st.integers(-(10**6), 10**6)
            ),
            min_size=len(years) * len(stats),
            max_size=len(years) * len(stats),
        )
    )
    wide = pd.DataFrame(
        np.array(values, dtype=float).reshape(len(years), len(stats)),
        index=pd.Index(years, dtype=object),
        columns=stats,
    )
    frame = tidy_frame([tidy_rows("t", wide, strategy=strategy, severity=severity)])
    assert [str(frame[c].dtype) for c in COLUMNS] == [
        str(pd.Series(dtype=DTYPES[c]).dtype) for c in COLUMNS
    ]
    assert frame["year"].isna().sum() == len(stats) * years.count("never")
    table = _Table(frame, _valid_manifest(results))
    for suffix in (".json", ".parquet"):
        back = wager.read_results(getattr(table, f"to_{suffix[1:]}")(tmp_path / f"t{suffix}"))
        pd.testing.assert_frame_equal(back.frame, frame, check_exact=True)


# == 9: read_results: special files, bounds, one exception ==================


def test_results_file_error_is_one_documented_value_error() -> None:
    assert issubclass(wager.ResultsFileError, ValueError)
    assert wager.ResultsFileError is export_module.ResultsFileError
    assert "ResultsFileError" in wager.__all__


def _finishes(call: Callable[[], Any], seconds: float = 20.0) -> BaseException | None:
    """Run ``call`` in a daemon thread; the exception it raised (None if it
    returned); fail if it has not finished within ``seconds`` (it hung)."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
            outcome.append(None)
        except BaseException as err:
            outcome.append(err)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert outcome, f"still running after {seconds} s"
    return outcome[0]


@POSIX
@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_a_fifo_is_refused_at_once(tmp_path: Path, suffix: str) -> None:
    fifo = tmp_path / f"results{suffix}"
    os.mkfifo(fifo)
    err = _finishes(lambda: wager.read_results(fifo))
    if err is None or not isinstance(err, wager.ResultsFileError):
        # Unblock a thread stuck in open() before failing.
        with open(fifo, "wb"):
            pass
    assert isinstance(err, wager.ResultsFileError), err
    assert str(err) == f"{fifo}: a named pipe (FIFO); read_results reads regular files only"


@POSIX
@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_a_link_to_dev_zero_is_refused_without_reading(tmp_path: Path, suffix: str) -> None:
    link = tmp_path / f"zero{suffix}"
    link.symlink_to("/dev/zero")
    err = _finishes(lambda: wager.read_results(link), seconds=10)
    assert isinstance(err, wager.ResultsFileError), err
    assert str(err) == f"{link}: a character device; read_results reads regular files only"


def test_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d.json").mkdir()
    with pytest.raises(wager.ResultsFileError, match=r"d\.json: a directory; "):
        wager.read_results(tmp_path / "d.json")


def test_a_missing_file_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        wager.read_results(tmp_path / "none.json")


def test_a_file_beyond_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, exported: dict[str, bytes]
) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as f:  # sparse: costs no disk
        f.truncate(export_module.MAX_RESULT_BYTES + 1)
    with pytest.raises(
        wager.ResultsFileError,
        match=rf"big\.json: {export_module.MAX_RESULT_BYTES + 1:,} bytes, more than the limit of "
        rf"{export_module.MAX_RESULT_BYTES:,} bytes$",
    ):
        wager.read_results(big)
    real = tmp_path / "real.json"
    real.write_bytes(exported[".json"])
    assert len(wager.read_results(real).frame) > 0
    with pytest.raises(wager.ResultsFileError, match="more than the limit of 1,000 bytes"):
        wager.read_results(real, max_bytes=1_000)


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_too_many_rows_are_refused(tmp_path: Path, exported: dict[str, bytes], suffix: str) -> None:
    path = tmp_path / f"grid{suffix}"
    path.write_bytes(exported[suffix])
    n = len(wager.read_results(path).frame)
    assert len(wager.read_results(path, max_rows=n).frame) == n
    with pytest.raises(wager.ResultsFileError, match=f"{n:,} rows, more than the limit of 10"):
        wager.read_results(path, max_rows=10)


def test_another_suffix_and_an_empty_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(
        wager.ResultsFileError, match=r"x\.txt: read_results reads \.parquet, \.json and \.csv"
    ):
        wager.read_results(tmp_path / "x.txt")
    (tmp_path / "e.parquet").write_bytes(b"")
    with pytest.raises(wager.ResultsFileError, match=r"e\.parquet: empty"):
        wager.read_results(tmp_path / "e.parquet")


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
@pytest.mark.parametrize("keep", [1, 7, 0.5, -1])
def test_a_truncated_result_raises_results_file_error(
    tmp_path: Path, exported: dict[str, bytes], suffix: str, keep: float
) -> None:
    data = exported[suffix]
    cut = int(len(data) * keep) if isinstance(keep, float) else keep % len(data)
    path = tmp_path / f"cut{suffix}"
    path.write_bytes(data[:cut])
    with pytest.raises(wager.ResultsFileError, match=rf"^{re.escape(str(path))}: "):
        wager.read_results(path)


def _json_doc(exported: dict[str, bytes]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(exported[".json"])
    return doc


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(rows={}), "'rows' is an object, not an array"),
        (lambda d: d.update(columns=["a"]), "'columns' is not"),
        (lambda d: d.update(extra=1), "unknown keys extra"),
        (lambda d: d["rows"].append([1, 2]), r"row \d+ is not an array of 8 cells"),
        (lambda d: d["rows"][0].__setitem__(5, True), "row 0, year: a boolean, not an integer"),
        (lambda d: d["rows"][0].__setitem__(5, 2025.5), "row 0, year: a number, not an integer"),
        (lambda d: d["rows"][0].__setitem__(5, 10**30), "row 0, year: an integer out of range"),
        (lambda d: d["rows"][1].__setitem__(7, "1.5"), "row 1, value: a string, not a number"),
        (lambda d: d["rows"][1].__setitem__(7, 10**400), "column value: "),
        (lambda d: d["rows"][2].__setitem__(0, None), "row 2, table: null, not a string"),
        (lambda d: d["rows"][0].__setitem__(1, {"a": 1}), "row 0, strategy: an object"),
        (lambda d: d.pop("wager_manifest"), "not a wager result"),
    ],
)
def test_malformed_json_results_name_the_file_and_the_cell(
    tmp_path: Path,
    exported: dict[str, bytes],
    change: Callable[[dict[str, Any]], Any],
    message: str,
) -> None:
    doc = _json_doc(exported)
    change(doc)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(wager.ResultsFileError, match=rf"^{re.escape(str(path))}: .*{message}"):
        wager.read_results(path)


@pytest.mark.parametrize(
    "text", ["", "null", "[]", "NaN", '{"rows": [', "\ufeff{}", "[[[[" * 10_000, "1" * 5_000]
)
def test_not_json_or_not_a_result_raises_results_file_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(wager.ResultsFileError, match=rf"^{re.escape(str(path))}: "):
        wager.read_results(path)


FORGED_MANIFESTS: list[Any] = [
    None,
    [],
    "wager",
    7,
    {},
    {"kind": "simulation"},
]


def _forged_fields(valid: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for key, value in [
        ("kind", "rocket"),
        ("package", "other"),
        ("seed", "7"),
        ("seed", 1.5),
        ("n_paths", True),
        ("n_paths", -1),
        ("commit", "not a commit"),
        ("scenarios", {"x": {"sha256": "zz"}}),
        ("scenarios", ["x"]),
        ("build", {"compiler": {"nested": 1}}),
        ("created_utc", "yesterday"),
        ("created_utc", "2026-01-01T00:00:00"),
        ("schema_version", 0),
        ("stress", 3),
        ("quantiles", ["0.5"]),
    ]:
        m = dict(valid)
        m[key] = value
        out.append((key, m))
    m = dict(valid)
    del m["version"]
    out.append(("version", m))
    return out


def _parquet_with_manifest(data: bytes, manifest_text: bytes) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(pa.BufferReader(data))
    meta = dict(table.schema.metadata or {})
    meta[b"wager_manifest"] = manifest_text
    sink = pa.BufferOutputStream()
    pq.write_table(table.replace_schema_metadata(meta), sink)
    return bytes(sink.getvalue().to_pybytes())


@pytest.mark.parametrize("suffix", [".json", ".parquet"])
def test_a_forged_manifest_of_any_type_is_refused(
    results: dict[str, Any], exported: dict[str, bytes], tmp_path: Path, suffix: str
) -> None:
    valid = _valid_manifest(results)
    cases: list[tuple[str, Any]] = [("(top)", m) for m in FORGED_MANIFESTS]
    cases += _forged_fields(valid)
    for key, forged in cases:
        path = tmp_path / f"forged{suffix}"
        if suffix == ".json":
            doc = _json_doc(exported)
            doc["wager_manifest"] = forged
            path.write_text(json.dumps(doc), encoding="utf-8")
        else:
            path.write_bytes(_parquet_with_manifest(exported[suffix], json.dumps(forged).encode()))
        with pytest.raises(wager.ResultsFileError, match=rf"^{re.escape(str(path))}: ") as info:
            wager.read_results(path)
        message = str(info.value)
        assert "manifest" in message, message
        if key != "(top)":
            assert f"manifest: {key}" in message or f"; {key}" in message, message
    # The valid manifest passes, unchanged.
    path = tmp_path / f"ok{suffix}"
    if suffix == ".json":
        doc = _json_doc(exported)
        doc["wager_manifest"] = valid
        path.write_text(json.dumps(doc), encoding="utf-8")
    else:
        path.write_bytes(_parquet_with_manifest(exported[suffix], json.dumps(valid).encode()))
    assert wager.read_results(path).manifest == valid


def test_a_parquet_file_of_other_columns_or_types_is_refused(
    exported: dict[str, bytes], tmp_path: Path
) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pq.read_table(pa.BufferReader(exported[".parquet"]))
    meta = table.schema.metadata
    cases = {
        "columns a, b": pa.table({"a": [1], "b": [2]}),
        "column year is string, not Int64": table.set_column(
            5, "year", pa.array(["x"] * table.num_rows)
        ),
        "column table has missing values": table.set_column(
            0, "table", pa.array([None] * table.num_rows, type=pa.large_string())
        ),
    }
    for message, bad in cases.items():
        path = tmp_path / "bad.parquet"
        pq.write_table(bad.replace_schema_metadata(meta), path)
        with pytest.raises(wager.ResultsFileError, match=rf"^{re.escape(str(path))}: {message}"):
            wager.read_results(path)
    path = tmp_path / "nomanifest.parquet"
    pq.write_table(table.replace_schema_metadata({}), path)
    with pytest.raises(wager.ResultsFileError, match="no manifest in the Parquet metadata"):
        wager.read_results(path)


def test_a_path_with_control_characters_is_escaped_in_the_message(tmp_path: Path) -> None:
    path = tmp_path / "a\x1b[2Jb\nc.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(wager.ResultsFileError) as info:
        wager.read_results(path)
    message = str(info.value)
    assert "\x1b" not in message and "\n" not in message
    assert "a\\x1b[2Jb\\nc.json: not a wager result" in message


def _read_or_refuse(path: Path) -> None:
    """read_results either returns a frame of the documented shape or raises
    ResultsFileError naming the file: nothing else."""
    refused = None
    try:
        back = wager.read_results(path)
    except wager.ResultsFileError as err:
        refused = str(err)
    if refused is not None:
        assert refused.startswith(f"{path}: "), refused
        return
    assert list(back.frame.columns) == list(COLUMNS)
    assert [str(back.frame[c].dtype) for c in COLUMNS] == [
        str(pd.Series(dtype=DTYPES[c]).dtype) for c in COLUMNS
    ]
    ResultManifest.model_validate(back.manifest)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    suffix=st.sampled_from([".json", ".parquet"]),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(1, 255)), max_size=4),
)
def test_truncated_or_flipped_exports_raise_only_results_file_error(
    exported: dict[str, bytes],
    tmp_path: Path,
    suffix: str,
    cut: float,
    flips: list[tuple[float, int]],
) -> None:
    data = bytearray(exported[suffix])
    for where, mask in flips:
        data[min(int(where * len(data)), len(data) - 1)] ^= mask
    data = data[: max(1, int(cut * len(data)))] if cut < 1 else data
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=8),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)


@FAST
@given(
    st.one_of(
        json_values, st.tuples(st.sampled_from(sorted(ResultManifest.model_fields)), json_values)
    )
)
def test_any_manifest_is_validated_or_refused(
    results: dict[str, Any], exported: dict[str, bytes], tmp_path: Path, forged: Any
) -> None:
    if isinstance(forged, tuple):  # one field of a valid manifest replaced
        key, value = forged
        manifest = _valid_manifest(results)
        manifest[key] = value
    else:
        manifest = forged
    doc = _json_doc(exported)
    doc["wager_manifest"] = manifest
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    _read_or_refuse(path)


# == 4: the manifest names the code that ran =================================


def _git(cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    out = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return out.stdout.strip()


def _repo(root: Path, project: str, package_at: str | None = "python/wager") -> Path:
    """A git repository whose pyproject names ``project``, with a committed
    ``<package_at>/__init__.py``."""
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text(f'[project]\nname = "{project}"\n', encoding="utf-8")
    if package_at is not None:
        (root / package_at).mkdir(parents=True)
        (root / package_at / "__init__.py").write_text("", encoding="utf-8")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "init")
    return root


def _fake_distribution(site: Path, version: str) -> None:
    """A dist-info in ``site`` that installed ``site/wager/__init__.py``."""
    info = site / f"wager-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: wager\nVersion: {version}\n", encoding="utf-8"
    )
    (info / "RECORD").write_text(
        f"wager/__init__.py,,\nwager-{version}.dist-info/METADATA,,\n", encoding="utf-8"
    )


needs_git = pytest.mark.skipif(not HAS_GIT, reason="git is not installed")


@needs_git
def test_own_checkout_records_its_commit(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "wager", "wager")
    head = _git(repo, "rev-parse", "HEAD")
    p = _provenance(repo / "python" / "wager", path=[])
    assert p == manifest_module.Provenance(
        version=wager.__version__, origin="checkout", commit=head, dirty=False
    )
    (repo / "python" / "wager" / "__init__.py").write_text("x = 1\n", encoding="utf-8")
    assert _provenance(repo / "python" / "wager", path=[]).dirty is True


@needs_git
def test_installed_in_a_virtual_environment_inside_a_checkout_records_no_commit(
    tmp_path: Path,
) -> None:
    # The example: a venv inside some git checkout (here even wager's
    # own, with the venv committed): the commit is not the code's.
    for project in ("someone_else", "wager"):
        repo = _repo(tmp_path / project, project)
        site = repo / "venv" / "lib" / "python3.11" / "site-packages"
        (site / "wager").mkdir(parents=True)
        (site / "wager" / "__init__.py").write_text("", encoding="utf-8")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "venv")
        # A copy no distribution claims: the source's version, no commit.
        assert _provenance(site / "wager", path=[]) == manifest_module.Provenance(
            version=wager.__version__, origin="source", commit=None, dirty=None
        )
        # Installed by a distribution: its version, no commit.
        _fake_distribution(site, "9.8.7")
        assert _provenance(site / "wager", path=[str(site)]) == manifest_module.Provenance(
            version="9.8.7", origin="distribution", commit=None, dirty=None
        )


@needs_git
def test_python_wager_in_another_project_or_untracked_records_no_commit(tmp_path: Path) -> None:
    other = _repo(tmp_path / "other", "not_wager")
    assert _provenance(other / "python" / "wager", path=[]).commit is None
    untracked = _repo(tmp_path / "wager", "wager", package_at=None)
    (untracked / "python" / "wager").mkdir(parents=True)
    (untracked / "python" / "wager" / "__init__.py").write_text("", encoding="utf-8")
    assert _provenance(untracked / "python" / "wager", path=[]).origin == "source"
    plain = tmp_path / "plain" / "python" / "wager"
    plain.mkdir(parents=True)
    assert _provenance(plain, path=[]).commit is None


@needs_git
def test_a_git_dir_in_the_environment_does_not_redirect_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repo(tmp_path / "wager", "wager")
    plain = tmp_path / "plain" / "python" / "wager"
    plain.mkdir(parents=True)
    monkeypatch.setenv("GIT_DIR", str(repo / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(repo))
    assert _provenance(plain, path=[]).commit is None


@needs_git
def test_a_distribution_claiming_another_copy_is_not_this_code(tmp_path: Path) -> None:
    repo = _repo(tmp_path / "wager", "wager")
    site = tmp_path / "site"
    (site / "wager").mkdir(parents=True)
    (site / "wager" / "__init__.py").write_text("", encoding="utf-8")
    _fake_distribution(site, "9.8.7")
    p = _provenance(repo / "python" / "wager", path=[str(site)])
    assert p.origin == "checkout" and p.version == wager.__version__


def test_this_process_manifest_names_its_code(results: dict[str, Any]) -> None:
    m = results["simulation"].manifest()
    in_checkout = PACKAGE == REPO / "python" / "wager" and (REPO / ".git").exists()
    if in_checkout and HAS_GIT:
        assert m["origin"] == "checkout"
        assert m["commit"] == _git(REPO, "rev-parse", "HEAD")
        assert isinstance(m["dirty"], bool)
        assert m["version"] == wager.__version__
    else:
        assert m["origin"] in ("distribution", "source") and m["commit"] is None
    validate_manifest(m, "<here>")


@needs_git
@POSIX
def test_a_copy_installed_in_a_venv_inside_a_checkout_manifests_no_commit(tmp_path: Path) -> None:
    # End to end: the package itself, imported from a fake venv's
    # site-packages inside a git checkout, with a dist-info that owns it.
    repo = _repo(tmp_path / "project", "someone_else")
    site = repo / ".venv" / "lib" / "site-packages"
    shutil.copytree(PACKAGE, site / "wager", ignore=shutil.ignore_patterns("__pycache__"))
    # A repaired wheel keeps the libraries it bundles (libgomp) beside the package.
    bundled = PACKAGE.parent / "wager.libs"
    if bundled.is_dir():
        shutil.copytree(bundled, site / "wager.libs")
    _fake_distribution(site, "0.1.0.post7")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "venv")
    script = textwrap.dedent(
        """
        import json, wager
        sim = wager.simulate(wager.presets.load("compute_first"), n_paths=50, seed=1,
                             progress=False)
        m = sim.manifest()
        print(json.dumps({k: m[k] for k in ("version", "origin", "commit", "dirty")}))
        print(wager.__file__)
        """
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    first, where = out.stdout.splitlines()[:2]
    assert Path(where).resolve() == (site / "wager" / "__init__.py").resolve()
    assert json.loads(first) == {
        "version": "0.1.0.post7",
        "origin": "distribution",
        "commit": None,
        "dirty": None,
    }


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAS_GIT:
        pytest.skip("git is not installed")
    return _repo(tmp_path_factory.mktemp("prop") / "wager", "wager")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.sampled_from(["python", "src", "venv", "lib", "site-packages", "x"]), max_size=3)
)
def test_a_commit_only_from_python_wager_of_its_own_checkout(
    checkout: Path, parts: list[str]
) -> None:
    package = checkout.joinpath(*parts, "wager")
    package.mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").touch()
    p = _provenance(package, path=[])
    if parts == ["python"]:
        assert p.origin == "checkout" and p.commit == _git(checkout, "rev-parse", "HEAD")
    else:
        assert p.origin == "source" and p.commit is None and p.dirty is None


# == 11: SIGTERM removes the temporary; a killed process's is swept ==========


_SLOW_EXPORT = """
import pathlib, sys, time
import pyarrow.parquet as pq

def stall(tmp):
    print("writing", tmp, flush=True)
    time.sleep(120)

real_write_text = pathlib.Path.write_text

def slow_write_text(self, data, *args, **kwargs):
    if self.name.endswith(".tmp"):
        real_write_text(self, data[: len(data) // 2], *args, **kwargs)
        stall(self)
    return real_write_text(self, data, *args, **kwargs)

real_write_table = pq.write_table

def slow_write_table(table, where, **kwargs):
    real_write_table(table.slice(0, 3), where, **kwargs)
    stall(where)

pathlib.Path.write_text = slow_write_text
pq.write_table = slow_write_table

from wager.cli.main import main

main(sys.argv[1:])
"""


@POSIX
@pytest.mark.parametrize("fmt", ["json", "parquet"])
def test_sigterm_during_an_export_leaves_no_temporary_and_the_target_intact(
    tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    target = out / f"comparison.{fmt}"
    target.write_bytes(b"the previous results")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_EXPORT,
            "compare",
            "--paths",
            "200",
            "--stress",
            "baseline",
            "--out",
            str(out),
            "--format",
            fmt,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("writing "), (line, proc.stderr.read() if proc.stderr else "")
        tmp = Path(line.split(" ", 1)[1].strip())
        assert tmp.parent == out and tmp.exists() and tmp.name.startswith(f".{target.name}.")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err, err
    assert sorted(p.name for p in out.iterdir()) == [target.name]
    assert target.read_bytes() == b"the previous results"


def test_the_library_installs_no_signal_handler(results: dict[str, Any], tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGTERM)
    results["stress_grid"].to_json(tmp_path / "g.json")
    wager.read_results(tmp_path / "g.json")
    assert signal.getsignal(signal.SIGTERM) is before


@POSIX
def test_the_command_restores_the_handlers_and_respects_an_ignored_signal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    cli_main = importlib.import_module("wager.cli.main")  # wager.cli.main is also the function

    monkeypatch.setattr(warnings, "formatwarning", warnings.formatwarning)
    before = signal.getsignal(signal.SIGTERM)
    with cli_main._removing_temporaries_on_termination():
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
    cli_main.main(["presets"])
    assert "compute_first" in capsys.readouterr().out
    assert signal.getsignal(signal.SIGTERM) is before
    previous = signal.signal(signal.SIGHUP, signal.SIG_IGN)  # as under nohup
    try:
        with cli_main._removing_temporaries_on_termination():
            assert signal.getsignal(signal.SIGHUP) is signal.SIG_IGN
    finally:
        signal.signal(signal.SIGHUP, previous)


def _discard_while_writing(target: Path, seen: list[Path]) -> None:
    """Write half, then do what the CLI's SIGTERM handler does."""
    with atomic_path(target) as tmp:
        seen.append(tmp)
        assert live_temporaries() == {tmp} and tmp.exists()
        tmp.write_text("half", encoding="utf-8")
        assert discard_temporaries() == [tmp]
        assert not tmp.exists() and not live_temporaries()


def _interrupted_write(target: Path, written: int, raised: type[BaseException]) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(b"x" * written)
        raise raised()


def test_live_temporaries_are_listed_and_discarded(tmp_path: Path) -> None:
    target = tmp_path / "t.json"
    target.write_text("old", encoding="utf-8")
    seen: list[Path] = []
    with pytest.raises(FileNotFoundError):
        _discard_while_writing(target, seen)
    assert len(seen) == 1 and not seen[0].exists()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["t.json"]
    assert not live_temporaries()


def test_a_killed_process_leftover_is_swept_by_the_next_export(
    results: dict[str, Any], tmp_path: Path
) -> None:
    target = tmp_path / "grid.json"
    stale = tmp_path / ".grid.json.0123456789ab.tmp"
    fresh = tmp_path / ".grid.json.ba9876543210.tmp"  # a concurrent writer's
    other = tmp_path / ".other.json.0123456789ab.tmp"
    odd = tmp_path / ".grid.json.not-hex-12ch.tmp"
    for p in (stale, fresh, other, odd):
        p.write_text("partial", encoding="utf-8")
    old = time.time() - STALE_TEMPORARY_SECONDS - 60
    for p in (stale, other, odd):
        os.utime(p, (old, old))
    results["stress_grid"].to_json(target)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["grid.json", fresh.name, other.name, odd.name]
    )


class _Boom(BaseException):
    pass


@FAST
@given(
    raised=st.sampled_from([KeyboardInterrupt, SystemExit, OSError, RuntimeError, _Boom]),
    written=st.integers(0, 5000),
    existing=st.booleans(),
)
def test_an_export_interrupted_anywhere_leaves_no_temporary(
    tmp_path: Path, raised: type[BaseException], written: int, existing: bool
) -> None:
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    target = folder / "r.parquet"
    if existing:
        target.write_bytes(b"before")
    with pytest.raises(raised):
        _interrupted_write(target, written, raised)
    assert [p.name for p in folder.iterdir()] == (["r.parquet"] if existing else [])
    if existing:
        assert target.read_bytes() == b"before"
    assert not live_temporaries()


# == 7: a broken pipe ends the command quietly ================================


def _wager(*args: str) -> list[str]:
    return [sys.executable, "-m", "wager", *args]


@POSIX
def test_version_verbose_into_head_prints_no_traceback() -> None:
    # The example, through a shell pipe.
    cmd = " ".join(_wager("--version", "--verbose")) + " | head -1"
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120, check=False)
    assert out.stdout.startswith("wager"), out
    assert "Traceback" not in out.stderr and "BrokenPipeError" not in out.stderr, out.stderr
    assert out.stderr == ""


@POSIX
@pytest.mark.parametrize(
    "args", [("--version", "--verbose"), ("stresses",), ("--help",), ("presets",)]
)
def test_a_closed_pipe_ends_the_command_with_141_and_nothing_on_stderr(
    args: tuple[str, ...],
) -> None:
    with subprocess.Popen(_wager(*args), stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # the reader is gone before the command writes
        err = proc.stderr.read()
        proc.wait(timeout=120)
    assert err == b"", err.decode(errors="replace")
    assert proc.returncode == 141


_FULL: dict[tuple[str, ...], bytes] = {}


def _full_output(args: tuple[str, ...]) -> bytes:
    """What ``wager *args`` prints when nobody closes the pipe (cached)."""
    if args not in _FULL:
        # The width the test's own run has (COLUMNS=80): a pipe's width would
        # otherwise differ from pytest's terminal, and so would the wrapping.
        env = {**os.environ, "COLUMNS": "80"}
        _FULL[args] = subprocess.run(_wager(*args), capture_output=True, check=True, env=env).stdout
    return _FULL[args]


class _ClosingAfter(io.RawIOBase):
    """A standard output whose reader goes away after ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit, self.size = limit, 0

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        n = len(b)
        if self.size + n > self.limit:
            raise BrokenPipeError(32, "Broken pipe")
        self.size += n
        return n


@FAST
@given(
    args=st.sampled_from(
        [["presets"], ["stresses"], ["--version", "--verbose"], ["--help"], ["schema"]]
    ),
    limit=st.integers(0, 20_000),
)
def test_the_reader_leaving_at_any_byte_ends_quietly(
    monkeypatch: pytest.MonkeyPatch, args: list[str], limit: int
) -> None:
    cli_main = importlib.import_module("wager.cli.main")  # wager.cli.main is also the function

    quieted: list[bool] = []
    raw = _ClosingAfter(limit)
    out = io.TextIOWrapper(raw, encoding="utf-8")
    code: Any = 0
    with monkeypatch.context() as m:
        m.setenv("COLUMNS", "80")  # as _full_output's run
        m.setattr(warnings, "formatwarning", warnings.formatwarning)
        m.setattr(cli_main, "_quiet_stdout", lambda: quieted.append(True))
        m.setattr(sys, "stdout", out)
        try:
            cli_main.main(args)
        except SystemExit as end:
            code = end.code
    raw.limit = 2**62  # what _quiet_stdout does to the real descriptor: flushes succeed
    out.close()
    assert code in (0, 141)
    assert (code == 141) == bool(quieted)
    assert (code == 141) == (raw.size < len(_full_output(tuple(args))))


@pytest.fixture(autouse=True)
def _no_temporaries_left() -> Iterator[None]:
    yield
    assert not live_temporaries()


def test_exported_files_are_regular_and_readable(results: dict[str, Any], tmp_path: Path) -> None:
    path = results["race"].to_parquet(tmp_path / "race.parquet")
    assert stat.S_ISREG(path.stat().st_mode)
    assert wager.read_results(path).manifest["kind"] == "race"


# --- item 6: output modes follow the umask (property) ------------------------------------


@FAST
@given(st.integers(0, 0o777), st.one_of(st.none(), st.integers(0o400, 0o777)))
def test_an_output_takes_the_umask_or_keeps_the_replaced_files_mode(
    umask: int, existing: int | None
) -> None:
    # A new file gets 0o666 less the umask (not mkstemp's 0o600); a replaced
    # one keeps its mode, whatever the umask.
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "table.csv"
        if existing is not None:
            target.write_text("old", encoding="utf-8")
            target.chmod(existing)
        old = os.umask(umask)
        try:
            with atomic_path(target) as tmp:
                tmp.write_text("new", encoding="utf-8")
        finally:
            os.umask(old)
        expected = 0o666 & ~umask if existing is None else existing
        assert stat.S_IMODE(target.stat().st_mode) == expected
        assert target.read_text(encoding="utf-8") == "new"
        assert [p.name for p in Path(folder).iterdir()] == ["table.csv"]
