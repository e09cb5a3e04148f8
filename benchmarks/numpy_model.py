"""An independent, vectorised NumPy implementation of the Monte Carlo model.

This is a reference for the C++ kernel, written from ``docs/model.md`` (§3-13
the step, §16-18 the Monte Carlo: the world's regime chain, raise draws and
common demand factor, the segments' own AR(1) deviations, the uncertain
inputs, §25 triggered shocks) and ``docs/stress.md``. It is not used by the
package. It is used to

- check the kernel's equations (no randomness: it must reproduce
  ``wager.project`` to rounding, with and without uncertain inputs set to
  given values and triggered stresses) and its distribution (means and
  default probabilities agree within sampling error), in
  ``benchmarks/test_numpy_reference.py``;
- give the kernel an honest baseline, in
  ``benchmarks/test_benchmark_simulation.py``.

Design: every state variable is an array over paths, advanced step by step (a
Python loop over the N = years x steps_per_year steps only, never over paths),
in float64, with numpy's own random numbers (Philox bit generator by
default). It draws the same distributions as the kernel, not the same
numbers. What depends on the regime only (growth factors, multiples,
spreads, ...) is tabulated per regime and year and gathered per path; what
depends on no random number at all (book value of owned compute,
depreciation, owned capacity) is computed once per step. Paths are simulated
in blocks (65,536 by default) so that a block's working arrays stay in cache.
Paths that default stay in the arrays with their flows masked to zero and
their stocks frozen, as in the kernel. The funding score (§11, 4.) is
computed at each year's end from the yearly sums the reference records
anyway, and scales each path's rate of closing a round.

**Uncertain inputs** (distributions in the scenario, ``docs/model.md`` §17).
Every model parameter carries a trailing path axis of length 1 (no inputs:
the tables are computed once) or the block's length (each path its own
parameters: the tables are recomputed per block, the per-year ones at each
year's first step). A block first draws its inputs: independent standard
normals, times the copula's Cholesky factor (``PreparedStrategy.cholesky``),
through each distribution's quantile function (``scipy.stats``, the frozen
distribution of ``Distribution.frozen()``: the same canonical parameters;
the upper tail through ``isf`` of the normal's survival function, as the
core does), clamped to the field's range. Each input then moves the kernel's
parameter table (``wager._core.parameters``) by the exact linear weights of
``find_inputs``: theta = theta(central) + sum_i w_i (x_i - c_i), and the
moved entries replace the model dict's values (per-path arrays). Any
parameter an input can move is supported, except ``impairment`` (refused, as
is any impairment: the reference has no impairment).

**Stresses** (``docs/model.md`` §25, ``docs/stress.md``). Shocks on the
regimes' ``raise_success``, ``valuation_multiple``, ``spot_price``,
``resale_share`` and ``credit_spread``, started at a date or by a trigger,
with every op (scale, add, set), shape (step, ramp, recovery), severity and
the kernel's clipping. A triggered shock starts on each path at its first
step in the trigger regime at or after ``after`` (tracked as the regime chain
is drawn: the start is known when it happens). Other targets (segments,
``demand_growth``, ``price_change``, yearly series, constants, contracts,
tranches) raise ``NotImplementedError``.

Not implemented at all: impairment of owned compute, design rows and world
periods (sensitivity analyses), several strategies sharing one world.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

import numpy as np
from scipy import stats as sps

import wager
from wager.compile.prepared import prepare_strategy
from wager.compile.shocks import core_shocks
from wager.compile.uncertainty import central_scenario
from wager.compile.world import world_dict
from wager.kernel import core
from wager.kernel.layout import OUTCOMES

__all__ = [
    "ANNUAL_VARIABLES",
    "preset_scenario",
    "reference_inputs",
    "run_preset",
    "scenario_inputs",
    "simulate_numpy",
    "summarise",
]

#: The per-year variables returned, each an array (path, year).
ANNUAL_VARIABLES = ("revenue", "operating_income", "free_cash_flow", "cash")


def _mean_growth(x: np.ndarray) -> np.ndarray:
    """Mean of exp(x s) over s in [0, 1], elementwise."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x == 0.0, 1.0, np.expm1(x) / x)


