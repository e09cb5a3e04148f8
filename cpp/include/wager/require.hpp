// Preconditions that name the offending value, in the spirit of QL_REQUIRE.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace wager {

/// Raised when a model handed to the core breaks one of its preconditions.
class InputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
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
