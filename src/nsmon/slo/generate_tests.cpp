#include <algorithm>
#include <optional>
#include <re2/re2.h>

#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/generate_detail.hpp"
#include "nsmon/slo/sloth.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::slo {

using namespace detail;

namespace {

// The series that make an SLI's error ratio r: what each counts of the events a minute, or (up)
// a gauge at 1 - r.
struct Series {
  std::string labels; ///< series description
  enum class Part { errors, good, all, up } part;
};

std::string series_text(const std::string& name, const std::map<std::string, std::string>& l) {
  std::string out;
  for (const auto& [k, v] : l) out += (out.empty() ? "" : ", ") + k + "=" + text::go::quote(v);
  return name + "{" + out + "}";
}

// The counter a selector counts, or a Sloth query of the form [sum(](rate|increase)(selector[{{.window}}])[)]:
// its name and matchers.
struct Counter {
  std::string name;
  std::vector<promql::Matcher> matchers;
};

std::optional<Counter> counter_of(const std::string& text, bool query, std::string& why) {
  auto parsed = promql::parse(query ? render_window(text, "5m") : text);
  const promql::Expr* e = parsed.ok() ? parsed.expr() : nullptr;
  auto unparen = [](const promql::Expr* x) {
    while (x && x->kind == promql::NodeKind::paren) x = x->as<promql::ParenExpr>().expr;
    return x;
  };
  if (query) {
    e = unparen(e);
    if (e && e->kind == promql::NodeKind::aggregate && e->as<promql::AggregateExpr>().op == promql::AggregateOp::sum)
      e = unparen(e->as<promql::AggregateExpr>().expr);
    const promql::Call* c = e && e->kind == promql::NodeKind::call ? &e->as<promql::Call>() : nullptr;
    e = c && (c->name == "rate" || c->name == "increase") && c->args.size() == 1 ? unparen(c->args[0]) : nullptr;
    e = e && e->kind == promql::NodeKind::matrix_selector ? e->as<promql::MatrixSelector>().selector : nullptr;
    if (!e) {
      why = "a query-based SLI whose queries are not sum(rate(selector[{{.window}}])) (the events they count are "
            "not known)";
      return std::nullopt;
    }
  }
  if (!e || e->kind != promql::NodeKind::vector_selector) {
    why = "an SLI whose selector does not parse";
    return std::nullopt;
  }
  const auto& vs = e->as<promql::VectorSelector>();
  Counter out{vs.name, {}};
  for (const auto& m : vs.matchers)
    if (m.name != "__name__") out.matchers.push_back(m);
  return out;
}

// A value of label `name` that `accept` takes: an equality matcher's own value, else the first of
// the catalog's values and some usual ones.
template <class Accept>
std::optional<std::string> value_for(const std::string& metric, const std::string& name,
                                     const std::vector<promql::Matcher>& ms, const catalog::Catalog& cat,
                                     Accept accept) {
  std::vector<std::string> candidates;
  for (const auto& m : ms)
    if (m.name == name && m.op == promql::MatchOp::equal) candidates.push_back(m.value);
  if (const auto* metric_ = cat.find(metric))
    if (const auto* l = metric_->label(name)) candidates.insert(candidates.end(), l->values.begin(), l->values.end());
  for (const char* v : {"500", "503", "429", "200", "404", "error", "failed", "ok", "success", "GET", "POST", "LIST",
                        "WATCH", "true", "false", "x"})
    candidates.emplace_back(v);
  for (const auto& v : candidates)
    if (accept(v)) return v;
  return std::nullopt;
}

bool all_match(const std::vector<promql::Matcher>& ms, const std::string& name, const std::string& value) {
  for (const auto& m : ms)
    if (m.name == name && !labels::matches(m, value, labels::Dialect::prometheus)) return false;
  return true;
}

// Labels of a series that `ms` selects (a value for each label they name), or nullopt.
std::optional<std::map<std::string, std::string>> series_for(const Counter& c, const catalog::Catalog& cat) {
  std::map<std::string, std::string> out;
  for (const auto& m : c.matchers) {
    if (out.count(m.name)) continue;
    auto v = value_for(c.name, m.name, c.matchers, cat,
                       [&](const std::string& x) { return all_match(c.matchers, m.name, x); });
    if (!v) return std::nullopt;
    if (!v->empty()) out[m.name] = *v;
  }
  return out;
}

std::optional<std::vector<Series>> events_series(const Slo& s, const catalog::Catalog& cat, std::string& why) {
  using P = Series::Part;
  if (s.kind == Slo::Kind::latency) // the bucket under the threshold counts the good events
    return std::vector<Series>{{s.metric + "_bucket{le=\"" + s.le + "\"}", P::good},
                               {s.metric + "_bucket{le=\"+Inf\"}", P::all},
                               {s.metric + "_count", P::all}};
  if (s.kind == Slo::Kind::up) { // one target, up on average 1 - r of the time
    auto labels = s.up_labels;
    labels.emplace("instance", "slo-test:8000");
    return std::vector<Series>{{series_text("up", labels), P::up}};
  }
  if (s.kind != Slo::Kind::events) {
    why = "a raw error-ratio query (the events it counts are not known)";
    return std::nullopt;
  }
  auto err = counter_of(s.errors, s.sloth_queries, why);
  auto total = err ? counter_of(s.total, s.sloth_queries, why) : std::nullopt;
  if (!err || !total) return std::nullopt;
  auto err_labels = series_for(*err, cat);
  if (!err_labels) {
    why = "an SLI whose error selector no label value of the catalog or the usual ones matches";
    return std::nullopt;
  }
  // Two counters: the errors, and the total that counts them too.
  if (err->name != total->name) {
    auto total_labels = series_for(*total, cat);
    if (!total_labels) {
      why = "an SLI whose total selector no label value of the catalog or the usual ones matches";
      return std::nullopt;
    }
    return std::vector<Series>{{series_text(err->name, *err_labels), P::errors},
                               {series_text(total->name, *total_labels), P::all}};
  }
  // One counter: the errors' series, and a good one that the total selects and the errors do not:
  // another value of a label only the errors' matchers name (the catalog's, else a usual one).
  for (const auto& m : err->matchers) {
    bool total_names = false;
    for (const auto& t : total->matchers) total_names = total_names || t.name == m.name;
    if (total_names) continue;
    auto other = value_for(err->name, m.name, {}, cat,
                           [&](const std::string& x) { return !all_match(err->matchers, m.name, x); });
    if (!other) continue;
    auto good = *err_labels;
    if (other->empty()) good.erase(m.name);
    else good[m.name] = *other;
    return std::vector<Series>{{series_text(err->name, *err_labels), P::errors},
                               {series_text(total->name, good), P::good}};
  }
  why = "an SLI whose errors are not the total's series with one more matcher";
  return std::nullopt;
}

// input_series for error ratio r at `per_step` events a sample, `steps` samples.
std::string inputs(const std::vector<Series>& series, double r, double per_step, long steps) {
  std::string o = "    input_series:\n";
  for (const auto& s : series) {
    using P = Series::Part;
    std::string values = s.part == P::up ? num(1 - r) + "+0"
                                         : "0+" + num(s.part == P::errors ? r * per_step
                                                      : s.part == P::good ? (1 - r) * per_step
                                                                          : per_step);
    o += "      - series: " + sq(s.labels) + "\n        values: " + sq(values + "x" + std::to_string(steps)) + "\n";
  }
  return o;
}

} // namespace

