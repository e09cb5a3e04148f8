# Which compilers build wager, and compile against its headers (docs/cpp.md,
# "Supported compilers"): GCC >= 11, Clang >= 14, AppleClang >= 14. The core
# is C++20 (<numbers>, std::bit_cast), and its public headers use the
# compiler extension __int128 for the exact 128-bit sums of the statistics
# (wager/statistics.hpp) and Philox's 64-bit products (wager/random/philox.hpp):
# MSVC has no __int128. Used by CMakeLists.txt and by the installed
# wagerConfig.cmake, so a consumer's project fails at find_package(wager),
# with the reason, rather than in the middle of its build.
#
# wager_compiler_problem(<out-var> <compiler-id> <compiler-version>) sets
# <out-var> to the reason a compiler is refused, or to "" for a supported one.
# WAGER_ALLOW_UNSUPPORTED_COMPILER=ON skips the check (another compiler with
# __int128 and C++20, at your own risk).
function(wager_compiler_problem out id version)
  set(problem "")
  if(WAGER_ALLOW_UNSUPPORTED_COMPILER)
    set(${out} "" PARENT_SCOPE)
    return()
  endif()
  if(id STREQUAL "GNU")
    set(minimum 11)
  elseif(id STREQUAL "Clang" OR id STREQUAL "AppleClang")
    set(minimum 14)
  else()
    set(problem "the C++ compiler ${id} ${version} is not supported: wager needs GCC >= 11 or Clang >= 14 "
                "(its headers use C++20 and the __int128 extension, which MSVC lacks). "
                "Set WAGER_ALLOW_UNSUPPORTED_COMPILER=ON to try another compiler with __int128 anyway.")
  endif()
  if(NOT problem AND version VERSION_LESS minimum)
    set(problem "the C++ compiler ${id} ${version} is too old: wager needs ${id} >= ${minimum} (C++20). "
                "Set WAGER_ALLOW_UNSUPPORTED_COMPILER=ON to try it anyway.")
  endif()
  string(JOIN "" problem ${problem})
  set(${out} "${problem}" PARENT_SCOPE)
endfunction()