def _ar_coefficients(volatility: Any, persistence: Any, dt: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact per-step AR(1) coefficient and innovation s.d. of a yearly AR(1)."""
    vol, pers = np.asarray(volatility, dtype=float), np.asarray(persistence, dtype=float)
    coef = pers**dt
    below = pers < 1.0
    denom = np.where(below, 1.0 - pers * pers, 1.0)
    var = np.where(below, vol * vol * (1.0 - coef * coef) / denom, vol * vol * dt)
    return coef, np.sqrt(var)


# ---- per-path parameters -----------------------------------------------------

_TOKEN = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def _param_path(name: str) -> tuple[str | int, ...]:
    """``segments[0].price_change[3]`` -> ("segments", 0, "price_change", 3)."""
    return tuple(int(i) if i else w for w, i in _TOKEN.findall(name))


def _substitute(model: dict[str, Any], names: Sequence[str], values: dict[int, np.ndarray]) -> dict:
    """A copy of the model dict with the parameters ``values`` (index -> array) replaced."""
    out = copy.deepcopy(model)
    for j, v in values.items():
        *parents, leaf = _param_path(names[j])
        node: Any = out
        for p in parents:
            node = node[p]
        node[leaf] = v
    return out


@dataclass(frozen=True)
class _InputDraws:
    """What a block needs to draw the uncertain inputs and move the parameters."""

    dists: tuple[Any, ...]  # scipy frozen distributions
    lower: np.ndarray  # (m,) the fields' ranges
    upper: np.ndarray
    central: np.ndarray  # (m,)
    cholesky: np.ndarray | None  # (m, m), None = independent
    targets: np.ndarray  # (t,) parameter indices moved by some input
    weights: np.ndarray  # (t, m)
    base: np.ndarray  # (t,) central values of those parameters
    names: tuple[str, ...]  # the parameter table's names

    @classmethod
    def build(cls, model: dict[str, Any], inputs: Sequence[Any], cholesky: Any) -> _InputDraws:
        names, theta = core.parameters(model)
        targets = np.array(sorted({t for u in inputs for t in u.targets}), dtype=np.intp)
        if any(names[t].startswith("impairment") for t in targets):
            raise NotImplementedError("simulate_numpy has no impairment")
        pos = {int(t): j for j, t in enumerate(targets)}
        w = np.zeros((len(targets), len(inputs)))
        for i, u in enumerate(inputs):
            for t, wt in zip(u.targets, u.weights, strict=True):
                w[pos[t], i] = wt
        chol = None if cholesky is None else np.asarray(cholesky, dtype=float)
        if chol is not None and (chol.size == 0 or np.array_equal(chol, np.eye(len(inputs)))):
            chol = None
        return cls(
            dists=tuple(u.distribution.frozen() for u in inputs),
            lower=np.array([u.distribution.bounds[0] for u in inputs]),
            upper=np.array([u.distribution.bounds[1] for u in inputs]),
            central=np.array([u.central for u in inputs]),
            cholesky=chol,
            targets=targets,
            weights=w,
            base=np.asarray(theta, dtype=float)[targets],
            names=tuple(names),
        )

    def draw(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """(m, n) input values: Gaussian copula, quantile functions, clamped."""
        m = len(self.dists)
        z = rng.standard_normal((m, n))
        if self.cholesky is not None:
            z = self.cholesky @ z
        x = np.empty((m, n))
        for i, d in enumerate(self.dists):
            zi, lo = z[i], z[i] <= 0.0
            x[i, lo] = d.ppf(sps.norm.cdf(zi[lo]))
            x[i, ~lo] = d.isf(sps.norm.sf(zi[~lo]))
        np.clip(x, self.lower[:, None], self.upper[:, None], out=x)
        return x

    def model(self, model: dict[str, Any], x: np.ndarray) -> dict[str, Any]:
        """The model with each moved parameter a per-path array (x: (m, n) input values)."""
        theta = self.base[:, None] + self.weights @ (x - self.central[:, None])
        return _substitute(
            model, self.names, {int(t): theta[j] for j, t in enumerate(self.targets)}
        )


# ---- shocks on the regimes' effects ------------------------------------------

_REGIME_SHOCK = re.compile(r"regimes\[(\d+)\]\.(\w+)$")
#: Regime effects the reference can shock, with the kernel's clipping range.
_REGIME_BOUNDS = {
    "raise_success": (0.0, 1.0),
    "resale_share": (0.0, 1.0),
    "credit_spread": (-0.05, 1.0),
    "valuation_multiple": (0.0, math.inf),
    "spot_price": (0.0, math.inf),
}


@dataclass(frozen=True)
class _Shock:
    regime: int
    field: str
    op: str
    value: float
    severity: float
    start: float
    trigger_regime: int
    trigger_after: float
    duration: float
    shape: str
    ramp: float
    half_life: float

    @classmethod
    def of(cls, s: dict[str, Any]) -> _Shock:
        found = _REGIME_SHOCK.match(s["field"])
        if not found or found[2] not in _REGIME_BOUNDS or s["value_by_year"]:
            raise NotImplementedError(
                f"simulate_numpy shocks only {', '.join(_REGIME_BOUNDS)} of a regime, "
                f"not {s['field']}"
            )
        return cls(
            int(found[1]),
            found[2],
            s["op"],
            float(s["value"]),
            float(s["severity"]),
            float(s["start"]),
            int(s["trigger_regime"]),
            float(s["trigger_after"]),
            float(s["duration"]),
            s["shape"],
            float(s["ramp"]),
            float(s["half_life"]),
        )

    def weight(self, since: np.ndarray) -> np.ndarray:
        """severity x profile at ``since`` years after the start (NaN: never started)."""
        with np.errstate(invalid="ignore"):
            on = (since >= 0.0) & (since < self.duration)
            if self.shape == "step":
                phi = on.astype(float)
            elif self.shape == "ramp":
                phi = np.where(on, np.minimum(since / self.ramp, 1.0), 0.0)
            else:
                phi = np.where(on, np.exp2(-since / self.half_life), 0.0)
        return self.severity * phi

    def apply(self, x: np.ndarray, a: np.ndarray) -> np.ndarray:
        """The shocked value; a = 0 keeps x's bits."""
        if self.op == "scale":
            return x * (1.0 + a * (self.value - 1.0))
        if self.op == "add":
            return x + a * self.value
        return x + a * (self.value - x)


def _col(x: Any, p: int) -> np.ndarray:
    """A scalar or per-path value as an array (p,); a list of them as (len, p)."""
    if isinstance(x, list | tuple):
        if not x:
            return np.zeros((0, p))
        return np.stack([np.broadcast_to(np.asarray(v, dtype=float), (p,)) for v in x])
    return np.broadcast_to(np.asarray(x, dtype=float), (p,)).copy()


def _gather(tab: np.ndarray, regime: np.ndarray, out: np.ndarray, flat: Any) -> np.ndarray:
    """tab[regime[p], p] for a table (n_regimes, 1 or n); flat = regime * n + p,
    computed once per step (one np.take is several times faster than np.choose)."""
    if tab.shape[1] == 1:
        return np.take(tab[:, 0], regime, out=out)
    return np.take(np.ascontiguousarray(tab).reshape(-1), flat, out=out)


def _at(tab: np.ndarray, rows: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """tab[rows, idx] for a table (n_regimes, 1 or n), at the paths idx."""
    return tab[rows, idx] if tab.shape[1] > 1 else tab[rows, 0]


def _sub(x: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """A per-path parameter (1 or n,) at the paths idx."""
    return x[idx] if x.shape[0] > 1 else x


_OPEX = ("staff", "sales_marketing", "general_admin")


def _tables(model: dict[str, Any], p: int) -> Any:
    """Everything a block reads from the model, each with a trailing path axis of
    length p (1 if no parameter differs between paths)."""
    t = SimpleNamespace(per_path=p > 1)
    spy = t.spy = int(model["steps_per_year"])
    n_years = t.n_years = int(model["n_years"])
    n_steps = t.n_steps = n_years * spy
    dt = t.dt = 1.0 / spy

    regimes = model["regimes"]
    t.n_reg = len(regimes)

    def reg(key: str) -> np.ndarray:
        return _col([r[key] for r in regimes], p)  # (n_reg, p)

    t.reg_g = reg("demand_growth")
    t.reg_logp = np.log1p(reg("price_change"))
    t.reg_gdt = t.reg_g * dt
    t.raw = {f: reg(f) for f in _REGIME_BOUNDS}  # the regime effects shocks may move

    segs = model["segments"]
    t.n_seg = len(segs)
    t.seg_rev = np.stack([_col(s["revenue"], p) for s in segs])  # (n_seg, n_years, p)
    t.seg_icr = np.stack([_col(s["inference_cost_ratio"], p) for s in segs])
    t.seg_logp = np.log1p(np.stack([_col(s["price_change"], p) for s in segs]))
    t.seg_beta = _col([s["demand_beta"] for s in segs], p)  # (n_seg, p)
    t.seg_coef, t.seg_vol = _ar_coefficients(
        _col([s["volatility"] for s in segs], p), _col([s["persistence"] for s in segs], p), dt
    )
    t.need_segments = bool((t.seg_vol > 0.0).any())

    def yearly(key: str) -> np.ndarray:
        return _col(model[key], p)  # (n_years, p)

    t.training = yearly("training") * dt
    commitments = yearly("commitments") * dt
    t.commitments = commitments
    capex_rate = yearly("capex")
    t.opex_fixed = sum(_col(model[c]["fixed"], p) for c in _OPEX) * dt
    t.opex_var = sum(_col(model[c]["of_revenue"], p) for c in _OPEX)
    t.sbc_fixed = _col(model["stock_based_pay"]["fixed"], p) * dt
    t.sbc_var = _col(model["stock_based_pay"]["of_revenue"], p)
    t.val_scale = yearly("valuation_scale")
    t.debt_rate = yearly("debt_rate")
    t.cash_yield_dt = _col(model["cash_yield"], p) * dt
    t.tax_rate = _col(model["tax_rate"], p)
    t.credit_limit = _col(model["credit_limit"], p)
    t.revolving = bool(model["credit_revolving"])
    t.backstop = bool(model["backstop"])
    if model["liquidity_covenant"] or model["supported_commitments"]:
        raise NotImplementedError(
            "the NumPy reference has no covenant or supporting suppliers (docs/model.md §11, 8.-9.)"
        )
    t.initial_cash = _col(model["initial_cash"], p)
    t.initial_debt = _col(model["initial_debt"], p)
    if model["debt_maturities"]:
        raise NotImplementedError(
            "the NumPy reference has no debt maturities (docs/model.md §11, 6.)"
        )
    eq, mg = model["equity"], model["management"]
    t.eq_on, t.mg_on = bool(eq["enabled"]), bool(mg["enabled"])
    t.eq = {k: _col(eq[k], p) for k in ("trigger_runway", "target_runway", "min_interval")}
    md = _col(eq["max_dilution"], p)
    t.eq["cap_factor"] = md / (1.0 - md)
    # docs/model.md §11 (4.): the funding factor from the trailing Rule-of-40 score.
    t.score = dict(eq["score"])
    t.mg = {
        k: _col(mg[k], p)
        for k in ("trigger_runway", "cut_training", "cut_opex", "renegotiate", "penalty")
    }
    # docs/model.md §11 (5.): the penalty at once (0.1) or as the cancelled payments fall due.
    t.mg_upfront = bool(mg["penalty_upfront"])

    # ---- per-step schedules that depend on no random number
    t.tr_amount = np.zeros((n_steps, p))
    t.tr_market = np.zeros((n_steps, p))
    t.tr_keep = np.ones((n_steps, p))
    t.tr_delivery = np.zeros((n_steps, p))  # the part paid per delivery (§11, 3.)
    for tr in model["tranches"]:
        k = min(max(math.floor(tr["time"] * spy + 1e-9), 0), n_steps - 1)
        amount, post = _col(tr["amount"], p), _col(tr["post_money"], p)
        agreed = post > 0.0
        t.tr_amount[k] += amount
        with np.errstate(divide="ignore", invalid="ignore"):
            t.tr_keep[k] *= np.where(agreed, 1.0 - np.minimum(amount / post, 1.0), 1.0)
        t.tr_market[k] += np.where(agreed, 0.0, amount)
        if tr["per_delivery"]:
            t.tr_delivery[k] += amount
    t.tr_any = t.tr_amount.any(axis=1)
    t.tr_market_any = t.tr_market.any(axis=1)
    step_commit = np.repeat(commitments, spy, axis=0)
    t.commit_after = np.concatenate(
        [np.cumsum(step_commit[::-1], axis=0)[::-1][1:], np.zeros((1, p))]
    )

    # Owned compute: book value solved exactly per step; it depends on capex
    # and parameters only, not on the path's random numbers.
    life = _col(model["depreciation_life"], p)
    decayed = -np.expm1(-dt / life)
    book = _col(model["initial_assets"], p)
    kappa = _col(model["capacity_per_dollar"], p)
    t.step_dep = np.empty((n_steps, p))
    t.step_owned = np.empty((n_steps, p))
    t.step_capex = np.empty((n_steps, p))
    for k in range(n_steps):
        c = capex_rate[k // spy]
        book1 = book * (1.0 - decayed) + c * life * decayed
        integral = book * life * decayed + c * life * (dt - life * decayed)
        t.step_capex[k] = c * dt
        t.step_dep[k] = book + t.step_capex[k] - book1
        t.step_owned[k] = kappa * integral
        book = book1

    # docs/model.md §5 (spot capacity): the spot compute the plan buys each
    # step, and the regimes' lead-time factors.
    t.planned_spot = np.empty((n_steps, p))
    for k in range(n_steps):
        y = k // spy
        need = sum(t.seg_rev[i, y] * dt * t.seg_icr[i, y] for i in range(t.n_seg)) + t.training[y]
        from_owned = np.minimum(need, t.step_owned[k])
        t.planned_spot[k] = need - from_owned - np.minimum(need - from_owned, commitments[y])
    lead = np.array([float(r["spot_lead_time"]) for r in regimes])
    with np.errstate(divide="ignore"):
        keep = np.where(lead > 0.0, np.exp(-dt / lead), 0.0)
        span = np.where(lead > 0.0, lead * -np.expm1(-dt / lead), 0.0)
    t.spot_keep, t.spot_span = keep[:, None], span[:, None]
    return t


def _year_tables(t: Any, y: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per segment and regime, for year y, each (n_seg, n_reg, p): plan x inference
    ratio x mean growth of volume; plan x mean growth of revenue; the step's price
    factor exp(log price rate x dt)."""
    dt = t.dt
    plan = t.seg_rev[:, y, None, :] * dt  # (n_seg, 1, p)
    beta = t.seg_beta[:, None, :]
    rate = t.seg_logp[:, y, None, :] + t.reg_logp[None, :, :]  # (n_seg, n_reg, p)
    inf = plan * t.seg_icr[:, y, None, :] * _mean_growth(beta * t.reg_gdt[None, :, :])
    rev = plan * _mean_growth((beta * t.reg_g[None, :, :] + rate) * dt)
    price = np.exp(rate * dt)
    return inf, rev, price


#: The regime effects a step reads, by the raw effects they depend on.
_EFFECT_SOURCES = {
    "success": ("raise_success",),
    "resale": ("spot_price", "resale_share"),
    "premium": ("spot_price",),
    "rate": ("credit_spread",),
    "value": ("valuation_multiple",),
}


def _effects(t: Any, raw: dict[str, np.ndarray], y: int, only: Any = None) -> dict[str, np.ndarray]:
    """The regime effects a step reads, each (n_reg, 1 or n), from the raw ones
    (``only``: just those that depend on these raw effects)."""
    spot = raw["spot_price"]
    make = {
        "success": lambda: raw["raise_success"],
        "resale": lambda: np.minimum(spot, 1.0) * raw["resale_share"],  # never above contract
        "premium": lambda: spot - 1.0,
        "rate": lambda: (t.debt_rate[y][None, :] + raw["credit_spread"]) * t.dt,
        "value": lambda: raw["valuation_multiple"] * (t.val_scale[y][None, :] / t.dt),
    }
    return {
        k: f()
        for k, f in make.items()
        if only is None or any(src in only for src in _EFFECT_SOURCES[k])
    }


def simulate_numpy(
    model: dict[str, Any],
    world: dict[str, Any],
    n_paths: int,
    seed: int,
    *,
    inputs: Sequence[Any] = (),
    cholesky: Any = None,
    shocks: Sequence[dict[str, Any]] = (),
    input_values: np.ndarray | None = None,
    raise_draw: float | None = None,
    block_paths: int = 1 << 16,
    bit_generator: type[np.random.BitGenerator] = np.random.Philox,
) -> dict[str, Any]:
    """Simulate ``n_paths`` paths of one strategy.

    Parameters
    ----------
    model
        The kernel's model dict at central values (``prepare_strategy(scenario).model``).
    world
        The kernel's world dict (``wager.compile.world.world_dict([scenario])``).
    n_paths, seed
        Number of paths; seed of the generator.
    inputs, cholesky
        The uncertain inputs (``PreparedStrategy.inputs``: distributions,
        central values, parameter weights) and their copula's Cholesky factor
        (``PreparedStrategy.cholesky``; None or empty: independent).
    shocks
        The core's shocks (``PreparedStrategy.shocks``); see the module's
        docstring for those the reference takes.
    input_values
        Instead of drawing the inputs, these values: an array (m, n_paths),
        one column per path (an equation check against ``wager.project``).
    raise_draw
        None: the raise draw is uniform per path and step (Monte Carlo). A
        number: the projection's rules instead (``wager.project``): rounds
        raised at their expected size (the number itself is then not used).
    block_paths
        Paths simulated together: the state of a block (some 40 arrays of
        ``block_paths`` float64) should fit in cache. Blocks draw from one
        generator in turn.
    bit_generator
        numpy bit generator class (Philox, counter-based like the kernel's
        Philox4x64; ``np.random.SFC64`` is numpy's fastest).

    Returns
    -------
    dict
        ``years``; for each of :data:`ANNUAL_VARIABLES` an array (path, year)
        (flows summed over the year, cash at year end); per path
        ``default_year`` and ``first_profit_year`` (calendar year, -1 if
        never), ``cumulative_fcf``, ``peak_funding_need`` and
        ``terminal_equity_value``.
    """
    spy = int(model["steps_per_year"])
    n_years = int(model["n_years"])
    n_steps = n_years * spy
    dt = 1.0 / spy
    start_year = int(model["start_year"])
    if np.any(np.asarray(model["impairment"], dtype=float) != 0.0):
        raise NotImplementedError("simulate_numpy has no impairment")

    draws_in = _InputDraws.build(model, inputs, cholesky) if len(inputs) else None
    shock_list = [_Shock.of(dict(s)) for s in shocks]
    shocked_fields = sorted({s.field for s in shock_list})
    fixed = _tables(model, 1)  # every path's tables when no parameter differs

    # ---- the world -------------------------------------------------------
    n_reg = fixed.n_reg
    pinned = list(world["pinned"]) or [-1] * n_steps
    trans = np.asarray(world["step_transition"], dtype=float)
    moves = trans.size > 0
    if moves:
        # thresholds[j][r]: P(next <= j | r); next = #{j < R-1: u >= threshold}.
        thresholds = np.cumsum(trans.reshape(n_reg, n_reg), axis=1)[:, :-1].T.copy()
    f_coef, f_vol = (
        float(v)
        for v in _ar_coefficients(world["factor_volatility"], world["factor_persistence"], dt)
    )

    discount = np.array([float(r["discount_rate"]) for r in model["regimes"]])
    growth = float(model["resolution"]["terminal_growth"])
    # docs/model.md §11 (2.): the price of a round blends the market value
    # with the going concern's DCF by the regime's weight.
    dcf_weight = np.array([float(r["dcf_weight"]) for r in model["regimes"]])
    dcf_perpetuity = (1.0 + growth) / (discount - growth)
    dcf_on = bool((dcf_weight > 0.0).any())
    # §13: terminal values discounted to the start at each step's regime's rate.
    step_log_discount = -np.log1p(discount) / spy

    def run_block(n: int, t: Any, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Simulate n paths with tables t; add their yearly values into out[v] (year, path)."""
        # ---- path state ------------------------------------------------------
        regime = np.full(n, int(world["initial_regime"]), dtype=np.intp)
        factor = np.zeros(n)
        log_demand = np.zeros(n)
        deviation = np.zeros((t.n_seg, n))
        price = np.ones((t.n_seg, n))  # exp(log price), per segment
        cash = np.broadcast_to(t.initial_cash, (n,)).copy()
        debt = np.broadcast_to(t.initial_debt, (n,)).copy()
        credit_drawn = np.zeros(n)
        ownership = np.ones(n)
        loss_cf = np.zeros(n)
        training_scale = np.ones(n)
        opex_scale = np.ones(n)
        commit_scale = np.ones(n)
        pending = np.zeros(n)  # commitment penalty booked next step
        has_pending = False
        penalty_share = np.zeros(n)  # penalty per unit of planned commitments, each later step
        has_share = False
        last_raise = np.full(n, -1e9)
        log_discount = np.zeros(n)
        sc = t.score
        score_on = sc["sensitivity"] > 0.0

        def factor_of(score: np.ndarray) -> np.ndarray:
            held = np.clip(score, sc["floor"], sc["cap"])
            return np.exp(sc["sensitivity"] * (held - sc["reference"]))

        funding = factor_of(np.full(n, float(sc["start"]))) if score_on else np.ones(n)
        revenue_before = np.full(n, sc["prior_revenue"] if sc["prior_revenue"] > 0.0 else -1.0)
        secured = np.full(n, np.inf)  # spot capacity secured beyond the plan, per year
        cum_fcf = np.zeros(n)
        peak_need = np.zeros(n)
        managed = np.zeros(n, dtype=bool)
        alive = np.ones(n, dtype=bool)
        dead = np.zeros(n, dtype=bool)
        n_dead = 0
        default_step = np.full(n, -1, dtype=np.int64)
        # a shock's start per path (years; NaN: not started)
        shock_t0 = [
            np.full(n, np.nan) if s.trigger_regime >= 0 else np.full(n, s.start) for s in shock_list
        ]
        eq, mg = t.eq, t.mg
        credit_on = bool((t.credit_limit > 0.0).any())
        per_path = t.per_path or bool(shock_list)  # some regime table differs between paths
        lanes = np.arange(n, dtype=np.intp)
        flat = np.empty(n, dtype=np.intp)

        # ---- scratch, allocated once per block
        u, draws, z, g, work, tmp = (np.empty(n) for _ in range(6))
        revenue, inference, train, needed, committed = (np.empty(n) for _ in range(5))
        from_owned, rest, from_commit, idle_commit, idle = (np.empty(n) for _ in range(5))
        oi, sbc, net_interest, pretax, gain, used, fcf = (np.empty(n) for _ in range(7))
        market_value, burn, opex = np.empty(n), np.empty(n), np.empty(n)
        gap, lost = np.empty(n), np.empty(n)
        zs = np.empty((t.n_seg, n))
        flag = np.empty(n, dtype=bool)
        next_regime = np.empty(n, dtype=np.intp)

        for k in range(n_steps):
            y = k // spy
            if k % spy == 0:
                inf_tab, rev_tab, price_tab = _year_tables(t, y)
                eff = year_eff = _effects(t, t.raw, y)

            # ---- the shared world of this step
            if pinned[k] >= 0:
                regime.fill(pinned[k])
            elif k > 0 and moves:
                rng.random(out=u)
                next_regime.fill(0)
                for row in thresholds:
                    np.take(row, regime, out=g)
                    np.greater_equal(u, g, out=flag)
                    next_regime += flag
                regime, next_regime = next_regime, regime
            if raise_draw is None:
                rng.random(out=draws)
            log_discount += step_log_discount[regime]
            if f_vol > 0.0:
                rng.standard_normal(out=z)
                z *= f_vol
                factor *= f_coef
                factor += z
            if t.need_segments:
                rng.standard_normal(out=zs)

            if per_path:
                np.multiply(regime, n, out=flat)
                flat += lanes

            # ---- shocks: triggers fire at a path's first step in the regime,
            # then each shock's weight at the step's middle, clipped per field.
            if shock_list:
                for s, t0 in zip(shock_list, shock_t0, strict=True):
                    if s.trigger_regime >= 0 and k * dt >= s.trigger_after - 1e-9:
                        t0[np.isnan(t0) & (regime == s.trigger_regime)] = k * dt
                raw, changed = dict(t.raw), set()
                for f in shocked_fields:
                    x = np.broadcast_to(t.raw[f], (n_reg, n)).copy()
                    moved = np.zeros(n_reg, dtype=bool)
                    for s, t0 in zip(shock_list, shock_t0, strict=True):
                        if s.field == f:
                            a = s.weight((k + 0.5) * dt - t0)
                            if a.any():
                                x[s.regime] = s.apply(x[s.regime], a)
                                moved[s.regime] = True
                    if moved.any():
                        lo, hi = _REGIME_BOUNDS[f]
                        x[moved] = np.clip(x[moved], lo, hi)
                        raw[f] = x
                        changed.add(f)
                eff = {**year_eff, **_effects(t, raw, y, changed)} if changed else year_eff

            # ---- revenue and inference: log volume = beta (log D + F) + own
            # deviation, averaged exactly over the step (mean-growth tables).
            np.add(log_demand, factor, out=work)  # log D at the step start, plus F
            _gather(t.reg_gdt, regime, g, flat)
            log_demand += g
            revenue.fill(0.0)
            inference.fill(0.0)
            for i in range(t.n_seg):
                if t.need_segments:
                    deviation[i] *= t.seg_coef[i]
                    zs[i] *= t.seg_vol[i]
                    deviation[i] += zs[i]
                np.multiply(work, t.seg_beta[i], out=tmp)
                tmp += deviation[i]
                np.exp(tmp, out=tmp)  # volume / plan at the step start
                _gather(inf_tab[i], regime, g, flat)
                g *= tmp
                inference += g
                tmp *= price[i]
                _gather(rev_tab[i], regime, g, flat)
                tmp *= g
                revenue += tmp
                _gather(price_tab[i], regime, g, flat)
                price[i] *= g

            # ---- compute supply: owned first, then commitments, then spot
            owned = t.step_owned[k]
            np.multiply(training_scale, t.training[y], out=train)
            np.add(inference, train, out=needed)
            np.multiply(commit_scale, t.commitments[y], out=committed)
            np.minimum(needed, owned, out=from_owned)
            np.subtract(needed, from_owned, out=rest)
            np.minimum(rest, committed, out=from_commit)
            rest -= from_commit  # shortfall, bought at spot
            # ---- spot beyond the plan's is secured at the regime's lead time;
            # what is not yet secured goes unserved, inference first, and
            # takes its share of revenue with it (docs/model.md §5)
            np.subtract(rest, t.planned_spot[k], out=tmp)
            np.maximum(tmp, 0.0, out=tmp)
            tmp *= 1.0 / dt  # the need per year
            np.subtract(tmp, secured, out=gap)
            np.maximum(gap, 0.0, out=gap)
            _gather(t.spot_keep, regime, g, flat)
            np.multiply(gap, g, out=work)
            np.subtract(tmp, work, out=work)
            secured[alive] = work[alive]
            _gather(t.spot_span, regime, g, flat)
            gap *= g  # unserved
            np.minimum(gap, inference, out=lost)
            np.divide(lost, np.where(inference > 0.0, inference, 1.0), out=tmp)
            np.subtract(1.0, tmp, out=tmp)
            revenue *= tmp
            inference -= lost
            rest -= gap
            gap -= lost
            train -= gap
            np.subtract(committed, from_commit, out=idle_commit)
            np.subtract(owned, from_owned, out=idle)
            idle += idle_commit
            _gather(eff["resale"], regime, g, flat)
            idle *= g  # resale income
            idle_commit -= idle  # idle cost net of resale
            _gather(eff["premium"], regime, g, flat)
            rest *= g  # spot premium

            # ---- operating income
            np.subtract(revenue, inference, out=oi)
            oi -= train
            oi -= idle_commit
            oi -= rest
            oi += from_owned
            np.multiply(revenue, t.opex_var[y], out=opex)
            opex += t.opex_fixed[y]
            opex *= opex_scale
            oi -= opex
            np.multiply(revenue, t.sbc_var[y], out=sbc)
            sbc += t.sbc_fixed[y]
            oi -= sbc
            dep = t.step_dep[k]
            oi -= dep
            if has_pending:
                oi -= pending
            if has_share:
                np.multiply(penalty_share, t.commitments[y], out=tmp)
                oi -= tmp

            # ---- interest, tax with loss carryforward, free cash flow
            _gather(eff["rate"], regime, g, flat)
            np.multiply(debt, g, out=net_interest)
            np.maximum(cash, 0.0, out=tmp)
            tmp *= t.cash_yield_dt
            net_interest -= tmp
            np.subtract(oi, net_interest, out=pretax)
            np.maximum(pretax, 0.0, out=gain)
            np.minimum(gain, loss_cf, out=used)
            loss_cf -= used
            np.minimum(pretax, 0.0, out=tmp)
            loss_cf -= tmp
            gain -= used
            gain *= t.tax_rate  # tax
            np.add(oi, sbc, out=fcf)
            fcf += dep
            fcf -= t.step_capex[k]
            fcf -= net_interest
            fcf -= gain
            if n_dead:  # a defaulted path has no flows
                fcf[dead] = 0.0
                oi[dead] = 0.0
                revenue[dead] = 0.0
            cash += fcf
            cum_fcf += fcf
            np.negative(cum_fcf, out=tmp)
            np.maximum(peak_need, tmp, out=peak_need)

            # ---- financing: tranches, equity raise, management, credit, default
            if t.eq_on:
                start_cash = cash - fcf  # the step's opening cash (docs/model.md §11, 4.)
            _gather(eff["value"], regime, g, flat)
            np.multiply(revenue, g, out=market_value)
            if dcf_on:
                # The going concern's flow per year: revenue, less inference
                # beyond owned capacity at spot, less cash operating costs,
                # taxed when positive (docs/model.md §27, 2.).
                _gather(eff["premium"], regime, work, flat)
                work += 1.0  # the step's spot price, shocks included
                flow = revenue - np.maximum(inference - owned, 0.0) * work - opex
                flow = np.where(flow > 0.0, flow * (1.0 - t.tax_rate), flow) / dt
                w = dcf_weight[regime]
                round_value = (1.0 - w) * market_value + w * (
                    np.maximum(flow, 0.0) * dcf_perpetuity[regime]
                )
            else:
                round_value = market_value
            if t.tr_any[k]:
                keep = np.broadcast_to(t.tr_keep[k], (n,)).copy()
                # Vendor financing paid per delivery follows the commitments kept.
                undelivered = t.tr_delivery[k] * (1.0 - commit_scale)
                if t.tr_market_any[k]:
                    tm = t.tr_market[k] - undelivered
                    with np.errstate(divide="ignore", invalid="ignore"):
                        keep *= np.where(tm > 0.0, round_value / (round_value + tm), 1.0)
                if n_dead:
                    keep[dead] = 1.0
                    cash += np.where(alive, t.tr_amount[k] - undelivered, 0.0)
                else:
                    cash += t.tr_amount[k] - undelivered
                ownership *= keep
            # Annualised burn, without a one-off penalty.
            if has_pending:
                np.add(fcf, pending, out=burn)
                np.negative(burn, out=burn)
                pending.fill(0.0)
                has_pending = False
            else:
                np.negative(fcf, out=burn)
            np.maximum(burn, 0.0, out=burn)
            burn /= dt
            t_now = k * dt
            # Both triggers are rare: test the full arrays on cash against burn
            # only, the other conditions on the few paths that pass.
            if t.eq_on:
                np.multiply(burn, eq["trigger_runway"], out=tmp)
                np.less(cash, tmp, out=flag)
                idx = np.flatnonzero(flag)
                if idx.size:
                    mv = round_value[idx]
                    b = burn[idx]
                    ok = (b > 0.0) & alive[idx] & (mv > 0.0)
                    idx, mv, b = idx[ok], mv[ok], b[ok]
                    # The time a round is sought, allowed and still useful
                    # within the step, and its odds at the regime's yearly rate.
                    c = cash[idx]
                    undrawn = (
                        np.maximum(_sub(t.credit_limit, idx) - credit_drawn[idx], 0.0)
                        if credit_on
                        else np.zeros(idx.size)
                    )
                    seek = np.clip(_sub(eq["trigger_runway"], idx) - c / b, 0.0, dt)
                    late = np.clip(-(c + undrawn) / b, 0.0, dt)
                    late[start_cash[idx] + undrawn <= 0.0] = 0.0  # carried to the step's end
                    wait = np.clip(
                        last_raise[idx] + _sub(eq["min_interval"], idx) - 1e-12 - t_now, 0.0, dt
                    )
                    time = np.maximum(np.minimum(seek, dt - wait) - late, 0.0)
                    with np.errstate(divide="ignore", invalid="ignore"):
                        odds = -np.expm1(
                            time * np.log1p(-_at(eff["success"], regime[idx], idx)) * funding[idx]
                        )
                    odds[time <= 0.0] = 0.0
                    # A round closes when the draw is below the odds; the
                    # projection raises each round times its odds.
                    weight = (draws[idx] < odds).astype(float) if raise_draw is None else odds
                    amount = np.maximum(
                        np.minimum(
                            _sub(eq["target_runway"], idx) * b - c,
                            mv * _sub(eq["cap_factor"], idx),
                        ),
                        0.0,
                    )
                    raised = amount * weight
                    ok = raised > 0.0
                    idx, mv, raised, weight = idx[ok], mv[ok], raised[ok], weight[ok]
                    ownership[idx] *= mv / (mv + raised)
                    cash[idx] += raised
                    recent = np.maximum(last_raise[idx], t_now - _sub(eq["min_interval"], idx))
                    last_raise[idx] = t_now - (1.0 - weight) * (t_now - recent)
            if t.mg_on:
                np.multiply(burn, mg["trigger_runway"], out=tmp)
                np.less(cash, tmp, out=flag)
                idx = np.flatnonzero(flag)
                if idx.size:
                    idx = idx[(burn[idx] > 0.0) & alive[idx] & ~managed[idx]]
                if idx.size:
                    managed[idx] = True
                    training_scale[idx] *= 1.0 - _sub(mg["cut_training"], idx)
                    opex_scale[idx] *= 1.0 - _sub(mg["cut_opex"], idx)
                    renegotiate = _sub(mg["renegotiate"], idx)
                    cancelled = _sub(t.commit_after[k], idx) * commit_scale[idx] * renegotiate
                    if t.mg_upfront:
                        pending[idx] = cancelled * _sub(mg["penalty"], idx)
                        has_pending = True
                    else:
                        share = commit_scale[idx] * renegotiate
                        penalty_share[idx] += share * _sub(mg["penalty"], idx)
                        has_share = True
                    commit_scale[idx] *= 1.0 - renegotiate
            np.less(cash, 0.0, out=flag)
            idx = np.flatnonzero(flag)
            if n_dead and idx.size:
                idx = idx[alive[idx]]
            if idx.size and credit_on:
                limit = _sub(t.credit_limit, idx)
                room = credit_drawn[idx] < limit
                j = idx[room]
                drawn = np.minimum(-cash[j], _sub(t.credit_limit, j) - credit_drawn[j])
                credit_drawn[j] += drawn
                debt[j] += drawn
                cash[j] += drawn
                idx = idx[cash[idx] < 0.0]
            if idx.size:
                if t.backstop:
                    debt[idx] -= cash[idx]
                    cash[idx] = 0.0
                else:
                    alive[idx] = False
                    dead[idx] = True
                    default_step[idx] = k
                    n_dead += idx.size
            if t.revolving and credit_on:
                # A revolving facility's sweep of positive cash (docs/model.md §11, 7.).
                s = np.flatnonzero(alive & (cash > 0.0) & (credit_drawn > 0.0))
                swept = np.minimum(cash[s], credit_drawn[s])
                credit_drawn[s] -= swept
                debt[s] -= swept
                cash[s] -= swept

            # ---- yearly records: flows summed, stocks at year end
            out["revenue"][y] += revenue
            out["operating_income"][y] += oi
            out["free_cash_flow"][y] += fcf
            if (k + 1) % spy == 0:
                out["cash"][y] = cash
                if score_on:
                    # The year's growth and free-cash-flow margin, each within +-1,000%.
                    r, f = out["revenue"][y], out["free_cash_flow"][y]
                    with np.errstate(divide="ignore", invalid="ignore"):
                        grew = np.where(
                            revenue_before > 0.0,
                            r / revenue_before - 1.0,
                            np.where(r > 0.0, 10.0, 0.0),
                        )
                        margin = np.where(r > 0.0, f / r, np.where(f < 0.0, -10.0, 0.0))
                    score = np.minimum(grew, 10.0) + sc["margin_weight"] * np.clip(
                        margin, -10.0, 10.0
                    )
                    funding = np.where(revenue_before >= 0.0, factor_of(score), funding)
                    revenue_before = r.copy()
        terminal = np.where(alive, np.maximum(market_value + cash - debt, 0.0), 0.0)
        # docs/model.md §13 (terminal_dcf_value): the last year's free cash
        # flow as a growing perpetuity at the last regime's discount rate.
        last_fcf = np.maximum(out["free_cash_flow"][n_years - 1], 0.0)
        perpetuity = last_fcf * (1.0 + growth) / (discount[regime] - growth)
        dcf = np.where(alive, np.maximum(perpetuity + cash - debt, 0.0), 0.0)
        today = np.exp(log_discount)
        return {
            "default_step": default_step,
            "cumulative_fcf": cum_fcf,
            "peak_funding_need": peak_need,
            "terminal_equity_value": terminal,
            "terminal_dcf_value": dcf,
            "terminal_equity_value_today": terminal * today,
            "terminal_dcf_value_today": dcf * today,
        }

    # ---- blocks of paths, so that the working arrays stay in cache
    rng = np.random.Generator(bit_generator(seed))
    n_total = int(n_paths)
    out = {v: np.zeros((n_years, n_total)) for v in ANNUAL_VARIABLES}  # (year, path)
    per_path = {
        "default_step": np.empty(n_total, dtype=np.int64),
        **{o: np.empty(n_total) for o in OUTCOMES},
    }
    for lo in range(0, n_total, block_paths):
        hi = min(n_total, lo + block_paths)
        tables = fixed
        if draws_in is not None:
            x = draws_in.draw(rng, hi - lo) if input_values is None else input_values[:, lo:hi]
            tables = _tables(draws_in.model(model, np.asarray(x, dtype=float)), hi - lo)
            tables.planned_spot = fixed.planned_spot  # the plan is the central one
        got = run_block(hi - lo, tables, {v: a[:, lo:hi] for v, a in out.items()})
        for key, arr in got.items():
            per_path[key][lo:hi] = arr

    profit = out["operating_income"] > 0.0
    step = per_path.pop("default_step")
    result: dict[str, Any] = {"years": np.arange(start_year, start_year + n_years)}
    for v in ANNUAL_VARIABLES:
        result[v] = out[v].T  # (path, year), a view
    result["default_year"] = np.where(step >= 0, start_year + step // spy, -1)
    result["first_profit_year"] = np.where(
        profit.any(axis=0), start_year + profit.argmax(axis=0), -1
    )
    result.update(per_path)
    return result


def summarise(
    result: dict[str, Any], probs: tuple[float, ...] = (0.05, 0.25, 0.5, 0.75, 0.95)
) -> dict[str, Any]:
    """The statistics ``wager.simulate`` reports, from :func:`simulate_numpy`'s paths.

    Per variable and year: mean, standard error of the mean and quantiles;
    the same for the three per-path outcomes; P(default by year). (The
    kernel gets its quantiles from streaming histograms; these are exact.)
    """
    years = result["years"]
    n = len(result["default_year"])
    stats: dict[str, Any] = {}
    for v in (*ANNUAL_VARIABLES, *OUTCOMES):
        a = result[v].T if v in ANNUAL_VARIABLES else result[v]  # (year, path): contiguous
        stats[v] = {
            "mean": a.mean(axis=-1),
            "se": a.std(axis=-1, ddof=1) / math.sqrt(n),
            "quantiles": np.quantile(a, probs, axis=-1),
        }
    dy = result["default_year"]
    counts = np.bincount(np.where(dy >= 0, dy - years[0], len(years)), minlength=len(years) + 1)
    stats["default_probability"] = np.cumsum(counts[: len(years)]) / n
    return stats


def preset_scenario(
    name: str | wager.Scenario,
    *,
    factor_volatility: float = 0.25,
    segment_volatility: float = 0.2,
    segment_persistence: float = 0.8,
    identity_transition: bool = False,
    at_median: bool = False,
    edit: dict[str, Any] | None = None,
) -> wager.Scenario:
    """A preset (or a scenario) with uncertainty switched on (by default) the benchmark's way.

    ``identity_transition`` replaces the regime transition matrix by the
    identity (the regime then stays at ``market.initial`` except in pinned
    years); ``at_median`` replaces every distribution (the presets' uncertain
    inputs) by its median, the value a projection uses; ``edit`` maps dotted
    paths (``"financing.debt.credit_limit"``) to values set in the scenario
    dict.
    """
    base = wager.presets.load(name) if isinstance(name, str) else name
    if at_median:
        base = central_scenario(base)
    d = base.model_dump(exclude_none=True)
    d["market"]["demand_factor"]["volatility"] = factor_volatility
    for seg in d["segments"].values():
        seg["volatility"] = segment_volatility
        seg["persistence"] = segment_persistence
    if identity_transition:
        names = list(d["market"]["regimes"])
        d["market"]["transition"] = {a: {b: float(a == b) for b in names} for a in names}
    for dotted, value in (edit or {}).items():
        node = d
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return wager.Scenario.model_validate(d)


def reference_inputs(scenario: wager.Scenario, stress: Any = None) -> dict[str, Any]:
    """Keyword arguments of :func:`simulate_numpy` for one scenario (and stress):
    the kernel's central model, world, uncertain inputs, copula and shocks
    (the same numbers the kernel runs)."""
    prepared = prepare_strategy(scenario)
    return {
        "model": prepared.model,
        "world": world_dict([scenario]),
        "inputs": prepared.inputs,
        "cholesky": prepared.cholesky,
        "shocks": core_shocks(stress, scenario) if stress is not None else [],
    }


def scenario_inputs(scenario: wager.Scenario) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kernel's model and world dicts for a scenario without uncertain inputs
    (see :func:`reference_inputs` for one with)."""
    prepared = prepare_strategy(scenario)
    if prepared.inputs:
        raise NotImplementedError("a scenario with uncertain inputs: use reference_inputs")
    if any(prepared.model["impairment"]):
        raise NotImplementedError("simulate_numpy has no impairment")
    return prepared.model, world_dict([scenario])


def run_preset(name: str, n_paths: int, seed: int, **scenario_options: Any) -> dict[str, Any]:
    """:func:`simulate_numpy` on a preset (see :func:`preset_scenario`)."""
    model, world = scenario_inputs(preset_scenario(name, **scenario_options))
    return simulate_numpy(model, world, n_paths, seed)
