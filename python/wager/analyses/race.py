"""The compute race: two labs selling into one market, each playing its
prudent or its aggressive strategy; the 2 x 2 payoff matrix and its Nash
equilibria (``docs/model.md``, section 26).

Each lab's revenue is its share of a common market. The market is the sum
of the two labs' planned revenues in the reference profile (lab A prudent,
lab B aggressive: the article's world). A lab's share follows its compute
relative to the other's,

    s_A = w_A C_A^g / (w_A C_A^g + w_B C_B^g),

with C the planned compute spend of the year (training, take-or-pay
commitments and capex, US$ bn), g the share sensitivity, and the weights w
calibrated year by year so that the reference profile reproduces both
plans. Playing aggressive multiplies a lab's compute by ``aggression``;
playing prudent divides it. All eight (profile, lab) runs share one core
call: every profile sees the same random worlds.
"""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from wager import presets
from wager.analyses import defaults
from wager.analyses.run import RunOptions, documents_run_options, run_cells
from wager.compile.actuals import one_calendar
from wager.compile.model import kernel_model
from wager.compile.prepared import PreparedStrategy, prepare_strategy
from wager.compile.shocks import core_shocks
from wager.compile.uncertainty import central_scenario
from wager.kernel.contract import ShockDict
from wager.kernel.execution import Backend
from wager.results.export import Exportable, tidy_frame, tidy_rows
from wager.results.manifest import run_manifest
from wager.results.presentation import Plottable, Summarised
from wager.scenario.loader import as_scenario
from wager.scenario.schema import Scenario
from wager.scenario.stress_schema import Stress
from wager.stats.cell_summary import GRID_HISTOGRAM, summary_row
from wager.stats.estimators import join_int128, mean_and_se

__all__ = [
    "CHOICES",
    "RACE_LIMITS",
    "RACE_PARAMETERS",
    "Race",
    "check_race_setting",
    "race",
    "race_sweep",
]

CHOICES = ("prudent", "aggressive")
#: What race_sweep can vary, with the defaults of :func:`race`.
RACE_PARAMETERS = {"share_sensitivity": 1.0, "aggression": 3.0, "funding": 1.0, "bust": 1.0}
#: The range of each setting, inclusive. Beyond a share sensitivity of 10 the
#: contest is winner-takes-all at any compute ratio; an aggression of 100 is
#: a hundredfold compute plan; funding and bust multiply probabilities that
#: are clipped to [0, 1] (a factor of 100 saturates every chain the presets
#: and the docs use).
RACE_LIMITS = {
    "share_sensitivity": (0.0, 10.0),
    "aggression": (0.01, 100.0),
    "funding": (0.0, 100.0),
    "bust": (0.0, 100.0),
}
_Z = 1.959963984540054

Profile = tuple[str, str]


