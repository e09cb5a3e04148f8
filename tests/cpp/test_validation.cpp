// Every class of invalid input is refused by every entry point (validate,
// project, simulate) with an InputError whose field() is the field's path as
// a scenario file spells it (issue 20: NaN, infinite, out-of-range and
// inconsistent values, stochastic matrices, regimes, distributions, shocks).
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "wager/projection.hpp"
#include "wager/random/distributions.hpp"
#include "wager/require.hpp"
#include "wager/simulation.hpp"
#include "wager/validation.hpp"

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();
constexpr double infinity = std::numeric_limits<double>::infinity();

// Runs `call`, which must throw InputError naming `field`; returns its message.
template <class Call>
std::string refused(Call&& call, const std::string& field) {
  const std::string what = wager::test::refusal(call, field).what();
  CHECK(what.find(field + ": ") != std::string::npos);
  return what;
}

wager::SimulationConfig small_run(const wager::Model& m) {
  wager::SimulationConfig c;
  wager::Strategy s;
  s.model = m;
  c.strategies.push_back(s);
  c.world = wager::test::world_for(m);
  c.seed = 1;
  c.n_paths = 64;
  return c;
}

struct BadModel {
  const char* what;
  std::function<void(wager::Model&)> edit;
  const char* field;
};

// One of each class of the issue, and the scenario format's other rules.
const std::vector<BadModel>& bad_models() {
  static const std::vector<BadModel> cases = {
      {"NaN initial cash", [](wager::Model& m) { m.initial_cash = not_a_number; }, "financing.initial_cash"},
      {"negative initial cash", [](wager::Model& m) { m.initial_cash = -1.0; }, "financing.initial_cash"},
      {"infinite tax rate", [](wager::Model& m) { m.tax_rate = infinity; }, "tax.rate"},
      {"raise_success 1.5", [](wager::Model& m) { m.regimes[0].raise_success = 1.5; },
       "market.regimes.normal.raise_success"},
      {"negative revenue", [](wager::Model& m) { m.segments[0].revenue[2] = -1.0; }, "segments.enterprise.revenue.2027"},
      {"NaN in a cost series", [](wager::Model& m) { m.staff.fixed[5] = not_a_number; }, "costs.staff.fixed.2030"},
      {"a series of the wrong length", [](wager::Model& m) { m.training.pop_back(); }, "compute.training"},
      {"target runway below the trigger", [](wager::Model& m) { m.equity.target_runway = 0.5; },
       "financing.equity.target_runway"},
      {"persistence above 1", [](wager::Model& m) { m.segments[1].persistence = 1.2; }, "segments.consumer.persistence"},
      {"negative volatility", [](wager::Model& m) { m.segments[1].volatility = -0.1; }, "segments.consumer.volatility"},
      {"price change of -100%", [](wager::Model& m) { m.regimes[1].price_change = -1.0; },
       "market.regimes.bust.price_change"},
      {"credit spread beyond the format's range", [](wager::Model& m) { m.regimes[1].credit_spread = -0.1; },
       "market.regimes.bust.credit_spread"},
      {"discount rate at the terminal growth", [](wager::Model& m) { m.regimes[1].discount_rate = 0.02; },
       "market.regimes.bust.discount_rate"},
      {"support odds above 1", [](wager::Model& m) { m.regimes[1].support_odds = 2.0; },
       "distress.supplier_support.odds.bust"},
      {"initial regime out of range", [](wager::Model& m) { m.initial_regime = 2; }, "market.initial"},
      {"no regime", [](wager::Model& m) { m.regimes.clear(); }, "market.regimes"},
      {"two regimes of one name", [](wager::Model& m) { m.regimes[1].name = "normal"; }, "market.regimes"},
      {"no segment", [](wager::Model& m) { m.segments.clear(); }, "segments"},
      {"steps of two a year", [](wager::Model& m) { m.steps_per_year = 2; }, "time.steps_per_year"},
      {"a start before 1900", [](wager::Model& m) { m.start_year = 1800; }, "time.start_year"},
      {"a zero depreciation life", [](wager::Model& m) { m.depreciation_life = 0.0; }, "compute.depreciation_life"},
      {"impairment above 1", [](wager::Model& m) {
         m.impairment.assign(6, 0.0);
         m.impairment[1] = 1.5;
       },
       "compute.impairment.2026"},
      {"max dilution of 1", [](wager::Model& m) { m.equity.max_dilution = 1.0; }, "financing.equity.max_dilution"},
      {"score floor above cap", [](wager::Model& m) {
         m.equity.score.floor = 2.0;
         m.equity.score.cap = 1.0;
       },
       "financing.equity.score.floor"},
      {"a tranche after the horizon", [](wager::Model& m) { m.tranches[0].time = 6.0; }, "financing.tranches[0].year"},
      {"a maturity beyond the debt", [](wager::Model& m) { m.debt_maturities.push_back({1.0, 2.0}); },
       "financing.debt.maturities"},
      {"a debt rate of -100%", [](wager::Model& m) { m.debt_rate[0] = -1.0; }, "financing.debt.rate.2025"},
      {"contracts that miss the commitments",
       [](wager::Model& m) { m.contracts.push_back({"cloud", "Azure", wager::YearlySeries(6, 1.0)}); },
       "compute.commitments.2025"},
      {"a management cut above 1", [](wager::Model& m) { m.management.cut_opex = 1.5; },
       "distress.management.cut_opex"},
      {"a resolution lasting 11 years", [](wager::Model& m) { m.resolution.duration = 11.0; },
       "distress.resolution.duration"},
  };
  return cases;
}

}  // namespace

