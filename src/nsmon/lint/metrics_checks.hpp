#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/expfmt/parser.hpp"

// lint-metrics: one scrape (an exposition) checked against the metric catalog and against the
// naming rules of `promtool check metrics` (client_golang's promlint). No I/O: the caller reads
// the file or URL and renders the findings with the lint-rules renderers.

namespace nsmon::lint {

/// One promlint problem: the metrics/* check id and promtool's own wording.
struct NamingProblem {
  core::CheckId check;
  std::string message;
};

/// promlint's rules on a family name (help, units, _total, reserved suffixes, type in the name,
/// ':' and camelCase, abbreviated units), in promlint's order. `name` and `type` are the family as
/// the text format names it (a counter's name ends in _total there).
void naming_problems(std::string_view name, expfmt::MetricType type, bool has_help, std::vector<NamingProblem>& out);

/// promlint's rules on one label name of a sample of a family of type `type` (le, quantile,
/// camelCase).
void label_naming_problems(std::string_view label, expfmt::MetricType type, std::vector<NamingProblem>& out);

/// The unit promlint sees in a name ("milliseconds") and its base unit ("seconds"); empty when the
/// name has no unit word.
struct UnitWord {
  std::string unit;
  std::string base;
};
UnitWord unit_in_name(std::string_view name);

struct MetricsOptions {
  const catalog::Catalog* catalog = nullptr; ///< nullptr: naming rules only
  bool naming = true;                        ///< promtool's naming rules
  /// Text-format inputs larger than this are parsed in two halves on two threads.
  std::size_t parallel_above = 4u << 20;
};

/// What the exposition held.
struct MetricsSummary {
  std::size_t families = 0;
  std::size_t series = 0;
  std::size_t parse_errors = 0;
  /// The input lines the findings point at, at their own line numbers (other lines empty): what
  /// a core::SourceFile needs to quote them, without indexing a whole 22 MB scrape.
  std::string quoted_lines;
};

/// Checks one exposition; findings carry `file` and lines/columns in `text`, sorted. Never throws
/// for bad input.
std::vector<core::Diagnostic> check_metrics(std::string_view text, expfmt::Format format, const std::string& file,
                                            const MetricsOptions& options, MetricsSummary* summary = nullptr);

/// Newlines in [p, p + n) (eight bytes at a time).
std::size_t count_newlines(const char* p, std::size_t n);

/// Where a large text-format input can be cut in two for two parsers without cutting a family:
/// the start of the first # HELP or # TYPE line after the middle that follows a sample line;
/// npos when there is none.
std::size_t split_point(std::string_view text);

/// Offsets where the 1-based `lines` (sorted, unique) start in `text`; npos past the end.
std::vector<std::size_t> line_starts(std::string_view text, const std::vector<int>& lines);

/// Picks the format of a file's content: OpenMetrics when its last non-empty line is "# EOF".
expfmt::Format sniff_format(std::string_view text);

} // namespace nsmon::lint