namespace {

// An annotation as Prometheus renders it when it only reads labels ({{$labels.x}}, {{ $labels.x }});
// nullopt when it does more (its text cannot be known without the alert's value).
std::optional<std::string> expand_labels(const std::string& text, const std::map<std::string, std::string>& labels) {
  static const RE2 kRef(R"(\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*)");
  std::string out;
  std::size_t at = 0;
  for (std::size_t open; (open = text.find("{{", at)) != std::string::npos;) {
    std::size_t close = text.find("}}", open);
    std::string name;
    if (close == std::string::npos || !RE2::FullMatch(text.substr(open + 2, close - open - 2), kRef, &name))
      return std::nullopt;
    auto it = labels.find(name);
    out += text.substr(at, open - at) + (it == labels.end() ? "" : it->second);
    at = close + 2;
  }
  return out + text.substr(at);
}

// Sloth's alerts fire when the error ratio is over a condition's threshold on both its windows. At
// a constant ratio r every window sees r: each alert (page, ticket) is tested at 1.05x and 0.95x
// its slow condition's threshold (the lower one), expecting every alert whose lower threshold r
// passes. (The quick conditions need traffic that changes; they are not tested here.)
std::string sloth_tests(const std::vector<Spec>& specs, const catalog::Catalog& cat, const std::string& rule_file,
                        std::vector<std::string>& skipped) {
  std::string o = "# Generated by `nsmon slo generate " + specs.front().path +
                  " --tests`: do not edit, regenerate.\n# Each of Sloth's alerts (page, ticket) at 1.05x and 0.95x "
                  "the threshold of its slow condition.\n# Run with `nsmon test-rules` or `promtool test rules`.\n"
                  "rule_files:\n  - " +
                  sq(rule_file) +
                  "\nevaluation_interval: 10m\n# The alerts read the recordings of the same evaluation.\n"
                  "group_eval_order:\n";
  for (const auto& spec : specs)
    for (const auto& s : spec.slos)
      for (const auto& g : sloth_groups(spec, s)) o += "  - " + sq(g) + "\n";
  o += "tests:\n";
  // Every SLO with alerts whose tests can be written: its series and its alerts, annotations
  // expanded. SLOs that read the same series fire together.
  struct Tested {
    const Slo* slo;
    std::vector<Series> series;
    std::vector<SlothAlert> alerts;
  };
  std::vector<Tested> all;
  for (const auto& spec : specs)
    for (const auto& s : spec.slos) {
      auto alerts = sloth_alerts(spec, s);
      if (alerts.empty()) continue;
      std::string why;
      auto series = events_series(s, cat, why);
      if (!series) {
        skipped.push_back(s.name + ": " + why);
        continue;
      }
      bool expandable = true;
      for (auto& a : alerts)
        for (auto& [k, v] : a.annotations) {
          auto text = expand_labels(v, a.labels);
          expandable = expandable && text;
          if (text) v = *text;
        }
      if (!expandable) {
        skipped.push_back(s.name + ": annotations with templates that read more than $labels");
        continue;
      }
      all.push_back({&s, std::move(*series), std::move(alerts)});
    }
  auto same_series = [](const std::vector<Series>& a, const std::vector<Series>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].labels != b[i].labels || a[i].part != b[i].part) return false;
    return true;
  };
  auto lower = [](const Slo& s, bool page) {
    return std::min(sloth_condition(s, page, true).threshold, sloth_condition(s, page, false).threshold);
  };
  for (const auto& t : all) {
    const Slo& s = *t.slo;
    for (const auto& tested : t.alerts) {
      const auto slow = sloth_condition(s, tested.page, false);
      const long eval_min = static_cast<long>(slow.long_ms / 60000) + 10;
      // A sample a minute: every window (5m and up) holds several under Prometheus 2 and 3 alike,
      // so every alert of every SLO on these series can fire.
      const long step = 1;
      for (double k : {1.05, 0.95}) {
        const double r = slow.threshold * k;
        if (r >= 1) {
          skipped.push_back(s.name + " " + (tested.page ? "page" : "ticket") + ": its threshold (" +
                            num(slow.threshold) + ") is not below an error ratio of 1");
          break;
        }
        o += "  - name: " +
             sq(s.name + " " + tested.name + " (" + (tested.page ? "page" : "ticket") + ") " +
                (k > 1 ? "fires at 1.05x" : "is silent at 0.95x") + " its threshold") +
             "\n    interval: " + std::to_string(step) + "m\n" +
             inputs(t.series, r, 1000.0 * static_cast<double>(step), eval_min / step + 5) +
             "    alert_rule_test:\n      - eval_time: " + std::to_string(eval_min) +
             "m\n        alertname: " + sq(tested.name) + "\n";
        std::string expected;
        for (const auto& other : all) {
          if (!same_series(other.series, t.series)) continue;
          for (const auto& a : other.alerts)
            if (a.name == tested.name && r > lower(*other.slo, a.page))
              expected += "          - exp_labels: " + flow(a.labels) +
                          "\n            exp_annotations: " + flow(a.annotations) + "\n";
        }
        o += expected.empty() ? "        exp_alerts: []\n" : "        exp_alerts:\n" + expected;
      }
    }
  }
  return o;
}

} // namespace

