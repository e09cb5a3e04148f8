// A model resolved to per-step values before a run (shocks applied, growth,
// depreciation, regime and AR(1) tables), so the step engine only reads tables.
#include "prepared_model.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string_view>
#include <utility>

#include "raise_hazard.hpp"
#include "spot_capacity.hpp"
#include "wager/math/elementary.hpp"
#include "wager/parameters.hpp"
#include "wager/require.hpp"

namespace wager::detail {

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

const char* const segment_field_names[] = {"revenue", "inference_cost_ratio", "price_change"};
const char* const regime_field_names[] = {"demand_growth", "price_change",  "valuation_multiple", "raise_success",
                                          "spot_price",    "resale_share",  "credit_spread"};
const char* const global_field_names[] = {
    "training",          "commitments",        "capex",           "depreciation_life",
    "impairment",        "staff.fixed",        "staff.of_revenue", "sales_marketing.fixed",
    "sales_marketing.of_revenue", "general_admin.fixed", "general_admin.of_revenue", "stock_based_pay.fixed",
    "stock_based_pay.of_revenue", "debt_rate", "valuation_scale"};
static_assert(std::size(segment_field_names) == static_cast<std::size_t>(SegmentField::count_));
static_assert(std::size(regime_field_names) == static_cast<std::size_t>(RegimeField::count_));
static_assert(std::size(global_field_names) == static_cast<std::size_t>(GlobalField::count_));

struct Bounds {
  double lo = -inf, hi = inf;
};

// docs/model.md §25 (stresses): the range a shocked value is clipped to, what the field can mean.
Bounds segment_bounds(SegmentField f) {
  return f == SegmentField::price_change ? Bounds{-0.99, inf} : Bounds{0.0, inf};
}
Bounds regime_bounds(RegimeField f) {
  switch (f) {
    case RegimeField::demand_growth:
      return {};
    case RegimeField::credit_spread:
      return {-0.05, 1.0};  // the schema's range
    case RegimeField::price_change:
      return {-0.99, inf};
    case RegimeField::raise_success:
    case RegimeField::resale_share:
      return {0.0, 1.0};
    default:
      return {0.0, inf};
  }
}
Bounds global_bounds(GlobalField f) {
  switch (f) {
    case GlobalField::depreciation_life:
      return {0.01, inf};
    case GlobalField::impairment:
      return {0.0, 1.0};
    case GlobalField::debt_rate:
      return {-0.99, inf};
    default:
      return {0.0, inf};
  }
}

bool is_whole_horizon(const Shock& s) {
  return !triggered(s) && s.start <= 0.0 && s.duration == inf && s.shape == ShockShape::step;
}

// "<prefix><i>].<name>" with i written as std::to_string writes it: the
// index (or -1) and the name after it.
std::pair<int, std::string_view> indexed_field(std::string_view field, std::string_view prefix) {
  if (field.substr(0, prefix.size()) != prefix) return {-1, {}};
  const std::size_t close = field.find("].", prefix.size());
  const std::string_view digits = field.substr(prefix.size(), close == std::string_view::npos ? 0 : close - prefix.size());
  if (digits.empty() || digits.size() > 6 || (digits.size() > 1 && digits[0] == '0')) return {-1, {}};
  int i = 0;
  for (const char d : digits) {
    if (d < '0' || d > '9') return {-1, {}};
    i = 10 * i + (d - '0');
  }
  return {i, field.substr(close + 2)};
}

template <std::size_t N>
int name_index(std::string_view name, const char* const (&names)[N]) {
  for (std::size_t f = 0; f < N; ++f) {
    if (name == names[f]) return static_cast<int>(f);
  }
  return -1;
}

}  // namespace

// Parsed, not matched against every field's name built as a string: a
// call's set-up looks up every input's and shock's field.
int step_field_index(const Model& m, const std::string& field) {
  const int ns = static_cast<int>(SegmentField::count_), nrf = static_cast<int>(RegimeField::count_);
  const int n_seg = static_cast<int>(m.segments.size()), n_reg = static_cast<int>(m.regimes.size());
  if (const auto [i, name] = indexed_field(field, "segments["); i >= 0) {
    const int f = name_index(name, segment_field_names);
    return i < n_seg && f >= 0 ? i * ns + f : -1;
  }
  if (const auto [r, name] = indexed_field(field, "regimes["); r >= 0) {
    const int f = name_index(name, regime_field_names);
    return r < n_reg && f >= 0 ? n_seg * ns + r * nrf + f : -1;
  }
  const int g = name_index(field, global_field_names);
  return g >= 0 ? n_seg * ns + n_reg * nrf + g : -1;
}

