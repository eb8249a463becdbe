// nsmon query's streamed output: sample times are written exactly as util::format_number writes
// them (its integer shortcut must agree with std::to_chars's shortest form, scientific included).
#include <catch2/catch.hpp>
#include <cmath>
#include <random>

#include "nsmon/cli/cmd_query.hpp"
#include "nsmon/util/strings.hpp"

using nsmon::cli::query::append_time;

TEST_CASE("query output: sample times as format_number writes them", "[query]") {
  std::vector<double> times = {0,
                               1,
                               5,
                               10,
                               100,
                               1000,
                               10000,
                               100000,
                               1000000,
                               1700000000,
                               1714564800,
                               1795287015,
                               1795287000,
                               1795200000,
                               12345678900000,
                               9007199254740991.0,
                               9007199254740992.0,
                               1e20,
                               0.5,
                               1714564800.125,
                               -1,
                               -1700000000,
                               -0.0,
                               std::nan(""),
                               HUGE_VAL,
                               -HUGE_VAL};
  std::mt19937_64 rng(3);
  for (int i = 0; i < 20000; ++i) {
    auto digits = 1 + rng() % 16;
    std::uint64_t v = rng() % 10;
    for (std::uint64_t d = 1; d < digits; ++d) v = v * 10 + (rng() % 3 == 0 ? 0 : rng() % 10); // many zeros
    times.push_back(static_cast<double>(v));
  }
  for (double t : times) {
    std::string got = "x";
    append_time(got, t);
    INFO(got);
    REQUIRE(got == "x" + nsmon::util::format_number(t));
  }
  std::string s;
  append_time(s, 1700000000);
  CHECK(s == "1.7e+09"); // to_chars's shortest form, as before
}
