"""The run manifest every exported result carries: what produced it, from
what, and how to reproduce it; and the check of a manifest read back.

What code produced a result (:func:`provenance`): an installed wager names
its version from the installed distribution's metadata
(:mod:`importlib.metadata`); a commit is recorded only when the package runs
from its own git checkout, never from a git work tree it merely sits in
(a virtual environment inside some other project's checkout).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic import field_validator as _field_validator

from wager._version import __version__
from wager.kernel.core import build_info
from wager.results.errors import ResultsFileError, shown
from wager.scenario.migration import SCHEMA_VERSION
from wager.scenario.schema import Scenario

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "KINDS",
    "Provenance",
    "canonical_scenario",
    "git_commit",
    "provenance",
    "run_manifest",
    "scenario_sha256",
    "validate_manifest",
]

#: The kinds of result that write a manifest.
KINDS = (
    "simulation",
    "stress_grid",
    "comparison",
    "race",
    "tornado",
    "sobol",
    "sensitivity",
    "exposure",
)
#: Where the package's source sits in its own checkout.
_PACKAGE_IN_CHECKOUT = ("python", "wager")
_GIT_TIMEOUT = 5.0


def canonical_scenario(scenario: Scenario) -> str:
    """The scenario as canonical JSON: every field with its value (defaults
    included), keys sorted, no spaces: the same text for the same scenario
    whatever file format or key order it was written in."""
    return json.dumps(
        scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=True
    )


def scenario_sha256(scenario: Scenario) -> str:
    """SHA-256 of :func:`canonical_scenario`, hex."""
    return hashlib.sha256(canonical_scenario(scenario).encode("ascii")).hexdigest()


@dataclass(frozen=True)
class Provenance:
    """What code a result came from.

    Attributes
    ----------
    version
        The version of the code that ran: the installed distribution's
        (``importlib.metadata``) when the package runs from that
        installation, else the source tree's own ``wager._version``.
    origin
        ``distribution`` (an installed wheel or sdist: the files the
        distribution ``wager`` installed), ``checkout`` (the package's own
        git checkout: ``python/wager`` under a work tree whose
        ``pyproject.toml`` names the project ``wager`` and which tracks the
        package) or ``source`` (neither, e.g. a copy on ``PYTHONPATH``).
    commit
        The checkout's ``HEAD`` when ``origin`` is ``checkout``; else None.
    dirty
        Whether the checkout has uncommitted changes to tracked files under
        ``python/`` or ``cpp/`` (the commit then does not name the code
        exactly); None unless ``origin`` is ``checkout``.
    """

    version: str
    origin: Literal["distribution", "checkout", "source"]
    commit: str | None
    dirty: bool | None


def _package_dir() -> Path:
    """The folder of the running ``wager`` package (resolved)."""
    return Path(__file__).resolve().parent.parent


def _git(args: Sequence[str], cwd: Path) -> str | None:
    """``git -C cwd args``'s standard output, or None if git fails or is absent.

    The environment's ``GIT_*`` variables are dropped so that a ``GIT_DIR``
    or ``GIT_WORK_TREE`` set for another repository cannot redirect it.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    try:
        out = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            timeout=_GIT_TIMEOUT,
            check=False,
            env=env,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return out.stdout if out.returncode == 0 else None


def _distribution_version(package_dir: Path, path: Sequence[str] | None) -> str | None:
    """The version of the installed distribution ``wager`` whose files are
    the package in ``package_dir``; None if no installed distribution owns it."""
    init = package_dir / "__init__.py"
    kwargs: dict[str, Any] = {"name": "wager"}
    if path is not None:
        kwargs["path"] = list(path)
    try:
        dists: Iterable[importlib.metadata.Distribution] = importlib.metadata.distributions(
            **kwargs
        )
        for dist in dists:
            files = dist.files or []
            if not any(str(f).replace("\\", "/") == "wager/__init__.py" for f in files):
                continue
            owned = Path(str(dist.locate_file("wager/__init__.py")))
            if owned.exists() and owned.resolve() == init:
                version = dist.version
                return version if isinstance(version, str) and version else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None


