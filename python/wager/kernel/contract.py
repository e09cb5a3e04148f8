"""The dicts the core reads, defined once: every key, with its type.

The compile layer builds each dict as one of these TypedDicts, so mypy
refuses a missing, misspelt or extra key at build time; the core refuses
them again at run time, naming the key (``cpp/bindings/*_from_dict.cpp``).
Money in US$ bn; per-year lists have one value per year of the horizon.

The whole numbers a run hands the core (paths, seed, threads, chunk and
batch sizes) are checked once, by :func:`whole_number`: an ``int``, a NumPy
integer or an integral float (``1e6``) is taken as the ``int`` it is; a
bool, a fractional or non-finite float and anything else are refused,
naming the argument, before any work starts.
"""

from __future__ import annotations

import functools
import math
import numbers
import os
from typing import TypedDict

__all__ = [
    "MAX_PATHS",
    "MAX_THREADS",
    "SEED_LIMIT",
    "ConfigDict",
    "ContractDict",
    "CostDict",
    "DistributionDict",
    "EquityDict",
    "HistogramDict",
    "InputDict",
    "ManagementDict",
    "ModelDict",
    "RegimeDict",
    "SegmentDict",
    "ShockDict",
    "StrategyDict",
    "TrancheDict",
    "WorldDict",
    "local_thread_limit",
    "usable_cpus",
    "whole_number",
]

#: Paths of one run at most: 2**53, the largest count a float (``1e6``)
#: still gives exactly; a run that large takes years at any speed.
MAX_PATHS = 2**53
#: Threads of one core call at most, on any backend (each thread holds its
#: own partial statistics: about 4 MB per strategy).
MAX_THREADS = 1024
#: Seeds are 64-bit: ``0 <= seed < SEED_LIMIT``.
SEED_LIMIT = 2**64


def whole_number(
    value: object, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int:
    """``value`` as an ``int``, refused unless it is a whole number in range.

    Parameters
    ----------
    value
        An ``int``, a NumPy integer, or a float (or NumPy float) with an
        integral value such as ``1e6``.
    name
        The argument's name, for the error messages.
    minimum, maximum
        The bounds, inclusive (None: none).

    Returns
    -------
    int
        The value, as the plain ``int`` a manifest records.

    Raises
    ------
    TypeError
        For a bool (``True`` is not one path), a string or any other type.
    ValueError
        For a fractional, NaN or infinite float, or a value out of range.
    """
    if isinstance(value, bool) or type(value).__name__ in ("bool", "bool_"):  # NumPy's too
        raise TypeError(f"{name} must be a whole number, got the bool {value!r}")
    if isinstance(value, int | numbers.Integral):  # int first: the common case
        n = int(value)
    elif isinstance(value, numbers.Real):  # floats, NumPy floats, fractions
        x = float(value)
        if not math.isfinite(x):
            raise ValueError(f"{name} must be a whole number, got {x!r}")
        if not x.is_integer():
            raise ValueError(f"{name} must be a whole number, got {x!r}")
        n = int(x)
    else:
        raise TypeError(f"{name} must be a whole number, got {type(value).__name__} {value!r:.40}")
    if minimum is not None and n < minimum:
        raise ValueError(f"{name} must be >= {minimum:,}, got {n:,}")
    if maximum is not None and n > maximum:
        raise ValueError(f"{name} must be <= {maximum:,}, got {n:,}")
    return n


@functools.lru_cache(maxsize=1)
def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask; read once)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def local_thread_limit() -> int:
    """The most threads a run in this process may ask for: four times the
    CPUs it may use, and at most :data:`MAX_THREADS`. More threads than
    cores run no faster; each adds its own partial statistics."""
    return min(MAX_THREADS, 4 * usable_cpus())


class SegmentDict(TypedDict):
    """One revenue segment (``docs/model.md`` §2)."""

    name: str
    revenue: list[float]
    inference_cost_ratio: list[float]
    price_change: list[float]
    demand_beta: float
    volatility: float
    persistence: float


class RegimeDict(TypedDict):
    """One market regime's effects (``docs/model.md`` §17)."""

    name: str
    demand_growth: float
    price_change: float
    valuation_multiple: float
    raise_success: float
    spot_price: float
    resale_share: float
    credit_spread: float
    discount_rate: float
    support_odds: float
    spot_lead_time: float
    dcf_weight: float


class CostDict(TypedDict):
    """An operating cost line: a fixed amount plus a share of revenue, per year."""

    fixed: list[float]
    of_revenue: list[float]


class TrancheDict(TypedDict):
    """Committed investor money: when (years from the start), how much, at what valuation."""

    time: float
    amount: float
    post_money: float
    per_delivery: bool


