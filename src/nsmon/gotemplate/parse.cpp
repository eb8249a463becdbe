#include "nsmon/gotemplate/parse.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "nsmon/gotemplate/value.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::gotemplate::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

enum class Tok {
  eof,
  right_delim,
  right_paren,
  left_paren,
  pipe,
  declare,
  assign,
  comma,
  dot,
  field,
  variable,
  ident,
  string,
  number,
  keyword,
  other
};

struct Token {
  Tok kind = Tok::eof;
  std::size_t pos = 0;
  std::string text;
  bool space_before = false;
};

struct ParseError {
  std::size_t pos;
  std::string message;
};

class Parser {
public:
  Parser(std::string_view name, std::string_view text, std::size_t max_nesting, KnownFunction known)
      : name_(name), src_(text), max_nesting_(max_nesting), known_(known) {}

  void run(Parsed& out) {
    vars_ = {"$"};
    std::vector<Node> main;
    while (true) {
      Node n;
      End end = item(n, main, true);
      if (end.kind == End::eof) break;
      if (end.kind != End::none) throw ParseError{end.pos, "unexpected {{" + end.word + "}}"};
    }
    add(out, name_, std::move(main));
    for (auto& [n, list] : defines_) add(out, n, std::move(list));
  }

private:
  struct End {
    enum Kind { none, eof, end, else_ } kind = none;
    std::size_t pos = 0;
    std::string word;
  };

  void add(Parsed& out, const std::string& name, std::vector<Node> list) {
    auto empty = [](const std::vector<Node>& l) {
      return std::all_of(l.begin(), l.end(), [](const Node& n) {
        return n.kind == Node::Kind::text && std::all_of(n.text.begin(), n.text.end(), is_space);
      });
    };
    auto it = out.templates.find(name);
    if (it == out.templates.end() || empty(it->second)) out.templates[name] = std::move(list);
    else if (!empty(list)) throw ParseError{src_.size(), "template: multiple definition of template \"" + name + "\""};
  }

  // One text or action into `list`; returns what ended a list ({{end}}, {{else}}, EOF).
  End item(Node& n, std::vector<Node>& list, bool top) {
    if (pos_ >= src_.size()) return {End::eof, pos_, ""};
    std::size_t open = src_.find("{{", pos_);
    std::size_t stop = open == std::string_view::npos ? src_.size() : open;
    bool trim_left =
        open != std::string_view::npos && open + 3 < src_.size() && src_[open + 2] == '-' && is_space(src_[open + 3]);
    std::string_view text = src_.substr(pos_, stop - pos_);
    if (trim_right_) {
      while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
      trim_right_ = false;
    }
    if (trim_left)
      while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    if (!text.empty()) {
      n.kind = Node::Kind::text;
      n.pos = pos_;
      n.text = std::string(text);
      list.push_back(std::move(n));
      n = Node{};
    }
    if (open == std::string_view::npos) {
      pos_ = src_.size();
      return {End::eof, pos_, ""};
    }
    pos_ = open + 2 + (trim_left ? 2 : 0);
    // A comment: "/*" right after the delimiter, "*/" right before the closing one.
    if (src_.substr(pos_, 2) == "/*") {
      std::size_t close = src_.find("*/", pos_ + 2);
      if (close == std::string_view::npos) throw ParseError{open, "unclosed comment"};
      pos_ = close + 2;
      if (src_.substr(pos_, 4) == " -}}" || src_.substr(pos_, 4) == "\t-}}" || src_.substr(pos_, 4) == "\n-}}" ||
          src_.substr(pos_, 4) == "\r-}}") {
        trim_right_ = true;
        pos_ += 4;
      } else if (src_.substr(pos_, 2) == "}}") {
        pos_ += 2;
      } else {
        throw ParseError{open, "comment ends before closing delimiter"};
      }
      return {};
    }
    return action(list, top);
  }

