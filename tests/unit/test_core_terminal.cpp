// core/terminal: colour decisions and the size output is laid out for.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <fcntl.h>
#include <unistd.h>

#include "nsmon/core/terminal.hpp"

using namespace nsmon;

TEST_CASE("layout_size: the terminal's, else COLUMNS and LINES, else 80x24", "[core]") {
  int fd = ::open("/dev/null", O_RDONLY);
  REQUIRE(fd >= 0);
  CHECK_FALSE(core::terminal_size(fd).has_value()); // /dev/null is no terminal
  ::setenv("COLUMNS", "132", 1);
  ::setenv("LINES", "40", 1);
  auto s = core::layout_size(fd);
  CHECK(s.cols == 132);
  CHECK(s.rows == 40);
  ::setenv("COLUMNS", "wide", 1);
  ::unsetenv("LINES");
  s = core::layout_size(fd);
  CHECK(s.cols == 80);
  CHECK(s.rows == 24);
  ::unsetenv("COLUMNS");
  ::close(fd);
}