class ScoreDict(TypedDict):
    """How the odds of funding read the company: ``wager::FundingScore``."""

    sensitivity: float
    reference: float
    margin_weight: float
    floor: float
    cap: float
    start: float
    prior_revenue: float


class EquityDict(TypedDict):
    """The equity-raising policy."""

    enabled: bool
    trigger_runway: float
    target_runway: float
    max_dilution: float
    min_interval: float
    score: ScoreDict


class DebtMaturityDict(TypedDict):
    """A principal payment: ``wager::DebtMaturity``."""

    time: float
    amount: float


class ManagementDict(TypedDict):
    """What management does when runway runs short."""

    enabled: bool
    trigger_runway: float
    cut_training: float
    cut_opex: float
    renegotiate: float
    penalty: float
    penalty_upfront: bool


class ContractDict(TypedDict):
    """One take-or-pay contract: its name, its supplier and its payments,
    US$ bn per year (``docs/model.md`` §27)."""

    name: str
    counterparty: str
    payments: list[float]


class ResolutionDict(TypedDict):
    """How distress is resolved (``docs/model.md`` §27)."""

    enabled: bool
    duration: float
    cost: float
    terminal_growth: float
    asset_sale_fraction: float
    cap_rejection: bool


class ModelDict(TypedDict):
    """One strategy's model: ``wager::Model`` (``compile.model.kernel_model``)."""

    start_year: int
    n_years: int
    steps_per_year: int
    segments: list[SegmentDict]
    regimes: list[RegimeDict]
    initial_regime: int
    training: list[float]
    commitments: list[float]
    supported_commitments: list[float]
    support_defers: bool
    contracts: list[ContractDict]
    capex: list[float]
    initial_assets: float
    capacity_per_dollar: float
    depreciation_life: float
    impairment: list[float]
    staff: CostDict
    sales_marketing: CostDict
    general_admin: CostDict
    stock_based_pay: CostDict
    initial_cash: float
    cash_yield: float
    tranches: list[TrancheDict]
    valuation_scale: list[float]
    equity: EquityDict
    initial_debt: float
    debt_rate: list[float]
    debt_maturities: list[DebtMaturityDict]
    credit_limit: float
    credit_revolving: bool
    credit_secured: bool
    liquidity_covenant: bool
    min_liquidity: float
    tax_rate: float
    backstop: bool
    management: ManagementDict
    resolution: ResolutionDict


class _ShockPythonKeys(TypedDict, total=False):
    #: Not the core's: the bet whose distress starts the shock, by name, until
    #: ``compile.contagion.link_contagion`` sets ``trigger_strategy`` from it
    #: (the core refuses the key).
    trigger_bet: str


class ShockDict(_ShockPythonKeys):
    """One shock on one model field (``compile.shocks``; ``docs/stress.md``)."""

    field: str
    label: str
    op: str
    value: float
    value_by_year: list[float]
    severity: float
    start: float
    trigger_regime: int
    trigger_strategy: int
    trigger_after: float
    duration: float
    shape: str
    ramp: float
    half_life: float
    failure: bool
    contract: int


class DistributionDict(TypedDict):
    """A distribution in the core's canonical form, with its bounds."""

    kind: str
    a: float
    b: float
    c: float
    lower: float
    upper: float


class InputDict(TypedDict):
    """One uncertain input and the model parameters it moves (exact linear weights)."""

    name: str
    distribution: DistributionDict
    central: float
    targets: list[int]
    weights: list[float]


class StrategyDict(TypedDict):
    """One cell of a run: a model, its inputs and copula factor, its shocks,
    and its input rows (empty: the inputs are drawn)."""

    model: ModelDict
    inputs: list[InputDict]
    cholesky: list[float]
    shocks: list[ShockDict]
    input_rows: list[float]
    input_row_paths: int


class WorldDict(TypedDict):
    """The world every cell of a run shares (``compile.world``)."""

    initial_regime: int
    n_regimes: int
    step_transition: list[float]
    pinned: list[int]
    factor_volatility: float
    factor_persistence: float


class HistogramDict(TypedDict):
    """The asinh-scale bins of the statistics (``kernel.layout.HistogramSpec``)."""

    scale: float
    bins_per_unit: float
    n_bins: int


class ConfigDict(TypedDict):
    """One core run (``compile.run_config.simulation_config``)."""

    strategies: list[StrategyDict]
    world: WorldDict
    seed: int
    n_paths: int
    first_path: int
    n_threads: int
    chunk_paths: int
    keep_paths: bool
    histogram: HistogramDict
    world_period: int
    pairs: list[tuple[int, int]]
