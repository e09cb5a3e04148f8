// Draws the shared random world of a block of 32 paths (regimes, raise draws,
// demand factor, segment normals) from Philox, 32 lanes at a time (docs/model.md §18-§19).
#include "world_block.hpp"

#include <cmath>

#include "lane_loop.hpp"
#include "simd_clones.hpp"
#include "wager/random/philox_lanes.hpp"
#include "wager/random/streams.hpp"

namespace wager::detail {

namespace {
constexpr auto L = static_cast<std::size_t>(lanes);
using Block = random::Philox4x32Lanes<L>;
static_assert(L == random::philox_block_lanes, "a world block draws one Philox block per path");

void fill_counters(Block& b, std::uint64_t first_path, std::uint32_t step, std::uint32_t block) {
  // random::world_counter(first_path + l, step, block), word by word.
  const std::uint32_t last = random::world_counter(0, step, block)[3];
  WAGER_FOR_LANES(l, L) {
    const std::uint64_t path = first_path + l;
    b.w0[l] = static_cast<std::uint32_t>(path);
    b.w1[l] = static_cast<std::uint32_t>(path >> 32);
    b.w2[l] = step;
    b.w3[l] = last;
  }
}
}  // namespace

WorldPlan::WorldPlan(const World& w, int steps, double dt, std::size_t segments)
    : world(&w), n_steps(steps), n_segments(segments) {
  factor_coef = std::pow(w.factor_persistence, dt);
  const double phi = w.factor_persistence;
  factor_vol = phi < 1.0 ? w.factor_volatility * std::sqrt((1.0 - factor_coef * factor_coef) / (1.0 - phi * phi))
                         : w.factor_volatility * std::sqrt(dt);
  const auto nr = static_cast<std::size_t>(w.n_regimes);
  if (!w.step_transition.empty()) {
    cumulative.resize(nr * nr);
    for (std::size_t i = 0; i < nr; ++i) {
      double acc = 0.0;
      for (std::size_t j = 0; j < nr; ++j) cumulative[i * nr + j] = acc += w.step_transition[i * nr + j];
    }
  }
}

void WorldBlock::resize(const WorldPlan& plan) {
  const auto cells = static_cast<std::size_t>(plan.n_steps) * L;
  regime.assign(cells, 0);
  raise.assign(cells, 0.5);
  factor.assign(cells, 0.0);
  segment_normals.assign(cells * plan.n_segments, 0.0);
}

WAGER_SIMD_CLONES void draw_world_block(const WorldPlan& plan, std::uint64_t seed, std::uint64_t first_path, WorldBlock& out) {
  const World& w = *plan.world;
  const random::Philox4x32Key key = random::world_key(seed);
  const auto nr = static_cast<std::size_t>(w.n_regimes);
  const std::size_t n_seg = plan.n_segments;
  const bool pair0 = plan.factor_vol > 0.0 || n_seg > 0;
  const std::size_t extra_blocks = n_seg > 1 ? (n_seg - 1 + 3) / 4 : 0;
  const double coef = plan.factor_coef, vol = plan.factor_vol;
  Lane r;  // the regime of each lane, as a double: one element width in every loop
  r.fill(static_cast<double>(w.initial_regime));
  Lane f{}, spare;
  Block b;
  for (int n = 0; n < plan.n_steps; ++n) {
    const auto nu = static_cast<std::size_t>(n);
    fill_counters(b, first_path, static_cast<std::uint32_t>(n), 0);
    random::philox4x32_block(b, key);
    const int pinned = w.pinned.empty() ? -1 : w.pinned[nu];
    if (pinned >= 0) {
      r.fill(static_cast<double>(pinned));
    } else if (n > 0 && !plan.cumulative.empty()) {
      // docs/model.md §18 (regime chain). The next regime is the first j whose cumulative probability exceeds
      // u: the number of j < n_regimes - 1 with u >= cumulative[r][j],
      // counted with selects over the few (r, j) rather than gathers.
      Lane u, next{};
      WAGER_FOR_LANES(l, L) u[l] = random::open_uniform32(b.w0[l]);
      for (std::size_t from = 0; from < nr; ++from) {
        const double from_d = static_cast<double>(from);
        for (std::size_t j = 0; j + 1 < nr; ++j) {
          const double c = plan.cumulative[from * nr + j];
          WAGER_FOR_LANES(l, L) next[l] += (r[l] == from_d) & (u[l] >= c) ? 1.0 : 0.0;
        }
      }
      r = next;
    }
    double* seg = out.segment_normals.data() + nu * n_seg * L;  // empty without volatility
    WAGER_FOR_LANES(l, L) {
      out.regime[nu * L + l] = static_cast<int>(r[l]);
      out.raise[nu * L + l] = random::open_uniform32(b.w1[l]);  // docs/model.md §18 (raise draws)
    }
    // docs/model.md §19 (normals: Box-Muller) feeding §18 (AR(1) processes):
    // the common demand factor from the first normal, segment 0 from the second.
    if (pair0) {
      Lane z1, z2;
      WAGER_FOR_LANES(l, L) {
        const random::NormalPair z = random::box_muller(random::open_uniform32(b.w2[l]), random::open_uniform32(b.w3[l]));
        z1[l] = z.first;
        z2[l] = z.second;
      }
      if (vol > 0.0) {
        WAGER_FOR_LANES(l, L) f[l] = coef * f[l] + vol * z1[l];
      }
      if (n_seg > 0) {
        WAGER_FOR_LANES(l, L) seg[l] = z2[l];
      }
    }
    WAGER_FOR_LANES(l, L) out.factor[nu * L + l] = f[l];
    for (std::size_t e = 0; e < extra_blocks; ++e) {
      fill_counters(b, first_path, static_cast<std::uint32_t>(n), static_cast<std::uint32_t>(e + 1));
      random::philox4x32_block(b, key);
      // Pair 0 (words 0, 1) gives segments first and first + 1, pair 1
      // (words 2, 3) the next two; a pair no segment uses is not computed.
      const std::size_t first = 1 + 4 * e;
      const std::size_t pairs = n_seg - first > 2 ? 2 : 1;
      for (std::size_t p = 0; p < pairs; ++p) {
        const std::uint32_t* wa = p == 0 ? b.w0.data() : b.w2.data();
        const std::uint32_t* wb = p == 0 ? b.w1.data() : b.w3.data();
        const std::size_t s1 = first + 2 * p, s2 = s1 + 1;
        double* d1 = seg + s1 * L;
        double* d2 = s2 < n_seg ? seg + s2 * L : spare.data();
        WAGER_FOR_LANES(l, L) {
          const random::NormalPair z = random::box_muller(random::open_uniform32(wa[l]), random::open_uniform32(wb[l]));
          d1[l] = z.first;
          d2[l] = z.second;
        }
      }
    }
  }
}

}  // namespace wager::detail
