"""The run manifest every exported result carries: what produced it, from
what, and how to reproduce it."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from wager._version import __version__
from wager.kernel.core import build_info
from wager.scenario.migration import SCHEMA_VERSION
from wager.scenario.schema import Scenario

__all__ = ["canonical_scenario", "git_commit", "run_manifest", "scenario_sha256"]


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


def git_commit() -> str | None:
    """The commit of the source tree the package runs from, if it is a git
    checkout (an editable install); None for an installed wheel."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "-C", str(here), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = out.stdout.strip()
    return commit if out.returncode == 0 and len(commit) == 40 else None


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
    """
    build = build_info()
    return {
        "kind": kind,
        "package": "wager",
        "version": __version__,
        "schema_version": SCHEMA_VERSION,
        "commit": git_commit(),
        "build": build,
        "seed": seed,
        "n_paths": n_paths,
        "steps_per_year": scenarios[0].time.steps_per_year if scenarios else None,
        "scenarios": {s.name: {"sha256": scenario_sha256(s)} for s in scenarios},
        "created_utc": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        **(extra or {}),
    }
