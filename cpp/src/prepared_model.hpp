// A model resolved to per-step arrays, computed once and shared read-only by
// every path. Shocks on fields that vary in time are applied here, step by
// step (docs/stress.md); shocks on constants are applied to the Model first
// (apply_constant_shocks).
#pragma once

#include <array>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "claim_split.hpp"
#include "wager/model.hpp"
#include "wager/shock.hpp"

namespace wager::detail {

/// The fields of a model that vary in time, each resolved to one value per
/// step. Field-major: field f's steps are values[f * n_steps + k].
enum class SegmentField : int { revenue, inference_cost_ratio, price_change, count_ };
enum class RegimeField : int {
  demand_growth, price_change, valuation_multiple, raise_success, spot_price, resale_share, credit_spread, count_
};
enum class GlobalField : int {
  training, commitments, capex, depreciation_life, impairment,
  staff_fixed, staff_of_revenue, sales_marketing_fixed, sales_marketing_of_revenue,
  general_admin_fixed, general_admin_of_revenue, stock_based_pay_fixed, stock_based_pay_of_revenue,
  debt_rate, valuation_scale, count_
};

/// Where a shocked field lives among the step fields; -1 = not a step field.
int step_field_index(const Model& m, const std::string& field);
/// The range a shocked step field is clipped to (docs/model.md §25), what the field can mean.
struct FieldBounds {
  double lo, hi;
};
FieldBounds step_field_bounds(const Model& m, int f);
/// How many step fields model `m` has.
int step_field_index_count(const Model& m);

/// Applies the shocks on constants and one-date fields (initial values,
/// tranches, policies, the backstop switch) to `m`, in place. Shocks on step
/// fields are left to PreparedModel. Throws InputError for an unknown
/// field, a triggered shock on a constant, or a constant shocked over only
/// part of the horizon.
void apply_constant_shocks(Model& m, const std::vector<Shock>& shocks);

/// What a partial refresh recomputes (docs/model.md §17: a lane's inputs
/// move only some values): the step fields marked in `fields`, the growth
/// tables of the segments marked in `growth`, the regime tables marked in
/// `regime_table`. Everything else must be as the last refresh left it.
struct RefreshScope {
  std::vector<char> fields;  ///< per step field
  std::vector<char> growth;  ///< per segment
  /// spot, resale, spread, raise, multiple (the order of LaneVaries::regime_table)
  std::array<char, 5> regime_table{};
  bool tranches = false;    ///< the tranche tables (an input moves a tranche's terms)
  bool segment_ar = false;  ///< the AR(1) coefficients (an input moves a volatility or persistence)
};

/// Everything a PreparedModel holds but its model: what a lane's copy of the
/// model takes whole instead of computing it again
/// (PreparedModel(const Model&, const PreparedModel&)).
struct PreparedValues {
  int n_steps = 0;
  int spy = 1;
  double dt = 0.0;
  const std::vector<Shock>* shocks = nullptr;  ///< those on step fields apply here; may be null

