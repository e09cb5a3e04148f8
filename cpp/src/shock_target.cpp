// Shock targets written as scenario paths, resolved against a Model into the
// core's fields, the same expansion as Python's wager/compile/shocks.py (its
// _targets and _core_shock), in the same words (docs/stress.md, "Targets").
#include "wager/shock_target.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "wager/require.hpp"

namespace wager {

namespace {

using Kind = ShockTargetKind;

struct Plain {
  const char* path;
  const char* field;
  Kind kind;
};

// Python's _PLAIN: scenario path -> (core field, kind), for fields outside tables.
constexpr std::array<Plain, 31> plain_targets{{
    {"compute.training", "training", Kind::step},
    {"compute.capex", "capex", Kind::step},
    {"compute.depreciation_life", "depreciation_life", Kind::step},
    {"compute.impairment", "impairment", Kind::step},
    {"compute.initial_assets", "initial_assets", Kind::date},
    {"compute.capacity_per_dollar", "capacity_per_dollar", Kind::constant},
    {"financing.initial_cash", "initial_cash", Kind::date},
    {"financing.cash_yield", "cash_yield", Kind::constant},
    {"financing.valuation_scale", "valuation_scale", Kind::step},
    {"financing.debt.initial", "initial_debt", Kind::date},
    {"financing.debt.rate", "debt_rate", Kind::step},
    {"financing.debt.credit_limit", "credit_limit", Kind::constant},
    {"financing.equity.trigger_runway", "equity.trigger_runway", Kind::constant},
    {"financing.equity.target_runway", "equity.target_runway", Kind::constant},
    {"financing.equity.max_dilution", "equity.max_dilution", Kind::constant},
    {"financing.equity.min_interval", "equity.min_interval", Kind::constant},
    {"tax.rate", "tax_rate", Kind::constant},
    {"distress.backstop", "backstop", Kind::flag},
    {"distress.management.trigger_runway", "management.trigger_runway", Kind::constant},
    {"distress.management.cut_training", "management.cut_training", Kind::constant},
    {"distress.management.cut_opex", "management.cut_opex", Kind::constant},
    {"distress.management.renegotiate", "management.renegotiate", Kind::constant},
    {"distress.management.penalty", "management.penalty", Kind::constant},
    {"costs.staff.fixed", "staff.fixed", Kind::step},
    {"costs.staff.of_revenue", "staff.of_revenue", Kind::step},
    {"costs.sales_marketing.fixed", "sales_marketing.fixed", Kind::step},
    {"costs.sales_marketing.of_revenue", "sales_marketing.of_revenue", Kind::step},
    {"costs.general_admin.fixed", "general_admin.fixed", Kind::step},
    {"costs.general_admin.of_revenue", "general_admin.of_revenue", Kind::step},
    {"costs.stock_based_pay.fixed", "stock_based_pay.fixed", Kind::step},
    {"costs.stock_based_pay.of_revenue", "stock_based_pay.of_revenue", Kind::step},
}};

constexpr std::array<std::pair<const char*, Kind>, 6> segment_fields{{{"revenue", Kind::step},
                                                                       {"inference_cost_ratio", Kind::step},
                                                                       {"price_change", Kind::step},
                                                                       {"demand_beta", Kind::constant},
                                                                       {"volatility", Kind::constant},
                                                                       {"persistence", Kind::constant}}};
constexpr std::array<const char*, 7> regime_fields{"demand_growth", "price_change",  "valuation_multiple",
                                                   "raise_success", "spot_price",    "resale_share",
                                                   "credit_spread"};
constexpr std::array<const char*, 7> scenario_roots{"segments", "market", "compute", "costs",
                                                    "financing", "tax",   "distress"};

// A reason, raised while resolving one path; becomes InputError(who.field, "'path': reason").
struct Refused {
  std::string reason;
};

std::vector<std::string> split(const std::string& path) {
  std::vector<std::string> out(1);
  for (const char c : path) {
    if (c == '.') {
      out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  return out;
}

template <class Items, class Name>
std::string joined(const Items& items, Name name) {
  std::string out;
  bool first = true;
  for (const auto& item : items) {
    out += (first ? "" : ", ") + std::string(name(item));
    first = false;
  }
  return out;
}

// The indices `key` selects among named items: '*' all, else the one so named.
template <class Items>
std::vector<std::size_t> keys(const Items& items, const std::string& key, const char* what) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (key == "*" || items[i].name == key) out.push_back(i);
  }
  if (key != "*" && out.empty()) {
    const std::string known = joined(items, [](const auto& item) { return item.name; });
    throw Refused{std::string("no ") + what + " '" + key + "'; known: " + (known.empty() ? "none" : known)};
  }
  return out;
}

std::vector<ShockTarget> segment_targets(const std::vector<std::string>& parts, const Model& m) {
  const auto found = std::find_if(segment_fields.begin(), segment_fields.end(),
                                   [&](const auto& f) { return parts[2] == f.first; });
  if (found == segment_fields.end()) {
    throw Refused{"a segment has no shockable field '" + parts[2] + "'; known: " +
                  joined(segment_fields, [](const auto& f) { return f.first; })};
  }
  std::vector<ShockTarget> out;
  for (const std::size_t i : keys(m.segments, parts[1], "segment")) {
    out.push_back({"segments[" + std::to_string(i) + "]." + parts[2], found->second, -1});
  }
  return out;
}

std::vector<ShockTarget> regime_targets(const std::vector<std::string>& parts, const Model& m) {
  if (std::find(regime_fields.begin(), regime_fields.end(), parts[3]) == regime_fields.end()) {
    throw Refused{"a regime has no field '" + parts[3] + "'; known: " +
                  joined(regime_fields, [](const char* f) { return f; })};
  }
  std::vector<ShockTarget> out;
  for (const std::size_t i : keys(m.regimes, parts[2], "regime")) {
    out.push_back({"regimes[" + std::to_string(i) + "]." + parts[3], Kind::step, -1});
  }
  return out;
}

double total(const YearlySeries& s) {
  double sum = 0.0;
  for (const double v : s) sum += v;
  return sum;
}

// A contract is one of the model's contracts, by its scenario name.
std::vector<ShockTarget> contract_targets(const std::string& key, const Model& m) {
  std::vector<std::size_t> chosen;
  if (key == "largest") {
    if (m.contracts.empty()) return {};
    std::size_t best = 0;
    for (std::size_t c = 1; c < m.contracts.size(); ++c) {
      if (total(m.contracts[c].payments) > total(m.contracts[best].payments)) best = c;
    }
    chosen = {best};
  } else {
    chosen = keys(m.contracts, key, "contract");
  }
  std::vector<ShockTarget> out;
  for (const std::size_t c : chosen) out.push_back({"commitments", Kind::step, static_cast<int>(c)});
  return out;
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<ShockTarget> tranche_targets(const std::vector<std::string>& parts, const Model& m) {
  if (parts[3] != "amount" && parts[3] != "post_money") {
    throw Refused{"a tranche's shockable fields are amount and post_money, not '" + parts[3] + "'"};
  }
  const std::size_t n = m.tranches.size();
  std::vector<std::size_t> index;
  if (parts[2] == "*") {
    for (std::size_t i = 0; i < n; ++i) index.push_back(i);
  } else if (parts[2] == "largest") {
    std::size_t best = 0;
    for (std::size_t i = 1; i < n; ++i) {
      if (m.tranches[i].amount > m.tranches[best].amount) best = i;
    }
    if (n > 0) index.push_back(best);
  } else if (all_digits(parts[2]) && parts[2].size() <= 9 && std::stoul(parts[2]) < n) {
    index.push_back(std::stoul(parts[2]));
  } else {
    throw Refused{"no tranche '" + parts[2] + "': give an index below " + std::to_string(n) + ", '*' or 'largest'"};
  }
  std::vector<ShockTarget> out;
  for (const std::size_t i : index) out.push_back({"tranches[" + std::to_string(i) + "]." + parts[3], Kind::date, -1});
  return out;
}

// Python's _targets, case by case and in its order.
std::vector<ShockTarget> targets(const std::string& path, const Model& m) {
  const std::vector<std::string> parts = split(path);
  const auto starts = [&parts](const char* a, const char* b) { return parts.size() >= 2 && parts[0] == a && parts[1] == b; };
  if (parts[0] == "segments" && parts.size() == 3) return segment_targets(parts, m);
  if (starts("market", "regimes") && parts.size() == 4) return regime_targets(parts, m);
  if (starts("compute", "commitments") && parts.size() == 3) return contract_targets(parts[2], m);
  if (starts("financing", "tranches") && parts.size() == 4) return tranche_targets(parts, m);
  for (const Plain& p : plain_targets) {
    if (path == p.path) return {{p.field, p.kind, -1}};
  }
  if (path == "market.regime") return {{"regime", Kind::step, -1}};  // docs/model.md §25, a regime moved
  if (parts[0] == "market") {
    throw Refused{
        "the shared world's processes (market.transition, market.demand_factor, market.path) cannot be "
        "shocked; shock the regimes' effects (market.regimes.<name>.<field>) or move a bet's regime (market.regime) "
        "instead"};
  }
  std::vector<std::string> listed;
  for (const Plain& p : plain_targets) listed.emplace_back(p.path);
  std::sort(listed.begin(), listed.end());
  throw Refused{"unknown target '" + path +
                "'; shockable: segments.<name|*>.<field>, market.regimes.<name|*>.<field>, "
                "compute.commitments.<name|*|largest>, financing.tranches.<index|*|largest>.<amount|post_money>, "
                "or one of: " +
                joined(listed, [](const std::string& s) { return s; })};
}

bool whole_horizon(const Shock& s) {
  return !triggered(s) && s.start <= 0.0 && std::isinf(s.duration) && s.duration > 0.0 &&
         s.shape == ShockShape::step;
}

// Python's _core_shock: what the target's kind allows of the shock.
void check_timing(const Shock& s, const ShockTarget& t, const Model& m) {
  if (s.op == ShockOp::fail) {
    if (t.contract < 0) throw Refused{"'fail' is a supplier's failure: only for compute.commitments.<name>"};
    if (triggered(s)) throw Refused{"a supplier fails at a date: give start, not a trigger"};
    if (!(s.value >= 0.0 && s.value <= 1.0)) throw Refused{"the share of the contract lost, from 0 to 1"};
  }
  if (t.kind == Kind::flag && !(s.op == ShockOp::set && (s.value == 0.0 || s.value == 1.0))) {
    throw Refused{"a switch takes op 'set' with value true (1) or false (0)"};
  }
  if ((t.kind == Kind::constant || t.kind == Kind::flag) && !whole_horizon(s)) {
    throw Refused{s.field + " is constant over the horizon in the model: a shock on it must start in " +
                  std::to_string(m.start_year) + " (start 0), with shape 'step' and no duration or trigger"};
  }
  if (t.kind == Kind::date && triggered(s)) {
    throw Refused{s.field + " acts at one date: a trigger needs a field that varies in time"};
  }
}

// One core shock: `s` on `t`; a contract's change is an addition to the summed commitments.
Shock core_shock(const Shock& s, const ShockTarget& t, const Model& m) {
  Shock out = s;
  out.field = t.field;
  out.contract = t.contract;
  out.failure = s.failure || s.op == ShockOp::fail;
  if (t.contract < 0) return out;
  const YearlySeries& p = m.contracts[static_cast<std::size_t>(t.contract)].payments;
  const double v = s.value;
  out.value_by_year.clear();
  for (std::size_t y = 0; y < p.size(); ++y) {
    // The file's value, or its value for the year (as Python's by_year, bit for bit).
    const double x = p[y], vy = s.value_by_year.empty() ? v : s.value_by_year[y];
    switch (s.op) {
      case ShockOp::fail:
        out.value_by_year.push_back(-vy * x);
        break;
      case ShockOp::scale:
        out.value_by_year.push_back((vy - 1.0) * x);
        break;
      case ShockOp::set:
        out.value_by_year.push_back(vy - x);
        break;
      case ShockOp::add:
        out.value_by_year.push_back(vy);
        break;
    }
  }
  out.op = ShockOp::add;
  out.value = 0.0;
  return out;
}

}  // namespace

bool is_scenario_path(const std::string& field) {
  const std::size_t dot = field.find('.');
  if (dot == std::string::npos) return false;
  const std::string root = field.substr(0, dot);
  return std::find(scenario_roots.begin(), scenario_roots.end(), root) != scenario_roots.end();
}

std::vector<ShockTarget> shock_targets(const std::string& path, const Model& model, const std::string& who) {
  try {
    return targets(path, model);
  } catch (const Refused& why) {
    throw InputError(who + ".field", "'" + path + "': " + why.reason);
  }
}

std::vector<Shock> resolve_shocks(const std::vector<Shock>& shocks, const Model& model) {
  std::vector<Shock> out;
  for (std::size_t i = 0; i < shocks.size(); ++i) {
    const Shock& s = shocks[i];
    const std::string who = s.label.empty() ? "shocks[" + std::to_string(i) + "]" : s.label;
    if (!is_scenario_path(s.field)) {
      if (s.op == ShockOp::fail) {
        throw InputError(who + ".op", "'fail' is a supplier's failure: only for compute.commitments.<name>");
      }
      out.push_back(s);
      continue;
    }
    if (!s.value_by_year.empty() && static_cast<int>(s.value_by_year.size()) != model.n_years) {
      throw InputError(who + ".value_by_year", "expected one value per year (" + std::to_string(model.n_years) +
                                                   "), got " + std::to_string(s.value_by_year.size()));
    }
    for (const ShockTarget& t : shock_targets(s.field, model, who)) {
      try {
        check_timing(s, t, model);
      } catch (const Refused& why) {
        throw InputError(who + ".field", "'" + s.field + "': " + why.reason);
      }
      out.push_back(core_shock(s, t, model));
    }
  }
  return out;
}

}  // namespace wager
