#include "nsmon/slo/spec.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <re2/re2.h>

#include "nsmon/core/yaml.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/sloth.hpp"
#include "nsmon/text/duration.hpp"
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
    if (!root || root->is_null()) return spec;
    if (!root->is_map()) {
      y_.report(*root, "yaml/type", "an SLO spec must be a mapping");
      return spec;
    }
    yaml::Node body = *root;
    if (auto kind = (*root)["kind"]) {
      if (!kind.is_scalar() || kind.scalar() != "PrometheusServiceLevel") {
        y_.report(kind, "yaml/type",
                  "kind " + std::string(kind.is_scalar() ? kind.scalar() : "") +
                      " is not an SLO spec (Sloth's PrometheusServiceLevel)");
        return spec;
      }
      form_ = spec.form = Form::sloth_k8s;
      if (!y_.check_mapping(*root, {"apiVersion", "kind", "metadata", "spec"}, "a PrometheusServiceLevel")) return spec;
      auto api = (*root)["apiVersion"];
      if (!api || !api.is_scalar() || api.scalar() != "sloth.slok.dev/v1")
        y_.report(api ? api : *root, "yaml/type", "a PrometheusServiceLevel's apiVersion is sloth.slok.dev/v1");
      if (auto m = (*root)["metadata"];
          m && y_.check_mapping(m, {"name", "namespace", "labels", "annotations"}, "metadata")) {
        if (auto n = m["name"]) spec.k8s_name = y_.string(n, "name").value_or("");
        if (auto n = m["namespace"]) spec.k8s_namespace = y_.string(n, "namespace").value_or("");
        if (auto l = m["labels"]) spec.k8s_labels = labels(l, "labels", Names::kubernetes);
        if (auto l = m["annotations"]) spec.k8s_annotations = labels(l, "annotations", Names::kubernetes);
      }
      body = (*root)["spec"];
      if (!body) {
        y_.report(*root, "yaml/type", "a PrometheusServiceLevel needs a spec");
        return spec;
      }
      if (!y_.check_mapping(body, {"service", "labels", "sloPlugins", "slos"}, "a PrometheusServiceLevel's spec") ||
          no_values(body, {"service", "labels", "slos"}))
        return spec;
    } else {
      if (!y_.check_mapping(*root, {"version", "service", "labels", "slos", "slo_plugins"}, "an SLO spec")) return spec;
      if (no_values(*root, {"version", "service", "labels", "slos"})) return spec;
      std::string version = "nsmon/v1";
      if (auto v = (*root)["version"]) version = y_.string(v, "version").value_or(version);
      if (version == "prometheus/v1") form_ = spec.form = Form::sloth;
      else if (version != "nsmon/v1")
        y_.report((*root)["version"], "yaml/type",
                  "unknown version '" + version + "' (nsmon/v1, or Sloth's prometheus/v1)");
    }
    for (const char* key : {"slo_plugins", "sloPlugins"})
      if (auto p = body[key]) y_.report(p, "yaml/type", "Sloth's SLO plugins are not supported by nsmon");
    if (auto s = body["service"]) spec.service = y_.string(s, "service").value_or("");
    else if (sloth()) y_.report(body, "slo/objective", "a Sloth spec needs a service");
    if (sloth()) valid_name(body["service"], spec.service, "service");
    if (auto l = body["labels"]) spec.labels = labels(l, "labels", Names::rule_label);
    auto list = body["slos"];
    if (!list || !list.is_sequence() || (sloth() && list.size() == 0)) {
      y_.report(list ? list : body, "yaml/type", "slos must be a list of SLOs");
      return spec;
    }
    for (const auto& n : list)
      if (auto s = slo(n)) spec.slos.push_back(std::move(*s));
    return spec;
  }