def _own_checkout(package_dir: Path) -> tuple[str, bool | None] | None:
    """(HEAD, dirty) if ``package_dir`` is ``python/wager`` of wager's own git
    checkout, tracked there; else None."""
    out = _git(["rev-parse", "--show-toplevel", "HEAD"], package_dir)
    lines = out.split("\n") if out is not None else []
    if len(lines) < 2:
        return None
    top, commit = Path(lines[0]).resolve(), lines[1].strip()
    if len(commit) != 40 or package_dir != top.joinpath(*_PACKAGE_IN_CHECKOUT):
        return None
    try:
        project = tomllib.loads((top / "pyproject.toml").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    meta = project.get("project")
    if not isinstance(meta, dict) or meta.get("name") != "wager":
        return None
    tracked = _git(["ls-files", "--", "python/wager/__init__.py"], top)
    if not tracked or not tracked.strip():
        return None
    status = _git(["status", "--porcelain", "--untracked-files=no", "--", "python", "cpp"], top)
    return commit, (bool(status.strip()) if status is not None else None)


def _provenance(package_dir: Path, path: Sequence[str] | None = None) -> Provenance:
    """:func:`provenance` of the package in ``package_dir``, looking for
    installed distributions on ``path`` (default ``sys.path``)."""
    package_dir = package_dir.resolve()
    installed = _distribution_version(package_dir, path)
    if installed is not None:
        return Provenance(version=installed, origin="distribution", commit=None, dirty=None)
    checkout = _own_checkout(package_dir)
    if checkout is not None:
        commit, dirty = checkout
        return Provenance(version=__version__, origin="checkout", commit=commit, dirty=dirty)
    return Provenance(version=__version__, origin="source", commit=None, dirty=None)


@functools.cache
def provenance() -> Provenance:
    """What code this process runs: version, origin and, from a checkout,
    commit (:class:`Provenance`).

    Worked out once per process: the code a process has imported does not
    change when the files do.
    """
    return _provenance(_package_dir())


def git_commit() -> str | None:
    """The commit of wager's own source checkout the package runs from (an
    editable install or ``PYTHONPATH=python``); None otherwise, in particular
    for an installed package, even inside some other git work tree."""
    return provenance().commit


#: An override's text in a manifest is cut to this many characters.
_OVERRIDE_CHARS = 200


def _scenario_entry(s: Scenario) -> dict[str, Any]:
    """A scenario's hash, and what it extends and the values set over it
    (``docs/scenarios.md``, "Extending a scenario"), when there are any: the
    hash says what ran, these say how it was written. Its source file's path
    stays out (a local path says nothing to a reader elsewhere)."""
    entry: dict[str, Any] = {"sha256": scenario_sha256(s)}
    origin = s.origin
    if origin.extends:
        entry["extends"] = list(origin.extends)
    if origin.overrides:
        entry["overrides"] = [o[:_OVERRIDE_CHARS] for o in origin.overrides]
    return entry


def run_manifest(
    kind: str,
    scenarios: Sequence[Scenario],
    *,
    seed: int | None,
    n_paths: int | None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The manifest of one result.

    Parameters
    ----------
    kind
        What the result is (``simulation``, ``stress_grid``, ``comparison``, ...).
    scenarios
        The strategies it ran.
    seed, n_paths
        Of the Monte Carlo (None for a projection).
    extra
        Anything else that defines the run (stresses, severities, ...).

    Returns
    -------
    dict
        JSON-ready: ``kind``, ``package``, ``version``, ``origin``,
        ``schema_version``, ``commit``, ``dirty``, ``build``, ``seed``,
        ``n_paths``, ``steps_per_year``, ``scenarios``, ``created_utc`` and the
        keys of ``extra``.
    """
    build = build_info()
    code = provenance()
    return {
        "kind": kind,
        "package": "wager",
        "version": code.version,
        "origin": code.origin,
        "schema_version": SCHEMA_VERSION,
        "commit": code.commit,
        "dirty": code.dirty,
        "build": build,
        "seed": seed,
        "n_paths": n_paths,
        "steps_per_year": scenarios[0].time.steps_per_year if scenarios else None,
        "scenarios": {s.name: _scenario_entry(s) for s in scenarios},
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        **(extra or {}),
    }


# -- the check of a manifest read back -------------------------------------

_Text = Annotated[str, StringConstraints(min_length=1, max_length=1_000)]
_Scalar = str | int | float | bool | None


class _ScenarioHash(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")

    sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    extends: list[_Text] | None = None
    overrides: list[_Text] | None = None


class ResultManifest(BaseModel):
    """The structure and types of a manifest :func:`validate_manifest` accepts.

    Strict: no coercion (``"7"`` is not a seed, ``true`` not a path count).
    The keys every manifest has are required; the keys some kinds add
    (``stress``, ``stresses``, ``severity``, ...) are typed when present;
    other keys (a race's settings, ...) may hold any JSON value.
    """

    model_config = ConfigDict(strict=True, extra="allow", frozen=True)

    kind: Literal[
        "simulation",
        "stress_grid",
        "comparison",
        "race",
        "tornado",
        "sobol",
        "sensitivity",
        "projection",
        "exposure",
    ]
    package: Literal["wager"]
    version: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    schema_version: Annotated[int, Field(ge=1)]
    commit: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{40}$")] | None
    build: dict[_Text, _Scalar]
    seed: int | None
    n_paths: Annotated[int, Field(ge=0)] | None
    steps_per_year: Annotated[int, Field(ge=1)] | None
    scenarios: dict[_Text, _ScenarioHash]
    created_utc: Annotated[str, StringConstraints(max_length=64)]
    # Written since the provenance fix; absent from older files.
    origin: Literal["distribution", "checkout", "source"] | None = None
    dirty: bool | None = None
    # Written by some kinds.
    stress: _Text | None = None
    stresses: list[_Text] | None = None
    severity: float | None = None
    severities: list[float] | None = None
    reference: _Text | None = None
    quantiles: list[float] | None = None
    histogram: dict[_Text, _Scalar] | None = None
    metric: _Text | None = None
    year: int | None = None

    @_field_validator("created_utc")
    @classmethod
    def _iso_utc(cls, value: str) -> str:
        try:
            when = dt.datetime.fromisoformat(value)
        except ValueError:
            raise ValueError("not an ISO 8601 time") from None
        if when.utcoffset() is None:
            raise ValueError("not a time with its UTC offset")
        return value


def validate_manifest(data: Any, source: str | os.PathLike[str]) -> dict[str, Any]:
    """Check a manifest read from ``source``; return it unchanged.

    Parameters
    ----------
    data
        The manifest as parsed from JSON.
    source
        The file it came from, for the message.

    Returns
    -------
    dict
        ``data`` itself (equal to the manifest written).

    Raises
    ------
    ResultsFileError
        If ``data`` is not a dict of the structure and types of
        :class:`ResultManifest`; the message names the file and the first
        problems (key and reason, escaped).
    """
    if not isinstance(data, dict):
        what = {type(None): "null", list: "an array", str: "a string", bool: "a boolean"}
        what |= {int: "a number", float: "a number"}
        raise ResultsFileError(
            f"{shown(source)}: the manifest is {what.get(type(data), type(data).__name__)}, "
            "not an object"
        )
    try:
        ResultManifest.model_validate(data)
    except ValidationError as err:
        problems = [
            f"{'.'.join(shown(str(p)) for p in e['loc']) or '(top)'}: {shown(e['msg'])}"
            for e in err.errors(include_url=False, include_input=False)
        ]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ResultsFileError(
            f"{shown(source)}: not a valid wager manifest: {'; '.join(problems[:5])}{more}"
        ) from None
    return data
