// Python dicts -> wager::Shock, a stress's shocks in order (the dicts
// python/wager/stress_resolve.py builds, and race.py's revenue-share shock).
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "conversions.hpp"
#include "dict_keys.hpp"

namespace wager::python {

namespace py = pybind11;

namespace {

Shock shock_from_dict(const py::dict& d, const std::string& w) {
  check_keys(d, w,
             {"field", "label", "op", "value", "value_by_year", "severity", "start", "trigger_regime",
              "trigger_strategy", "trigger_after", "duration", "shape", "ramp", "half_life", "failure", "contract"});
  Shock s;
  s.field = get<std::string>(d, "field", w);
  s.label = get<std::string>(d, "label", w);
  const auto op = get<std::string>(d, "op", w);
  WAGER_REQUIRE(op == "scale" || op == "add" || op == "set", s.label << ": unknown op " << op);
  s.op = op == "scale" ? ShockOp::scale : op == "add" ? ShockOp::add : ShockOp::set;
  s.value = get<double>(d, "value", w);
  s.value_by_year = get<std::vector<double>>(d, "value_by_year", w);
  s.severity = get<double>(d, "severity", w);
  s.start = get<double>(d, "start", w);
  s.trigger_regime = get<int>(d, "trigger_regime", w);
  s.trigger_strategy = get<int>(d, "trigger_strategy", w);
  s.trigger_after = get<double>(d, "trigger_after", w);
  s.duration = get<double>(d, "duration", w);
  const auto shape = get<std::string>(d, "shape", w);
  WAGER_REQUIRE(shape == "step" || shape == "ramp" || shape == "recovery", s.label << ": unknown shape " << shape);
  s.shape = shape == "step" ? ShockShape::step : shape == "ramp" ? ShockShape::ramp : ShockShape::recovery;
  s.ramp = get<double>(d, "ramp", w);
  s.half_life = get<double>(d, "half_life", w);
  s.failure = get<bool>(d, "failure", w);
  s.contract = get<int>(d, "contract", w);
  return s;
}

}  // namespace

std::vector<Shock> shocks_from_list(const py::list& items, const std::string& where) {
  std::vector<Shock> out;
  std::size_t i = 0;
  for (const auto& h : items) {
    const std::string w = item(where, i++);
    out.push_back(shock_from_dict(as_dict(h, w), w));
  }
  return out;
}

}  // namespace wager::python
