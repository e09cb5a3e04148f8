// The wager core in a risk system, without Python: a lender's view of a
// data-centre tenant (docs/cpp.md follows this file). It builds a validated
// plan, projects it, simulates it under three stresses on the same paths
// (written as a stress file writes them: a stress made for the Python
// package runs unchanged),
// reads what its supplier is exposed to, and checks what docs/cpp.md
// promises: the same bits whatever the threads, batches or pieces; an early
// stop; errors that name the field. It exits 1 if one of those checks fails.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <future>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "wager/build_info.hpp"
#include "wager/exposure.hpp"
#include "wager/model.hpp"
#include "wager/projection.hpp"
#include "wager/require.hpp"
#include "wager/shock.hpp"
#include "wager/simulation.hpp"
#include "wager/summary.hpp"
#include "wager/transition.hpp"

namespace {

// Prints a claim and whether it held.
bool check(bool held, const char* claim) {
  std::printf("  %s %s\n", held ? "ok:    " : "FAILED:", claim);
  return held;
}

wager::YearlySeries flat(int n_years, double value) {
  return wager::YearlySeries(static_cast<std::size_t>(n_years), value);
}

wager::YearlySeries growing(int n_years, double first, double rate) {
  wager::YearlySeries s;
  for (int y = 0; y < n_years; ++y, first *= 1.0 + rate) s.push_back(first);
  return s;
}

// The tenant's plan, US$ bn per year, 2026-2031 in quarterly steps.
// make_model gives the scenario format's defaults for everything else (the
// boom, normal and bust regimes, starting in normal; a debt rate of 8%; no
// debt).
wager::Model tenant_plan() {
  const int first = 2026, last = 2031, n = last - first + 1;
  wager::Segment api = wager::make_segment("api", growing(n, 8.0, 0.5), flat(n, 0.4));
  api.volatility = 0.25;  // off-plan revenue, per sqrt(year)
  wager::Model plan = wager::make_model({api}, /*initial_cash=*/10.0, first, last);
  plan.training = growing(n, 3.0, 0.2);
  plan.commitments = growing(n, 4.0, 0.25);  // take-or-pay, all contracts summed
  // The one contract, named as a scenario file's [[compute.commitments]]
  // names it, with its supplier (who claims its payments in a distress).
  plan.contracts = {{"gpu_lease", "NeoCloud", plan.commitments}};
  plan.staff = {growing(n, 1.5, 0.15), flat(n, 0.05)};
  plan.sales_marketing = {flat(n, 0.8), flat(n, 0.06)};
  plan.general_admin.fixed = flat(n, 0.5);
  plan.stock_based_pay.fixed = flat(n, 0.6);
  wager::validate(plan);  // the fields set since make_model; project and simulate check again
  return plan;
}

// The market every stress shares: the format's yearly transition matrix,
// as a quarterly one (its 4th root).
wager::World market(const wager::Model& plan) {
  wager::World world;  // initial regime and number of regimes: the plan's
  world.step_transition = wager::per_step_transition(wager::default_yearly_transition(), plan);
  world.factor_volatility = 0.2;  // the common AI-demand factor, per sqrt(year)
  return world;
}

wager::Shock shock(const std::string& target, wager::ShockOp op, double value, double start, double years) {
  wager::Shock s;
  s.field = target;  // a stress file's target: project and simulate resolve it
  s.label = target;  // names the shock in errors
  s.op = op;
  s.value = value;
  s.start = start;  // years since 1 January of the start year
  s.duration = years;
  return s;
}

struct Stress {
  std::string name;
  std::vector<wager::Shock> shocks;
};

// Python's funding_freeze (no equity round succeeds in 2027-2028, in any
// regime), a demand shortfall of 30% from 2027, and the supplier's failure
// on 1 January 2027 (its estate keeps the contract while spot compute costs
// no more than it; docs/model.md §5).
std::vector<Stress> stresses() {
  const double forever = std::numeric_limits<double>::infinity();
  return {{"baseline", {}},
          {"funding freeze 2027-28", {shock("market.regimes.*.raise_success", wager::ShockOp::set, 0.0, 1.0, 2.0)}},
          {"demand -30% from 2027", {shock("segments.api.revenue", wager::ShockOp::scale, 0.7, 1.0, 5.0)}},
          {"supplier fails 2027", {shock("compute.commitments.gpu_lease", wager::ShockOp::fail, 1.0, 1.0, forever)}}};
}

// One simulation, one strategy per stress: every stress sees the same paths.
wager::SimulationConfig stress_grid(const wager::Model& plan, std::int64_t n_paths) {
  wager::SimulationConfig config;
  for (const Stress& stress : stresses()) {
    wager::Strategy cell;
    cell.model = plan;
    cell.shocks = stress.shocks;
    config.strategies.push_back(std::move(cell));
  }
  config.world = market(plan);
  config.pairs = {{0, 1}, {0, 2}, {0, 3}};  // each stress against the baseline, path by path
  config.seed = 7;
  config.n_paths = n_paths;
  config.n_threads = 2;
  return config;
}

void print_projection(const wager::Model& plan, const wager::Projection& p) {
  std::printf("Plan (US$ bn)\n year  revenue  operating_income     cash\n");
  for (int y = 0; y < plan.n_years; ++y) {
    std::printf(" %4d %8.1f %17.1f %8.1f\n", plan.start_year + y, p.annual.at(wager::Var::revenue, y),
                p.annual.at(wager::Var::operating_income, y), p.annual.at(wager::Var::cash, y));
  }
  const auto year = p.events.default_year;
  std::printf(" distress year: %s\n\n", year ? std::to_string(*year).c_str() : "none");
}

void print_stress_grid(const wager::SimulationConfig& config, const wager::SimulationResults& results) {
  const std::vector<Stress> grid = stresses();
  const int n_years = results.strategies[0].n_years;
  const std::size_t tev = wager::series_index(wager::Outcome::terminal_equity_value, n_years);
  std::printf("Monte Carlo: %lld paths, seed %llu, the same paths for every stress\n",
              static_cast<long long>(config.n_paths), static_cast<unsigned long long>(config.seed));
  std::printf(" %-24s %20s %24s %22s\n", "stress", "P(distress) (se)", "terminal equity (se)", "minus baseline (se)");
  for (std::size_t i = 0; i < results.strategies.size(); ++i) {
    const wager::StrategyOutcome& o = results.strategies[i];
    const double p = wager::share_by(o.default_year, n_years - 1, o.n_paths);
    const double p_se = std::sqrt(p * (1.0 - p) / static_cast<double>(o.n_paths));
    const wager::MeanSe value = wager::mean_and_se(o.series, tev, o.n_paths);
    std::printf(" %-24s %12.4f (%.4f) %16.1f (%.1f)", grid[i].name.c_str(), p, p_se, value.mean, value.se);
    for (const wager::PairOutcome& pair : results.pairs) {
      if (pair.b != static_cast<int>(i)) continue;
      const wager::MeanSe diff = wager::mean_and_se(pair.diff, tev, pair.n_paths);  // b - a on paired paths
      std::printf(" %14.1f (%.1f)", diff.mean, diff.se);
    }
    std::printf("\n");
  }
}

// docs/model.md §28: what the supplier (the one contract's, so supplier 0
// in counterparty_names order) is owed at each year's end over the paths,
// its expected exposure (EE) and potential future exposure (PFE, a quantile
// read from linear bins: within bound / exposure_bins of the exact one),
// and its expected loss (EL: its claim less its recovery, over every path,
// 0 where the tenant stays out of distress) by the year the distress began.
bool print_exposure(const wager::SimulationResults& results, std::size_t strategy, int start_year) {
  const wager::StrategyOutcome& o = results.strategies[strategy];
  const wager::ExposureOutcome& e = o.exposure;
  const std::size_t c = 0, ny = static_cast<std::size_t>(e.n_years);
  std::printf("\nThe supplier's exposure under \"%s\" (US$ bn; histograms' bound %.1f)\n",
              stresses()[strategy].name.c_str(), e.bound[c]);
  std::printf(" year        EE (se)    PFE95    PFE99        EL (se)\n");
  bool ordered = true;
  for (std::size_t y = 0; y < ny; ++y) {
    const std::size_t s = c * ny + y;
    const wager::MeanSe ee = wager::mean_and_se(e.exposure, s, o.n_paths);
    const double pfe95 = wager::linear_quantile(e.exposure, s, 0.95, e.bound[c]);
    const double pfe99 = wager::linear_quantile(e.exposure, s, 0.99, e.bound[c]);
    const wager::MeanSe el = wager::mean_and_se(e.loss_by_year, 2 * c * ny + y, o.n_paths);
    std::printf(" %4d %7.2f (%.2f) %8.2f %8.2f %7.3f (%.3f)\n", start_year + static_cast<int>(y), ee.mean, ee.se,
                pfe95, pfe99, el.mean, el.se);
    ordered &= pfe95 >= 0.0 && pfe99 >= pfe95;
  }
  // The loss series counts the distressed paths only: the others join its bin 0.
  const auto bins = static_cast<std::size_t>(e.loss.n_bins);
  std::uint64_t distressed = 0;
  for (std::size_t b = 0; b < bins; ++b) distressed += e.loss.histogram[c * bins + b];
  const auto others = static_cast<std::uint64_t>(o.n_paths) - distressed;
  const wager::MeanSe el = wager::mean_and_se(e.loss, c, o.n_paths);
  const double loss_q999 = wager::linear_quantile(e.loss, c, 0.999, e.bound[c], others);
  std::printf(" all years: EL %.3f (%.3f), loss 99.9%% quantile %.2f, over %llu distressed paths\n", el.mean, el.se,
              loss_q999, static_cast<unsigned long long>(distressed));
  // Each distressed path's loss is counted once overall and once in the
  // year its distress began, as the same fixed-point integer.
  wager::int128 by_year = 0;
  for (std::size_t y = 0; y < ny; ++y) by_year += e.loss_by_year.sum[2 * c * ny + y];
  bool ok = check(ordered, "0 <= PFE95 <= PFE99 at every year's end");
  ok &= check(by_year == e.loss.sum[c], "the losses by year add up to the loss, integer for integer");
  return ok;
}

bool same_bits(const wager::SeriesStats& a, const wager::SeriesStats& b) {
  return a.n_series == b.n_series && a.n_bins == b.n_bins && a.sum == b.sum && a.sum_squares == b.sum_squares &&
         a.histogram == b.histogram && a.non_finite == b.non_finite;
}

// Every number two simulations return, compared exactly.
bool same_bits(const wager::SimulationResults& a, const wager::SimulationResults& b) {
  if (a.strategies.size() != b.strategies.size() || a.pairs.size() != b.pairs.size()) return false;
  for (std::size_t i = 0; i < a.strategies.size(); ++i) {
    const wager::StrategyOutcome &x = a.strategies[i], &y = b.strategies[i];
    if (x.n_years != y.n_years || x.n_paths != y.n_paths || !same_bits(x.series, y.series) ||
        x.default_year != y.default_year || x.first_profit_year != y.first_profit_year ||
        x.distress.reorganisation_year != y.distress.reorganisation_year ||
        x.distress.liquidation_year != y.distress.liquidation_year ||
        x.distress.wipeout_year != y.distress.wipeout_year || !same_bits(x.distress.sums, y.distress.sums) ||
        !same_bits(x.distress.claimants, y.distress.claimants)) {
      return false;
    }
  }
  for (std::size_t k = 0; k < a.pairs.size(); ++k) {
    const wager::PairOutcome &x = a.pairs[k], &y = b.pairs[k];
    if (x.a != y.a || x.b != y.b || x.n_paths != y.n_paths || !same_bits(x.diff, y.diff) ||
        x.joint_default != y.joint_default || x.joint_profit != y.joint_profit || x.overtake != y.overtake) {
      return false;
    }
  }
  return true;
}

// The paths in pieces of `piece`, each its own simulate() call (on another
// thread, process or machine), merged by integer addition in path order.
wager::SimulationResults run_in_pieces(const wager::SimulationConfig& config, std::int64_t piece) {
  wager::SimulationResults total;
  for (std::int64_t done = 0; done < config.n_paths; done += piece) {
    wager::SimulationConfig part = config;
    part.first_path = config.first_path + done;  // draws exactly the numbers of those paths
    part.n_paths = std::min(piece, config.n_paths - done);
    wager::SimulationResults r = wager::simulate(part);
    if (done == 0) {
      total = std::move(r);
      continue;
    }
    for (std::size_t i = 0; i < total.strategies.size(); ++i) total.strategies[i].merge(r.strategies[i]);
    for (std::size_t k = 0; k < total.pairs.size(); ++k) total.pairs[k].merge(r.pairs[k]);
  }
  return total;
}

bool check_bit_identity(const wager::SimulationConfig& config, const wager::SimulationResults& reference) {
  std::printf("\nReproducibility: the same seed, other threads, batches and pieces\n");
  wager::SimulationConfig one_thread = config;
  one_thread.n_threads = 1;
  one_thread.chunk_paths = 64;  // paths per parallel task
  const wager::SimulationResults batched = wager::simulate(one_thread, {}, /*batch_paths=*/1000);
  bool ok = check(same_bits(batched, reference), "1 thread, batches of 1000 paths == 2 threads, one batch");
  const wager::SimulationResults pieces = run_in_pieces(config, config.n_paths / 3 + 1);
  ok &= check(same_bits(pieces, reference), "3 pieces by first_path, merged == one run");
  return ok;
}

// Two simulations at once, from two threads of the caller: the core keeps
// no global state, and each call owns what it uses.
bool check_concurrent_calls(const wager::SimulationConfig& config, const wager::SimulationResults& reference) {
  wager::SimulationConfig single = config;
  single.n_threads = 1;
  auto there = std::async(std::launch::async, [&single] { return wager::simulate(single); });
  const wager::SimulationResults here = wager::simulate(single);
  return check(same_bits(here, reference) && same_bits(there.get(), reference),
               "two simulate() calls at once, on two threads of the caller == one run");
}

bool check_early_stop(const wager::SimulationConfig& config) {
  std::printf("\nEarly stop: the progress callback returns false\n");
  const std::int64_t half = config.n_paths / 2;
  std::int64_t calls = 0;
  auto progress = [&](std::int64_t done, std::int64_t total) {
    ++calls;
    std::printf("  progress: %lld of %lld paths\n", static_cast<long long>(done), static_cast<long long>(total));
    return done < half;  // false: stop (a deadline passed, the user pressed Ctrl-C)
  };
  const wager::SimulationResults stopped = wager::simulate(config, progress, /*batch_paths=*/config.n_paths / 4);
  wager::SimulationConfig first_half = config;
  first_half.n_paths = stopped.strategies[0].n_paths;
  bool ok = check(calls == 2 && stopped.strategies[0].n_paths == half, "stopped after 2 batches, half the paths");
  ok &= check(same_bits(stopped, wager::simulate(first_half)), "what it returns == a run of the paths it did");
  return ok;
}

bool check_errors(const wager::Model& plan, const wager::SimulationConfig& config) {
  std::printf("\nErrors\n");
  bool ok = true;
  try {
    const wager::Segment api = wager::make_segment("api", flat(6, 8.0), flat(6, 0.4));
    wager::make_model({api}, std::nan(""), 2026, 2031, 1);
    ok &= check(false, "make_model refuses a NaN initial cash");
  } catch (const wager::InputError& e) {
    std::printf("  InputError: %s\n", e.what());
    ok &= check(e.field() == "financing.initial_cash", "field() is financing.initial_cash");
  }
  wager::SimulationConfig odds_above_one = config;
  odds_above_one.strategies[1].model.regimes[1].raise_success = 1.5;
  try {
    wager::simulate(odds_above_one);
    ok &= check(false, "simulate refuses raise_success 1.5");
  } catch (const wager::InputError& e) {
    std::printf("  InputError: %s\n", e.what());
    ok &= check(e.field() == "market.regimes.normal.raise_success", "field() names the regime by its name");
  }
  wager::SimulationConfig overflow = config;  // valid inputs whose values overflow a double
  for (wager::Strategy& s : overflow.strategies) s.model.valuation_scale = flat(plan.n_years, 1e308);
  try {
    wager::simulate(overflow);
    ok &= check(false, "simulate refuses results that are not finite");
  } catch (const wager::NonFiniteError& e) {
    std::printf("  NonFiniteError: %.100s...\n", e.what());
    ok &= check(true, "NonFiniteError, never a silent zero");
  }
  return ok;
}

}  // namespace

