#include "nsmon/slo/generate.hpp"

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

// The series that make an SLI's error ratio r: what each counts of the events a minute.
struct Series {
  std::string labels; ///< series description
  enum class Part { errors, good, all } part;
};

std::optional<std::vector<Series>> events_series(const Slo& s, const catalog::Catalog& cat, std::string& why) {
  using P = Series::Part;
  if (s.kind == Slo::Kind::latency) // the bucket under the threshold counts the good events
    return std::vector<Series>{{s.metric + "_bucket{le=\"" + s.le + "\"}", P::good},
                               {s.metric + "_bucket{le=\"+Inf\"}", P::all},
                               {s.metric + "_count", P::all}};
  if (s.kind != Slo::Kind::events || s.sloth_queries) {
    why = s.kind == Slo::Kind::up ? "an up SLI (availability is simulated by scrapes, not counters)"
                                  : "a query-based SLI (the events it counts are not known)";
    return std::nullopt;
  }
  auto e = promql::parse(s.errors), t = promql::parse(s.total);
  const auto& es = e.expr()->as<promql::VectorSelector>();
  const auto& ts = t.expr()->as<promql::VectorSelector>();
  auto labels_of = [&](const promql::VectorSelector& vs, std::map<std::string, std::string>& into) {
    for (const auto& m : vs.matchers) {
      if (m.name == "__name__") continue;
      if (m.op != promql::MatchOp::equal) {
        why = "a selector with a " + std::string(promql::to_string(m.op)) + " matcher";
        return false;
      }
      into[m.name] = m.value;
    }
    return true;
  };
  auto text = [](const std::string& name, const std::map<std::string, std::string>& l) {
    std::string out;
    for (const auto& [k, v] : l) out += (out.empty() ? "" : ", ") + k + "=\"" + v + "\"";
    return name + "{" + out + "}";
  };
  std::map<std::string, std::string> err, total;
  if (!labels_of(es, err) || !labels_of(ts, total)) return std::nullopt;
  // Two counters: the errors, and the total that counts them too.
  if (es.name != ts.name) return std::vector<Series>{{text(es.name, err), P::errors}, {text(ts.name, total), P::all}};
  // One counter: the errors' series, and one with another value of the errors' own label (the
  // catalog's other value, else "ok"), which the total selects too.
  std::map<std::string, std::string> good = err;
  for (const auto& [k, v] : err) {
    if (total.count(k)) continue;
    std::string other = "ok";
    if (const auto* metric = cat.find(es.name))
      if (const auto* l = metric->label(k))
        for (const auto& value : l->values)
          if (value != v) {
            other = value;
            break;
          }
    good[k] = other;
  }
  return std::vector<Series>{{text(es.name, err), P::errors}, {text(ts.name, good), P::good}};
}

// input_series for error ratio r at `per_minute` events over `minutes`.
std::string inputs(const std::vector<Series>& series, double r, double per_minute, long minutes) {
  std::string o = "    input_series:\n";
  for (const auto& s : series) {
    double step = s.part == Series::Part::errors ? r * per_minute
                  : s.part == Series::Part::good ? (1 - r) * per_minute
                                                 : per_minute;
    o += "      - series: " + sq(s.labels) +
         "\n        values: " + sq("0+" + num(step) + "x" + std::to_string(minutes)) + "\n";
  }
  return o;
}

} // namespace

std::string tests_yaml(const Spec& spec, const catalog::Catalog& cat, const std::string& rule_file,
                       std::vector<std::string>& skipped) {
  std::string o = "# Generated by `nsmon slo generate " + spec.path +
                  " --tests`: do not edit, regenerate.\n# Each burn-rate alert fires at 1.05x its threshold, stays "
                  "silent at 0.95x, and the fastest stays silent below the traffic guard.\n# Run with `nsmon "
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
      AlertText t = alert_text(spec, s, b);
      for (double k : {1.05, 0.95}) {
        o += "  - name: " +
             sq(s.name + " " + names[i] + (k > 1 ? " fires at 1.05x" : " is silent at 0.95x") + " its threshold") +
             "\n    interval: 1m\n" + inputs(*series, threshold * k, per_minute, eval_min + 5) +
             "    alert_rule_test:\n      - eval_time: " + eval + "\n        alertname: " + names[i] + "\n";
        if (k < 1) {
          o += "        exp_alerts: []\n";
          continue;
        }
        o += "        exp_alerts:\n          - exp_labels: " + flow(t.labels) + "\n            exp_annotations:\n";
        for (const auto& [key, v] : t.annotations) o += "              " + key + ": " + sq(v) + "\n";
      }
      if (i == 0 && s.min_events_per_hour > 0) {
        double low = s.min_events_per_hour / 60 / 4; // a quarter of the guard
        o += "  - name: " +
             sq(s.name + " " + names[i] + " is silent below " + num(s.min_events_per_hour) + " events an hour") +
             "\n    interval: 1m\n" + inputs(*series, std::min(0.99, threshold * 2), low, eval_min + 5) +
             "    alert_rule_test:\n      - eval_time: " + eval + "\n        alertname: " + names[i] +
             "\n        exp_alerts: []\n";
      }
    }
  }
  return o;
}

} // namespace nsmon::slo
