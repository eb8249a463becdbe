#pragma once
// Internals of the PromQL parser, shared by parser.cpp (the LR driver), parser_actions.cpp (the
// semantic actions), checker.cpp (the type checker) and regex.cpp (label matcher regexes).
#include <array>
#include <cstddef>
#include <memory_resource>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/promql/lexer.hpp"
#include "nsmon/promql/parser.hpp"

namespace nsmon::promql::detail {

#include "nsmon/promql/parser_tables.inc"

/// One entry of the LR value stack.
struct Value {
  Token tok;                                  ///< terminals and token-valued nonterminals
  PosRange range;                             ///< the symbol's span in the input
  Expr* node = nullptr;                       ///< expression nodes
  double num = 0;                             ///< number, signed_number
  std::vector<Expr*>* args = nullptr;         ///< function and aggregation arguments
  std::vector<std::string>* labels = nullptr; ///< grouping labels
  std::vector<Matcher>* matchers = nullptr;   ///< label matchers (one for label_matcher)
  VectorMatching* mods = nullptr;             ///< binary operator modifiers
  const std::string* str = nullptr;           ///< unquoted string / label name
  bool flag = false;                          ///< bool modifier; `without`
};

class ParserImpl {
public:
  ParserImpl(std::string_view input, const ParseOptions& options, Arena& arena, std::vector<ParseError>& errors);

  /// Runs the LR automaton; returns the expression, or null when parsing stopped on a syntax error.
  Expr* run();

private:
  int next_terminal();
  void reduce(int rule);
  void act(Action action, Value* v, Value& out);

  // Helpers for the semantic actions (parser_actions.cpp).
  void error(PosRange r, std::string message);
  void unexpected(std::string_view context, std::string_view expected);
  std::string text(const Token& t) const { return std::string(t.text(in_)); }
  std::string unquote(const Token& t); ///< a string token's value (empty, with an error, if it has none)
  double number_value(const Token& t);
  double duration_value(const Token& t, PosRange where);
  Expr* make_aggregate(const Value& op, const Value& mods, const Value& body, const PosRange& span);
  Expr* make_call(const Value& name, const Value& body, const PosRange& span);
  Expr* make_duration(DurationOp op, Expr* lhs, Expr* rhs, PosRange span);
  Expr* duration_literal_checked(Expr* nl);
  Expr* apply_unary_to_duration(const Token& op, Expr* e, bool wrapped, PosRange span);
  Expr* wrap_duration(Expr* e, PosRange span);
  void experimental_duration(const Expr* e);
  /// The offset and @ of the selector or subquery `e`; nullptr (an error reported) when `e` takes
  /// no `modifier`.
  TimeModifiers* modifiers_of(Expr* e, const char* modifier);
  void add_offset(Expr* e, std::int64_t ns, DurationExpr* expr, bool unitless_ns, std::size_t end);
  void set_at(Expr* e, AtKind kind, double ts, std::size_t end);
  void set_extended(Expr* e, bool anchored);
  Matcher make_matcher(const Value& name, const Value& op, const Value& value);

  template <class T> T* node() { return arena_.make<T>(); }
  // Lists and strings built during the parse live in the arena too: one allocation per block.
  // A list is moved into the node that takes it: each is read by one reduction only.
  std::vector<Expr*>* new_args() { return arena_.make<std::vector<Expr*>>(); }
  std::vector<std::string>* new_labels() { return arena_.make<std::vector<std::string>>(); }
  std::vector<Matcher>* new_matchers() { return arena_.make<std::vector<Matcher>>(); }
  const std::string* new_string(std::string s) {
    auto* p = arena_.make<std::string>();
    *p = std::move(s);
    return p;
  }

  std::string_view in_;
  ParseOptions opts_;
  Arena& arena_;
  std::vector<ParseError>& errors_;
  Lexer lexer_;
  Token last_{}; ///< the most recently read token (Prometheus's lval)
  bool started_ = false;
  bool eof_sent_ = false;
  bool stop_ = false; ///< a syntax or lexical error was reported: stop parsing
  Expr* result_ = nullptr;
  // The automaton's stacks, in a buffer of the parser (on the caller's stack) for the first 64
  // entries: a file of 10,000 rules parses 10,000 expressions.
  static constexpr std::size_t kStackDepth = 64;
  alignas(Value) std::array<std::byte, kStackDepth*(sizeof(Value) + sizeof(short)) + 64> stack_buffer_;
  std::pmr::monotonic_buffer_resource stack_memory_{stack_buffer_.data(), stack_buffer_.size()};
  std::pmr::vector<short> states_{&stack_memory_};
  std::pmr::vector<Value> values_{&stack_memory_};
};

/// Validates a label-matcher regex the way Prometheus's labels.NewMatcher does (Go's regexp
/// syntax); returns the Go-worded error, or nullopt when valid.
std::optional<std::string> regex_error(std::string_view pattern);

/// Whether a matcher accepts the empty label value (a missing label).
bool matches_empty(const Matcher& m);

/// Prometheus's checkAST: type checks the tree, appending errors in Prometheus's order.
void check_ast(Expr* root, std::string_view input, std::vector<ParseError>& errors);

} // namespace nsmon::promql::detail
