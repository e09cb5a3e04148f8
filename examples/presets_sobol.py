"""Sobol indices of the distress-by-YEAR indicator on a preset: the one-way
inputs of wager.sensitivity as independent uniform factors U(1 - x, 1 + x)
(scale factors on each input's target: NOT calibrated distributions), and
the market world (regime chain, demand factor, raise draws: everything
random in a path) as one grouped factor.

Crossed design: SALib's Saltelli points (A, A_B^i, B; N base rows) for the
k input factors, each point a cell of ONE core call, every cell on the same
M worlds. From cell means g and the pairs' joint distress counts:
  V      = p (1 - p), p the indicator's mean over the A and B cells
  S_i    = mean_j g(B_j) (g(A_B^i_j) - g(A_j)) / V            (Saltelli 2010)
  ST_i   = mean_j P_w[Y(A_j, w) != Y(A_B^i_j, w)] / (2 V)      (Jansen)
  S_W    = mean_j (P_w[Y(A_j,w) Y(B_j,w)] - g(A_j) g(B_j)) / V  (world first order)
  ST_W   = mean_j g_j (1 - g_j) M / (M - 1) / V                (world total, A and B cells)
with bootstrap intervals over the base rows.

Usage: python examples/presets_sobol.py PRESET [N] [M] [YEAR] [CHANGE]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
from SALib.sample import sobol as sobol_sample

import wager
from wager.analyses.one_way import default_inputs
from wager.analyses.run import RunOptions, run_cells
from wager.compile.prepared import prepare_strategy
from wager.compile.shocks import core_shocks
from wager.kernel.layout import HistogramSpec

preset = sys.argv[1]
N = int(sys.argv[2]) if len(sys.argv) > 2 else 128
M = int(sys.argv[3]) if len(sys.argv) > 3 else 512
YEAR = int(sys.argv[4]) if len(sys.argv) > 4 else 2030
X = float(sys.argv[5]) if len(sys.argv) > 5 else 0.1
SEED = 0

sc = wager.presets.load(preset)
names = default_inputs(sc)
k = len(names)
problem = {"num_vars": k, "names": names, "bounds": [[0.0, 1.0]] * k}
u = sobol_sample.sample(problem, N, calc_second_order=False, scramble=True, seed=SEED)
factors = 1.0 - X + 2.0 * X * u  # rows: per base row j, A_j, A_B^1..A_B^k, B_j
base = prepare_strategy(sc)
cells = []
for row in factors:
    stress = wager.Stress(
        name="sobol_point",
        shocks=[
            wager.Shock(target=t, op="scale", value=float(f))
            for t, f in zip(names, row, strict=True)
        ],
    )
    cells.append(base.stressed(core_shocks(stress, sc)))
step = k + 2
pairs = []
for j in range(N):
    a = j * step
    pairs += [(a, a + 1 + i) for i in range(k)]
    pairs.append((a, a + k + 1))
out = run_cells(
    cells,
    RunOptions(n_paths=M, seed=SEED),
    what="sobol",
    histogram=HistogramSpec(scale=0.01, bins_per_unit=1.0, n_bins=4),
    pairs=pairs,
)
at = YEAR - sc.time.start_year
g = np.array([float(np.sum(r["default_year"][: at + 1])) / M for r in out["strategies"]])
joint = np.array([np.asarray(p["joint_default"][at], dtype=float) / M for p in out["pairs"]])
g = g.reshape(N, step)
joint = joint.reshape(N, k + 1, 4)
gA, gB, gAB = g[:, 0], g[:, -1], g[:, 1:-1]
ab = np.concatenate([gA, gB])
p = ab.mean()
V = p * (1 - p)
# Per base row contributions (bootstrap over rows).
c_s1 = gB[:, None] * (gAB - gA[:, None])  # (N, k)
c_st = (joint[:, :k, 1] + joint[:, :k, 2]) / 2  # discordance / 2
c_sw = joint[:, k, 3] - gA * gB
c_stw = (gA * (1 - gA) + gB * (1 - gB)) / 2 * M / (M - 1)
contrib = np.column_stack([c_s1, c_st, c_sw, c_stw])  # (N, 2k + 2)
rng = np.random.default_rng(SEED)
boot = []
for _ in range(1000):
    idx = rng.integers(0, N, N)
    bp = np.concatenate([gA[idx], gB[idx]]).mean()
    boot.append(contrib[idx].mean(axis=0) / (bp * (1 - bp)))
boot = np.array(boot)
est = contrib.mean(axis=0) / V
half = 1.96 * boot.std(axis=0)
table = pd.DataFrame(
    {
        "S1": np.r_[est[:k], est[2 * k]],
        "S1_conf": np.r_[half[:k], half[2 * k]],
        "ST": np.r_[est[k : 2 * k], est[2 * k + 1]],
        "ST_conf": np.r_[half[k : 2 * k], half[2 * k + 1]],
    },
    index=pd.Index([*names, "market world (grouped)"], name="factor"),
).sort_values("ST", ascending=False)
print(
    f"{preset}: P(distress by {YEAR}) = {p:.4f} over the design; "
    f"{k} inputs x U({1 - X:g}, {1 + X:g}), "
    f"N = {N}, {N * step} cells x {M} worlds, seed {SEED}"
)
with pd.option_context("display.width", 120, "display.float_format", "{:.4f}".format):
    print(table.to_string())