TEST_CASE("validation: the test company is valid") {
  const wager::Model m = wager::test::company();
  CHECK_NOTHROW(wager::validate(m));
  CHECK_NOTHROW(wager::validate(small_run(m)));
}

TEST_CASE("validation: every invalid model is refused by validate, project and simulate, naming the field") {
  for (const BadModel& bad : bad_models()) {
    CAPTURE(bad.what);
    wager::Model m = wager::test::company();
    bad.edit(m);
    refused([&] { wager::validate(m); }, bad.field);
    wager::ProjectionConfig p;
    p.model = m;
    refused([&] { wager::project(p); }, bad.field);
    // In a simulation the error also says which strategy.
    wager::SimulationConfig c = small_run(wager::test::company());
    wager::Strategy second;
    second.model = m;
    c.strategies.push_back(second);
    const std::string what = refused([&] { wager::simulate(c); }, bad.field);
    CHECK(what.rfind("strategies[1]: " + std::string(bad.field) + ": ", 0) == 0);
  }
}

TEST_CASE("validation: the messages say what is wrong and what was given") {
  wager::Model m = wager::test::company();
  m.regimes[0].raise_success = 1.5;
  CHECK(refused([&] { wager::validate(m); }, "market.regimes.normal.raise_success") ==
        "market.regimes.normal.raise_success: must be in [0, 1], got 1.5");
  m = wager::test::company();
  m.initial_cash = not_a_number;
  CHECK(refused([&] { wager::validate(m); }, "financing.initial_cash") ==
        "financing.initial_cash: must be a finite number, got nan");
  m = wager::test::company();
  m.training.pop_back();
  CHECK(refused([&] { wager::validate(m); }, "compute.training") ==
        "compute.training: expected one value per year (6 for 2025-2030), got 5");
}

TEST_CASE("validation: the world's transition matrix is stochastic, its regimes those of the models") {
  const wager::Model m = wager::test::company();
  const auto run_with = [&m](const std::function<void(wager::World&)>& edit) {
    wager::SimulationConfig c = small_run(m);
    edit(c.world);
    return c;
  };
  auto c = run_with([](wager::World& w) { w.step_transition[1] = 0.5; });  // normal's row sums to 1.475
  const std::string what = refused([&] { wager::simulate(c); }, "market.transition.normal");
  CHECK(what.find("sum to 1.475, not 1 (within 1e-09)") != std::string::npos);
  c = run_with([](wager::World& w) { w.step_transition[2] = not_a_number; });
  refused([&] { wager::simulate(c); }, "market.transition.bust.normal");
  c = run_with([](wager::World& w) {
    w.step_transition[0] = 1.5;
    w.step_transition[1] = -0.5;
  });
  refused([&] { wager::validate(c); }, "market.transition.normal.normal");
  c = run_with([](wager::World& w) { w.step_transition.pop_back(); });
  refused([&] { wager::validate(c); }, "market.transition");
  c = run_with([](wager::World& w) { w.n_regimes = 3; });
  refused([&] { wager::simulate(c); }, "market.regimes");
  c = run_with([](wager::World& w) { w.initial_regime = 1; });  // the model starts in 0
  refused([&] { wager::simulate(c); }, "market.initial");
  c = run_with([&m](wager::World& w) {
    w.pinned.assign(static_cast<std::size_t>(m.n_steps()), -1);
    w.pinned[5] = 2;  // a step of 2026
  });
  refused([&] { wager::simulate(c); }, "market.path.2026");
  c = run_with([](wager::World& w) { w.factor_persistence = 1.5; });
  refused([&] { wager::simulate(c); }, "market.demand_factor.persistence");
  c = run_with([](wager::World& w) { w.factor_volatility = infinity; });
  refused([&] { wager::Simulator s(c); }, "market.demand_factor.volatility");
}

