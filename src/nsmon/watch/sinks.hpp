#pragma once
// Where a watch session's output goes: a terminal (live block), logs and pipes (plain lines), or
// scripts (jsonl). Each writes straight to stdout and stderr and notices a reader that has gone.
#include <memory>
#include <string>
#include <vector>

#include "nsmon/watch/session.hpp"

namespace nsmon::watch {

/// Logs and pipes: the command's lines with `prefix`, one compact line per interval (per epoch
/// with `per_epoch`), the summary; colour only when `color`.
std::unique_ptr<Sink> plain_sink(std::string prefix, bool per_epoch, bool color);

/// --format jsonl: stdout carries only JSON objects (stats, then the summary); the command's lines
/// go to stderr with `prefix`.
std::unique_ptr<Sink> jsonl_sink(std::string prefix, bool per_epoch);

/// A terminal: the status block titled `title` pinned at the bottom (with an Alerts line when
/// `rules`), the command's output scrolling above it; the terminal is restored when the sink is
/// destroyed.
std::unique_ptr<Sink> live_sink(std::string title, bool color, bool rules = false);

/// What names a command's lines: "detector.py" for `python3 examples/detector/detector.py
/// --epochs 3` (the script, not the interpreter), "train.sh" for `./train.sh`.
std::string command_name(const std::vector<std::string>& argv);

} // namespace nsmon::watch
