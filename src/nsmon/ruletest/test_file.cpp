#include "nsmon/ruletest/test_file.hpp"

#include <charconv>
#include <cmath>
#include <ctime>
#include <limits>
#include <set>

#include "nsmon/core/yaml.hpp"
#include "nsmon/text/duration.hpp"

namespace nsmon::ruletest {

namespace {

// Go's yaml.v2 reads a float64 from a plain scalar only: decimal or exponent forms, YAML 1.1's
// .inf/.nan spellings, integers (0x... too); a quoted "1" is a type error, null is 0.
std::optional<double> yaml_float(const yaml::Node& n) {
  if (n.is_null()) return 0.0;
  if (!n.is_scalar() || n.tag() != "?") return std::nullopt;
  const std::string s(n.scalar());
  for (const char* inf : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
    if (s == inf) return std::numeric_limits<double>::infinity();
  for (const char* inf : {"-.inf", "-.Inf", "-.INF"})
    if (s == inf) return -std::numeric_limits<double>::infinity();
  if (s == ".nan" || s == ".NaN" || s == ".NAN") return std::numeric_limits<double>::quiet_NaN();
  std::string_view body = s;
  bool neg = !body.empty() && body[0] == '-';
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) {
    long long v = 0;
    auto r = std::from_chars(body.data() + 2, body.data() + body.size(), v, 16);
    if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return std::nullopt;
    return neg ? -static_cast<double>(v) : static_cast<double>(v);
  }
  // Digits, one dot, an exponent: no "inf", "nan" or hex floats (from_chars would take them).
  for (char c : body)
    if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) return std::nullopt;
  double v = 0;
  auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ec != std::errc() || r.ptr != body.data() + body.size()) return std::nullopt;
  return neg ? -v : v;
}

std::optional<bool> yaml_bool(const yaml::Node& n) {
  if (n.is_null()) return false;
  if (!n.is_scalar() || n.tag() != "?") return std::nullopt;
  static const std::set<std::string> yes{"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"};
  static const std::set<std::string> no{"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"};
  if (yes.count(std::string(n.scalar()))) return true;
  if (no.count(std::string(n.scalar()))) return false;
  return std::nullopt;
}

// RFC 3339 ("2021-01-01T00:00:00Z", "...+02:00", fractions) or Unix seconds, as promtool's
// parseTime reads start_timestamp; milliseconds since the epoch.
std::optional<std::int64_t> parse_time(const std::string& s) {
  double secs = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), secs);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size() && std::isfinite(secs))
    return static_cast<std::int64_t>(std::llround(secs * 1000));
  std::tm tm{};
  int consumed = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                  &tm.tm_sec, &consumed) != 6 ||
      consumed != 19)
    return std::nullopt;
  tm.tm_year -= 1900;
  tm.tm_mon -= 1;
  std::int64_t ms = static_cast<std::int64_t>(timegm(&tm)) * 1000;
  std::size_t i = 19;
  if (i < s.size() && s[i] == '.') {
    double scale = 100;
    for (++i; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, scale /= 10)
      ms += static_cast<int>((s[i] - '0') * scale);
  }
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z')) return i + 1 == s.size() ? std::optional(ms) : std::nullopt;
  int hh = 0, mm = 0;
  if (i + 6 == s.size() && (s[i] == '+' || s[i] == '-') && std::sscanf(s.c_str() + i + 1, "%2d:%2d", &hh, &mm) == 2) {
    std::int64_t off = (hh * 60 + mm) * 60'000LL;
    return s[i] == '+' ? ms - off : ms + off;
  }
  return std::nullopt;
}

