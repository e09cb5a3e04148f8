// The core's errors, and preconditions that name the offending value, in the
// spirit of QL_REQUIRE.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace wager {

/// Raised when an input handed to the core breaks one of its preconditions
/// (docs/cpp.md, "Validation"). what() is "<field>: <reason>"; field() is the
/// field's path as the scenario files spell it ("financing.initial_cash",
/// "segments.api.revenue.2027", "market.transition"), or empty for an error
/// that no single field carries.
class InputError : public std::invalid_argument {
 public:
  /// An error without a field: the message says everything.
  explicit InputError(const std::string& message) : std::invalid_argument(message), reason_(message) {}
  InputError(std::string field_path, const std::string& why)
      : std::invalid_argument(field_path + ": " + why), field_(std::move(field_path)), reason_(why) {}
  /// The same error said of one part of a larger input: what() is
  /// "<where>: <field>: <reason>" ("strategies[1]: financing.initial_cash: ...").
  InputError(std::string field_path, const std::string& why, const std::string& where)
      : std::invalid_argument(where + ": " + field_path + ": " + why), field_(std::move(field_path)), reason_(why) {}

  /// The field's dotted path ("" when the error names none).
  const std::string& field() const noexcept { return field_; }
  /// Why the field is refused (the whole message when it names no field).
  const std::string& reason() const noexcept { return reason_; }

 private:
  std::string field_;
  std::string reason_;
};

/// Raised when a result holds NaN or infinity (docs/cpp.md, "Non-finite
/// results"): a simulation whose paths produced them, or a statistic read
/// from a series that counts them. The message says where.
class NonFiniteError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace wager

#define WAGER_REQUIRE(cond, msg)                   \
  do {                                             \
    if (!(cond)) {                                 \
      std::ostringstream wager_require_stream_;    \
      wager_require_stream_ << msg;                \
      throw ::wager::InputError(wager_require_stream_.str()); \
    }                                              \
  } while (false)
