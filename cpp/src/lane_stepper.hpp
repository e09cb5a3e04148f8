// The step engine over a block of paths at once (structure of arrays): each
// equation is a loop over the block's lanes, so the compiler can vectorise
// it. A projection is a block of one path.
#pragma once

#include <array>
#include <vector>

#include "prepared_model.hpp"
#include "wager/annual.hpp"
#include "wager/distress.hpp"

namespace wager::detail {

struct LaneInputs;

/// Paths per block in a simulation. Wide blocks amortise each step's fixed
/// work (regime tables, segment plans) and give the processor independent
/// vectors to overlap; 32 measured fastest of 8, 16, 32 and 64.
inline constexpr int lanes = 32;

/// One value per lane. A block's arrays start on a cache line, so that no
/// vector load or store of the step engine straddles two lines (a split
/// access, and a masked one in particular, costs several times an aligned one).
template <int N>
struct alignas(N * sizeof(double) >= 64 ? 64 : alignof(double)) LaneOf : std::array<double, static_cast<std::size_t>(N)> {};
using Lane = LaneOf<lanes>;

/// What the world supplies to each lane at one step.
template <int N>
struct LaneWorldT {
  std::array<int, static_cast<std::size_t>(N)> regime{};
  LaneOf<N> raise_draw{};  ///< uniform in (0,1); a raise succeeds when draw < probability
  /// true (the projection): each round raises its amount times its chance
  /// of closing, and a maturity is refinanced in the share of its chance,
  /// instead of drawing (docs/model.md §11, 4. and 6.).
  bool expected_raises = false;
  LaneOf<N> factor{};      ///< the common demand factor's log deviation
  bool factor_moves = true;  ///< false: factor is 0 in every lane (a caller's promise)
  /// One standard normal per segment and lane, segment s of lane l at
  /// [s * normal_stride + l]; null = all zero.
  const double* segment_normals = nullptr;
  std::size_t normal_stride = static_cast<std::size_t>(N);
  /// Triggered shocks on the regime tables only, in one window (docs/model.md
  /// §25; StrategyScratch::regime_window): per lane 1.0 inside its window
  /// at this step (null: no window), and the step's tables for each regime,
  /// unshocked then shocked, [table][2 x regimes] in the order of
  /// window_table_order.
  const double* window = nullptr;
  const double* window_tables = nullptr;
};

/// The regime tables a window shocks, in the order of LaneWorldT::window_tables.
enum class WindowTable : int { spot, resale, spread, raise, multiple, raise_log, raise_step, count_ };

/// The state carried from step to step, per lane.
template <int N>
struct LaneStateT {
  std::vector<LaneOf<N>> demand_level, price_level, deviation;  ///< per segment
  LaneOf<N> assets{}, cash{}, debt{}, credit_drawn{}, ownership{}, loss_carryforward{};
  LaneOf<N> training_scale{}, opex_scale{}, commit_scale{}, pending_penalty{}, last_raise_time{};
  /// The renegotiation penalty paid each later step, per unit of planned
  /// commitments (docs/model.md §11, 5.; 0 until management renegotiates).
  LaneOf<N> penalty_share{};
  LaneOf<N> cumulative_fcf{}, peak_funding_need{};
  /// Cash plus the undrawn facility at the end of the last step (a covenant's
  /// quarter ends inside a step start from it; docs/model.md §11, 9.).
  LaneOf<N> liquidity{};
  /// Payments the supporting suppliers deferred, not yet repaid (§11, 8.).
  LaneOf<N> payable{};
  /// Spot capacity secured beyond the plan, US$ bn / year (§5; spot_capacity.hpp).
  LaneOf<N> spot_secured{};
  /// 1 where a failed supplier's estate kept its contract (§5; Shock::failure).
  LaneOf<N> contract_kept{};
  /// The market's reading of the company (§11, 4.; funding_score.hpp): this
  /// year's revenue and free cash flow so far, last year's revenue (-1: not
  /// known) and the factor on the regime's yearly rate of closing a round.
  LaneOf<N> year_revenue{}, year_fcf{}, last_revenue{}, funding_factor{};
  /// log of the discount factor from the start to the end of the last step,
  /// -sum of dt x log(1 + rho) over the regimes passed (§13).
  LaneOf<N> log_discount{};
  // Flags and step numbers are doubles so that every lane loop is over one
  // element width and vectorises: 1.0 = yes, 0.0 = no; -1 = no default.
  LaneOf<N> management_done{}, defaulted{}, default_step{};
  /// Per tranche group (PreparedModel::tranche_group_steps): the ownership
  /// kept by the holders before its step, before and after its tranches
  /// landed, and what they paid (docs/model.md §28, investors); read only
  /// by the investors' view.
  std::vector<LaneOf<N>> tranche_own_before, tranche_own_after, tranche_paid;
  /// What each lane's distress came to (docs/model.md §27), set at the step it began.
  std::array<DistressResult, static_cast<std::size_t>(N)> distress{};
};

/// The flows of one step, per lane (US$ bn).
template <int N>
struct LaneFlowsT {
  std::array<LaneOf<N>, n_vars> vars{};
  std::vector<LaneOf<N>> segment_revenue;  ///< per segment
  LaneOf<N> annualised_revenue{}, valuation_multiple{};
  LaneOf<N> one_off_penalty{};  ///< the part of commitment_penalty booked at once (left out of the burn)
};

/// The market's state of each lane at one step (docs/model.md §3), and
/// whether the lane is still alive (1.0) or has defaulted (0.0).
template <int N>
struct StepRegimeT {
  LaneOf<N> regime, spot, resale_share, spread, raise_p, multiple, live;
  LaneOf<N> spot_keep, spot_span;  ///< the regime's spot lead-time factors (spot_capacity.hpp)
  LaneOf<N> log_discount;          ///< the step's log discount factor at the regime's rate (§13)
  /// The raise tables' row at this step, and each lane's index into it: the
  /// regime, or inside a window the regime plus the number of regimes.
  const double* raise_log_row = nullptr;
  const double* raise_step_row = nullptr;
  std::size_t row_size = 0;
  const LaneOf<N>* row_index = nullptr;
  LaneOf<N> window_index;  ///< row_index inside a window
};

/// The parameters of a block whose paths each have their own (uncertain
/// inputs, triggered shocks; docs/model.md §17, §25): what the step engine
/// reads, one value per lane, gathered from each lane's prepared model.
/// The per-block values are loaded once (load_block), the per-step ones at
/// every step (load_step); each is the value the lane's model alone gives.
/// Which per-step values differ between the lanes of a strategy (the rest
/// are the same in every lane, broadcast from lane 0 when they change).
struct LaneVaries {
  std::vector<char> plan, cost_ratio, growth;  ///< per segment
  /// Per regime table, in the order spot, resale, spread, raise, multiple:
  /// whether it differs between lanes (a triggered freeze moves only raise).
  std::array<char, 5> regime_table{};
  std::vector<char> global;                    ///< per GlobalField (commitments: also the commitments after)
  bool tranches = false;                       ///< the tranches' amounts and terms
  bool segment_ar = false;                     ///< a segment's volatility or persistence (its AR(1) coefficients)
  std::vector<char> fields;                    ///< per step field: moved by an input
  /// No shocks: every per-step value but the tranches' and the commitments
  /// after is its year's, the same in each step of the year.
  bool yearly = false;
};

template <int N>
struct LaneParamsT {
  std::array<const PreparedModel*, static_cast<std::size_t>(N)> models{};  ///< each lane's
  /// Non-null: the block's triggered shocks share one window (a trigger, a
  /// duration, a step shape; StrategyScratch::prepared_on). Every lane's
  /// model is then models[0] (no triggered shock fired) outside its window
  /// and `on` (every triggered shock at its full weight) inside it, so a
  /// lane's varying values are a select between the two, bit for bit those
  /// of the model of its own trigger timing.
  const PreparedModel* on = nullptr;
  /// Per lane, the window's first step and the step after its last (both
  /// n_steps when the trigger never fires); `active` at the step loaded: 1 inside.
  LaneOf<N> window_first{}, window_end{}, active{};
  bool window_moved = true;  ///< some lane entered or left its window at the step loaded
  /// Non-null: the lanes share one model and take what their inputs move
  /// from here (LaneInputs::direct) instead of a model each.
  LaneInputs* inputs = nullptr;
  LaneVaries varies;
  LaneVaries within_year;  ///< what can change inside a year: what the shocks move (shock_varies)
  // Per block (constants of the model).
  LaneOf<N> initial_assets{}, initial_cash{}, initial_debt{}, cash_yield{}, tax_rate{}, capacity_per_dollar{};
  LaneOf<N> eq_trigger_runway{}, eq_target_runway{}, eq_dilution_cap{}, eq_min_interval{};
  LaneOf<N> mg_trigger_runway{}, mg_cut_training{}, mg_cut_opex{}, mg_renegotiate{}, mg_penalty{};
  LaneOf<N> credit_limit{};
  std::vector<LaneOf<N>> beta, ar_coef, ar_vol;  ///< per segment
  // Per step.
  std::vector<LaneOf<N>> plan, cost_ratio;  ///< per segment: planned revenue over the step, inference cost ratio
  /// [segment * regimes + regime]: the growth tables of PreparedModel.
  std::vector<LaneOf<N>> growth_demand, growth_price, growth_volume, growth_revenue;
  std::vector<LaneOf<N>> spot, resale, spread, raise, multiple;  ///< per regime
  /// Per regime, with `raise`: log(1 - raise) and the odds of a round sought
  /// all step, 1 - exp(dt log(1 - raise)) (PreparedModel's regime_raise_log
  /// and regime_raise_step): the step takes them instead of a log and an exp per lane.
  std::vector<LaneOf<N>> raise_log, raise_step;
  LaneOf<N> training_plan{}, commit_plan{}, life{}, capex_rate{}, decayed{}, impairment_keep{};
  LaneOf<N> staff_f{}, staff_r{}, sm_f{}, sm_r{}, ga_f{}, ga_r{}, sbc_f{}, sbc_r{}, debt_rate{};
  LaneOf<N> tranche_amount{}, tranche_at_market{}, tranche_keep{}, commitments_after{}, debt_due{};
  LaneOf<N> tranche_per_delivery{};  ///< the part of tranche_amount paid per delivery
  bool any_at_market = false;  ///< some lane has an at-market tranche at this step

