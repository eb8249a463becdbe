#include "nsmon/slo/generate.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <re2/re2.h>

#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/slo/sloth.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::slo {

namespace {

constexpr const char* kWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

// A YAML single-quoted scalar (PromQL uses double quotes; a ' is doubled), or, for a text with a
// control character (a line break would be folded into a space), double-quoted with Go's escapes,
// which are YAML's.
std::string sq(const std::string& s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return text::go::quote(s);
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A window as rule names and PromQL write it: 30d, not 4w2d.
std::string window_text(std::int64_t ms) {
  for (auto [unit, size] : {std::pair{"d", 86400000LL}, std::pair{"h", 3600000LL}, std::pair{"m", 60000LL}})
    if (ms % size == 0) return std::to_string(ms / size) + unit;
  return text::format_duration(ms);
}

// "1" and "1.0" are the same bound; exporters write either (Go: 1, Python: 1.0).
std::string le_regex(const std::string& le) {
  double v = std::strtod(le.c_str(), nullptr);
  std::string a = util::format_number(v);
  std::string esc;
  for (char c : a) esc += c == '.' ? std::string("\\\\.") : std::string(1, c);
  return a.find('.') == std::string::npos && a.find('e') == std::string::npos ? esc + "|" + esc + "\\\\.0" : esc;
}

std::string error_ratio(const Slo& s, const std::string& w) {
  switch (s.kind) {
  case Slo::Kind::events:
    if (s.sloth_queries) return "(" + render_window(s.errors, w) + ") / (" + render_window(s.total, w) + ")";
    return "sum(rate(" + s.errors + "[" + w + "])) / sum(rate(" + s.total + "[" + w + "]))";
  case Slo::Kind::latency:
    return "1 - sum(rate(" + s.metric + "_bucket{le=~\"" + le_regex(s.le) + "\"}[" + w + "])) / sum(rate(" + s.metric +
           "_count[" + w + "]))";
  case Slo::Kind::up: {
    std::string sel;
    for (const auto& [k, v] : s.up_labels) sel += (sel.empty() ? "" : ", ") + k + "=" + text::go::quote(v);
    return "1 - avg(avg_over_time(up{" + sel + "}[" + w + "]))";
  }
  case Slo::Kind::raw: return render_window(s.raw_error_ratio, w);
  }
  return "";
}

// The traffic over a window (events per second), for the guard; empty when the SLI has none.
std::string total_rate(const Slo& s, const std::string& w) {
  if (s.kind == Slo::Kind::latency) return "sum(rate(" + s.metric + "_count[" + w + "]))";
  if (s.kind != Slo::Kind::events) return "";
  return s.sloth_queries ? render_window(s.total, w) : "sum(rate(" + s.total + "[" + w + "]))";
}

// The bad events over a window (per second), for the SLO window's ratio; empty when the SLI
// counts no events.
std::string error_events_rate(const Slo& s, const std::string& w) {
  if (s.kind == Slo::Kind::latency)
    return total_rate(s, w) + " - sum(rate(" + s.metric + "_bucket{le=~\"" + le_regex(s.le) + "\"}[" + w + "]))";
  if (s.kind != Slo::Kind::events) return "";
  return s.sloth_queries ? render_window(s.errors, w) : "sum(rate(" + s.errors + "[" + w + "]))";
}

std::string camel(const std::string& name) {
  std::string out;
  bool up = true;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      up = true;
      continue;
    }
    out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
    up = false;
  }
  return out;
}

std::map<std::string, std::string> slo_labels(const Spec& spec, const Slo& s) {
  std::map<std::string, std::string> l = spec.labels;
  l["slo"] = s.name;
  if (!spec.service.empty()) l["service"] = spec.service;
  return l;
}

std::string flow(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k + ": " + sq(v);
  return "{" + out + "}";
}

// A value in PromQL (and in a test's series notation): Go's quoting, which both read back.
std::string sel(const std::string& metric, const Slo& s) { return metric + "{slo=" + text::go::quote(s.name) + "}"; }

std::int64_t ms_of(const char* w) { return *text::parse_duration(w); }

std::string percent(double v) { return num(v * 100) + "%"; }

struct AlertText {
  std::map<std::string, std::string> labels, annotations;
};

