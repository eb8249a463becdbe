// Label matcher regexes as the parser checks them. Prometheus compiles them with Go's regexp; RE2
// implements the same syntax, spelled by labels::to_re2_pattern where the two differ.
#include "nsmon/promql/regex.hpp"

#include <re2/re2.h>
#include <unordered_map>

#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/parser_impl.hpp"

namespace nsmon::promql::detail {

namespace {

// Prometheus skips regex parsing for plain literals and alternations of literals ("a|b|c").
bool is_literal_alternation(std::string_view p) { return p.find_first_of("\\.+*?()[]{}^$") == std::string_view::npos; }

struct RegexInfo {
  std::optional<std::string> error;
  bool matches_empty = false;
};

RegexInfo analyse(std::string_view pattern) {
  RegexInfo info;
  if (is_literal_alternation(pattern)) {
    info.matches_empty = pattern.empty() || pattern.front() == '|' || pattern.back() == '|' ||
                         pattern.find("||") != std::string_view::npos;
    return info;
  }
  info.error = labels::regex_error(pattern, labels::Dialect::prometheus);
  if (!info.error) info.matches_empty = RE2::FullMatch("", labels::regex(pattern, labels::Dialect::prometheus));
  return info;
}

// Compiling a regex costs far more than parsing the expression around it, and rule files repeat
// the same few patterns: remember the verdicts (per thread, bounded).
const RegexInfo& regex_info(std::string_view pattern) {
  thread_local std::unordered_map<std::string, RegexInfo> cache;
  auto it = cache.find(std::string(pattern));
  if (it != cache.end()) return it->second;
  if (cache.size() >= 4096) cache.clear();
  return cache.emplace(std::string(pattern), analyse(pattern)).first->second;
}

} // namespace

std::optional<std::string> regex_error(std::string_view pattern) { return regex_info(pattern).error; }

bool matches_empty(const Matcher& m) {
  switch (m.op) {
  case MatchOp::equal: return m.value.empty();
  case MatchOp::not_equal: return !m.value.empty();
  case MatchOp::regex: return regex_info(m.value).matches_empty;
  case MatchOp::not_regex: return !regex_info(m.value).matches_empty;
  }
  return false;
}

} // namespace nsmon::promql::detail

namespace nsmon::promql {

bool matches_empty(const Matcher& m) { return detail::matches_empty(m); }

} // namespace nsmon::promql
