#include <algorithm>
#include <cmath>
#include <cstring>
#include <regex>
#include <set>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::catalog {

namespace {

const std::vector<std::string> kUnits = {"seconds", "bytes", "percent", "ratio", "count", "none"};
const std::vector<std::string> kStages = {"training", "inference", "symbolic", "knowledge_graph",
                                          "system",   "errors",    "app"};

bool valid_metric_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool valid_label_name(std::string_view s) {
  return valid_metric_name(s) && s.find(':') == std::string_view::npos && !util::starts_with(s, "__");
}

class Loader {
public:
  Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) : y_(src, diags), diags_(diags) {}

  Catalog run() {
    Catalog cat;
    cat.path = y_.source().path();
    auto root = y_.parse();
    if (!root) return cat;
    if (!root->is_map()) {
      y_.report(*root, "catalog/structure", "a catalog must be a mapping with a 'metrics' list");
      return cat;
    }
    y_.check_mapping(*root,
                     {"catalog_version", "metrics", "prometheus_series", "target_labels", "external_prefixes", "jobs"},
                     "the catalog");
    if (auto v = (*root)["catalog_version"]; v) {
      auto n = y_.number(v, "catalog_version");
      if (n && *n != 1) y_.report(v, "catalog/version", "unsupported catalog_version (this nsmon reads version 1)");
    }
    auto metrics = (*root)["metrics"];
    if (!metrics) y_.report(*root, "catalog/structure", "the catalog has no 'metrics' list");
    cat.metrics = metric_list(metrics, false);
    cat.prometheus_series = metric_list((*root)["prometheus_series"], true);
    if (auto t = (*root)["target_labels"]; t)
      if (auto v = y_.strings(t, "target_labels")) cat.target_labels = *v;
    if (auto e = (*root)["external_prefixes"]; e)
      if (auto v = y_.strings(e, "external_prefixes")) cat.external_prefixes = *v;
    if (auto j = (*root)["jobs"]; j)
      if (auto v = y_.strings(j, "jobs")) cat.jobs = *v;
    cross_checks(cat);
    cat.reindex();
    return cat;
  }

private:
  std::vector<Metric> metric_list(const yaml::Node& list, bool prometheus) {
    std::vector<Metric> out;
    if (!list) return out;
    if (!list.is_sequence()) {
      y_.report(list, "yaml/type", "a list of metrics is expected here");
      return out;
    }
    for (const auto& item : list)
      if (auto m = metric(item, prometheus)) out.push_back(std::move(*m));
    return out;
  }

  std::optional<Metric> metric(const yaml::Node& n, bool prometheus) {
    if (!y_.check_mapping(n,
                          {"name", "type", "help", "unit", "stage", "source", "labels", "buckets", "renamed_from",
                           "extension", "open_labels"},
                          "a metric"))
      return std::nullopt;
    Metric m;
    m.prometheus = prometheus;
    m.span = y_.span(n);
    auto name = required(n, "name", "a metric");
    if (!name) return std::nullopt;
    m.name = *name;
    if (!valid_metric_name(m.name)) y_.report(n["name"], "catalog/name", "'" + m.name + "' is not a valid metric name");
    std::string what = "metric " + m.name;
    if (auto t = required(n, "type", what)) {
      if (auto mt = parse_metric_type(*t)) m.type = *mt;
      else
        y_.report(n["type"], "catalog/type",
                  "unknown metric type '" + *t + "' (counter, gauge, histogram, summary, info)",
                  suggestion(*t, {"counter", "gauge", "histogram", "summary", "info"}));
    }
    if (auto h = required(n, "help", what)) m.help = *h;
    if (prometheus) {
      m.unit = n["unit"] ? y_.string(n["unit"], "unit").value_or("none") : "none";
      m.stage = "prometheus";
    } else {
      if (auto u = required(n, "unit", what)) m.unit = *u;
      if (auto s = required(n, "stage", what)) m.stage = *s;
      if (n["stage"] && std::find(kStages.begin(), kStages.end(), m.stage) == kStages.end())
        y_.report(n["stage"], "catalog/stage", "unknown stage '" + m.stage + "'", suggestion(m.stage, kStages));
    }
    if (n["unit"] && std::find(kUnits.begin(), kUnits.end(), m.unit) == kUnits.end())
      y_.report(n["unit"], "catalog/unit", "unknown unit '" + m.unit + "' (" + util::join(kUnits, ", ") + ")",
                suggestion(m.unit, kUnits));
    if (auto s = n["source"]) m.source = y_.string(s, "source").value_or("");
    if (auto e = n["extension"]) m.extension = y_.string(e, "extension").value_or("");
    if (auto o = n["open_labels"]) m.open_labels = y_.boolean(o, "open_labels").value_or(false);
    if (auto r = n["renamed_from"]) m.renamed_from = y_.strings(r, "renamed_from").value_or(std::vector<std::string>{});
    if (auto l = n["labels"]) m.labels = labels(l, m);
    buckets(n, m);
    reserved_suffix(n, m);
    if (m.type == MetricType::counter && !prometheus && !util::ends_with(m.name, "_total"))
      y_.report(n["name"], "catalog/name", "counter '" + m.name + "' must be named with its exposed '_total' suffix",
                "name it '" + m.name + "_total'");
    return m;
  }

