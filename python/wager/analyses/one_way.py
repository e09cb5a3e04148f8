"""``wager.sensitivity``: one-way sensitivity of any input, without distributions.

Each input, named as a stress names its target (``segments.*.revenue``,
``market.regimes.bust.raise_success``, ``compute.commitments.largest``,
``docs/stress.md``), moves alone to its central value x (1 - change) and x
(1 + change) over the whole horizon: a ``scale`` shock of 1 -/+ change on
that target (a series moves as a whole, a ``*`` moves every item). Every
move is one cell of a single core call, next to the scenario as written:
all cells see the same random worlds path by path, so each difference is
the input's doing and its standard error comes from the paired paths
(common random numbers). Each cell also gets its deterministic projection.

The metrics (:data:`ONE_WAY_METRICS`), all read in ``year``:

- Monte Carlo: ``p_distress`` (P(distress by ``year``), ``docs/model.md``
  §27), ``p_profit`` (P(first operating profit by ``year``)),
  ``terminal_dcf_value_today`` and ``terminal_equity_value`` (means, US$ bn);
- deterministic (the central projection, ``wager.project``): ``det_cash``,
  ``det_operating_income``, ``det_free_cash_flow``, ``det_revenue`` (in
  ``year``, US$ bn), ``det_distress_year`` and ``det_first_profit_year``
  (none by the horizon = the year after it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, cast

import numpy as np
import pandas as pd
from pydantic import ValidationError

from wager.analyses import defaults
from wager.analyses.projection import Projection, project
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.compile.actuals import start_from_actuals
from wager.compile.memory import check_fits, run_bytes
from wager.compile.model import kernel_model
from wager.compile.prepared import prepare_strategy
from wager.compile.shocks import core_shocks
from wager.compile.uncertainty import central_scenario
from wager.kernel import core
from wager.kernel.contract import ShockDict, whole_number
from wager.kernel.execution import Backend
from wager.kernel.layout import OUTCOMES, STAT_VARIABLES, HistogramSpec
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Presentable
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.scenario.stress_library import StressError
from wager.scenario.stress_schema import Shock, Stress
from wager.stats.estimators import join_int128, mean_and_se

__all__ = [
    "DETERMINISTIC_METRICS",
    "MONTE_CARLO_METRICS",
    "ONE_WAY_METRICS",
    "OneWaySensitivity",
    "default_inputs",
    "sensitivity",
]

#: The Monte Carlo metrics, each read in ``year``.
MONTE_CARLO_METRICS = (
    "p_distress",
    "p_profit",
    "terminal_dcf_value_today",
    "terminal_equity_value",
)
#: The deterministic metrics: the central projection in ``year``.
DETERMINISTIC_METRICS = (
    "det_cash",
    "det_operating_income",
    "det_free_cash_flow",
    "det_revenue",
    "det_distress_year",
    "det_first_profit_year",
)
ONE_WAY_METRICS = MONTE_CARLO_METRICS + DETERMINISTIC_METRICS
OneWayMetric = Literal[
    "p_distress",
    "p_profit",
    "terminal_dcf_value_today",
    "terminal_equity_value",
    "det_cash",
    "det_operating_income",
    "det_free_cash_flow",
    "det_revenue",
    "det_distress_year",
    "det_first_profit_year",
]

#: The statistics of the one-way run: only means and counts are read, so
#: the histograms are coarse (each cell and pair holds one).
_HISTOGRAM = HistogramSpec(scale=0.01, bins_per_unit=5.0, n_bins=200)

#: The candidates of the default inputs, in order; ``{segment}`` and
#: ``{regime}`` expand to each of the scenario's. A candidate whose fields
#: are all zero (a scale would not move it) is left out.
DEFAULT_CANDIDATES = (
    "segments.{segment}.revenue",
    "segments.{segment}.inference_cost_ratio",
    "compute.training",
    "compute.capex",
    "compute.commitments.*",
    *(
        f"costs.{line}.{part}"
        for line in ("staff", "sales_marketing", "general_admin", "stock_based_pay")
        for part in ("fixed", "of_revenue")
    ),
    "financing.initial_cash",
    "financing.tranches.*.amount",
    "financing.debt.rate",
    "financing.debt.credit_limit",
    "market.regimes.{regime}.raise_success",
    "market.regimes.{regime}.valuation_multiple",
)


@dataclass(frozen=True, repr=False)
class OneWaySensitivity(Exportable, Presentable):
    """The result of :func:`sensitivity`.

    Attributes
    ----------
    table
        Tidy: one row per (input, metric), inputs ranked by the swing of
        ``metric`` (largest first), metrics in :data:`ONE_WAY_METRICS`
        order. Columns: ``kind`` (monte_carlo or deterministic),
        ``central`` (the scenario as written), ``low`` and ``high`` (the
        input x (1 - change) and x (1 + change)), each with its own
        standard error (``central_se``, ``low_se``, ``high_se``; 0 for a
        deterministic metric), ``low_change`` = low - central and
        ``high_change`` = high - central with their paired standard errors
        (``low_change_se``, ``high_change_se``), ``effect`` = high - low,
        ``swing`` = |effect| and ``swing_se``, from the paired paths.
    metric
        The metric that ranks the inputs (and that :meth:`ranked`, the
        headline and the chart show by default).
    inputs
        The inputs, as given (or the defaults), in the order run.
    """

    metric: str
    year: int
    change: float
    inputs: tuple[str, ...]
    monte_carlo: bool
    table: pd.DataFrame
    n_paths: int
    seed: int
    scenario: Scenario

    def __repr__(self) -> str:
        top = ", ".join(self.ranked().index[:3])
        return (
            f"OneWaySensitivity({self.scenario.name!r}, +/-{self.change:g}, {self.metric} "
            f"by {self.year}; largest swings: {top})"
        )

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metrics the table holds."""
        return ONE_WAY_METRICS if self.monte_carlo else DETERMINISTIC_METRICS

    @property
    def central(self) -> float:
        """``metric`` for the scenario as written."""
        return float(self.table.xs(self.metric, level="metric")["central"].iloc[0])

    def ranked(self, metric: str | None = None) -> pd.DataFrame:
        """One metric's rows, index input, ranked by swing (largest first):
        the tornado's table."""
        metric = _check_metric(metric or self.metric, self.monte_carlo)
        one = cast(pd.DataFrame, self.table.xs(metric, level="metric")).drop(columns="kind")
        return one.sort_values("swing", ascending=False, kind="stable", na_position="last")

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: one table ``oneway_<metric>`` per metric (short enough
        for an Excel sheet's name) (variable = input, statistic = column), typed as
        ``wager.results.export.DTYPES``."""
        return tidy_frame(
            [
                tidy_rows(
                    f"oneway_{m}",
                    cast(pd.DataFrame, self.table.xs(m, level="metric")).drop(columns="kind"),
                    strategy=self.scenario.name,
                    index_as=("variable",),
                )
                for m in self.metrics
            ]
        )

    def manifest(self) -> dict[str, Any]:
        """The run manifest."""
        return run_manifest(
            "sensitivity",
            [self.scenario],
            seed=self.seed if self.monte_carlo else None,
            n_paths=self.n_paths if self.monte_carlo else None,
            extra={
                "metric": self.metric,
                "year": self.year,
                "change": self.change,
                "inputs": list(self.inputs),
                "monte_carlo": self.monte_carlo,
            },
        )


def _check_metric(metric: str, monte_carlo: bool) -> OneWayMetric:
    allowed = ONE_WAY_METRICS if monte_carlo else DETERMINISTIC_METRICS
    if metric not in allowed:
        extra = "" if monte_carlo or metric not in MONTE_CARLO_METRICS else " (without Monte Carlo)"
        raise ValueError(f"metric must be one of {', '.join(allowed)}{extra}, got {metric!r}")
    return cast(OneWayMetric, metric)


def _check_change(change: float) -> float:
    if isinstance(change, bool) or not isinstance(change, int | float):
        raise TypeError(f"change must be a number, got {type(change).__name__}")
    x = float(change)
    if not (math.isfinite(x) and 0.0 < x < 1.0):
        raise ValueError(f"change must be a fraction in (0, 1) (0.1 = +/-10%), got {change!r}")
    return x


def _year(sc: Scenario, year: int | None) -> int:
    by = sc.time.horizon if year is None else whole_number(year, "year")
    if not sc.time.start_year <= by <= sc.time.horizon:
        raise ValueError(f"year {by} is outside the horizon {sc.time.start_year}-{sc.time.horizon}")
    return by


def _stress(target: str, factor: float) -> Stress:
    """The move as a stress: a whole-horizon scale of ``factor`` on ``target``."""
    return Stress(name="one_way", shocks=[Shock(target=target, op="scale", value=factor)])


def _shocks(target: str, factor: float, sc: Scenario) -> list[ShockDict]:
    """The core's shocks of one move, or a StressError naming the input."""
    if not isinstance(target, str) or not target:
        raise TypeError(f"an input is a target path such as 'segments.*.revenue', got {target!r}")
    try:
        return core_shocks(_stress(target, factor), sc)
    except StressError as err:
        reason = "; ".join(why for _, why in err.problems)
    except ValidationError as err:  # not a target path at all
        reason = "; ".join(e["msg"] for e in err.errors())
    raise StressError(f"sensitivity input {target!r}", [("", reason)])


def default_inputs(scenario: Scenario | dict[str, Any]) -> list[str]:
    """The inputs :func:`sensitivity` moves when given none.

    Each segment's revenue and inference cost ratio; training, capex and
    every commitment together; each cost line's fixed part and share of
    revenue; the initial cash, every tranche's amount together, the debt's
    rate and credit limit; each regime's ``raise_success`` and
    ``valuation_multiple`` (:data:`DEFAULT_CANDIDATES`). A candidate whose
    values are all zero in the scenario (a scale would not move it) is
    left out.
    """
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    names, values = core.parameters(kernel_model(central_scenario(sc)))
    size: dict[str, float] = {}
    for name, value in zip(names, np.abs(np.asarray(values, dtype=float)), strict=True):
        field = name.rsplit("[", 1)[0] if name.endswith("]") else name
        size[field] = max(size.get(field, 0.0), float(value))
    out: list[str] = []
    for pattern in DEFAULT_CANDIDATES:
        if "{segment}" in pattern:
            targets = [pattern.format(segment=s) for s in sc.segments]
        elif "{regime}" in pattern:
            targets = [pattern.format(regime=r) for r in sc.market.regimes]
        else:
            targets = [pattern]
        for target in targets:
            shocks = _shocks(target, 2.0, sc)  # a contract shows as the change it makes
            moved = any(
                any(v != 0.0 for v in s["value_by_year"])
                if s["value_by_year"]
                else size.get(s["field"], 0.0) > 0.0
                for s in shocks
            )
            if moved:
                out.append(target)
    return out


def _deterministic(p: Projection, year: int) -> dict[str, float]:
    a: dict[Any, Any] = p.annual.loc[year].to_dict()
    never = float(p.scenario.time.horizon + 1)
    e = p.events
    return {
        "det_cash": float(a["cash"]),
        "det_operating_income": float(a["operating_income"]),
        "det_free_cash_flow": float(a["free_cash_flow"]),
        "det_revenue": float(a["revenue"]),
        "det_distress_year": float(e.distress_year) if e.distress_year is not None else never,
        "det_first_profit_year": (
            float(e.first_profit_year) if e.first_profit_year is not None else never
        ),
    }


def _outcome_row(sc: Scenario, name: str) -> int:
    return len(STAT_VARIABLES) * sc.time.n_years + OUTCOMES.index(name)


def _cell(raw: dict[str, Any], sc: Scenario, year: int) -> dict[str, tuple[float, float]]:
    """The Monte Carlo metrics of one cell, each (value, standard error)."""
    n = int(raw["n_paths"])
    upto = year - sc.time.start_year + 1
    out: dict[str, tuple[float, float]] = {}
    for metric, counts in (("p_distress", "default_year"), ("p_profit", "first_profit_year")):
        p = float(np.sum(raw[counts][:upto])) / n
        out[metric] = (p, math.sqrt(p * (1 - p) / n))
    s1, s2 = join_int128(raw["sum"]), join_int128(raw["sum_squares"])
    mean, se = mean_and_se(s1, s2, n)
    for metric in ("terminal_dcf_value_today", "terminal_equity_value"):
        i = _outcome_row(sc, metric)
        out[metric] = (float(mean[i]), float(se[i]))
    return out


def _pair(raw: dict[str, Any], sc: Scenario, year: int) -> dict[str, tuple[float, float]]:
    """Cell b minus cell a of one pair, each metric (difference, standard
    error), path by path."""
    n = int(raw["n_paths"])
    at = year - sc.time.start_year
    out: dict[str, tuple[float, float]] = {}
    for metric, joint in (("p_distress", "joint_default"), ("p_profit", "joint_profit")):
        c = np.asarray(raw[joint][at], dtype=float)  # (a, b) by then: 00, 01, 10, 11
        d = (c[1] - c[2]) / n
        out[metric] = (d, math.sqrt(max((c[1] + c[2]) / n - d * d, 0.0) / n))
    s1, s2 = join_int128(raw["sum"]), join_int128(raw["sum_squares"])
    mean, se = mean_and_se(s1, s2, n)
    for metric in ("terminal_dcf_value_today", "terminal_equity_value"):
        i = _outcome_row(sc, metric)
        out[metric] = (float(mean[i]), float(se[i]))
    return out


def _monte_carlo(
    sc: Scenario,
    moves: list[tuple[list[ShockDict], list[ShockDict]]],
    year: int,
    options: RunOptions,
) -> tuple[dict[str, tuple[float, float]], list[dict[str, dict[str, tuple[float, float]]]]]:
    """The central cell's metrics, and per input its ends' and the paired differences."""
    base = prepare_strategy(sc)
    cells = [base]
    for low, high in moves:
        cells += [base.stressed(low), base.stressed(high)]
    k = len(moves)
    # Per input: high - low, low - central, high - central.
    pairs = [p for i in range(k) for p in ((1 + 2 * i, 2 + 2 * i), (0, 1 + 2 * i), (0, 2 + 2 * i))]
    threads = options.n_threads if options.n_threads is not None else core.max_threads()
    needed = run_bytes(
        n_strategies=len(cells),
        n_pairs=len(pairs),
        n_years=sc.time.n_years,
        n_paths=options.n_paths,
        n_threads=threads,
        n_bins=_HISTOGRAM.n_bins,
        keep_paths=False,
    )
    check_fits(needed, f"a one-way sensitivity of {k} inputs ({options.n_paths:,} paths each)")
    out = run_cells(
        cells, options, what=f"sensitivity {sc.name}", histogram=_HISTOGRAM, pairs=pairs
    )
    values = [_cell(r, sc, year) for r in out["strategies"]]
    diffs = [_pair(r, sc, year) for r in out["pairs"]]
    per_input = [
        {
            "low": values[1 + 2 * i],
            "high": values[2 + 2 * i],
            "swing": diffs[3 * i],
            "low_change": diffs[3 * i + 1],
            "high_change": diffs[3 * i + 2],
        }
        for i in range(k)
    ]
    return values[0], per_input


@documents_run_options
def sensitivity(
    scenario: Scenario | dict[str, Any],
    inputs: Sequence[str] | None = None,
    *,
    change: float = 0.1,
    metric: str | None = None,
    year: int | None = None,
    monte_carlo: bool = True,
    n_paths: int = defaults.SENSITIVITY_PATHS,
    seed: int = defaults.SEED,
    n_threads: int | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> OneWaySensitivity:
    """One-way sensitivity: each input alone at its central value x (1 -
    ``change``) and x (1 + ``change``), ranked by the swing of ``metric``.

    Needs no distributions (the @RISK habit): any field a stress can scale
    is an input. A move is a whole-horizon ``scale`` shock of 1 -/+
    ``change`` on the input's target, run as a stress runs
    (``wager.project`` and ``wager.stress`` with that shock give the same
    numbers); uncertain inputs, if the scenario has any, keep their
    distributions (each scaled with its field).

    Parameters
    ----------
    scenario
        A :class:`wager.Scenario` or a dict in the scenario format.
    inputs
        Target paths in the stresses' syntax (``docs/stress.md``):
        ``segments.<name|*>.<field>`` (``*`` moves every segment together;
        a field by year moves as a whole series),
        ``market.regimes.<name|*>.<field>``,
        ``compute.commitments.<name|*|largest>``,
        ``financing.tranches.<index|*|largest>.<amount|post_money>``, or a
        plain field such as ``financing.initial_cash``. Default:
        :func:`default_inputs`. A target that is unknown, given twice, or
        that cannot take a scale (a switch such as ``distress.backstop``)
        is refused with a :class:`wager.stresses.StressError` naming it,
        before anything runs.
    change
        The relative move, a fraction in (0, 1): 0.1 = -10% and +10%. A moved
        value is clipped to its field's range, as a stress's is (a
        probability to 1: ``docs/stress.md``, "Clipping").
    metric
        What ranks the inputs (:data:`ONE_WAY_METRICS`; the table holds
        every metric): default ``p_distress``, or ``det_cash`` without
        Monte Carlo.
    year
        The year every metric is read in (default: the horizon).
    monte_carlo
        Also run the Monte Carlo (False: the projections only; milliseconds).
    {run: n_paths, seed, n_threads}
    {run: backend}

    Returns
    -------
    OneWaySensitivity
    """
    options = RunOptions(
        n_paths, seed, n_threads, backend=backend, client=client, chunk_paths=chunk_paths
    )  # checked before anything is prepared
    x = _check_change(change)
    monte_carlo = bool(monte_carlo)
    ranking = _check_metric(metric or ("p_distress" if monte_carlo else "det_cash"), monte_carlo)
    sc = start_from_actuals(as_scenario(scenario))  # from the last reported year's end
    by = _year(sc, year)
    if inputs is None:
        targets = default_inputs(sc)
    elif isinstance(inputs, str):
        targets = [inputs]
    else:
        targets = list(inputs)
    if not targets:
        raise ValueError(f"{sc.name}: no inputs to move")
    seen: set[str] = set()
    for t in targets:
        if t in seen:
            raise ValueError(f"input {t!r} is given twice")
        seen.add(t)
    # Every move's shocks, so a bad input is refused before any run.
    moves = [(_shocks(t, 1.0 - x, sc), _shocks(t, 1.0 + x, sc)) for t in targets]
    central_det = _deterministic(project(sc), by)
    ends_det = [
        {
            end: _deterministic(project(sc, stress=_stress(t, f)), by)
            for end, f in (("low", 1.0 - x), ("high", 1.0 + x))
        }
        for t in targets
    ]
    rows: list[dict[str, Any]] = []
    mc_central: dict[str, tuple[float, float]] = {}
    mc_inputs: list[dict[str, dict[str, tuple[float, float]]]] = []
    if monte_carlo:
        mc_central, mc_inputs = _monte_carlo(sc, moves, by, options)
    for i, t in enumerate(targets):
        for m in ONE_WAY_METRICS:
            if m in MONTE_CARLO_METRICS:
                if not monte_carlo:
                    continue
                d = mc_inputs[i]
                c, lo, hi = mc_central[m], d["low"][m], d["high"][m]
                rows.append(
                    {
                        "input": t,
                        "metric": m,
                        "kind": "monte_carlo",
                        "central": c[0],
                        "central_se": c[1],
                        "low": lo[0],
                        "low_se": lo[1],
                        "high": hi[0],
                        "high_se": hi[1],
                        "low_change": d["low_change"][m][0],
                        "low_change_se": d["low_change"][m][1],
                        "high_change": d["high_change"][m][0],
                        "high_change_se": d["high_change"][m][1],
                        "effect": d["swing"][m][0],
                        "swing_se": d["swing"][m][1],
                    }
                )
            else:
                c0, lo0, hi0 = central_det[m], ends_det[i]["low"][m], ends_det[i]["high"][m]
                rows.append(
                    {
                        "input": t,
                        "metric": m,
                        "kind": "deterministic",
                        "central": c0,
                        "central_se": 0.0,
                        "low": lo0,
                        "low_se": 0.0,
                        "high": hi0,
                        "high_se": 0.0,
                        "low_change": lo0 - c0,
                        "low_change_se": 0.0,
                        "high_change": hi0 - c0,
                        "high_change_se": 0.0,
                        "effect": hi0 - lo0,
                        "swing_se": 0.0,
                    }
                )
    table = pd.DataFrame(rows)
    table.insert(list(table.columns).index("effect") + 1, "swing", table["effect"].abs())
    order = (
        table[table["metric"] == ranking]
        .sort_values("swing", ascending=False, kind="stable")["input"]
        .tolist()
    )
    table["_rank"] = table["input"].map({t: r for r, t in enumerate(order)})
    table["_metric"] = table["metric"].map({m: r for r, m in enumerate(ONE_WAY_METRICS)})
    table = (
        table.sort_values(["_rank", "_metric"], kind="stable")
        .drop(columns=["_rank", "_metric"])
        .set_index(["input", "metric"])
    )
    return OneWaySensitivity(
        metric=ranking,
        year=by,
        change=x,
        inputs=tuple(targets),
        monte_carlo=monte_carlo,
        table=table,
        n_paths=options.n_paths,
        seed=options.seed,
        scenario=sc,
    )
