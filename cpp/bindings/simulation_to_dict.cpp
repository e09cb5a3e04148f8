// A simulation's results -> Python dicts: per strategy and per pair, the
// 128-bit sums as (high, low) arrays, histograms, counts and kept paths.
#include <cstdint>
#include <utility>
#include <vector>

#include "conversions.hpp"
#include "numpy_owner.hpp"

namespace wager::python {

namespace {

/// 128-bit sums as two arrays (signed high, unsigned low 64 bits).
py::tuple split_int128(const std::vector<int128>& v) {
  std::vector<std::int64_t> hi(v.size());
  std::vector<std::uint64_t> lo(v.size());
  for (std::size_t i = 0; i < v.size(); ++i) {
    hi[i] = static_cast<std::int64_t>(v[i] >> 64);
    lo[i] = static_cast<std::uint64_t>(v[i]);
  }
  const auto n = static_cast<py::ssize_t>(v.size());
  return py::make_tuple(to_numpy(std::move(hi), {n}), to_numpy(std::move(lo), {n}));
}

void add_series(py::dict& out, SeriesStats& s) {
  out["sum"] = split_int128(s.sum);
  out["sum_squares"] = split_int128(s.sum_squares);
  out["histogram"] = to_numpy(std::move(s.histogram),
                              {static_cast<py::ssize_t>(s.n_series), static_cast<py::ssize_t>(s.n_bins)});
  out["non_finite"] = to_numpy(std::move(s.non_finite), {static_cast<py::ssize_t>(s.n_series)});
}

void add_kept(py::dict& out, StrategyOutcome& o, std::int64_t n_paths) {
  const auto np = static_cast<py::ssize_t>(n_paths);
  const auto ny = static_cast<py::ssize_t>(o.n_years);
  py::list kept;
  for (auto& v : o.kept) kept.append(to_numpy(std::move(v), {np, ny}));
  out["kept"] = kept;
  out["kept_default_year"] = to_numpy(std::move(o.kept_default_year), {np});
  out["kept_first_profit_year"] = to_numpy(std::move(o.kept_first_profit_year), {np});
  py::list outcomes;
  for (auto& v : o.kept_outcomes) outcomes.append(to_numpy(std::move(v), {np}));
  out["kept_outcomes"] = outcomes;
}

/// docs/model.md §27: resolution years and the distressed paths' sums, by DistressSeries.
py::dict distress_to_dict(DistressOutcome& d) {
  py::dict out;
  const auto ny1 = static_cast<py::ssize_t>(d.reorganisation_year.size());
  out["reorganisation_year"] = to_numpy(std::move(d.reorganisation_year), {ny1});
  out["liquidation_year"] = to_numpy(std::move(d.liquidation_year), {ny1});
  out["wipeout_year"] = to_numpy(std::move(d.wipeout_year), {ny1});
  out["sum"] = split_int128(d.sums.sum);
  out["sum_squares"] = split_int128(d.sums.sum_squares);
  out["count"] = to_numpy(std::move(d.sums.histogram), {static_cast<py::ssize_t>(d.sums.n_series)});
  // By Claimant, and by the year the distress began and claim class: (claim, recovered, claim + recovered).
  for (auto [name, s] : {std::pair<const char*, SeriesStats*>{"claimants", &d.claimants}, {"by_year", &d.by_year}}) {
    py::dict sums;
    sums["sum"] = split_int128(s->sum);
    sums["sum_squares"] = split_int128(s->sum_squares);
    sums["count"] = to_numpy(std::move(s->histogram), {static_cast<py::ssize_t>(s->n_series)});
    out[name] = sums;
  }
  return out;
}

/// docs/model.md §28: the suppliers' bounds, exposure, loss and loss by year
/// of distress (each as add_series; `bound` is the same in every chunk).
py::dict exposure_to_dict(ExposureOutcome& e) {
  py::dict out;
  out["bound"] = to_numpy(std::move(e.bound), {static_cast<py::ssize_t>(e.n_counterparties)});
  for (auto [name, s] : {std::pair<const char*, SeriesStats*>{"exposure", &e.exposure}, {"loss", &e.loss},
                         {"loss_by_year", &e.loss_by_year}}) {
    py::dict d;
    add_series(d, *s);
    out[name] = d;
  }
  return out;
}

/// docs/model.md §28, investors: the loss histograms' bounds, the sums per
/// (tranche, InvestorSeries) and the loss (each as add_series).
py::dict investors_to_dict(InvestorOutcome& v) {
  py::dict out;
  out["bound"] = to_numpy(std::move(v.bound), {static_cast<py::ssize_t>(v.n_tranches)});
  for (auto [name, s] : {std::pair<const char*, SeriesStats*>{"sums", &v.sums}, {"loss", &v.loss}}) {
    py::dict d;
    add_series(d, *s);
    out[name] = d;
  }
  return out;
}

/// docs/model.md §28, the joint view: which supplier of each bet each row
/// is ([k, 2], -1: not that bet's) and the bounds ([k, 2]), both the same in
/// every chunk; the grid and the combined loss's bins (each as add_series).
py::dict joint_loss_to_dict(JointLossOutcome& j) {
  py::dict out;
  const auto k = static_cast<py::ssize_t>(j.size());
  std::vector<std::int32_t> of(2 * j.size());
  std::vector<double> bound(2 * j.size());
  for (std::size_t i = 0; i < j.size(); ++i) {
    of[2 * i] = j.of_a[i];
    of[2 * i + 1] = j.of_b[i];
    bound[2 * i] = j.bound_a[i];
    bound[2 * i + 1] = j.bound_b[i];
  }
  out["counterparties"] = to_numpy(std::move(of), {k, 2});
  out["bound"] = to_numpy(std::move(bound), {k, 2});
  for (auto [name, s] : {std::pair<const char*, SeriesStats*>{"grid", &j.grid}, {"combined", &j.combined}}) {
    py::dict d;
    add_series(d, *s);
    out[name] = d;
  }
  return out;
}

}  // namespace

py::dict strategy_outcome_to_dict(StrategyOutcome&& o, std::int64_t n_paths, bool keep) {
  py::dict out;
  out["n_paths"] = o.n_paths;
  add_series(out, o.series);
  const auto ny1 = static_cast<py::ssize_t>(o.n_years + 1);
  out["default_year"] = to_numpy(std::move(o.default_year), {ny1});
  out["first_profit_year"] = to_numpy(std::move(o.first_profit_year), {ny1});
  out["distress"] = distress_to_dict(o.distress);
  out["exposure"] = exposure_to_dict(o.exposure);
  out["investors"] = investors_to_dict(o.investors);
  out["lenders"] = exposure_to_dict(o.lenders);
  if (keep) add_kept(out, o, n_paths);
  return out;
}

py::dict pair_outcome_to_dict(PairOutcome&& o) {
  py::dict out;
  out["a"] = o.a;
  out["b"] = o.b;
  out["n_paths"] = o.n_paths;
  add_series(out, o.diff);
  const auto ny = static_cast<py::ssize_t>(o.n_years);
  out["joint_default"] = to_numpy(std::move(o.joint_default), {ny, 4});
  out["joint_profit"] = to_numpy(std::move(o.joint_profit), {ny, 4});
  out["overtake"] = to_numpy(std::move(o.overtake), {2, ny + 1});
  out["joint_loss"] = joint_loss_to_dict(o.joint_loss);
  return out;
}

}  // namespace wager::python
