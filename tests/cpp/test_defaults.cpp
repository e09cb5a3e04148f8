// The C++ defaults are the scenario format's (issue 20): the defaults table
// of docs/cpp.md, row by row, against the defaults docs/scenarios.md documents
// (which tests/test_docs_scenarios.py keeps in step with the Python schema)
// and against what make_model, make_segment and the structs hold.
#include <doctest/doctest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "wager/model.hpp"
#include "wager/require.hpp"
#include "wager/simulation.hpp"

namespace {

const std::string docs_dir = std::string(WAGER_TEST_DATA_DIR) + "/../../docs/";

std::vector<std::string> lines_of(const std::string& path) {
  std::ifstream in(path);
  REQUIRE_MESSAGE(in.good(), "cannot read " << path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(' '), e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The cells of a Markdown table row.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line.substr(1));
  for (std::string cell; std::getline(in, cell, '|');) out.push_back(trim(cell));
  return out;
}

// The first `code` of a cell ("`0.1667` (1/6)" -> "0.1667"), or "" without one.
std::string code(const std::string& cell) {
  const auto b = cell.find('`');
  const auto e = b == std::string::npos ? b : cell.find('`', b + 1);
  return e == std::string::npos ? "" : cell.substr(b + 1, e - b - 1);
}

// A documented default as a number: true = 1, false = 0; NaN if it is none.
double number(const std::string& text) {
  if (text == "true") return 1.0;
  if (text == "false") return 0.0;
  try {
    std::size_t used = 0;
    const double v = std::stod(text, &used);
    return used == text.size() ? v : std::nan("");
  } catch (const std::exception&) {
    return std::nan("");
  }
}

// The rows of the table whose header row is `header`: first cell -> cells.
std::map<std::string, std::vector<std::string>> table(const std::vector<std::string>& lines, const std::string& header) {
  std::map<std::string, std::vector<std::string>> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind(header, 0) != 0) continue;
    for (std::size_t j = i + 2; j < lines.size() && lines[j].rfind("|", 0) == 0; ++j) {
      const auto row = cells(lines[j]);
      out[code(row[0]).empty() ? row[0] : code(row[0])] = row;
    }
  }
  return out;
}

bool close(double a, double b) {  // as tests/test_docs_scenarios.py compares documented defaults
  return std::fabs(a - b) <= std::max(1e-3 * std::max(std::fabs(a), std::fabs(b)), 1e-12);
}

using Values = std::function<std::vector<double>()>;

