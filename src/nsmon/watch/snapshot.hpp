#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "nsmon/expfmt/parser.hpp"
#include "nsmon/labels/labels.hpp"

// One scrape, reduced to the samples the stats model reads.

namespace nsmon::watch {

using Clock = std::chrono::steady_clock;

/// The labels of one series (the label model's), without __name__, job and instance.
using labels::Labels;

struct Series {
  Labels labels;
  double value = 0;
  /// The value of label `name`, or nullptr.
  const std::string* label(std::string_view name) const;
};

/// The samples of one scrape, by sample name ("images_processed_total", "x_bucket", ...).
struct Snapshot {
  Clock::time_point at{}; ///< when the scrape finished
  std::unordered_map<std::string, std::vector<Series>> samples;
  std::size_t series_total = 0; ///< every sample of the scrape, kept or not
  /// process_start_time_seconds (Unix seconds) of the process serving the endpoint, when it
  /// exports one (prometheus_client and the Go client do on Linux): whose endpoint it is.
  std::optional<double> process_start_time;

  /// The series of a sample name (empty when absent).
  const std::vector<Series>& find(std::string_view name) const;
  bool has(std::string_view name) const { return !find(name).empty(); }
};

/// Every sample of one scrape, for watch --rules: each named by its exposition text (the name,
/// then per label '\xff' name '\xfe' value, unescaped: bytes that valid UTF-8 never holds), all
/// the names in one buffer.
struct ScrapedSamples {
  struct Entry {
    std::size_t end = 0; ///< where its name ends in `keys` (it starts where the previous one ends)
    double value = 0;
    std::optional<std::int64_t> timestamp_ms; ///< the exposition's own timestamp
  };
  std::string keys;
  std::vector<Entry> entries;

  std::string_view key(std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : entries[i - 1].end;
    return std::string_view(keys).substr(begin, entries[i].end - begin);
  }
};

/// What parsing a scrape found, beyond the samples.
struct ParseOutcome {
  std::size_t errors = 0;
  std::string first_error; ///< "line:col: message"
};

/// Parses an exposition into `out`, keeping only samples whose name is in `wanted`, and, given
/// `all`, every sample into it as well (one parse for the stats and the rules). Lines with errors
/// are skipped (the rest is kept); never throws for bad input.
ParseOutcome parse_snapshot(std::string_view body, expfmt::Format format,
                            const std::unordered_set<std::string_view>& wanted, Snapshot& out,
                            ScrapedSamples* all = nullptr);

} // namespace nsmon::watch