  // promtool check metrics (promlint) warns on every scrape of such a name; lint-metrics leaves
  // a name the catalog declares to this check, said once where the contract is written.
  void reserved_suffix(const yaml::Node& n, const Metric& m) {
    if (m.prometheus || m.type == MetricType::histogram || m.type == MetricType::summary) return;
    for (const char* sfx : {"_bucket", "_count", "_sum"})
      if (util::ends_with(m.name, sfx))
        y_.report(n["name"], "catalog/reserved-suffix",
                  std::string(to_string(m.type)) + " " + m.name + " ends in " + sfx +
                      ", a suffix Prometheus reserves for the series of histograms and summaries: promtool check "
                      "metrics warns on every scrape of it",
                  "name a new metric without it (" + m.name.substr(0, m.name.size() - std::strlen(sfx)) +
                      "); rename one that rules and dashboards read with renamed_from");
  }

  std::vector<Label> labels(const yaml::Node& n, const Metric& m) {
    std::vector<Label> out;
    if (!n.is_map()) {
      y_.report(n, "yaml/type", "labels must be a mapping of label name to its description");
      return out;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      Label l;
      l.name = it->first.scalar();
      if (m.label(l.name) || std::any_of(out.begin(), out.end(), [&](const Label& o) { return o.name == l.name; }))
        y_.report(it->first, "yaml/duplicate-key", "label '" + l.name + "' is listed twice");
      if (!valid_label_name(l.name))
        y_.report(it->first, "catalog/label", "'" + l.name + "' is not a valid label name");
      if ((m.type == MetricType::histogram && l.name == "le") ||
          (m.type == MetricType::summary && l.name == "quantile"))
        y_.report(it->first, "catalog/label", "label '" + l.name + "' is reserved for " + to_string(m.type) + "s");
      yaml::Node spec = it->second; // a copy: the iterator hands out a temporary
      if (spec.is_null()) {
        out.push_back(std::move(l));
        continue;
      }
      if (y_.check_mapping(spec, {"values", "high_cardinality", "role", "help"}, "label " + l.name)) {
        if (auto v = spec["values"]) {
          l.values = y_.strings(v, "values").value_or(std::vector<std::string>{});
          if (l.values.empty() && v.is_sequence()) y_.report(v, "catalog/label", "a fixed value set cannot be empty");
        }
        if (auto h = spec["high_cardinality"]) l.high_cardinality = y_.boolean(h, "high_cardinality").value_or(false);
        if (auto h = spec["help"]) l.help = y_.string(h, "help").value_or("");
        if (auto r = spec["role"]) {
          const std::string role = y_.string(r, "role").value_or("");
          if (role == "sequence") l.role = LabelRole::sequence;
          else if (role == "entity") l.role = LabelRole::entity;
          else if (!role.empty()) y_.report(r, "catalog/label", "role must be sequence or entity, not '" + role + "'");
        }
      }
      out.push_back(std::move(l));
    }
    return out;
  }

  void buckets(const yaml::Node& n, Metric& m) {
    auto b = n["buckets"];
    if (!b) {
      if (m.type == MetricType::histogram) y_.report(n, "catalog/buckets", "histogram " + m.name + " has no buckets");
      return;
    }
    if (m.type != MetricType::histogram) {
      y_.report(b, "catalog/buckets", "only histograms have buckets; " + m.name + " is a " + to_string(m.type));
      return;
    }
    if (!b.is_sequence() || b.size() == 0) {
      y_.report(b, "catalog/buckets", "buckets must be a non-empty list of numbers");
      return;
    }
    for (const auto& item : b) {
      auto v = y_.number(item, "a bucket bound");
      if (!v) continue;
      if (!std::isfinite(*v)) y_.report(item, "catalog/buckets", "bucket bounds are finite; +Inf is implied");
      else if (!m.buckets.empty() && *v <= m.buckets.back())
        y_.report(item, "catalog/buckets", "bucket bounds must increase");
      else m.buckets.push_back(*v);
    }
  }

  std::optional<std::string> required(const yaml::Node& n, const char* key, const std::string& what) {
    auto v = n[key];
    if (!v) {
      y_.report(n, "catalog/missing-field", what + " has no '" + key + "'");
      return std::nullopt;
    }
    return y_.string(v, key);
  }

  static std::string suggestion(const std::string& s, const std::vector<std::string>& candidates) {
    std::string hint = util::did_you_mean(s, candidates);
    return hint.empty() ? "" : "did you mean '" + hint + "'?";
  }

  void cross_checks(const Catalog& cat) {
    std::set<std::string> names;
    for (const auto* list : {&cat.metrics, &cat.prometheus_series})
      for (const auto& m : *list)
        if (!names.insert(m.name).second) diag(m.span, "catalog/duplicate", "metric '" + m.name + "' is defined twice");
    for (const auto& m : cat.metrics)
      for (const auto& r : m.renamed_from)
        if (names.count(r)) diag(m.span, "catalog/duplicate", "renamed_from '" + r + "' is also a current metric name");
  }

  void diag(const core::Span& at, core::CheckId check, std::string msg) {
    diags_.push_back(core::make_diagnostic(check, at, std::move(msg)));
  }

  core::YamlReader y_;
  std::vector<core::Diagnostic>& diags_;
};

} // namespace

Catalog load(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) { return Loader(src, diags).run(); }

} // namespace nsmon::catalog