// What the C++ side holds for each field of the defaults table.
std::map<std::string, Values> cpp_defaults() {
  const wager::YearlySeries plan(11, 1.0);
  const wager::Model m = wager::make_model({wager::make_segment("api", plan, plan)}, 5.0);
  const wager::Segment& s = m.segments.front();
  const wager::Regime r;
  const wager::World w;
  const wager::Tranche t;
  const auto one = [](double v) { return Values([v] { return std::vector<double>{v}; }); };
  const auto all = [](const wager::YearlySeries& v) { return Values([v] { return v; }); };
  const auto flag = [&one](bool b) { return one(b ? 1.0 : 0.0); };
  return {
      {"time.start_year", one(m.start_year)},
      {"time.horizon", one(m.start_year + m.n_years - 1)},
      {"time.steps_per_year", one(m.steps_per_year)},
      {"segments.<name>.price_change", all(s.price_change)},
      {"segments.<name>.demand_beta", one(s.demand_beta)},
      {"segments.<name>.volatility", one(s.volatility)},
      {"segments.<name>.persistence", one(s.persistence)},
      {"market.regimes.<name>.demand_growth", one(r.demand_growth)},
      {"market.regimes.<name>.price_change", one(r.price_change)},
      {"market.regimes.<name>.valuation_multiple", one(r.valuation_multiple)},
      {"market.regimes.<name>.raise_success", one(r.raise_success)},
      {"market.regimes.<name>.spot_price", one(r.spot_price)},
      {"market.regimes.<name>.resale_share", one(r.resale_share)},
      {"market.regimes.<name>.credit_spread", one(r.credit_spread)},
      {"market.regimes.<name>.discount_rate", one(r.discount_rate)},
      {"market.regimes.<name>.spot_lead_time", one(r.spot_lead_time)},
      {"market.regimes.<name>.dcf_weight", one(r.dcf_weight)},
      {"market.demand_factor.volatility", one(w.factor_volatility)},
      {"market.demand_factor.persistence", one(w.factor_persistence)},
      {"compute.training", all(m.training)},
      {"compute.capex", all(m.capex)},
      {"compute.initial_assets", one(m.initial_assets)},
      {"compute.capacity_per_dollar", one(m.capacity_per_dollar)},
      {"compute.impairment", all(m.impairment)},
      {"compute.depreciation_life", one(m.depreciation_life)},
      {"costs.staff.fixed", all(m.staff.fixed)},
      {"costs.staff.of_revenue", all(m.staff.of_revenue)},
      {"costs.sales_marketing.fixed", all(m.sales_marketing.fixed)},
      {"costs.sales_marketing.of_revenue", all(m.sales_marketing.of_revenue)},
      {"costs.general_admin.fixed", all(m.general_admin.fixed)},
      {"costs.general_admin.of_revenue", all(m.general_admin.of_revenue)},
      {"costs.stock_based_pay.fixed", all(m.stock_based_pay.fixed)},
      {"costs.stock_based_pay.of_revenue", all(m.stock_based_pay.of_revenue)},
      {"financing.cash_yield", one(m.cash_yield)},
      {"financing.valuation_scale", all(m.valuation_scale)},
      {"financing.tranches[].per_delivery", flag(t.per_delivery)},
      {"financing.equity.enabled", flag(m.equity.enabled)},
      {"financing.equity.trigger_runway", one(m.equity.trigger_runway)},
      {"financing.equity.target_runway", one(m.equity.target_runway)},
      {"financing.equity.max_dilution", one(m.equity.max_dilution)},
      {"financing.equity.min_interval", one(m.equity.min_interval)},
      {"financing.equity.score.sensitivity", one(m.equity.score.sensitivity)},
      {"financing.equity.score.reference", one(m.equity.score.reference)},
      {"financing.equity.score.margin_weight", one(m.equity.score.margin_weight)},
      {"financing.equity.score.floor", one(m.equity.score.floor)},
      {"financing.equity.score.cap", one(m.equity.score.cap)},
      {"financing.equity.score.start", one(m.equity.score.start)},
      {"financing.debt.initial", one(m.initial_debt)},
      {"financing.debt.rate", all(m.debt_rate)},
      {"financing.debt.credit_limit", one(m.credit_limit)},
      {"financing.debt.revolving", flag(m.credit_revolving)},
      {"financing.debt.secured", flag(m.credit_secured)},
      {"tax.rate", one(m.tax_rate)},
      {"distress.backstop", flag(m.backstop)},
      {"distress.management.enabled", flag(m.management.enabled)},
      {"distress.management.trigger_runway", one(m.management.trigger_runway)},
      {"distress.management.cut_training", one(m.management.cut_training)},
      {"distress.management.cut_opex", one(m.management.cut_opex)},
      {"distress.management.renegotiate", one(m.management.renegotiate)},
      {"distress.management.penalty", one(m.management.penalty)},
      {"distress.resolution.enabled", flag(m.resolution.enabled)},
      {"distress.resolution.duration", one(m.resolution.duration)},
      {"distress.resolution.cost", one(m.resolution.cost)},
      {"distress.resolution.terminal_growth", one(m.resolution.terminal_growth)},
      {"distress.resolution.asset_sale_fraction", one(m.resolution.asset_sale_fraction)},
      {"distress.resolution.cap_rejection", flag(m.resolution.cap_rejection)},
  };
}

}  // namespace

TEST_CASE("defaults: docs/cpp.md's table, docs/scenarios.md's defaults and the C++ values agree") {
  const auto cpp = table(lines_of(docs_dir + "cpp.md"), "| scenario field | C++ | default |");
  const auto scenarios = table(lines_of(docs_dir + "scenarios.md"), "| field | type | unit | default |");
  const auto values = cpp_defaults();
  REQUIRE(cpp.size() >= values.size());
  for (const auto& [field, get] : values) {
    CAPTURE(field);
    REQUIRE_MESSAGE(cpp.count(field) == 1, "docs/cpp.md's defaults table has no row for " << field);
    REQUIRE_MESSAGE(scenarios.count(field) == 1, "docs/scenarios.md documents no " << field);
    const double documented = number(code(cpp.at(field).at(2)));
    const double format = number(code(scenarios.at(field).at(3)));
    CHECK_MESSAGE(close(documented, format), field << ": docs/cpp.md says " << documented << ", scenarios.md " << format);
    for (double v : get()) CHECK_MESSAGE(close(v, format), field << ": C++ holds " << v << ", the format " << format);
  }
  for (const auto& [field, row] : cpp) {
    if (field == "market.initial") continue;  // a name, checked below
    CHECK_MESSAGE(values.count(field) == 1, "docs/cpp.md's row " << field << " is not tested");
  }
  REQUIRE(cpp.count("market.initial") == 1);
  const wager::YearlySeries plan(11, 1.0);
  const wager::Model m = wager::make_model({wager::make_segment("api", plan, plan)}, 5.0);
  CHECK("\"" + m.regimes.at(static_cast<std::size_t>(m.initial_regime)).name + "\"" ==
        code(scenarios.at("market.initial").at(3)));
}

