#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/terminal.hpp"

// The live terminal mode: a status block pinned to the bottom rows, the command's output
// scrolling above it. The block lives outside a scroll region (DECSTBM) that covers the rows
// above it, so output scrolls there (and into the scrollback) while the block is redrawn in place
// with absolute positions; every frame is one synchronized update (DEC mode 2026), so there is
// no flicker. LiveScreen only produces the bytes; the caller writes them.

namespace nsmon::watch {

using core::TermSize;

class LiveScreen {
public:
  /// Takes the bottom rows for a block of up to `block_rows` lines (fewer on a small terminal).
  std::string begin(TermSize size, int block_rows);
  /// Rows the block may use now.
  int block_rows() const { return rows_; }
  TermSize size() const { return size_; }
  /// Text to print above the block: the cursor is in the scroll region, at the start of a line.
  std::string output(std::string_view line) const;
  /// Redraws the block (lines are already fitted to the width).
  std::string draw(const std::vector<std::string>& lines);
  /// The terminal changed size, or the block needs another height: a new region, the block
  /// redrawn at the new bottom.
  std::string resize(TermSize size, int block_rows, const std::vector<std::string>& lines);
  /// Gives the rows back: the region reset, the block cleared, the cursor visible again, placed
  /// where the block was so that what is printed next follows the command's output.
  std::string end();
  bool active() const { return active_; }

private:
  std::string region() const;
  TermSize size_;
  int rows_ = 0;
  bool active_ = false;
};

/// While alive, a fatal signal (SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL) first writes the bytes
/// that give the terminal back (scroll region, cursor, attributes) to `fd`, then kills the
/// process as the signal would have. One at a time.
class TerminalGuard {
public:
  explicit TerminalGuard(int fd);
  ~TerminalGuard();
  TerminalGuard(const TerminalGuard&) = delete;
  TerminalGuard& operator=(const TerminalGuard&) = delete;
};

/// The bytes that undo everything LiveScreen may have set: scroll region, hidden cursor,
/// attributes, synchronized update.
inline constexpr std::string_view kTerminalRestore = "\033[?2026l\033[r\033[0m\033[?25h";

} // namespace nsmon::watch