TEST_CASE("validation: strategies simulated together share one calendar, one set of regimes, one start") {
  wager::SimulationConfig c = small_run(wager::test::company());
  wager::Strategy other;
  other.model = wager::test::company();
  other.model.initial_regime = 1;
  c.strategies.push_back(other);
  refused([&] { wager::simulate(c); }, "market.initial");
  c.strategies[1].model = wager::test::company();
  c.strategies[1].model.regimes[1].name = "crash";
  refused([&] { wager::simulate(c); }, "market.regimes");
  c.strategies[1].model = wager::test::company(7);
  refused([&] { wager::simulate(c); }, "time");
}

TEST_CASE("validation: a contagion names another strategy of the run, and goes one way") {
  wager::SimulationConfig c = small_run(wager::test::company());
  wager::Strategy other;
  other.model = wager::test::company();
  c.strategies.push_back(other);
  wager::Shock s;
  s.field = "training";
  s.trigger_strategy = 0;
  c.strategies[1].shocks = {s};
  CHECK_NOTHROW(wager::validate(c));
  c.strategies[1].shocks[0].trigger_strategy = 1;
  refused([&] { wager::simulate(c); }, "strategies[1].shocks[0].trigger_strategy");
  c.strategies[1].shocks[0].trigger_strategy = 2;
  refused([&] { wager::simulate(c); }, "strategies[1].shocks[0].trigger_strategy");
  c.strategies[1].shocks[0].trigger_strategy = 0;
  s.trigger_strategy = 1;
  c.strategies[0].shocks = {s};  // both ways
  refused([&] { wager::simulate(c); }, "strategies[0].shocks[0].trigger_strategy");
  c.strategies[0].shocks[0].trigger_regime = 1;  // a regime and a strategy
  refused([&] { wager::simulate(c); }, "shocks[0].trigger_strategy");
  wager::ProjectionConfig p;
  p.model = wager::test::company();
  p.shocks = {s};
  p.shocks[0].trigger_strategy = 0;
  refused([&] { wager::project(p); }, "shocks[0].trigger_strategy");
}

TEST_CASE("validation: a regime move sets one regime's index, once a strategy") {
  wager::SimulationConfig c = small_run(wager::test::company());
  wager::Shock s;
  s.field = "regime";
  s.op = wager::ShockOp::set;
  s.value = 1.0;  // the test company's second and last regime
  c.strategies[0].shocks = {s};
  CHECK_NOTHROW(wager::validate(c));
  c.strategies[0].shocks[0].value = 1.5;
  refused([&] { wager::simulate(c); }, "shocks[0].value");
  c.strategies[0].shocks[0].value = static_cast<double>(c.strategies[0].model.regimes.size());
  refused([&] { wager::simulate(c); }, "shocks[0].value");
  c.strategies[0].shocks[0].value = 0.0;
  c.strategies[0].shocks[0].op = wager::ShockOp::scale;
  refused([&] { wager::simulate(c); }, "shocks[0].value");
  c.strategies[0].shocks = {s, s};
  refused([&] { wager::simulate(c); }, "strategies[0].shocks[1].field");
}

