#include "nsmon/slo/spec.hpp"

#include <cmath>
#include <cstdlib>

#include "nsmon/core/yaml.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/util/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::slo {

namespace {

class Loader {
public:
  Loader(const core::SourceFile& src, const catalog::Catalog& cat, std::vector<core::Diagnostic>& diags)
      : y_(src, diags), cat_(cat) {}

  Spec run() {
    Spec spec;
    spec.path = y_.source().path();
    auto root = y_.parse();
    if (!root || root->IsNull()) return spec;
    if (!y_.check_mapping(*root, {"version", "service", "labels", "slos"}, "an SLO spec")) return spec;
    std::string version = "nsmon/v1";
    if (auto v = (*root)["version"]) version = y_.string(v, "version").value_or(version);
    sloth_ = version == "prometheus/v1";
    if (!sloth_ && version != "nsmon/v1")
      y_.report((*root)["version"], "yaml/type",
                "unknown version '" + version + "' (nsmon/v1 or Sloth's prometheus/v1)");
    if (auto s = (*root)["service"]) spec.service = y_.string(s, "service").value_or("");
    if (auto l = (*root)["labels"]) spec.labels = labels(l, "labels");
    auto list = (*root)["slos"];
    if (!list || !list.IsSequence()) {
      y_.report(list ? list : *root, "yaml/type", "slos must be a list");
      return spec;
    }
    for (const auto& n : list)
      if (auto s = slo(n)) spec.slos.push_back(std::move(*s));
    return spec;
  }

private:
  std::map<std::string, std::string> labels(const yaml::Node& n, const std::string& what) {
    std::map<std::string, std::string> out;
    if (!n.IsMap()) {
      y_.report(n, "yaml/type", what + " must be a mapping of label names to values");
      return out;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      auto k = y_.string(it->first, what + " names");
      auto v = y_.string(it->second, what + " values");
      if (k && v) out[*k] = *v;
    }
    return out;
  }

  std::optional<Slo> slo(const yaml::Node& n) {
    std::vector<std::string> fields = {"name", "objective", "window", "description", "sli", "min_events_per_hour"};
    if (sloth_) fields = {"name", "objective", "description", "sli", "alerting", "labels"};
    if (!y_.check_mapping(n, fields, "an SLO")) return std::nullopt;
    Slo s;
    s.span = y_.span(n);
    auto name = n["name"];
    if (!name) {
      y_.report(n, "slo/objective", "an SLO needs a name");
      return std::nullopt;
    }
    s.name = y_.string(name, "name").value_or("");
    if (auto d = n["description"]) s.description = y_.string(d, "description").value_or("");
    objective(n, s);
    if (auto w = n["window"]) {
      auto ms = w.IsScalar() ? util::parse_duration(w.Scalar()) : std::nullopt;
      if (!ms) y_.report(w, "slo/window", "window must be a duration (30d, 4w)");
      else if (*ms < 24LL * 3600 * 1000 || *ms > 366LL * 24 * 3600 * 1000)
        y_.report(w, "slo/window", "an SLO window of " + std::string(w.Scalar()) + " is not sane: between 1d and 1y",
                  "30d is the usual one (the burn-rate windows up to 3d need at least 3d to mean anything)");
      else {
        s.window_ms = *ms;
        if (*ms < 3LL * 24 * 3600 * 1000)
          y_.report(w, "slo/window", "window " + std::string(w.Scalar()) + " is shorter than the 3d burn-rate window")
              .severity = core::Severity::warning;
      }
    }
    if (auto g = n["min_events_per_hour"]) s.min_events_per_hour = y_.number(g, "min_events_per_hour").value_or(0);
    auto sli = n["sli"];
    if (!sli || !sli.IsMap()) {
      y_.report(sli ? sli : n, "yaml/type", "an SLO needs an sli");
      return std::nullopt;
    }
    if (sloth_) sloth_sli(sli, s);
    else own_sli(sli, s);
    if (sloth_)
      if (auto a = n["alerting"]) alerting(a, s);
    return s;
  }