AlertText alert_text(const Spec& spec, const Slo& s, const BurnRate& b) {
  AlertText t;
  t.labels = slo_labels(spec, s);
  for (const auto& [k, v] : s.alert_labels) t.labels[k] = v;
  t.labels["severity"] = std::string(b.kind) == "page" ? "critical" : "warning";
  for (const auto& [k, v] : std::string(b.kind) == "page" ? s.page.labels : s.ticket.labels) t.labels[k] = v;
  const std::string w = window_text(s.window_ms);
  t.annotations = s.alert_annotations;
  t.annotations["summary"] = s.name + ": error budget burning " + num(factor(b, s)) + "x too fast";
  t.annotations["description"] = "At this rate " + percent(b.budget) + " of the " + w + " error budget of " + s.name +
                                 " (objective " + percent(s.objective) + ") is spent within " + b.long_window +
                                 " (error ratio over both " + b.long_window + " and " + b.short_window + ").";
  return t;
}

} // namespace

const std::vector<BurnRate>& burn_rates() {
  static const std::vector<BurnRate> kRates = {{"1h", "5m", 0.02, "page"},
                                               {"6h", "30m", 0.05, "page"},
                                               {"1d", "2h", 0.10, "ticket"},
                                               {"3d", "6h", 0.10, "ticket"}};
  return kRates;
}

std::string rule_number(double v) { return num(v); }

double factor(const BurnRate& b, const Slo& s) {
  return b.budget * static_cast<double>(s.window_ms) / static_cast<double>(ms_of(b.long_window));
}

std::vector<std::string> rule_groups(const Spec& spec, const Slo& s) {
  return spec.form == Form::nsmon ? std::vector<std::string>{"slo-" + s.name} : sloth_groups(spec, s);
}

std::vector<std::string> alert_names(const Slo& s) {
  std::string base = s.alert_name.empty() ? camel(s.name) + "SLO" : s.alert_name;
  std::vector<std::string> out;
  for (const auto& b : burn_rates()) out.push_back(base + "BurnRate" + b.long_window);
  return out;
}

namespace {

std::string own_groups(const Spec& spec) {
  std::string o;
  for (const auto& s : spec.slos) {
    const auto labels = flow(slo_labels(spec, s));
    const double budget = 1 - s.objective;
    o += "  - name: " + rule_groups(spec, s).front() + "\n    rules:\n";
    std::string slo_window = window_text(s.window_ms);
    for (const char* w : kWindows)
      o += std::string("      - record: slo:sli_error:ratio_rate") + w + "\n        expr: " + sq(error_ratio(s, w)) +
           "\n        labels: " + labels + "\n";
    // The window's ratio from 5m recordings: raw series over 30d would be read at every
    // evaluation. Sloth averages the 5m ratios, but one idle 5m (0 / 0 = NaN) makes that sum NaN
    // for the whole window; the errors and the events of each 5m, summed over the window and
    // divided (kubernetes-mixin's way), weigh each 5m by its traffic and skip idle ones. An SLI
    // without a traffic figure (up, raw) has no idle 5m: its ratios are averaged.
    const std::string error_rate = error_events_rate(s, "5m");
    if (!error_rate.empty()) {
      o += "      - record: slo:sli_error:rate5m\n        expr: " + sq(error_rate) + "\n        labels: " + labels +
           "\n      - record: slo:sli_total:rate5m\n        expr: " + sq(total_rate(s, "5m")) +
           "\n        labels: " + labels + "\n";
      const std::string in_window = "{slo=\"" + s.name + "\"}[" + slo_window + "]";
      o += "      - record: slo:sli_error:ratio_rate" + slo_window + "\n        expr: " +
           sq("sum_over_time(slo:sli_error:rate5m" + in_window + ") / sum_over_time(slo:sli_total:rate5m" + in_window +
              ")") +
           "\n        labels: " + labels + "\n";
    } else {
      const std::string five = sel("slo:sli_error:ratio_rate5m", s) + "[" + slo_window + "]";
      o += "      - record: slo:sli_error:ratio_rate" + slo_window +
           "\n        expr: " + sq("sum_over_time(" + five + ") / count_over_time(" + five + ")") +
           "\n        labels: " + labels + "\n";
    }
    const bool guard = s.min_events_per_hour > 0 && !total_rate(s, "1h").empty();
    if (guard)
      for (const auto& b : burn_rates())
        o += std::string("      - record: slo:sli_total:rate") + b.long_window +
             "\n        expr: " + sq(total_rate(s, b.long_window)) + "\n        labels: " + labels + "\n";
    o += "      - record: slo:objective:ratio\n        expr: " + sq("vector(" + num(s.objective) + ")") +
         "\n        labels: " + labels + "\n";
    o += "      - record: slo:error_budget:remaining\n        expr: " +
         sq("1 - " + sel("slo:sli_error:ratio_rate" + slo_window, s) + " / " + num(budget)) +
         "\n        labels: " + labels + "\n";
    auto names = alert_names(s);
    for (std::size_t i = 0; i < burn_rates().size(); ++i) {
      const auto& b = burn_rates()[i];
      std::string threshold = "(" + num(factor(b, s)) + " * " + num(budget) + ")";
      std::string expr = sel(std::string("slo:sli_error:ratio_rate") + b.long_window, s) + " > " + threshold +
                         "\nand\n" + sel(std::string("slo:sli_error:ratio_rate") + b.short_window, s) + " > " +
                         threshold;
      if (guard)
        expr += "\nand\n" + sel(std::string("slo:sli_total:rate") + b.long_window, s) +
                " * 3600 >= " + num(s.min_events_per_hour);
      AlertText t = alert_text(spec, s, b);
      o += "      - alert: " + names[i] + "\n        expr: |\n";
      std::size_t start = 0;
      for (std::size_t nl; (nl = expr.find('\n', start)) != std::string::npos; start = nl + 1)
        o += "          " + expr.substr(start, nl - start) + "\n";
      o += "          " + expr.substr(start) + "\n";
      o += "        labels: " + flow(t.labels) + "\n        annotations:\n";
      for (const auto& [k, v] : t.annotations) o += "          " + k + ": " + sq(v) + "\n";
    }
  }
  return o;
}

} // namespace