FieldBounds step_field_bounds(const Model& m, int f) {
  const int per_segment = static_cast<int>(SegmentField::count_) * static_cast<int>(m.segments.size());
  const int per_regime = static_cast<int>(RegimeField::count_) * static_cast<int>(m.regimes.size());
  const Bounds b = f < per_segment ? segment_bounds(static_cast<SegmentField>(f % static_cast<int>(SegmentField::count_)))
                   : f < per_segment + per_regime
                       ? regime_bounds(static_cast<RegimeField>((f - per_segment) % static_cast<int>(RegimeField::count_)))
                       : global_bounds(static_cast<GlobalField>(f - per_segment - per_regime));
  return {b.lo, b.hi};
}

int step_field_index_count(const Model& m) {
  return static_cast<int>(m.segments.size()) * static_cast<int>(SegmentField::count_) +
         static_cast<int>(m.regimes.size()) * static_cast<int>(RegimeField::count_) +
         static_cast<int>(GlobalField::count_);
}

void apply_constant_shocks(Model& out, const std::vector<Shock>& shocks) {
  if (shocks.empty()) return;
  const Model& m = out;
  std::vector<ParameterRef> params = parameters(out);
  std::vector<std::vector<ParameterRef>::iterator> touched;
  const double dt = m.dt();
  for (const Shock& s : shocks) {
    check_shock(s);
    if (step_field_index(m, s.field) >= 0 || moves_regime(s)) continue;  // a regime move: the block runner's
    const std::string& who = s.label.empty() ? s.field : s.label;
    WAGER_REQUIRE(!triggered(s),
                  who << ": " << s.field << " is a constant of the model; a trigger needs a field that varies in time");
    if (s.field == "backstop") {
      WAGER_REQUIRE(s.op == ShockOp::set && (s.value == 0.0 || s.value == 1.0),
                    who << ": backstop is a switch: op set with value 0 or 1");
      WAGER_REQUIRE(is_whole_horizon(s), who << ": backstop holds for the whole horizon: a step from the start");
      if (s.severity > 0.0) out.backstop = s.value != 0.0;
      continue;
    }
    const auto it = std::find_if(params.begin(), params.end(), [&](const ParameterRef& p) { return p.name == s.field; });
    WAGER_REQUIRE(it != params.end(), who << ": unknown field " << s.field);
    // The moment the value acts: the start for initial values, a tranche's
    // date for its terms; other constants hold over the whole horizon.
    double acts_at = -1.0;
    if (s.field == "initial_cash" || s.field == "initial_debt" || s.field == "initial_assets") acts_at = 0.0;
    if (s.field.rfind("tranches[", 0) == 0) {
      const std::size_t i = std::stoul(s.field.substr(9));
      acts_at = std::floor(m.tranches.at(i).time * m.steps_per_year + 1e-9) * dt;
    }
    double a = s.severity;
    if (acts_at >= 0.0) {
      a = s.severity * shock_profile(s, s.start, acts_at + 0.5 * dt);
    } else {
      WAGER_REQUIRE(is_whole_horizon(s), who << ": " << s.field
                                             << " is constant over the horizon: a shock on it must start at the "
                                                "first year, with shape step and no duration");
    }
    *it->value = shock_value(s, *it->value, a, 0);
    touched.push_back(it);
  }
  // After all shocks, clip each shocked value to what its field can mean.
  for (const auto& it : touched) {
    const std::string& f = it->name;
    const auto ends_with = [&f](const char* suffix) {
      const std::string sfx(suffix);
      return f.size() >= sfx.size() && f.compare(f.size() - sfx.size(), sfx.size(), sfx) == 0;
    };
    double x = std::max(*it->value, 0.0);
    if (ends_with("persistence") || f == "tax_rate" || ends_with("cut_training") || ends_with("cut_opex") ||
        ends_with("renegotiate") || ends_with("penalty")) {
      x = std::min(x, 1.0);
    }
    if (ends_with("max_dilution")) x = std::min(x, 0.99);
    *it->value = x;
  }
}

