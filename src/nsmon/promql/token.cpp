#include "nsmon/promql/token.hpp"

#include "nsmon/text/go.hpp"

// GCC 12 reports a false -Wrestrict for `"literal" + std::string` at -O2 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace nsmon::promql {

bool is_operator(TokenKind k) { return k >= TokenKind::add && k <= TokenKind::atan2; }
bool is_aggregator(TokenKind k) { return k >= TokenKind::avg && k <= TokenKind::limit_ratio; }
bool is_keyword(TokenKind k) { return k >= TokenKind::bool_ && k <= TokenKind::without; }

std::string_view spelling(TokenKind k) {
  switch (k) {
  case TokenKind::left_paren: return "(";
  case TokenKind::right_paren: return ")";
  case TokenKind::left_brace: return "{";
  case TokenKind::right_brace: return "}";
  case TokenKind::left_bracket: return "[";
  case TokenKind::right_bracket: return "]";
  case TokenKind::comma: return ",";
  case TokenKind::colon: return ":";
  case TokenKind::eql: return "=";
  case TokenKind::add: return "+";
  case TokenKind::sub: return "-";
  case TokenKind::mul: return "*";
  case TokenKind::div: return "/";
  case TokenKind::mod: return "%";
  case TokenKind::pow: return "^";
  case TokenKind::eqlc: return "==";
  case TokenKind::neq: return "!=";
  case TokenKind::lss: return "<";
  case TokenKind::gtr: return ">";
  case TokenKind::lte: return "<=";
  case TokenKind::gte: return ">=";
  case TokenKind::trim_upper: return "</";
  case TokenKind::trim_lower: return ">/";
  case TokenKind::eql_regex: return "=~";
  case TokenKind::neq_regex: return "!~";
  case TokenKind::at: return "@";
  case TokenKind::land: return "and";
  case TokenKind::lor: return "or";
  case TokenKind::lunless: return "unless";
  case TokenKind::atan2: return "atan2";
  case TokenKind::avg: return "avg";
  case TokenKind::bottomk: return "bottomk";
  case TokenKind::count: return "count";
  case TokenKind::count_values: return "count_values";
  case TokenKind::group: return "group";
  case TokenKind::max: return "max";
  case TokenKind::min: return "min";
  case TokenKind::quantile: return "quantile";
  case TokenKind::stddev: return "stddev";
  case TokenKind::stdvar: return "stdvar";
  case TokenKind::sum: return "sum";
  case TokenKind::topk: return "topk";
  case TokenKind::limitk: return "limitk";
  case TokenKind::limit_ratio: return "limit_ratio";
  case TokenKind::bool_: return "bool";
  case TokenKind::by: return "by";
  case TokenKind::group_left: return "group_left";
  case TokenKind::group_right: return "group_right";
  case TokenKind::fill: return "fill";
  case TokenKind::fill_left: return "fill_left";
  case TokenKind::fill_right: return "fill_right";
  case TokenKind::ignoring: return "ignoring";
  case TokenKind::offset: return "offset";
  case TokenKind::smoothed: return "smoothed";
  case TokenKind::anchored: return "anchored";
  case TokenKind::on: return "on";
  case TokenKind::without: return "without";
  case TokenKind::start: return "start";
  case TokenKind::end: return "end";
  case TokenKind::step: return "step";
  case TokenKind::range: return "range";
  case TokenKind::max_of: return "max_of";
  case TokenKind::min_of: return "min_of";
  default: return "";
  }
}

std::string describe(const Token& t, std::string_view input) {
  std::string_view val = t.text(input);
  switch (t.kind) {
  case TokenKind::eof: return "end of input";
  case TokenKind::identifier: return "identifier " + text::go::quote(val);
  case TokenKind::metric_identifier: return "metric identifier " + text::go::quote(val);
  case TokenKind::number:
  case TokenKind::duration:
  case TokenKind::string:
  case TokenKind::comment: {
    std::string kind = t.kind == TokenKind::number     ? "number"
                       : t.kind == TokenKind::duration ? "duration"
                       : t.kind == TokenKind::string   ? "string"
                                                       : "comment";
    if (val.size() > 10) return kind + " " + text::go::quote_prefix(val, 10) + "...";
    return kind + " " + text::go::quote(val);
  }
  default: break;
  }
  if (is_keyword(t.kind)) return "<" + std::string(val) + ">";
  if (is_operator(t.kind)) return "<op:" + std::string(val) + ">";
  if (is_aggregator(t.kind)) return "<aggr:" + std::string(val) + ">";
  if (val.size() > 10) return text::go::quote_prefix(val, 10) + "...";
  return text::go::quote(val);
}

} // namespace nsmon::promql
