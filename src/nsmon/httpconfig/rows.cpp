#include "nsmon/httpconfig/rows.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <mutex>
#include <re2/re2.h>

namespace nsmon::httpconfig {

// The value at a dotted path ("basic_auth.username") of a mapping, or an undefined node.
yaml::Node get(const yaml::Node& m, std::string_view path) {
  yaml::Node n = m;
  while (n && n.is_map()) {
    auto dot = path.find('.');
    n = n[path.substr(0, dot)];
    if (dot == std::string_view::npos) return n;
    path.remove_prefix(dot + 1);
  }
  return {};
}

// Set as Go sees it after unmarshalling: not null, not "", not false, not an empty list or map.
bool set(const yaml::Node& n) {
  if (!n || n.is_null()) return false;
  if (n.is_scalar()) return !n.scalar().empty() && n.scalar() != "false";
  return n.size() > 0;
}
bool set(const yaml::Node& m, std::string_view path) { return set(get(m, path)); }
// Given at all, as Go sees a pointer to a section: `oauth: {}` is given, `oauth:` (null) is not.
bool present(const yaml::Node& m, std::string_view path) {
  auto n = get(m, path);
  return n && !n.is_null();
}
std::string value(const yaml::Node& m, std::string_view path) {
  auto n = get(m, path);
  return n && n.is_scalar() ? std::string(n.scalar()) : std::string();
}

bool contains(const std::vector<std::string_view>& v, std::string_view s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// An http(s) URL with a host, as Prometheus's SD configs require (url.Parse, then scheme and host).
std::string http_url_problem(const std::string& u) {
  auto sep = u.find("://");
  if (sep == std::string::npos) return "URL scheme must be 'http' or 'https'";
  std::string scheme = lower(u.substr(0, sep));
  if (scheme != "http" && scheme != "https") return "URL scheme must be 'http' or 'https'";
  std::string rest = u.substr(sep + 3);
  if (rest.empty() || rest[0] == '/' || rest[0] == '?' || rest[0] == '#') return "host is missing in URL";
  return {};
}

Names plus(Names a, const Names& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

core::Diagnostic& report(core::YamlReader& y, const yaml::Node& at, core::CheckId check, std::string message) {
  auto& d = y.report(at, check, std::move(message));
  std::string_view text = y.source().text();
  if (!at.is_null() || at.mark().is_null()) return d;
  // Back to the ':' or '-' before the null (over a comment after it: `- # later`), then to the
  // first character of that line.
  auto pos = std::min(static_cast<std::size_t>(at.mark().pos), text.size());
  std::size_t start = 0;
  for (bool comment = true; comment;) {
    while (pos > 0 && std::isspace(static_cast<unsigned char>(text[pos - 1]))) --pos;
    if (pos == 0) return d;
    start = text.rfind('\n', pos - 1);
    start = start == std::string_view::npos ? 0 : start + 1;
    comment = false;
    for (auto k = start; k < pos && !comment; ++k)
      if (text[k] == '#' && (k == start || text[k - 1] == ' ' || text[k - 1] == '\t')) pos = k, comment = true;
  }
  while (start < pos && (text[start] == ' ' || text[start] == '\t')) ++start;
  // "- key:": the key, not the dash.
  while (start + 2 < pos && text[start] == '-' && text[start + 1] == ' ')
    for (start += 2; start < pos && text[start] == ' ';) ++start;
  auto lc = y.source().line_col(start);
  d.span.line = lc.line;
  d.span.col = lc.col;
  d.span.len = static_cast<int>(pos - start);
  return d;
}

void fields(core::YamlReader& y, const yaml::Node& m, std::string_view path, const Names& allowed) {
  if (auto n = get(m, path); set(n)) y.check_mapping(n, allowed, path);
}

namespace {

// The RE2 pattern of an each_match row, compiled once, on first use.
const RE2& pattern(std::string_view p) {
  static std::mutex mu;
  static std::map<std::string, std::unique_ptr<RE2>, std::less<>> compiled;
  std::lock_guard<std::mutex> lock(mu);
  auto it = compiled.find(p);
  if (it == compiled.end()) it = compiled.emplace(std::string(p), std::make_unique<RE2>(p)).first;
  return *it->second;
}

} // namespace

// Applies rule rows to the mapping `m`, reporting at the field that breaks them.
void apply(core::YamlReader& y, const yaml::Node& m, const std::vector<Rule>& rules) {
  auto last_set = [&](const Fields& fields) {
    yaml::Node at;
    for (auto f : fields)
      if (auto n = get(m, f); set(n) && (!at || n.mark().pos > at.mark().pos)) at = n;
    return at;
  };
  auto count = [&](const Fields& fields) {
    return std::count_if(fields.begin(), fields.end(), [&](std::string_view f) { return set(m, f); });
  };
  for (const auto& r : rules) {
    if (!r.when.empty() && !set(m, r.when)) continue;
    std::string msg(r.message);
    switch (r.kind) {
    case Kind::at_most_one:
      if (count(r.a) > 1) report(y, last_set(r.a), "config/conflict", msg);
      break;
    case Kind::conflict:
      if (count(r.a) > 0 && count(r.b) > 0) {
        auto a = last_set(r.a), b = last_set(r.b);
        report(y, a.mark().pos > b.mark().pos ? a : b, "config/conflict", msg);
      }
      break;
    case Kind::required:
      if (count(r.a) == 0) {
        auto n = get(m, r.a.front());
        report(y, n ? n : (r.when.empty() ? m : get(m, r.when)), "config/missing-field", msg);
      }
      break;
    case Kind::exactly_one:
      if (count(r.a) == 0) report(y, m, "config/missing-field", "one of " + msg);
      else if (count(r.a) > 1) report(y, last_set(r.a), "config/conflict", "at most one of " + msg);
      break;
    case Kind::one_of:
      if (auto n = get(m, r.a.front()); set(n) && n.is_scalar() && !contains(r.b, n.scalar())) {
        auto hole = msg.find("{}");
        std::string quoted = "\"" + std::string(n.scalar()) + "\"";
        report(y, n, "config/invalid-value",
               hole == std::string::npos ? msg + " " + quoted : msg.replace(hole, 2, quoted));
      }
      break;
    case Kind::http_url:
      if (auto n = get(m, r.a.front()); set(n) && n.is_scalar())
        if (auto p = http_url_problem(std::string(n.scalar())); !p.empty())
          report(y, n, "config/invalid-value", msg + ": " + p);
      break;
    case Kind::not_empty:
      if (auto n = get(m, r.a.front()); n && !set(n)) report(y, n, "config/missing-field", msg);
      break;
    case Kind::each_match:
      if (auto list = get(m, r.a.front()); list && list.is_sequence())
        for (const auto& e : list)
          if (e.is_scalar() && !RE2::PartialMatch(e.scalar(), pattern(r.b.front()))) {
            std::string text = msg;
            report(y, e, "config/invalid-value",
                   text.replace(text.find("{}"), 2, "\"" + std::string(e.scalar()) + "\""));
          }
      break;
    }
  }
}

} // namespace nsmon::httpconfig
