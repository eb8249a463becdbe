#pragma once
#include <string>
#include <string_view>

#include "nsmon/promql/token.hpp"

namespace nsmon::promql {

/// PromQL lexer. A state machine that splits the input exactly where Prometheus's lexer does,
/// including its context-dependent parts: keywords are plain identifiers inside braces, the text
/// after '[' is lexed as a duration expression, `fill` is a keyword only before '('.
///
/// After an `error` token, `error_message()` holds Prometheus's message; the lexer then only
/// returns `eof`. Comments are returned as `comment` tokens.
class Lexer {
public:
  explicit Lexer(std::string_view input) : in_(input) {}

  Token next();
  const std::string& error_message() const { return error_; }
  std::string_view input() const { return in_; }

private:
  enum class State { statements, inside_braces, duration_expr, done };

  long next_rune();
  long peek_rune();
  void backup() { pos_ -= width_; }
  bool accept(std::string_view valid);
  bool is(std::string_view valid);
  void accept_run(std::string_view valid);
  void skip_spaces();
  Token emit(TokenKind k);
  Token fail(std::string message);
  bool scan_number();
  bool accept_remaining_duration();
  bool scan_duration_keyword(Token& out);
  bool followed_by_left_paren() const;

  bool lex_statements(Token& out);
  bool lex_inside_braces(Token& out);
  bool lex_duration_expr(Token& out);
  Token lex_string(char quote);
  Token lex_raw_string();
  Token lex_number_or_duration();
  Token lex_keyword_or_identifier();
  Token lex_identifier();
  Token lex_comment();

  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t start_ = 0;
  std::size_t width_ = 0;
  State state_ = State::statements;
  int paren_depth_ = 0;
  bool brace_open_ = false;
  bool bracket_open_ = false;
  bool got_colon_ = false;
  bool got_duration_ = false;
  std::string error_;
};

} // namespace nsmon::promql
