// Python dict -> wager::HistogramSpec (HistogramSpec.core_dict() in
// python/wager/statistics.py): the bins every statistic of a run shares.
#include <string>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

HistogramSpec histogram_from_dict(const py::dict& d, const std::string& where) {
  check_keys(d, where, {"scale", "bins_per_unit", "n_bins"});
  HistogramSpec h;
  h.scale = get<double>(d, "scale", where);
  h.bins_per_unit = get<double>(d, "bins_per_unit", where);
  h.n_bins = get<int>(d, "n_bins", where);
  return h;
}

}  // namespace wager::python
