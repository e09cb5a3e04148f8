// The Monte Carlo engine: many paths of one or more strategies through one
// shared, random world (the same regimes and demand factor for every
// strategy), in parallel, with results that do not depend on how the paths
// were split across threads, batches or machines.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "wager/distress.hpp"
#include "wager/exposure.hpp"
#include "wager/investors.hpp"
#include "wager/joint_loss.hpp"
#include "wager/model.hpp"
#include "wager/shock.hpp"
#include "wager/random/distributions.hpp"
#include "wager/statistics.hpp"

namespace wager {

namespace detail {
struct ThreadScratch;
}

/// The world every strategy of one call shares (the scenario's `market`).
struct World {
  /// The regime at the start; -1 = the strategies' Model::initial_regime
  /// (they must agree). Any other value must equal every strategy's.
  int initial_regime = -1;
  /// The number of regimes; 0 = the strategies' (every strategy has one
  /// Regime per regime of the world).
  int n_regimes = 0;
  /// Per-step transition matrix [from][to], row-major; empty = the regime
  /// never changes. Each entry in [0, 1], each row summing to 1 within
  /// transition_row_tolerance (wager/validation.hpp).
  std::vector<double> step_transition;
  /// Per step: a pinned regime index, or -1 for a step the chain decides.
  std::vector<int> pinned;
  double factor_volatility = 0.0;   ///< common demand factor, per sqrt(year)
  double factor_persistence = 0.8;  ///< its yearly AR(1) coefficient, in [0, 1]
};

/// An input drawn once per path and the model parameters it moves.
struct UncertainInput {
  std::string name;  ///< the input's field path ("segments.api.revenue.2027"), named by its errors
  /// Prepared by the Simulator if it is not (random::is_prepared).
  random::Distribution distribution;
  double central = 0.0;         ///< the value the model holds
  std::vector<int> targets;     ///< indices into parameters(model)
  std::vector<double> weights;  ///< d parameter / d input, one per target
};

struct Strategy {
  Model model;
  std::vector<UncertainInput> inputs;
  /// Shocks, in the order they apply (a stress). With a triggered shock,
  /// each path runs on its own (its trigger time is its own).
  std::vector<Shock> shocks;
  /// Input values given instead of drawn (a design of experiments: a
  /// tornado, Sobol samples): row-major rows x inputs; path p (counted
  /// from the simulation's path 0) takes row p / input_row_paths. Empty =
  /// inputs drawn through the copula.
  std::vector<double> input_rows;
  std::int64_t input_row_paths = 1;
  /// Lower-triangular Cholesky factor of the inputs' copula correlation,
  /// row-major n x n; empty = independent inputs.
  std::vector<double> cholesky;
};

/// Per-year quantities with mean, standard error and histogram.
enum class StatVar : int { revenue, operating_income, free_cash_flow, cash, count_ };
inline constexpr int n_stat_vars = static_cast<int>(StatVar::count_);
/// Per-path outcomes with mean, standard error and histogram, after the years.
/// Per-path outcomes (docs/model.md §21); the *_today ones are the terminal
/// values discounted to the start along the path's regimes (§13).
enum class Outcome : int {
  cumulative_fcf,
  peak_funding_need,
  terminal_equity_value,
  terminal_dcf_value,
  terminal_equity_value_today,
  terminal_dcf_value_today,
  count_
};
inline constexpr int n_outcomes = static_cast<int>(Outcome::count_);
/// Per-year quantities kept for every path with keep_paths.
enum class KeptVar : int {
  revenue, operating_income, free_cash_flow, cash, debt, ownership_retained, utilisation, regime, count_
};
inline constexpr int n_kept_vars = static_cast<int>(KeptVar::count_);

struct SimulationConfig {
  std::vector<Strategy> strategies;
  World world;
  std::uint64_t seed = 0;
  std::int64_t n_paths = 0;
  std::int64_t first_path = 0;  ///< index of the first path: a split run draws the same numbers
  int n_threads = 1;
  int chunk_paths = 256;        ///< paths per parallel task; results do not depend on it
  /// Pairs (a, b) of strategies to compare path by path: b - a (see PairOutcome).
  std::vector<std::pair<int, int>> pairs;
  /// > 0: path p lives in the world of path p mod world_period (a multiple
  /// of 32), so the rows of a design (input_rows) share their worlds: common
  /// random numbers across rows. 0 = every path its own world.
  std::int64_t world_period = 0;
  bool keep_paths = false;
  HistogramSpec histogram;
  /// false: a run in which NaN or infinity appeared throws NonFiniteError
  /// from take_results() and simulate() (docs/cpp.md, "Non-finite
  /// results"). true: the results are returned, the values counted in each
  /// series' `non_finite` and left out of its sums and histogram.
  bool allow_non_finite = false;
};

/// What one strategy's paths add up to. Everything merges by integer addition.
struct StrategyOutcome {
  int n_years = 0;
  std::int64_t n_paths = 0;
  /// Series: StatVar-major per year (n_stat_vars * n_years), then the Outcomes.
  SeriesStats series;
  std::vector<std::uint64_t> default_year;       ///< [year], then [n_years] = never
  std::vector<std::uint64_t> first_profit_year;  ///< [year], then [n_years] = never
  DistressOutcome distress;                      ///< how the distressed paths were resolved
  ExposureOutcome exposure;                      ///< the suppliers' exposure and loss (docs/model.md §28)
  InvestorOutcome investors;                     ///< the committed tranches' stakes (docs/model.md §28)
  /// The lenders' exposure and loss (docs/model.md §28): the facility's
  /// (counterparty 0) and the term debt's (1); empty without debt.
  ExposureOutcome lenders;
  /// With keep_paths: [KeptVar] arrays of n_paths x n_years (path-major).
  std::vector<std::vector<double>> kept;
  std::vector<std::int32_t> kept_default_year;       ///< calendar year, -1 = never
  std::vector<std::int32_t> kept_first_profit_year;  ///< calendar year, -1 = never
  std::vector<std::vector<double>> kept_outcomes;    ///< [Outcome] arrays of n_paths

