// The plain-data description of one strategy that the core projects.
//
// Every yearly input is a vector with one value per calendar year of the
// horizon (index 0 = start year). Money is in US$ billions; flows are annual
// rates (US$ bn per year) and are spread evenly over the steps of their year.
//
// A member's default is the scenario format's default for the field
// (docs/scenarios.md); the yearly series have no default length, so
// make_model() sizes them with the format's defaults (docs/cpp.md, "Defaults").
// validate() checks a model against the format's rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "wager/require.hpp"  // InputError, which validate() and make_model() throw

namespace wager {

using YearlySeries = std::vector<double>;

/// A revenue segment: a planned path plus the levers that move it off plan.
struct Segment {
  std::string name;
  YearlySeries revenue;            ///< planned revenue, US$ bn / year
  YearlySeries inference_cost_ratio;  ///< inference compute per $ of planned revenue
  YearlySeries price_change;       ///< extra unit-price change vs plan, fraction / year
  double demand_beta = 1.0;        ///< exposure to the common demand multiplier and factor
  double volatility = 0.0;         ///< of the segment's own log deviation, per sqrt(year)
  double persistence = 0.8;        ///< its yearly AR(1) coefficient, in [0, 1]
};

/// What a market regime does to every segment and to financing.
struct Regime {
  std::string name;
  double demand_growth = 0.0;      ///< added to log volume growth, 1 / year
  double price_change = 0.0;       ///< unit-price change, fraction / year
  double valuation_multiple = 20;  ///< equity value / annualised revenue
  /// Chance that a company seeking a round for a whole year closes one (a yearly rate).
  double raise_success = 0.9999;
  double spot_price = 1.0;         ///< spot compute price / contract price
  double resale_share = 0.5;       ///< share of idle capacity that finds a buyer
  double credit_spread = 0.0;      ///< added to the debt rate, fraction / year
  /// Discounts a going concern's cash flows in distress (docs/model.md §27).
  double discount_rate = 0.12;
  /// Probability that supporting suppliers convert what the company cannot
  /// pay them into equity (docs/model.md §11, 8.); 0 = never.
  double support_odds = 0.0;
  /// Mean time to secure spot compute beyond the plan, years (docs/model.md
  /// §5); 0 = at once. Compute not yet secured is not served.
  double spot_lead_time = 0.2;
  /// Weight of the going concern's discounted cash flow in the price of a
  /// round, against the market multiple (docs/model.md §11, 2.); 0 = the
  /// multiple alone.
  double dcf_weight = 0.25;
};

/// One take-or-pay contract, as the scenario's `compute.commitments` lists
/// it (docs/model.md §27, 1.): a stress reaches it by its name
/// (`compute.commitments.<name>`); in a distress its supplier claims the
/// payments still due on all of its contracts.
struct Contract {
  std::string name;          ///< unique among the model's contracts
  std::string counterparty;  ///< the supplier; several contracts may share one
  YearlySeries payments;     ///< US$ bn / year; the contracts' sum is `Model::commitments`
};

/// A committed investor tranche, received at a point in time.
struct Tranche {
  double time = 0.0;       ///< years since the start of the start year
  double amount = 0.0;     ///< US$ bn
  double post_money = 0.0; ///< agreed post-money valuation, US$ bn; 0 = at market
  /// Vendor financing paid as capacity is delivered (docs/model.md §11, 3.):
  /// the amount scales with the share of the commitments the company still
  /// takes (management's renegotiation). Only at market (post_money 0).
  bool per_delivery = false;
};

/// A principal payment of the debt (docs/model.md §11, 6.): refinanced
/// when the market funds the company that step, else repaid from cash.
struct DebtMaturity {
  double time = 0.0;    ///< years since the start of the start year
  double amount = 0.0;  ///< US$ bn
};

struct CostLine {
  YearlySeries fixed;       ///< US$ bn / year
  YearlySeries of_revenue;  ///< fraction of revenue
};

/// How the market's appetite reads the company (docs/model.md §11, 4.):
/// the regime's yearly rate of closing a round is multiplied by
/// exp(sensitivity x (score - reference)), where the score is the last
/// complete year's revenue growth plus margin_weight x its free-cash-flow
/// margin (the "Rule of 40"), held within [floor, cap]. The same factor
/// moves the odds of refinancing a maturity. sensitivity = 0: the regime's
/// odds whatever the company does (schema versions before 5).
struct FundingScore {
  double sensitivity = 1.5;    ///< per unit of score (1.0 = 100 points); assumption
  double reference = 0.4;      ///< the score at which the regime's odds hold (the Rule of 40)
  double margin_weight = 1.0;  ///< weight of the free-cash-flow margin against growth
  double floor = -1.0;         ///< lowest score counted
  double cap = 1.0;            ///< highest score counted
  double start = 0.4;          ///< the score until the first complete year is known
  /// Revenue of the year before the start, US$ bn; 0 = not known (the score
  /// then stays `start` until the second year's end).
  double prior_revenue = 0.0;
};

struct EquityPolicy {
  bool enabled = true;
  double trigger_runway = 1.0;  ///< raise when cash < trigger x annual burn, years
  double target_runway = 2.0;   ///< raise enough for this many years of burn
  double max_dilution = 0.25;   ///< largest fraction sold in one round
  double min_interval = 0.5;    ///< years between two raises
  FundingScore score;           ///< how the odds read the company
};

struct ManagementPolicy {
  bool enabled = false;
  double trigger_runway = 0.5;        ///< years of burn left that trigger the actions
  double cut_training = 0.0;          ///< fraction of training budget cut
  double cut_opex = 0.0;              ///< fraction of cash operating costs cut
  double renegotiate = 0.0;           ///< fraction of remaining commitments cancelled
  double penalty = 0.0;               ///< penalty, fraction of the cancelled amount
  /// When the penalty is paid (docs/model.md §11, 5.): false, as each
  /// cancelled payment would have fallen due (a share of the planned
  /// commitments of every later step); true, all of it the next step, on
  /// every later cancelled payment at once (wager 0.1's behaviour, kept only
  /// to reproduce old results).
  bool penalty_upfront = false;
};

/// How a company that cannot pay what is due is resolved (docs/model.md
/// §14): after `duration` it is reorganised when its going-concern value is
/// at least its liquidation value, else liquidated; the value left after the
/// process's cost is paid to the claims by priority.
struct DistressResolution {
  /// false: a company that cannot pay stops and nothing is resolved (wager 0.1).
  bool enabled = true;
  double duration = 0.75;            ///< years from distress to resolution (rounded up to whole steps)
  double cost = 0.16;                ///< fraction of the value the process consumes
  double terminal_growth = 0.02;     ///< of the going concern's cash flow, fraction / year
  double asset_sale_fraction = 0.5;  ///< of owned capacity's market value realised in a liquidation
  /// Caps each rejection claim at the payments of the greater of one year and
  /// 15% of the remaining term, at most three years (the s.502(b)(6) rule).
  bool cap_rejection = false;
};

/// One strategy, fully resolved to per-year vectors.
struct Model {
  int start_year = 2025;
  int n_years = 11;
  int steps_per_year = 4;

