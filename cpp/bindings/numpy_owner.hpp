// Hands a std::vector to NumPy without copying: the array's base owns it.
#pragma once

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <memory>
#include <utility>
#include <vector>

namespace wager::python {

namespace py = pybind11;

template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v, std::vector<py::ssize_t> shape) {
  auto owned = std::make_unique<std::vector<T>>(std::move(v));
  T* data = owned->data();
  py::capsule base(owned.get(), [](void* p) { std::unique_ptr<std::vector<T>>(static_cast<std::vector<T>*>(p)); });
  owned.release();  // the capsule owns it now
  return py::array_t<T>(shape, data, base);
}

}  // namespace wager::python
