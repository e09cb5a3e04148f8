// Per-year results of one path, and the events read off them.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "wager/distress.hpp"

namespace wager {

// Every per-year output, in column order. Flows are summed over the steps of
// the year (US$ bn); stocks are read at year end; ratios are ratios of sums.
#define WAGER_ANNUAL_VARIABLES(X)  \
  X(revenue)                       \
  X(inference_cost)                \
  X(gross_profit)                  \
  X(training_compute)              \
  X(compute_needed)                \
  X(commitments_paid)              \
  X(owned_capacity)                \
  X(utilisation)                   \
  X(spot_purchases)                \
  X(spot_premium)                  \
  X(unserved_compute)              \
  X(unserved_revenue)              \
  X(idle_capacity)                 \
  X(resale_income)                 \
  X(idle_cost_net)                 \
  X(owned_compute_credit)          \
  X(staff_cost)                    \
  X(sales_marketing)               \
  X(general_admin)                 \
  X(operating_costs)               \
  X(stock_based_pay)               \
  X(depreciation)                  \
  X(commitment_penalty)            \
  X(operating_income)              \
  X(net_interest)                  \
  X(tax)                           \
  X(capex)                         \
  X(free_cash_flow)                \
  X(equity_raised)                 \
  X(tranches_received)             \
  X(dilution)                      \
  X(ownership_retained)            \
  X(debt_drawn)                    \
  X(debt_repaid)                   \
  X(debt_refinanced)               \
  X(rescue)                        \
  X(supplier_conversion)           \
  X(supplier_deferral)             \
  X(debt)                          \
  X(supplier_payable)              \
  X(cash)                          \
  X(valuation)                     \
  X(regime)                        \
  X(defaulted)

enum class Var : std::size_t {
#define WAGER_ENUM_ENTRY(name) name,
  WAGER_ANNUAL_VARIABLES(WAGER_ENUM_ENTRY)
#undef WAGER_ENUM_ENTRY
  count_
};

inline constexpr std::size_t n_vars = static_cast<std::size_t>(Var::count_);

/// Column names, in `Var` order.
const std::array<std::string_view, n_vars>& var_names();

/// A (variable, period) table for one path, plus revenue by segment; a period
/// is a year, or a step in a per-step table.
struct AnnualTable {
  int start_year = 0;
  int n_periods = 0;  ///< years, or steps in a per-step table
  std::size_t n_segments = 0;
  std::vector<double> values;           ///< [var][year], row-major
  std::vector<double> segment_revenue;  ///< [segment][year], row-major

  AnnualTable() = default;
  AnnualTable(int start_year_, int n_years_, std::size_t n_segments_);

  double& at(Var v, int year) {
    return values[static_cast<std::size_t>(v) * static_cast<std::size_t>(n_periods) +
                  static_cast<std::size_t>(year)];
  }
  double at(Var v, int year) const {
    return values[static_cast<std::size_t>(v) * static_cast<std::size_t>(n_periods) +
                  static_cast<std::size_t>(year)];
  }
};

/// What happened on a path, in calendar years (empty when it never happened).
struct Events {
  std::optional<int> first_profit_year;    ///< first year with operating income > 0
  std::optional<int> first_positive_fcf_year;
  std::optional<int> default_year;
  double peak_funding_need = 0.0;          ///< max over steps of -(cumulative FCF), >= 0
  double cumulative_burn = 0.0;            ///< sum of -FCF over years with FCF < 0
  double terminal_equity_value = 0.0;      ///< company equity value at the horizon, >= 0
  /// The same by a discounted cash flow of the last year's (docs/model.md §13), >= 0.
  double terminal_dcf_value = 0.0;
  /// Both discounted to the start at the regimes' discount rates along the
  /// path, step by step (docs/model.md §13).
  double terminal_equity_value_today = 0.0;
  double terminal_dcf_value_today = 0.0;
  double equity_raised_total = 0.0;        ///< rounds + tranches over the horizon
  double rescue_total = 0.0;               ///< backstop money over the horizon
  /// What the distress that began in default_year came to (kind none
  /// without distress, or with the resolution off).
  DistressResult distress;
};

}  // namespace wager