// The value f(x) at entry i of `values`, computed only when x differs from
// the key of the last computation there (f is a pure function, so the bits
// are those of computing it); memo is reused across refreshes, so a lane
// whose inputs move only some fields recomputes only those.
// Entry `prev` (none: i) is the same one a step earlier, already refreshed:
// a value that holds for a year is computed once per year. Entry `other`
// (none: no_entry_ or i), any entry whose value is f of its key, is tried last.
template <class F>
double PreparedModel::memo(double x, std::vector<double>& keys, const std::vector<double>& values, std::size_t i,
                           std::size_t prev, F f, std::size_t other) {
  if (x == keys[i]) return values[i];
  keys[i] = x;
  if (prev != i && x == keys[prev]) return values[prev];
  if (other != no_entry_ && other != i && x == keys[other]) return values[other];
  return f(x);
}

PreparedModel::PreparedModel(const Model& m, const std::vector<Shock>* shocks_in)
    : model(m) {
  n_steps = m.n_steps();
  spy = m.steps_per_year;
  dt = m.dt();
  shocks = shocks_in;
  if (shocks != nullptr) {
    for (const Shock& s : *shocks) {
      check_shock(s);
      WAGER_REQUIRE(s.trigger_regime < static_cast<int>(m.regimes.size()),
                    (s.label.empty() ? s.field : s.label) << ": trigger regime out of range");
      WAGER_REQUIRE(s.value_by_year.empty() || static_cast<int>(s.value_by_year.size()) == m.n_years,
                    (s.label.empty() ? s.field : s.label) << ": needs one value per year");
      shock_fields_.push_back(step_field_index(m, s.field));
      if (s.failure) {
        const std::string w = s.label.empty() ? s.field : s.label;
        WAGER_REQUIRE(s.field == "commitments" && !triggered(s),
                      w << ": a supplier's failure is a shock on commitments at a date, without a trigger");
        WAGER_REQUIRE(failure_step < 0, w << ": at most one supplier's failure a model");
        failure_step = std::clamp(static_cast<int>(std::floor(s.start * spy + 1e-9)), 0, n_steps - 1);
        failure_contract_ = s.contract;
      }
    }
  }
  commit_at_risk.assign(static_cast<std::size_t>(n_steps), 0.0);
  planned_spot = wager::detail::planned_spot(m);
  for (const Regime& r : m.regimes) {
    const SpotLag lag = spot_lag(r.spot_lead_time, dt);
    regime_spot_keep.push_back(lag.keep);
    regime_spot_span.push_back(lag.span);
  }
  refresh();
}