class Loader {
public:
  Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) : y_(src, diags), out_(diags) {}

  TestFile run() {
    TestFile f;
    f.path = y_.source().path();
    auto root = y_.parse();
    if (!root || root->is_null()) return f;
    if (!y_.check_mapping(
            *root, {"rule_files", "dashboards", "evaluation_interval", "group_eval_order", "tests", "fuzzy_compare"},
            "a rule test file"))
      return f;
    f.rule_files = texts((*root)["rule_files"], "rule_files");
    f.dashboards = texts((*root)["dashboards"], "dashboards");
    if (auto n = (*root)["evaluation_interval"]) {
      if (auto d = duration(n, "evaluation_interval"); d && *d > 0) f.evaluation_interval_ms = *d;
    }
    f.group_eval_order = texts((*root)["group_eval_order"], "group_eval_order");
    std::set<std::string> order;
    for (const auto& g : f.group_eval_order)
      if (!order.insert(g.value).second) error(g.span, "group name repeated in evaluation order: " + g.value);
    if (auto n = (*root)["fuzzy_compare"]) {
      auto b = yaml_bool(n);
      if (!b) y_.report(n, "yaml/type", "fuzzy_compare must be true or false");
      f.fuzzy_compare = b.value_or(false);
    }
    if (auto tests = (*root)["tests"]; tests && !tests.is_null()) {
      int i = 0;
      if (!tests.is_sequence()) y_.report(tests, "yaml/type", "tests must be a list of test groups");
      else
        for (const auto& t : tests) f.tests.push_back(test_group(t, i++));
    }
    return f;
  }

