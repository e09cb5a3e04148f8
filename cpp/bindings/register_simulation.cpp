#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model_from_dict.hpp"
#include "numpy_owner.hpp"
#include "wager/build_info.hpp"
#include "wager/math/elementary.hpp"
#include "wager/parameters.hpp"
#include "wager/random/distributions.hpp"
#include "wager/random/philox.hpp"
#include "wager/random/streams.hpp"
#include "wager/require.hpp"
#include "wager/simulation.hpp"

#ifdef WAGER_HAVE_OPENMP
#include <omp.h>
#endif

namespace py = pybind11;

namespace wager::python {

namespace {

random::DistKind dist_kind(const std::string& k) {
  if (k == "normal") return random::DistKind::normal;
  if (k == "lognormal") return random::DistKind::lognormal;
  if (k == "uniform") return random::DistKind::uniform;
  if (k == "triangular") return random::DistKind::triangular;
  if (k == "pert") return random::DistKind::pert;
  if (k == "student_t") return random::DistKind::student_t;
  throw InputError("unknown distribution kind: " + k);
}

random::Distribution distribution_from_dict(const py::dict& d) {
  random::Distribution out;
  out.kind = dist_kind(d["kind"].cast<std::string>());
  out.a = d["a"].cast<double>();
  out.b = d["b"].cast<double>();
  out.c = d["c"].cast<double>();
  out.lower = d["lower"].cast<double>();
  out.upper = d["upper"].cast<double>();
  return out;
}

SimulationConfig config_from_dict(const py::dict& d) {
  SimulationConfig c;
  for (const auto& item : d["strategies"].cast<py::list>()) {
    const auto s = item.cast<py::dict>();
    Strategy strat;
    strat.model = model_from_dict(s["model"].cast<py::dict>());
    for (const auto& in_item : s["inputs"].cast<py::list>()) {
      const auto in = in_item.cast<py::dict>();
      UncertainInput u;
      u.name = in["name"].cast<std::string>();
      u.distribution = distribution_from_dict(in["distribution"].cast<py::dict>());
      random::prepare(u.distribution, u.name);
      u.central = in["central"].cast<double>();
      u.targets = in["targets"].cast<std::vector<int>>();
      u.weights = in["weights"].cast<std::vector<double>>();
      strat.inputs.push_back(std::move(u));
    }
    strat.cholesky = s["cholesky"].cast<std::vector<double>>();
    if (s.contains("shocks")) strat.shocks = shocks_from_list(s["shocks"].cast<py::list>());
    if (s.contains("input_rows")) {
      strat.input_rows = s["input_rows"].cast<std::vector<double>>();
      strat.input_row_paths = s["input_row_paths"].cast<std::int64_t>();
    }
    c.strategies.push_back(std::move(strat));
  }
  const auto w = d["world"].cast<py::dict>();
  c.world.initial_regime = w["initial_regime"].cast<int>();
  c.world.n_regimes = w["n_regimes"].cast<int>();
  if (d.contains("world_period")) c.world_period = d["world_period"].cast<std::int64_t>();
  if (d.contains("pairs")) c.pairs = d["pairs"].cast<std::vector<std::pair<int, int>>>();
  c.world.step_transition = w["step_transition"].cast<std::vector<double>>();
  c.world.pinned = w["pinned"].cast<std::vector<int>>();
  c.world.factor_volatility = w["factor_volatility"].cast<double>();
  c.world.factor_persistence = w["factor_persistence"].cast<double>();
  c.seed = d["seed"].cast<std::uint64_t>();
  c.n_paths = d["n_paths"].cast<std::int64_t>();
  c.first_path = d["first_path"].cast<std::int64_t>();
  c.n_threads = d["n_threads"].cast<int>();
  c.chunk_paths = d["chunk_paths"].cast<int>();
  c.keep_paths = d["keep_paths"].cast<bool>();
  const auto h = d["histogram"].cast<py::dict>();
  c.histogram.scale = h["scale"].cast<double>();
  c.histogram.bins_per_unit = h["bins_per_unit"].cast<double>();
  c.histogram.n_bins = h["n_bins"].cast<int>();
  return c;
}

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

py::dict outcome_dict(StrategyOutcome&& o, std::int64_t n_paths, bool keep) {
  py::dict out;
  out["n_paths"] = o.n_paths;
  out["sum"] = split_int128(o.series.sum);
  out["sum_squares"] = split_int128(o.series.sum_squares);
  out["histogram"] = to_numpy(std::move(o.series.histogram),
                              {static_cast<py::ssize_t>(o.series.n_series), static_cast<py::ssize_t>(o.series.n_bins)});
  out["non_finite"] = to_numpy(std::move(o.series.non_finite), {static_cast<py::ssize_t>(o.series.n_series)});
  const auto ny1 = static_cast<py::ssize_t>(o.n_years + 1);
  out["default_year"] = to_numpy(std::move(o.default_year), {ny1});
  out["first_profit_year"] = to_numpy(std::move(o.first_profit_year), {ny1});
  if (keep) {
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
  return out;
}

py::dict pair_dict(PairOutcome&& o) {
  py::dict out;
  out["a"] = o.a;
  out["b"] = o.b;
  out["n_paths"] = o.n_paths;
  out["sum"] = split_int128(o.diff.sum);
  out["sum_squares"] = split_int128(o.diff.sum_squares);
  out["histogram"] = to_numpy(std::move(o.diff.histogram),
                              {static_cast<py::ssize_t>(o.diff.n_series), static_cast<py::ssize_t>(o.diff.n_bins)});
  out["non_finite"] = to_numpy(std::move(o.diff.non_finite), {static_cast<py::ssize_t>(o.diff.n_series)});
  const auto ny = static_cast<py::ssize_t>(o.n_years);
  out["joint_default"] = to_numpy(std::move(o.joint_default), {ny, 4});
  out["joint_profit"] = to_numpy(std::move(o.joint_profit), {ny, 4});
  out["overtake"] = to_numpy(std::move(o.overtake), {2, ny + 1});
  return out;
}

SimulationResults run_simulation(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                                 double grow_below_seconds) {
  SimulationConfig c = config_from_dict(config);
  // Between batches, with the GIL taken back: Ctrl-C, then the progress callable.
  // A Python error stops the run and is raised once the core has returned.
  std::unique_ptr<py::error_already_set> error;
  const auto between_batches = [&](std::int64_t done, std::int64_t all) {
    py::gil_scoped_acquire acquire;
    try {
      if (PyErr_CheckSignals() != 0) throw py::error_already_set();
      if (!progress.is_none()) progress(done, all);
      return true;
    } catch (py::error_already_set& e) {
      error = std::make_unique<py::error_already_set>(std::move(e));
      return false;
    }
  };
  SimulationResults results;
  {
    // The kernel touches no Python object while it runs.
    py::gil_scoped_release release;
    results = simulate(std::move(c), between_batches, batch_paths, grow_below_seconds);
  }
  if (error) throw std::move(*error);
  return results;
}

py::list strategy_list(SimulationResults& results, const py::dict& config) {
  const auto total = config["n_paths"].cast<std::int64_t>();
  const bool keep = config["keep_paths"].cast<bool>();
  py::list out;
  for (auto& o : results.strategies) out.append(outcome_dict(std::move(o), total, keep));
  return out;
}

py::list simulate_dict(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                       double grow_below_seconds) {
  SimulationResults results = run_simulation(config, progress, batch_paths, grow_below_seconds);
  return strategy_list(results, config);
}

py::dict simulate_paired_dict(const py::dict& config, const py::object& progress, std::int64_t batch_paths,
                              double grow_below_seconds) {
  SimulationResults results = run_simulation(config, progress, batch_paths, grow_below_seconds);
  py::dict out;
  out["strategies"] = strategy_list(results, config);
  py::list pairs;
  for (auto& p : results.pairs) pairs.append(pair_dict(std::move(p)));
  out["pairs"] = pairs;
  return out;
}

py::tuple parameters_of(const py::dict& model) {
  Model m = model_from_dict(model);
  py::list names;
  std::vector<double> values;
  for (const ParameterRef& p : parameters(m)) {
    names.append(p.name);
    values.push_back(*p.value);
  }
  const auto n = static_cast<py::ssize_t>(values.size());
  return py::make_tuple(names, to_numpy(std::move(values), {n}));
}

py::array_t<double> distribution_quantiles(const py::dict& spec, const py::array_t<double, py::array::c_style | py::array::forcecast>& z) {
  random::Distribution d = distribution_from_dict(spec);
  random::prepare(d, "distribution");
  std::vector<double> out(static_cast<std::size_t>(z.size()));
  const double* zp = z.data();
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = random::quantile_from_normal(d, zp[i]);
  return to_numpy(std::move(out), {static_cast<py::ssize_t>(z.size())});
}

}  // namespace

void register_simulation(py::module_& m) {
  m.def("simulate", &simulate_dict, py::arg("config"), py::arg("progress") = py::none(),
        py::arg("batch_paths") = 65536, py::arg("grow_below_seconds") = 0.0,
        "Monte Carlo over a config dict; returns one dict of merged statistics per strategy.");
  m.def("simulate_paired", &simulate_paired_dict, py::arg("config"), py::arg("progress") = py::none(),
        py::arg("batch_paths") = 65536, py::arg("grow_below_seconds") = 0.0,
        "Monte Carlo over a config dict with pairs; returns {'strategies': [...], 'pairs': [...]}, "
        "each pair the statistics of strategy b minus strategy a path by path.");
  m.def("parameters", &parameters_of, py::arg("model"),
        "Names and values of a model's numeric parameters, in the core's canonical order.");
  m.def("distribution_quantiles", &distribution_quantiles, py::arg("spec"), py::arg("z"),
        "F^-1(Phi(z)) for a distribution spec dict, elementwise.");
  m.def(
      "philox4x64",
      [](std::array<std::uint64_t, 4> ctr, std::array<std::uint64_t, 2> key, int rounds) {
        return random::philox4x64(ctr, key, rounds);
      },
      py::arg("counter"), py::arg("key"), py::arg("rounds") = 10);
  m.def(
      "philox4x32",
      [](std::array<std::uint32_t, 4> ctr, std::array<std::uint32_t, 2> key, int rounds) {
        return random::philox4x32(ctr, key, rounds);
      },
      py::arg("counter"), py::arg("key"), py::arg("rounds") = 10);
  m.def(
      "input_normals",
      [](std::uint64_t seed, std::int64_t first_path, std::int64_t n_paths, int n_inputs) {
        // The standard normals a simulation gives its uncertain inputs, [path][input].
        const int blocks = (n_inputs + 3) / 4;
        std::vector<double> out(static_cast<std::size_t>(n_paths) * static_cast<std::size_t>(n_inputs));
        double z[4];
        for (std::int64_t p = 0; p < n_paths; ++p) {
          for (int b = 0; b < blocks; ++b) {
            random::four_normals(random::draw(seed, static_cast<std::uint64_t>(first_path + p), 0,
                                              static_cast<std::uint64_t>(b), random::stream_inputs), z);
            for (int j = 0; j < 4 && 4 * b + j < n_inputs; ++j) {
              out[static_cast<std::size_t>(p * n_inputs + 4 * b + j)] = z[j];
            }
          }
        }
        return to_numpy(std::move(out), {static_cast<py::ssize_t>(n_paths), static_cast<py::ssize_t>(n_inputs)});
      },
      py::arg("seed"), py::arg("first_path"), py::arg("n_paths"), py::arg("n_inputs"));
  // The core's own elementary functions, elementwise (for tests against libm).
  const auto vectorised = [](double (*f)(double)) {
    return [f](const py::array_t<double, py::array::c_style | py::array::forcecast>& x) {
      std::vector<double> out(static_cast<std::size_t>(x.size()));
      for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(x.data()[i]);
      return to_numpy(std::move(out), {static_cast<py::ssize_t>(x.size())});
    };
  };
  m.def("math_exp", vectorised([](double v) { return math::exp(v); }), py::arg("x"));
  m.def("math_log", vectorised([](double v) { return math::log(v); }), py::arg("x"));
  m.def("math_sin_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return s; }), py::arg("u"));
  m.def("math_cos_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return c; }), py::arg("u"));
  m.def("simd_level", &simd_level,
        "The instruction set the core's hot loops use on this machine: avx512f, avx2 or baseline.");
  m.def("max_threads", []() {
#ifdef WAGER_HAVE_OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
  });
}

}  // namespace wager::python