  End action(std::vector<Node>& list, bool top) {
    Token t = peek();
    if (t.kind == Tok::keyword) {
      if (t.text == "end" || t.text == "else") {
        next();
        End e{t.text == "end" ? End::end : End::else_, t.pos, t.text};
        if (t.text == "end") expect_delim("end");
        return e;
      }
      if (t.text == "if" || t.text == "range" || t.text == "with") {
        next();
        list.push_back(control(t.text == "if"      ? Node::Kind::if_
                               : t.text == "range" ? Node::Kind::range
                                                   : Node::Kind::with,
                               t));
        return {};
      }
      if (t.text == "template" || t.text == "block") {
        next();
        list.push_back(template_call(t, t.text == "block"));
        return {};
      }
      if (t.text == "define") {
        next();
        if (!top) throw ParseError{t.pos, "unexpected <define> in command"};
        define();
        return {};
      }
      if (t.text == "break" || t.text == "continue") {
        next();
        if (range_depth_ == 0) throw ParseError{t.pos, "{{" + t.text + "}} outside {{range}}"};
        expect_delim("{{" + t.text + "}}");
        Node n;
        n.kind = t.text == "break" ? Node::Kind::break_ : Node::Kind::continue_;
        n.pos = t.pos;
        list.push_back(std::move(n));
        return {};
      }
    }
    Node n;
    n.kind = Node::Kind::action;
    n.pos = t.pos;
    n.pipe = pipeline("command", Tok::right_delim);
    list.push_back(std::move(n));
    return {};
  }

  void nest(std::size_t pos) {
    if (++depth_ > max_nesting_)
      throw ParseError{pos, "nesting deeper than " + std::to_string(max_nesting_) + " levels"};
  }

  Node control(Node::Kind kind, const Token& kw) {
    nest(kw.pos);
    std::size_t mark = vars_.size();
    Node n;
    n.kind = kind;
    n.pos = kw.pos;
    n.pipe = pipeline(kw.text, Tok::right_delim);
    if (kind == Node::Kind::range) ++range_depth_;
    End e = list_until(n.list);
    if (kind == Node::Kind::range) --range_depth_;
    if (e.kind == End::else_) {
      Token t = peek();
      if (t.kind == Tok::keyword && (t.text == "if" || (t.text == "with" && kind == Node::Kind::with))) {
        // {{else if ...}} is {{else}}{{if ...}}...{{end}} sharing the outer {{end}}.
        next();
        n.else_list.push_back(control(t.text == "if" ? Node::Kind::if_ : Node::Kind::with, t));
      } else {
        expect_delim("else");
        e = list_until(n.else_list);
        if (e.kind == End::else_) throw ParseError{e.pos, "expected end; found {{else}}"};
      }
    }
    vars_.resize(mark);
    --depth_;
    return n;
  }

  End list_until(std::vector<Node>& list) {
    while (true) {
      Node n;
      End e = item(n, list, false);
      if (e.kind == End::eof) throw ParseError{src_.size(), "unexpected EOF"};
      if (e.kind != End::none) return e;
    }
  }

  std::string template_name(const char* context) {
    Token t = next();
    if (t.kind != Tok::string) throw ParseError{t.pos, "unexpected " + describe(t) + " in " + context + " clause"};
    return unquote_token(t);
  }

  Node template_call(const Token& kw, bool block) {
    Node n;
    n.kind = Node::Kind::template_;
    n.pos = peek().pos;
    n.name = template_name(block ? "block" : "template");
    if (peek().kind != Tok::right_delim) n.pipe = pipeline(block ? "block" : "template", Tok::right_delim);
    else next();
    if (block) {
      nest(kw.pos);
      define_body(n.name);
      --depth_;
    }
    return n;
  }

  void define() {
    std::string name = template_name("define");
    expect_delim("define");
    define_body(name);
  }

  // The body of {{define}} or {{block}} up to its {{end}}: a template of its own, which sees only $.
  void define_body(const std::string& name) {
    std::vector<std::string> saved = {"$"};
    saved.swap(vars_);
    std::vector<Node> body;
    End e = list_until(body);
    if (e.kind != End::end) throw ParseError{e.pos, "unexpected {{else}}"};
    vars_.swap(saved);
    defines_.emplace_back(name, std::move(body));
  }

  void expect_delim(const std::string& context) {
    Token t = next();
    if (t.kind != Tok::right_delim) throw ParseError{t.pos, "unexpected " + describe(t) + " in " + context};
  }