private:
  // What the names of a mapping become: a generated rule's labels or annotations, the matchers of
  // a selector, or a Kubernetes object's metadata (whose names are Kubernetes', not Prometheus's).
  enum class Names { rule_label, annotation, matcher, kubernetes };

  std::map<std::string, std::string> labels(const yaml::Node& n, const std::string& what, Names names) {
    std::map<std::string, std::string> out;
    if (!n.is_map()) {
      y_.report(n, "yaml/type", what + " must be a mapping of label names to values");
      return out;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      auto k = y_.string(it->first, what + " names");
      auto v = y_.string(it->second, what + " values");
      if (!k || !v) continue;
      if (sloth() && v->empty())
        y_.report(it->second, "yaml/type", what + " " + *k + " has an empty value (Sloth refuses it)");
      // promtool 2.42 refuses a rule whose label or annotation name is not a 2.x name (Prometheus 3
      // reads UTF-8 names, lint-rules warns), and __name__ as a rule's label; in a selector such a
      // name does not parse.
      if (names == Names::rule_label && *k == "__name__")
        y_.report(it->first, "rules/label-name", "'" + *k + "' cannot be a rule label");
      else if (names != Names::kubernetes && !labels::is_legacy_label_name(*k))
        y_.report(it->first, "rules/label-name",
                  "'" + *k + "' is not a label name Prometheus 2.x reads (letters, digits and _, not starting with a " +
                      "digit): promtool 2.42 refuses the generated rules");
      out[*k] = *v;
    }
    return out;
  }

  std::optional<Slo> slo(const yaml::Node& n) {
    std::vector<std::string> fields = {"name", "objective", "window", "description", "sli", "min_events_per_hour"};
    if (sloth()) fields = {"name", "objective", "description", "sli", "alerting", "labels", "plugins"};
    if (!y_.check_mapping(n, fields, "an SLO")) return std::nullopt;
    if (no_values(n, fields)) return std::nullopt;
    Slo s;
    s.span = y_.span(n);
    auto name = n["name"];
    if (!name) {
      y_.report(n, "slo/objective", "an SLO needs a name");
      return std::nullopt;
    }
    s.name = y_.string(name, "name").value_or("");
    if (sloth()) valid_name(name, s.name, "name");
    if (auto p = n["plugins"]) y_.report(p, "yaml/type", "Sloth's SLO plugins are not supported by nsmon");
    if (auto l = n["labels"]) s.labels = labels(l, "labels", Names::rule_label);
    if (auto d = n["description"]) s.description = y_.string(d, "description").value_or("");
    objective(n, s);
    if (auto w = n["window"]) {
      auto ms = w.is_scalar() ? text::parse_duration(w.scalar()) : std::nullopt;
      if (!ms) y_.report(w, "slo/window", "window must be a duration (30d, 4w)");
      else if (*ms < 24LL * 3600 * 1000 || *ms > 366LL * 24 * 3600 * 1000)
        y_.report(w, "slo/window", "an SLO window of " + std::string(w.scalar()) + " is not sane: between 1d and 1y",
                  "30d is the usual one (the burn-rate windows up to 3d need at least 3d to mean anything)");
      else {
        s.window_ms = *ms;
        if (*ms < 3LL * 24 * 3600 * 1000)
          y_.report(w, "slo/window", "window " + std::string(w.scalar()) + " is shorter than the 3d burn-rate window")
              .severity = core::Severity::warning;
      }
    }
    if (auto g = n["min_events_per_hour"]) min_events(g, s);
    auto sli = n["sli"];
    if (!sli || !sli.is_map()) {
      y_.report(sli ? sli : n, "yaml/type", "an SLO needs an sli");
      return std::nullopt;
    }
    if (sloth()) sloth_sli(sli, s);
    else own_sli(sli, s);
    if (sloth()) alerting(n["alerting"], n, s);
    if (s.objective > 0) possible_alerts(n["objective"], s);
    return s;
  }

  void objective(const yaml::Node& n, Slo& s) {
    auto o = n["objective"];
    auto v = o ? y_.number(o, "objective") : std::nullopt;
    if (!o) y_.report(n, "slo/objective", "an SLO needs an objective");
    if (!v) return;
    if (sloth()) { // a percentage in (0, 100], as Sloth validates it
      if (!(*v > 0 && *v <= 100)) {
        y_.report(o, "slo/objective", "objective " + std::string(o.scalar()) + " is not in (0, 100] percent");
        return;
      }
      s.objective_percent = *v;
      s.objective = *v / 100;
      if (*v == 100)
        y_.report(o, "slo/objective", "objective 100 leaves no error budget: every error burns it infinitely fast")
            .severity = core::Severity::warning;
      return;
    }
    if (!(*v > 0 && *v < 1)) {
      std::string hint = *v > 1 && *v < 100 ? "a ratio: write " + util::format_number(*v / 100) : "";
      y_.report(o, "slo/objective", "objective " + std::string(o.scalar()) + " is not in (0, 1)", hint);
      return;
    }
    s.objective = *v;
    s.objective_percent = *v * 100;
  }

  // A field written without a value (`window:`) is YAML's null, which the parser places where the
  // next token starts, often on the next line: it is reported at its key.
  bool no_value(const yaml::Node& map, const std::string& key) {
    auto v = map[key];
    if (!v || !v.is_null()) return false;
    for (auto it = map.begin(); it != map.end(); ++it)
      if (it->first.is_scalar() && it->first.scalar() == key) y_.report(it->first, "yaml/type", key + " has no value");
    return true;
  }
  bool no_values(const yaml::Node& map, const std::vector<std::string>& keys) {
    bool any = false;
    for (const auto& k : keys) any = no_value(map, k) || any;
    return any;
  }

  // The traffic guard: a count of events, 0 for none. Below 0 (or NaN) the guard is always true
  // and guards nothing; at infinity it is never true and the alerts never fire.
  void min_events(const yaml::Node& g, Slo& s) {
    auto v = y_.number(g, "min_events_per_hour");
    if (!v) return;
    if (!(*v >= 0 && std::isfinite(*v))) {
      y_.report(g, "yaml/type",
                "min_events_per_hour " + std::string(g.scalar()) +
                    " is not a number of events, 0 or more (the burn-rate alerts stay silent below it)",
                *v < 0 ? "0 for no guard" : "");
      return;
    }
    s.min_events_per_hour = *v;
  }

  // A burn-rate alert fires when the error ratio passes factor × (1 - objective): at 1 or above,
  // no error ratio can (errors are some of the events). nsmon's four alerts have one factor each;
  // Sloth's page and ticket alerts two conditions each (quick or slow). An alert that can never
  // fire is an error; a Sloth alert one of whose conditions can still hold still fires, on that
  // one: a warning. The suggestion gives the factors that can fire, and the objective (or window)
  // that brings the others back.
  void possible_alerts(const yaml::Node& at, const Slo& s) {
    struct Rate {
      std::string name;  ///< "1h (page)"; Sloth: "quick (5m and 1h)"
      std::string label; ///< in the suggestion: "1h, page"; Sloth: "page, quick"
      double factor;
      double budget_share; ///< of the error budget spent within the long window
      std::int64_t long_ms;
    };
    const double budget = 1 - s.objective;
    const auto threshold = [&](const Rate& r) {
      return rule_number(r.factor) + " × " + rule_number(budget) + " = " + rule_number(r.factor * budget);
    };
    std::vector<Rate> dead, alive;
    std::vector<std::string> clauses;
    bool never_fires = false;
    if (!sloth()) {
      for (const auto& b : burn_rates()) {
        Rate r{std::string(b.long_window) + " (" + b.kind + ")", std::string(b.long_window) + ", " + b.kind,
               factor(b, s), b.budget, *text::parse_duration(b.long_window)};
        (r.factor * budget >= 1 ? dead : alive).push_back(r);
      }
      if (!dead.empty()) {
        std::vector<std::string> names, thresholds;
        for (const auto& r : dead) names.push_back(r.name), thresholds.push_back(threshold(r));
        const bool one = dead.size() == 1;
        clauses.push_back("the " + util::word_list(names) + (one ? " burn-rate alert" : " burn-rate alerts") +
                          ", above " + util::word_list(thresholds) + ", can never fire");
        never_fires = true;
      }
    } else {
      for (bool page : {true, false}) {
        if ((page ? s.page : s.ticket).disable) continue;
        const std::string alert = page ? "page" : "ticket";
        std::vector<Rate> here;
        std::vector<bool> quick_dead;
        for (bool quick : {true, false}) {
          const SlothCondition c = sloth_condition(s, page, quick);
          const std::string kind = quick ? "quick" : "slow";
          Rate r{kind + ", " + text::format_duration(c.short_ms) + " and " + text::format_duration(c.long_ms),
                 alert + ", " + kind, c.factor,
                 c.factor * static_cast<double>(c.long_ms) / static_cast<double>(s.window_ms), c.long_ms};
          (c.threshold >= 1 ? here : alive).push_back(r);
          if (c.threshold >= 1) quick_dead.push_back(quick);
        }
        if (here.size() == 2) {
          clauses.push_back("the " + alert + " alert, above " + threshold(here[0]) + " (" + here[0].name + ") and " +
                            threshold(here[1]) + " (" + here[1].name + "), can never fire");
          never_fires = true;
        } else if (here.size() == 1) {
          const bool quick = quick_dead[0];
          clauses.push_back("the " + alert + " alert's " + (quick ? "quick" : "slow") + " condition (" +
                            here[0].name.substr(here[0].name.find(", ") + 2) + "), above " + threshold(here[0]) +
                            ", can never hold: the alert fires on its " + (quick ? "slow" : "quick") +
                            " condition only");
        }
        dead.insert(dead.end(), here.begin(), here.end());
      }
    }
    if (dead.empty()) return;
    const std::int64_t day = 24LL * 3600 * 1000;
    const std::string window =
        s.window_ms % day == 0 ? std::to_string(s.window_ms / day) + "d" : text::format_duration(s.window_ms);
    std::string message = "objective " + rule_number(sloth() ? s.objective_percent : s.objective) + " over " + window +
                          ": an error ratio is at most 1, so " + util::join(clauses, "; and ");
    // What works: factors below 1 / (1 - objective); for the others a higher objective, or a
    // shorter window (the least long window per share of the budget binds).
    std::string works = "burn-rate factors below " + short_number(1 / budget) + " can fire";
    if (!alive.empty()) {
      std::vector<std::string> fine;
      for (const auto& r : alive) fine.push_back(short_number(r.factor) + " (" + r.label + ")");
      works += ", as this SLO's " + util::word_list(fine) + (fine.size() == 1 ? " does" : " do");
    }
    double highest = 0, max_window_ms = 1e300;
    for (const auto& r : dead) {
      highest = std::max(highest, r.factor);
      max_window_ms = std::min(max_window_ms, static_cast<double>(r.long_ms) / (r.budget_share * budget));
    }
    std::vector<std::string> fixes;
    double needed = std::ceil((1 - 1 / highest) * 1e4) / 1e4;
    if (highest * (1 - needed) >= 1) needed += 1e-4;
    if (needed < 1) fixes.push_back("an objective of at least " + rule_number(sloth() ? needed * 100 : needed));
    const auto days = static_cast<std::int64_t>(std::ceil(max_window_ms / static_cast<double>(day))) - 1;
    if (!sloth() && days >= 1) fixes.push_back("a window of at most " + std::to_string(days) + "d");
    if (fixes.size() == 1) works += "; " + fixes[0] + " makes every one possible";
    if (fixes.size() == 2) works += "; " + fixes[0] + ", or " + fixes[1] + ", makes every one possible";
    auto& d = y_.report(at, "slo/objective", message, works);
    if (!never_fires) d.severity = core::Severity::warning;
  }

  // A factor in the suggestion: four significant digits (0.9333, not 0.933333333333).
  static std::string short_number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
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
      s.up_labels = labels(u, "up", Names::matcher);
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
    bool all_kept = true;
    for (const auto& t : total.matchers) {
      bool kept = false;
      for (const auto& e : errors.matchers) kept = kept || (e.name == t.name && e.op == t.op && e.value == t.value);
      all_kept = all_kept && kept;
      if (!kept)
        y_.report(at, "slo/events",
                  "errors drop the total's matcher " + t.name + ": they count events the total does not")
            .severity = core::Severity::error;
    }
    // Errors that keep every matcher of the total and add none select the very same series.
    if (all_kept && errors.matchers.size() <= total.matchers.size())
      y_.report(at, "slo/events", "errors select the same series as the total: the error ratio is always 1").severity =
          core::Severity::error;
  }

  // Sloth's keys are snake_case in prometheus/v1 and camelCase in the Kubernetes form (where
  // Sloth silently ignores the other spelling: here it is an unknown field).
  const char* key(const char* snake, const char* camel) const { return form_ == Form::sloth_k8s ? camel : snake; }

  void sloth_sli(const yaml::Node& sli, Slo& s) {
    if (!y_.check_mapping(sli, {"events", "raw", "plugin"}, "an sli")) return;
    if (auto e = sli["events"]) {
      const char* eq = key("error_query", "errorQuery");
      const char* tq = key("total_query", "totalQuery");
      if (!y_.check_mapping(e, {eq, tq}, "events")) return;
      s.kind = Slo::Kind::events;
      s.sloth_queries = true;
      s.errors = query(e, eq);
      s.total = query(e, tq);
      if (!s.errors.empty() && s.errors == s.total)
        y_.report(e, "slo/events", "the error and the total query are the same: the error ratio is always 1");
    } else if (auto r = sli["raw"]) {
      const char* rq = key("error_ratio_query", "errorRatioQuery");
      if (!y_.check_mapping(r, {rq}, "raw")) return;
      s.kind = Slo::Kind::raw;
      s.raw_error_ratio = query(r, rq);
    } else if (auto p = sli["plugin"]) {
      y_.report(p, "yaml/type", "Sloth's SLI plugins are not supported by nsmon: write the query as a raw SLI");
    } else {
      y_.report(sli, "yaml/type", "an sli is events or raw");
    }
  }

  // A query of a Sloth SLI: it must hold {{.window}} and parse once the window is in.
  std::string query(const yaml::Node& parent, const char* field) {
    auto n = parent[field];
    if (!n) {
      y_.report(parent, "yaml/type", std::string("missing ") + field);
      return "";
    }
    std::string q = y_.string(n, field).value_or("");
    if (q.empty()) return q;
    std::string rendered = render_window(q, "5m");
    if (rendered == q) {
      y_.report(n, "slo/metric", std::string(field) + " has no {{.window}}: every window would read the same range");
      return "";
    }
    if (rendered.find("{{") != std::string::npos) {
      y_.report(n, "yaml/type", std::string(field) + " has a template action other than {{.window}} (not supported)");
      return "";
    }
    auto parsed = promql::parse(rendered);
    if (!parsed.ok()) {
      y_.report(n, "slo/metric",
                std::string(field) + " is not PromQL once {{.window}} is 5m: " + parsed.errors().front().message);
      return "";
    }
    return q;
  }

  // Sloth's rule for service and SLO names (they make the sloth_id and group names).
  void valid_name(const yaml::Node& at, const std::string& name, const char* what) {
    static const RE2 kName("[A-Za-z0-9][-A-Za-z0-9_.]*[A-Za-z0-9]");
    if (at && !name.empty() && !RE2::FullMatch(name, kName))
      y_.report(at, "yaml/type",
                std::string(what) + " '" + name +
                    "' is not a Sloth name (two or more letters, digits, -, _ and ., starting and "
                    "ending with a letter or digit)");
  }

  void alerting(const yaml::Node& a, const yaml::Node& slo, Slo& s) {
    const char* pk = key("page_alert", "pageAlert");
    const char* tk = key("ticket_alert", "ticketAlert");
    if (a) {
      if (!y_.check_mapping(a, {"name", "labels", "annotations", pk, tk}, "alerting")) return;
      if (auto n = a["name"]) s.alert_name = y_.string(n, "name").value_or("");
      if (auto l = a["labels"]) s.alert_labels = labels(l, "labels", Names::rule_label);
      if (auto l = a["annotations"]) s.alert_annotations = labels(l, "annotations", Names::annotation);
      for (auto [k, into] : {std::pair{pk, &s.page}, std::pair{tk, &s.ticket}}) {
        auto p = a[k];
        if (!p || !y_.check_mapping(p, {"disable", "labels", "annotations"}, k)) continue;
        if (auto d = p["disable"]) into->disable = y_.boolean(d, "disable").value_or(false);
        if (auto l = p["labels"]) into->labels = labels(l, "labels", Names::rule_label);
        if (auto l = p["annotations"]) into->annotations = labels(l, "annotations", Names::annotation);
      }
    }
    // As Sloth: an alert that is on needs the name both alerts are written under.
    if (s.alert_name.empty() && (!s.page.disable || !s.ticket.disable))
      y_.report(a ? a : slo, "slo/objective",
                std::string("SLO ") + s.name + " has alerts on but no alerting.name (Sloth refuses it too)",
                std::string("name the alerts, or set ") + pk + ".disable and " + tk + ".disable");
  }

  bool sloth() const { return form_ != Form::nsmon; }

  core::YamlReader y_;
  const catalog::Catalog& cat_;
  Form form_ = Form::nsmon;
};

} // namespace

