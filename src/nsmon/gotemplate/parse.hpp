#pragma once
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The parse tree of a Go text/template (text/template/parse's nodes, reduced to what execution
// needs) and its parser: the evaluator's, and alertmanager/'s template checks (with its functions).

namespace nsmon::gotemplate::detail {

struct Pipe;

/// An operand of a command.
struct Arg {
  enum class Kind { dot, nil, boolean, number, string, field, variable, chain, ident };
  Kind kind = Kind::dot;
  std::size_t pos = 0;
  std::string name;  ///< variable ($x), function, number text, "true"/"false"
  std::string value; ///< a string constant, unquoted
  std::string text;  ///< a string constant as written (quoted)
  std::vector<std::string> fields;
  std::shared_ptr<Pipe> pipe; ///< chain: the parenthesized pipeline
  bool is_int = false, is_float = false;
  std::int64_t int_value = 0;
  double float_value = 0;
};

struct Cmd {
  std::size_t pos = 0;
  std::vector<Arg> args;
};

struct Pipe {
  std::size_t pos = 0;
  std::vector<std::string> decl;
  bool assign = false; ///< `=` rather than `:=`
  std::vector<Cmd> cmds;
};

struct Node {
  enum class Kind { text, action, if_, range, with, template_, break_, continue_ };
  Kind kind = Kind::text;
  std::size_t pos = 0;
  std::string text; ///< text nodes
  std::string name; ///< template calls
  std::shared_ptr<Pipe> pipe;
  std::vector<Node> list, else_list;
};

struct Parsed {
  std::string name;
  std::string_view source;
  std::map<std::string, std::vector<Node>> templates; ///< the main one under `name`, and defines
  std::optional<std::string> error;                   ///< "template: NAME:LINE: message"
  /// "NAME:LINE:COL" of a byte offset, as Go's ErrorContext gives it (COL counted from 0).
  std::string location(std::size_t pos) const;
};

/// Whether a function name is defined (Go's parser refuses a call of an undefined function).
using KnownFunction = bool (*)(std::string_view);

/// Parses `text` as Go's text/template does with Prometheus's functions (or, given `known`, with
/// the functions it knows: Alertmanager's); blocks and parentheses nested deeper than
/// `max_nesting` are an error.
Parsed parse(std::string_view name, std::string_view text, std::size_t max_nesting, KnownFunction known = nullptr);

/// A node as Go's String() prints it (error contexts: "at <humanize $value>").
std::string to_string(const Arg& a);
std::string to_string(const Cmd& c);
std::string to_string(const Pipe& p);
std::string to_string(const Node& n);

} // namespace nsmon::gotemplate::detail
