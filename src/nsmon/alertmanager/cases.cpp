#include "nsmon/alertmanager/cases.hpp"

#include "nsmon/core/yaml.hpp"

namespace nsmon::alertmanager {

namespace {

std::optional<labels::Labels> label_set(core::YamlReader& y, const yaml::Node& n, std::string_view what) {
  if (!n.is_map()) {
    y.report(n, "yaml/type", std::string(what) + " must be a mapping of label names to values");
    return std::nullopt;
  }
  labels::Labels out;
  for (auto it = n.begin(); it != n.end(); ++it) {
    auto name = y.string(it->first, std::string(what) + " label names");
    auto value = y.string(it->second, std::string(what) + " label values");
    if (!name || !value) return std::nullopt;
    if (!is_label_name(*name)) {
      y.report(it->first, "yaml/type", "\"" + *name + "\" is not a valid label name");
      return std::nullopt;
    }
    labels::set(out, *name, *value);
  }
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ",") + s;
  return out.empty() ? "(none)" : out;
}

} // namespace

namespace {

// nsmon's own format: `cases:`, one alert per case, the others firing beside it under `firing:`.
void own_cases(core::YamlReader& y, const yaml::Node& list, std::vector<Case>& out) {
  for (const auto& n : list) {
    if (!y.check_mapping(n, {"name", "labels", "receivers", "firing", "inhibited"}, "a case")) continue;
    Case c;
    c.span = y.span(n);
    c.name = "case " + std::to_string(out.size() + 1);
    if (auto name = n["name"]) c.name = y.string(name, "name").value_or(c.name);
    auto labels = n["labels"];
    if (!labels) {
      y.report(n, "yaml/type", "a case needs labels (the alert's label set)");
      continue;
    }
    auto ls = label_set(y, labels, "labels");
    if (!ls) continue;
    c.labels = std::move(*ls);
    if (auto r = n["receivers"]) c.receivers = y.strings(r, "receivers");
    if (auto f = n["firing"]) {
      if (!f.is_sequence()) y.report(f, "yaml/type", "firing must be a list of label sets");
      else
        for (const auto& a : f)
          if (auto s = label_set(y, a, "firing")) c.firing.push_back(std::move(*s));
    }
    if (auto i = n["inhibited"]) c.inhibited = y.boolean(i, "inhibited");
    out.push_back(std::move(c));
  }
}

// The batch format proposed upstream (prometheus/alertmanager PR #5175, `amtool config routes test
// --test-file`): `tests:`, each a name and alerts fired together. Each alert becomes one case whose
// `firing` is the test's other alerts, with amtool's verdict: expected_inhibited: true asserts
// only that the alert is muted; otherwise its receivers must be expected_receivers, in order
// (absent: none, which no alert satisfies, as in the PR).
void upstream_tests(core::YamlReader& y, const yaml::Node& list, std::vector<Case>& out) {
  int index = 0;
  for (const auto& t : list) {
    ++index;
    if (!y.check_mapping(t, {"name", "alerts"}, "a test")) continue;
    std::string name = "test " + std::to_string(index);
    if (auto n = t["name"]) name = y.string(n, "name").value_or(name);
    auto alerts = t["alerts"];
    if (!alerts || !alerts.is_sequence()) {
      const char* why = "a test needs alerts: a list of alerts fired together";
      if (alerts) y.report(alerts, "yaml/type", why);
      else y.report(t, "yaml/type", why);
      continue;
    }
    const std::size_t first = out.size();
    for (const auto& a : alerts) {
      if (!y.check_mapping(a, {"labels", "expected_receivers", "expected_inhibited"}, "an alert of a test")) continue;
      auto labels = a["labels"];
      auto ls = labels ? label_set(y, labels, "labels") : std::nullopt;
      if (!labels) y.report(a, "yaml/type", "an alert needs labels (its label set)");
      if (!ls) continue;
      Case c;
      c.span = y.span(a);
      c.labels = std::move(*ls);
      bool inhibited = false;
      if (auto i = a["expected_inhibited"]) inhibited = y.boolean(i, "expected_inhibited").value_or(false);
      if (inhibited) c.inhibited = true;
      else if (auto r = a["expected_receivers"]) c.receivers = y.strings(r, "expected_receivers");
      else c.receivers = std::vector<std::string>{};
      out.push_back(std::move(c));
    }
    const std::size_t n = out.size() - first;
    for (std::size_t i = first; i < out.size(); ++i) {
      out[i].name =
          n == 1 ? name : name + " (alert " + std::to_string(i - first + 1) + " of " + std::to_string(n) + ")";
      for (std::size_t k = first; k < out.size(); ++k)
        if (k != i) out[i].firing.push_back(out[k].labels);
    }
  }
}

} // namespace

std::vector<Case> load_cases(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  core::YamlReader y(src, diags);
  std::vector<Case> out;
  auto root = y.parse();
  if (!root) return out;
  if (!y.check_mapping(*root, {"cases", "tests"}, "a cases file")) return out;
  const bool upstream = static_cast<bool>((*root)["tests"]);
  if (upstream && (*root)["cases"]) {
    y.report(*root, "yaml/type", "give cases: (nsmon's format) or tests: (amtool's batch format), not both");
    return out;
  }
  auto list = (*root)[upstream ? "tests" : "cases"];
  if (!list || !list.is_sequence()) {
    y.report(list ? list : *root, "yaml/type", std::string(upstream ? "tests" : "cases") + " must be a list");
    return out;
  }
  if (upstream) upstream_tests(y, list, out);
  else own_cases(y, list, out);
  return out;
}

CaseResult run_case(const Config& cfg, const Case& c) {
  CaseResult r;
  r.c = &c;
  if (cfg.route)
    for (const auto& m : route_alert(*cfg.route, c.labels)) r.receivers.push_back(m.receiver);
  r.inhibited_by = inhibited_by(cfg, c.labels, c.firing);
  if (c.receivers && *c.receivers != r.receivers)
    r.failures.push_back("receivers: expected " + join(*c.receivers) + ", got " + join(r.receivers));
  if (c.inhibited && *c.inhibited != !r.inhibited_by.empty())
    r.failures.push_back(*c.inhibited
                             ? "expected to be inhibited, but no inhibit rule mutes it"
                             : "expected not to be inhibited, but inhibit rule " +
                                   std::to_string(r.inhibited_by.front() + 1) + " (line " +
                                   std::to_string(cfg.inhibit_rules[r.inhibited_by.front()].span.line) + ") mutes it");
  return r;
}

} // namespace nsmon::alertmanager
