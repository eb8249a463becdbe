#include "nsmon/labels/labels.hpp"

#include <algorithm>
#include <memory>
#include <re2/re2.h>
#include <unordered_map>

namespace nsmon::labels {

bool is_legacy_metric_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (i && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool is_legacy_label_name(std::string_view s) {
  return is_legacy_metric_name(s) && s.find(':') == std::string_view::npos;
}

const std::string& get(const Labels& ls, std::string_view name) {
  static const std::string empty;
  for (const auto& [n, v] : ls)
    if (n == name) return v;
  return empty;
}

void set(Labels& ls, std::string name, std::string value) {
  auto it =
      std::lower_bound(ls.begin(), ls.end(), name, [](const auto& p, const std::string& n) { return p.first < n; });
  if (it != ls.end() && it->first == name) it->second = std::move(value);
  else ls.emplace(it, std::move(name), std::move(value));
}

const char* to_string(MatchOp op) {
  switch (op) {
  case MatchOp::equal: return "=";
  case MatchOp::not_equal: return "!=";
  case MatchOp::regex: return "=~";
  case MatchOp::not_regex: return "!~";
  }
  return "?";
}

std::string to_re2_pattern(std::string_view p, bool* any_byte_escape) {
  std::string out;
  out.reserve(p.size() + 8);
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\' && i + 1 < p.size()) {
      if (p[i + 1] == 'C' && any_byte_escape) *any_byte_escape = true;
      out += c;
      out += p[++i];
      continue;
    }
    if (in_class) {
      if (c == ']') in_class = false;
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // A ']' right after '[' or '[^' is a literal.
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];
      continue;
    }
    if (c == '(' && p.substr(i, 3) == "(?<" && p.substr(i, 4) != "(?<=" && p.substr(i, 4) != "(?<!") {
      out += "(?P<";
      i += 2;
      continue;
    }
    out += c;
  }
  return out;
}

const re2::RE2& regex(std::string_view pattern, Dialect d) {
  struct Key {
    std::string pattern;
    Dialect dialect;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::string>()(k.pattern) ^ static_cast<std::size_t>(k.dialect);
    }
  };
  thread_local std::unordered_map<Key, std::unique_ptr<re2::RE2>, Hash> cache;
  Key key{std::string(pattern), d};
  if (auto it = cache.find(key); it != cache.end()) return *it->second;
  // Bounded: a long watch or a hostile file must not grow it without end.
  if (cache.size() >= 4096) cache.clear();
  re2::RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  o.set_dot_nl(d == Dialect::prometheus);
  // Anchored in the pattern, not only by FullMatch, so that PossibleMatchRange sees the anchors.
  std::string body = d == Dialect::prometheus ? to_re2_pattern(pattern) : std::string(pattern);
  auto re = std::make_unique<re2::RE2>("^(?:" + body + ")$", o);
  return *cache.emplace(std::move(key), std::move(re)).first->second;
}

bool matches(const Matcher& m, std::string_view value, Dialect d) {
  switch (m.op) {
  case MatchOp::equal: return value == m.value;
  case MatchOp::not_equal: return value != m.value;
  case MatchOp::regex:
  case MatchOp::not_regex: {
    const re2::RE2& re = regex(m.value, d);
    bool hit = re.ok() && re2::RE2::FullMatch(value, re);
    return m.op == MatchOp::regex ? hit : !hit;
  }
  }
  return false;
}

bool matches(const std::vector<Matcher>& ms, const Labels& ls, Dialect d) {
  return std::all_of(ms.begin(), ms.end(), [&](const Matcher& m) { return matches(m, get(ls, m.name), d); });
}