private:
  void error(const core::Span& at, std::string msg) {
    // Positioned like every loader finding; the check says it is about the test file's content.
    out_.push_back(core::make_diagnostic("ruletest/invalid", at, std::move(msg)));
  }

  core::Located text(const yaml::Node& n) {
    if (n.is_null()) {
      core::Located t;
      t.span = y_.span(n);
      return t;
    }
    return y_.located(n);
  }

  std::optional<core::Located> string(const yaml::Node& parent, const char* key, const char* what) {
    auto n = parent[key];
    if (!n) return std::nullopt;
    if (!n.is_scalar() && !n.is_null()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a string");
      return std::nullopt;
    }
    return text(n);
  }

  std::optional<std::int64_t> duration(const yaml::Node& n, const char* what) {
    if (!n.is_scalar()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a duration");
      return std::nullopt;
    }
    auto ms = text::parse_duration(n.scalar());
    if (!ms)
      y_.report(n, "rules/duration",
                "not a valid duration string: \"" + std::string(n.scalar()) + "\" (use e.g. 30s, 5m)");
    return ms;
  }

  std::vector<core::Located> texts(const yaml::Node& n, const char* what) {
    std::vector<core::Located> out;
    if (!n || n.is_null()) return out;
    if (!n.is_sequence()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a list of strings");
      return out;
    }
    for (const auto& item : n) {
      if (!item.is_scalar()) y_.report(item, "yaml/type", std::string("entries of ") + what + " must be strings");
      else out.push_back(text(item));
    }
    return out;
  }

  std::vector<KeyValue> pairs(const yaml::Node& n, const char* what) {
    std::vector<KeyValue> out;
    if (!n || n.is_null()) return out;
    if (!n.is_map()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a mapping of names to strings");
      return out;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.is_scalar() || !(it->second.is_scalar() || it->second.is_null())) {
        y_.report(it->second.is_scalar() ? it->first : it->second, "yaml/type",
                  std::string("entries of ") + what + " must be name: string");
        continue;
      }
      KeyValue kv{text(it->first), text(it->second), {}};
      if (seen.insert(kv.key.value).second) out.push_back(std::move(kv));
    }
    return out;
  }

  std::optional<std::int64_t> eval_time(const yaml::Node& parent, core::Located& written) {
    auto n = parent["eval_time"];
    if (!n || n.is_null()) {
      written.value = "0s";
      return 0;
    }
    written = text(n);
    return duration(n, "eval_time");
  }

  TestGroup test_group(const yaml::Node& n, int index) {
    TestGroup g;
    g.index = index;
    g.span = y_.span(n);
    if (n.is_null()) return g; // `- {}` and a bare `-` are empty tests
    if (!y_.check_mapping(n,
                          {"interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels",
                           "external_url", "name", "start_timestamp", "nsmon", "panel_tests"},
                          "a test group"))
      return g;
    if (auto name = string(n, "name", "name")) g.name = name->value;
    if (auto iv = n["interval"]; iv && !iv.is_null()) {
      auto d = duration(iv, "interval");
      if (d && *d > 0) g.interval_ms = d;
    }
    if (auto st = n["start_timestamp"]; st && !st.is_null()) {
      g.start_ms = st.is_scalar() ? parse_time(std::string(st.scalar())) : std::nullopt;
      if (!g.start_ms)
        y_.report(st, "yaml/type", "start_timestamp must be Unix seconds or an RFC 3339 time (2021-01-01T00:00:00Z)");
    }
    if (auto url = string(n, "external_url", "external_url")) g.external_url = url->value;
    g.external_labels = pairs(n["external_labels"], "external_labels");
    extensions(n["nsmon"], g.nsmon);
    for (const auto& item : list(n["input_series"], "input_series")) {
      if (!y_.check_mapping(item, {"series", "values"}, "an input series")) continue;
      InputSeries s;
      s.span = y_.span(item);
      if (auto t = string(item, "series", "series")) s.series = *t;
      if (auto t = string(item, "values", "values")) s.values = *t;
      g.input_series.push_back(std::move(s));
    }
    for (const auto& item : list(n["alert_rule_test"], "alert_rule_test")) {
      if (!y_.check_mapping(item, {"eval_time", "alertname", "exp_alerts"}, "an alert rule test")) continue;
      AlertTest a;
      a.span = y_.span(item);
      a.eval_time_ms = eval_time(item, a.eval_time).value_or(0);
      if (auto t = string(item, "alertname", "alertname")) a.alertname = *t;
      if (a.alertname.value.empty())
        error(a.span, "an item under alert_rule_test misses required attribute alertname at eval_time " +
                          text::format_duration(a.eval_time_ms) +
                          (g.name.empty() ? std::string() : " (in TestGroup " + g.name + ")"));
      for (const auto& e : list(item["exp_alerts"], "exp_alerts")) {
        if (!y_.check_mapping(e, {"exp_labels", "exp_annotations"}, "an expected alert")) continue;
        a.exp_alerts.push_back(
            {pairs(e["exp_labels"], "exp_labels"), pairs(e["exp_annotations"], "exp_annotations"), y_.span(e)});
      }
      g.alert_tests.push_back(std::move(a));
    }
    for (const auto& item : list(n["promql_expr_test"], "promql_expr_test")) {
      if (!y_.check_mapping(item, {"expr", "eval_time", "exp_samples"}, "a PromQL expression test")) continue;
      ExprTest x;
      x.span = y_.span(item);
      if (auto t = string(item, "expr", "expr")) x.expr = *t;
      x.eval_time_ms = eval_time(item, x.eval_time).value_or(0);
      for (const auto& s : list(item["exp_samples"], "exp_samples")) {
        if (!y_.check_mapping(s, {"labels", "value", "histogram"}, "an expected sample")) continue;
        ExpSample e;
        e.span = y_.span(s);
        if (auto t = string(s, "labels", "labels")) e.labels = *t;
        if (auto v = s["value"]) e.value = expected_value(v);
        if (auto h = s["histogram"]; h && !h.is_null())
          if (auto t = string(s, "histogram", "histogram")) e.histogram = *t;
        x.exp_samples.push_back(std::move(e));
      }
      g.expr_tests.push_back(std::move(x));
    }
    for (const auto& item : list(n["panel_tests"], "panel_tests"))
      if (auto p = panel_test(item)) g.panel_tests.push_back(std::move(*p));
    return g;
  }

  // An expected sample's or series' value, as promtool reads it (0 when it is no number).
  double expected_value(const yaml::Node& v) {
    auto d = yaml_float(v);
    if (!d) y_.report(v, "yaml/type", "value must be a number (1, 0.5, 1e3, .inf, .nan)");
    return d.value_or(0);
  }

  std::optional<PanelTest> panel_test(const yaml::Node& item) {
    if (!y_.check_mapping(item,
                          {"eval_time", "dashboard", "row", "panel", "annotation", "variables", "range", "interval",
                           "unit", "exp_series"},
                          "a panel test"))
      return std::nullopt;
    PanelTest p;
    p.span = y_.span(item);
    p.eval_time_ms = eval_time(item, p.eval_time).value_or(0);
    if (auto t = string(item, "dashboard", "dashboard")) p.dashboard = *t;
    if (auto t = string(item, "panel", "panel")) p.panel = *t;
    if (auto t = string(item, "row", "row")) p.row = *t;
    if (auto t = string(item, "annotation", "annotation")) p.annotation = *t;
    if (p.dashboard.value.empty() || p.panel.value.empty() == p.annotation.value.empty())
      error(p.span, "a panel test needs dashboard: (a template's uid or title) and either panel: (the panel's "
                    "title) or annotation: (an annotation's name)");
    if (auto r = item["range"]; r && !r.is_null())
      if (auto d = duration(r, "range"); d && *d > 0) p.range_ms = d;
    if (auto r = item["interval"]; r && !r.is_null())
      if (auto d = duration(r, "interval"); d && *d > 0) p.interval_ms = d;
    if (auto t = string(item, "unit", "unit")) p.unit = *t;
    if (auto vars = item["variables"]; vars && !vars.is_null()) {
      if (!vars.is_map()) y_.report(vars, "yaml/type", "variables must be a mapping of names to values");
      else
        for (auto it = vars.begin(); it != vars.end(); ++it) {
          if (!it->first.is_scalar()) continue;
          std::vector<core::Located> values;
          if (it->second.is_sequence()) values = texts(it->second, "a variable's values");
          else if (it->second.is_scalar()) values.push_back(text(it->second));
          else {
            y_.report(it->second, "yaml/type", "a variable's value must be a string or a list of strings");
            continue;
          }
          p.variables.emplace_back(text(it->first), std::move(values));
        }
    }
    for (const auto& s : list(item["exp_series"], "exp_series")) {
      if (!y_.check_mapping(s, {"legend", "value", "color", "points"}, "an expected series")) continue;
      ExpPanelSeries e;
      e.span = y_.span(s);
      if (auto t = string(s, "legend", "legend")) e.legend = *t;
      if (auto v = s["value"]) e.value = expected_value(v);
      if (auto t = string(s, "color", "color")) e.color = *t;
      for (const auto& pt : list(s["points"], "points")) {
        if (!y_.check_mapping(pt, {"at", "value"}, "a point")) continue;
        ExpPoint x;
        x.span = y_.span(pt);
        if (auto at = pt["at"]) {
          x.at = text(at);
          x.at_ms = duration(at, "at").value_or(0);
        } else error(x.span, "a point needs at: (a time of the test, like eval_time)");
        if (auto v = pt["value"]) x.value = expected_value(v);
        else error(x.span, "a point needs value:");
        e.points.push_back(std::move(x));
      }
      if (!e.value && e.points.empty() && e.color.value.empty())
        error(e.span, "an expected series needs value:, points: or color:");
      p.exp_series.push_back(std::move(e));
    }
    return p;
  }

  void extensions(const yaml::Node& n, Extensions& ext) {
    if (!n || n.is_null()) return;
    if (!y_.check_mapping(n, {"partial", "alertmanager", "alertmanager_tests"}, "nsmon's test extensions")) return;
    if (auto p = n["partial"]) {
      auto b = yaml_bool(p);
      if (!b) y_.report(p, "yaml/type", "partial must be true or false");
      ext.partial = b.value_or(false);
    }
    ext.alertmanager = string(n, "alertmanager", "alertmanager");
    for (const auto& item : list(n["alertmanager_tests"], "alertmanager_tests")) {
      if (!y_.check_mapping(item, {"eval_time", "notifications", "inhibited"}, "an alertmanager test")) continue;
      AlertmanagerTest t;
      t.span = y_.span(item);
      t.eval_time_ms = eval_time(item, t.eval_time).value_or(0);
      if (auto ns = item["notifications"]) {
        t.notifications.emplace();
        for (const auto& e : list(ns, "notifications"))
          if (auto x = notification(e)) t.notifications->push_back(std::move(*x));
      }
      if (auto is = item["inhibited"]) {
        t.inhibited.emplace();
        for (const auto& e : list(is, "inhibited")) {
          if (!y_.check_mapping(e, {"alert", "by"}, "an inhibited alert")) continue;
          ExpInhibited x;
          x.span = y_.span(e);
          if (!e["alert"]) error(x.span, "an inhibited alert needs alert: its labels");
          x.alert = pairs(e["alert"], "alert");
          if (auto by = e["by"]) x.by = pairs(by, "by");
          t.inhibited->push_back(std::move(x));
        }
      }
      ext.alertmanager_tests.push_back(std::move(t));
    }
  }

  // `receiver`, `group_labels`, `alerts` and one key per integration (slack: {title: ...}).
  std::optional<ExpNotification> notification(const yaml::Node& e) {
    if (!e.is_map()) {
      y_.report(e, "yaml/type", "a notification must be a mapping (receiver, group_labels, alerts, integrations)");
      return std::nullopt;
    }
    ExpNotification x;
    x.span = y_.span(e);
    if (auto r = string(e, "receiver", "receiver")) x.receiver = *r;
    if (x.receiver.value.empty()) error(x.span, "a notification needs receiver: the receiver's name");
    if (auto g = e["group_labels"]) x.group_labels = pairs(g, "group_labels");
    if (auto as = e["alerts"]) {
      x.alerts.emplace();
      for (const auto& a : list(as, "alerts")) x.alerts->push_back(pairs(a, "alerts"));
    }
    for (auto it = e.begin(); it != e.end(); ++it) {
      const std::string key(it->first.scalar());
      if (key == "receiver" || key == "group_labels" || key == "alerts") continue;
      if (!is_integration(key)) {
        y_.report(
            it->first, "yaml/unknown-field",
            "unknown field '" + key +
                "' in a notification (receiver, group_labels, alerts, or an integration: slack, email, "
                "pagerduty, webhook, opsgenie, victorops, pushover, wechat, telegram, sns, discord, webex, msteams)");
        continue;
      }
      ExpIntegration in;
      in.name = text(it->first);
      if (!it->second.is_map()) {
        y_.report(it->second, "yaml/type", key + " must be a mapping of its fields to expected texts");
        continue;
      }
      for (auto f = it->second.begin(); f != it->second.end(); ++f)
        if (auto t = expected_text(f->second)) in.fields.emplace_back(text(f->first), std::move(*t));
      x.integrations.push_back(std::move(in));
    }
    return x;
  }

  static bool is_integration(const std::string& key) {
    static const std::set<std::string> known{"slack",     "email",    "pagerduty", "webhook",  "opsgenie",
                                             "victorops", "pushover", "wechat",    "telegram", "sns",
                                             "discord",   "webex",    "msteams"};
    return known.count(key) > 0;
  }

  // A string (the whole text) or {contains: TEXT} / {matches: RE2}.
  std::optional<ExpText> expected_text(const yaml::Node& v) {
    ExpText t;
    if (v.is_scalar() || v.is_null()) {
      t.text = text(v);
      return t;
    }
    if (!v.is_map() || v.size() != 1) {
      y_.report(v, "yaml/type", "an expected text is a string, {contains: TEXT} or {matches: REGEX}");
      return std::nullopt;
    }
    // A misspelt key is reported by check_mapping, and then there is nothing to expect.
    if (!y_.check_mapping(v, {"contains", "matches"}, "an expected text") || (!v["contains"] && !v["matches"]))
      return std::nullopt;
    const bool contains = static_cast<bool>(v["contains"]);
    auto s = v[contains ? "contains" : "matches"];
    if (!s.is_scalar()) {
      y_.report(s, "yaml/type", "an expected text must be a string");
      return std::nullopt;
    }
    t.kind = contains ? ExpText::Kind::contains : ExpText::Kind::matches;
    t.text = text(s);
    return t;
  }

  std::vector<yaml::Node> list(const yaml::Node& n, const char* what) {
    std::vector<yaml::Node> out;
    if (!n || n.is_null()) return out;
    if (!n.is_sequence()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a list");
      return out;
    }
    for (const auto& item : n) out.push_back(item);
    return out;
  }

  core::YamlReader y_;
  std::vector<core::Diagnostic>& out_;
};

} // namespace

TestFile load_test_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  return Loader(src, diags).run();
}

} // namespace nsmon::ruletest
