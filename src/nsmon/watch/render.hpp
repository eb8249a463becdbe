#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "nsmon/watch/session.hpp"
#include "nsmon/watch/stats.hpp"

// What `nsmon watch` prints, as strings (cli/ writes them): one compact line per interval for
// logs, one JSON object per interval for tools, the live status block for a terminal, and the
// summary at the end.

namespace nsmon::watch {

/// One line without escape codes, e.g. "[  12s] epoch 3/4 loss 0.5008 ▼ ... | images 42/120 ...".
std::string plain_line(const Figures& f, const ScrapeStatus& s);

/// One JSON object (no newline) with every figure; absent figures are null.
std::string json_line(const Figures& f, const ScrapeStatus& s);

/// The summary as text lines (colour: bold labels), wrapped to `width` display cells between
/// figures (0: not wrapped, for logs).
std::string summary_text(const RunSummary& r, bool color, std::size_t width = 0);
/// The summary as one JSON object (no newline), "type": "summary".
std::string summary_json(const RunSummary& r);

struct BlockStyle {
  std::size_t width = 80;  ///< cells per line
  std::size_t height = 10; ///< at most this many lines
  bool color = false;
  std::string title;                  ///< the command (or target) shown in the header
  const RulesStatus* rules = nullptr; ///< watch --rules: an Alerts line
  std::int64_t now_ms = 0;            ///< for the alerts' ages
};

/// The live status block: a header line, then Training / Inference / Latency / Symbolic / System /
/// Errors lines for what the detector exports, each fitted to the width; lines of lower priority
/// are dropped to fit the height.
std::vector<std::string> status_block(const Figures& f, const ScrapeStatus& s, const BlockStyle& style);

// watch --rules (render_rules.cpp).
/// The live block's Alerts parts: failed assertions, then the alerts pending or firing (coloured by
/// severity), or "none firing".
std::vector<std::string> alert_parts(const RulesStatus& r, bool color, std::int64_t now_ms);
/// One line per transition: "[12s] alert HighLoss{model=m} firing (critical) value 12: summary".
std::string rule_event_line(const RuleEvent& e, std::int64_t start_ms);
/// One JSON object per transition ("type": "alert", "assert" or "rule_error").
std::string rule_event_json(const RuleEvent& e);
/// The summary's rows: every alert that fired (when, for how long), the evaluations, assertions.
std::string rules_summary_text(const RulesStatus& r, bool color, std::int64_t end_ms, std::size_t width = 0);
std::string rules_summary_json(const RulesStatus& r);

} // namespace nsmon::watch