  std::vector<Segment> segments;
  std::vector<Regime> regimes;
  /// Index into `regimes` of the regime at the start: the projection holds
  /// it, and a simulation's world starts in it (World::initial_regime).
  int initial_regime = 0;

  // Compute.
  YearlySeries training;            ///< training compute budget, US$ bn / year
  YearlySeries commitments;         ///< take-or-pay payments, US$ bn / year
  /// The part of `commitments` owed to suppliers who also invest and may
  /// convert unpaid payments into equity (docs/model.md §11, 8.); empty = none.
  YearlySeries supported_commitments;
  /// What the supporting suppliers do with a shortfall they agree to carry:
  /// false, convert it into equity; true, defer it (a payable repaid from
  /// positive cash; docs/model.md §11, 8.).
  bool support_defers = false;
  /// `commitments` contract by contract, in the scenario's order; empty =
  /// one unnamed claim. A shock on one contract (Shock::contract) moves its
  /// supplier's claim; a shock on the commitments as a whole moves each
  /// supplier's in proportion.
  std::vector<Contract> contracts;
  YearlySeries capex;               ///< owned-capacity capex, US$ bn / year
  double initial_assets = 0.0;      ///< book value of owned capacity, US$ bn
  double capacity_per_dollar = 1.0 / 6.0;  ///< compute ($/yr at contract price) per $ of book
  double depreciation_life = 6.0;   ///< years
  /// Fraction of owned capacity's book value written off per year, on top
  /// of depreciation (non-cash); empty = none.
  YearlySeries impairment;