  void objective(const yaml::Node& n, Slo& s) {
    auto o = n["objective"];
    auto v = o ? y_.number(o, "objective") : std::nullopt;
    if (!o) y_.report(n, "slo/objective", "an SLO needs an objective");
    if (!v) return;
    double ratio = sloth_ ? *v / 100 : *v; // Sloth gives 99.9
    if (!(ratio > 0 && ratio < 1)) {
      std::string hint = !sloth_ && *v > 1 && *v < 100 ? "a ratio: write " + util::format_number(*v / 100) : "";
      y_.report(o, "slo/objective",
                "objective " + std::string(o.Scalar()) + " is not in (0, " + (sloth_ ? "100" : "1") + ")" +
                    (sloth_ ? " percent" : ""),
                hint);
      return;
    }
    s.objective = ratio;
  }

  void own_sli(const yaml::Node& sli, Slo& s) {
    if (!y_.check_mapping(sli, {"errors", "total", "latency", "up"}, "an sli")) return;
    if (sli["errors"] || sli["total"]) {
      s.kind = Slo::Kind::events;
      auto e = sli["errors"], t = sli["total"];
      if (!e || !t) {
        y_.report(sli, "yaml/type", "an events sli needs both errors and total");
        return;
      }
      s.errors = y_.string(e, "errors").value_or("");
      s.total = y_.string(t, "total").value_or("");
      auto es = counter(e, s.errors), ts = counter(t, s.total);
      if (es && ts) same_events(e, *es, *ts);
    } else if (auto l = sli["latency"]) {
      s.kind = Slo::Kind::latency;
      if (!y_.check_mapping(l, {"metric", "le"}, "a latency sli")) return;
      s.metric = l["metric"] ? y_.string(l["metric"], "metric").value_or("") : "";
      s.le = l["le"] ? y_.string(l["le"], "le").value_or("") : "";
      const catalog::Metric* m = cat_.find(s.metric);
      if (!m || m->type != catalog::MetricType::histogram) {
        y_.report(l["metric"] ? l["metric"] : l, "slo/metric", "'" + s.metric + "' is not a histogram of the catalog");
        return;
      }
      char* end = nullptr;
      double le = std::strtod(s.le.c_str(), &end);
      bool bound = end && *end == '\0' && !s.le.empty();
      bool found = false;
      for (double b : m->buckets) found = found || (bound && std::fabs(b - le) <= 1e-12 * std::max(1.0, std::fabs(b)));
      if (!found) {
        std::string bounds;
        for (double b : m->buckets) bounds += (bounds.empty() ? "" : ", ") + util::format_number(b);
        y_.report(l["le"] ? l["le"] : l, "slo/threshold",
                  "le " + s.le + " is not a bucket bound of " + s.metric +
                      ": the ratio of requests under it cannot "
                      "be computed, only estimated",
                  "one of " + bounds);
      }
    } else if (auto u = sli["up"]) {
      s.kind = Slo::Kind::up;
      s.up_labels = labels(u, "up");
    } else {
      y_.report(sli, "yaml/type", "an sli is errors/total, latency or up");
    }
  }

  // A counter selector of the catalog: its metric and matchers, or nullopt (reported).
  struct Selector {
    std::string metric;
    std::vector<promql::Matcher> matchers;
  };
  std::optional<Selector> counter(const yaml::Node& at, const std::string& text) {
    auto parsed = promql::parse(text);
    if (!parsed.ok() || parsed.expr()->kind != promql::NodeKind::vector_selector) {
      y_.report(at, "slo/metric", "'" + text + "' is not a series selector (metric{label=\"value\"})");
      return std::nullopt;
    }
    const auto& vs = parsed.expr()->as<promql::VectorSelector>();
    Selector sel{vs.name, {}};
    for (const auto& m : vs.matchers)
      if (m.name != "__name__") sel.matchers.push_back(m);
    auto ref = cat_.resolve(sel.metric);
    bool counter =
        ref && ref->metric &&
        ((ref->metric->type == catalog::MetricType::counter && ref->suffix.empty()) || ref->suffix == "_count");
    if (!counter) {
      y_.report(at, "slo/metric",
                "'" + sel.metric + "' is not a counter of the catalog (a counter, or a histogram's _count)");
      return std::nullopt;
    }
    for (const auto& m : sel.matchers) {
      const catalog::Label* l = ref->metric->label(m.name);
      if (!l && m.name != "job" && m.name != "instance") {
        y_.report(at, "slo/label", sel.metric + " has no label " + m.name);
        continue;
      }
      if (l && !l->values.empty() && m.op == promql::MatchOp::equal &&
          std::find(l->values.begin(), l->values.end(), m.value) == l->values.end())
        y_.report(at, "slo/label",
                  "label " + m.name + " of " + sel.metric + " never has the value \"" + m.value +
                      "\" (values: " + util::join(l->values, ", ") + ")");
    }
    return sel;
  }

