// The projection's yearly table (variables x years, segment revenue): its
// variable names and layout, read by the recorder and the bindings.
#include "wager/annual.hpp"

namespace wager {

const std::array<std::string_view, n_vars>& var_names() {
  static constexpr std::array<std::string_view, n_vars> names = {
#define WAGER_NAME_ENTRY(name) #name,
      WAGER_ANNUAL_VARIABLES(WAGER_NAME_ENTRY)
#undef WAGER_NAME_ENTRY
  };
  return names;
}

AnnualTable::AnnualTable(int start_year_, int n_years_, std::size_t n_segments_)
    : start_year(start_year_),
      n_periods(n_years_),
      n_segments(n_segments_),
      values(n_vars * static_cast<std::size_t>(n_years_), 0.0),
      segment_revenue(n_segments_ * static_cast<std::size_t>(n_years_), 0.0) {}

}  // namespace wager