void PreparedModel::fill_step_values(const std::vector<double>& trigger_start, const RefreshScope* scope) {
  const Model& m = model;
  const auto ns = static_cast<std::size_t>(n_steps);
  const int n_fields = global_field(GlobalField::count_);
  step_values.resize(static_cast<std::size_t>(n_fields) * ns);
  // Outside the scope, a field keeps the values of the last refresh.
  const auto skip = [scope](int f) { return scope != nullptr && scope->fields[static_cast<std::size_t>(f)] == 0; };
  const auto fill_yearly = [&](int f, const YearlySeries& s) {
    if (skip(f)) return;
    double* out = &step_values[static_cast<std::size_t>(f) * ns];
    const auto per_year = static_cast<std::size_t>(spy);
    for (std::size_t k0 = 0, y = 0; k0 < ns; k0 += per_year, ++y) std::fill_n(out + k0, std::min(per_year, ns - k0), s[y]);
  };
  const auto fill_const = [&](int f, double v) {
    if (skip(f)) return;
    std::fill_n(&step_values[static_cast<std::size_t>(f) * ns], ns, v);
  };
  for (std::size_t i = 0; i < n_segments(); ++i) {
    const Segment& seg = m.segments[i];
    fill_yearly(segment_field(i, SegmentField::revenue), seg.revenue);
    fill_yearly(segment_field(i, SegmentField::inference_cost_ratio), seg.inference_cost_ratio);
    fill_yearly(segment_field(i, SegmentField::price_change), seg.price_change);
  }
  for (std::size_t r = 0; r < n_regimes(); ++r) {
    const Regime& g = m.regimes[r];
    fill_const(regime_field(r, RegimeField::demand_growth), g.demand_growth);
    fill_const(regime_field(r, RegimeField::price_change), g.price_change);
    fill_const(regime_field(r, RegimeField::valuation_multiple), g.valuation_multiple);
    fill_const(regime_field(r, RegimeField::raise_success), g.raise_success);
    fill_const(regime_field(r, RegimeField::spot_price), g.spot_price);
    fill_const(regime_field(r, RegimeField::resale_share), g.resale_share);
    fill_const(regime_field(r, RegimeField::credit_spread), g.credit_spread);
  }
  fill_yearly(global_field(GlobalField::training), m.training);
  fill_yearly(global_field(GlobalField::commitments), m.commitments);
  const int commitments_f = global_field(GlobalField::commitments);
  const bool split = !m.contracts.empty() && !skip(commitments_f);
  if (split) claim_split_.reset(m, n_steps);
  fill_yearly(global_field(GlobalField::capex), m.capex);
  fill_const(global_field(GlobalField::depreciation_life), m.depreciation_life);
  if (m.impairment.empty()) {
    fill_const(global_field(GlobalField::impairment), 0.0);
  } else {
    fill_yearly(global_field(GlobalField::impairment), m.impairment);
  }
  const CostLine* lines[] = {&m.staff, &m.sales_marketing, &m.general_admin, &m.stock_based_pay};
  for (int c = 0; c < 4; ++c) {
    const int fixed = global_field(GlobalField::staff_fixed) + 2 * c;
    fill_yearly(fixed, lines[c]->fixed);
    fill_yearly(fixed + 1, lines[c]->of_revenue);
  }
  fill_yearly(global_field(GlobalField::debt_rate), m.debt_rate);
  fill_yearly(global_field(GlobalField::valuation_scale), m.valuation_scale);

  if (shocks == nullptr || shocks->empty()) return;
  std::vector<char> touched(static_cast<std::size_t>(n_fields), 0);
  for (std::size_t i = 0; i < shocks->size(); ++i) {
    const int f = shock_fields_[i];
    if (f < 0) continue;  // a constant: apply_constant_shocks
    const Shock& s = (*shocks)[i];
    const double t0 = !triggered(s) ? s.start
                      : trigger_start.empty() ? std::numeric_limits<double>::quiet_NaN()
                                              : trigger_start[i];
    if (std::isnan(t0) || skip(f)) continue;  // the trigger never fired; a field kept as refreshed last
    double* x = &step_values[static_cast<std::size_t>(f) * ns];
    for (int k = 0; k < n_steps; ++k) {
      const double a = s.severity * shock_profile(s, t0, (k + 0.5) * dt);
      const double before = x[k];
      x[k] = shock_value(s, x[k], a, k / spy);
      if (s.failure) commit_at_risk[static_cast<std::size_t>(k)] = (before - x[k]) * dt;  // per step, as paid
      if (split && f == commitments_f) claim_split_.move(s.contract, k, x[k] - before);
    }
    touched[static_cast<std::size_t>(f)] = 1;
  }
  for (int f = 0; f < n_fields; ++f) {
    if (!touched[static_cast<std::size_t>(f)]) continue;
    const FieldBounds b = step_field_bounds(m, f);
    double* x = &step_values[static_cast<std::size_t>(f) * ns];
    for (std::size_t k = 0; k < ns; ++k) x[k] = std::clamp(x[k], b.lo, b.hi);
  }
}

void PreparedModel::refresh(const std::vector<double>& trigger_start) { refresh_scoped(trigger_start, nullptr); }

void PreparedModel::refresh(const RefreshScope& scope) {
  refresh_scoped({}, scope_clear_of_shocks(scope) ? &scope : nullptr);
}