  std::vector<double> step_values;              ///< every step field, field-major
  std::vector<double> tranche_amount;           ///< per step, US$ bn
  std::vector<double> tranche_at_market;        ///< per step: the part priced at market
  std::vector<double> tranche_per_delivery;     ///< per step: the part paid per delivery (at market)
  std::vector<double> tranche_agreed_keep;      ///< per step: prod of (1 - amount / agreed post-money)
  /// The investors' view (docs/model.md §28, investors): the steps in which
  /// tranches land, ascending (a group each); per step its group (-1: none);
  /// per tranche (model order) its group and its share of the group's
  /// planned amount.
  std::vector<int> tranche_group_steps, tranche_group_at_step, tranche_group;
  std::vector<double> tranche_group_weight;
  std::vector<double> commitments_after;        ///< per step: sum of commitments of later steps
  std::vector<double> debt_due;                 ///< per step: principal falling due, US$ bn
  std::vector<double> depreciation_decay;       ///< per step: 1 - exp(-dt / life)
  std::vector<double> impairment_keep;          ///< per step: (1 - impairment) ^ dt
  /// How one step moves a segment, [segment][step][regime] (growth_index):
  /// exp(beta g dt), the demand level's growth over the step; exp(p dt), the
  /// price level's; the averages of exp(beta g s) and exp((beta g + p) s)
  /// over s in [0, dt], which turn levels into the step's volume and revenue.
  std::vector<double> growth_demand, growth_price, growth_mean_volume, growth_mean_revenue;
  /// [segment][step]: 1 if the growth tables' entries at the step are those
  /// of the step before, bit for bit (their inputs are equal).
  std::vector<char> growth_repeats;
  /// [segment][step]: the step whose growth entries hold this step's values
  /// (itself, or the first of the steps before it that repeat it). After a
  /// full refresh every step holds its own as well; after a scoped one
  /// (RefreshScope) only the source steps do.
  std::vector<int> growth_source;
  std::vector<double> segment_ar_coef;          ///< per segment: persistence ^ dt
  std::vector<double> segment_ar_vol;           ///< per segment: innovation sd per step
  /// [step][regime], for picks by lane: spot price, resale share, credit
  /// spread, raise success, and the valuation multiple times the valuation
  /// scale.
  std::vector<double> regime_spot, regime_resale, regime_spread, regime_raise, regime_multiple;
  /// log(1 - raise success) per (step, regime): a round's odds are 1 - exp(time x this) (§11, 4.).
  std::vector<double> regime_raise_log;
  /// The odds of a round sought for a whole step: 1 - exp(dt x regime_raise_log).
  std::vector<double> regime_raise_step;
  /// Per regime, the step's spot lead-time factors (spot_capacity.hpp).
  std::vector<double> regime_spot_keep, regime_spot_span;
  /// Per step (US$ bn in the step), the commitments a supplier's failure
  /// removes (Shock::failure), which a path whose estate keeps the contract
  /// still pays and uses; and the step at which the estate decides (-1: none).
  std::vector<double> commit_at_risk;
  int failure_step = -1;
  /// Per step, the sum of commit_at_risk over the later steps; and the
  /// failed contract's supplier (counterparty_names order; -1: none or no
  /// contracts), whose claim they join on a path whose estate keeps it.
  std::vector<double> at_risk_after;
  int failure_counterparty = -1;
  /// Each supplier's share of the commitments at each step, after the
  /// shocks, [k * n_counterparties + c] (claim_split.hpp), when a shock
  /// moved some step's (else empty); by year, [y * n_counterparties + c],
  /// the planned ones. Both empty without Model::contracts; read them
  /// through share_at.
  std::vector<double> counterparty_share, counterparty_year_share;
  std::size_t n_counterparties = 0;
  /// No shock moved a step's shares: each step's are its year's.
  bool counterparty_share_yearly = true;
  /// The suppliers' shares at step k (n_counterparties of them): a lane's
  /// model refreshed per path does not lay them out step by step.
  const double* share_at(int k) const {
    const auto ku = static_cast<std::size_t>(k);
    if (!counterparty_share_yearly) return counterparty_share.data() + ku * n_counterparties;
    return counterparty_year_share.data() + (ku / static_cast<std::size_t>(spy)) * n_counterparties;
  }
  /// Per step, the spot compute the plan buys (spot_capacity.hpp), from the
  /// model as constructed: shocks and later value changes are off plan.
  std::vector<double> planned_spot;

 protected:
  std::vector<int> shock_fields_;  ///< per shock: its step field, or -1 (a constant)
  ClaimSplit claim_split_;
  int failure_contract_ = -1;      ///< the failure shock's Shock::contract
  // What each transcendental table entry was last computed from (NaN: never).
  std::vector<double> memo_life_, memo_impairment_, memo_demand_, memo_price_, memo_revenue_;
  std::vector<double> memo_regime_change_, memo_segment_change_;
  std::vector<char> regime_repeats_;  ///< per step: the regimes' growth inputs are the step before's
  std::vector<double> regime_rate_, segment_rate_;  ///< log1p of the price changes, [step][regime], [segment][step]
};

struct PreparedModel : PreparedValues {
  const Model& model;

