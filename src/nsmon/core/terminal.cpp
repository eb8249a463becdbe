#include "nsmon/core/terminal.hpp"

#include <cstdlib>
#include <cstring>
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