// Shocks on step fields are applied to the filled values (fill_step_values
// shocks only the fields it refills; a triggered one never fires in a
// scoped refresh), and a scoped refresh recomputes its tables at year
// starts: it is valid when the scope holds no table a shocked field could
// feed and the shocks on its fields are dated ones on the commitments
// (what is made from them is made at every step). Otherwise everything is
// recomputed.
bool PreparedModel::scope_clear_of_shocks(const RefreshScope& scope) const {
  if (shocks == nullptr || shocks->empty()) return true;
  const auto any = [](const auto& v) { return std::any_of(v.begin(), v.end(), [](char c) { return c != 0; }); };
  if (any(scope.growth) || any(scope.regime_table) || scope.tranches || scope.segment_ar) return false;
  const int commitments = global_field(GlobalField::commitments);
  for (std::size_t i = 0; i < shocks->size(); ++i) {
    const int f = shock_fields_[i];
    if (f < 0 || scope.fields[static_cast<std::size_t>(f)] == 0) continue;  // kept as refreshed last
    if (triggered((*shocks)[i]) || f != commitments) return false;
  }
  return true;
}

void PreparedModel::refresh_scoped(const std::vector<double>& trigger_start, const RefreshScope* scope) {
  fill_step_values(trigger_start, scope);
  const auto ns = static_cast<std::size_t>(n_steps);
  const auto dirty = [scope](int f) { return scope == nullptr || scope->fields[static_cast<std::size_t>(f)] != 0; };
  if (scope == nullptr || scope->tranches) refresh_tranches();
  if (scope == nullptr) refresh_maturities();  // no input moves them
  // docs/model.md §11 (5. Management actions): renegotiation cancels a share
  // of the commitments still to pay after the step.
  const int commitments = global_field(GlobalField::commitments);
  if (dirty(commitments)) {
    commitments_after.assign(ns, 0.0);
    at_risk_after.assign(ns, 0.0);
    double later = 0.0, at_risk = 0.0;
    for (int k = n_steps - 1; k >= 0; --k) {
      commitments_after[static_cast<std::size_t>(k)] = later;
      at_risk_after[static_cast<std::size_t>(k)] = at_risk;
      later += at(commitments, k) * dt;
      at_risk += commit_at_risk[static_cast<std::size_t>(k)];
    }
    // docs/model.md §27, 1.: the suppliers' parts, after the shocks.
    if (!model.contracts.empty()) {
      n_counterparties = claim_split_.n_counterparties();
      counterparty_share_yearly = claim_split_.yearly();
      const std::vector<double>& by_year = claim_split_.year_shares();
      counterparty_year_share.assign(by_year.begin(), by_year.end());
      if (counterparty_share_yearly) {
        counterparty_share.clear();
      } else {
        claim_split_.shares(counterparty_share);
      }
      failure_counterparty = failure_contract_ >= 0 ? claim_split_.counterparty_of(failure_contract_) : -1;
    }
  }
  // A scoped refresh (no shocks) has each step field constant within a
  // year, and the lanes read the tables at year starts only
  // (LaneParams::load_step, LaneVaries::yearly): only those are refreshed.
  const int stride = scope != nullptr ? spy : 1;
  if (dirty(global_field(GlobalField::depreciation_life)) || dirty(global_field(GlobalField::impairment))) {
    refresh_depreciation(stride);
  }
  refresh_growth(scope, stride);
  refresh_regime_tables(scope == nullptr ? std::array<char, 5>{1, 1, 1, 1, 1} : scope->regime_table, stride);
  if (scope == nullptr || scope->segment_ar) refresh_segment_ar();
}

void PreparedModel::refresh_tranches() {
  const Model& m = model;
  const auto ns = static_cast<std::size_t>(n_steps);
  tranche_amount.assign(ns, 0.0);
  tranche_at_market.assign(ns, 0.0);
  tranche_per_delivery.assign(ns, 0.0);
  tranche_agreed_keep.assign(ns, 1.0);
  for (const Tranche& t : m.tranches) {
    // docs/model.md §11 (3. Tranches): a tranche lands in the step that contains its date.
    const int k = std::clamp(static_cast<int>(std::floor(t.time * spy + 1e-9)), 0, n_steps - 1);
    const auto ku = static_cast<std::size_t>(k);
    tranche_amount[ku] += t.amount;
    if (t.post_money > 0.0) {
      // Each agreed tranche sells its share of what the others left.
      tranche_agreed_keep[ku] *= 1.0 - std::min(t.amount / t.post_money, 1.0);
    } else {
      tranche_at_market[ku] += t.amount;
      if (t.per_delivery) tranche_per_delivery[ku] += t.amount;
    }
  }
  refresh_tranche_groups();
}