std::string rules_yaml(const std::vector<Spec>& specs) {
  if (specs.empty() || specs.front().form != Form::nsmon) return sloth_rules_yaml(specs);
  std::string o = "# Generated by `nsmon slo generate " + specs.front().path +
                  "`: do not edit, regenerate.\n# Multi-window, multi-burn-rate alerts (Google SRE workbook, "
                  "chapter 5), one rule group per SLO.\ngroups:\n";
  for (const auto& spec : specs) o += own_groups(spec);
  return o;
}

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

namespace {

// A panel of the dashboard template: `fields` are the YAML lines after type/title/description.
std::string panel(const std::string& type, const std::string& title, const std::string& description,
                  const std::string& fields) {
  return "      - type: " + type + "\n        title: " + sq(title) + "\n        description: " + sq(description) +
         "\n" + fields;
}

std::string query(const std::string& expr, const std::string& legend, bool instant) {
  return "          - expr: " + sq(expr) + (legend.empty() ? "" : "\n            legend: " + sq(legend)) +
         (instant ? "\n            instant: true" : "") + "\n";
}

std::string thresholds(const std::string& base, const std::vector<std::pair<double, std::string>>& steps) {
  std::string o = "        thresholds:\n          - {color: " + base + "}\n";
  for (const auto& [v, c] : steps) o += "          - {value: " + num(v) + ", color: " + c + "}\n";
  return o;
}

// A uid from the service: [A-Za-z0-9_-], at most 40 (gen-dashboards' rule).
std::string dashboard_uid(const Spec& spec) {
  std::string uid = "nsmon-slo";
  if (!spec.service.empty()) uid += "-";
  for (char c : spec.service) uid += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '-';
  return uid.substr(0, 40);
}

// The series of an SLO as each form names them.
struct SloSeries {
  std::string of;        ///< the SLO's matcher, in braces
  std::string remaining; ///< the error budget remaining
  std::string alerts;    ///< the burn-rate alerts' names, for the text
  std::string window;    ///< the SLO window as the recordings name it
};

SloSeries series_of(const Spec& spec, const Slo& s) {
  if (spec.form == Form::nsmon)
    return {"{slo=" + text::go::quote(s.name) + "}", "slo:error_budget:remaining", util::join(alert_names(s), ", "),
            window_text(s.window_ms)};
  return {"{sloth_id=\"" + spec.service + "-" + s.name + "\"}", "slo:period_error_budget_remaining:ratio",
          s.alert_name + " (page and ticket)", text::format_duration(s.window_ms)};
}

std::string slo_row(const Spec& spec, const Slo& s) {
  const SloSeries names = series_of(spec, s);
  const std::string w = names.window;
  const double budget = 1 - s.objective;
  const std::string& of = names.of;
  std::string o =
      "  - title: " +
      sq(s.name + ": " + percent(s.objective) + " over " + w + (s.description.empty() ? "" : ", " + s.description)) +
      "\n    panels:\n";
  o += panel("stat", "Objective", "The share of good events " + s.name + " promises over " + w + ".",
             "        unit: percentunit\n        decimals: 2\n        queries:\n" +
                 query("slo:objective:ratio" + of, "objective", true));
  o += panel("stat", "SLI over " + w,
             "The share of good events over the last " + w + " (1 - slo:sli_error:ratio_rate" + w +
                 "); red below the objective.",
             "        unit: percentunit\n        decimals: 3\n" + thresholds("red", {{s.objective, "green"}}) +
                 "        queries:\n" + query("1 - slo:sli_error:ratio_rate" + w + of, "SLI", true));
  o += panel("stat", "Error budget remaining",
             "The part of the " + w + " error budget (" + percent(budget) +
                 " of the events) not spent yet; below 0 the SLO is missed.",
             "        unit: percentunit\n        decimals: 1\n" + thresholds("red", {{0, "orange"}, {0.25, "green"}}) +
                 "        queries:\n" + query(names.remaining + of, "remaining", true));
  o += panel("stat", "Burn-rate alerts firing",
             "How many of the burn-rate alerts of " + s.name + " fire now (" + names.alerts + ").",
             "        unit: none\n" + thresholds("green", {{1, "red"}}) + "        queries:\n" +
                 // 0 only where the SLO's rules are loaded (its objective is recorded): a Prometheus
                 // without them shows no data, not a green 0.
                 query("count(ALERTS{alertstate=\"firing\", " + of.substr(1, of.size() - 2) +
                           "}) or on () 0 * count(slo:objective:ratio" + of + ")",
                       "firing", true));
  // The alerts' thresholds as burn rates, in increasing order: 3d and 1d open tickets, 6h and 1h page.
  std::vector<std::pair<double, std::string>> steps;
  const char* colors[] = {"dark-red", "red", "orange", "yellow"};
  for (std::size_t i = burn_rates().size(); i-- > 0;) steps.emplace_back(factor(burn_rates()[i], s), colors[i]);
  std::string factors;
  for (const auto& b : burn_rates())
    factors +=
        std::string(factors.empty() ? "" : ", ") + num(factor(b, s)) + "x over " + b.long_window + " (" + b.kind + ")";
  std::string now, history;
  for (const char* win : kWindows) {
    std::string q = "slo:sli_error:ratio_rate" + std::string(win) + of + " / " + num(budget);
    now += query(q, win, true);
    history += query(q, win, false);
  }
  const std::string burn = "The error ratio over each window divided by the error budget (" + num(budget) +
                           "): 1 spends the budget in exactly " + w + ". The alerts fire at " + factors +
                           ", each confirmed over its short window.";
  o += panel("bargauge", "Burn rate now", burn,
             "        unit: none\n        decimals: 2\n        width: 8\n" + thresholds("green", steps) +
                 "        queries:\n" + now);
  o += panel("timeseries", "Burn rate", burn,
             "        unit: none\n        width: 16\n" + thresholds("green", steps) + "        queries:\n" + history);
  // The budget over time: a fast burn is a cliff here, a slow one a slope that reaches 0 before
  // the window ends.
  o += panel("timeseries", "Error budget over time",
             "The part of the " + w +
                 " error budget not spent yet, over the dashboard's time range; below 0 the "
                 "SLO is missed.",
             "        unit: percentunit\n        width: 24\n" + thresholds("red", {{0, "orange"}, {0.25, "green"}}) +
                 "        queries:\n" + query(names.remaining + of, "remaining", false));
  return o;
}

} // namespace

