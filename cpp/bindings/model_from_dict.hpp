// Builds the core's plain Model from the dict that python/wager/kernel_config.py
// produces. The Python layer has validated everything; the core re-checks shapes.
#pragma once

#include <pybind11/pybind11.h>

#include "wager/model.hpp"

namespace wager::python {

Model model_from_dict(const pybind11::dict& d);

}  // namespace wager::python
