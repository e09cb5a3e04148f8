"""The random numbers of the Monte Carlo engine: Philox blocks and input normals.

Bits: the core's Philox4x32 and Philox4x64 reproduce Random123's known-answer
vectors (``tests/data/random123_kat.txt``) and, for Philox4x64-10, numpy's
``Philox`` bit generator. Normals: ``input_normals`` is exactly Box-Muller on
the documented counters, is standard normal (tolerances are 4 standard errors
at fixed seeds, so these tests are deterministic), and depends only on
(seed, path, input), never on how the paths are split into calls.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from wager import _core

KAT_FILE = Path(__file__).parent / "data" / "random123_kat.txt"

#: The key's second word: "wager" in ASCII (``key_tag`` in streams.hpp).
KEY_TAG = 0x7761676572
#: The counter's last word for uncertain inputs (``stream_inputs``).
STREAM_INPUTS = 2

M64 = (1 << 64) - 1
M32 = (1 << 32) - 1

# --------------------------------------------------------------------------
# An independent, pure-Python Philox (Salmon et al., SC'11; Random123's
# philox.h), checked against the known-answer vectors before it is used as a
# reference for the core.

#: (multipliers, Weyl key increments) per (N, W).
_PHILOX_CONSTANTS: dict[tuple[int, int], tuple[tuple[int, ...], tuple[int, ...]]] = {
    (2, 32): ((0xD256D193,), (0x9E3779B9,)),
    (4, 32): ((0xD2511F53, 0xCD9E8D57), (0x9E3779B9, 0xBB67AE85)),
    (2, 64): ((0xD2B74407B1CE6E93,), (0x9E3779B97F4A7C15,)),
    (4, 64): ((0xD2E7470EE14C6C93, 0xCA5A826395121157), (0x9E3779B97F4A7C15, 0xBB67AE8584CAA73B)),
}


def philox_reference(n: int, w: int, rounds: int, ctr: list[int], key: list[int]) -> list[int]:
    """PhiloxNxW with ``rounds`` rounds, in Python integers."""
    mults, weyl = _PHILOX_CONSTANTS[(n, w)]
    mask = (1 << w) - 1
    c, k = list(ctr), list(key)
    for r in range(rounds):
        if r > 0:
            k = [(ki + wi) & mask for ki, wi in zip(k, weyl, strict=True)]
        if n == 2:
            p = mults[0] * c[0]
            c = [(p >> w) ^ c[1] ^ k[0], p & mask]
        else:
            p0, p1 = mults[0] * c[0], mults[1] * c[2]
            c = [(p1 >> w) ^ c[1] ^ k[0], p1 & mask, (p0 >> w) ^ c[3] ^ k[1], p0 & mask]
    return c


def read_kat() -> list[tuple[str, int, int, int, list[int], list[int], list[int]]]:
    """(name, N, W, rounds, counter, key, expected) for every line of the KAT file."""
    out = []
    for line in KAT_FILE.read_text().splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        name, rounds = fields[0], int(fields[1])
        n, w = (int(s) for s in name.removeprefix("philox").split("x"))
        words = [int(f, 16) for f in fields[2:]]
        assert len(words) == n + n // 2 + n, line
        out.append((name, n, w, rounds, words[:n], words[n : n + n // 2], words[n + n // 2 :]))
    return out


KAT = read_kat()


def kat_id(v: tuple[str, int, int, int, list[int], list[int], list[int]]) -> str:
    return f"{v[0]}-R{v[3]}-ctr{v[4][0]:x}"


def test_kat_file_is_complete() -> None:
    # Three inputs for each of four generators at two round counts.
    names = sorted({(v[0], v[3]) for v in KAT})
    assert names == sorted(
        (g, r) for g in ("philox2x32", "philox2x64", "philox4x32", "philox4x64") for r in (7, 10)
    )
    assert len(KAT) == 24


@pytest.mark.parametrize("vector", KAT, ids=kat_id)
def test_reference_philox_matches_kat(
    vector: tuple[str, int, int, int, list[int], list[int], list[int]],
) -> None:
    _, n, w, rounds, ctr, key, expected = vector
    assert philox_reference(n, w, rounds, ctr, key) == expected


@pytest.mark.parametrize("vector", [v for v in KAT if v[1] == 4], ids=kat_id)
def test_core_philox_matches_kat(
    vector: tuple[str, int, int, int, list[int], list[int], list[int]],
) -> None:
    name, _, w, rounds, ctr, key, expected = vector
    core = _core.philox4x64 if w == 64 else _core.philox4x32
    assert list(core(ctr, key, rounds)) == expected, name
    if rounds == 10:
        assert list(core(ctr, key)) == expected, "10 rounds is the default"


@pytest.mark.parametrize("w", [32, 64])
def test_core_philox_matches_reference_on_random_inputs(w: int) -> None:
    rng = np.random.default_rng(20240601 + w)
    mask = (1 << w) - 1
    core = _core.philox4x64 if w == 64 else _core.philox4x32
    for rounds in (0, 1, 2, 7, 10, 13):
        for _ in range(25):
            ctr = [int(x) for x in rng.integers(0, mask, 4, dtype=np.uint64, endpoint=True)]
            key = [int(x) for x in rng.integers(0, mask, 2, dtype=np.uint64, endpoint=True)]
            assert list(core(ctr, key, rounds)) == philox_reference(4, w, rounds, ctr, key)


def test_philox_is_sensitive_to_every_word() -> None:
    # Flipping any one bit of the counter or key changes the block (and about
    # half of its 256 bits: 128 +- 4 sd of a Binomial(256, 1/2) = 128 +- 32).
    ctr, key = [1, 2, 3, 4], [5, 6]
    base = _core.philox4x64(ctr, key)
    for i in range(4):
        for bit in (0, 31, 63):
            c = list(ctr)
            c[i] ^= 1 << bit
            changed = sum(
                bin(a ^ b).count("1") for a, b in zip(base, _core.philox4x64(c, key), strict=True)
            )
            assert 96 <= changed <= 160
    for i in range(2):
        k = list(key)
        k[i] ^= 1
        changed = sum(
            bin(a ^ b).count("1") for a, b in zip(base, _core.philox4x64(ctr, k), strict=True)
        )
        assert 96 <= changed <= 160


# --------------------------------------------------------------------------
# numpy.random.Philox is Philox4x64-10. It increments its 256-bit counter
# (word 0 least significant) before generating each block, so the block for
# counter C is the first output of Philox(counter=C - 1).


def words_to_int(words: list[int]) -> int:
    return sum(w << (64 * i) for i, w in enumerate(words))


def numpy_philox_block(ctr: list[int], key: list[int]) -> list[int]:
    before = (words_to_int(ctr) - 1) % (1 << 256)
    before_words = np.array([(before >> (64 * i)) & M64 for i in range(4)], dtype=np.uint64)
    gen = np.random.Philox(key=np.array(key, dtype=np.uint64), counter=before_words)
    return [int(x) for x in gen.random_raw(4)]


NUMPY_CASES = [
    ([0, 0, 0, 0], [0, 0]),  # C - 1 wraps around to 2**256 - 1
    ([1, 0, 0, 0], [0, 0]),
    ([0, 1, 0, 0], [1, 0]),  # borrow from word 1
    ([0, 0, 0, 1], [0, 1]),  # borrow through three words
    ([M64, M64, M64, M64], [M64, M64]),
    ([37, 0, 5, STREAM_INPUTS], [12345, KEY_TAG]),  # an input block of path 37
    (
        [0x243F6A8885A308D3, 0x13198A2E03707344, 0xA4093822299F31D0, 0x082EFA98EC4E6C89],
        [0x452821E638D01377, 0xBE5466CF34E90C6C],
    ),
]


@pytest.mark.parametrize(("ctr", "key"), NUMPY_CASES)
def test_core_philox4x64_matches_numpy(ctr: list[int], key: list[int]) -> None:
    assert list(_core.philox4x64(ctr, key)) == numpy_philox_block(ctr, key)


def test_core_philox4x64_matches_numpy_stream() -> None:
    # Consecutive numpy blocks are consecutive counters, with the carry.
    rng = np.random.default_rng(7)
    for start in (
        [M64 - 2, 0, 0, 0],
        [M64 - 1, M64, 9, 0],
        [int(x) for x in rng.integers(0, 1 << 62, 4)],
    ):
        key = [int(x) for x in rng.integers(0, 1 << 62, 2)]
        gen = np.random.Philox(
            key=np.array(key, dtype=np.uint64), counter=np.array(start, dtype=np.uint64)
        )
        raw = [int(x) for x in gen.random_raw(4 * 6)]
        c0 = words_to_int(start)
        for b in range(6):
            c = (c0 + 1 + b) % (1 << 256)
            words = [(c >> (64 * i)) & M64 for i in range(4)]
            assert list(_core.philox4x64(words, key)) == raw[4 * b : 4 * b + 4]


def test_numpy_comparison_can_fail() -> None:
    # Without the counter offset the blocks differ: the comparison has teeth.
    ctr, key = [5, 0, 0, 0], [1, 2]
    gen = np.random.Philox(
        key=np.array(key, dtype=np.uint64), counter=np.array(ctr, dtype=np.uint64)
    )
    assert list(_core.philox4x64(ctr, key)) != [int(x) for x in gen.random_raw(4)]


# --------------------------------------------------------------------------
# input_normals is Box-Muller on open uniforms from the documented counters.


def open_uniform(bits: int) -> float:
    return ((bits >> 12) + 0.5) * 2.0**-52


def reference_normals(seed: int, path: int, n_inputs: int) -> list[float]:
    """The normals of one path, from the core's Philox and Python's libm."""
    out: list[float] = []
    for block in range((n_inputs + 3) // 4):
        bits = _core.philox4x64([path, 0, block, STREAM_INPUTS], [seed, KEY_TAG])
        u = [open_uniform(b) for b in bits]
        for i in (0, 2):
            r = math.sqrt(-2.0 * math.log(u[i]))
            a = 2.0 * math.pi * u[i + 1]
            out += [r * math.cos(a), r * math.sin(a)]
    return out[:n_inputs]


@pytest.mark.parametrize(
    ("seed", "first_path", "n_paths", "n_inputs"),
    [(0, 0, 50, 1), (12345, 0, 200, 7), (2**64 - 1, 10**12, 30, 9)],
)
def test_input_normals_are_box_muller_on_documented_counters(
    seed: int, first_path: int, n_paths: int, n_inputs: int
) -> None:
    z = _core.input_normals(seed, first_path, n_paths, n_inputs)
    assert z.shape == (n_paths, n_inputs) and z.dtype == np.float64
    expected = np.array([reference_normals(seed, first_path + p, n_inputs) for p in range(n_paths)])
    # The core uses its own log and sine/cosine (wager/math/elementary.hpp,
    # within 2 ulp of libm's; see test_elementary.py), so the normals agree
    # with libm's Box-Muller to a few ulp, not bit for bit: for |z| <= 8.6 an
    # absolute 1e-14 is about 10 ulp of the largest.
    np.testing.assert_allclose(z, expected, rtol=0, atol=1e-14)


def test_open_uniform_lower_end() -> None:
    # Uniforms are the midpoints of 2**52 cells: the smallest is 2**-53 > 0
    # and the largest 1 - 2**-53 < 1 (exact in a double), so log(u) is finite
    # and a normal is at most sqrt(-2 log(2**-53)) ~ 8.57 in size.
    assert open_uniform(0) == 2.0**-53
    assert open_uniform(2**64 - 1) == 1.0 - 2.0**-53 < 1.0
    z_max = math.sqrt(-2.0 * math.log(open_uniform(0)))
    assert 8.5 < z_max < 8.6


# --------------------------------------------------------------------------
# Statistics. n normals per test at fixed seeds; a check passes when the
# statistic lies within 4 standard errors of its expectation (two-sided
# probability 6e-5 of a false alarm for a correct generator), and KS p > 1e-4.

N_PATHS = 50_000
N_SLOTS = 4
SEED = 20240611


@pytest.fixture(scope="module")
def normals() -> np.ndarray:
    return _core.input_normals(SEED, 0, N_PATHS, N_SLOTS)


def test_input_normals_ks(normals: np.ndarray) -> None:
    z = normals.ravel()
    assert z.size == 200_000
    assert stats.kstest(z, stats.norm.cdf).pvalue > 1e-4
    # Each slot separately: slots 0 and 2 are r cos(a), slots 1 and 3 r sin(a).
    for j in range(N_SLOTS):
        assert stats.kstest(normals[:, j], stats.norm.cdf).pvalue > 1e-4, j


def test_input_normals_moments(normals: np.ndarray) -> None:
    z = normals.ravel()
    n = z.size
    # Mean: SE 1 / sqrt(n). Variance of N(0, 1) draws: SE sqrt(2 / n).
    assert abs(z.mean()) < 4 / math.sqrt(n)
    assert abs(z.var(ddof=1) - 1.0) < 4 * math.sqrt(2 / n)
    # Skewness and excess kurtosis: SE sqrt(6 / n) and sqrt(24 / n).
    assert abs(stats.skew(z)) < 4 * math.sqrt(6 / n)
    assert abs(stats.kurtosis(z)) < 4 * math.sqrt(24 / n)


def test_input_normals_tails(normals: np.ndarray) -> None:
    # Tail frequencies beyond 2 and 3 sd: binomial SE sqrt(p (1 - p) / n).
    z = normals.ravel()
    n = z.size
    for t in (2.0, 3.0):
        p = 2 * stats.norm.sf(t)
        freq = np.mean(np.abs(z) > t)
        assert abs(freq - p) < 4 * math.sqrt(p * (1 - p) / n), t


def test_input_normals_slots_are_independent(normals: np.ndarray) -> None:
    # Pearson correlation of independent normals: SE 1 / sqrt(n). The pairs
    # (0, 1) and (2, 3) share a Box-Muller radius, so also check their squares
    # (E[z1^2 z2^2] = 1 for independent normals) and sign agreement.
    n = normals.shape[0]
    corr = np.corrcoef(normals, rowvar=False)
    for i in range(N_SLOTS):
        for j in range(i + 1, N_SLOTS):
            assert abs(corr[i, j]) < 4 / math.sqrt(n), (i, j)
            sq = np.corrcoef(normals[:, i] ** 2, normals[:, j] ** 2)[0, 1]
            assert abs(sq) < 4 / math.sqrt(n), (i, j)
            same_sign = np.mean(np.sign(normals[:, i]) == np.sign(normals[:, j]))
            assert abs(same_sign - 0.5) < 4 * math.sqrt(0.25 / n), (i, j)


def test_input_normals_paths_are_independent(normals: np.ndarray) -> None:
    # Neighbouring paths (counters differing by one) are uncorrelated.
    n = normals.shape[0] - 1
    for j in range(N_SLOTS):
        lag1 = np.corrcoef(normals[:-1, j], normals[1:, j])[0, 1]
        assert abs(lag1) < 4 / math.sqrt(n), j


def test_input_normals_second_block(normals: np.ndarray) -> None:
    # Inputs 4..7 come from the next counter block and are standard normal too
    # and unrelated to inputs 0..3.
    z = _core.input_normals(SEED, 0, 20_000, 8)
    np.testing.assert_array_equal(z[:, :4], normals[:20_000])
    assert stats.kstest(z[:, 4:].ravel(), stats.norm.cdf).pvalue > 1e-4
    for i in range(4):
        c = np.corrcoef(z[:, i], z[:, i + 4])[0, 1]
        assert abs(c) < 4 / math.sqrt(z.shape[0])


def test_statistical_checks_can_fail(normals: np.ndarray) -> None:
    # The same checks reject slightly wrong distributions at this sample size.
    z = normals.ravel()
    n = z.size
    assert stats.kstest(z, stats.norm(0.03, 1).cdf).pvalue < 1e-4
    assert stats.kstest(z, stats.norm(0, 1.03).cdf).pvalue < 1e-4
    assert abs((z + 0.01).mean()) > 4 / math.sqrt(n)
    assert abs((1.01 * z).var(ddof=1) - 1.0) > 4 * math.sqrt(2 / n)
    mixed = np.column_stack([normals[:, 0], 0.05 * normals[:, 0] + normals[:, 1]])
    assert abs(np.corrcoef(mixed, rowvar=False)[0, 1]) > 4 / math.sqrt(normals.shape[0])


# --------------------------------------------------------------------------
# Identity of the numbers: a pure function of (seed, path, input).


def test_input_normals_depend_on_seed_and_path() -> None:
    a = _core.input_normals(1, 0, 100, 4)
    b = _core.input_normals(2, 0, 100, 4)
    c = _core.input_normals(1, 100, 100, 4)
    # Continuous values: any coincidence at all would be a bug.
    assert not np.any(a == b)
    assert not np.any(a == c)
    # Every path of a call differs from every other.
    assert len({tuple(row) for row in a}) == a.shape[0]
    assert len(np.unique(a)) == a.size
    # Neighbouring seeds are not shifted copies of each other either.
    assert not np.any(np.isin(a, b))


def test_input_normals_same_for_any_split() -> None:
    seed, k = 99, 6
    whole = _core.input_normals(seed, 0, 100, k)
    np.testing.assert_array_equal(whole[37], _core.input_normals(seed, 37, 1, k)[0])
    parts = np.vstack(
        [_core.input_normals(seed, s, e - s, k) for s, e in [(0, 1), (1, 37), (37, 38), (38, 100)]]
    )
    np.testing.assert_array_equal(parts, whole)
    # Reproducible from call to call.
    np.testing.assert_array_equal(_core.input_normals(seed, 0, 100, k), whole)


def test_input_normals_do_not_depend_on_input_count() -> None:
    # Adding inputs does not change the numbers the earlier inputs get.
    wide = _core.input_normals(5, 3, 40, 11)
    for k in (1, 3, 4, 5, 8):
        np.testing.assert_array_equal(_core.input_normals(5, 3, 40, k), wide[:, :k])


def test_input_normals_empty() -> None:
    assert _core.input_normals(1, 0, 0, 3).shape == (0, 3)
    assert _core.input_normals(1, 0, 4, 0).shape == (4, 0)