  std::shared_ptr<Pipe> pipeline(const std::string& context, Tok end) {
    auto p = std::make_shared<Pipe>();
    p->pos = peek().pos;
    // Declarations: $x := ..., $x = ..., and in range $k, $v := ...
    if (peek().kind == Tok::variable) {
      std::size_t save = pos_;
      Token v = next();
      Token after = peek();
      if (after.kind == Tok::declare || after.kind == Tok::assign) {
        next();
        p->assign = after.kind == Tok::assign;
        p->decl.push_back(v.text);
      } else if (after.kind == Tok::comma && context == "range") {
        next();
        Token v2 = next();
        if (v2.kind != Tok::variable) throw ParseError{v2.pos, "range can only initialize variables"};
        Token op = next();
        if (op.kind == Tok::comma) throw ParseError{op.pos, "too many declarations in range"};
        if (op.kind != Tok::declare && op.kind != Tok::assign)
          throw ParseError{op.pos, "unexpected " + describe(op) + " in range"};
        p->assign = op.kind == Tok::assign;
        p->decl = {v.text, v2.text};
      } else {
        pos_ = lex_pos_ = save;
      }
      for (const std::string& d : p->decl) {
        // An assignment to an undeclared variable fails only when it runs (Go 1.19).
        if (!p->assign) vars_.push_back(d);
      }
    }
    while (true) {
      Token t = peek();
      if (t.kind == end) {
        next();
        if (p->cmds.empty()) throw ParseError{t.pos, "missing value for " + context};
        for (std::size_t i = 1; i < p->cmds.size(); ++i) {
          Arg::Kind k = p->cmds[i].args.front().kind;
          if (k == Arg::Kind::boolean || k == Arg::Kind::dot || k == Arg::Kind::nil || k == Arg::Kind::number ||
              k == Arg::Kind::string)
            throw ParseError{p->cmds[i].pos, "non executable command in pipeline stage " + std::to_string(i + 1)};
        }
        return p;
      }
      if (!starts_operand(t)) throw ParseError{t.pos, "unexpected " + describe(t) + " in " + context};
      p->cmds.push_back(command(end));
    }
  }

  static bool starts_operand(const Token& t) {
    return t.kind == Tok::dot || t.kind == Tok::field || t.kind == Tok::variable || t.kind == Tok::ident ||
           t.kind == Tok::string || t.kind == Tok::number || t.kind == Tok::left_paren ||
           (t.kind == Tok::keyword && (t.text == "nil" || t.text == "true" || t.text == "false"));
  }

  Cmd command(Tok end) {
    Cmd c;
    c.pos = peek().pos;
    while (true) {
      Token t = peek();
      if (starts_operand(t)) {
        if (!c.args.empty() && !t.space_before) throw ParseError{t.pos, "unexpected " + describe(t) + " in operand"};
        c.args.push_back(operand());
        continue;
      }
      if (t.kind == Tok::pipe) {
        next();
        break;
      }
      if (t.kind == end || t.kind == Tok::right_delim || t.kind == Tok::right_paren) break;
      throw ParseError{t.pos, "unexpected " + describe(t) + " in operand"};
    }
    if (c.args.empty()) throw ParseError{c.pos, "empty command"};
    return c;
  }

  Arg operand() {
    Token t = next();
    Arg a;
    a.pos = t.pos;
    switch (t.kind) {
    case Tok::dot: a.kind = Arg::Kind::dot; break;
    case Tok::field:
      a.kind = Arg::Kind::field;
      a.fields.push_back(t.text.substr(1));
      break;
    case Tok::variable:
      a.kind = Arg::Kind::variable;
      a.name = t.text;
      use_var(t.text, t.pos);
      break;
    case Tok::ident:
      if (known_ ? !known_(t.text) : !find_function(t.text))
        throw ParseError{t.pos, "function \"" + t.text + "\" not defined"};
      a.kind = Arg::Kind::ident;
      a.name = t.text;
      break;
    case Tok::string:
      a.kind = Arg::Kind::string;
      a.text = t.text;
      a.value = unquote_token(t);
      break;
    case Tok::number: number(t, a); break;
    case Tok::keyword:
      a.kind = t.text == "nil" ? Arg::Kind::nil : Arg::Kind::boolean;
      a.name = t.text;
      break;
    case Tok::left_paren:
      nest(t.pos);
      a.kind = Arg::Kind::chain;
      a.pipe = pipeline("parenthesized pipeline", Tok::right_paren);
      --depth_;
      break;
    default: throw ParseError{t.pos, "unexpected " + describe(t) + " in operand"};
    }
    bool chained = false;
    while (peek().kind == Tok::field && !peek().space_before) {
      Token f = next();
      if (a.kind != Arg::Kind::field && a.kind != Arg::Kind::variable && a.kind != Arg::Kind::chain)
        throw ParseError{f.pos, "unexpected . after term \"" + to_string(a) + "\""};
      // Go's chain node, and the field or variable node made of it, sits at the first chained field.
      if (!chained) a.pos = f.pos;
      chained = true;
      a.fields.push_back(f.text.substr(1));
    }
    return a;
  }