std::string dashboard_yaml(const std::vector<Spec>& specs, const std::string& rule_file) {
  const Spec& spec = specs.front();
  std::string title = "SLOs" + (spec.service.empty() ? "" : " of " + spec.service);
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  " --dashboard`: do not edit, regenerate.\n# The error budgets of the SLOs, on the series of "
                  "the recording rules below; nsmon gen-dashboards renders it.\nuid: " +
                  dashboard_uid(spec) + "\ntitle: " + sq(title) +
                  "\ndescription: 'Objective, SLI, error budget remaining, burn rate per window and the burn-rate "
                  "alerts of each SLO (nsmon slo generate).'\ntags: [nsmon, slo]\ntime: {from: now-7d, to: now}\n"
                  "variables: [datasource]\nrules: [" +
                  sq(rule_file) + "]\nrows:\n";
  for (const auto& sp : specs)
    for (const auto& s : sp.slos) o += slo_row(sp, s);
  o += "  - title: Alerts\n    panels:\n" +
       panel("table", "Firing burn-rate alerts", "The SLO alerts firing now, with their labels.",
             "        queries:\n" + query(spec.form == Form::nsmon ? "ALERTS{alertstate=\"firing\", slo=~\".+\"}"
                                                                   : "ALERTS{alertstate=\"firing\", sloth_id=~\".+\"}",
                                          "", true));
  return o;
}

} // namespace nsmon::slo
