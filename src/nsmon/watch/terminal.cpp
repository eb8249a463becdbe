#include "nsmon/watch/terminal.hpp"

#include <algorithm>
#include <csignal>
#include <unistd.h>

#include "nsmon/core/error.hpp"

namespace nsmon::watch {

namespace {

std::string at(int row, int col) { return "\033[" + std::to_string(row) + ";" + std::to_string(col) + "H"; }

constexpr const char* kSyncBegin = "\033[?2026h";
constexpr const char* kSyncEnd = "\033[?2026l";

} // namespace

std::string LiveScreen::region() const { return "\033[1;" + std::to_string(size_.rows - rows_) + "r"; }

std::string LiveScreen::begin(TermSize size, int block_rows) {
  size_ = size;
  // At least two rows stay for the command's output.
  rows_ = std::clamp(block_rows, 0, std::max(0, size.rows - 2));
  active_ = true;
  std::string out = "\033[?25l\r";
  // Make room: scroll what is on screen up by the block's height, come back up.
  out += std::string(static_cast<std::size_t>(rows_), '\n');
  if (rows_ > 0) out += "\033[" + std::to_string(rows_) + "A";
  // Setting the region homes the cursor: save and restore it around.
  out += "\0337" + region() + "\0338";
  return out;
}

std::string LiveScreen::output(std::string_view line) const {
  std::string out(line);
  out += "\r\n";
  return out;
}

std::string LiveScreen::draw(const std::vector<std::string>& lines) {
  if (!active_ || rows_ == 0) return "";
  std::string out = kSyncBegin;
  out += "\0337";
  for (int i = 0; i < rows_; ++i) {
    out += at(size_.rows - rows_ + 1 + i, 1) + "\033[2K";
    if (static_cast<std::size_t>(i) < lines.size()) out += lines[static_cast<std::size_t>(i)];
  }
  out += "\0338";
  out += kSyncEnd;
  return out;
}

std::string LiveScreen::resize(TermSize size, int block_rows, const std::vector<std::string>& lines) {
  if (!active_) return "";
  std::string out = kSyncBegin;
  size_ = size;
  rows_ = std::clamp(block_rows, 0, std::max(0, size.rows - 2));
  const int bottom = size_.rows - rows_; // the last row of the new region
  // Terminals move content differently on resize: start over from the new region's last row
  // (where the next output line goes), clearing everything below it, old block included.
  out += "\033[r" + at(bottom, 1) + "\033[J" + region() + at(bottom, 1);
  out += kSyncEnd;
  return out + draw(lines);
}

std::string LiveScreen::end() {
  if (!active_) return "";
  active_ = false;
  std::string out = kSyncBegin;
  // The cursor stays on the row after the output (draw() puts it back there; output() leaves that
  // row empty), which is above the region's last row while the output has not filled the region:
  // resetting the region homes the cursor, so it is saved around. The block below is erased.
  out += "\0337\033[r\0338\033[J\033[0m\033[?25h";
  out += kSyncEnd;
  return out;
}

namespace {

volatile sig_atomic_t g_guard_fd = -1;
constexpr int kFatal[] = {SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL};
struct sigaction g_old[sizeof kFatal / sizeof kFatal[0]];

extern "C" void restore_and_die(int sig) {
  if (g_guard_fd >= 0) {
    static const char bytes[] = "\033[?2026l\033[r\033[0m\033[?25h\r\n";
    ssize_t ignored = ::write(g_guard_fd, bytes, sizeof bytes - 1);
    (void)ignored;
  }
  // SA_RESETHAND put the default action back: die of the same signal.
  ::raise(sig);
}

} // namespace

TerminalGuard::TerminalGuard(int fd) {
  if (g_guard_fd >= 0) throw Error("only one TerminalGuard at a time");
  g_guard_fd = fd;
  for (std::size_t i = 0; i < sizeof kFatal / sizeof kFatal[0]; ++i) {
    struct sigaction sa {};
    sa.sa_handler = restore_and_die;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(kFatal[i], &sa, &g_old[i]);
  }
}

TerminalGuard::~TerminalGuard() {
  for (std::size_t i = 0; i < sizeof kFatal / sizeof kFatal[0]; ++i) sigaction(kFatal[i], &g_old[i], nullptr);
  g_guard_fd = -1;
}

} // namespace nsmon::watch
