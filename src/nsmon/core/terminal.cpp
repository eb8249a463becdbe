#include "nsmon/core/terminal.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <sys/ioctl.h>
#include <unistd.h>

#include "nsmon/core/error.hpp"

namespace nsmon::core {

ColorMode parse_color_mode(const std::string& s) {
  if (s == "auto") return ColorMode::automatic;
  if (s == "always") return ColorMode::always;
  if (s == "never") return ColorMode::never;
  throw UsageError("--color must be auto, always or never, not '" + s + "'");
}

bool is_terminal(int fd) { return isatty(fd) == 1; }

std::optional<TermSize> terminal_size(int fd) {
  winsize ws{};
  if (::ioctl(fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0) return std::nullopt;
  return TermSize{ws.ws_row, ws.ws_col};
}

TermSize layout_size(int fd) {
  if (auto size = terminal_size(fd)) return *size;
  auto env = [](const char* name, int fallback) {
    const char* v = std::getenv(name);
    int n = 0;
    if (v && std::from_chars(v, v + std::strlen(v), n).ec == std::errc() && n > 0) return n;
    return fallback;
  };
  return {env("LINES", 24), env("COLUMNS", 80)};
}

bool use_color(ColorMode mode, int fd) {
  if (mode != ColorMode::automatic) return mode == ColorMode::always;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color && *no_color) return false;
  const char* force = std::getenv("CLICOLOR_FORCE");
  if (force && *force && std::strcmp(force, "0") != 0) return true;
  const char* term = std::getenv("TERM");
  if (term && std::strcmp(term, "dumb") == 0) return false;
  return is_terminal(fd);
}

} // namespace nsmon::core
