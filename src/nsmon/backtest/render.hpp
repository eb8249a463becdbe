#pragma once
// backtest's results for people (a table of alerts, their episodes, a timeline) and for scripts
// (JSON), and two runs side by side (--compare). Text out, no I/O.
#include <cstdint>
#include <string>

#include "nsmon/backtest/backtest.hpp"

namespace nsmon::backtest {

struct RenderOptions {
  std::int64_t repeat_ms = 4 * 3600 * 1000; ///< Alertmanager's repeat_interval (summarize())
  std::int64_t flap_ms = 15 * 60 * 1000;    ///< a restart this soon after an end is a flap
  int width = 80;                           ///< the terminal's columns (the timeline)
};

/// The alerts table, every episode, then the timeline.
std::string render_text(const Result& r, const RenderOptions& o);
/// One row per alert: a cell per slice of the range, '█' where an instance was firing.
std::string render_timeline(const Result& r, const RenderOptions& o);
/// {"range": ..., "alerts": [{"alertname", ..., "episodes": [{"labels", "active_at", "start",
/// "end" (null: still firing), "duration_seconds"}], ...}], "queries": ...}; with `old`, its
/// alerts under "old".
std::string render_json(const Result& r, const Result* old, const RenderOptions& o);
/// --compare: old and new per alert name (episodes, time firing, notifications, flaps).
std::string render_compare(const Result& old, const Result& now, const RenderOptions& o);

} // namespace nsmon::backtest
