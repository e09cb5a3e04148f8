// docs/model.md §3 (market regime): a regime's parameters per lane, picked
// by selects over the few regimes rather than gathered (gathers are slow on
// many machines). Every form gives the same bits: out is table[regime].
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>

#include "lane_loop.hpp"
#include "lane_stepper.hpp"

namespace wager::detail {

/// One table of `n` values (one per regime) into `out`.
template <int N>
[[gnu::always_inline]] inline void pick_by_regime(const LaneOf<N>& regime, const double* table, std::size_t n,
                                                  LaneOf<N>& out) {
  out.fill(table[0]);
  for (std::size_t j = 1; j < n; ++j) {
    const double t = table[j], jd = static_cast<double>(j);
    WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) out[l] = regime[l] == jd ? t : out[l];
  }
}

/// Three regimes' per-lane values t[0..2] into `out`, as a select of bits
/// (the same value as is2 ? t2 : (is1 ? t1 : t0)): each table value is
/// loaded in full and the output stored once. Written as a select of
/// values, g++ compiled the picks to masked loads, masked stores and stack
/// spills, about 30% of the per-lane step's samples (perf, AMD Zen 4); the
/// ten-input benchmark went from 18.4 to 19.7 M path-steps/s with this form.
template <int N>
[[gnu::always_inline]] inline void pick_three_lanes(const LaneOf<N>& regime, const LaneOf<N>* t, LaneOf<N>& out) {
  const double *t0 = t[0].data(), *t1 = t[1].data(), *t2 = t[2].data();
  double* o = out.data();
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    const std::uint64_t m1 = regime[l] == 1.0 ? ~std::uint64_t{0} : 0, m2 = regime[l] == 2.0 ? ~std::uint64_t{0} : 0;
    const auto a = std::bit_cast<std::uint64_t>(t0[l]), b = std::bit_cast<std::uint64_t>(t1[l]),
               c = std::bit_cast<std::uint64_t>(t2[l]);
    o[l] = std::bit_cast<double>((((a & ~m1) | (b & m1)) & ~m2) | (c & m2));
  }
}

/// The same for per-lane tables: table[j] holds regime j's value in each lane.
template <int N>
[[gnu::always_inline]] inline void pick_by_regime_lanes(const LaneOf<N>& regime, const LaneOf<N>* table,
                                                        std::size_t n, LaneOf<N>& out) {
  if (n == 3) {
    pick_three_lanes<N>(regime, table, out);
    return;
  }
  out = table[0];
  for (std::size_t j = 1; j < n; ++j) {
    const LaneOf<N>& t = table[j];
    const double jd = static_cast<double>(j);
    WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) out[l] = regime[l] == jd ? t[l] : out[l];
  }
}

/// M tables at once. With the usual three regimes, one pass over the
/// lanes compares the regime once and writes each output once (a pick
/// per table re-reads and re-writes its output for every regime, which
/// was an eighth of a step's instructions); with other counts, table by
/// table.
template <int N, std::size_t M>
[[gnu::always_inline]] inline void pick_many_by_regime(const LaneOf<N>& regime,
                                                       const std::array<const double*, M>& tables, std::size_t n,
                                                       const std::array<LaneOf<N>*, M>& out) {
  if (n != 3) {
    for (std::size_t m = 0; m < M; ++m) pick_by_regime<N>(regime, tables[m], n, *out[m]);
    return;
  }
  std::array<double, M> t0, t1, t2;
  for (std::size_t m = 0; m < M; ++m) {
    t0[m] = tables[m][0];
    t1[m] = tables[m][1];
    t2[m] = tables[m][2];
  }
  WAGER_FOR_LANES(l, static_cast<std::size_t>(N)) {
    const bool is1 = regime[l] == 1.0, is2 = regime[l] == 2.0;
#pragma GCC unroll 16
    for (std::size_t m = 0; m < M; ++m) (*out[m])[l] = is2 ? t2[m] : (is1 ? t1[m] : t0[m]);
  }
}

/// The same for per-lane tables: tables[m][j] holds regime j's value of
/// table m in each lane (table by table: see pick_three_lanes).
template <int N, std::size_t M>
[[gnu::always_inline]] inline void pick_many_by_regime_lanes(const LaneOf<N>& regime,
                                                             const std::array<const LaneOf<N>*, M>& tables,
                                                             std::size_t n, const std::array<LaneOf<N>*, M>& out) {
  for (std::size_t m = 0; m < M; ++m) pick_by_regime_lanes<N>(regime, tables[m], n, *out[m]);
}

}  // namespace wager::detail
