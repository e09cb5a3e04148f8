// docs/model.md §11 (4. Equity raise, 6. Debt maturities): the market's
// appetite reads the company. At each year's end the last complete year's
// revenue growth plus a weighted free-cash-flow margin (the "Rule of 40"
// score) sets a factor on the regime's yearly rate of closing a round and
// on the odds of refinancing, used through the next year.
#pragma once

#include <cstddef>

#include "lane_loop.hpp"
#include "wager/math/elementary.hpp"
#include "wager/model.hpp"

namespace wager::detail {

/// Growth and margin are counted within +-1,000% (a company with no revenue
/// the year before grew by the most counted; one with none now and a loss
/// has the lowest margin), so the score is finite without branches.
inline constexpr double score_term_limit = 10.0;

/// The Rule-of-40 score of a year with revenue `revenue` and free cash flow
/// `fcf` after a year with revenue `before` (>= 0).
[[gnu::always_inline]] inline double trailing_score(double revenue, double before, double fcf, double weight) {
  const double growth = before > 0.0 ? revenue / (before > 0.0 ? before : 1.0) - 1.0
                                     : (revenue > 0.0 ? score_term_limit : 0.0);
  const double margin = revenue > 0.0 ? fcf / (revenue > 0.0 ? revenue : 1.0)
                                      : (fcf < 0.0 ? -score_term_limit : 0.0);
  const double g = min_of(growth, score_term_limit);
  const double m = max_of(min_of(margin, score_term_limit), -score_term_limit);
  return g + weight * m;
}

/// exp(sensitivity x (score held within [floor, cap] - reference)): the
/// factor on the regime's yearly rate (1 at the reference score).
[[gnu::always_inline]] inline double funding_factor(double score, const FundingScore& f) {
  const double s = max_of(min_of(score, f.cap), f.floor);
  return math::exp(f.sensitivity * (s - f.reference));
}

/// The chance 1 - (1 - p)^factor of an event of probability p when the
/// hazard behind it is scaled by `factor` (> 0): p itself for factor 1 up to
/// rounding, 1 for p = 1, 0 for p = 0.
[[gnu::always_inline]] inline double scaled_chance(double p, double factor) {
  return 1.0 - math::exp(factor * math::log(1.0 - p));
}

/// §11 (6.): the chance `p` (the raise's, per lane) of refinancing a
/// maturity, read through each lane's funding factor, computed only at the
/// steps where some lane owes one (elsewhere it is not read).
template <class Lane, class Due>
[[gnu::always_inline]] inline void refinance_chance(const Lane& factor, const Due& debt_due, Lane& p) {
  const std::size_t L = p.size();
  int due = 0;
#pragma omp simd reduction(| : due)
  for (std::size_t l = 0; l < L; ++l) due |= debt_due[l] > 0.0 ? 1 : 0;
  if (due == 0) return;
  WAGER_FOR_LANES(l, L) p[l] = scaled_chance(p[l], factor[l]);
}

/// Per lane, the year's revenue and free cash flow so far; at the year's
/// end (`year_end`) the factor from the year's score, when the year before
/// is known (last_revenue >= 0), and the year becomes the one before. A
/// defaulted lane's flows are 0 and its factor is never read again.
template <class State, class Lane>
[[gnu::always_inline]] inline void score_step(State& s, const Lane& revenue, const Lane& fcf, bool year_end,
                                              const FundingScore& f) {
  const std::size_t L = revenue.size();
  WAGER_FOR_LANES(l, L) {
    s.year_revenue[l] += revenue[l];
    s.year_fcf[l] += fcf[l];
  }
  if (!year_end) return;
  WAGER_FOR_LANES(l, L) {
    const double before = s.last_revenue[l];
    const double factor = funding_factor(trailing_score(s.year_revenue[l], before, s.year_fcf[l], f.margin_weight), f);
    s.funding_factor[l] = before >= 0.0 ? factor : s.funding_factor[l];
    s.last_revenue[l] = s.year_revenue[l];
    s.year_revenue[l] = 0.0;
    s.year_fcf[l] = 0.0;
  }
}

}  // namespace wager::detail
