"""The compiled core, typed: the only module that imports ``wager._core``.

Every other part of the package calls the core through these functions, so
the core's surface is visible in one place (``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

import wager._core as _core
from wager.kernel.contract import ConfigDict, DistributionDict, ModelDict, ShockDict

__all__ = [
    "InputError",
    "build_info",
    "distribution_quantiles",
    "has_openmp",
    "max_threads",
    "parameters",
    "per_step_transition",
    "project",
    "simd_level",
    "simulate_paired",
]

#: What the core raises for an input it refuses (a ValueError).
InputError = _core.InputError

Progress = Callable[[int, int], object]


def project(
    model: ModelDict,
    regime_path: Sequence[int],
    record_steps: bool = False,
    shocks: Sequence[ShockDict] = (),
) -> dict[str, Any]:
    """One deterministic projection of a model dict (``compile.model``) along a
    regime path, under ``shocks`` (``compile.shocks``)."""
    return _core.project(model, list(regime_path), record_steps, list(shocks))


def simulate_paired(
    config: ConfigDict,
    progress: Progress | None,
    batch_paths: int,
    grow_below_seconds: float = 0.0,
) -> dict[str, Any]:
    """A Monte Carlo run of a config dict (``compile.run_config``):
    ``{"strategies": [...], "pairs": [...]}`` of merged statistics."""
    return _core.simulate_paired(config, progress, batch_paths, grow_below_seconds)


def parameters(model: ModelDict) -> tuple[list[str], npt.NDArray[np.float64]]:
    """Names and values of a model's numeric parameters, in the core's order."""
    return _core.parameters(model)


def distribution_quantiles(
    spec: DistributionDict, z: npt.ArrayLike, exact: bool = False
) -> npt.NDArray[np.float64]:
    """F^-1(Phi(z)) of a distribution spec, elementwise.

    Parameters
    ----------
    spec : DistributionDict
        The distribution, as the core reads it.
    z : array_like
        Standard normal scores.
    exact : bool, default False
        False: as a simulation draws (PERT and Student t from their
        quantile tables, docs/model.md §17); True: the exact quantile.

    Returns
    -------
    numpy.ndarray
        The quantiles, clamped to the distribution's allowed range.
    """
    return _core.distribution_quantiles(spec, z, exact)


def max_threads() -> int:
    """The threads a run uses when not told (all cores OpenMP sees)."""
    return _core.max_threads()


def build_info() -> dict[str, Any]:
    """How the core was built: compiler, flags, OpenMP, SIMD versions (a copy)."""
    return dict(_core.build_info)


def has_openmp() -> bool:
    """Whether the core was built with OpenMP (else ``n_threads`` is ignored)."""
    return bool(_core.build_info["openmp"])


def simd_level() -> str:
    """The SIMD version of the hot loops in use on this machine."""
    return _core.simd_level()


def per_step_transition(
    yearly: npt.NDArray[np.float64], steps_per_year: int
) -> npt.NDArray[np.float64]:
    """The per-step transition matrix of a yearly one.

    Parameters
    ----------
    yearly
        Row-stochastic yearly matrix, regimes by regimes.
    steps_per_year
        k: the result is the principal real k-th root (docs/model.md §18).

    Raises
    ------
    InputError
        Naming ``market.transition`` when no stochastic k-th root exists.
    """
    return np.asarray(_core.per_step_transition(yearly, steps_per_year), dtype=np.float64)
