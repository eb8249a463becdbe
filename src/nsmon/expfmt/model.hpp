#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/expfmt/parser.hpp"

// Owning model on top of the streaming parser, for callers that want the whole exposition.

namespace nsmon::expfmt {

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
};

struct Exemplar {
  std::vector<Label> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
};

struct Sample {
  std::string name;   ///< full name, e.g. "http_requests_total"
  std::string suffix; ///< "", "_total", "_bucket", "_created", ...
  std::vector<Label> labels;
  double value = 0;
  std::optional<std::int64_t> timestamp_ms;
  std::optional<Exemplar> exemplar;
  int line = 0;
  /// The value of label `name`, or nullptr.
  const std::string* label(std::string_view label_name) const;
};

struct Family {
  std::string name;
  MetricType type = MetricType::unknown;
  bool has_type = false;
  std::string help, unit;
  std::vector<Sample> samples;
  int line = 0;
};

struct Exposition {
  std::vector<Family> families;
  std::vector<Error> errors;
  bool eof = false;           ///< OpenMetrics "# EOF" seen
  bool stopped_early = false; ///< too many errors; the rest was not read
  /// The first family called `name`, or nullptr.
  const Family* find(std::string_view name) const;
  std::size_t sample_count() const;
};

/// Parses `text` into an owning Exposition (errors collected, never thrown).
Exposition parse_all(std::string_view text, Format format, const Options& options = {});

} // namespace nsmon::expfmt
