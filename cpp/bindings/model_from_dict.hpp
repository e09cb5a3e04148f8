// Builds the core's plain Model from the dict that python/wager/kernel_config.py
// produces. The Python layer has validated everything; the core re-checks shapes.
#pragma once

#include <pybind11/pybind11.h>

#include <vector>

#include "wager/model.hpp"
#include "wager/shock.hpp"

namespace wager::python {

Model model_from_dict(const pybind11::dict& d);

/// Shocks from the list of dicts that python/wager/stress.py produces.
std::vector<Shock> shocks_from_list(const pybind11::list& items);

}  // namespace wager::python
