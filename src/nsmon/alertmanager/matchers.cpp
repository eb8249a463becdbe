#include "nsmon/alertmanager/matchers.hpp"

#include <re2/re2.h>

namespace nsmon::alertmanager {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':'; }
bool name_char(char c) { return name_start(c) || (c >= '0' && c <= '9'); }

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// One matcher: name, operator, value (quoted with escapes \n \" \\, or bare).
std::string parse_one(std::string_view s, std::vector<Matcher>& out) {
  std::string bad = "bad matcher format: " + std::string(s);
  s = trim(s);
  std::size_t i = 0;
  if (i >= s.size() || !name_start(s[i])) return bad;
  while (i < s.size() && name_char(s[i])) ++i;
  Matcher m;
  m.name = std::string(s.substr(0, i));
  while (i < s.size() && is_space(s[i])) ++i;
  std::string_view rest = s.substr(i);
  if (rest.substr(0, 2) == "=~") m.op = MatchOp::regex, i += 2;
  else if (rest.substr(0, 2) == "!=") m.op = MatchOp::not_equal, i += 2;
  else if (rest.substr(0, 2) == "!~") m.op = MatchOp::not_regex, i += 2;
  else if (rest.substr(0, 1) == "=") m.op = MatchOp::equal, i += 1;
  else return bad;
  std::string_view raw = trim(s.substr(i));
  const std::string shown(raw);
  bool quoted = !raw.empty() && raw.front() == '"';
  if (quoted) raw.remove_prefix(1);
  bool escaped = false;
  for (std::size_t k = 0; k < raw.size(); ++k) {
    char c = raw[k];
    if (escaped) {
      escaped = false;
      if (c == 'n') m.value += '\n';
      else if (c == '"' || c == '\\') m.value += c;
      else m.value += std::string("\\") + c;
    } else if (c == '\\' && k + 1 < raw.size()) {
      escaped = true;
    } else if (c == '"') {
      if (!quoted || k + 1 < raw.size()) return "matcher value contains unescaped double quote: " + shown;
      quoted = false;
    } else {
      m.value += c;
    }
  }
  if (quoted) return "matcher value contains unescaped double quote: " + shown;
  if (m.op == MatchOp::regex || m.op == MatchOp::not_regex)
    if (auto e = labels::regex_error(m.value, labels::Dialect::alertmanager))
      return "invalid regex \"" + m.value + "\": " + *e;
  out.push_back(std::move(m));
  return {};
}

} // namespace

bool is_label_name(std::string_view s) {
  if (s.empty() || s[0] == ':' || !name_start(s[0])) return false;
  for (char c : s)
    if (!name_char(c) || c == ':') return false;
  return true;
}

ParsedMatchers parse_matchers(std::string_view line) {
  ParsedMatchers out;
  if (!line.empty() && line.front() == '{') line.remove_prefix(1);
  if (!line.empty() && line.back() == '}') line.remove_suffix(1);
  // Split at commas outside double quotes, as Alertmanager does (a backslash escapes a quote).
  std::vector<std::string> tokens;
  std::string token;
  bool in_quotes = false, escaped = false;
  for (char c : line) {
    if (c == ',' && !in_quotes) {
      tokens.push_back(std::move(token));
      token.clear();
      continue;
    }
    if (c == '"') {
      if (!escaped) in_quotes = !in_quotes;
      else escaped = false;
    } else if (c == '\\') {
      escaped = !escaped;
    } else {
      escaped = false;
    }
    token += c;
  }
  if (!trim(token).empty()) tokens.push_back(std::string(trim(token)));
  for (const auto& t : tokens)
    if (out.error = parse_one(t, out.matchers); !out.error.empty()) return out;
  return out;
}

} // namespace nsmon::alertmanager