TEST_CASE("defaults: default_regimes() and default_yearly_transition() are docs/scenarios.md's tables") {
  const auto lines = lines_of(docs_dir + "scenarios.md");
  const auto regimes = table(lines, "| field | boom | normal | bust |");
  const auto transition = table(lines, "| from \\ to | boom | normal | bust |");
  const auto built = wager::default_regimes();
  REQUIRE(built.size() == 3);
  const std::map<std::string, std::function<double(const wager::Regime&)>> fields = {
      {"demand_growth", [](const wager::Regime& r) { return r.demand_growth; }},
      {"price_change", [](const wager::Regime& r) { return r.price_change; }},
      {"valuation_multiple", [](const wager::Regime& r) { return r.valuation_multiple; }},
      {"raise_success", [](const wager::Regime& r) { return r.raise_success; }},
      {"spot_price", [](const wager::Regime& r) { return r.spot_price; }},
      {"resale_share", [](const wager::Regime& r) { return r.resale_share; }},
      {"credit_spread", [](const wager::Regime& r) { return r.credit_spread; }},
      {"discount_rate", [](const wager::Regime& r) { return r.discount_rate; }},
      {"spot_lead_time", [](const wager::Regime& r) { return r.spot_lead_time; }},
      {"dcf_weight", [](const wager::Regime& r) { return r.dcf_weight; }},
  };
  REQUIRE(regimes.size() == fields.size());
  for (const auto& [name, get] : fields) {
    CAPTURE(name);
    for (std::size_t r = 0; r < 3; ++r) CHECK(get(built[r]) == number(regimes.at(name).at(r + 1)));
  }
  CHECK(built[0].name == "boom");
  CHECK(built[1].name == "normal");
  CHECK(built[2].name == "bust");
  const auto p = wager::default_yearly_transition();
  REQUIRE(p.size() == 9);
  for (std::size_t from = 0; from < 3; ++from) {
    for (std::size_t to = 0; to < 3; ++to) CHECK(p[from * 3 + to] == number(transition.at(built[from].name).at(to + 1)));
  }
}

TEST_CASE("defaults: make_model gives a valid model; the world's -1 and 0 stand for the models'") {
  const wager::YearlySeries plan(6, 2.0), ratio(6, 0.4);
  wager::Model m = wager::make_model({wager::make_segment("api", plan, ratio)}, 5.0, 2026, 2031, 12);
  CHECK(m.n_years == 6);
  CHECK(m.n_steps() == 72);
  CHECK_NOTHROW(wager::validate(m));
  CHECK_THROWS_AS(wager::make_model({wager::make_segment("api", plan, ratio)}, 5.0), wager::InputError);  // 11 years
  m.segments[0].volatility = 0.3;  // the world then draws segment normals (see the report on world_block.cpp)
  wager::SimulationConfig implicit;
  wager::Strategy strategy;
  strategy.model = m;
  implicit.strategies.push_back(strategy);
  implicit.world.step_transition = {0.98, 0.01, 0.01, 0.02, 0.96, 0.02, 0.01, 0.04, 0.95};
  implicit.seed = 3;
  implicit.n_paths = 256;
  wager::SimulationConfig explicit_world = implicit;
  explicit_world.world.initial_regime = 1;
  explicit_world.world.n_regimes = 3;
  const auto a = wager::simulate(implicit).strategies.front();
  const auto b = wager::simulate(explicit_world).strategies.front();
  CHECK(a.series.sum == b.series.sum);
  CHECK(a.default_year == b.default_year);
  explicit_world.world.initial_regime = 0;  // not the model's "normal"
  CHECK_THROWS_AS(wager::simulate(explicit_world), wager::InputError);
}