  /// Sizes the per-segment and per-regime values and loads the per-block
  /// ones from `models` (every lane's pointer must be set).
  void load_block();
  /// Loads the values of step `k` (after those of step k - 1, or k = 0).
  void load_step(int k);
  void load_step_tables(int k);  ///< the part that changes every step
  /// The values of step k that `only` marks (all of them if null).
  void load_fields(int k, const LaneVaries* only);
  /// `active` and `window_moved` at step k, from each lane's window.
  void update_window(int k);
};
using LaneParams = LaneParamsT<lanes>;

/// The per-step global values a lane reads: its LaneParams member, the step
/// field it is, and whether it is a flow over the step (times dt).
template <int N>
struct LaneGlobal {
  LaneOf<N> LaneParamsT<N>::*member;
  GlobalField field;
  bool times_dt;
};
template <int N>
inline constexpr std::array<LaneGlobal<N>, 13> lane_globals = {{
    {&LaneParamsT<N>::training_plan, GlobalField::training, true},
    {&LaneParamsT<N>::commit_plan, GlobalField::commitments, true},
    {&LaneParamsT<N>::life, GlobalField::depreciation_life, false},
    {&LaneParamsT<N>::capex_rate, GlobalField::capex, false},
    {&LaneParamsT<N>::staff_f, GlobalField::staff_fixed, true},
    {&LaneParamsT<N>::staff_r, GlobalField::staff_of_revenue, false},
    {&LaneParamsT<N>::sm_f, GlobalField::sales_marketing_fixed, true},
    {&LaneParamsT<N>::sm_r, GlobalField::sales_marketing_of_revenue, false},
    {&LaneParamsT<N>::ga_f, GlobalField::general_admin_fixed, true},
    {&LaneParamsT<N>::ga_r, GlobalField::general_admin_of_revenue, false},
    {&LaneParamsT<N>::sbc_f, GlobalField::stock_based_pay_fixed, true},
    {&LaneParamsT<N>::sbc_r, GlobalField::stock_based_pay_of_revenue, false},
    {&LaneParamsT<N>::debt_rate, GlobalField::debt_rate, false},
}};

/// The step engine for blocks of N paths. N = lanes for a simulation's
/// blocks; N = 1 for a projection and for paths with their own parameters.
template <int N>
class LaneStepperT {
 public:
  explicit LaneStepperT(const PreparedModel& pm);
  void reset(LaneStateT<N>& s) const;
  /// Advances every lane over step `k`.
  void step(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f) const;
  /// The same step, storing only the flows a simulation reads: revenue,
  /// inference cost, operating income, free cash flow, compute needed,
  /// commitments paid, owned capacity, operating costs, commitment penalty, cash, debt,
  /// ownership retained and regime (the other flows are left as they were).
  void step_lean(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f) const;
  /// Each lane with its own parameters: reset() and step_lean() reading
  /// `p` (loaded for step k) instead of the shared model. A lane gets the
  /// bits it would get alone with its model shared.
  void reset_lanes(LaneStateT<N>& s, const LaneParamsT<N>& p) const;
  void step_lean_lanes(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                       const LaneParamsT<N>& p) const;
  /// Each supplier's payments after each step of the shared model
  /// (counterparty_after; empty without contracts).
  const std::vector<double>& shared_counterparty_after() const { return counterparty_after_; }