  /// `shocks` must outlive the PreparedModel; shocks with a trigger start
  /// where refresh() is told.
  explicit PreparedModel(const Model& m, const std::vector<Shock>* shocks = nullptr);
  /// The prepared values of `like`, for `m`: a copy of like.model, equal to
  /// it in every value (a lane's own model before its inputs), so the values
  /// a refresh of `m` would give, without computing them.
  PreparedModel(const Model& m, const PreparedModel& like) : PreparedValues(like), model(m) {}
  /// Recomputes every array from the model (after its values changed);
  /// reuses the arrays' memory. `trigger_start[i]`: the start, in years, of
  /// shock i if it has a trigger (NaN = never fired; empty = none fired).
  void refresh(const std::vector<double>& trigger_start = {});
  /// The same values as refresh() (no shock may have a trigger), recomputing
  /// only what `scope` marks: valid when only the parameters behind those
  /// values changed since the last refresh. In full when the shocks could
  /// reach the scope (scope_clear_of_shocks).
  void refresh(const RefreshScope& scope);
  bool scope_clear_of_shocks(const RefreshScope& scope) const;

  int year_of(int step) const { return step / spy; }
  std::size_t n_segments() const { return model.segments.size(); }
  std::size_t n_regimes() const { return model.regimes.size(); }
  int segment_field(std::size_t s, SegmentField f) const {
    return static_cast<int>(s) * static_cast<int>(SegmentField::count_) + static_cast<int>(f);
  }
  int regime_field(std::size_t r, RegimeField f) const {
    return static_cast<int>(n_segments()) * static_cast<int>(SegmentField::count_) +
           static_cast<int>(r) * static_cast<int>(RegimeField::count_) + static_cast<int>(f);
  }
  int global_field(GlobalField f) const {
    return static_cast<int>(n_segments()) * static_cast<int>(SegmentField::count_) +
           static_cast<int>(n_regimes()) * static_cast<int>(RegimeField::count_) + static_cast<int>(f);
  }
  /// Field `f` at step k.
  double at(int f, int k) const {
    return step_values[static_cast<std::size_t>(f) * static_cast<std::size_t>(n_steps) + static_cast<std::size_t>(k)];
  }
  std::size_t growth_index(std::size_t segment, int step, int regime) const {
    return (segment * static_cast<std::size_t>(n_steps) + static_cast<std::size_t>(step)) * n_regimes() +
           static_cast<std::size_t>(regime);
  }

 private:
  void fill_step_values(const std::vector<double>& trigger_start, const RefreshScope* scope);
  void refresh_scoped(const std::vector<double>& trigger_start, const RefreshScope* scope);
  void refresh_depreciation(int stride);  ///< every stride-th step (a scoped refresh: year starts)
  void refresh_growth(const RefreshScope* scope, int stride);  ///< every stride-th step
  void regime_inputs_repeat();
  void refresh_regime_tables(const std::array<char, 5>& which, int stride);
  void refresh_tranches();
  /// The tranches' groups by step; once (a path's own model changes amounts,
  /// not dates: the investors' view reads the shared model's groups).
  void refresh_tranche_groups();
  void refresh_maturities();
  void refresh_segment_ar();
  template <class F>
  static double memo(double x, std::vector<double>& keys, const std::vector<double>& values, std::size_t i,
                     std::size_t prev, F f, std::size_t other = no_entry_);
  static constexpr std::size_t no_entry_ = static_cast<std::size_t>(-1);
  static constexpr double nan_ = std::numeric_limits<double>::quiet_NaN();
};

}  // namespace wager::detail
