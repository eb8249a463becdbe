#pragma once
// promqltest's script language (prometheus/promql/promqltest/README.md), read as test.go reads
// it: `load`/`load_with_nhcb`, `clear`, `eval instant|range` with the old `eval_fail|warn|info|
// ordered` forms and the `expect ...` lines, expected series in the series notation, a scalar, a
// string. Test-only: the conformance runner's input.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/notation.hpp"

namespace nsmon::promqltest {

using engine::Labels;
using Values = std::vector<std::optional<double>>;
/// Per value, when a series holds histograms: the histogram at that step, if any.
using Histograms = std::vector<engine::HistogramValue>;

/// A series that the runner cannot load and the reason (load_with_nhcb, start timestamps):
/// evaluations that select it are skipped.
struct Unsupported {
  Labels labels;
  std::string reason;
};

struct LoadCmd {
  int line = 0;
  std::int64_t step_ms = 0;
  struct Series {
    Labels labels;
    Values values;
    Histograms histograms;
  };
  std::vector<Series> series; ///< a series written twice: the last line wins
  std::vector<Unsupported> unsupported;
};

struct ClearCmd {};

enum class ExpectType { ordered, fail, warn, no_warn, info, no_info };

/// An `expect` line's message: exact (`msg:`), a regular expression (`regex:`), or anything.
struct ExpectMsg {
  std::string text;
  bool regex = false;
};

struct ExpectedSeries {
  Labels labels;
  Values values;
  Histograms histograms;
  int pos = 0; ///< 1-based position among the result lines (for `ordered`)
};

struct EvalCmd {
  int line = 0; ///< 1-based
  std::string expr;
  bool is_range = false;
  std::int64_t start = 0, end = 0, step = 0;                      ///< ms; an instant query has start = end = eval time
  bool fail = false, warn = false, info = false, ordered = false; ///< eval_fail, eval_warn, ...
  std::string fail_message;                                       ///< expected_fail_message
  std::optional<std::string> fail_regexp;                         ///< expected_fail_regexp
  std::map<ExpectType, std::vector<ExpectMsg>> expects;
  std::optional<double> scalar;       ///< a scalar result line
  std::vector<ExpectedSeries> series; ///< expected series (last line of a series wins)
  std::optional<std::string> string;  ///< expect string "..."
  bool range_vector = false;          ///< expect range vector from .. to .. step ..
  bool exclude_from_range = false;    ///< not re-run as a range query
  std::string skip;                   ///< why the expectation cannot be checked, if so
  bool is_ordered() const { return ordered || expects.count(ExpectType::ordered); }
  bool is_fail() const { return fail || expects.count(ExpectType::fail); }
};

using Command = std::variant<LoadCmd, ClearCmd, EvalCmd>;

/// A script's commands, or the first error as test.go reports it (the line, 1-based).
struct Script {
  std::vector<Command> commands;
  std::optional<std::pair<int, std::string>> error;
  bool native_histograms = false; ///< the file loads or expects native histograms
};
Script parse_script(std::string_view text);

} // namespace nsmon::promqltest
