// Strategy b against strategy a on the same paths: the chunk records and the
// paired statistics (b - a) accumulated from them, path by path.
#include "pair_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace wager::detail {

void ChunkRecords::resize(std::size_t paths, int years_per_path, std::size_t counterparties) {
  n_years = years_per_path;
  n_counterparties = counterparties;
  losses.assign(paths * counterparties, 0.0);
  years.assign(paths * static_cast<std::size_t>(n_years) * n_stat_vars, 0.0);
  outcomes.assign(paths * n_outcomes, 0.0);
  default_year.assign(paths, -1);
  first_profit_year.assign(paths, -1);
}

PartialPair::PartialPair(std::size_t n_series, int n_bins, int n_years)
    : diff(n_series, n_bins, BinRange::tracked),
      joint_default(4 * static_cast<std::size_t>(n_years), 0),
      joint_profit(4 * static_cast<std::size_t>(n_years), 0),
      overtake(2 * (static_cast<std::size_t>(n_years) + 1), 0) {}

void PartialPair::merge_counts_into(PairOutcome& total) {
  total.n_paths += n_paths;
  n_paths = 0;
  for (std::size_t i = 0; i < joint_default.size(); ++i) total.joint_default[i] += joint_default[i];
  for (std::size_t i = 0; i < joint_profit.size(); ++i) total.joint_profit[i] += joint_profit[i];
  for (std::size_t i = 0; i < overtake.size(); ++i) total.overtake[i] += overtake[i];
  std::fill(joint_default.begin(), joint_default.end(), 0);
  std::fill(joint_profit.begin(), joint_profit.end(), 0);
  std::fill(overtake.begin(), overtake.end(), 0);
  total.joint_loss.merge(joint_loss);
  joint_loss.clear();
}

void add_pair_paths(PartialPair& out, const ChunkRecords& a, const ChunkRecords& b, std::size_t n,
                    int start_year, const HistogramSpec& spec) {
  const auto ny = static_cast<std::size_t>(a.n_years);
  const std::size_t per_path = ny * n_stat_vars;
  // The sums take the difference of the two fixed-point values, so a pair's
  // sum is exactly b's sum minus a's; the bins take b - a.
  const auto add_difference = [&](std::size_t series, double va, double vb) {
    if (!std::isfinite(va) || !std::isfinite(vb)) {
      ++out.diff.non_finite[series];
      return;
    }
    out.diff.add_prepared(series, to_fixed(vb) - to_fixed(va), spec.bin(vb - va));
  };
  for (std::size_t i = 0; i < n; ++i) {
    ++out.n_paths;
    const double* ya = &a.years[i * per_path];
    const double* yb = &b.years[i * per_path];
    for (std::size_t s = 0; s < per_path; ++s) add_difference(s, ya[s], yb[s]);
    for (std::size_t o = 0; o < n_outcomes; ++o) {
      add_difference(per_path + o, a.outcomes[i * n_outcomes + o], b.outcomes[i * n_outcomes + o]);
    }
    const int da = a.default_year[i], db = b.default_year[i];
    const int pa = a.first_profit_year[i], pb = b.first_profit_year[i];
    for (std::size_t y = 0; y < ny; ++y) {
      const int year = start_year + static_cast<int>(y);
      const std::size_t jd = 2 * static_cast<std::size_t>(da >= 0 && da <= year) + (db >= 0 && db <= year);
      const std::size_t jp = 2 * static_cast<std::size_t>(pa >= 0 && pa <= year) + (pb >= 0 && pb <= year);
      ++out.joint_default[4 * y + jd];
      ++out.joint_profit[4 * y + jp];
    }
    // Cumulative free cash flow, year by year: who leads after the first
    // year, and the first year-end the other is ahead.
    const double* fa = ya + static_cast<std::size_t>(StatVar::free_cash_flow) * ny;
    const double* fb = yb + static_cast<std::size_t>(StatVar::free_cash_flow) * ny;
    double ca = fa[0], cb = fb[0];
    const int lead = (cb > ca) - (cb < ca);  // +1: b ahead; -1: a ahead; 0: level
    std::size_t when = ny;
    for (std::size_t y = 1; y < ny && lead != 0; ++y) {
      ca += fa[y];
      cb += fb[y];
      if ((lead < 0 && cb > ca) || (lead > 0 && ca > cb)) {
        when = y;
        break;
      }
    }
    const std::size_t who = lead > 0 ? 1 : 0;  // b led: a overtakes; a led (or level): b overtakes
    ++out.overtake[who * (ny + 1) + when];
    if (out.joint_loss.size() > 0) {
      out.joint_loss.add(a.n_counterparties > 0 ? a.loss_row(i) : nullptr,
                         b.n_counterparties > 0 ? b.loss_row(i) : nullptr);
    }
  }
}

}  // namespace wager::detail