  // Operating costs.
  CostLine staff, sales_marketing, general_admin, stock_based_pay;

  // Cash and financing.
  double initial_cash = 0.0;
  double cash_yield = 0.04;         ///< interest earned on cash, fraction / year
  std::vector<Tranche> tranches;
  YearlySeries valuation_scale;     ///< multiplies the regime's valuation multiple
  EquityPolicy equity;
  double initial_debt = 0.0;
  YearlySeries debt_rate;           ///< fraction / year
  std::vector<DebtMaturity> debt_maturities;  ///< of the debt, in any order
  double credit_limit = 0.0;        ///< size of the committed credit facility, US$ bn
  /// Whether the facility revolves: draws are repaid from positive cash at
  /// the end of each step and can be drawn again (docs/model.md §11, 7.).
  bool credit_revolving = false;
  /// Whether the facility is secured: its draws rank first in distress (docs/model.md §27).
  bool credit_secured = false;
  /// A minimum-liquidity covenant (docs/model.md §11, 9.): cash plus the
  /// undrawn facility, tested at every calendar quarter end; a breach starts
  /// distress. false = none.
  bool liquidity_covenant = false;
  double min_liquidity = 0.0;  ///< US$ bn
  double tax_rate = 0.21;

  // Distress.
  bool backstop = false;
  ManagementPolicy management;
  DistressResolution resolution;

  int n_steps() const { return n_years * steps_per_year; }
  double dt() const { return 1.0 / steps_per_year; }
};

/// Checks every field against the scenario format's rules (docs/cpp.md,
/// "Validation"): lengths, finite numbers, ranges, consistency. Throws
/// InputError naming the first bad field as a scenario file spells it
/// ("financing.initial_cash", "segments.api.revenue.2027"). Every entry
/// point calls it; more checks in wager/validation.hpp.
void validate(const Model& model);

/// The suppliers of `model.contracts`, each once, in the order they first
/// appear: the distress claimants after the lenders
/// (Claimant::first_counterparty).
std::vector<std::string> counterparty_names(const Model& model);

/// A segment with the scenario format's defaults (price_change 0 every year,
/// demand_beta 1, volatility 0, persistence 0.8).
Segment make_segment(std::string name, YearlySeries revenue, YearlySeries inference_cost_ratio);

/// The scenario format's default regimes, in order boom, normal, bust
/// (docs/scenarios.md, "Default regimes").
std::vector<Regime> default_regimes();

/// The scenario format's default yearly transition matrix between
/// default_regimes(), row-major [from][to] (docs/scenarios.md, "Default
/// transition matrix").
std::vector<double> default_yearly_transition();

/// A valid model with the scenario format's defaults for everything but what
/// the format requires (the segments and the initial cash): the horizon
/// start_year..horizon in steps_per_year steps, default_regimes() starting
/// in "normal", no compute, costs, tranches or debt, a debt rate of 0.08 and
/// a valuation scale of 1 every year. Throws InputError if the result is
/// not valid (e.g. a segment's series of another length than the horizon).
Model make_model(std::vector<Segment> segments, double initial_cash, int start_year = 2025, int horizon = 2035,
                 int steps_per_year = 4);

}  // namespace wager