  void number(const Token& t, Arg& a) {
    a.kind = Arg::Kind::number;
    a.name = t.text;
    if (t.text.front() == '\'') {
      std::string s = unquote_token(t);
      std::size_t cps = 0;
      for (char ch : s) cps += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
      if (cps != 1) throw ParseError{t.pos, "malformed character constant: " + t.text};
      // The code point of the character.
      std::int64_t cp = static_cast<unsigned char>(s[0]);
      if (cp >= 0x80) {
        int n = cp >= 0xF0 ? 3 : cp >= 0xE0 ? 2 : 1;
        cp &= n == 3 ? 0x07 : n == 2 ? 0x0F : 0x1F;
        for (int k = 1; k <= n && k < static_cast<int>(s.size()); ++k) cp = (cp << 6) | (s[k] & 0x3F);
      }
      a.is_int = a.is_float = true;
      a.int_value = cp;
      a.float_value = static_cast<double>(cp);
      a.name = t.text;
      return;
    }
    std::string clean;
    for (char c : t.text)
      if (c != '_') clean += c;
    errno = 0;
    char* end = nullptr;
    bool based = clean.find_first_of("xXoObB") != std::string::npos;
    std::string digits = clean;
    int base = 10;
    {
      std::size_t s = (digits[0] == '-' || digits[0] == '+') ? 1 : 0;
      if (digits.size() > s + 1 && digits[s] == '0' && std::isalpha(static_cast<unsigned char>(digits[s + 1]))) {
        char b = static_cast<char>(digits[s + 1] | 0x20);
        base = b == 'x' ? 16 : b == 'o' ? 8 : b == 'b' ? 2 : 10;
        digits.erase(s, 2);
      } else if (digits.size() > s + 1 && digits[s] == '0' && digits.find_first_of(".eE") == std::string::npos) {
        base = 8;
      }
    }
    bool hex = base == 16;
    long long iv = std::strtoll(digits.c_str(), &end, base);
    if (end && *end == 0 && errno == 0 && !digits.empty()) {
      a.is_int = a.is_float = true;
      a.int_value = iv;
      a.float_value = static_cast<double>(iv);
    } else if (!based || hex) {
      errno = 0;
      double fv = std::strtod(clean.c_str(), &end);
      if (end && *end == 0 && !clean.empty()) {
        if (clean.find_first_of(".eEpP") == std::string::npos)
          throw ParseError{t.pos, "integer overflow: \"" + t.text + "\""};
        a.is_float = true;
        a.float_value = fv;
      }
    }
    if (!a.is_int && !a.is_float) throw ParseError{t.pos, "illegal number syntax: \"" + t.text + "\""};
    // Go's idealConstant: a float constant is written with '.', 'e' or 'p'.
    if (!hex && clean.find_first_of(".eEpP") != std::string::npos) a.is_int = false;
  }

  // As Go's parser reads a string constant: strconv.Unquote, whose one error is "invalid syntax".
  static std::string unquote_token(const Token& t) {
    if (auto s = text::go::unquote(t.text)) return *s;
    throw ParseError{t.pos, "invalid syntax"};
  }