@dataclass(frozen=True, repr=False)
class Race(Exportable, Plottable, Summarised):
    """The result of :func:`race`. Money in US$ bn.

    Attributes
    ----------
    labs
        (lab A, lab B): A's reference strategy is prudent, B's aggressive.
    matrix
        Index (A's choice, B's choice). For each lab (suffix ``_a``, ``_b``):
        ``terminal_equity_value`` (mean) with ``_se``, and ``survival``,
        P(no distress by the horizon), with a 95% Wilson interval (``_low``,
        ``_high``).
    equilibria
        Pure-strategy Nash equilibria on ``payoff`` (point estimates): the
        profiles where neither lab gains by changing its choice alone.
    deviations
        Every unilateral change: the lab, the other's choice, the change,
        and its gain in mean terminal equity value and in survival, each
        with the standard error of the paired difference (both runs on the
        same paths).
    dilemma
        True when (aggressive, aggressive) is an equilibrium and both labs
        would be better off, on ``payoff``, at (prudent, prudent): the
        prisoner's dilemma of the article.
    settings
        share_sensitivity, aggression, funding, bust, payoff.
    """

    labs: tuple[str, str]
    matrix: pd.DataFrame
    equilibria: list[Profile]
    deviations: pd.DataFrame
    dilemma: bool
    settings: dict[str, Any]
    n_paths: int
    seed: int
    scenarios: tuple[Scenario, Scenario] = field(repr=False)
    multipliers: pd.DataFrame = field(repr=False)

    def __repr__(self) -> str:
        eq = ", ".join(f"({x}, {y})" for x, y in self.equilibria) or "none"
        return (
            f"Race({self.labs[0]!r} vs {self.labs[1]!r}, n_paths={self.n_paths:,}: "
            f"equilibria {eq}; dilemma {self.dilemma})"
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy rows: table ``race`` (variable = "A's choice/B's choice",
        statistic = a matrix column), ``race_deviations`` (strategy = the
        lab, variable = "the other plays <choice>") and ``race_multipliers``
        (revenue multipliers by year); typed as ``wager.results.export.DTYPES``."""
        m = self.matrix.copy()
        m.index = pd.Index([f"{x}/{y}" for x, y in m.index])
        d = self.deviations.set_index(["lab", "other plays"])
        d = d.drop(columns=["from", "to"])
        d.index = pd.Index([f"{lab}: other plays {o}" for lab, o in d.index])
        return tidy_frame(
            [
                tidy_rows("race", m, index_as=("variable",)),
                tidy_rows("race_deviations", d, index_as=("variable",)),
                tidy_rows("race_multipliers", self.multipliers),
            ]
        )

    def manifest(self) -> dict[str, Any]:
        """The run manifest, with the race's settings and equilibria."""
        return run_manifest(
            "race",
            list(self.scenarios),
            seed=self.seed,
            n_paths=self.n_paths,
            extra={
                **self.settings,
                "equilibria": [list(e) for e in self.equilibria],
                "dilemma": self.dilemma,
            },
        )


def check_race_setting(name: str, value: object) -> float:
    """``value`` as the float the race uses for setting ``name``.

    Raises
    ------
    TypeError
        If it is not a real number (a bool or a string).
    ValueError
        If it is NaN, infinite, or outside :data:`RACE_LIMITS`.
    """
    lo, hi = RACE_LIMITS[name]
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in [{lo:g}, {hi:g}], got {value!r:.40}")
    v = float(value)
    if not (math.isfinite(v) and lo <= v <= hi):
        raise ValueError(f"{name} must be a number in [{lo:g}, {hi:g}], got {v!r}")
    return v


def _with_bust(sc: Scenario, bust: float) -> Scenario:
    """The scenario with every regime's yearly probability of moving into
    ``bust`` times ``bust`` (capped so that the row stays a distribution),
    the rest of each row rescaled to keep its sum."""
    if bust == 1.0 or "bust" not in sc.market.regimes:
        return sc
    rows = {}
    for origin, row in sc.market.transition.items():
        p = min(row.get("bust", 0.0) * bust, 1.0)
        rest = sum(v for k, v in row.items() if k != "bust")
        scale = (1.0 - p) / rest if rest > 0 else 0.0
        new = {k: (p if k == "bust" else v * scale) for k, v in row.items()}
        if "bust" not in new:
            new["bust"] = p
        rows[origin] = new
    market = sc.market.model_copy(update={"transition": rows})
    return sc.model_copy(update={"market": market})


def _plans(sc: Scenario) -> tuple[np.ndarray, np.ndarray]:
    """Planned revenue and compute spend (training + commitments + capex) per year, central."""
    m = kernel_model(central_scenario(sc))
    revenue = np.sum([seg["revenue"] for seg in m["segments"]], axis=0)
    compute = np.asarray(m["training"]) + np.asarray(m["commitments"]) + np.asarray(m["capex"])
    return np.asarray(revenue, dtype=float), compute


def _shocks(
    sc: Scenario, compute_factor: float, revenue_by_year: np.ndarray, funding: float
) -> list[ShockDict]:
    """The core shocks of one lab in one profile: its compute, its share, the funding."""
    items: list[dict[str, Any]] = []  # stresses, validated below
    if compute_factor != 1.0:
        targets = ["compute.training", "compute.capex", "compute.commitments.*"]
        items.append(
            {
                "name": "race_compute",
                "shocks": [{"target": t, "op": "scale", "value": compute_factor} for t in targets],
            }
        )
    if funding != 1.0:
        items.append(
            {
                "name": "race_funding",
                "shocks": [
                    {"target": "market.regimes.*.raise_success", "op": "scale", "value": funding}
                ],
            }
        )
    out = core_shocks([Stress.model_validate(i) for i in items], sc) if items else []
    if np.all(revenue_by_year == 1.0):
        return out
    for i in range(len(sc.segments)):
        out.append(
            {
                "field": f"segments[{i}].revenue",
                "label": "race.share",
                "op": "scale",
                "value": 1.0,
                "value_by_year": [float(v) for v in revenue_by_year],
                "severity": 1.0,
                "start": 0.0,
                "trigger_regime": -1,
                "trigger_strategy": -1,
                "trigger_after": 0.0,
                "duration": math.inf,
                "shape": "step",
                "ramp": 1.0,
                "half_life": 1.0,
                "failure": False,
                "contract": -1,
            }
        )
    return out


def _equilibria(values: dict[tuple[Profile, str], float]) -> list[Profile]:
    out = []
    for ca, cb in itertools.product(CHOICES, CHOICES):
        other_a = CHOICES[1 - CHOICES.index(ca)]
        other_b = CHOICES[1 - CHOICES.index(cb)]
        a_ok = values[((ca, cb), "a")] >= values[((other_a, cb), "a")]
        b_ok = values[((ca, cb), "b")] >= values[((ca, other_b), "b")]
        if a_ok and b_ok:
            out.append((ca, cb))
    return out


@documents_run_options
def race(
    a: Scenario | dict[str, Any] | None = None,
    b: Scenario | dict[str, Any] | None = None,
    *,
    share_sensitivity: float = 1.0,
    aggression: float = 3.0,
    funding: float = 1.0,
    bust: float = 1.0,
    payoff: str = "terminal_equity_value",
    n_paths: int = defaults.RACE_PATHS,
    seed: int = defaults.SEED,
    n_threads: int | None = None,
    backend: Backend = "local",
    client: Any = None,
    chunk_paths: int | None = None,
) -> Race:
    """The 2 x 2 compute race between lab A (prudent by plan) and lab B
    (aggressive by plan) in one shared market.

    Parameters
    ----------
    a, b
        The labs' scenarios (default: the ``profitability`` and
        ``compute_first`` presets). They must share a market and a calendar.
    share_sensitivity
        g in the share function: 0 = compute does not move shares, 1 =
        shares move in proportion to relative compute (the default), > 1 =
        more than proportionally. In [0, 10].
    aggression
        Factor on compute spend between the two choices: A's aggressive
        strategy spends ``aggression`` times its plan, B's prudent strategy
        its plan divided by ``aggression``. In [0.01, 100].
    funding
        Multiplies every regime's probability that an equity raise
        succeeds. In [0, 100].
    bust
        Multiplies every regime's yearly probability of moving into
        ``bust``. In [0, 100].
    payoff
        ``terminal_equity_value`` (mean) or ``survival`` for the equilibria.
    {run: n_paths, seed, n_threads}
    {run: backend}

    Raises
    ------
    TypeError, ValueError
        Naming a setting that is not finite or outside its range of
        :data:`RACE_LIMITS`, before anything runs.
    """
    if payoff not in ("terminal_equity_value", "survival"):
        raise ValueError(f"payoff must be terminal_equity_value or survival, got {payoff!r}")
    share_sensitivity = check_race_setting("share_sensitivity", share_sensitivity)
    aggression = check_race_setting("aggression", aggression)
    funding = check_race_setting("funding", funding)
    bust = check_race_setting("bust", bust)
    options = RunOptions(
        n_paths, seed, n_threads, backend=backend, client=client, chunk_paths=chunk_paths
    )  # checked before anything is prepared
    # Each lab from its last reported year's end, when it has actuals.
    lab_a = as_scenario(a if a is not None else presets.load("profitability"))
    lab_b = as_scenario(b if b is not None else presets.load("compute_first"))
    lab_a, lab_b = (_with_bust(lab, bust) for lab in one_calendar([lab_a, lab_b]))
    if lab_a.name == lab_b.name:
        raise ValueError("the two labs need distinct names")
    rev_a, comp_a = _plans(lab_a)
    rev_b, comp_b = _plans(lab_b)
    market = rev_a + rev_b
    g = float(share_sensitivity)
    tiny = 1e-12
    # Weights that make the reference profile reproduce both plans.
    ref_ratio = np.divide(rev_a, np.maximum(rev_b, tiny))
    w_ratio = ref_ratio / np.power(np.maximum(comp_a, tiny) / np.maximum(comp_b, tiny), g)
    factors = {
        ("a", "prudent"): 1.0,
        ("a", "aggressive"): aggression,
        ("b", "prudent"): 1.0 / aggression,
        ("b", "aggressive"): 1.0,
    }
    prepared: list[PreparedStrategy] = []
    keys: list[tuple[Profile, str]] = []
    multipliers = {}
    base_a, base_b = prepare_strategy(lab_a), prepare_strategy(lab_b)
    for ca, cb in itertools.product(CHOICES, CHOICES):
        fa, fb = factors[("a", ca)], factors[("b", cb)]
        rel = np.power(np.maximum(fa * comp_a, tiny) / np.maximum(fb * comp_b, tiny), g)
        share_a = w_ratio * rel / (1.0 + w_ratio * rel)
        m_a = np.where(rev_a > 0, market * share_a / np.maximum(rev_a, tiny), 1.0)
        m_b = np.where(rev_b > 0, market * (1.0 - share_a) / np.maximum(rev_b, tiny), 1.0)
        if not (np.all(np.isfinite(m_a)) and np.all(np.isfinite(m_b))):
            raise ValueError(
                f"share_sensitivity={g:g} with aggression={aggression:g} makes the market "
                f"shares of ({ca}, {cb}) overflow: give smaller values"
            )
        if (ca, cb) == ("prudent", "aggressive"):
            # The reference profile is each plan, bit for bit (not 1 +- rounding).
            m_a, m_b = np.ones_like(m_a), np.ones_like(m_b)
        multipliers[(ca, cb, lab_a.name)] = m_a
        multipliers[(ca, cb, lab_b.name)] = m_b
        prepared.append(base_a.stressed(_shocks(lab_a, fa, m_a, funding)))
        keys.append(((ca, cb), "a"))
        prepared.append(base_b.stressed(_shocks(lab_b, fb, m_b, funding)))
        keys.append(((ca, cb), "b"))
    # Paired unilateral deviations: the same lab, the other's choice fixed.
    deviations: list[tuple[str, str, str, str]] = []
    pairs = []
    for lab in ("a", "b"):
        for other in CHOICES:
            frm, to = "aggressive", "prudent"
            prof_from = (frm, other) if lab == "a" else (other, frm)
            prof_to = (to, other) if lab == "a" else (other, to)
            pairs.append((keys.index((prof_from, lab)), keys.index((prof_to, lab))))
            deviations.append((lab, other, frm, to))
    out = run_cells(
        prepared,
        options,
        what=f"race {lab_a.name} x {lab_b.name}",
        histogram=GRID_HISTOGRAM,
        pairs=pairs,
    )
    years = lab_a.time.years
    rows: dict[Profile, dict[str, float]] = {}
    values: dict[tuple[Profile, str], float] = {}
    for key, raw in zip(keys, out["strategies"], strict=True):
        profile, lab = key
        r = summary_row(raw, years, GRID_HISTOGRAM)
        row = rows.setdefault(profile, {})
        row[f"terminal_equity_value_{lab}"] = r["terminal_equity_value_mean"]
        row[f"terminal_equity_value_{lab}_se"] = r["terminal_equity_value_se"]
        row[f"survival_{lab}"] = 1.0 - r["p_distress"]
        row[f"survival_{lab}_low"] = 1.0 - r["p_distress_high"]
        row[f"survival_{lab}_high"] = 1.0 - r["p_distress_low"]
        values[(profile, lab)] = row[f"{payoff}_{lab}"]
    matrix = pd.DataFrame.from_dict(rows, orient="index")
    matrix.index = pd.MultiIndex.from_tuples(
        matrix.index, names=[f"{lab_a.name} (A)", f"{lab_b.name} (B)"]
    )
    tev_index = len(_stat_series(years)) + 2  # terminal_equity_value among the outcomes
    dev_rows = []
    for (lab, other, frm, to), pair in zip(deviations, out["pairs"], strict=True):
        n = int(pair["n_paths"])
        mean, se = mean_and_se(join_int128(pair["sum"]), join_int128(pair["sum_squares"]), n)
        c = np.asarray(pair["joint_default"][-1], dtype=float)  # (from, to): 00, 01, 10, 11
        d = (c[2] - c[1]) / n  # survival(to) - survival(from)
        d_se = math.sqrt(max((c[1] + c[2]) / n - d * d, 0.0) / n)
        dev_rows.append(
            {
                "lab": lab_a.name if lab == "a" else lab_b.name,
                "other plays": other,
                "from": frm,
                "to": to,
                "gain terminal_equity_value": float(mean[tev_index]),
                "gain terminal_equity_value se": float(se[tev_index]),
                "gain survival": d,
                "gain survival se": d_se,
            }
        )
    equilibria = _equilibria(values)
    pp, aa = ("prudent", "prudent"), ("aggressive", "aggressive")
    dilemma = aa in equilibria and all(values[(pp, lab)] > values[(aa, lab)] for lab in ("a", "b"))
    mult = pd.DataFrame(
        {f"{k[0]}/{k[1]} {k[2]}": v for k, v in multipliers.items()},
        index=pd.Index(years, name="year"),
    )
    return Race(
        labs=(lab_a.name, lab_b.name),
        matrix=matrix,
        equilibria=equilibria,
        deviations=pd.DataFrame(dev_rows),
        dilemma=dilemma,
        settings={
            "share_sensitivity": g,
            "aggression": float(aggression),
            "funding": float(funding),
            "bust": float(bust),
            "payoff": payoff,
        },
        n_paths=options.n_paths,
        seed=options.seed,
        scenarios=(lab_a, lab_b),
        multipliers=mult,
    )


def _stat_series(years: Sequence[int]) -> range:
    return range(4 * len(years))  # StatVar-major per year, before the outcomes


def race_sweep(parameter: str, values: Sequence[float], **kwargs: Any) -> pd.DataFrame:
    """Run :func:`race` at each value of one parameter (``share_sensitivity``,
    ``aggression``, ``funding`` or ``bust``), the others as given; one row per
    value: the equilibria, whether the dilemma holds, and the payoffs at
    (prudent, prudent) and (aggressive, aggressive)."""
    if parameter not in RACE_PARAMETERS:
        raise ValueError(
            f"parameter must be one of {', '.join(RACE_PARAMETERS)}, got {parameter!r}"
        )
    # Every value is checked before the first race runs.
    checked = [check_race_setting(parameter, v) for v in values]
    rows = []
    for v in checked:
        r = race(**{**kwargs, parameter: v})
        m = r.matrix
        pp, aa = ("prudent", "prudent"), ("aggressive", "aggressive")
        rows.append(
            {
                parameter: float(v),
                "equilibria": "; ".join(f"{x}/{y}" for x, y in r.equilibria) or "none",
                "dilemma": r.dilemma,
                "tev_a prudent/prudent": m.loc[pp, "terminal_equity_value_a"],
                "tev_b prudent/prudent": m.loc[pp, "terminal_equity_value_b"],
                "tev_a aggressive/aggressive": m.loc[aa, "terminal_equity_value_a"],
                "tev_b aggressive/aggressive": m.loc[aa, "terminal_equity_value_b"],
                "survival_b aggressive/aggressive": m.loc[aa, "survival_b"],
            }
        )
    return pd.DataFrame(rows).set_index(parameter)