void PreparedModel::refresh_tranche_groups() {
  if (!tranche_group.empty() && tranche_group.size() == model.tranches.size()) return;
  const auto ns = static_cast<std::size_t>(n_steps);
  tranche_group_at_step.assign(ns, -1);
  tranche_group_steps.clear();
  tranche_group.clear();
  tranche_group_weight.clear();
  std::vector<int> step_of;
  for (const Tranche& t : model.tranches) {
    step_of.push_back(std::clamp(static_cast<int>(std::floor(t.time * spy + 1e-9)), 0, n_steps - 1));
    tranche_group_at_step[static_cast<std::size_t>(step_of.back())] = 0;
  }
  for (std::size_t k = 0; k < ns; ++k) {
    if (tranche_group_at_step[k] < 0) continue;
    tranche_group_at_step[k] = static_cast<int>(tranche_group_steps.size());
    tranche_group_steps.push_back(static_cast<int>(k));
  }
  for (std::size_t i = 0; i < model.tranches.size(); ++i) {
    const auto ku = static_cast<std::size_t>(step_of[i]);
    tranche_group.push_back(tranche_group_at_step[ku]);
    // Tranches landing in one step split its new shares by their planned amounts.
    const double planned = tranche_amount[ku];
    tranche_group_weight.push_back(planned > 0.0 ? model.tranches[i].amount / planned : 0.0);
  }
}

void PreparedModel::refresh_maturities() {
  // docs/model.md §11 (6. Debt maturities): a payment falls due in the step that contains its date.
  debt_due.assign(static_cast<std::size_t>(n_steps), 0.0);
  for (const DebtMaturity& d : model.debt_maturities) {
    const int k = std::clamp(static_cast<int>(std::floor(d.time * spy + 1e-9)), 0, n_steps - 1);
    debt_due[static_cast<std::size_t>(k)] += d.amount;
  }
}

void PreparedModel::refresh_segment_ar() {
  const Model& m = model;
  // docs/model.md §18 (AR(1) processes). Exact discretisation of a yearly AR(1) x' = phi x + sigma e to steps of
  // dt: the same stationary variance sigma^2 / (1 - phi^2), or a random walk
  // with variance sigma^2 per year when phi = 1.
  segment_ar_coef.clear();
  segment_ar_vol.clear();
  for (const Segment& s : m.segments) {
    const double phi = s.persistence;
    const double coef = std::pow(phi, dt);
    const double var = phi < 1.0 ? s.volatility * s.volatility * (1.0 - coef * coef) / (1.0 - phi * phi)
                                 : s.volatility * s.volatility * dt;
    segment_ar_coef.push_back(coef);
    segment_ar_vol.push_back(std::sqrt(var));
  }
}

void PreparedModel::refresh_depreciation(int stride) {
  const auto ns = static_cast<std::size_t>(n_steps);
  // docs/model.md §6 (owned capacity): q = 1 - exp(-dt / life), and the
  // book kept after impairment, (1 - m)^dt.
  depreciation_decay.resize(ns);
  impairment_keep.resize(ns);
  memo_life_.resize(ns, nan_);
  memo_impairment_.resize(ns, nan_);
  for (int k = 0; k < n_steps; k += stride) {
    const auto ku = static_cast<std::size_t>(k);
    const std::size_t prev = k > 0 ? ku - static_cast<std::size_t>(stride) : ku;
    const double life = at(global_field(GlobalField::depreciation_life), k);
    const double impairment = at(global_field(GlobalField::impairment), k);
    depreciation_decay[ku] = memo(life, memo_life_, depreciation_decay, ku, prev,
                                  [this](double x) { return -std::expm1(-dt / x); });
    impairment_keep[ku] = memo(impairment, memo_impairment_, impairment_keep, ku, prev,
                               [this](double x) { return std::pow(1.0 - x, dt); });
  }
}