std::vector<Spec> load_specs(const core::SourceFile& src, const catalog::Catalog& cat,
                             std::vector<core::Diagnostic>& diags) {
  std::vector<Spec> out;
  for (const auto& doc : core::documents(src)) {
    Spec spec = Loader(doc, cat, diags).run();
    spec.path = src.path();
    if (!spec.slos.empty()) out.push_back(std::move(spec));
  }
  // One file gives one output, written one way: nsmon's rules, Sloth's, or PrometheusRules.
  const auto kind = [](Form f) {
    return f == Form::nsmon   ? "an nsmon/v1 spec"
           : f == Form::sloth ? "a Sloth prometheus/v1 spec"
                              : "a PrometheusServiceLevel";
  };
  for (const auto& spec : out)
    if (spec.form != out.front().form)
      diags.push_back(core::make_diagnostic("yaml/type", spec.slos.front().span,
                                            std::string("this document is ") + kind(spec.form) + ", the first " +
                                                kind(out.front().form) +
                                                ": the SLOs of one file are generated into one output, one way",
                                            "one kind of spec per file"));
  // The documents make one rule file, with rule groups named from each SLO (from its Sloth id
  // <service>-<slo>): an SLO defined twice, in one document or in two, writes its groups twice,
  // and Prometheus refuses a rule file that repeats a group name (Sloth refuses a repeated id).
  // (A PrometheusServiceLevel is its own PrometheusRule: there, within one document.)
  std::map<std::pair<std::size_t, std::string>, core::Span> first;
  for (std::size_t doc = 0; doc < out.size(); ++doc)
    for (const auto& s : out[doc].slos) {
      const Spec& spec = out[doc];
      const std::string id = spec.form == Form::nsmon ? s.name : spec.service + "-" + s.name;
      auto [at, fresh] = first.emplace(std::pair{spec.form == Form::sloth_k8s ? doc : 0, id}, s.span);
      if (fresh) continue;
      diags.push_back(core::make_diagnostic(
          "slo/objective", s.span,
          "SLO " + id + " is defined twice (first on line " + std::to_string(at->second.line) + "): its rule group " +
              rule_groups(spec, s).front() +
              " would be written twice, and Prometheus refuses a rule file that repeats a group name",
          "give each SLO its own name"));
    }
  return out;
}

std::string render_window(std::string query, const std::string& window) {
  static const RE2 kWindow(R"(\{\{ *\.window *\}\})");
  RE2::GlobalReplace(&query, kWindow, window);
  return query;
}

} // namespace nsmon::slo