  void use_var(const std::string& name, std::size_t pos) {
    if (std::find(vars_.begin(), vars_.end(), name) == vars_.end())
      throw ParseError{pos, "undefined variable \"" + name + "\""};
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
    case Tok::eof: return "EOF";
    case Tok::right_delim: return "\"}}\"";
    case Tok::keyword: return "<" + t.text + ">";
    default: return t.text.size() > 10 ? "\"" + t.text.substr(0, 10) + "\"..." : "\"" + t.text + "\"";
    }
  }

  Token peek() {
    std::size_t save = pos_;
    int parens = paren_;
    bool trim = trim_right_;
    Token t = next();
    pos_ = lex_pos_ = save;
    paren_ = parens;
    trim_right_ = trim;
    return t;
  }

  // The lexer inside an action: reads from pos_, which next() advances.
  Token next() {
    if (lex_pos_ != pos_) lex_pos_ = pos_;
    Token t = scan();
    pos_ = lex_pos_;
    return t;
  }

  Token scan() {
    Token t;
    std::size_t i = lex_pos_;
    while (i < src_.size() && is_space(src_[i])) {
      if (src_.substr(i + 1, 3) == "-}}") {
        t.kind = Tok::right_delim;
        t.pos = i + 1;
        lex_pos_ = i + 4;
        trim_right_ = true;
        if (paren_ > 0) throw ParseError{t.pos, "unclosed left paren"};
        return t;
      }
      t.space_before = true;
      ++i;
    }
    t.pos = i;
    if (i >= src_.size()) throw ParseError{i, "unclosed action"};
    char c = src_[i];
    std::size_t start = i;
    auto done = [&](Tok k, std::size_t end) {
      t.kind = k;
      t.text = std::string(src_.substr(start, end - start));
      lex_pos_ = end;
      return t;
    };
    if (src_.substr(i, 2) == "}}") {
      if (paren_ > 0) throw ParseError{i, "unclosed left paren"};
      return done(Tok::right_delim, i + 2);
    }
    if (c == '"' || c == '`' || c == '\'') {
      std::size_t j = i + 1;
      while (j < src_.size() && src_[j] != c) {
        if (c != '`' && src_[j] == '\n') break;
        j += (c != '`' && src_[j] == '\\') ? 2 : 1;
      }
      if (j >= src_.size() || src_[j] != c)
        throw ParseError{i, c == '`'    ? "unterminated raw quoted string"
                            : c == '\'' ? "unterminated character constant"
                                        : "unterminated quoted string"};
      if (c == '\'') return done(Tok::number, j + 1);
      return done(Tok::string, j + 1);
    }
    if (c == '$') {
      std::size_t j = i + 1;
      while (j < src_.size() && is_alnum(src_[j])) ++j;
      return done(Tok::variable, j);
    }
    if (c == '.' && !(i + 1 < src_.size() && std::isdigit(static_cast<unsigned char>(src_[i + 1])))) {
      std::size_t j = i + 1;
      while (j < src_.size() && is_alnum(src_[j])) ++j;
      return done(j == i + 1 ? Tok::dot : Tok::field, j);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.' ||
        ((c == '-' || c == '+') && i + 1 < src_.size() &&
         (std::isdigit(static_cast<unsigned char>(src_[i + 1])) || src_[i + 1] == '.'))) {
      return done(Tok::number, scan_number(i));
    }
    if (is_alnum(c)) {
      std::size_t j = i;
      while (j < src_.size() && is_alnum(src_[j])) ++j;
      std::string_view w = src_.substr(i, j - i);
      static constexpr std::string_view kws[] = {"block", "break", "continue", "define", "else", "end",  "if",
                                                 "nil",   "range", "template", "with",   "true", "false"};
      bool kw = std::find(std::begin(kws), std::end(kws), w) != std::end(kws);
      return done(kw ? Tok::keyword : Tok::ident, j);
    }
    switch (c) {
    case '(': ++paren_; return done(Tok::left_paren, i + 1);
    case ')':
      if (paren_ > 0) --paren_;
      return done(Tok::right_paren, i + 1);
    case '|': return done(Tok::pipe, i + 1);
    case ',': return done(Tok::comma, i + 1);
    case '=': return done(Tok::assign, i + 1);
    case ':':
      if (src_.substr(i, 2) == ":=") return done(Tok::declare, i + 2);
      throw ParseError{i, "expected :="};
    default: break;
    }
    // Other printable ASCII is a token of its own, which the parser finds unexpected.
    if (std::isprint(static_cast<unsigned char>(c))) return done(Tok::other, i + 1);
    char u[16];
    std::snprintf(u, sizeof u, "U+%04X", static_cast<unsigned char>(c));
    throw ParseError{i, std::string("unrecognized character in action: ") + u};
  }

  // Go's scanNumber: sign, base prefix, digits, fraction, exponent, imaginary 'i'; a letter or
  // digit right after is "bad number syntax".
  std::size_t scan_number(std::size_t i) const {
    std::size_t start = i;
    auto at = [&](std::size_t k) { return k < src_.size() ? src_[k] : '\0'; };
    if (at(i) == '+' || at(i) == '-') ++i;
    std::string_view digits = "0123456789_";
    bool hex = false;
    if (at(i) == '0' && std::string_view("xXoObB").find(at(i + 1)) != std::string_view::npos && at(i + 1)) {
      char b = static_cast<char>(at(i + 1) | 0x20);
      digits = b == 'x' ? "0123456789abcdefABCDEF_" : b == 'o' ? "01234567_" : "01_";
      hex = b == 'x';
      i += 2;
    }
    auto run = [&](std::string_view set) {
      while (at(i) && set.find(at(i)) != std::string_view::npos) ++i;
    };
    run(digits);
    if (at(i) == '.') {
      ++i;
      run(digits);
    }
    if (std::string_view(hex ? "pP" : "eE").find(at(i)) != std::string_view::npos && at(i)) {
      ++i;
      if (at(i) == '+' || at(i) == '-') ++i;
      run("0123456789_");
    }
    if (at(i) == 'i') ++i;
    if (at(i) && (is_alnum(at(i)) || static_cast<unsigned char>(at(i)) >= 0x80))
      throw ParseError{start, "bad number syntax: \"" + std::string(src_.substr(start, i + 1 - start)) + "\""};
    return i;
  }

  std::string name_;
  std::string_view src_;
  std::size_t max_nesting_;
  KnownFunction known_;
  std::size_t pos_ = 0, lex_pos_ = 0;
  bool trim_right_ = false;
  int paren_ = 0;
  std::size_t depth_ = 0, range_depth_ = 0;
  std::vector<std::string> vars_;
  std::vector<std::pair<std::string, std::vector<Node>>> defines_;
};

} // namespace