void PreparedModel::refresh_growth(const RefreshScope* scope, int stride) {
  const Model& m = model;
  const auto ns = static_cast<std::size_t>(n_steps);
  // docs/model.md §4 (revenue and inference cost): mean of exp(x s) over s
  // in [0, 1] turns a growth rate into the average level over a step, so
  // flows integrate exactly whatever the step size.
  const auto mean_growth = [](double x) { return x == 0.0 ? 1.0 : std::expm1(x) / x; };
  const auto exp = [](double x) { return std::exp(x); };
  const auto log1p = [](double x) { return std::log1p(x); };
  const std::size_t nr = n_regimes();
  const std::size_t n_growth = n_segments() * ns * nr;
  for (auto* v : {&growth_demand, &growth_price, &growth_mean_volume, &growth_mean_revenue}) v->resize(n_growth);
  for (auto* v : {&memo_demand_, &memo_price_, &memo_revenue_}) v->resize(n_growth, nan_);
  memo_regime_change_.resize(ns * nr, nan_);
  regime_rate_.resize(ns * nr);
  memo_segment_change_.resize(n_segments() * ns, nan_);
  segment_rate_.resize(n_segments() * ns);
  bool regime_rates = scope == nullptr, regime_growth = scope == nullptr;
  for (std::size_t r = 0; r < nr; ++r) {
    regime_rates = regime_rates || scope->fields[static_cast<std::size_t>(regime_field(r, RegimeField::price_change))];
    regime_growth = regime_growth || scope->fields[static_cast<std::size_t>(regime_field(r, RegimeField::demand_growth))];
  }
  if (scope != nullptr && !regime_rates && !regime_growth && regime_repeats_.size() == ns &&
      std::none_of(scope->growth.begin(), scope->growth.end(), [](char c) { return c != 0; })) {
    return;  // nothing in scope feeds a table (a lane's commitments alone): the tables as at the last refresh
  }
  for (std::size_t i = 0; regime_rates && i < ns * nr; ++i) {
    const double x = at(regime_field(i % nr, RegimeField::price_change), static_cast<int>(i / nr));
    regime_rate_[i] = memo(x, memo_regime_change_, regime_rate_, i, i >= nr ? i - nr : i, log1p);
  }
  growth_repeats.resize(n_segments() * ns, 0);
  growth_source.resize(n_segments() * ns, 0);
  // The regimes' growth inputs as at the last refresh: their repeats too.
  if (scope != nullptr && regime_repeats_.size() == ns) {
    // Without shocks (a scoped refresh) a regime's growth inputs are
    // constants of the model: every step repeats the one before, as
    // regime_inputs_repeat() would find.
  } else if (regime_rates || regime_growth || regime_repeats_.size() != ns) {
    regime_inputs_repeat();
  }
  for (std::size_t s = 0; s < n_segments(); ++s) {
    if (scope != nullptr && scope->growth[s] == 0) continue;  // its inputs as at the last refresh
    const double beta = m.segments[s].demand_beta;
    const double* price_change = &step_values[static_cast<std::size_t>(segment_field(s, SegmentField::price_change)) * ns];
    // docs/model.md §4: the entries' inputs (the segment's price change,
    // the regimes' demand growth and price change) equal the step before's:
    // the memo would find every key there, so its values, copied.
    char* repeats = &growth_repeats[s * ns];
    int* source = &growth_source[s * ns];
    const char* regimes_repeat = regime_repeats_.data();
    // Every stride-th step only (refresh_scoped: year starts in a scoped refresh).
    for (int k = 0; k < n_steps; k += stride) {
      const auto ku = static_cast<std::size_t>(k);
      const std::size_t sk = s * ns + ku;
      repeats[ku] = static_cast<char>(k > 0 && regimes_repeat[ku] != 0 && price_change[ku] == price_change[ku - 1]);
      source[ku] = repeats[ku] != 0 ? source[ku - static_cast<std::size_t>(stride)] : k;
      if (repeats[ku] != 0) {
        if (scope != nullptr) continue;  // read from the source step (LaneParams::load_step)
        segment_rate_[sk] = segment_rate_[sk - 1];
        memo_segment_change_[sk] = memo_segment_change_[sk - 1];
        const std::size_t i = growth_index(s, k, 0), prev = growth_index(s, k - 1, 0);
        for (std::vector<double>* v : {&growth_demand, &growth_price, &growth_mean_volume, &growth_mean_revenue,
                                       &memo_demand_, &memo_price_, &memo_revenue_}) {
          double* x = v->data();
          for (std::size_t r = 0; r < nr; ++r) x[i + r] = x[prev + r];
        }
        continue;
      }
      segment_rate_[sk] = memo(at(segment_field(s, SegmentField::price_change), k), memo_segment_change_,
                               segment_rate_, sk, k > 0 ? sk - 1 : sk, log1p);
      const double segment_rate = segment_rate_[sk];
      for (std::size_t r = 0; r < nr; ++r) {
        const double g = at(regime_field(r, RegimeField::demand_growth), k);
        const double p = segment_rate + regime_rate_[static_cast<std::size_t>(k) * nr + r];
        const std::size_t i = growth_index(s, k, r), prev = k > 0 ? growth_index(s, k - 1, r) : i;
        // Segments with the same demand_beta share the demand entries: the
        // previous segment's at this step and regime, when its key matches.
        const std::size_t same_demand = s > 0 ? growth_index(s - 1, k, r) : i;
        const double demand = beta * g * dt;
        const double old_key = memo_demand_[i];
        growth_demand[i] = memo(demand, memo_demand_, growth_demand, i, prev, exp, same_demand);
        memo_demand_[i] = old_key;
        growth_mean_volume[i] = memo(demand, memo_demand_, growth_mean_volume, i, prev, mean_growth, same_demand);
        growth_price[i] = memo(p * dt, memo_price_, growth_price, i, prev, exp);
        growth_mean_revenue[i] = memo((beta * g + p) * dt, memo_revenue_, growth_mean_revenue, i, prev, mean_growth);
      }
    }
  }
}

