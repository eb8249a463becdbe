#include "nsmon/alertmanager/routing.hpp"

namespace nsmon::alertmanager {

namespace {

void walk(const Route& r, const std::string& receiver, std::vector<std::size_t>& path, const labels::Labels& labels,
          std::vector<RouteMatch>& out) {
  const std::string& mine = r.receiver && !r.receiver->value.empty() ? r.receiver->value : receiver;
  std::size_t before = out.size();
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    const Route& child = r.routes[i];
    if (!matches(child.match_all, labels)) continue;
    std::size_t found = out.size();
    path.push_back(i);
    walk(child, mine, path, labels, out);
    path.pop_back();
    if (out.size() > found && !child.continue_) break;
  }
  if (out.size() == before) out.push_back({&r, mine, path});
}

} // namespace

bool matches(const std::vector<Matcher>& matchers, const labels::Labels& ls) {
  return labels::matches(matchers, ls, labels::Dialect::alertmanager);
}

std::vector<RouteMatch> route_alert(const Route& root, const labels::Labels& labels) {
  // The tree's depth is the file's nesting, which the YAML parser bounds.
  std::vector<RouteMatch> out;
  std::vector<std::size_t> path;
  walk(root, "", path, labels, out);
  return out;
}

std::vector<InhibitMatch> inhibitions(const Config& cfg, const labels::Labels& target,
                                      const std::vector<labels::Labels>& firing) {
  std::vector<InhibitMatch> out;
  for (std::size_t i = 0; i < cfg.inhibit_rules.size(); ++i) {
    const InhibitRule& r = cfg.inhibit_rules[i];
    if (!matches(r.target, target)) continue;
    const bool two_sided = matches(r.source, target);
    InhibitMatch m{i, {}};
    for (std::size_t k = 0; k < firing.size(); ++k) {
      const auto& source = firing[k];
      if (!matches(r.source, source)) continue;
      bool equal = true;
      for (const auto& l : r.equal) equal = equal && labels::get(source, l.value) == labels::get(target, l.value);
      if (!equal || (two_sided && matches(r.target, source))) continue;
      m.sources.push_back(k);
    }
    if (!m.sources.empty()) out.push_back(std::move(m));
  }
  return out;
}

std::vector<std::size_t> inhibited_by(const Config& cfg, const labels::Labels& target,
                                      const std::vector<labels::Labels>& firing) {
  std::vector<std::size_t> out;
  for (const InhibitMatch& m : inhibitions(cfg, target, firing)) out.push_back(m.rule);
  return out;
}

RouteOptions inherit(const RouteOptions& parent, const Route& r) {
  RouteOptions o = parent;
  if (r.receiver && !r.receiver->value.empty()) o.receiver = r.receiver->value;
  std::vector<std::string> by;
  bool all = false;
  for (const auto& g : r.group_by) {
    if (g.value == "...") all = true;
    else by.push_back(g.value);
  }
  if (!by.empty()) {
    o.group_by = std::move(by);
    o.group_by_all = false;
  } else if (all) {
    o.group_by_all = true;
  }
  o.group_wait_ms = r.group_wait_ms.value_or(o.group_wait_ms);
  o.group_interval_ms = r.group_interval_ms.value_or(o.group_interval_ms);
  o.repeat_interval_ms = r.repeat_interval_ms.value_or(o.repeat_interval_ms);
  return o;
}

std::string to_string(const Matcher& m) {
  const char* op = labels::to_string(m.op);
  std::string v;
  for (char c : m.value) {
    if (c == '"' || c == '\\') v += '\\';
    v += c;
  }
  return m.name + op + "\"" + v + "\"";
}

} // namespace nsmon::alertmanager