TEST_CASE("validation: uncertain inputs, the copula's factor and design rows") {
  wager::SimulationConfig c = small_run(wager::test::company());
  wager::UncertainInput in;
  in.name = "financing.initial_cash";
  in.distribution.kind = wager::random::DistKind::pert;
  in.distribution.a = 8.0;
  in.distribution.b = 4.0;  // max below min
  in.distribution.c = 6.0;
  in.central = 6.0;
  in.targets = {0};
  in.weights = {1.0};
  c.strategies[0].inputs = {in};
  refused([&] { wager::simulate(c); }, "financing.initial_cash");
  c.strategies[0].inputs[0].distribution.a = 4.0;
  c.strategies[0].inputs[0].distribution.b = 8.0;
  c.strategies[0].inputs[0].distribution.c = not_a_number;
  refused([&] { wager::simulate(c); }, "financing.initial_cash");
  c.strategies[0].inputs[0].distribution.c = 6.0;
  c.strategies[0].inputs[0].targets = {100000};
  refused([&] { wager::simulate(c); }, "financing.initial_cash");
  c.strategies[0].inputs[0].targets = {0};
  c.strategies[0].inputs[0].central = infinity;
  refused([&] { wager::simulate(c); }, "financing.initial_cash");
  c.strategies[0].inputs[0].central = 6.0;
  c.strategies[0].inputs.push_back(c.strategies[0].inputs[0]);
  c.strategies[0].inputs[1].name = "tax.rate";
  c.strategies[0].cholesky = {1.0, 0.5, 0.5, 1.0};  // the correlation, not its factor
  refused([&] { wager::simulate(c); }, "cholesky[0][1]");
  c.strategies[0].cholesky = {1.0, 0.0, 0.5, std::sqrt(0.75)};
  CHECK_NOTHROW(wager::validate(c));
  c.strategies[0].input_rows = {6.0, 0.2, not_a_number, 0.2};
  c.strategies[0].input_row_paths = 32;
  refused([&] { wager::simulate(c); }, "input_rows[1][0]");
  c.strategies[0].input_rows[2] = 7.0;
  CHECK_NOTHROW(wager::validate(c));  // 2 rows of 32 paths: the 64 paths run
  c.strategies[0].input_row_paths = 16;
  refused([&] { wager::simulate(c); }, "input_rows");  // 2 rows of 16 paths: fewer than the 64 run
}

TEST_CASE("validation: a stress's shocks are checked against the model, named by their label") {
  wager::ProjectionConfig p;
  p.model = wager::test::company();
  wager::Shock s;
  s.label = "freeze.shocks[0]";
  s.field = "regimes[0].raise_success";
  s.op = wager::ShockOp::set;
  s.value = 0.0;
  p.shocks = {s};
  CHECK_NOTHROW(wager::project(p));
  p.shocks[0].field = "regimes[0].rase_success";
  refused([&] { wager::project(p); }, "freeze.shocks[0].field");
  p.shocks[0] = s;
  p.shocks[0].severity = not_a_number;
  refused([&] { wager::project(p); }, "freeze.shocks[0].severity");
  p.shocks[0] = s;
  p.shocks[0].trigger_regime = 2;
  refused([&] { wager::project(p); }, "freeze.shocks[0].trigger_regime");
  p.shocks[0] = s;
  p.shocks[0].value_by_year = {0.0, 0.0};
  refused([&] { wager::project(p); }, "freeze.shocks[0].value_by_year");
  p.shocks[0] = s;
  p.shocks[0].label.clear();
  p.shocks[0].duration = 0.0;
  refused([&] { wager::project(p); }, "shocks[0].duration");
  wager::SimulationConfig c = small_run(p.model);
  c.strategies[0].shocks = {s};
  c.strategies[0].shocks[0].shape = static_cast<wager::ShockShape>(7);
  refused([&] { wager::simulate(c); }, "freeze.shocks[0].shape");
}

TEST_CASE("validation: a projection's regime path and a simulation's settings") {
  wager::ProjectionConfig p;
  p.model = wager::test::company();
  p.regime_path.assign(static_cast<std::size_t>(p.model.n_steps()), 0);
  p.regime_path[3] = 5;
  refused([&] { wager::project(p); }, "regime_path[3]");
  p.regime_path.pop_back();
  refused([&] { wager::project(p); }, "regime_path");
  wager::SimulationConfig c = small_run(p.model);
  c.n_threads = 0;
  refused([&] { wager::simulate(c); }, "n_threads");
  c.n_threads = 1;
  c.pairs = {{0, 1}};
  refused([&] { wager::simulate(c); }, "pairs[0]");
  c.pairs.clear();
  c.histogram.scale = not_a_number;
  refused([&] { wager::simulate(c); }, "histogram.scale");
  c = small_run(p.model);
  c.strategies.clear();
  refused([&] { wager::simulate(c); }, "strategies");
}
