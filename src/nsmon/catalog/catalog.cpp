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
  auto it = by_series_.find(name);
  if (it == by_series_.end() || !it->second.suffix.empty()) return nullptr;
  return &metric_at(it->second);
}

const Metric* Catalog::renamed_to(std::string_view old_name) const {
  auto it = by_old_name_.find(old_name);
  return it == by_old_name_.end() ? nullptr : &metrics[it->second];
}

void Catalog::reindex() {
  by_series_.clear();
  by_old_name_.clear();
  for (bool prom : {false, true}) {
    const auto& list = prom ? prometheus_series : metrics;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Metric& m = list[i];
      bool base_exists = m.type != MetricType::histogram && m.type != MetricType::summary && m.type != MetricType::info;
      by_series_.emplace(m.name, Entry{prom, i, "", base_exists});
      for (const auto& n : wire_names(m))
        if (n != m.name) by_series_.emplace(n, Entry{prom, i, n.substr(n.rfind('_')), true});
      if (!prom)
        for (const auto& r : m.renamed_from) by_old_name_.emplace(r, i);
    }
  }
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
  auto it = by_series_.find(series);
  if (it == by_series_.end()) return std::nullopt;
  return SeriesRef{&metric_at(it->second), it->second.suffix, it->second.exists};
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

const Catalog& none() {
  static const Catalog cat = [] {
    // Prometheus's own series (up, ALERTS, scrape_*) and the target labels stay: they are the
    // same for every application.
    Catalog c = embedded();
    c.path = "none";
    c.metrics.clear();
    c.external_prefixes = {""};
    c.reindex();
    return c;
  }();
  return cat;
}

} // namespace nsmon::catalog
