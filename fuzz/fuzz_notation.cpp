// libFuzzer target for the series notation (promqltest `load` lines, promtool `input_series`):
// any bytes as a whole line, as a description alone and as values alone. Besides crashes and
// sanitizer reports it checks the notation's promises: an error has a message and an offset inside
// the input, a result never exceeds the value limit, labels are sorted, unique and non-empty,
// native histograms come one per value and print in bounded space.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_notation
//   mkdir -p /tmp/notation-corpus && build/fuzz/fuzz/fuzz_notation /tmp/notation-corpus fuzz/corpus/notation
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nsmon/engine/notation.hpp"

namespace {

using namespace nsmon::engine;

void check(bool ok) {
  if (!ok) std::abort();
}

// A small limit keeps `1x99999999` cheap while still exercising the limit.
constexpr std::size_t kLimit = 100'000;

void check_error(const std::optional<NotationError>& e, std::string_view input) {
  if (!e) return;
  check(e->offset <= input.size());
  check(!e->message.empty());
}

void check_labels(const Labels& ls) {
  for (std::size_t i = 0; i < ls.size(); ++i) {
    check(!ls[i].second.empty());
    if (i > 0) check(ls[i - 1].first < ls[i].first);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  SeriesDescResult d = parse_series_desc(input, kLimit);
  check_error(d.error, input);
  check(d.values.size() <= kLimit);
  if (d.error) check(d.values.empty() && d.labels.empty());
  check_labels(d.labels);

  SeriesResult s = parse_series(input);
  check_error(s.error, input);
  check_labels(s.labels);

  ValuesResult v = parse_values(input, kLimit);
  check_error(v.error, input);
  check(v.values.size() <= kLimit);
  // Histograms: one entry per value when any, each printable in bounded space (buckets that lie
  // far apart must not print as billions of zeros).
  check(v.histograms.empty() || v.histograms.size() == v.values.size());
  for (std::size_t i = 0; i < v.histograms.size() && i < 64; ++i) {
    if (!v.histograms[i].h) continue;
    check(v.values[i].has_value());
    // At most 2^20 empty buckets between two written ones (see test_expression), else pairs.
    check(test_expression(*v.histograms[i].h).size() < (std::size_t{4} << 20) + 64 * (input.size() + 64));
  }
  return 0;
}
