#include "nsmon/alertmanager/routing.hpp"

#include <memory>
#include <re2/re2.h>
#include <unordered_map>

namespace nsmon::alertmanager {

namespace {

// Compiled anchored regexes, by source text (the same few regexes are matched over and over).
const RE2& compiled(const std::string& regex) {
  thread_local std::unordered_map<std::string, std::unique_ptr<RE2>> cache;
  auto& re = cache[regex];
  if (!re) {
    RE2::Options opts;
    opts.set_log_errors(false);
    re = std::make_unique<RE2>("^(?:" + regex + ")$", opts);
  }
  return *re;
}

bool holds(const Matcher& m, const LabelSet& labels) {
  auto it = labels.find(m.name);
  const std::string& v = it == labels.end() ? std::string() : it->second;
  switch (m.type) {
  case MatchType::equal: return v == m.value;
  case MatchType::not_equal: return v != m.value;
  case MatchType::regex: return RE2::FullMatch(v, compiled(m.value));
  case MatchType::not_regex: return !RE2::FullMatch(v, compiled(m.value));
  }
  return false;
}

void walk(const Route& r, const std::string& receiver, std::vector<std::size_t>& path, const LabelSet& labels,
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

const std::string& value_of(const LabelSet& ls, const std::string& name) {
  static const std::string empty;
  auto it = ls.find(name);
  return it == ls.end() ? empty : it->second;
}

} // namespace

bool matches(const std::vector<Matcher>& matchers, const LabelSet& labels) {
  for (const auto& m : matchers)
    if (!holds(m, labels)) return false;
  return true;
}

std::vector<RouteMatch> route_alert(const Route& root, const LabelSet& labels) {
  // The tree's depth is the file's nesting, which the YAML parser bounds.
  std::vector<RouteMatch> out;
  std::vector<std::size_t> path;
  walk(root, "", path, labels, out);
  return out;
}

std::vector<std::size_t> inhibited_by(const Config& cfg, const LabelSet& target, const std::vector<LabelSet>& firing) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < cfg.inhibit_rules.size(); ++i) {
    const InhibitRule& r = cfg.inhibit_rules[i];
    if (!matches(r.target, target)) continue;
    const bool two_sided = matches(r.source, target);
    for (const auto& source : firing) {
      if (!matches(r.source, source)) continue;
      bool equal = true;
      for (const auto& l : r.equal) equal = equal && value_of(source, l.value) == value_of(target, l.value);
      if (!equal || (two_sided && matches(r.target, source))) continue;
      out.push_back(i);
      break;
    }
  }
  return out;
}

std::string to_string(const Matcher& m) {
  const char* op = m.type == MatchType::equal       ? "="
                   : m.type == MatchType::not_equal ? "!="
                   : m.type == MatchType::regex     ? "=~"
                                                    : "!~";
  std::string v;
  for (char c : m.value) {
    if (c == '"' || c == '\\') v += '\\';
    v += c;
  }
  return m.name + op + "\"" + v + "\"";
}

} // namespace nsmon::alertmanager
