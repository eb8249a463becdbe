#include "nsmon/slo/generate.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "nsmon/promql/parser.hpp"
#include "nsmon/util/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::slo {

namespace {

constexpr const char* kWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

// A YAML single-quoted scalar (PromQL uses double quotes; a ' is doubled).
std::string sq(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

// A window as rule names and PromQL write it: 30d, not 4w2d.
std::string window_text(std::int64_t ms) {
  for (auto [unit, size] : {std::pair{"d", 86400000LL}, std::pair{"h", 3600000LL}, std::pair{"m", 60000LL}})
    if (ms % size == 0) return std::to_string(ms / size) + unit;
  return util::format_duration(ms);
}

std::string replace_window(std::string q, const std::string& w) {
  for (std::size_t p; (p = q.find("{{.window}}")) != std::string::npos;) q.replace(p, 11, w);
  return q;
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
    if (s.sloth_queries) return "(" + replace_window(s.errors, w) + ") / (" + replace_window(s.total, w) + ")";
    return "sum(rate(" + s.errors + "[" + w + "])) / sum(rate(" + s.total + "[" + w + "]))";
  case Slo::Kind::latency:
    return "1 - sum(rate(" + s.metric + "_bucket{le=~\"" + le_regex(s.le) + "\"}[" + w + "])) / sum(rate(" + s.metric +
           "_count[" + w + "]))";
  case Slo::Kind::up: {
    std::string sel;
    for (const auto& [k, v] : s.up_labels) sel += (sel.empty() ? "" : ", ") + k + "=\"" + v + "\"";
    return "1 - avg(avg_over_time(up{" + sel + "}[" + w + "]))";
  }
  case Slo::Kind::raw: return replace_window(s.raw_error_ratio, w);
  }
  return "";
}

// The traffic over a window (events per second), for the guard; empty when the SLI has none.
std::string total_rate(const Slo& s, const std::string& w) {
  if (s.kind == Slo::Kind::latency) return "sum(rate(" + s.metric + "_count[" + w + "]))";
  if (s.kind != Slo::Kind::events) return "";
  return s.sloth_queries ? replace_window(s.total, w) : "sum(rate(" + s.total + "[" + w + "]))";
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

std::string sel(const std::string& metric, const Slo& s) { return metric + "{slo=\"" + s.name + "\"}"; }

std::int64_t ms_of(const char* w) { return *util::parse_duration(w); }

std::string percent(double v) { return num(v * 100) + "%"; }

struct AlertText {
  std::map<std::string, std::string> labels, annotations;
};

AlertText alert_text(const Spec& spec, const Slo& s, const BurnRate& b) {
  AlertText t;
  t.labels = slo_labels(spec, s);
  for (const auto& [k, v] : s.alert_labels) t.labels[k] = v;
  t.labels["severity"] = std::string(b.kind) == "page" ? "critical" : "warning";
  for (const auto& [k, v] : std::string(b.kind) == "page" ? s.page_labels : s.ticket_labels) t.labels[k] = v;
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

double factor(const BurnRate& b, const Slo& s) {
  return b.budget * static_cast<double>(s.window_ms) / static_cast<double>(ms_of(b.long_window));
}

std::vector<std::string> alert_names(const Slo& s) {
  std::string base = s.alert_name.empty() ? camel(s.name) + "SLO" : s.alert_name;
  std::vector<std::string> out;
  for (const auto& b : burn_rates()) out.push_back(base + "BurnRate" + b.long_window);
  return out;
}

std::string rules_yaml(const Spec& spec) {
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  "`: do not edit, regenerate.\n# Multi-window, multi-burn-rate alerts (Google SRE workbook, "
                  "chapter 5), one rule group per SLO.\ngroups:\n";
  for (const auto& s : spec.slos) {
    const auto labels = flow(slo_labels(spec, s));
    const double budget = 1 - s.objective;
    o += "  - name: slo-" + s.name + "\n    rules:\n";
    std::vector<std::string> windows(std::begin(kWindows), std::end(kWindows));
    std::string slo_window = window_text(s.window_ms);
    if (std::find(windows.begin(), windows.end(), slo_window) == windows.end()) windows.push_back(slo_window);
    for (const auto& w : windows)
      o += "      - record: slo:sli_error:ratio_rate" + w + "\n        expr: " + sq(error_ratio(s, w)) +
           "\n        labels: " + labels + "\n";
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

namespace {

// The series that make an SLI's error ratio r: what each counts of the events a minute, or (up)
// a gauge at 1 - r.
struct Series {
  std::string labels; ///< series description
  enum class Part { errors, good, all, up } part;
};

std::string series_text(const std::string& name, const std::map<std::string, std::string>& l) {
  std::string out;
  for (const auto& [k, v] : l) out += (out.empty() ? "" : ", ") + k + "=\"" + v + "\"";
  return name + "{" + out + "}";
}

// The counter a selector counts, or a Sloth query of the form [sum(](rate|increase)(selector[{{.window}}])[)]:
// its name and label values (equality matchers only, so that a series can be written for it).
struct Counter {
  std::string name;
  std::map<std::string, std::string> labels;
};

std::optional<Counter> counter_of(const std::string& text, bool query, std::string& why) {
  auto parsed = promql::parse(query ? replace_window(text, "5m") : text);
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
  for (const auto& m : vs.matchers) {
    if (m.name == "__name__") continue;
    if (m.op != promql::MatchOp::equal) {
      why = "a selector with a " + std::string(promql::to_string(m.op)) + " matcher";
      return std::nullopt;
    }
    out.labels[m.name] = m.value;
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
  // Two counters: the errors, and the total that counts them too.
  if (err->name != total->name)
    return std::vector<Series>{{series_text(err->name, err->labels), P::errors},
                               {series_text(total->name, total->labels), P::all}};
  // One counter: the errors' series, and one with another value of the errors' own label (the
  // catalog's other value, else "ok"), which the total selects too.
  std::map<std::string, std::string> good = err->labels;
  for (const auto& [k, v] : err->labels) {
    if (total->labels.count(k)) continue;
    std::string other = "ok";
    if (const auto* metric = cat.find(err->name))
      if (const auto* l = metric->label(k))
        for (const auto& value : l->values)
          if (value != v) {
            other = value;
            break;
          }
    good[k] = other;
  }
  return std::vector<Series>{{series_text(err->name, err->labels), P::errors},
                             {series_text(total->name, good), P::good}};
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

std::string tests_yaml(const Spec& spec, const catalog::Catalog& cat, const std::string& rule_file,
                       std::vector<std::string>& skipped) {
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  " --tests`: do not edit, regenerate.\n# Each burn-rate alert fires at 1.05x its threshold, stays "
                  "silent at 0.95x, and the fastest stays silent below the traffic guard.\n# An up SLI's target is up "
                  "1 - r of the time on average (a constant 1 - r: what avg_over_time makes of r of the scrapes "
                  "failing).\n# Run with `nsmon "
                  "test-rules` or `promtool test rules`.\nrule_files:\n  - " +
                  sq(rule_file) +
                  "\n# Rules are evaluated every 10m: enough for alerts without for:, and 10x cheaper than "
                  "1m.\nevaluation_interval: 10m\ntests:\n";
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

std::string slo_row(const Slo& s) {
  const std::string w = window_text(s.window_ms);
  const double budget = 1 - s.objective;
  const std::string of = "{slo=\"" + s.name + "\"}";
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
                 "        queries:\n" + query("slo:error_budget:remaining" + of, "remaining", true));
  o += panel("stat", "Burn-rate alerts firing",
             "How many of the four burn-rate alerts of " + s.name + " fire now (" + util::join(alert_names(s), ", ") +
                 ").",
             "        unit: none\n" + thresholds("green", {{1, "red"}}) + "        queries:\n" +
                 query("count(ALERTS{alertstate=\"firing\", slo=\"" + s.name + "\"}) or vector(0)", "firing", true));
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
  o += panel("timeseries", "Burn rate", burn, "        unit: none\n        width: 16\n        queries:\n" + history);
  return o;
}

} // namespace

std::string dashboard_yaml(const Spec& spec, const std::string& rule_file) {
  std::string title = "SLOs" + (spec.service.empty() ? "" : " of " + spec.service);
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  " --dashboard`: do not edit, regenerate.\n# The error budgets of the SLOs, on the series of "
                  "the recording rules below; nsmon gen-dashboards renders it.\nuid: " +
                  dashboard_uid(spec) + "\ntitle: " + sq(title) +
                  "\ndescription: 'Objective, SLI, error budget remaining, burn rate per window and the burn-rate "
                  "alerts of each SLO (nsmon slo generate).'\ntags: [nsmon, slo]\ntime: {from: now-7d, to: now}\n"
                  "variables: [datasource]\nrules: [" +
                  sq(rule_file) + "]\nrows:\n";
  for (const auto& s : spec.slos) o += slo_row(s);
  o += "  - title: Alerts\n    panels:\n" +
       panel("table", "Firing burn-rate alerts", "The SLO alerts firing now, with their labels.",
             "        queries:\n" + query("ALERTS{alertstate=\"firing\", slo=~\".+\"}", "", true));
  return o;
}

} // namespace nsmon::slo
