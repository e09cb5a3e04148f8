// The one key-set check every dict conversion calls first: no per-field
// ad-hoc checks, and every error names the key and the dict it is in.
#include "dict_keys.hpp"

#include <algorithm>
#include <cstring>

namespace wager::python {

namespace py = pybind11;

void check_keys(const py::dict& d, const std::string& where, std::initializer_list<const char*> required,
                std::initializer_list<OptionalKey> optional) {
  const auto is = [](const char* a, const std::string& b) { return b == a; };
  for (const auto& kv : d) {
    const std::string key = py::str(kv.first);
    const bool known = std::any_of(required.begin(), required.end(), [&](const char* k) { return is(k, key); }) ||
                       std::any_of(optional.begin(), optional.end(), [&](const OptionalKey& k) { return is(k.key, key); });
    if (!known) throw InputError(where + ": unknown key '" + key + "'");
  }
  for (const char* k : required) {
    if (!d.contains(k)) throw InputError(where + ": missing key '" + k + "'");
  }
}

py::dict as_dict(const py::handle& h, const std::string& where) {
  if (!py::isinstance<py::dict>(h)) throw InputError(where + ": expected a dict");
  return py::reinterpret_borrow<py::dict>(h);
}

std::string field(const std::string& where, const char* key) { return where + "." + key; }
std::string item(const std::string& where, std::size_t i) { return where + "[" + std::to_string(i) + "]"; }

}  // namespace wager::python
