#pragma once
#include <string>

namespace nsmon::core {

enum class ColorMode { automatic, always, never };

/// Parses "auto", "always", "never"; throws UsageError otherwise.
ColorMode parse_color_mode(const std::string& s);

/// Whether to colour output on fd: --color first, then NO_COLOR, CLICOLOR_FORCE, TERM=dumb, isatty.
bool use_color(ColorMode mode, int fd);

/// Whether fd is a terminal.
bool is_terminal(int fd);

} // namespace nsmon::core
