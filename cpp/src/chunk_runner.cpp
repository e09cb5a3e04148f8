// One chunk of paths on one thread: blocks that never cross a multiple of 32,
// their worlds drawn once, then each strategy over every block (its statistics stay in cache).
#include "chunk_runner.hpp"

#include <algorithm>

#include "block_runner.hpp"
#include "path_parameters.hpp"
#include "world_block.hpp"

namespace wager::detail {

namespace {

// Blocks never cross a multiple of 32 counted from path 0 of the simulation
// (which a world period requires).
void split_into_blocks(ThreadScratch& sc, std::int64_t lo, std::int64_t hi) {
  sc.blocks.clear();
  for (std::int64_t p = lo; p < hi;) {
    const std::int64_t next = std::min(hi, (p / lanes + 1) * lanes);
    sc.blocks.emplace_back(p, static_cast<int>(next - p));
    p = next;
  }
}

// docs/model.md §18 (the random world): one world per block, shared by every
// strategy (common random numbers); with a world period, path p lives in the
// world of path p mod period (§25).
void draw_worlds(const RunContext& ctx, ThreadScratch& sc) {
  const SimulationConfig& c = ctx.config;
  if (sc.worlds.size() < sc.blocks.size()) sc.worlds.resize(sc.blocks.size());
  for (std::size_t b = 0; b < sc.blocks.size(); ++b) {
    WorldBlock& world = sc.worlds[b];
    if (world.regime.empty()) world.resize(ctx.plan);
    const std::int64_t rel = sc.blocks[b].first;
    const std::int64_t world_path = c.world_period > 0 ? (c.first_path + rel) % c.world_period : c.first_path + rel;
    draw_world_block(ctx.plan, c.seed, static_cast<std::uint64_t>(world_path), world);
  }
}

// Strategy si over every block of the chunk; when its paths have their own
// parameters, each lane's are set first.
void run_strategy(const RunContext& ctx, ThreadScratch& sc, std::size_t si, std::int64_t lo) {
  const Strategy& strat = ctx.config.strategies[si];
  StrategyScratch& ps = sc.strategies[si];
  ps.chunk_lo = lo;
  for (std::size_t b = 0; b < sc.blocks.size(); ++b) {
    const WorldBlock& world = sc.worlds[b];
    const auto [rel0, count] = sc.blocks[b];
    ps.block_at = static_cast<std::size_t>(rel0 - lo);
    if (ps.per_path) {
      prepare_block(ctx, world, ps, strat, static_cast<std::uint64_t>(ctx.config.first_path + rel0), count);
    }
    run_lanes(ctx, sc, world, si, count, rel0);
  }
}

}  // namespace

void run_chunk(const RunContext& ctx, ThreadScratch& sc, std::int64_t lo, std::int64_t hi) {
  const SimulationConfig& c = ctx.config;
  split_into_blocks(sc, lo, hi);
  draw_worlds(ctx, sc);
  for (const std::size_t si : ctx.order) run_strategy(ctx, sc, si, lo);  // a contagion's sources first
  for (std::size_t q = 0; q < c.pairs.size(); ++q) {
    // Strategy b against strategy a on each path of the chunk just run.
    const auto& [a, b] = c.pairs[q];
    add_pair_paths(sc.pairs[q], sc.strategies[static_cast<std::size_t>(a)].chunk,
                   sc.strategies[static_cast<std::size_t>(b)].chunk, static_cast<std::size_t>(hi - lo),
                   ctx.start_year, c.histogram);
  }
}

}  // namespace wager::detail
