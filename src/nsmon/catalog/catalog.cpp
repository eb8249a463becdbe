#include "nsmon/catalog/catalog.hpp"

#include "nsmon/core/error.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::embedded {
extern const std::string_view catalog_yml;
}

namespace nsmon::catalog {

const char* to_string(MetricType t) {
  switch (t) {
  case MetricType::counter: return "counter";
  case MetricType::gauge: return "gauge";
  case MetricType::histogram: return "histogram";
  case MetricType::summary: return "summary";
  case MetricType::info: return "info";
  }
  return "gauge";
}

std::optional<MetricType> parse_metric_type(std::string_view s) {
  for (auto t : {MetricType::counter, MetricType::gauge, MetricType::histogram, MetricType::summary, MetricType::info})
    if (s == to_string(t)) return t;
  return std::nullopt;
}

const Label* Metric::label(std::string_view n) const {
  for (const auto& l : labels)
    if (l.name == n) return &l;
  return nullptr;
}

const Metric* Catalog::find(std::string_view name) const {
  for (const auto* list : {&metrics, &prometheus_series})
    for (const auto& m : *list)
      if (m.name == name) return &m;
  return nullptr;
}

const Metric* Catalog::renamed_to(std::string_view old_name) const {
  for (const auto& m : metrics)
    for (const auto& r : m.renamed_from)
      if (r == old_name) return &m;
  return nullptr;
}

std::vector<std::string> Catalog::wire_names(const Metric& m) {
  std::string base = m.name;
  switch (m.type) {
  case MetricType::counter: {
    std::string stem = util::ends_with(base, "_total") ? base.substr(0, base.size() - 6) : base;
    if (m.prometheus) return {base};
    return {base, stem + "_created"};
  }
  case MetricType::histogram:
    // With a negative bucket bound the sum is meaningless and is not exposed (OpenMetrics;
    // prometheus_client follows it).
    if (!m.buckets.empty() && m.buckets.front() < 0) return {base + "_bucket", base + "_count", base + "_created"};
    return {base + "_bucket", base + "_count", base + "_sum", base + "_created"};
  case MetricType::summary: return {base + "_count", base + "_sum", base + "_created"};
  case MetricType::info: return {base + "_info"};
  case MetricType::gauge: return {base};
  }
  return {base};
}

std::optional<SeriesRef> Catalog::resolve(std::string_view series) const {
  if (const Metric* m = find(series)) {
    bool exists = m->type != MetricType::histogram && m->type != MetricType::summary && m->type != MetricType::info;
    return SeriesRef{m, "", exists};
  }
  for (const auto* list : {&metrics, &prometheus_series})
    for (const auto& m : *list) {
      auto names = wire_names(m);
      for (const auto& n : names) {
        if (n != series) continue;
        std::string suffix = n.substr(n.rfind('_'));
        return SeriesRef{&m, suffix, true};
      }
    }
  return std::nullopt;
}

bool Catalog::is_external(std::string_view name) const {
  for (const auto& p : external_prefixes)
    if (util::starts_with(name, p)) return true;
  return false;
}

std::vector<std::string> Catalog::all_series_names() const {
  std::vector<std::string> out;
  for (const auto* list : {&metrics, &prometheus_series})
    for (const auto& m : *list)
      for (auto& n : wire_names(m)) out.push_back(std::move(n));
  return out;
}

std::string_view embedded_text() { return embedded::catalog_yml; }

const Catalog& embedded() {
  static const Catalog cat = [] {
    core::SourceFile src("<embedded catalog>", std::string(embedded_text()));
    std::vector<core::Diagnostic> diags;
    Catalog c = load(src, diags);
    for (const auto& d : diags)
      if (d.severity == core::Severity::error)
        throw Error("the embedded catalog is invalid: " + d.message); // a build defect; tests prevent it
    return c;
  }();
  return cat;
}

} // namespace nsmon::catalog