 private:
  void reset_levels(LaneStateT<N>& s) const;  // the segments' levels
  void reset_flags(LaneStateT<N>& s) const;   // what is not a parameter
  template <bool All, bool PerLane>
  [[gnu::always_inline]] inline void step_body(LaneStateT<N>& s, int k, const LaneWorldT<N>& w, LaneFlowsT<N>& f,
                                               const LaneParamsT<N>& p) const;
  // The parts of a step, in order (always inlined into step_body).
  template <bool PerLane>
  [[gnu::always_inline]] inline void pick_regime(const LaneStateT<N>& s, int k, const LaneWorldT<N>& w,
                                                 StepRegimeT<N>& r, const LaneParamsT<N>& p) const;
  template <bool All, bool PerLane>
  [[gnu::always_inline]] inline void revenue_step(LaneStateT<N>& s, int k, const LaneWorldT<N>& w,
                                                  LaneFlowsT<N>& f, const StepRegimeT<N>& r,
                                                  const LaneParamsT<N>& p) const;
  template <bool All, bool PerLane>
  [[gnu::always_inline]] inline void operations_step(LaneStateT<N>& s, int k, LaneFlowsT<N>& f,
                                                     const StepRegimeT<N>& r, const LaneParamsT<N>& p) const;
  template <bool PerLane>
  void resolve_distress_at(LaneStateT<N>& s, int k, const LaneFlowsT<N>& f, const StepRegimeT<N>& r,
                           const LaneParamsT<N>& p) const;
  /// docs/model.md §11, 8.: the supporting suppliers' terms at step k.
  struct SupportTerms {
    bool on = false;
    LaneOf<N> odds{};       ///< per lane, by its regime
    double share = 0.0;     ///< of the step's commitments owed to them
    double defers = 0.0;    ///< 1.0: they defer; 0.0: they convert
  };
  [[gnu::always_inline]] inline SupportTerms support_terms(bool debt, int k, const StepRegimeT<N>& r) const;
  /// docs/model.md §11, 4.: each lane's burn and its chance of closing a round in step k.
  template <bool PerLane>
  [[gnu::always_inline]] inline void raise_odds(const LaneStateT<N>& s, int k, const LaneFlowsT<N>& f,
                                                const StepRegimeT<N>& r, const LaneParamsT<N>& p, LaneOf<N>& burn,
                                                LaneOf<N>& odds) const;
  /// docs/model.md §11, 2.: the price of a round per lane.
  template <bool PerLane>
  [[gnu::always_inline]] inline void round_prices(const LaneFlowsT<N>& f, const StepRegimeT<N>& r,
                                                  const LaneParamsT<N>& p, LaneOf<N>& price) const;
  template <bool All, bool PerLane, bool Debt>
  [[gnu::always_inline]] inline void financing_step(LaneStateT<N>& s, int k, const LaneWorldT<N>& w,
                                                    LaneFlowsT<N>& f, const StepRegimeT<N>& r,
                                                    const LaneParamsT<N>& p) const;

