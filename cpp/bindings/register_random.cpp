// wager._core's random numbers, for tests and Python-side designs: the
// Philox generators, a distribution's quantiles, and the inputs' normals.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <vector>

#include "conversions.hpp"
#include "numpy_owner.hpp"
#include "wager/random/distributions.hpp"
#include "wager/random/philox.hpp"
#include "wager/random/streams.hpp"

namespace py = pybind11;

namespace wager::python {

namespace {

using DoubleArray = py::array_t<double, py::array::c_style | py::array::forcecast>;

py::array_t<double> distribution_quantiles(const py::dict& spec, const DoubleArray& z, bool exact) {
  random::Distribution d = distribution_from_dict(spec, "spec");
  random::prepare(d, "distribution");
  const double* zp = z.data();
  std::vector<double> out(zp, zp + z.size());
  if (exact) {
    for (double& x : out) x = random::exact_quantile_from_normal(d, x);
  } else {
    random::quantiles_from_normals(d, out.data(), out.size());  // what a simulation's inputs use
  }
  return to_numpy(std::move(out), {static_cast<py::ssize_t>(z.size())});
}

// The standard normals a simulation gives its uncertain inputs, [path][input].
py::array_t<double> input_normals(std::uint64_t seed, std::int64_t first_path, std::int64_t n_paths, int n_inputs) {
  const int blocks = (n_inputs + 3) / 4;
  std::vector<double> out(static_cast<std::size_t>(n_paths) * static_cast<std::size_t>(n_inputs));
  double z[4];
  for (std::int64_t p = 0; p < n_paths; ++p) {
    for (int b = 0; b < blocks; ++b) {
      random::four_normals(random::draw(seed, static_cast<std::uint64_t>(first_path + p), 0,
                                        static_cast<std::uint64_t>(b), random::stream_inputs),
                           z);
      for (int j = 0; j < 4 && 4 * b + j < n_inputs; ++j) {
        out[static_cast<std::size_t>(p * n_inputs + 4 * b + j)] = z[j];
      }
    }
  }
  return to_numpy(std::move(out), {static_cast<py::ssize_t>(n_paths), static_cast<py::ssize_t>(n_inputs)});
}

}  // namespace

void register_random(py::module_& m) {
  m.def("distribution_quantiles", &distribution_quantiles, py::arg("spec"), py::arg("z"),
        py::arg("exact") = false,
        "F^-1(Phi(z)) for a distribution spec dict, elementwise: as a simulation draws it (PERT and "
        "Student t from their tables), or exactly.");
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
  m.def("input_normals", &input_normals, py::arg("seed"), py::arg("first_path"), py::arg("n_paths"),
        py::arg("n_inputs"));
}

}  // namespace wager::python
