// promtool check metrics' naming rules: a port of client_golang's promlint (the version Debian's
// Prometheus 2.42 promtool links), with promlint's messages word for word so that a finding can be
// looked up in promtool's documentation. Two deliberate differences: where promlint iterates a Go
// map (units, metric types) the order here is fixed, and identical problems of one family are
// reported once (promtool repeats one per offending sample).
#include <algorithm>
#include <array>

#include "nsmon/lint/metrics_checks.hpp"

namespace nsmon::lint {

namespace {

struct Unit {
  std::string_view unit, base;
};

// promlint's `units`: base units map to themselves.
constexpr std::array<Unit, 24> kUnits = {{
    {"amperes", "amperes"}, {"bytes", "bytes"},     {"celsius", "celsius"}, {"grams", "grams"},
    {"joules", "joules"},   {"kelvin", "kelvin"},   {"meters", "meters"},   {"metres", "metres"},
    {"seconds", "seconds"}, {"volts", "volts"},     {"minutes", "seconds"}, {"hours", "seconds"},
    {"days", "seconds"},    {"weeks", "seconds"},   {"kelvins", "kelvin"},  {"fahrenheit", "celsius"},
    {"rankine", "celsius"}, {"inches", "meters"},   {"yards", "meters"},    {"miles", "meters"},
    {"bits", "bytes"},      {"calories", "joules"}, {"pounds", "grams"},    {"ounces", "grams"},
}};

constexpr std::array<std::string_view, 18> kPrefixes = {"pico", "nano",  "micro", "milli", "centi", "deci",
                                                        "deca", "hecto", "kilo",  "kibi",  "mega",  "mibi",
                                                        "giga", "gibi",  "tera",  "tebi",  "peta",  "pebi"};

constexpr std::array<std::string_view, 14> kAbbreviations = {"s",  "ms", "us", "ns", "sec", "b", "kb",
                                                             "mb", "gb", "tb", "pb", "m",   "h", "d"};

// The metric types promlint looks for in names (client_model's MetricType names but UNTYPED).
constexpr std::array<std::string_view, 5> kTypeWords = {"counter", "gauge", "summary", "histogram", "gauge_histogram"};

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// "_w_" inside or "_w" at the end of the lower-cased name.
bool has_word(std::string_view lower, std::string_view w) {
  for (std::size_t at = lower.find(w); at != std::string_view::npos; at = lower.find(w, at + 1)) {
    if (at == 0 || lower[at - 1] != '_') continue;
    std::size_t end = at + w.size();
    if (end == lower.size() || lower[end] == '_') return true;
  }
  return false;
}

// promlint's camelCase regexp: [a-z][A-Z].
bool camel_case(std::string_view s) {
  for (std::size_t i = 1; i < s.size(); ++i)
    if (s[i - 1] >= 'a' && s[i - 1] <= 'z' && s[i] >= 'A' && s[i] <= 'Z') return true;
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

void add(std::vector<NamingProblem>& out, core::CheckId check, std::string message) {
  for (const auto& p : out)
    if (p.message == message) return;
  out.push_back({check, std::move(message)});
}

} // namespace

UnitWord unit_in_name(std::string_view name) {
  std::vector<std::string_view> words;
  std::size_t from = 0;
  while (from <= name.size()) {
    std::size_t to = std::min(name.find('_', from), name.size());
    words.push_back(name.substr(from, to - from));
    from = to + 1;
  }
  for (const auto& u : kUnits) {
    // A known prefix first, then none: "kilometers" is a unit, "thermometers" is not.
    for (std::size_t p = 0; p <= kPrefixes.size(); ++p) {
      std::string_view prefix = p < kPrefixes.size() ? kPrefixes[p] : std::string_view();
      for (auto w : words)
        if (w.size() == prefix.size() + u.unit.size() && w.substr(0, prefix.size()) == prefix &&
            w.substr(prefix.size()) == u.unit)
          return {std::string(w), std::string(u.base)};
    }
  }
  return {};
}

void naming_problems(std::string_view name, expfmt::MetricType type, bool has_help, std::vector<NamingProblem>& out) {
  using T = expfmt::MetricType;
  if (!has_help) add(out, "metrics/no-help", "no help text");

  UnitWord u = unit_in_name(name);
  if (!u.unit.empty() && u.unit != u.base)
    add(out, "metrics/base-unit", "use base unit \"" + u.base + "\" instead of \"" + u.unit + "\"");

  const bool counter = type == T::counter, untyped = type == T::unknown;
  const bool total = ends_with(name, "_total");
  if (counter && !total) add(out, "metrics/counter-total", "counter metrics should have \"_total\" suffix");
  else if (!untyped && !counter && total)
    add(out, "metrics/non-counter-total", "non-counter metrics should not have \"_total\" suffix");

  if (!untyped) {
    const bool histogram = type == T::histogram, summary = type == T::summary;
    if (!histogram && ends_with(name, "_bucket"))
      add(out, "metrics/reserved-suffix", "non-histogram metrics should not have \"_bucket\" suffix");
    if (!histogram && !summary && ends_with(name, "_count"))
      add(out, "metrics/reserved-suffix", "non-histogram and non-summary metrics should not have \"_count\" suffix");
    if (!histogram && !summary && ends_with(name, "_sum"))
      add(out, "metrics/reserved-suffix", "non-histogram and non-summary metrics should not have \"_sum\" suffix");
  }

  const std::string low = lower(name);
  for (auto t : kTypeWords)
    if (has_word(low, t))
      add(out, "metrics/type-in-name", "metric name should not include type '" + std::string(t) + "'");
  if (name.find(':') != std::string_view::npos) add(out, "metrics/colon", "metric names should not contain ':'");
  if (camel_case(name))
    add(out, "metrics/camel-case", "metric names should be written in 'snake_case' not 'camelCase'");
  for (auto a : kAbbreviations)
    if (has_word(low, a)) add(out, "metrics/unit-abbreviation", "metric names should not contain abbreviated units");
}

void label_naming_problems(std::string_view label, expfmt::MetricType type, std::vector<NamingProblem>& out) {
  using T = expfmt::MetricType;
  if (type != T::unknown) {
    if (type != T::histogram && label == "le")
      add(out, "metrics/reserved-label", "non-histogram metrics should not have \"le\" label");
    if (type != T::summary && label == "quantile")
      add(out, "metrics/reserved-label", "non-summary metrics should not have \"quantile\" label");
  }
  if (camel_case(label))
    add(out, "metrics/camel-case", "label names should be written in 'snake_case' not 'camelCase'");
}

} // namespace nsmon::lint