  const PreparedModel& pm_;
  const Model& m_;
  // docs/model.md §11, 8.: the supporting suppliers' share of each year's
  // commitments and their odds per regime (support_ false: none).
  bool support_ = false;
  bool score_on_ = false;  // equity.score.sensitivity > 0 (funding_score.hpp)
  // docs/model.md §11, 2.: per regime, the DCF's weight in the price of a
  // round and the going concern's perpetuity factor (1 + g) / (rho - g);
  // dcf_on_ false: every weight is 0.
  bool dcf_on_ = false;
  std::vector<double> dcf_weight_, perpetuity_;
  std::vector<double> step_log_discount_;  // per regime: -dt x log(1 + rho) (§13)
  std::vector<double> supported_share_, support_odds_;
  // docs/model.md §27, 1.: each supplier's payments after each step of the
  // shared model (PreparedModel::share_at).
  std::vector<double> counterparty_after_;
  int resolution_steps_;  // the distress resolution's duration in steps
  std::vector<double> zero_normals_;  // stands in for absent segment normals
  LaneParamsT<N> shared_;             // unread: what the shared steps pass for the per-lane parameters
};

using LaneWorld = LaneWorldT<lanes>;
using LaneState = LaneStateT<lanes>;
using LaneFlows = LaneFlowsT<lanes>;
using LaneStepper = LaneStepperT<lanes>;
using PathWorld = LaneWorldT<1>;
using PathState = LaneStateT<1>;
using PathFlows = LaneFlowsT<1>;
using PathStepper = LaneStepperT<1>;

// Defined in lane_stepper.cpp: blocks run the machine's best instruction set.
template <>
void LaneStepperT<lanes>::step(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const;
template <>
void LaneStepperT<lanes>::step_lean(LaneState& s, int k, const LaneWorld& w, LaneFlows& f) const;
template <>
void LaneStepperT<lanes>::step_lean_lanes(LaneState& s, int k, const LaneWorld& w, LaneFlows& f,
                                          const LaneParams& p) const;
template <>
void LaneStepperT<1>::step(PathState& s, int k, const PathWorld& w, PathFlows& f) const;
template <>
void LaneStepperT<1>::step_lean(PathState& s, int k, const PathWorld& w, PathFlows& f) const;

extern template class LaneStepperT<1>;
extern template class LaneStepperT<lanes>;

}  // namespace wager::detail