std::string tests_yaml(const std::vector<Spec>& specs, const catalog::Catalog& cat, const std::string& rule_file,
                       std::vector<std::string>& skipped) {
  if (specs.empty()) return "";
  if (specs.front().form != Form::nsmon) return sloth_tests(specs, cat, rule_file, skipped);
  const Spec& first = specs.front();
  std::string o = "# Generated by `nsmon slo generate " + first.path +
                  " --tests`: do not edit, regenerate.\n# Each burn-rate alert fires at 1.05x its threshold, stays "
                  "silent at 0.95x, and the fastest stays silent below the traffic guard.\n# An up SLI's target is up "
                  "1 - r of the time on average (a constant 1 - r: what avg_over_time makes of r of the scrapes "
                  "failing).\n# Run with `nsmon "
                  "test-rules` or `promtool test rules`.\nrule_files:\n  - " +
                  sq(rule_file) +
                  "\n# Rules are evaluated every 10m: enough for alerts without for:, and 10x cheaper than "
                  "1m.\nevaluation_interval: 10m\ntests:\n";
  for (const auto& spec : specs)
    for (const auto& s : spec.slos) {
      std::string why;
      auto series = events_series(s, cat, why);
      if (!series) {
        skipped.push_back(s.name + ": " + why);
        continue;
      }
      const double budget = 1 - s.objective;
      const double per_minute = 1000;
      auto names = alert_names(s);
      for (std::size_t i = 0; i < burn_rates().size(); ++i) {
        const auto& b = burn_rates()[i];
        const double threshold = factor(b, s) * budget;
        if (threshold * 1.05 >= 1) {
          skipped.push_back(s.name + " " + names[i] + ": its threshold (" + num(threshold) +
                            ") is not below an error "
                            "ratio of 1");
          continue;
        }
        const long eval_min = ms_of(b.long_window) / 60000 + 10;
        const std::string eval = std::to_string(eval_min) + "m";
        // Samples six to the short window (at least one a minute): the ratio is the same, the tests
        // of the 1d and 3d alerts read 20 and 60 times fewer samples than at one a minute.
        const long step = std::max(1L, static_cast<long>(ms_of(b.short_window) / 60000 / 6));
        const std::string interval = "\n    interval: " + std::to_string(step) + "m\n";
        const long samples = eval_min / step + 5;
        AlertText t = alert_text(spec, s, b);
        for (double k : {1.05, 0.95}) {
          o += "  - name: " +
               sq(s.name + " " + names[i] + (k > 1 ? " fires at 1.05x" : " is silent at 0.95x") + " its threshold") +
               interval + inputs(*series, threshold * k, per_minute * step, samples) +
               "    alert_rule_test:\n      - eval_time: " + eval + "\n        alertname: " + names[i] + "\n";
          if (k < 1) {
            o += "        exp_alerts: []\n";
            continue;
          }
          o += "        exp_alerts:\n          - exp_labels: " + flow(t.labels) + "\n            exp_annotations:\n";
          for (const auto& [key, v] : t.annotations) o += "              " + key + ": " + sq(v) + "\n";
        }
        if (i == 0 && s.min_events_per_hour > 0 && !total_rate(s, "1h").empty()) {
          double low = s.min_events_per_hour / 60 / 4; // a quarter of the guard
          o += "  - name: " +
               sq(s.name + " " + names[i] + " is silent below " + num(s.min_events_per_hour) + " events an hour") +
               interval + inputs(*series, std::min(0.99, threshold * 2), low * step, samples) +
               "    alert_rule_test:\n      - eval_time: " + eval + "\n        alertname: " + names[i] +
               "\n        exp_alerts: []\n";
        }
      }
    }
  return o;
}

} // namespace nsmon::slo