  // Errors must be a subset of the total: the same counter with more matchers. Different counters
  // may count different things (an error the total never counted makes a ratio above 1).
  void same_events(const yaml::Node& at, const Selector& errors, const Selector& total) {
    if (errors.metric != total.metric) {
      y_.report(at, "slo/events",
                "errors (" + errors.metric + ") and total (" + total.metric +
                    ") are different counters: make sure every error is also counted in the total");
      return;
    }
    for (const auto& t : total.matchers) {
      bool kept = false;
      for (const auto& e : errors.matchers) kept = kept || (e.name == t.name && e.op == t.op && e.value == t.value);
      if (!kept)
        y_.report(at, "slo/events",
                  "errors drop the total's matcher " + t.name + ": they count events the total does not")
            .severity = core::Severity::error;
    }
    if (errors.matchers.size() <= total.matchers.size())
      y_.report(at, "slo/events", "errors select the same series as the total: the error ratio is always 1").severity =
          core::Severity::error;
  }

  void sloth_sli(const yaml::Node& sli, Slo& s) {
    if (!y_.check_mapping(sli, {"events", "raw", "plugin"}, "an sli")) return;
    if (auto e = sli["events"]) {
      if (!y_.check_mapping(e, {"error_query", "total_query"}, "events")) return;
      s.kind = Slo::Kind::events;
      s.sloth_queries = true;
      s.errors = e["error_query"] ? y_.string(e["error_query"], "error_query").value_or("") : "";
      s.total = e["total_query"] ? y_.string(e["total_query"], "total_query").value_or("") : "";
    } else if (auto r = sli["raw"]) {
      if (!y_.check_mapping(r, {"error_ratio_query"}, "raw")) return;
      s.kind = Slo::Kind::raw;
      s.raw_error_ratio =
          r["error_ratio_query"] ? y_.string(r["error_ratio_query"], "error_ratio_query").value_or("") : "";
    } else {
      y_.report(sli, "yaml/type", "an sli is events or raw (Sloth plugins are not supported)");
    }
    for (const std::string* q : {&s.errors, &s.total, &s.raw_error_ratio})
      if (!q->empty() && q->find("{{.window}}") == std::string::npos)
        y_.report(sli, "slo/metric", "query without {{.window}}: " + *q);
  }

  void alerting(const yaml::Node& a, Slo& s) {
    if (!y_.check_mapping(a, {"name", "labels", "annotations", "page_alert", "ticket_alert"}, "alerting")) return;
    if (auto n = a["name"]) s.alert_name = y_.string(n, "name").value_or("");
    if (auto l = a["labels"]) s.alert_labels = labels(l, "labels");
    if (auto l = a["annotations"]) s.alert_annotations = labels(l, "annotations");
    for (auto [key, into] : {std::pair{"page_alert", &s.page_labels}, std::pair{"ticket_alert", &s.ticket_labels}})
      if (auto p = a[key]; p && p.IsMap())
        if (auto l = p["labels"]) *into = labels(l, "labels");
  }

  core::YamlReader y_;
  const catalog::Catalog& cat_;
  bool sloth_ = false;
};

} // namespace

Spec load_spec(const core::SourceFile& src, const catalog::Catalog& cat, std::vector<core::Diagnostic>& diags) {
  return Loader(src, cat, diags).run();
}

} // namespace nsmon::slo
