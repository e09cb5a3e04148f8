// One naming (issue 20, item 3): shocks written in the scenario format's path
// form resolve to the core's fields as Python resolves them, parameters carry
// both names, and a stress written for Python, applied from C++, gives
// Python's projection (tests/data/stress_reference.txt, made by
// tests/data/make_stress_reference.py).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "wager/parameters.hpp"
#include "wager/projection.hpp"
#include "wager/require.hpp"
#include "wager/shock_target.hpp"
#include "wager/simulation.hpp"

namespace {

using wager::Shock;
using wager::ShockOp;
using wager::ShockTargetKind;

// The fixture company with what the path forms select by: named contracts
// (Oracle's stargate 1+2+...+6, Nvidia's gigawatts 2 a year: stargate is the
// largest) and three tranches (the second the largest).
wager::Model named_company() {
  wager::Model m = wager::test::company(6, 4);
  const wager::YearlySeries oracle{1, 2, 3, 4, 5, 6}, nvidia(6, 2.0);
  m.contracts = {{"gigawatts", "Nvidia", nvidia}, {"stargate", "Oracle", oracle}};
  for (std::size_t y = 0; y < 6; ++y) m.commitments[y] = nvidia[y] + oracle[y];
  m.tranches = {{1.5, 3.0, 0.0}, {2.0, 5.0, 40.0}, {3.0, 5.0, 0.0}};
  m.impairment.assign(6, 0.0);
  return m;
}

Shock on(const std::string& field, ShockOp op = ShockOp::scale, double value = 0.5) {
  Shock s;
  s.field = field;
  s.label = "st.shocks[0]";
  s.op = op;
  s.value = value;
  return s;
}

std::vector<std::string> fields(const std::vector<Shock>& shocks) {
  std::vector<std::string> out;
  for (const Shock& s : shocks) out.push_back(s.field);
  return out;
}

std::vector<std::string> resolved(const std::string& path, const wager::Model& m) {
  return fields(wager::resolve_shocks({on(path)}, m));
}

// The InputError resolving `s` throws: its field() and what().
std::pair<std::string, std::string> refusal(const Shock& s, const wager::Model& m) {
  try {
    wager::resolve_shocks({s}, m);
  } catch (const wager::InputError& e) {
    return {e.field(), e.what()};
  }
  FAIL("no InputError for " << s.field);
  return {};
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("each path form resolves to the core's fields, in the scenario's order") {
  const wager::Model m = named_company();  // segments enterprise, consumer; regimes normal, bust
  using V = std::vector<std::string>;
  CHECK(resolved("segments.consumer.revenue", m) == V{"segments[1].revenue"});
  CHECK(resolved("segments.*.price_change", m) == V{"segments[0].price_change", "segments[1].price_change"});
  CHECK(resolved("segments.enterprise.persistence", m) == V{"segments[0].persistence"});
  CHECK(resolved("market.regimes.bust.raise_success", m) == V{"regimes[1].raise_success"});
  CHECK(resolved("market.regimes.*.spot_price", m) == V{"regimes[0].spot_price", "regimes[1].spot_price"});
  CHECK(resolved("compute.commitments.stargate", m) == V{"commitments"});
  CHECK(resolved("compute.commitments.*", m) == V{"commitments", "commitments"});
  CHECK(resolved("financing.tranches.2.amount", m) == V{"tranches[2].amount"});
  CHECK(resolved("financing.tranches.*.post_money", m) ==
        V{"tranches[0].post_money", "tranches[1].post_money", "tranches[2].post_money"});
  CHECK(resolved("financing.tranches.largest.amount", m) == V{"tranches[1].amount"});  // 5 = 5: the first
  CHECK(resolved("financing.debt.rate", m) == V{"debt_rate"});
  CHECK(resolved("costs.sales_marketing.of_revenue", m) == V{"sales_marketing.of_revenue"});
  CHECK(resolved("distress.management.cut_opex", m) == V{"management.cut_opex"});
  CHECK(resolved("financing.equity.max_dilution", m) == V{"equity.max_dilution"});
  CHECK(resolved("tax.rate", m) == V{"tax_rate"});

  // Every path outside a table reaches one parameter of the model (or the
  // backstop switch), of the kind docs/stress.md lists it under.
  wager::Model probe = m;
  std::set<std::string> names{"backstop"};
  for (const wager::ParameterRef& p : wager::parameters(probe)) {
    names.insert(p.name.back() == ']' ? p.name.substr(0, p.name.rfind('[')) : p.name);
  }
  using K = ShockTargetKind;
  const std::vector<std::pair<std::string, K>> plain{
      {"compute.training", K::step},
      {"compute.capex", K::step},
      {"compute.depreciation_life", K::step},
      {"compute.impairment", K::step},
      {"compute.initial_assets", K::date},
      {"compute.capacity_per_dollar", K::constant},
      {"financing.initial_cash", K::date},
      {"financing.cash_yield", K::constant},
      {"financing.valuation_scale", K::step},
      {"financing.debt.initial", K::date},
      {"financing.debt.rate", K::step},
      {"financing.debt.credit_limit", K::constant},
      {"financing.equity.trigger_runway", K::constant},
      {"financing.equity.target_runway", K::constant},
      {"financing.equity.max_dilution", K::constant},
      {"financing.equity.min_interval", K::constant},
      {"tax.rate", K::constant},
      {"distress.backstop", K::flag},
      {"distress.management.trigger_runway", K::constant},
      {"distress.management.cut_training", K::constant},
      {"distress.management.cut_opex", K::constant},
      {"distress.management.renegotiate", K::constant},
      {"distress.management.penalty", K::constant},
      {"costs.staff.fixed", K::step},
      {"costs.staff.of_revenue", K::step},
      {"costs.sales_marketing.fixed", K::step},
      {"costs.sales_marketing.of_revenue", K::step},
      {"costs.general_admin.fixed", K::step},
      {"costs.general_admin.of_revenue", K::step},
      {"costs.stock_based_pay.fixed", K::step},
      {"costs.stock_based_pay.of_revenue", K::step}};
  for (const auto& [path, kind] : plain) {
    const auto t = wager::shock_targets(path, m);
    REQUIRE(t.size() == 1);
    CHECK_MESSAGE(t[0].kind == kind, path);
    CHECK_MESSAGE(names.count(t[0].field) == 1, path << " -> " << t[0].field);
    CHECK(t[0].contract == -1);
  }
  CHECK(wager::shock_targets("financing.initial_cash", m)[0].field == "initial_cash");
  CHECK(wager::shock_targets("financing.debt.initial", m)[0].field == "initial_debt");
  CHECK(wager::shock_targets("distress.backstop", m)[0].field == "backstop");
}

TEST_CASE("a shock in the core's names is kept as it is") {
  const wager::Model m = named_company();
  Shock s = on("regimes[1].raise_success", ShockOp::set, 0.0);
  s.start = 1.0;
  s.duration = 2.0;
  const auto out = wager::resolve_shocks({s, on("initial_cash"), on("backstop", ShockOp::set, 1.0)}, m);
  REQUIRE(out.size() == 3);
  CHECK(out[0].field == "regimes[1].raise_success");
  CHECK(out[0].start == 1.0);
  CHECK(out[0].duration == 2.0);
  CHECK(out[1].field == "initial_cash");
  CHECK(out[2].field == "backstop");
  CHECK(!wager::is_scenario_path("segments[0].revenue"));
  CHECK(!wager::is_scenario_path("equity.target_runway"));
  CHECK(wager::is_scenario_path("segments.consumer.revenue"));
}

TEST_CASE("project and simulate expand shocks written as scenario paths themselves") {
  const wager::Model m = named_company();
  Shock freeze = on("market.regimes.*.raise_success", ShockOp::set, 0.0);
  freeze.start = 1.0;
  freeze.duration = 2.0;
  const std::vector<Shock> written = {freeze, on("segments.*.revenue", ShockOp::scale, 0.7)};
  const std::vector<Shock> resolved = wager::resolve_shocks(written, m);
  REQUIRE(resolved.size() > written.size());  // one per regime and per segment

  wager::ProjectionConfig as_written, as_resolved, plain;
  as_written.model = as_resolved.model = plain.model = m;
  as_written.shocks = written;
  as_resolved.shocks = resolved;
  const wager::Projection a = wager::project(as_written), b = wager::project(as_resolved), c = wager::project(plain);
  CHECK(a.annual.values == b.annual.values);
  CHECK(a.annual.values != c.annual.values);  // the shocks do something

  const auto run = [&m](const std::vector<Shock>& shocks) {
    wager::SimulationConfig cfg;
    wager::Strategy st;
    st.model = m;
    st.shocks = shocks;
    cfg.strategies.push_back(st);
    cfg.world = wager::test::world_for(m);
    cfg.seed = 7;
    cfg.n_paths = 300;
    cfg.n_threads = 1;
    return wager::simulate(cfg).strategies.front();
  };
  const wager::StrategyOutcome x = run(written), y = run(resolved);
  CHECK(x.series.sum == y.series.sum);
  CHECK(x.series.histogram == y.series.histogram);
  CHECK(x.default_year == y.default_year);

  // A contract index the model does not have, or on another field, is refused.
  Shock bad = on("commitments", ShockOp::scale, 0.5);
  bad.contract = 5;
  wager::ProjectionConfig refused;
  refused.model = m;
  refused.shocks = {bad};
  CHECK_THROWS_WITH_AS(wager::project(refused), doctest::Contains("contract"), wager::InputError);
  bad.contract = 0;
  bad.field = "training";
  refused.shocks = {bad};
  CHECK_THROWS_WITH_AS(wager::project(refused), doctest::Contains("only a shock on commitments"), wager::InputError);
  // A supplier's failure on a model with contracts names the one that fails.
  Shock failure = on("commitments", ShockOp::add, 0.0);
  failure.failure = true;
  failure.value_by_year.assign(6, -1.0);
  refused.shocks = {failure};
  CHECK_THROWS_WITH_AS(wager::project(refused), doctest::Contains("names the contract that fails"), wager::InputError);
  refused.shocks[0].contract = 0;
  CHECK_NOTHROW(wager::project(refused));
}

TEST_CASE("a shock on one contract adds to the summed commitments what it does to that contract") {
  const wager::Model m = named_company();
  const wager::YearlySeries oracle{1, 2, 3, 4, 5, 6};
  Shock scale = on("compute.commitments.largest", ShockOp::scale, 0.25);  // Oracle: 21 against Nvidia's 12
  scale.start = 1.0;
  scale.duration = 3.0;
  const auto out = wager::resolve_shocks({scale, on("compute.commitments.stargate", ShockOp::set, 2.5),
                                          on("compute.commitments.stargate", ShockOp::add, 0.75),
                                          on("compute.commitments.stargate", ShockOp::fail, 0.4)},
                                         m);
  REQUIRE(out.size() == 4);
  for (const Shock& s : out) {
    CHECK(s.field == "commitments");
    CHECK(s.op == ShockOp::add);
    CHECK(s.value == 0.0);
    CHECK(s.contract == 1);
    REQUIRE(s.value_by_year.size() == 6);
  }
  CHECK(out[0].start == 1.0);  // the timing is the shock's own
  CHECK(out[0].duration == 3.0);
  for (std::size_t y = 0; y < 6; ++y) {
    CHECK(out[0].value_by_year[y] == -0.75 * oracle[y]);
    CHECK(out[1].value_by_year[y] == 2.5 - oracle[y]);
    CHECK(out[2].value_by_year[y] == 0.75);
    CHECK(out[3].value_by_year[y] == -0.4 * oracle[y]);
  }
  CHECK(!out[0].failure);
  CHECK(out[3].failure);  // op fail: a supplier's failure on the commitments

  // Every contract halved is the commitments halved (x + (-0.5 n) + (-0.5 o)
  // against 0.5 x: equal to rounding).
  Shock each = on("compute.commitments.*", ShockOp::scale, 0.5), whole = on("commitments", ShockOp::scale, 0.5);
  each.start = whole.start = 1.0;
  const auto a = wager::project({m, {}, wager::resolve_shocks({each}, m)});
  const auto b = wager::project({m, {}, {whole}});
  const auto c = wager::project({m, {}, {}});
  for (int y = 0; y < m.n_years; ++y) {
    CHECK(a.annual.at(wager::Var::cash, y) == doctest::Approx(b.annual.at(wager::Var::cash, y)).epsilon(1e-12));
  }
  // The shock does something (the compute it removes is bought at spot).
  CHECK(std::fabs(a.annual.at(wager::Var::cash, 5) - c.annual.at(wager::Var::cash, 5)) > 0.1);
}

TEST_CASE("largest without a contract or a tranche reaches nothing") {
  wager::Model m = wager::test::company(6, 4);  // commitments, but no named contract
  m.tranches.clear();
  CHECK(wager::resolve_shocks({on("compute.commitments.largest", ShockOp::fail, 1.0)}, m).empty());
  CHECK(wager::resolve_shocks({on("financing.tranches.largest.amount")}, m).empty());
}

TEST_CASE("unknown names are refused naming the shock and the path, in Python's words") {
  const wager::Model m = named_company();
  const auto [field, what] = refusal(on("segments.retail.revenue"), m);
  CHECK(field == "st.shocks[0].field");
  CHECK(what == "st.shocks[0].field: 'segments.retail.revenue': no segment 'retail'; known: enterprise, consumer");
  CHECK(contains(refusal(on("market.regimes.crash.spot_price"), m).second, "no regime 'crash'; known: normal, bust"));
  CHECK(contains(refusal(on("compute.commitments.Amazon"), m).second, "no contract 'Amazon'; known: gigawatts, stargate"));
  CHECK(contains(refusal(on("financing.tranches.3.amount"), m).second,
                 "no tranche '3': give an index below 3, '*' or 'largest'"));
  CHECK(contains(refusal(on("segments.*.margin"), m).second, "a segment has no shockable field 'margin'"));
  CHECK(contains(refusal(on("market.regimes.*.odds"), m).second, "a regime has no field 'odds'"));
  CHECK(contains(refusal(on("financing.tranches.0.year"), m).second,
                 "a tranche's shockable fields are amount and post_money, not 'year'"));
  CHECK(contains(refusal(on("market.transition.bust.normal"), m).second, "the shared world's processes"));
  CHECK(contains(refusal(on("financing.initial_cahs"), m).second, "unknown target 'financing.initial_cahs'; shockable:"));
  Shock unlabelled = on("tax.rat");
  unlabelled.label.clear();
  CHECK(refusal(unlabelled, m).first == "shocks[0].field");
}

TEST_CASE("a shock its field cannot take is refused, in Python's words") {
  const wager::Model m = named_company();
  Shock constant = on("financing.cash_yield");
  constant.duration = 2.0;
  CHECK(contains(refusal(constant, m).second, "financing.cash_yield is constant over the horizon in the model"));
  Shock dated = on("financing.initial_cash");
  dated.trigger_regime = 1;
  CHECK(contains(refusal(dated, m).second, "acts at one date: a trigger needs a field that varies in time"));
  CHECK(contains(refusal(on("distress.backstop", ShockOp::scale, 1.0), m).second, "a switch takes op 'set'"));
  CHECK(contains(refusal(on("compute.training", ShockOp::fail, 1.0), m).second,
                 "'fail' is a supplier's failure: only for compute.commitments.<name>"));
  CHECK(refusal(on("training", ShockOp::fail, 1.0), m).first == "st.shocks[0].op");
  CHECK(contains(refusal(on("compute.commitments.stargate", ShockOp::fail, 1.5), m).second,
                 "the share of the contract lost, from 0 to 1"));
}

TEST_CASE("parameters carry the core's name and the scenario's path") {
  wager::Model m = named_company();
  std::map<std::string, std::string> path_of;
  std::set<std::string> paths;
  for (const wager::ParameterRef& p : wager::parameters(m)) {
    path_of[p.name] = p.path;
    CHECK_MESSAGE(paths.insert(p.path).second, "two parameters named " << p.path);
  }
  CHECK(path_of.at("initial_cash") == "financing.initial_cash");
  CHECK(path_of.at("segments[1].revenue[2]") == "segments.consumer.revenue.2027");
  CHECK(path_of.at("regimes[1].raise_success") == "market.regimes.bust.raise_success");
  CHECK(path_of.at("tranches[1].post_money") == "financing.tranches.1.post_money");
  CHECK(path_of.at("staff.of_revenue[0]") == "costs.staff.of_revenue.2025");
  CHECK(path_of.at("initial_debt") == "financing.debt.initial");
  CHECK(path_of.at("debt_rate[5]") == "financing.debt.rate.2030");
  CHECK(path_of.at("equity.target_runway") == "financing.equity.target_runway");
  CHECK(path_of.at("management.penalty") == "distress.management.penalty");
  CHECK(path_of.at("tax_rate") == "tax.rate");
  CHECK(path_of.at("commitments[0]") == "compute.commitments.2025");
  // A plain shock path, with the year, is its parameter's path.
  CHECK(path_of.at(wager::shock_targets("compute.training", m)[0].field + "[1]") == "compute.training.2026");
}

// ---------------------------------------------------------------------------
// A Python-written stress applied from C++ (tests/data/stress_reference.txt).

namespace {

struct Case {
  std::string stress;
  std::vector<Shock> shocks;  // as the stress file writes them
  std::vector<std::vector<std::string>> core;  // what Python expanded them to
  std::vector<double> cash, revenue;
};

struct Preset {
  std::string name;
  std::map<std::string, std::vector<std::string>> model;  // flattened ModelDict
  std::vector<int> path;
  std::vector<Case> cases;
  std::vector<std::pair<std::string, std::string>> refused;  // a target and Python's reason
};

double number(const std::string& s) { return s == "inf" ? std::numeric_limits<double>::infinity() : std::stod(s); }

std::vector<double> numbers(const std::vector<std::string>& tokens, std::size_t from) {
  std::vector<double> out;
  for (std::size_t i = from; i < tokens.size(); ++i) out.push_back(number(tokens[i]));
  return out;
}

std::vector<Preset> read_reference() {
  std::ifstream in(std::string(WAGER_TEST_DATA_DIR) + "/stress_reference.txt");
  REQUIRE_MESSAGE(in.good(), "cannot read tests/data/stress_reference.txt");
  std::vector<Preset> out;
  std::vector<std::vector<std::string>> raw;  // a case's shock lines, read once the model is known
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream words(line);
    std::vector<std::string> t;
    for (std::string w; words >> w;) t.push_back(w);
    const std::string& key = t[0];
    if (key == "preset") {
      out.push_back({t[1], {}, {}, {}, {}});
    } else if (key == "model") {
      out.back().model[t[1]] = std::vector<std::string>(t.begin() + 2, t.end());
    } else if (key == "refused") {
      out.back().refused.emplace_back(t[1], line.substr(line.find(t[1]) + t[1].size() + 1));
    } else if (key == "path") {
      for (std::size_t i = 1; i < t.size(); ++i) out.back().path.push_back(std::stoi(t[i]));
    } else if (key == "stress") {
      out.back().cases.push_back({t[1], {}, {}, {}, {}});
    } else if (key == "shock") {
      raw.push_back(t);
      out.back().cases.back().shocks.emplace_back();  // filled by shocks_of
      out.back().cases.back().shocks.back().label = std::to_string(raw.size() - 1);
    } else if (key == "core") {
      out.back().cases.back().core.push_back(t);
    } else if (key == "cash" || key == "revenue") {
      (key == "cash" ? out.back().cases.back().cash : out.back().cases.back().revenue) = numbers(t, 1);
    }
  }
  // The shock lines as C++ Shocks: the file's fields as a C++ caller sets them.
  for (Preset& p : out) {
    std::vector<std::string> regimes;
    for (int r = 0; p.model.count("regimes." + std::to_string(r) + ".name") > 0; ++r) {
      regimes.push_back(p.model["regimes." + std::to_string(r) + ".name"][0]);
    }
    const double first = number(p.model.at("start_year")[0]);
    for (Case& c : p.cases) {
      for (Shock& s : c.shocks) {
        const std::vector<std::string>& t = raw[std::stoul(s.label)];
        s.label = t[1];
        s.severity = number(t[2]);
        s.field = t[3];
        s.op = t[4] == "scale" ? ShockOp::scale : t[4] == "add" ? ShockOp::add : t[4] == "set" ? ShockOp::set : ShockOp::fail;
        s.value = number(t[5]);
        s.start = t[6] == "-" ? 0.0 : number(t[6]) - first;
        if (t[7] != "-") {
          s.trigger_regime = static_cast<int>(std::find(regimes.begin(), regimes.end(), t[7]) - regimes.begin());
          s.trigger_after = t[8] == "-" ? 0.0 : number(t[8]) - first;
        }
        s.duration = t[9] == "-" ? std::numeric_limits<double>::infinity() : number(t[9]);
        s.shape = t[10] == "step" ? wager::ShockShape::step : t[10] == "ramp" ? wager::ShockShape::ramp : wager::ShockShape::recovery;
        s.ramp = t[11] != "-" ? number(t[11]) : t[9] != "-" ? number(t[9]) : 1.0;
        s.half_life = t[12] == "-" ? 1.0 : number(t[12]);
      }
    }
  }
  return out;
}

// Builds a Model from the flattened ModelDict, and checks every key was read.
struct ModelReader {
  const std::map<std::string, std::vector<std::string>>& keys;
  std::set<std::string> used;

  const std::vector<std::string>& at(const std::string& k) {
    used.insert(k);
    const auto it = keys.find(k);
    REQUIRE_MESSAGE(it != keys.end(), "the reference has no model key " << k);
    return it->second;
  }
  double num(const std::string& k) { return number(at(k).at(0)); }
  bool flag(const std::string& k) { return at(k).at(0) == "true"; }
  wager::YearlySeries series(const std::string& k) { return numbers(at(k), 0); }
  std::size_t count(const std::string& list) {
    if (keys.count(list) > 0) used.insert(list);  // an empty list
    std::size_t n = 0;
    while (keys.lower_bound(list + "." + std::to_string(n) + ".") != keys.end() &&
           keys.lower_bound(list + "." + std::to_string(n) + ".")->first.rfind(list + "." + std::to_string(n) + ".", 0) == 0) {
      ++n;
    }
    return n;
  }
  wager::CostLine cost(const std::string& k) { return {series(k + ".fixed"), series(k + ".of_revenue")}; }

  wager::Model model();
};

wager::Model ModelReader::model() {
  wager::Model m;
  m.start_year = static_cast<int>(num("start_year"));
  m.n_years = static_cast<int>(num("n_years"));
  m.steps_per_year = static_cast<int>(num("steps_per_year"));
  for (std::size_t i = 0, n = count("segments"); i < n; ++i) {
    const std::string p = "segments." + std::to_string(i) + ".";
    m.segments.push_back({at(p + "name").at(0), series(p + "revenue"), series(p + "inference_cost_ratio"),
                          series(p + "price_change"), num(p + "demand_beta"), num(p + "volatility"), num(p + "persistence")});
  }
  for (std::size_t i = 0, n = count("regimes"); i < n; ++i) {
    const std::string p = "regimes." + std::to_string(i) + ".";
    wager::Regime r;
    r.name = at(p + "name").at(0);
    r.demand_growth = num(p + "demand_growth");
    r.price_change = num(p + "price_change");
    r.valuation_multiple = num(p + "valuation_multiple");
    r.raise_success = num(p + "raise_success");
    r.spot_price = num(p + "spot_price");
    r.resale_share = num(p + "resale_share");
    r.credit_spread = num(p + "credit_spread");
    r.discount_rate = num(p + "discount_rate");
    r.support_odds = num(p + "support_odds");
    r.spot_lead_time = num(p + "spot_lead_time");
    r.dcf_weight = num(p + "dcf_weight");
    m.regimes.push_back(r);
  }
  m.initial_regime = static_cast<int>(num("initial_regime"));
  m.training = series("training");
  m.commitments = series("commitments");
  m.supported_commitments = series("supported_commitments");
  m.support_defers = flag("support_defers");
  for (std::size_t i = 0, n = count("contracts"); i < n; ++i) {
    const std::string p = "contracts." + std::to_string(i) + ".";
    m.contracts.push_back({at(p + "name").at(0), at(p + "counterparty").at(0), series(p + "payments")});
  }
  m.capex = series("capex");
  m.initial_assets = num("initial_assets");
  m.capacity_per_dollar = num("capacity_per_dollar");
  m.depreciation_life = num("depreciation_life");
  m.impairment = series("impairment");
  m.staff = cost("staff");
  m.sales_marketing = cost("sales_marketing");
  m.general_admin = cost("general_admin");
  m.stock_based_pay = cost("stock_based_pay");
  m.initial_cash = num("initial_cash");
  m.cash_yield = num("cash_yield");
  for (std::size_t i = 0, n = count("tranches"); i < n; ++i) {
    const std::string p = "tranches." + std::to_string(i) + ".";
    m.tranches.push_back({num(p + "time"), num(p + "amount"), num(p + "post_money"), flag(p + "per_delivery")});
  }
  m.valuation_scale = series("valuation_scale");
  wager::EquityPolicy& e = m.equity;
  e.enabled = flag("equity.enabled");
  e.trigger_runway = num("equity.trigger_runway");
  e.target_runway = num("equity.target_runway");
  e.max_dilution = num("equity.max_dilution");
  e.min_interval = num("equity.min_interval");
  e.score = {num("equity.score.sensitivity"), num("equity.score.reference"), num("equity.score.margin_weight"),
             num("equity.score.floor"),       num("equity.score.cap"),       num("equity.score.start"),
             num("equity.score.prior_revenue")};
  m.initial_debt = num("initial_debt");
  m.debt_rate = series("debt_rate");
  for (std::size_t i = 0, n = count("debt_maturities"); i < n; ++i) {
    const std::string p = "debt_maturities." + std::to_string(i) + ".";
    m.debt_maturities.push_back({num(p + "time"), num(p + "amount")});
  }
  m.credit_limit = num("credit_limit");
  m.credit_revolving = flag("credit_revolving");
  m.credit_secured = flag("credit_secured");
  m.liquidity_covenant = flag("liquidity_covenant");
  m.min_liquidity = num("min_liquidity");
  m.tax_rate = num("tax_rate");
  m.backstop = flag("backstop");
  wager::ManagementPolicy& g = m.management;
  g = {flag("management.enabled"), num("management.trigger_runway"), num("management.cut_training"),
       num("management.cut_opex"), num("management.renegotiate"),    num("management.penalty"),
       flag("management.penalty_upfront")};
  m.resolution = {flag("resolution.enabled"), num("resolution.duration"),       num("resolution.cost"),
                  num("resolution.terminal_growth"), num("resolution.asset_sale_fraction"), flag("resolution.cap_rejection")};
  for (const auto& [k, v] : keys) CHECK_MESSAGE(used.count(k) == 1, "the model key " << k << " is not read");
  return m;
}

const char* op_name(ShockOp op) {
  switch (op) {
    case ShockOp::scale:
      return "scale";
    case ShockOp::add:
      return "add";
    case ShockOp::set:
      return "set";
    case ShockOp::fail:
      return "fail";
  }
  return "?";
}

std::string shown(double v) {
  std::ostringstream out;
  out.precision(17);
  out << v;
  return out.str();
}

// A C++ core shock as the reference's core line writes Python's.
std::vector<std::string> core_line(const Shock& s) {
  const char* shapes[] = {"step", "ramp", "recovery"};
  std::vector<std::string> out{"core",
                               s.label,
                               s.field,
                               op_name(s.op),
                               shown(s.value),
                               shown(s.severity),
                               shown(s.start),
                               std::to_string(s.trigger_regime),
                               shown(s.trigger_after),
                               shown(s.duration),
                               shapes[static_cast<int>(s.shape)],
                               shown(s.ramp),
                               shown(s.half_life),
                               s.failure ? "true" : "false",
                               std::to_string(s.contract)};
  for (const double v : s.value_by_year) out.push_back(shown(v));
  return out;
}

// Python's core line with its numbers shown as core_line shows them (the same
// double, the same text; -0 stays -0).
std::vector<std::string> normalised(std::vector<std::string> t) {
  for (std::size_t i = 4; i < t.size(); ++i) {
    if (i != 7 && i != 10 && i != 13 && i != 14) t[i] = shown(number(t[i]));
  }
  return t;
}

}  // namespace

TEST_CASE("a stress written for Python, applied from C++, gives Python's shocks and projection") {
  const std::vector<Preset> presets = read_reference();
  REQUIRE(presets.size() == 2);
  for (const Preset& p : presets) {
    ModelReader reader{p.model, {}};
    const wager::Model model = reader.model();
    // A target Python refuses, C++ refuses in the same words (for a
    // contract, the same list of known contract names).
    REQUIRE(p.refused.size() >= 10);
    for (const auto& [target, reason] : p.refused) {
      INFO(p.name << ": " << target);
      std::string said;
      try {
        wager::shock_targets(target, model, "st");
      } catch (const wager::InputError& e) {
        said = e.reason();
      }
      CHECK(said == "'" + target + "': " + reason);
    }
    REQUIRE(p.cases.size() >= 10);
    for (const Case& c : p.cases) {
      INFO(p.name << " under " << c.stress);
      // Every shock of the stress resolves to the core shocks Python made of it.
      const std::vector<Shock> shocks = wager::resolve_shocks(c.shocks, model);
      REQUIRE(shocks.size() == c.core.size());
      for (std::size_t i = 0; i < shocks.size(); ++i) CHECK(core_line(shocks[i]) == normalised(c.core[i]));
      // And the projection is Python's: the same core on the same inputs. Not
      // asserted bit for bit: the reference may come from another build
      // (compiler, libm), whose exp and log may differ in the last bit.
      const wager::Projection r = wager::project({model, p.path, shocks});
      REQUIRE(static_cast<int>(c.cash.size()) == model.n_years);
      for (int y = 0; y < model.n_years; ++y) {
        const auto close = [](double a, double b) { return std::fabs(a - b) <= 1e-12 * std::max(1.0, std::fabs(b)); };
        CHECK_MESSAGE(close(r.annual.at(wager::Var::cash, y), c.cash[static_cast<std::size_t>(y)]), "cash, year " << y);
        CHECK_MESSAGE(close(r.annual.at(wager::Var::revenue, y), c.revenue[static_cast<std::size_t>(y)]), "revenue, year " << y);
      }
    }
  }
}

TEST_CASE("parameter_addresses lists parameters' addresses, in its order, without the names") {
  wager::Model m = wager::test::company();
  m.contracts.push_back({"stargate", "Oracle", std::vector<double>(static_cast<std::size_t>(m.n_years), 1.0)});
  const std::vector<wager::ParameterRef> named = wager::parameters(m);
  const std::vector<wager::ParameterRef> bare = wager::parameter_addresses(m);
  REQUIRE(bare.size() == named.size());
  for (std::size_t i = 0; i < named.size(); ++i) {
    CHECK(bare[i].value == named[i].value);
    CHECK(bare[i].name.empty());
    CHECK(bare[i].path.empty());
  }
}
