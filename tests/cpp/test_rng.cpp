// Philox against Random123's known-answer vectors (the file the Python
// tests read too).
#include <doctest/doctest.h>

#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>

#include "wager/random/philox.hpp"

namespace {

template <class U>
U hex(const std::string& s) {
  return static_cast<U>(std::stoull(s, nullptr, 16));
}

}  // namespace

TEST_CASE("Philox4x32 and Philox4x64 reproduce Random123's known answers") {
  std::ifstream in(WAGER_TEST_DATA_DIR "/random123_kat.txt");
  REQUIRE(in.good());
  int checked = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream row(line);
    std::string name;
    int rounds = 0;
    row >> name >> rounds;
    std::string w[10];
    if (name == "philox4x32") {
      for (auto& x : w) row >> x;
      const wager::random::Philox4x32Ctr ctr{hex<std::uint32_t>(w[0]), hex<std::uint32_t>(w[1]),
                                             hex<std::uint32_t>(w[2]), hex<std::uint32_t>(w[3])};
      const wager::random::Philox4x32Key key{hex<std::uint32_t>(w[4]), hex<std::uint32_t>(w[5])};
      const auto out = wager::random::philox4x32(ctr, key, rounds);
      for (int i = 0; i < 4; ++i) CHECK(out[static_cast<std::size_t>(i)] == hex<std::uint32_t>(w[6 + i]));
      ++checked;
    } else if (name == "philox4x64") {
      for (auto& x : w) row >> x;
      const wager::random::Philox4x64Ctr ctr{hex<std::uint64_t>(w[0]), hex<std::uint64_t>(w[1]),
                                             hex<std::uint64_t>(w[2]), hex<std::uint64_t>(w[3])};
      const wager::random::Philox4x64Key key{hex<std::uint64_t>(w[4]), hex<std::uint64_t>(w[5])};
      const auto out = wager::random::philox4x64(ctr, key, rounds);
      for (int i = 0; i < 4; ++i) CHECK(out[static_cast<std::size_t>(i)] == hex<std::uint64_t>(w[6 + i]));
      ++checked;
    }
  }
  CHECK(checked == 12);  // 3 vectors x 2 round counts x 2 generators
}
