#include <cctype>
#include <cstdio>
#include <cstdlib>

#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/generate_detail.hpp"
#include "nsmon/slo/sloth.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::slo {

namespace detail {

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

std::string window_text(std::int64_t ms) {
  for (auto [unit, size] : {std::pair{"d", 86400000LL}, std::pair{"h", 3600000LL}, std::pair{"m", 60000LL}})
    if (ms % size == 0) return std::to_string(ms / size) + unit;
  return text::format_duration(ms);
}

std::string total_rate(const Slo& s, const std::string& w) {
  if (s.kind == Slo::Kind::latency) return "sum(rate(" + s.metric + "_count[" + w + "]))";
  if (s.kind != Slo::Kind::events) return "";
  return s.sloth_queries ? render_window(s.total, w) : "sum(rate(" + s.total + "[" + w + "]))";
}

std::string flow(const std::map<std::string, std::string>& m) {
  std::string out;
  for (const auto& [k, v] : m) out += (out.empty() ? "" : ", ") + k + ": " + sq(v);
  return "{" + out + "}";
}

std::int64_t ms_of(const char* w) { return *text::parse_duration(w); }

std::string percent(double v) { return num(v * 100) + "%"; }

} // namespace detail

using namespace detail;

namespace {

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

// A value in PromQL (and in a test's series notation): Go's quoting, which both read back.
std::string sel(const std::string& metric, const Slo& s) { return metric + "{slo=" + text::go::quote(s.name) + "}"; }

} // namespace

namespace detail {

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

} // namespace detail

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

} // namespace nsmon::slo