namespace {

// Go's regexp/syntax words for RE2's error codes.
const char* go_words(re2::RE2::ErrorCode code) {
  switch (code) {
  case re2::RE2::ErrorMissingParen: return "missing closing )";
  case re2::RE2::ErrorUnexpectedParen: return "unexpected )";
  case re2::RE2::ErrorMissingBracket: return "missing closing ]";
  case re2::RE2::ErrorBadEscape: return "invalid escape sequence";
  case re2::RE2::ErrorRepeatArgument: return "missing argument to repetition operator";
  case re2::RE2::ErrorRepeatSize: return "invalid repeat count";
  case re2::RE2::ErrorRepeatOp: return "invalid nested repetition operator";
  case re2::RE2::ErrorBadCharRange: return "invalid character class range";
  case re2::RE2::ErrorBadCharClass: return "invalid character class";
  case re2::RE2::ErrorBadPerlOp: return "invalid or unsupported Perl syntax";
  case re2::RE2::ErrorBadUTF8: return "invalid UTF-8";
  case re2::RE2::ErrorBadNamedCapture: return "invalid named capture";
  case re2::RE2::ErrorTrailingBackslash: return "trailing backslash at end of expression";
  case re2::RE2::ErrorPatternTooLarge: return "expression too large";
  default: return "invalid syntax";
  }
}

// Why RE2 refuses `body` (a pattern in RE2's spelling), in Go's words; nullopt when it compiles.
std::optional<std::string> refusal(const std::string& body) {
  re2::RE2::Options o;
  o.set_log_errors(false);
  o.set_max_mem(64 << 20);
  re2::RE2 re(body, o);
  if (re.ok()) return std::nullopt;
  return std::string("error parsing regexp: ") + go_words(re.error_code()) + ": `" + re.error_arg() + "`";
}

// RE2 reads \C as "any byte"; Go has no such escape and refuses it wherever it is.
bool has_any_byte_escape(std::string_view pattern) {
  bool any_byte = false;
  to_re2_pattern(pattern, &any_byte);
  return any_byte;
}

const char* const kAnyByteError = "error parsing regexp: invalid escape sequence: `\\C`";

} // namespace

std::optional<std::string> go_regex_error(std::string_view pattern) {
  if (has_any_byte_escape(pattern)) return kAnyByteError;
  return refusal(to_re2_pattern(pattern));
}

std::optional<std::string> regex_error(std::string_view pattern, Dialect d) {
  if (has_any_byte_escape(pattern)) return kAnyByteError;
  if (regex(pattern, d).ok()) return std::nullopt;
  // The words name the pattern as written; only what is wrong with it anchored names the anchors.
  std::string body = d == Dialect::prometheus ? to_re2_pattern(pattern) : std::string(pattern);
  if (auto alone = refusal(body)) return alone;
  return refusal("^(?:" + body + ")$").value_or("error parsing regexp: invalid syntax");
}

std::string expand(std::string_view tmpl, const RE2& re, const std::vector<re2::StringPiece>& groups) {
  std::string out;
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$' || i + 1 == tmpl.size()) {
      out += tmpl[i];
      continue;
    }
    if (tmpl[i + 1] == '$') {
      out += '$';
      ++i;
      continue;
    }
    // Names are ASCII words here; Go's also take other Unicode letters and digits ($é).
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    auto word = [&](char c) { return digit(c) || c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    bool brace = tmpl[i + 1] == '{';
    std::size_t from = i + 1 + (brace ? 1 : 0), to = from;
    while (to < tmpl.size() && word(tmpl[to])) ++to;
    if (to == from || (brace && (to == tmpl.size() || tmpl[to] != '}'))) {
      out += '$'; // malformed: the '$' is text, and so is what follows it
      continue;
    }
    std::string_view name = tmpl.substr(from, to - from);
    // A number has at most nine digits and no leading zero; anything else is a group's name.
    bool number =
        name.size() <= 9 && (name.size() == 1 || name[0] != '0') && std::all_of(name.begin(), name.end(), digit);
    int index = -1;
    if (number) {
      index = std::stoi(std::string(name));
    } else if (auto it = re.NamedCapturingGroups().find(std::string(name)); it != re.NamedCapturingGroups().end()) {
      index = it->second;
    }
    if (index >= 0 && static_cast<std::size_t>(index) < groups.size() && groups[index].data())
      out.append(groups[index].data(), groups[index].size());
    i = brace ? to : to - 1;
  }
  return out;
}

std::optional<std::string> replaced(const RE2& re, std::string_view value, std::string_view replacement) {
  std::vector<re2::StringPiece> groups(static_cast<std::size_t>(re.NumberOfCapturingGroups()) + 1);
  if (!re.Match(value, 0, value.size(), RE2::ANCHOR_BOTH, groups.data(), static_cast<int>(groups.size())))
    return std::nullopt;
  return expand(replacement, re, groups);
}

} // namespace nsmon::labels