std::string Parsed::location(std::size_t pos) const {
  pos = std::min(pos, source.size());
  std::string_view before = source.substr(0, pos);
  std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
  std::size_t nl = before.rfind('\n');
  std::size_t col = nl == std::string_view::npos ? pos : pos - nl - 1;
  return name + ":" + std::to_string(line) + ":" + std::to_string(col);
}

Parsed parse(std::string_view name, std::string_view text, std::size_t max_nesting, KnownFunction known) {
  Parsed out;
  out.name = std::string(name);
  out.source = text;
  try {
    Parser(name, text, max_nesting, known).run(out);
  } catch (const ParseError& e) {
    std::string_view before = text.substr(0, std::min(e.pos, text.size()));
    std::size_t line = 1 + static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n'));
    out.error = "template: " + std::string(name) + ":" + std::to_string(line) + ": " + e.message;
    out.templates.clear();
  }
  return out;
}

std::string to_string(const Arg& a) {
  std::string s;
  switch (a.kind) {
  case Arg::Kind::dot: s = "."; break;
  case Arg::Kind::nil: s = "nil"; break;
  case Arg::Kind::string: s = a.text; break;
  case Arg::Kind::chain: s = "(" + to_string(*a.pipe) + ")"; break;
  default: s = a.name; break;
  }
  if (a.kind == Arg::Kind::dot && !a.fields.empty()) s.clear();
  for (const std::string& f : a.fields) s += "." + f;
  return s;
}

std::string to_string(const Cmd& c) {
  std::string s;
  for (const Arg& a : c.args) s += (s.empty() ? "" : " ") + to_string(a);
  return s;
}

std::string to_string(const Pipe& p) {
  std::string s;
  for (std::size_t i = 0; i < p.decl.size(); ++i) s += (i ? ", " : "") + p.decl[i];
  if (!p.decl.empty()) s += p.assign ? " = " : " := ";
  for (std::size_t i = 0; i < p.cmds.size(); ++i) s += (i ? " | " : "") + to_string(p.cmds[i]);
  return s;
}

std::string to_string(const Node& n) {
  switch (n.kind) {
  case Node::Kind::template_: {
    std::string s = "{{template \"" + n.name + "\"";
    if (n.pipe) s += " " + to_string(*n.pipe);
    return s + "}}";
  }
  case Node::Kind::range: return "{{range " + to_string(*n.pipe) + "}}";
  case Node::Kind::action: return "{{" + to_string(*n.pipe) + "}}";
  default: return n.text;
  }
}

} // namespace nsmon::gotemplate::detail
