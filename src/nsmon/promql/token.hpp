#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace nsmon::promql {

/// Lexical token kinds, as Prometheus's lexer (promql/parser/lex.go) produces them.
enum class TokenKind : std::uint8_t {
  eof,
  error,
  comment,
  identifier,
  metric_identifier,
  number,
  duration,
  string,
  left_paren,
  right_paren,
  left_brace,
  right_brace,
  left_bracket,
  right_bracket,
  comma,
  colon,
  eql, // =
  // Operators.
  add,
  sub,
  mul,
  div,
  mod,
  pow,
  eqlc, // ==
  neq,
  lss,
  gtr,
  lte,
  gte,
  trim_upper, // </
  trim_lower, // >/
  eql_regex,
  neq_regex,
  at,
  land,
  lor,
  lunless,
  atan2,
  // Aggregators.
  avg,
  bottomk,
  count,
  count_values,
  group,
  max,
  min,
  quantile,
  stddev,
  stdvar,
  sum,
  topk,
  limitk,
  limit_ratio,
  // Keywords.
  bool_,
  by,
  group_left,
  group_right,
  fill,
  fill_left,
  fill_right,
  ignoring,
  offset,
  smoothed,
  anchored,
  on,
  without,
  // Preprocessors (duration keywords and @ modifiers).
  start,
  end,
  step,
  range,
  max_of,
  min_of,
};

/// One token: kind and byte range in the input.
struct Token {
  TokenKind kind = TokenKind::eof;
  std::size_t pos = 0;
  std::size_t len = 0;
  std::string_view text(std::string_view input) const { return input.substr(pos, len); }
};

bool is_operator(TokenKind k);
bool is_aggregator(TokenKind k);
bool is_keyword(TokenKind k);

/// Prometheus's canonical spelling of a kind ("(", "sum", "group_left", "=~"); empty if none.
std::string_view spelling(TokenKind k);

/// The token as Prometheus names it in "unexpected ..." errors (Item.desc()):
/// `identifier "foo"`, `<op:*>`, `<aggr:sum>`, `<by>`, `","`, `end of input`, `number "1"`.
std::string describe(const Token& t, std::string_view input);

} // namespace nsmon::promql
