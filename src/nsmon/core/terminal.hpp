#pragma once
#include <optional>
#include <string>

namespace nsmon::core {

enum class ColorMode { automatic, always, never };

/// Parses "auto", "always", "never"; throws UsageError otherwise.
ColorMode parse_color_mode(const std::string& s);

/// Whether to colour output on fd: --color first, then NO_COLOR, CLICOLOR_FORCE, TERM=dumb, isatty.
bool use_color(ColorMode mode, int fd);

/// Whether fd is a terminal.
bool is_terminal(int fd);

struct TermSize {
  int rows = 24;
  int cols = 80;
};

/// The size of the terminal on `fd`, if it is one.
std::optional<TermSize> terminal_size(int fd);

/// The size to lay output out for on `fd`: the terminal's, else $COLUMNS and $LINES, else 80x24.
TermSize layout_size(int fd);

} // namespace nsmon::core
