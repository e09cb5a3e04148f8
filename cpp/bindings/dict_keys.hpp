// The dict contract of the bindings: every dict read from Python must have
// exactly its keys (a missing or unknown key is an InputError naming it and where).
#pragma once

#include <pybind11/pybind11.h>

#include <initializer_list>
#include <string>

#include "wager/require.hpp"

namespace wager::python {

/// A key a dict may leave out, and what leaving it out means.
struct OptionalKey {
  const char* key;
  const char* default_meaning;
};

/// Throws InputError "<where>: unknown key 'k'" for a key in neither list,
/// then "<where>: missing key 'k'" for a required key absent.
void check_keys(const pybind11::dict& d, const std::string& where, std::initializer_list<const char*> required,
                std::initializer_list<OptionalKey> optional = {});

/// `h` as a dict, or InputError "<where>: expected a dict".
pybind11::dict as_dict(const pybind11::handle& h, const std::string& where);

/// "<where>.<key>" and "<where>[<i>]", for naming nested dicts.
std::string field(const std::string& where, const char* key);
std::string item(const std::string& where, std::size_t i);

/// d[key] converted to T (the key checked before), or InputError naming it.
template <class T>
T get(const pybind11::dict& d, const char* key, const std::string& where) {
  try {
    return d[key].cast<T>();
  } catch (const pybind11::cast_error&) {
    throw InputError(where + ": key '" + key + "' has the wrong type");
  }
}

}  // namespace wager::python
