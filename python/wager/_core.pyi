"""Type stubs for the compiled module ``wager._core`` (private)."""

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from wager.kernel.contract import ConfigDict, DistributionDict, ModelDict, ShockDict

build_info: dict[str, Any]

class InputError(ValueError): ...
class NonFiniteError(FloatingPointError): ...

def project(
    model: ModelDict,
    regime_path: list[int] = ...,
    record_steps: bool = False,
    shocks: list[ShockDict] = ...,
) -> dict[str, Any]:
    """Deterministic projection of one model dict, with shocks (a stress) if given.

    Returns ``start_year``, ``columns`` (list of str), ``values`` (float64
    array [variable, year]), ``segment_revenue`` ([segment, year]), ``events``
    (dict) and, with ``record_steps``, ``step_values`` and
    ``step_segment_revenue`` ([., step]).
    """

def simulate(
    config: ConfigDict,
    progress: Callable[[int, int], object] | None = None,
    batch_paths: int = 65536,
    grow_below_seconds: float = 0.0,
) -> list[dict[str, Any]]:
    """Monte Carlo over a config dict; one dict of merged statistics per strategy.

    The first batch has ``batch_paths`` paths; with ``grow_below_seconds`` > 0 a
    batch faster than that doubles the next. Results never depend on batches.
    Raises ``InputError`` naming the field of an invalid config, and
    ``NonFiniteError`` when NaN or infinity appeared in a strategy's or a
    pair's series (the core's ``allow_non_finite`` is not set from a dict).
    """

def simulate_paired(
    config: ConfigDict,
    progress: Callable[[int, int], object] | None = None,
    batch_paths: int = 65536,
    grow_below_seconds: float = 0.0,
) -> dict[str, Any]:
    """``simulate`` with ``config["pairs"]``: ``{"strategies": [...], "pairs": [...]}``.

    Each pair ``(a, b)`` gives the statistics of strategy b minus strategy a,
    path by path: ``sum``, ``sum_squares``, ``histogram``, ``non_finite`` (laid
    out as a strategy's series), ``joint_default`` and ``joint_profit``
    ([year, 4]: paths by (a by then, b by then) = 00, 01, 10, 11) and
    ``overtake`` ([2, year or never]) and ``joint_loss`` (docs/model.md §28,
    the joint view: ``counterparties`` and ``bound`` [k, 2], ``grid`` and
    ``combined`` as series).
    """

def parameters(model: ModelDict) -> tuple[list[str], npt.NDArray[np.float64]]:
    """Names and values of a model's numeric parameters, in the core's order."""

def distribution_quantiles(
    spec: DistributionDict, z: npt.ArrayLike, exact: bool = False
) -> npt.NDArray[np.float64]:
    """F^-1(Phi(z)) for a distribution spec, elementwise: as a simulation draws it
    (PERT and Student t from their tables), or exactly."""

def per_step_transition(yearly: npt.ArrayLike, steps_per_year: int) -> npt.NDArray[np.float64]:
    """The per-step transition matrix P with P^k = yearly, k = steps_per_year:
    the principal real k-th root, entries in [-1e-10, 0) set to 0 and rows
    renormalised (docs/model.md §18). Raises ``InputError`` naming
    ``market.transition`` when there is no such stochastic root."""

def philox4x64(counter: list[int], key: list[int], rounds: int = 10) -> list[int]: ...
def philox4x32(counter: list[int], key: list[int], rounds: int = 10) -> list[int]: ...
def input_normals(
    seed: int, first_path: int, n_paths: int, n_inputs: int
) -> npt.NDArray[np.float64]:
    """The standard normals a simulation gives its uncertain inputs, [path, input]."""

def max_threads() -> int: ...
def simd_level() -> str: ...