int main() {
  const wager::BuildInfo build = wager::build_info();
  std::printf("wager core: %s, OpenMP %s, SIMD %s\n\n", build.compiler.c_str(), build.openmp ? "on" : "off",
              wager::simd_level().c_str());
  try {
    const wager::Model plan = tenant_plan();

    wager::ProjectionConfig projection;
    projection.model = plan;  // regime_path empty: the plan's initial regime (normal) throughout
    const wager::Projection p = wager::project(projection);
    wager::require_finite(p);  // before reading its events
    print_projection(plan, p);

    const wager::SimulationConfig config = stress_grid(plan, 20000);
    const wager::SimulationResults results = wager::simulate(config);
    print_stress_grid(config, results);
    bool ok = print_exposure(results, 0, plan.start_year);
    ok &= print_exposure(results, 1, plan.start_year);

    ok &= check_bit_identity(config, results);
    ok &= check_concurrent_calls(config, results);
    ok &= check_early_stop(config);
    ok &= check_errors(plan, config);
    std::printf("\n%s\n", ok ? "every check held" : "a check FAILED");
    return ok ? 0 : 1;
  } catch (const wager::InputError& e) {  // a bad input: e.field() says which
    std::fprintf(stderr, "input refused: %s\n", e.what());
  } catch (const wager::NonFiniteError& e) {  // a result that is NaN or infinite
    std::fprintf(stderr, "non-finite results: %s\n", e.what());
  } catch (const std::exception& e) {  // the standard library's (std::bad_alloc, ...)
    std::fprintf(stderr, "failed: %s\n", e.what());
  }
  return 2;
}