  void merge(const StrategyOutcome& o);
};

/// Strategy b against strategy a on the same paths. Everything merges by
/// integer addition.
struct PairOutcome {
  int a = 0, b = 0;
  int n_years = 0;
  std::int64_t n_paths = 0;
  /// Per path b - a, laid out as StrategyOutcome::series: StatVar-major per
  /// year, then the Outcomes. The sums are of to_fixed(b) - to_fixed(a), so
  /// they equal b's sums minus a's exactly; the histograms bin b - a.
  SeriesStats diff;
  /// [year * 4 + 2 * (a by then) + (b by then)]: paths by whether each had
  /// defaulted (joint_default) or made an operating profit (joint_profit)
  /// by the end of that year.
  std::vector<std::uint64_t> joint_default, joint_profit;
  /// [who * (n_years + 1) + year]: the first year-end at which the strategy
  /// behind on cumulative free cash flow at the end of the first year is
  /// ahead; who = 0 when b overtakes a, 1 when a overtakes b; year n_years
  /// = never (or level after the first year).
  std::vector<std::uint64_t> overtake;
  /// The two bets' losses to each supplier of either, path by path
  /// (docs/model.md §28, "The joint view"); empty when neither has suppliers.
  JointLossOutcome joint_loss;

  void merge(const PairOutcome& o);
};

/// What a simulation returns: one outcome per strategy, one per pair.
struct SimulationResults {
  std::vector<StrategyOutcome> strategies;
  std::vector<PairOutcome> pairs;
};

/// Runs a simulation in pieces (so a caller can report progress and stop).
class Simulator {
 public:
  /// Validates the config (validate(const SimulationConfig&): throws
  /// InputError naming the field), prepares any input distribution that is
  /// not (random::prepare), and resolves the world's defaults (-1, 0).
  explicit Simulator(SimulationConfig config);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  /// Runs paths [begin, end) of the config's n_paths (relative indices).
  void run(std::int64_t begin, std::int64_t end);
  /// The merged results; call after the runs. Moves them out. Throws
  /// NonFiniteError if a value was NaN or infinite, unless the config
  /// allows them (allow_non_finite).
  SimulationResults take_results();
  const SimulationConfig& config() const { return config_; }

 private:
  SimulationConfig config_;
  std::vector<StrategyOutcome> totals_;
  std::vector<PairOutcome> pair_totals_;
  std::vector<std::unique_ptr<detail::ThreadScratch>> scratch_;
};

/// Runs the whole simulation (through a Simulator: validated, and refusing
/// non-finite results unless allowed). `progress(done, total)` is called between
/// batches, the first of `batch_paths`; returning false stops early (results
/// so far). With `grow_below_seconds` > 0, a batch that took less than that
/// doubles the next one (fewer merges and pauses on fast runs, while progress
/// and Ctrl-C stay within about twice that time). Results never depend on
/// the batches.
SimulationResults simulate(
    SimulationConfig config,
    const std::function<bool(std::int64_t, std::int64_t)>& progress = {},
    std::int64_t batch_paths = 65536, double grow_below_seconds = 0.0);

}  // namespace wager
