// A block's uncertain inputs turned into its lanes' parameters directly, one
// vector per parameter, without a model per lane (docs/model.md §17): each
// moved parameter is its central value plus the inputs' weighted deviations,
// as apply_inputs() computes it, and the step fields and tables it feeds are
// formed from those vectors, as PreparedModel forms them. The bits are those
// of a model per lane.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

#include "lane_stepper.hpp"
#include "prepared_model.hpp"
#include "wager/parameters.hpp"
#include "wager/simulation.hpp"

namespace wager::detail {

/// The constants of a model a lane reads per block (LaneParams::load_block).
enum class LaneConstant : int {
  initial_assets, initial_cash, initial_debt, cash_yield, tax_rate, capacity_per_dollar,
  eq_trigger_runway, eq_target_runway, eq_max_dilution, eq_min_interval,
  mg_trigger_runway, mg_cut_training, mg_cut_opex, mg_renegotiate, mg_penalty,
  credit_limit, demand_beta
};

struct LaneInputs {
  /// Whether a strategy's lanes can take their inputs this way: inputs, no
  /// triggered shock, dated shocks clear of what the inputs move
  /// (shocks_clear_of_inputs: the shared model then carries them), and
  /// every moved parameter a step field or a constant above (not a
  /// tranche's terms or a segment's volatility or persistence).
  bool direct = false;
  /// Some input moves the commitments or a contract's payments: the lanes
  /// then also carry a model each, refreshed for the commitments only,
  /// which the commitments still to pay after each step and the suppliers'
  /// claims are read from (LaneParams::load_step_tables, the distress and
  /// exposure of a lane); every other moved value is the lanes' here.
  bool commitment_models = false;
  std::vector<double> central;                                     ///< per moved parameter (slot)
  std::vector<std::vector<std::pair<std::size_t, double>>> terms;  ///< per input: (slot, weight)
  std::vector<double> input_central;                               ///< per input
  /// [field * n_years + year]: the slot of step field `field` in `year`; -1: the model's value.
  std::vector<int> field_year_slot;
  /// [field * n_years + year], year > 0: 1 if every lane's value of the
  /// field in `year` is that of the year before, bit for bit, by
  /// construction: the same slot, two slots computed alike (equal central
  /// values and terms), or the model's equal values.
  std::vector<char> same_as_before;
  struct ConstantSlot {
    std::size_t slot;
    LaneConstant what;
    std::size_t segment;  ///< for demand_beta
  };
  std::vector<ConstantSlot> constants;
  int n_years = 0;

  /// Per step field: the dated shocks on it, in the strategy's order, that
  /// the lanes apply to their own values of it (those the shared model
  /// holds are shocked there); each shock's weight per step.
  std::vector<std::vector<std::size_t>> field_shocks;
  std::vector<std::vector<double>> shock_step_weight;  ///< per shock (empty: not applied here)
  std::vector<FieldBounds> field_bounds;               ///< per step field, its shocked values' range
  /// What dated shocks move inside a year (shocks_within_years): those of
  /// the lanes' values are loaded again at the steps where a weight moved
  /// (`within_moves`, per step), not only at year starts.
  LaneVaries within;
  std::vector<char> within_moves;

  std::vector<Lane> values;  ///< per slot: the block's lanes' values
  // What each lane's table entries were computed from (PreparedModel's memo
  // per lane: a value is recomputed only when its key changes).
  std::vector<Lane> key_demand, key_price, key_revenue;  ///< [segment * regimes + regime]
  Lane key_life{}, key_impairment{};
  std::vector<Lane> key_segment_rate, segment_rate;  ///< per segment: log1p of its price change
  std::vector<Lane> key_regime_rate, regime_rate;    ///< per regime: the same

  /// What the inputs move (input_varies): the lanes' values these load;
  /// the rest, a triggered window's included, LaneParams loads.
  LaneVaries vary;

  /// `shared`: the strategy's model, prepared; `window`: its triggered
  /// shocks share one window (shared_window); `touched` and
  /// `touched_central`: the parameters the inputs move and their values
  /// there (StrategyScratch); `params` is parameters(shared.model).
  LaneInputs(const PreparedModel& shared, const Strategy& strat, const std::vector<ParameterRef>& params,
             const std::vector<int>& touched, const std::vector<double>& touched_central, bool window);

  /// The moved parameters' values of each lane from x[input][lane].
  void compute_values(const double* x);
  /// Overwrites the block constants the inputs move (after LaneParams::load_block).
  void load_constants(LaneParams& lp) const;
  /// The lane-varying step fields and tables of step k, a year's first.
  void load_year(LaneParams& lp, int k) { load(lp, k, nullptr); }
  /// Those a dated shock moves inside the year, at step k (none: a year's first).
  void load_within(LaneParams& lp, int k) {
    if (!within_moves.empty() && within_moves[static_cast<std::size_t>(k)] != 0) load(lp, k, &within);
  }

 private:
  void field(const PreparedModel& pm, int f, int k, bool times_dt, Lane& out) const;
  void load(const PreparedModel& pm, int f, int k, bool times_dt, Lane& out, const LaneVaries* only) const;
  bool same(int f, int year) const {
    return year > 0 && same_as_before[static_cast<std::size_t>(f) * static_cast<std::size_t>(n_years) +
                                      static_cast<std::size_t>(year)] != 0;
  }
  void find_repeats(const PreparedModel& shared);
  void find_field_shocks(const Model& m, const Strategy& strat);
  void apply_shocks(int f, int k, int year, const Lane& v, Lane& out) const;
  const std::vector<Shock>* shocks_ = nullptr;
  // `only` (inside a year): what a shock moved since the step before, every
  // lane's value recomputed; none (a year's first step): every lane-varying
  // value, those the year before left as they are kept.
  void load(LaneParams& lp, int k, const LaneVaries* only);
  void load_regime_tables(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only);
  void load_globals(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only);
  void load_growth(LaneParams& lp, const PreparedModel& pm, int k, const LaneVaries* only);
  static void rate_of(const Lane& x, Lane& key, Lane& rate);
  Lane a_{}, b_{}, c_{};            // a step's field values being combined
  std::vector<Lane> demand_growth_;  // per regime, at the year being loaded
};

}  // namespace wager::detail
