// wager._core.math_*: the core's own elementary functions, elementwise, so
// tests can compare them with libm (the core's bits must not depend on libm).
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <vector>

#include "numpy_owner.hpp"
#include "wager/math/elementary.hpp"

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

}  // namespace

void register_math(py::module_& m) {
  m.def("math_exp", vectorised([](double v) { return math::exp(v); }), py::arg("x"));
  m.def("math_log", vectorised([](double v) { return math::log(v); }), py::arg("x"));
  m.def("math_sin_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return s; }),
        py::arg("u"));
  m.def("math_cos_turns", vectorised([](double v) { double s, c; math::sincos_turns(v, s, c); return c; }),
        py::arg("u"));
}

}  // namespace wager::python