// Per step k > 0: whether every regime's demand growth and price change
// equal those at step k - 1 (NaN never equals), into regime_repeats_.
void PreparedModel::regime_inputs_repeat() {
  const auto ns = static_cast<std::size_t>(n_steps);
  regime_repeats_.assign(ns, 1);
  regime_repeats_[0] = 0;
  for (std::size_t r = 0; r < n_regimes(); ++r) {
    for (const RegimeField f : {RegimeField::demand_growth, RegimeField::price_change}) {
      const double* x = &step_values[static_cast<std::size_t>(regime_field(r, f)) * ns];
      for (std::size_t k = 1; k < ns; ++k) regime_repeats_[k] = regime_repeats_[k] && x[k] == x[k - 1];
    }
  }
}

void PreparedModel::refresh_regime_tables(const std::array<char, 5>& which, int stride) {
  const auto ns = static_cast<std::size_t>(n_steps);
  const auto step = static_cast<std::size_t>(stride);
  const std::size_t nr = n_regimes();
  // docs/model.md §3 (regime effects), per step; the multiple carries the
  // valuation scale (§11, 2. Market value).
  const auto table = [&](std::vector<double>& out, RegimeField f) {
    out.resize(ns * nr);
    for (std::size_t r = 0; r < nr; ++r) {
      const double* x = &step_values[static_cast<std::size_t>(regime_field(r, f)) * ns];
      for (std::size_t k = 0; k < ns; k += step) out[k * nr + r] = x[k];
    }
  };
  if (which[0] != 0) table(regime_spot, RegimeField::spot_price);
  if (which[1] != 0) table(regime_resale, RegimeField::resale_share);
  if (which[2] != 0) table(regime_spread, RegimeField::credit_spread);
  if (which[3] != 0) {
    table(regime_raise, RegimeField::raise_success);
    regime_raise_log.resize(regime_raise.size());
    regime_raise_step.resize(regime_raise.size());
    for (std::size_t k = 0; k < ns; k += step) {
      for (std::size_t r = 0; r < nr; ++r) {
        const std::size_t i = k * nr + r;
        const RaiseOddsEntry e = raise_odds_entry(regime_raise[i], dt);
        regime_raise_log[i] = e.log_keep;
        regime_raise_step[i] = e.whole_step;
      }
    }
  }
  if (which[4] != 0) {
    regime_multiple.resize(ns * nr);
    const double* scale = &step_values[static_cast<std::size_t>(global_field(GlobalField::valuation_scale)) * ns];
    for (std::size_t r = 0; r < nr; ++r) {
      const double* x = &step_values[static_cast<std::size_t>(regime_field(r, RegimeField::valuation_multiple)) * ns];
      for (std::size_t k = 0; k < ns; k += step) regime_multiple[k * nr + r] = x[k] * scale[k];
    }
  }
}

}  // namespace wager::detail
