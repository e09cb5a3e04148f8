// The validator's vocabulary: range checks on numbers and yearly series that
// name the field and the value, so every entry point refuses in one voice.
#include "validation_checks.hpp"

#include <cmath>
#include <sstream>

#include "wager/require.hpp"

namespace wager::detail {

namespace {

// "in [0, 1]", ">= 0", "> -1", "in (-1, 1]", "<= 10".
std::string range_text(const Range& r) {
  std::ostringstream out;
  const bool low = std::isfinite(r.lo), high = std::isfinite(r.hi);
  if (low && high) {
    out << "in " << (r.lo_open ? "(" : "[") << shown(r.lo) << ", " << shown(r.hi) << (r.hi_open ? ")" : "]");
  } else if (low) {
    out << (r.lo_open ? "> " : ">= ") << shown(r.lo);
  } else if (high) {
    out << (r.hi_open ? "< " : "<= ") << shown(r.hi);
  }
  return out.str();
}

bool inside(double v, const Range& r) {
  const bool low = r.lo_open ? v > r.lo : v >= r.lo;
  const bool high = r.hi_open ? v < r.hi : v <= r.hi;
  return low && high;
}

}  // namespace

std::string shown(double v) {
  std::ostringstream out;
  out << v;
  return out.str();
}

void refuse(const std::string& field, const std::string& reason) { throw InputError(field, reason); }

void check_number(const std::string& field, double v, const Range& range) {
  if (!std::isfinite(v)) refuse(field, std::string("must be a finite number, got ") + shown(v));
  if (!inside(v, range)) refuse(field, std::string("must be ") + range_text(range) + ", got " + shown(v));
}

std::string year_field(const std::string& field, const Model& m, std::size_t i) {
  return field + "." + std::to_string(m.start_year + static_cast<int>(i));
}

void check_series(const std::string& field, const YearlySeries& s, const Model& m, const Range& range) {
  if (static_cast<int>(s.size()) != m.n_years) {
    refuse(field, std::string("expected one value per year (") + std::to_string(m.n_years) + " for " +
                      std::to_string(m.start_year) + "-" + std::to_string(m.start_year + m.n_years - 1) + "), got " +
                      std::to_string(s.size()));
  }
  for (std::size_t i = 0; i < s.size(); ++i) check_number(year_field(field, m, i), s[i], range);
}

std::string item_field(const std::string& prefix, const std::string& name, std::size_t i) {
  return name.empty() ? prefix + "[" + std::to_string(i) + "]" : prefix + "." + name;
}

}  // namespace wager::detail
