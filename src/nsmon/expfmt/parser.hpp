#pragma once
// expfmt/: Prometheus text / OpenMetrics exposition parser.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

// Streaming (SAX-style) parser for the Prometheus text format 0.0.4 and OpenMetrics 1.0.
//
// The parser walks the input once and hands out views: names and label names always point into
// the input; label values and HELP text point into the input unless they contain escapes, in which
// case they point into parser scratch space that is only valid during the callback. Nothing is
// allocated per sample once the scratch buffers have grown to the largest line.
//
// Families follow the format's rules. OpenMetrics: a counter `foo` owns foo_total/foo_created, a
// histogram _bucket/_count/_sum/_created, a gaugehistogram _bucket/_gcount/_gsum, a summary
// foo/_count/_sum/_created, an info foo_info, gauge/stateset/unknown only foo. Text 0.0.4: the
// # TYPE name is the sample name (counter, gauge, untyped), histograms own _bucket/_count/_sum,
// summaries foo/_count/_sum. A sample that its family does not own starts an implicit family
// of type unknown named after it.
//
// Errors (line:column, column in bytes) cover what Prometheus rejects and what the formats
// forbid: name syntax, escapes, UTF-8, numbers, timestamps (text: integer ms; OpenMetrics: float
// seconds), duplicate label names, duplicate series (le/quantile compared as numbers),
// non-contiguous families, metadata twice or after samples, le/quantile that are not floats;
// OpenMetrics also: # EOF last, single spaces, no blank lines or plain comments, # UNIT a suffix
// of the name, exemplars only on counter _total and histogram _bucket (<= 128 characters),
// stateset values 0/1 with the family label, info value 1. A line with an error is skipped and
// parsing continues with the next line. Quoted (UTF-8) metric and label names are reported as
// unsupported.

namespace nsmon::expfmt {

enum class Format { text, openmetrics };

/// Picks the format from an HTTP Content-Type: application/openmetrics-text is OpenMetrics,
/// everything else (text/plain; version=0.0.4, empty, unknown) is the text format.
Format format_from_content_type(std::string_view content_type);
/// The Content-Type a scraper should ask for / a server sends for `f`.
std::string_view content_type(Format f);
const char* to_string(Format f);

enum class MetricType { counter, gauge, histogram, summary, info, stateset, gaugehistogram, unknown };
/// The spelling of a type in OpenMetrics ("unknown"); the text format spells unknown "untyped".
const char* to_string(MetricType t);

struct LabelView {
  std::string_view name;
  std::string_view value; ///< unescaped
};

/// OpenMetrics exemplar: ` # {trace_id="..."} 0.5 1520879607.789`.
struct ExemplarView {
  std::span<const LabelView> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
};

/// One metric family, announced once before its first sample (or alone if it has none).
struct FamilyView {
  std::string_view name;
  MetricType type = MetricType::unknown;
  std::string_view help; ///< unescaped; empty without # HELP
  std::string_view unit; ///< OpenMetrics # UNIT; empty otherwise
  bool has_type = false; ///< false for samples that arrived without # TYPE
  bool has_help = false;
  int line = 0; ///< first line of the family
};

struct SampleView {
  std::string_view name;   ///< full sample name, e.g. "http_requests_total"
  std::string_view family; ///< the family it belongs to, e.g. "http_requests"
  std::string_view suffix; ///< name minus family: "", "_total", "_bucket", "_created", ...
  MetricType type = MetricType::unknown;
  std::span<const LabelView> labels; ///< in input order
  double value = 0;
  std::optional<std::int64_t> timestamp_ms; ///< text: integer ms; OpenMetrics: seconds * 1000
  const ExemplarView* exemplar = nullptr;   ///< OpenMetrics only
  int line = 0;
};

/// A problem in the input: 1-based line and byte column.
struct Error {
  int line = 0;
  int column = 0;
  std::string message;
};

struct Options {
  std::size_t max_errors = 1000;  ///< parsing stops after this many errors
  std::size_t max_labels = 10000; ///< per sample; more is reported as an error
  bool check_duplicates = true;   ///< report a series that appears twice in a family
};

struct ParseSummary {
  std::vector<Error> errors;
  bool saw_eof = false;       ///< OpenMetrics "# EOF" seen
  bool stopped_early = false; ///< max_errors reached; the rest of the input was not read
  std::size_t lines = 0;
  std::size_t families = 0; ///< families announced
  std::size_t samples = 0;  ///< samples handed out (lines with errors are not)
  bool ok() const { return errors.empty(); }
};

/// Receives the parse events. Every sample handed out is valid; a line with an error is reported
/// in ParseSummary::errors and not handed out.
class Handler {
public:
  virtual ~Handler() = default;
  virtual void on_family(const FamilyView& family) { (void)family; }
  virtual void on_sample(const SampleView& sample) { (void)sample; }
};

/// Parses a whole exposition. Never throws for bad input and never recurses.
ParseSummary parse(std::string_view text, Format format, Handler& handler, const Options& options = {});

/// Parses a sample value or OpenMetrics number: decimal/exponent forms, NaN, +Inf, -Inf
/// (case-insensitive, "Infinity" too). No hex floats, no '_'. nullopt when invalid.
std::optional<double> parse_value(std::string_view s);

} // namespace nsmon::expfmt
