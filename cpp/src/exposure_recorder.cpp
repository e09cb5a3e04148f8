// docs/model.md §28: each supplier's exposure at the end of each year, as
// distress_at_step.hpp would count its claim at that step (before the cap).
#include "exposure_recorder.hpp"

#include <array>
#include <cstdint>

#include "distress_resolution.hpp"
#include "lane_loop.hpp"
#include "simd_clones.hpp"

namespace wager::detail {

namespace {

constexpr auto L = static_cast<std::size_t>(lanes);

// The fixed-point values and bins of every lane, compiled for each
// instruction set (the same bits in every one).
WAGER_SIMD_CLONES void fixed_and_bins(const Lane& x, double bound, std::array<std::int64_t, L>& fixed,
                                      std::array<std::int64_t, L>& bin, std::array<bool, L>& finite) {
  WAGER_FOR_LANES(l, L) {
    fixed[l] = to_fixed(x[l]);
    bin[l] = linear_bin(x[l], bound, exposure_bins);
    // x - x is 0 exactly for a finite x and NaN otherwise.
    finite[l] = x[l] - x[l] == 0.0;
  }
}

// Supplier c's year-y series: `n_value` lanes at v, `n_zero` at 0 (in
// distress); the same integers as add_lanes.
void add_uniform(ExposureOutcome& out, std::size_t c, int y, double v, std::size_t n_value, std::size_t n_zero) {
  SeriesStats& st = out.exposure;
  const std::size_t series = c * static_cast<std::size_t>(out.n_years) + static_cast<std::size_t>(y);
  std::uint64_t* row = st.histogram.data() + series * static_cast<std::size_t>(st.n_bins);
  row[0] += n_zero;
  if (n_value == 0) return;
  if (!(v - v == 0.0)) {
    st.non_finite[series] += n_value;
    return;
  }
  const int128 q = to_fixed(v), m = static_cast<int128>(n_value);
  st.sum[series] += m * q;
  st.sum_squares[series] += m * (q * q);
  row[linear_bin(v, out.bound[c], exposure_bins)] += n_value;
}

// Supplier c's exposure in every lane into its year-y series, the first
// `active` lanes. Neighbouring lanes that share a bin are counted as a run
// and added once: the same integers as one increment each, without a chain
// of increments of one count through memory.
void add_lanes(ExposureOutcome& out, std::size_t c, int y, const Lane& x, std::size_t active) {
  // Nothing owed on any lane (a contract paid off, no debt): a third of the
  // presets' supplier-years. Zero is bin 0 and adds 0 to the sums.
  bool none = true;
  for (std::size_t l = 0; l < active; ++l) none = none && x[l] == 0.0;
  if (none) {
    add_uniform(out, c, y, 0.0, 0, active);
    return;
  }
  std::array<std::int64_t, L> fixed, bin;
  std::array<bool, L> finite;
  fixed_and_bins(x, out.bound[c], fixed, bin, finite);
  SeriesStats& st = out.exposure;
  const std::size_t series = c * static_cast<std::size_t>(out.n_years) + static_cast<std::size_t>(y);
  std::uint64_t* row = st.histogram.data() + series * static_cast<std::size_t>(st.n_bins);
  std::int64_t sum = 0;  // at most 32 values below 2^47: exact in 64 bits
  int128 squares = 0;
  std::uint64_t bad = 0, run = 0;
  std::int64_t last = 0;
  for (std::size_t l = 0; l < active; ++l) {
    if (!finite[l]) {
      ++bad;
      continue;
    }
    const std::int64_t q = fixed[l];
    sum += q;
    squares += int128{q} * q;
    if (bin[l] != last) {
      row[last] += run;
      last = bin[l];
      run = 0;
    }
    ++run;
  }
  row[last] += run;
  st.sum[series] += sum;
  st.sum_squares[series] += squares;
  st.non_finite[series] += bad;
}

// Every lane on the shared model: counterparty_commitments' arithmetic, in
// its order, over the lanes at once (a lane in distress: 0).
void shared_exposure(const StrategyScratch& ps, int k, const LaneState& s, std::vector<Lane>& x) {
  const PreparedModel& pm = *ps.prepared;
  const std::size_t n = pm.n_counterparties;
  const auto ku = static_cast<std::size_t>(k);
  const double* after = ps.stepper->shared_counterparty_after().data() + ku * n;
  for (std::size_t c = 0; c < n; ++c) {
    const double a = after[c];
    Lane& xc = x[c];
    WAGER_FOR_LANES(l, L) {
      const double owed_share = s.commit_scale[l] + s.penalty_share[l];
      xc[l] = s.defaulted[l] != 0.0 ? 0.0 : a * owed_share;
    }
  }
  if (pm.failure_counterparty >= 0 && pm.failure_step >= 0) {
    // The failed supplier's contract: still owed before it fails, and after
    // if its estate kept it (§5).
    const double at_risk = pm.at_risk_after[ku];
    const double before = k < pm.failure_step ? 1.0 : 0.0;
    Lane& xc = x[static_cast<std::size_t>(pm.failure_counterparty)];
    WAGER_FOR_LANES(l, L) {
      const double owed_share = s.commit_scale[l] + s.penalty_share[l];
      const double kept = before > 0.0 ? 1.0 : s.contract_kept[l];
      const bool add = (kept > 0.0) & (s.defaulted[l] == 0.0);  // a lane in distress stays at 0
      xc[l] = add ? xc[l] + kept * at_risk * owed_share : xc[l];
    }
  }
}

}  // namespace

void record_lenders(StrategyScratch& ps, int y, const LaneState& s, std::size_t active) {
  Lane facility, term;
  WAGER_FOR_LANES(l, L) {
    const double debt = max_of(s.debt[l], 0.0);
    const double drawn = min_of(max_of(s.credit_drawn[l], 0.0), debt);
    const bool alive = s.defaulted[l] == 0.0;
    facility[l] = alive ? drawn : 0.0;
    term[l] = alive ? max_of(s.debt[l] - drawn, 0.0) : 0.0;
  }
  add_lanes(ps.partial.lenders, 0, y, facility, active);
  add_lanes(ps.partial.lenders, 1, y, term, active);
}

void record_exposure(const RunContext& ctx, StrategyScratch& ps, int y, const LaneState& state,
                     const LaneParams& params, bool per_lane, std::size_t active) {
  ExposureOutcome& out = ps.partial.exposure;
  const std::size_t n = out.n_counterparties;
  const int k = (y + 1) * ctx.steps_per_year - 1;  // the year's last step
  const PreparedModel& shared = *ps.prepared;
  std::vector<Lane>& x = ps.exposure_values;
  bool own_models = false;
  for (std::size_t l = 0; per_lane && l < active; ++l) own_models = own_models || params.models[l] != &shared;
  if (!own_models) {
    // The lanes alive at step k by their owed share: when they owe a few
    // shares (none cut by management, or cut alike), each supplier's
    // exposure takes a few values, each counted at once for its lanes.
    constexpr std::size_t few = 4;
    std::array<double, few> owed{};
    std::array<std::size_t, few> count{};
    std::size_t distinct = 0, alive = 0;
    for (std::size_t l = 0; l < active && distinct <= few; ++l) {
      if (state.defaulted[l] != 0.0) continue;
      ++alive;
      const double owed_share = state.commit_scale[l] + state.penalty_share[l];
      std::size_t i = 0;
      while (i < distinct && !(owed[i] == owed_share)) ++i;
      if (i == distinct && distinct++ == few) break;  // too many: lane by lane
      owed[i] = owed_share;
      ++count[i];
    }
    if (distinct <= few) {
      // A failed supplier's kept contract differs by lane: that one lane by lane.
      const int failed = shared.failure_step >= 0 ? shared.failure_counterparty : -1;
      const double* after = ps.stepper->shared_counterparty_after().data() + static_cast<std::size_t>(k) * n;
      for (std::size_t c = 0; c < n; ++c) {
        if (static_cast<int>(c) == failed) continue;
        add_uniform(out, c, y, 0.0, 0, active - alive);
        for (std::size_t i = 0; i < distinct; ++i) add_uniform(out, c, y, after[c] * owed[i], count[i], 0);
      }
      if (failed >= 0) {
        shared_exposure(ps, k, state, x);
        add_lanes(out, static_cast<std::size_t>(failed), y, x[static_cast<std::size_t>(failed)], active);
      }
      return;
    }
    shared_exposure(ps, k, state, x);
  } else {
    DistressInputs& in = ps.exposure_inputs;  // its vectors keep their room
    in.counterparty_remaining.resize(n);
    const auto ny = static_cast<std::size_t>(out.n_years);
    std::vector<double>& lane_after = ps.exposure_lane_after;
    if (y == 0) {
      // A lane's model holds for the block: its year ends' payments due, once.
      lane_after.resize(L * ny * n);
      for (std::size_t l = 0; l < active; ++l) {
        if (params.models[l] != &shared) due_after_year_ends(*params.models[l], &lane_after[l * ny * n]);
      }
    }
    for (std::size_t l = 0; l < L; ++l) {
      if (l >= active || state.defaulted[l] != 0.0) {
        // Its distress began at or before step k: what it lost is realised.
        for (std::size_t c = 0; c < n; ++c) x[c][l] = 0.0;
        continue;
      }
      // As distress_at_step.hpp: the kept payments and the spread penalties
      // on the cancelled ones (§11, 5.); a failed supplier's contract still
      // owed before it fails, and after if its estate kept it (§5).
      const double owed_share = state.commit_scale[l] + state.penalty_share[l];
      const PreparedModel& own = *params.models[l];
      const double kept = own.failure_step < 0 ? 0.0 : k < own.failure_step ? 1.0 : state.contract_kept[l];
      const double* later = &own == &shared
                                ? ps.stepper->shared_counterparty_after().data() + static_cast<std::size_t>(k) * n
                                : &lane_after[(l * ny + static_cast<std::size_t>(y)) * n];
      double* remaining = in.counterparty_remaining.data();
      supplier_remaining(own, later, k, owed_share, kept, remaining);
      for (std::size_t c = 0; c < n; ++c) x[c][l] = remaining[c];
    }
  }
  for (std::size_t c = 0; c < n; ++c) add_lanes(out, c, y, x[c], active);
}

}  // namespace wager::detail
