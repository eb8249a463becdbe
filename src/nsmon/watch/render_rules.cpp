// What `watch --rules` shows: the live block's alert parts, a plain line and a jsonl object per
// transition, and the summary's rows (which alert fired when, for how long; the assertions).
#include <nlohmann/json.hpp>

#include "nsmon/text/duration.hpp"
#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"

namespace nsmon::watch {

namespace {

using json = nlohmann::ordered_json;

std::string paint(bool color, const std::string& s, const char* code) {
  return color && !s.empty() ? std::string("\033[") + code + "m" + s + "\033[0m" : s;
}

// Critical and above red, warning yellow, info and the rest cyan.
const char* severity_color(const std::string& severity) {
  int r = severity_rank(severity);
  if (r >= severity_rank("error")) return "1;31";
  if (r == severity_rank("warning")) return "33";
  return "36";
}

std::string since(std::int64_t from_ms, std::int64_t to_ms) {
  return fmt::duration(static_cast<double>(std::max<std::int64_t>(0, to_ms - from_ms)) / 1000.0);
}

// The labels that tell instances apart: all but alertname, severity, job and instance.
std::string distinguishing(const engine::Labels& ls) {
  std::string out;
  for (const auto& [k, v] : ls) {
    if (k == "alertname" || k == "severity" || k == "job" || k == "instance") continue;
    out += (out.empty() ? "" : ",") + k + "=" + v;
  }
  return out;
}

std::string alert_title(const AlertRecord& a) {
  std::string d = distinguishing(a.labels);
  return a.name + (d.empty() ? "" : "{" + d + "}");
}

json labels_json(const engine::Labels& ls) {
  json o = json::object();
  for (const auto& [k, v] : ls) o[k] = v;
  return o;
}

json alert_json(const AlertRecord& a) {
  return {{"alertname", a.name},
          {"severity", a.severity.empty() ? json(nullptr) : json(a.severity)},
          {"state", a.state},
          {"labels", labels_json(a.labels)},
          {"annotations", labels_json(a.annotations)},
          {"value", std::isfinite(a.value) ? json(a.value) : json(engine::format_value(a.value))},
          {"active_at", static_cast<double>(a.active_at) / 1000.0},
          {"fired_at", a.fired_at >= 0 ? json(static_cast<double>(a.fired_at) / 1000.0) : json(nullptr)},
          {"resolved_at", a.resolved_at >= 0 ? json(static_cast<double>(a.resolved_at) / 1000.0) : json(nullptr)}};
}

} // namespace

std::vector<std::string> alert_parts(const RulesStatus& r, bool color, std::int64_t now) {
  std::vector<std::string> parts;
  for (const auto& a : r.failed_asserts) parts.push_back(paint(color, "assert failed: " + a, "1;31"));
  for (const auto& a : r.active) {
    bool firing = a.state == "firing";
    std::string text = alert_title(a) + " " + a.state + " " + since(firing ? a.fired_at : a.active_at, now);
    parts.push_back(firing ? paint(color, text, severity_color(a.severity)) : paint(color, text, "2"));
  }
  if (parts.empty())
    parts.push_back(paint(color, "none firing", "32") + " (" + std::to_string(r.evaluations) + " evaluations)");
  return parts;
}

std::string rule_event_line(const RuleEvent& e, std::int64_t start_ms) {
  std::string head = fmt::elapsed(static_cast<double>(std::max<std::int64_t>(0, e.t - start_ms)) / 1000.0) + " ";
  switch (e.kind) {
  case RuleEvent::Kind::pending:
  case RuleEvent::Kind::firing:
  case RuleEvent::Kind::resolved: {
    const AlertRecord& a = e.alert;
    std::string s = head + "alert " + alert_title(a) + " " + to_string(e.kind);
    if (!a.severity.empty()) s += " (" + a.severity + ")";
    if (e.kind == RuleEvent::Kind::resolved && a.fired_at >= 0) s += " after firing " + since(a.fired_at, e.t);
    if (e.kind != RuleEvent::Kind::resolved) {
      s += " value " + engine::format_value(a.value);
      std::string summary = engine::get(a.annotations, "summary");
      if (!summary.empty()) s += ": " + summary;
    }
    return s;
  }
  case RuleEvent::Kind::assert_failed: return head + "assertion failed: " + e.subject + " (" + e.message + ")";
  case RuleEvent::Kind::assert_holds: return head + "assertion holds again: " + e.subject;
  case RuleEvent::Kind::rule_error: return head + "rule " + e.subject + " failed: " + e.message;
  }
  return head;
}

std::string rule_event_json(const RuleEvent& e) {
  json o = {{"type", e.kind == RuleEvent::Kind::rule_error ? "rule_error"
                     : e.kind == RuleEvent::Kind::assert_failed || e.kind == RuleEvent::Kind::assert_holds ? "assert"
                                                                                                           : "alert"},
            {"event", to_string(e.kind)},
            {"time", static_cast<double>(e.t) / 1000.0}};
  switch (e.kind) {
  case RuleEvent::Kind::pending:
  case RuleEvent::Kind::firing:
  case RuleEvent::Kind::resolved: o["alert"] = alert_json(e.alert); break;
  case RuleEvent::Kind::assert_failed:
  case RuleEvent::Kind::assert_holds:
    o["expr"] = e.subject;
    o["holds"] = e.kind == RuleEvent::Kind::assert_holds;
    o["message"] = e.message;
    break;
  case RuleEvent::Kind::rule_error:
    o["rule"] = e.subject;
    o["message"] = e.message;
    break;
  }
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string rules_summary_text(const RulesStatus& r, bool color, std::int64_t end_ms, std::size_t width) {
  std::string out;
  auto row = [&](const std::string& label, const std::string& text) {
    out += fmt::wrap("  " + paint(color, label, "1"), {text}, "", width, 2 + label.size());
  };
  std::size_t fired = 0, pending_only = 0;
  for (const auto& a : r.history) {
    if (a.fired_at < 0) {
      ++pending_only;
      continue;
    }
    ++fired;
    std::string s = paint(color, alert_title(a), severity_color(a.severity)) +
                    (a.severity.empty() ? "" : " (" + a.severity + ")") + " fired at " + since(r.start_ms, a.fired_at);
    s += a.resolved_at >= 0 ? ", resolved after " + since(a.fired_at, a.resolved_at)
                            : ", still firing at the end (" + since(a.fired_at, end_ms) + ")";
    row("alert      ", s);
  }
  std::string line = std::to_string(r.evaluations) + " group evaluations, " + std::to_string(fired) +
                     (fired == 1 ? " alert fired" : " alerts fired");
  if (pending_only) line += ", " + std::to_string(pending_only) + " pending that never fired";
  if (r.rule_errors) line += ", " + std::to_string(r.rule_errors) + " rule errors";
  line += "; store " + fmt::count(static_cast<double>(r.series)) + " series, " + text::format_duration(r.window_ms) +
          " window";
  row("rules      ", line);
  if (r.asserts) {
    // Held: checked on data and never failed; one never checked held on nothing.
    const std::size_t held = r.asserts - r.failed_asserts.size() - r.unchecked_asserts.size();
    std::string s = std::to_string(held) + " of " + std::to_string(r.asserts) + " held";
    for (const auto& a : r.failed_asserts) s += "; " + paint(color, "failed: " + a, "31");
    for (const auto& a : r.unchecked_asserts)
      s += "; " + paint(color, "never checked, none of the series it selects was scraped: " + a, "31");
    row("assertions ", s);
  }
  if (r.failed) row("result     ", paint(color, r.failure, "1;31"));
  return out;
}

std::string rules_summary_json(const RulesStatus& r) {
  json alerts = json::array();
  for (const auto& a : r.history) alerts.push_back(alert_json(a));
  json o = {{"evaluations", r.evaluations},
            {"rule_errors", r.rule_errors},
            {"alerts", alerts},
            {"asserts", r.asserts},
            {"failed_asserts", r.failed_asserts},
            {"unchecked_asserts", r.unchecked_asserts},
            {"failed", r.failed},
            {"failure", r.failed ? json(r.failure) : json(nullptr)},
            {"series", r.series},
            {"window_seconds", static_cast<double>(r.window_ms) / 1000.0}};
  return o.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace nsmon::watch
