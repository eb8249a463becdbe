#pragma once
// promql/: PromQL lexer, parser, AST, function table, type checker, printer; what of MetricsQL
// tells it from PromQL's typos (metricsql.hpp).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/promql/ast.hpp"

namespace nsmon::promql {

/// Parser options; the defaults match a Prometheus server started without feature flags.
struct ParseOptions {
  /// --enable-feature=promql-experimental-functions: experimental functions and limitk/limit_ratio.
  bool experimental_functions = false;
  /// --enable-feature=promql-duration-expr: arithmetic in ranges and offsets, step(), range().
  bool duration_expressions = false;
  /// --enable-feature=promql-extended-range-selectors: the anchored and smoothed modifiers.
  bool extended_range_selectors = false;
  /// --enable-feature=promql-binop-fill-modifiers: fill(), fill_left(), fill_right().
  bool binop_fill_modifiers = false;
};

/// A syntax or type error: byte range in the input and Prometheus's message.
struct ParseError {
  PosRange range;
  std::string message;
};

/// Result of parse(): the checked tree, or null and at least one error.
class ParseResult {
public:
  const Expr* expr() const { return expr_; }
  bool ok() const { return expr_ != nullptr; }
  const std::vector<ParseError>& errors() const { return errors_; }
  const std::string& input() const { return *input_; }

  /// The first error as Prometheus prints it: "1:18: parse error: unexpected ...".
  std::string error_string() const;

private:
  friend ParseResult parse(std::string_view, const ParseOptions&);
  std::shared_ptr<const std::string> input_;
  std::shared_ptr<Arena> arena_;
  const Expr* expr_ = nullptr;
  std::vector<ParseError> errors_;
};

/// Parses and type-checks one PromQL expression, as Prometheus's parser.ParseExpr does.
/// Never throws on bad input and never recurses: any depth and length is handled.
ParseResult parse(std::string_view input, const ParseOptions& options = {});

/// Prometheus's "line:col" for a byte offset (col counts bytes, both 1-based); "unknown position"
/// for an empty input.
std::string position_string(std::string_view input, std::size_t offset);

} // namespace nsmon::promql
