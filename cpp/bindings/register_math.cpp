// wager._core.math_*: the core's own elementary functions, elementwise, so
// tests can compare them with libm (the core's bits must not depend on libm);
// and per_step_transition, the per-step regime chain of a yearly one (its
// principal k-th root, docs/model.md §18), which the package's world uses.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <string>
#include <vector>

#include "numpy_owner.hpp"
#include "wager/math/elementary.hpp"
#include "wager/require.hpp"
#include "wager/transition.hpp"

namespace py = pybind11;

namespace wager::python {

namespace {

auto vectorised(double (*f)(double)) {
  return [f](const py::array_t<double, py::array::c_style | py::array::forcecast>& x) {
    std::vector<double> out(static_cast<std::size_t>(x.size()));
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = f(x.data()[i]);
    return to_numpy(std::move(out), {static_cast<py::ssize_t>(x.size())});
  };
}

// The n x n per-step matrix of an n x n yearly one; InputError (a ValueError)
// as wager::per_step_transition throws it.
py::array_t<double> per_step_transition(const py::array_t<double, py::array::c_style | py::array::forcecast>& yearly,
                                        int steps_per_year) {
  if (yearly.ndim() != 2 || yearly.shape(0) != yearly.shape(1)) {
    std::string shape;
    for (py::ssize_t d = 0; d < yearly.ndim(); ++d) shape += (d ? " x " : "") + std::to_string(yearly.shape(d));
    throw InputError("market.transition", "expected a square matrix, got shape " + (shape.empty() ? "()" : shape));
  }
  const auto n = static_cast<std::size_t>(yearly.shape(0));
  const std::vector<double> values(yearly.data(), yearly.data() + yearly.size());
  return to_numpy(wager::per_step_transition(values, n, steps_per_year),
                  {static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(n)});
}

}  // namespace

void register_math(py::module_& m) {
  m.def("math_exp", vectorised([](double v) { return math::exp(v); }), py::arg("x"));
  m.def("math_log", vectorised([](double v) { return math::log(v); }), py::arg("x"));
  m.def("math_sin_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return s; }),
        py::arg("u"));
  m.def("math_cos_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return c; }),
        py::arg("u"));
  m.def("per_step_transition", &per_step_transition, py::arg("yearly"), py::arg("steps_per_year"),
        "The per-step transition matrix P with P^k = yearly (k = steps_per_year): the principal real k-th "
        "root, clipped at 0 and renormalised (docs/model.md §18). Raises InputError naming market.transition.");
}

}  // namespace wager::python
