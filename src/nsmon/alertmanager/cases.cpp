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

std::vector<Case> load_cases(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  core::YamlReader y(src, diags);
  std::vector<Case> out;
  auto root = y.parse();
  if (!root) return out;
  if (!y.check_mapping(*root, {"cases"}, "a cases file")) return out;
  auto list = (*root)["cases"];
  if (!list || !list.is_sequence()) {
    y.report(list ? list : *root, "yaml/type", "cases must be a list");
    return out;
  }
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
