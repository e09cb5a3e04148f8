"""An independent, vectorised NumPy implementation of the Monte Carlo model.

This is a reference for the C++ kernel, written from ``docs/model.md`` and the
Monte Carlo additions of ``cpp/src/simulation.cpp`` (the world: regime chain,
raise draws, common demand factor; the segments' own AR(1) deviations). It is
not used by the package. It is used to

- check the kernel's equations (no randomness: it must reproduce
  ``wager.project`` to rounding) and its distribution (means and default
  probabilities agree within sampling error), in
  ``benchmarks/test_numpy_reference.py``;
- give the kernel an honest baseline, in
  ``benchmarks/test_benchmark_simulation.py``.

Design: every state variable is an array over paths, advanced step by step (a
Python loop over the N = years x steps_per_year steps only, never over paths),
in float64, with numpy's own random numbers (Philox bit generator by
default). It draws the same distributions as the kernel, not the same
numbers. What depends on the regime only (growth factors, multiples,
spreads, ...) is tabulated per regime and year once and gathered per path;
what depends on no random number at all (book value of owned compute,
depreciation, owned capacity) is a scalar per step. Paths are simulated in
blocks (65,536 by default) so that a block's working arrays stay in cache.
Paths that default stay in the arrays with their flows masked to zero and
their stocks frozen, as in the kernel.

Uncertain inputs (distributions in the scenario) are not implemented: the
presets have none, and :func:`scenario_inputs` refuses a scenario that has.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import wager
from wager.compile.prepared import prepare_strategy
from wager.compile.world import world_dict

__all__ = [
    "ANNUAL_VARIABLES",
    "preset_scenario",
    "run_preset",
    "scenario_inputs",
    "simulate_numpy",
    "summarise",
]

#: The per-year variables returned, each an array (path, year).
ANNUAL_VARIABLES = ("revenue", "operating_income", "free_cash_flow", "cash")


def _mean_growth(x: float) -> float:
    """Mean of exp(x s) over s in [0, 1]."""
    return 1.0 if x == 0.0 else math.expm1(x) / x


def _ar_coefficients(volatility: float, persistence: float, dt: float) -> tuple[float, float]:
    """Exact per-step AR(1) coefficient and innovation s.d. of a yearly AR(1)."""
    coef = persistence**dt
    if persistence < 1.0:
        var = volatility * volatility * (1.0 - coef * coef) / (1.0 - persistence * persistence)
    else:
        var = volatility * volatility * dt
    return coef, math.sqrt(var)


def simulate_numpy(
    model: dict[str, Any],
    world: dict[str, Any],
    n_paths: int,
    seed: int,
    *,
    raise_draw: float | None = None,
    block_paths: int = 1 << 16,
    bit_generator: type[np.random.BitGenerator] = np.random.Philox,
) -> dict[str, Any]:
    """Simulate ``n_paths`` paths of one strategy.

    Parameters
    ----------
    model
        The kernel's model dict (``prepare_strategy(scenario).model``).
    world
        The kernel's world dict (``wager.compile.world.world_dict([scenario])``).
    n_paths, seed
        Number of paths; seed of the generator.
    raise_draw
        None: the raise draw is uniform per path and step (Monte Carlo). A
        number: that draw everywhere (``wager.project`` uses 0.5).
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

    # ---- the calendar ----------------------------------------------------
    spy = int(model["steps_per_year"])
    n_years = int(model["n_years"])
    n_steps = n_years * spy
    dt = 1.0 / spy
    start_year = int(model["start_year"])

    # ---- regimes: one entry per regime -----------------------------------
    regimes = model["regimes"]
    n_reg = len(regimes)
    reg_g = np.array([r["demand_growth"] for r in regimes], dtype=float)
    reg_logp = np.log1p([r["price_change"] for r in regimes])
    reg_multiple = np.array([r["valuation_multiple"] for r in regimes], dtype=float)
    reg_success = np.array([r["raise_success"] for r in regimes], dtype=float)
    reg_spot = np.array([r["spot_price"] for r in regimes], dtype=float)
    reg_resale = reg_spot * np.array([r["resale_share"] for r in regimes], dtype=float)
    reg_premium = reg_spot - 1.0
    reg_spread = np.array([r["credit_spread"] for r in regimes], dtype=float)
    reg_gdt = reg_g * dt

    # ---- segments: one row per segment, one column per year --------------
    segs = model["segments"]
    n_seg = len(segs)
    seg_rev = np.array([s["revenue"] for s in segs], dtype=float).reshape(n_seg, n_years)
    seg_icr = np.array([s["inference_cost_ratio"] for s in segs], dtype=float).reshape(
        n_seg, n_years
    )
    seg_logp = np.log1p(np.array([s["price_change"] for s in segs], dtype=float)).reshape(
        n_seg, n_years
    )
    seg_beta = [float(s["demand_beta"]) for s in segs]
    seg_ar = [_ar_coefficients(s["volatility"], s["persistence"], dt) for s in segs]
    need_segments = any(s["volatility"] > 0.0 for s in segs)

    # ---- yearly inputs ---------------------------------------------------
    def yearly(key: str) -> np.ndarray:
        return np.asarray(model[key], dtype=float)

    training = yearly("training") * dt
    commitments = yearly("commitments") * dt
    capex_rate = yearly("capex")
    opex_fixed = sum(np.asarray(model[c]["fixed"], dtype=float) for c in _OPEX) * dt
    opex_var = sum(np.asarray(model[c]["of_revenue"], dtype=float) for c in _OPEX)
    sbc_fixed = np.asarray(model["stock_based_pay"]["fixed"], dtype=float) * dt
    sbc_var = np.asarray(model["stock_based_pay"]["of_revenue"], dtype=float)
    val_scale = yearly("valuation_scale")
    debt_rate = yearly("debt_rate")
    cash_yield_dt = float(model["cash_yield"]) * dt
    tax_rate = float(model["tax_rate"])
    credit_limit = float(model["credit_limit"])
    backstop = bool(model["backstop"])
    eq = model["equity"]
    mg = model["management"]
    eq_cap_factor = eq["max_dilution"] / (1.0 - eq["max_dilution"])

    # ---- per-step schedules that depend on no random number ---------------
    tr_amount = np.zeros(n_steps)
    tr_market = np.zeros(n_steps)
    tr_keep = np.ones(n_steps)
    for t in model["tranches"]:
        k = min(max(math.floor(t["time"] * spy + 1e-9), 0), n_steps - 1)
        tr_amount[k] += t["amount"]
        if t["post_money"] > 0.0:
            tr_keep[k] *= 1.0 - min(t["amount"] / t["post_money"], 1.0)
        else:
            tr_market[k] += t["amount"]
    step_commit = np.repeat(commitments, spy)
    commit_after = np.concatenate([np.cumsum(step_commit[::-1])[::-1][1:], [0.0]])

    # Owned compute: book value solved exactly per step; it depends on capex
    # only, so it is the same on every path.
    life = float(model["depreciation_life"])
    decayed = -math.expm1(-dt / life)
    book = float(model["initial_assets"])
    kappa = float(model["capacity_per_dollar"])
    step_dep = np.empty(n_steps)
    step_owned = np.empty(n_steps)
    step_capex = np.empty(n_steps)
    for k in range(n_steps):
        c = capex_rate[k // spy]
        book1 = book * (1.0 - decayed) + c * life * decayed
        integral = book * life * decayed + c * life * (dt - life * decayed)
        step_capex[k] = c * dt
        step_dep[k] = book + step_capex[k] - book1
        step_owned[k] = kappa * integral
        book = book1

    # ---- per-year tables over regimes (segment i, year y, regime r) -------
    # plan x inference ratio x mean growth of volume; plan x mean growth of
    # revenue; the step's price factor exp(log price rate x dt).
    inf_tab = np.empty((n_years, n_seg, n_reg))
    rev_tab = np.empty((n_years, n_seg, n_reg))
    price_tab = np.empty((n_years, n_seg, n_reg))
    for y in range(n_years):
        for i in range(n_seg):
            beta, plan = seg_beta[i], seg_rev[i, y] * dt
            for r in range(n_reg):
                rate = seg_logp[i, y] + reg_logp[r]
                inf_tab[y, i, r] = plan * seg_icr[i, y] * _mean_growth(beta * reg_gdt[r])
                rev_tab[y, i, r] = plan * _mean_growth((beta * reg_g[r] + rate) * dt)
                price_tab[y, i, r] = math.exp(rate * dt)
    rate_tab = (debt_rate[:, None] + reg_spread[None, :]) * dt
    value_tab = reg_multiple[None, :] * (val_scale[:, None] / dt)  # x revenue = market value

    # ---- the world -------------------------------------------------------
    pinned = list(world["pinned"]) or [-1] * n_steps
    trans = np.asarray(world["step_transition"], dtype=float)
    moves = trans.size > 0
    if moves:
        # thresholds[j][r]: P(next <= j | r); next = #{j < R-1: u >= threshold}.
        thresholds = np.cumsum(trans.reshape(n_reg, n_reg), axis=1)[:, :-1].T.copy()
    f_coef, f_vol = _ar_coefficients(world["factor_volatility"], world["factor_persistence"], dt)

    def run_block(n: int, out: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Simulate n paths; add their yearly values into out[v] (year, path)."""
        # ---- path state ------------------------------------------------------
        regime = np.full(n, int(world["initial_regime"]), dtype=np.intp)
        factor = np.zeros(n)
        log_demand = np.zeros(n)
        deviation = np.zeros((n_seg, n))
        price = np.ones((n_seg, n))  # exp(log price), per segment
        cash = np.full(n, float(model["initial_cash"]))
        debt = np.full(n, float(model["initial_debt"]))
        credit_drawn = np.zeros(n)
        ownership = np.ones(n)
        loss_cf = np.zeros(n)
        training_scale = np.ones(n)
        opex_scale = np.ones(n)
        commit_scale = np.ones(n)
        pending = np.zeros(n)  # commitment penalty booked next step
        has_pending = False
        last_raise = np.full(n, -1e9)
        cum_fcf = np.zeros(n)
        peak_need = np.zeros(n)
        managed = np.zeros(n, dtype=bool)
        alive = np.ones(n, dtype=bool)
        dead = np.zeros(n, dtype=bool)
        n_dead = 0
        default_step = np.full(n, -1, dtype=np.int64)

        # ---- scratch, allocated once per block
        u, draws, z, g, work, tmp = (np.empty(n) for _ in range(6))
        revenue, inference, train, needed, committed = (np.empty(n) for _ in range(5))
        from_owned, rest, from_commit, idle_commit, idle = (np.empty(n) for _ in range(5))
        oi, sbc, net_interest, pretax, gain, used, fcf = (np.empty(n) for _ in range(7))
        market_value, burn = np.empty(n), np.empty(n)
        zs = np.empty((n_seg, n))
        flag = np.empty(n, dtype=bool)
        next_regime = np.empty(n, dtype=np.intp)

        for k in range(n_steps):
            y = k // spy

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
            if f_vol > 0.0:
                rng.standard_normal(out=z)
                z *= f_vol
                factor *= f_coef
                factor += z
            if need_segments:
                rng.standard_normal(out=zs)

            # ---- revenue and inference: log volume = beta (log D + F) + own
            # deviation, averaged exactly over the step (mean-growth tables).
            np.add(log_demand, factor, out=work)  # log D at the step start, plus F
            np.take(reg_gdt, regime, out=g)
            log_demand += g
            revenue.fill(0.0)
            inference.fill(0.0)
            for i in range(n_seg):
                beta = seg_beta[i]
                if need_segments:
                    coef, vol = seg_ar[i]
                    deviation[i] *= coef
                    zs[i] *= vol
                    deviation[i] += zs[i]
                np.multiply(work, beta, out=tmp)
                tmp += deviation[i]
                np.exp(tmp, out=tmp)  # volume / plan at the step start
                np.take(inf_tab[y, i], regime, out=g)
                g *= tmp
                inference += g
                tmp *= price[i]
                np.take(rev_tab[y, i], regime, out=g)
                tmp *= g
                revenue += tmp
                np.take(price_tab[y, i], regime, out=g)
                price[i] *= g

            # ---- compute supply: owned first, then commitments, then spot
            owned = step_owned[k]
            np.multiply(training_scale, training[y], out=train)
            np.add(inference, train, out=needed)
            np.multiply(commit_scale, commitments[y], out=committed)
            np.minimum(needed, owned, out=from_owned)
            np.subtract(needed, from_owned, out=rest)
            np.minimum(rest, committed, out=from_commit)
            rest -= from_commit  # shortfall, bought at spot
            np.subtract(committed, from_commit, out=idle_commit)
            np.subtract(owned, from_owned, out=idle)
            idle += idle_commit
            np.take(reg_resale, regime, out=g)
            idle *= g  # resale income
            idle_commit -= idle  # idle cost net of resale
            np.take(reg_premium, regime, out=g)
            rest *= g  # spot premium

            # ---- operating income
            np.subtract(revenue, inference, out=oi)
            oi -= train
            oi -= idle_commit
            oi -= rest
            oi += from_owned
            np.multiply(revenue, opex_var[y], out=tmp)
            tmp += opex_fixed[y]
            tmp *= opex_scale
            oi -= tmp
            np.multiply(revenue, sbc_var[y], out=sbc)
            sbc += sbc_fixed[y]
            oi -= sbc
            dep = step_dep[k]
            oi -= dep
            if has_pending:
                oi -= pending

            # ---- interest, tax with loss carryforward, free cash flow
            np.take(rate_tab[y], regime, out=g)
            np.multiply(debt, g, out=net_interest)
            np.maximum(cash, 0.0, out=tmp)
            tmp *= cash_yield_dt
            net_interest -= tmp
            np.subtract(oi, net_interest, out=pretax)
            np.maximum(pretax, 0.0, out=gain)
            np.minimum(gain, loss_cf, out=used)
            loss_cf -= used
            np.minimum(pretax, 0.0, out=tmp)
            loss_cf -= tmp
            gain -= used
            gain *= tax_rate  # tax
            np.add(oi, sbc, out=fcf)
            fcf += dep
            fcf -= step_capex[k]
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
            np.take(value_tab[y], regime, out=g)
            np.multiply(revenue, g, out=market_value)
            if tr_amount[k] > 0.0:
                keep = np.full(n, tr_keep[k])
                if tr_market[k] > 0.0:
                    keep *= market_value / (market_value + tr_market[k])
                if n_dead:
                    keep[dead] = 1.0
                    cash[alive] += tr_amount[k]
                else:
                    cash += tr_amount[k]
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
            if eq["enabled"]:
                np.multiply(burn, eq["trigger_runway"], out=tmp)
                np.less(cash, tmp, out=flag)
                idx = np.flatnonzero(flag)
                if idx.size:
                    rg = regime[idx]
                    succeed = draws[idx] if raise_draw is None else raise_draw
                    mv = market_value[idx]
                    b = burn[idx]
                    ok = (
                        (b > 0.0)
                        & alive[idx]
                        & (t_now - last_raise[idx] >= eq["min_interval"] - 1e-12)
                        & (succeed < reg_success[rg])
                        & (mv > 0.0)
                    )
                    idx, mv = idx[ok], mv[ok]
                    raised = np.minimum(eq["target_runway"] * b[ok] - cash[idx], mv * eq_cap_factor)
                    ok = raised > 0.0
                    idx, mv, raised = idx[ok], mv[ok], raised[ok]
                    ownership[idx] *= mv / (mv + raised)
                    cash[idx] += raised
                    last_raise[idx] = t_now
            if mg["enabled"]:
                np.multiply(burn, mg["trigger_runway"], out=tmp)
                np.less(cash, tmp, out=flag)
                idx = np.flatnonzero(flag)
                if idx.size:
                    idx = idx[(burn[idx] > 0.0) & alive[idx] & ~managed[idx]]
                if idx.size:
                    managed[idx] = True
                    training_scale[idx] *= 1.0 - mg["cut_training"]
                    opex_scale[idx] *= 1.0 - mg["cut_opex"]
                    cancelled = commit_after[k] * commit_scale[idx] * mg["renegotiate"]
                    commit_scale[idx] *= 1.0 - mg["renegotiate"]
                    pending[idx] = cancelled * mg["penalty"]
                    has_pending = True
            np.less(cash, 0.0, out=flag)
            idx = np.flatnonzero(flag)
            if n_dead and idx.size:
                idx = idx[alive[idx]]
            if idx.size and credit_limit > 0.0:
                room = credit_drawn[idx] < credit_limit
                j = idx[room]
                drawn = np.minimum(-cash[j], credit_limit - credit_drawn[j])
                credit_drawn[j] += drawn
                debt[j] += drawn
                cash[j] += drawn
                idx = idx[cash[idx] < 0.0]
            if idx.size:
                if backstop:
                    debt[idx] -= cash[idx]
                    cash[idx] = 0.0
                else:
                    alive[idx] = False
                    dead[idx] = True
                    default_step[idx] = k
                    n_dead += idx.size

            # ---- yearly records: flows summed, stocks at year end
            out["revenue"][y] += revenue
            out["operating_income"][y] += oi
            out["free_cash_flow"][y] += fcf
            if (k + 1) % spy == 0:
                out["cash"][y] = cash
        terminal = np.where(alive, np.maximum(market_value + cash - debt, 0.0), 0.0)
        return {
            "default_step": default_step,
            "cumulative_fcf": cum_fcf,
            "peak_funding_need": peak_need,
            "terminal_equity_value": terminal,
        }

    # ---- blocks of paths, so that the working arrays stay in cache
    rng = np.random.Generator(bit_generator(seed))
    n_total = int(n_paths)
    out = {v: np.zeros((n_years, n_total)) for v in ANNUAL_VARIABLES}  # (year, path)
    per_path = {
        "default_step": np.empty(n_total, dtype=np.int64),
        "cumulative_fcf": np.empty(n_total),
        "peak_funding_need": np.empty(n_total),
        "terminal_equity_value": np.empty(n_total),
    }
    for lo in range(0, n_total, block_paths):
        hi = min(n_total, lo + block_paths)
        got = run_block(hi - lo, {v: a[:, lo:hi] for v, a in out.items()})
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
    for v in (*ANNUAL_VARIABLES, *_OUTCOMES):
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


_OUTCOMES = ("cumulative_fcf", "peak_funding_need", "terminal_equity_value")
_OPEX = ("staff", "sales_marketing", "general_admin")


def preset_scenario(
    name: str,
    *,
    factor_volatility: float = 0.25,
    segment_volatility: float = 0.2,
    segment_persistence: float = 0.8,
    identity_transition: bool = False,
    edit: dict[str, Any] | None = None,
) -> wager.Scenario:
    """A preset with uncertainty switched on (by default) the benchmark's way.

    ``identity_transition`` replaces the regime transition matrix by the
    identity (the regime then stays at ``market.initial`` except in pinned
    years); ``edit`` maps dotted paths (``"financing.debt.credit_limit"``) to
    values set in the scenario dict.
    """
    d = wager.presets.load(name).model_dump(exclude_none=True)
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


def scenario_inputs(scenario: wager.Scenario) -> tuple[dict[str, Any], dict[str, Any]]:
    """The kernel's model and world dicts for one scenario (the same numbers
    the kernel runs)."""
    prepared = prepare_strategy(scenario)
    if prepared.inputs:
        raise NotImplementedError("simulate_numpy does not draw uncertain inputs")
    if any(prepared.model["impairment"]):
        raise NotImplementedError("simulate_numpy has no impairment")
    return prepared.model, world_dict([scenario])


def run_preset(name: str, n_paths: int, seed: int, **scenario_options: Any) -> dict[str, Any]:
    """:func:`simulate_numpy` on a preset (see :func:`preset_scenario`)."""
    model, world = scenario_inputs(preset_scenario(name, **scenario_options))
    return simulate_numpy(model, world, n_paths, seed)
