// The YAML scanner: yaml-cpp 0.7's scanner.cpp, scantoken.cpp, simplekey.cpp and scantag.cpp,
// rule for rule, over a flat buffer. Comments name the yaml-cpp function each part mirrors
// where that helps to compare them.
#include "nsmon/core/yaml_scanner.hpp"

#include <cstring>

namespace nsmon::yaml::detail {

void fail(const yaml::Mark& mark, std::string message) { throw Failure{mark, std::move(message)}; }

namespace {

bool is_word(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'; }
bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// Length of a tag character at the position (yaml-cpp's Exp::Tag, or Exp::URI for verbatim
// tags, which also allows ",[]!"), or 0.
int tag_char(const Stream& in, bool uri) {
  char c = in.peek();
  if (c == '\0') return 0; // the end of input (strchr would find the set's terminator)
  if (is_word(c) || std::strchr("#;/?:@&=+$_.~*'()", c) != nullptr) return 1;
  if (uri && (c == ',' || c == '[' || c == ']' || c == '!')) return 1;
  if (c == '%' && is_hex(in.peek(1)) && is_hex(in.peek(2))) return 3;
  return 0;
}

void take(Stream& in, std::string& out, int n) {
  for (int i = 0; i < n; ++i) out += in.get();
}

} // namespace

// --- the token queue (Scanner::empty/peek/pop/EnsureTokensInQueue) ---

void Scanner::ensure_tokens() {
  while (true) {
    if (head_ < tokens_.size()) {
      Token& t = tokens_[head_];
      if (t.status == Token::Status::valid) {
        front_ = &t;
        return;
      }
      if (t.status == Token::Status::invalid) {
        ++head_;
        continue;
      }
      // An unverified token (a potential simple key) waits for more input.
    } else if (!tokens_.empty()) {
      // Drained: start the buffer again (token numbers keep counting).
      base_ += static_cast<std::int64_t>(tokens_.size());
      tokens_.clear();
      head_ = 0;
    }
    if (ended_) {
      // At the end, a token left unverified by the end of input is handed out as it is.
      front_ = head_ < tokens_.size() ? &tokens_[head_] : nullptr;
      return;
    }
    scan_next_token();
  }
}

std::int64_t Scanner::push_token(TokenType type, const yaml::Mark& mark) {
  tokens_.emplace_back(type, mark);
  return base_ + static_cast<std::int64_t>(tokens_.size()) - 1;
}

// --- Scanner::ScanNextToken ---

void Scanner::scan_next_token() {
  if (ended_) return;
  if (!started_) return start_stream();

  scan_to_next_token();
  pop_indent_to_here();
  if (!in_.more()) return end_stream();

  char c = in_.peek();
  if (in_.column() == 0 && c == '%') return scan_directive();
  if (in_.column() == 0 && in_.doc_indicator('-')) return scan_doc_indicator(TokenType::doc_start);
  if (in_.column() == 0 && in_.doc_indicator('.')) return scan_doc_indicator(TokenType::doc_end);
  if (c == '[' || c == '{') return scan_flow_start();
  if (c == ']' || c == '}') return scan_flow_end();
  if (c == ',') return scan_flow_entry();
  if (c == '-' && (in_.blank_or_break(1) || in_.at_end(1))) return scan_block_entry();
  if (c == '?' && in_.blank_or_break(1)) return scan_key();
  if (value_indicator()) return scan_value();
  if (c == '*' || c == '&') return scan_anchor_or_alias();
  if (c == '!') return scan_tag();
  if (in_block() && (c == '|' || c == '>')) return scan_block_scalar();
  if (c == '\'' || c == '"') return scan_quoted_scalar();
  if (plain_scalar_start()) return scan_plain_scalar();
  fail(in_.mark(), "unknown token");
}

// Exp::Value, Exp::ValueInFlow, Exp::ValueInJSONFlow (after a quoted scalar or a flow
// collection, "a":b is a key and a value, as in JSON).
bool Scanner::value_indicator() const {
  if (in_.peek() != ':') return false;
  if (in_block()) return in_.blank_or_break(1) || in_.at_end(1);
  if (can_be_json_flow_) return true;
  char n = in_.peek(1);
  return in_.blank_or_break(1) || n == ',' || n == ']' || n == '}';
}

// Exp::PlainScalar and Exp::PlainScalarInFlow.
bool Scanner::plain_scalar_start() const {
  char c = in_.peek();
  if (in_.blank_or_break()) return false;
  switch (c) {
  case ',':
  case '[':
  case ']':
  case '{':
  case '}':
  case '#':
  case '&':
  case '*':
  case '!':
  case '|':
  case '>':
  case '\'':
  case '"':
  case '%':
  case '@':
  case '`': return false;
  default: break;
  }
  if (in_flow() && c == '?') return false;
  if (in_block() && (c == '-' || c == '?' || c == ':')) return !(in_.blank_or_break(1) || in_.at_end(1));
  if (in_flow() && (c == '-' || c == ':')) return !(in_.blank(1) || in_.at_end(1));
  return true;
}

void Scanner::scan_to_next_token() {
  while (true) {
    // A tab separates, as in Go's yaml: in flow context, or in block context where no simple
    // key may start (not at the start of a line, not after '-', '?' or ':' of a complex value).
    while (in_.peek() == ' ' || (in_.peek() == '\t' && (in_flow() || !simple_key_allowed_))) in_.skip_inline(1);
    if (in_.peek() == '\t' && !in_.brk(1) && in_.peek(1) != '#' && in_.more())
      fail(in_.mark(), "found a tab character where an indentation space is expected");
    while (in_.blank()) in_.skip_inline(1); // a tab before the end of the line or a comment
    if (in_.peek() == '#') {
      const char* p = in_.data() + in_.pos();
      const char* nl = static_cast<const char*>(std::memchr(p, '\n', in_.size() - in_.pos()));
      std::size_t n = nl ? static_cast<std::size_t>(nl - p) : in_.size() - in_.pos();
      if (n > 0 && nl && p[n - 1] == '\r') --n;
      in_.skip_inline(n);
      // A lone '\r' inside the comment is no break; keep eating up to the real one.
      while (in_.more() && !in_.brk()) in_.skip_inline(1);
    }
    int n = in_.brk();
    if (n == 0) break;
    in_.eat(static_cast<std::size_t>(n));
    fail_if_required_key_is_lost();
    invalidate_simple_key();
    if (in_block()) simple_key_allowed_ = true;
  }
}

void Scanner::start_stream() {
  started_ = true;
  simple_key_allowed_ = true;
  indents_.push_back({-1, Indent::Type::none});
  indent_stack_.push_back(0);
}

// libyaml's "required" simple key: a plain word at the indentation of a block map's keys (it opened
// no map of its own) must be a key, its ':' on the same line. "a: 1\nb" and "o:\n  a: 1\n  b\n"
// are refused as Go's yaml refuses them, not read as b: null. Checked where such a key would be
// dropped: at a line break, when its map ends, at the end of the input.
void Scanner::fail_if_required_key_is_lost() {
  if (simple_keys_.empty() || !in_block() || indent_stack_.empty()) return;
  const SimpleKey& k = simple_keys_.back();
  const Indent& current = indents_[indent_stack_.back()];
  if (k.flow_level == 0 && k.indent < 0 && current.type == Indent::Type::map && k.mark.column == current.column)
    fail(k.mark, "could not find expected ':'");
}

void Scanner::end_stream() {
  fail_if_required_key_is_lost();
  if (in_.column() > 0) in_.reset_column();
  pop_all_indents();
  simple_keys_.clear();
  simple_key_allowed_ = false;
  ended_ = true;
}

// --- indentation markers ---

std::int64_t Scanner::push_indent_to(int column, Indent::Type type) {
  if (in_flow()) return -1;
  const Indent& last = indents_[indent_stack_.back()];
  if (column < last.column) return -1;
  if (column == last.column && !(type == Indent::Type::seq && last.type == Indent::Type::map)) return -1;
  Indent indent{column, type};
  indent.start_token =
      push_token(type == Indent::Type::seq ? TokenType::block_seq_start : TokenType::block_map_start, in_.mark());
  indents_.push_back(indent);
  indent_stack_.push_back(indents_.size() - 1);
  return static_cast<std::int64_t>(indents_.size()) - 1;
}

void Scanner::pop_indent_to_here() {
  if (in_flow()) return;
  while (!indent_stack_.empty()) {
    const Indent& indent = indents_[indent_stack_.back()];
    if (indent.column < in_.column()) break;
    if (indent.column == in_.column()) {
      bool block_entry = in_.peek() == '-' && (in_.blank_or_break(1) || in_.at_end(1));
      if (!(indent.type == Indent::Type::seq && !block_entry)) break;
    }
    pop_indent();
  }
  while (!indent_stack_.empty() && indents_[indent_stack_.back()].status == Indent::Status::invalid) pop_indent();
  if (indents_.size() >= 2 * indent_stack_.size() + 256) compact_indents();
}

void Scanner::pop_all_indents() {
  if (in_flow()) return;
  while (!indent_stack_.empty() && indents_[indent_stack_.back()].type != Indent::Type::none) pop_indent();
}

void Scanner::pop_indent() {
  fail_if_required_key_is_lost();
  Indent indent = indents_[indent_stack_.back()];
  indent_stack_.pop_back();
  if (indent.status != Indent::Status::valid) {
    invalidate_simple_key();
    return;
  }
  if (indent.type == Indent::Type::seq) push_token(TokenType::block_seq_end, in_.mark());
  else if (indent.type == Indent::Type::map) push_token(TokenType::block_map_end, in_.mark());
}

// yaml-cpp keeps every marker ever pushed, because a simple key may still refer to a popped one.
// With no simple key pending, only the stack matters: drop the rest so memory stays bounded.
void Scanner::compact_indents() {
  if (!simple_keys_.empty() || indents_.size() < 2 * indent_stack_.size() + 256) return;
  std::vector<Indent> kept;
  kept.reserve(indent_stack_.size());
  for (auto& i : indent_stack_) {
    kept.push_back(indents_[i]);
    i = kept.size() - 1;
  }
  indents_ = std::move(kept);
}

// --- simple keys (simplekey.cpp) ---

bool Scanner::can_insert_simple_key() const {
  if (!simple_key_allowed_) return false;
  return simple_keys_.empty() || simple_keys_.back().flow_level != flow_level();
}

void Scanner::insert_potential_simple_key() {
  if (!can_insert_simple_key()) return;
  SimpleKey key{in_.mark(), flow_level()};
  if (in_block()) {
    key.indent = push_indent_to(in_.column(), Indent::Type::map);
    if (key.indent >= 0) {
      Indent& indent = indents_[static_cast<std::size_t>(key.indent)];
      indent.status = Indent::Status::unknown;
      key.map_start = indent.start_token;
      token(key.map_start).status = Token::Status::unverified;
    }
  }
  key.key = push_token(TokenType::key, in_.mark());
  token(key.key).status = Token::Status::unverified;
  simple_keys_.push_back(key);
}

void Scanner::set_key_status(const SimpleKey& key, bool valid) {
  if (key.indent >= 0)
    indents_[static_cast<std::size_t>(key.indent)].status = valid ? Indent::Status::valid : Indent::Status::invalid;
  auto status = valid ? Token::Status::valid : Token::Status::invalid;
  if (key.map_start >= 0) token(key.map_start).status = status;
  if (key.key >= 0) token(key.key).status = status;
}

void Scanner::invalidate_simple_key() {
  if (simple_keys_.empty() || simple_keys_.back().flow_level != flow_level()) return;
  set_key_status(simple_keys_.back(), false);
  simple_keys_.pop_back();
}

bool Scanner::verify_simple_key() {
  if (simple_keys_.empty() || simple_keys_.back().flow_level != flow_level()) return false;
  SimpleKey key = simple_keys_.back();
  simple_keys_.pop_back();
  // A simple key must be on one line and at most 1024 characters long.
  bool valid = in_.line() == key.mark.line && in_.mark().pos - key.mark.pos <= 1024;
  set_key_status(key, valid);
  return valid;
}

// --- tokens (scantoken.cpp) ---

void Scanner::scan_directive() {
  pop_all_indents();
  simple_keys_.clear();
  simple_key_allowed_ = false;
  can_be_json_flow_ = false;
  std::int64_t seq = push_token(TokenType::directive, in_.mark());
  std::string name;
  std::vector<std::string> params;
  in_.eat();
  while (in_.more() && !in_.blank_or_break()) name += in_.get();
  while (true) {
    while (in_.blank()) in_.eat();
    if (!in_.more() || in_.brk() || in_.peek() == '#') break;
    std::string param;
    while (in_.more() && !in_.blank_or_break()) param += in_.get();
    params.push_back(std::move(param));
  }
  token(seq).value = std::move(name);
  token(seq).params = std::move(params);
}

void Scanner::scan_doc_indicator(TokenType type) {
  pop_all_indents();
  simple_keys_.clear();
  simple_key_allowed_ = false;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  in_.skip_inline(3);
  push_token(type, mark);
}

void Scanner::scan_flow_start() {
  insert_potential_simple_key(); // a flow collection can be a simple key
  simple_key_allowed_ = true;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  char c = in_.get();
  flows_.push_back(c == '[' ? Flow::seq : Flow::map);
  push_token(c == '[' ? TokenType::flow_seq_start : TokenType::flow_map_start, mark);
}

void Scanner::scan_flow_end() {
  if (in_block()) fail(in_.mark(), "illegal flow end");
  // A lone key in a flow mapping ({a}) gets its value here.
  if (flows_.back() == Flow::map && verify_simple_key()) push_token(TokenType::value, in_.mark());
  else if (flows_.back() == Flow::seq) invalidate_simple_key();
  simple_key_allowed_ = false;
  can_be_json_flow_ = true;
  yaml::Mark mark = in_.mark();
  char c = in_.get();
  Flow type = c == ']' ? Flow::seq : Flow::map;
  if (flows_.back() != type) fail(mark, "illegal flow end");
  flows_.pop_back();
  push_token(type == Flow::seq ? TokenType::flow_seq_end : TokenType::flow_map_end, mark);
}

void Scanner::scan_flow_entry() {
  if (in_flow()) {
    if (flows_.back() == Flow::map && verify_simple_key()) push_token(TokenType::value, in_.mark());
    else if (flows_.back() == Flow::seq) invalidate_simple_key();
  }
  simple_key_allowed_ = true;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  in_.eat();
  push_token(TokenType::flow_entry, mark);
}

void Scanner::scan_block_entry() {
  if (in_flow()) fail(in_.mark(), "illegal block entry");
  if (!simple_key_allowed_) fail(in_.mark(), "illegal block entry");
  push_indent_to(in_.column(), Indent::Type::seq);
  simple_key_allowed_ = true;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  in_.eat();
  push_token(TokenType::block_entry, mark);
}

void Scanner::scan_key() {
  if (in_block()) {
    if (!simple_key_allowed_) fail(in_.mark(), "illegal map key");
    push_indent_to(in_.column(), Indent::Type::map);
  }
  simple_key_allowed_ = in_block();
  yaml::Mark mark = in_.mark();
  in_.eat();
  push_token(TokenType::key, mark);
}

void Scanner::scan_value() {
  bool simple_key = verify_simple_key();
  can_be_json_flow_ = false;
  if (simple_key) {
    simple_key_allowed_ = false;
  } else {
    if (in_block()) {
      if (!simple_key_allowed_) fail(in_.mark(), "illegal map value");
      push_indent_to(in_.column(), Indent::Type::map);
    }
    simple_key_allowed_ = in_block();
  }
  yaml::Mark mark = in_.mark();
  in_.eat();
  push_token(TokenType::value, mark);
}

void Scanner::scan_anchor_or_alias() {
  insert_potential_simple_key();
  simple_key_allowed_ = false;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  bool alias = in_.get() == '*';
  std::size_t start = in_.pos();
  // Names as Go's yaml reads them: letters, digits, '_' and '-' (so "&a:b" is the anchor "a"
  // before the text ":b").
  auto name_char = [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '-';
  };
  while (in_.more() && name_char(in_.peek())) in_.skip_inline(1);
  std::string name(in_.data() + start, in_.pos() - start);
  if (name.empty() || (in_.more() && !in_.blank_or_break() && std::strchr("?:,]}%@`", in_.peek()) == nullptr))
    fail(in_.mark(), std::string(alias ? "alias" : "anchor") +
                         " names are made of letters, digits, '_' and '-' (did not find expected alphabetic or "
                         "numeric character)");
  std::int64_t seq = push_token(alias ? TokenType::alias : TokenType::anchor, mark);
  token(seq).value = std::move(name);
}

void Scanner::scan_tag() {
  insert_potential_simple_key();
  simple_key_allowed_ = false;
  can_be_json_flow_ = false;
  yaml::Mark mark = in_.mark();
  std::string value;
  std::vector<std::string> params;
  TagKind kind;
  in_.eat(); // '!'
  if (in_.more() && in_.peek() == '<') {
    // ScanVerbatimTag: !<...>
    in_.eat();
    while (true) {
      if (!in_.more()) fail(in_.mark(), "end of verbatim tag not found");
      if (in_.peek() == '>') {
        in_.eat();
        break;
      }
      int n = tag_char(in_, true);
      if (n <= 0) fail(in_.mark(), "end of verbatim tag not found");
      take(in_, value, n);
    }
    kind = TagKind::verbatim;
  } else {
    // ScanTagHandle: a handle is made of word characters; anything else makes it a suffix.
    bool can_be_handle = true;
    yaml::Mark first_non_word;
    while (in_.more()) {
      if (in_.peek() == '!') {
        if (!can_be_handle) fail(first_non_word, "illegal character found while scanning tag handle");
        break;
      }
      int n = 0;
      if (can_be_handle) {
        n = is_word(in_.peek()) ? 1 : 0;
        if (n == 0) {
          can_be_handle = false;
          first_non_word = in_.mark();
        }
      }
      if (!can_be_handle) n = tag_char(in_, false);
      if (n <= 0) break;
      take(in_, value, n);
    }
    kind = !can_be_handle && value.empty() ? TagKind::non_specific
           : value.empty()                 ? TagKind::secondary_handle
                                           : TagKind::primary_handle;
    if (can_be_handle && in_.peek() == '!') {
      in_.eat();
      std::string suffix; // ScanTagSuffix
      while (in_.more()) {
        int n = tag_char(in_, false);
        if (n <= 0) break;
        take(in_, suffix, n);
      }
      if (suffix.empty()) fail(in_.mark(), "tag handle with no suffix");
      params.push_back(std::move(suffix));
      kind = TagKind::named_handle;
    }
  }
  // As libyaml: a tag ends at a blank, a line break or the end of the input (or ',' in flow
  // context): "!!str\x" is refused, not read as the tag !!str and the scalar "\x".
  if (in_.more() && !in_.blank_or_break(0) && !(in_flow() && in_.peek() == ','))
    fail(in_.mark(), "did not find expected whitespace or line break after a tag");
  std::int64_t seq = push_token(TokenType::tag, mark);
  token(seq).value = std::move(value);
  token(seq).params = std::move(params);
  token(seq).tag_kind = kind;
}

void Scanner::scan_plain_scalar() {
  ScanSpec spec;
  spec.in_flow = in_flow();
  spec.indent = in_flow() ? 0 : top_indent() + 1;
  ScalarParams params = params_for(ScalarStyle::plain, spec);
  insert_potential_simple_key();
  yaml::Mark mark = in_.mark();
  spec.pos = static_cast<std::uint32_t>(in_.pos());
  spec.column = in_.column();
  Token& t = token(push_token(TokenType::plain_scalar, mark)); // nothing else is pushed meanwhile
  t.scan = spec;
  bool leading_spaces = false;
  if (spec.in_flow || !scan_plain_line(in_, spec.indent, t.verbatim, leading_spaces)) {
    scan_scalar(in_, params, scratch_);
    t.value = scratch_;
    leading_spaces = params.leading_spaces;
  }
  // A simple key can follow only if the scalar ended by starting a new line.
  simple_key_allowed_ = leading_spaces;
  can_be_json_flow_ = false;
}

void Scanner::scan_quoted_scalar() {
  ScalarStyle style = in_.peek() == '\'' ? ScalarStyle::single_quoted : ScalarStyle::double_quoted;
  ScanSpec spec;
  ScalarParams params = params_for(style, spec);
  insert_potential_simple_key();
  yaml::Mark mark = in_.mark();
  in_.eat(); // the opening quote
  spec.pos = static_cast<std::uint32_t>(in_.pos());
  spec.column = in_.column();
  Token& t = token(push_token(TokenType::non_plain_scalar, mark));
  t.style = style;
  t.scan = spec;
  if (!scan_quoted_line(in_, style == ScalarStyle::single_quoted ? '\'' : '"', t.verbatim)) {
    scan_scalar(in_, params, scratch_);
    t.value = scratch_;
  }
  simple_key_allowed_ = false;
  can_be_json_flow_ = true;
}

void Scanner::scan_block_scalar() {
  yaml::Mark mark = in_.mark();
  ScalarStyle style = in_.get() == '>' ? ScalarStyle::folded : ScalarStyle::literal;
  ScanSpec spec;
  spec.indent = 1;
  spec.detect_indent = true;
  spec.chomp = static_cast<std::uint8_t>(Chomp::clip);
  // Chomping and indentation indicators, in either order (Exp::Chomp).
  auto chomp_char = [](char c) { return c == '+' || c == '-'; };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  int n = (chomp_char(in_.peek()) && digit(in_.peek(1))) || (digit(in_.peek()) && chomp_char(in_.peek(1))) ? 2
          : chomp_char(in_.peek()) || digit(in_.peek())                                                    ? 1
                                                                                                           : 0;
  for (int i = 0; i < n; ++i) {
    char c = in_.get();
    if (c == '+') spec.chomp = static_cast<std::uint8_t>(Chomp::keep);
    else if (c == '-') spec.chomp = static_cast<std::uint8_t>(Chomp::strip);
    else {
      if (c == '0') fail(in_.mark(), "cannot set zero indentation for a block scalar");
      spec.indent = c - '0';
      spec.detect_indent = false;
    }
  }
  while (in_.blank()) in_.eat();
  if (in_.peek() == '#')
    while (in_.more() && !in_.brk()) in_.eat();
  if (in_.more() && !in_.brk()) fail(in_.mark(), "unexpected character in block scalar");
  if (top_indent() >= 0) spec.indent += top_indent();
  spec.pos = static_cast<std::uint32_t>(in_.pos());
  spec.column = in_.column();
  ScalarParams params = params_for(style, spec);
  scan_scalar(in_, params, scratch_);
  simple_key_allowed_ = true; // the next line starts afresh
  can_be_json_flow_ = false;
  std::int64_t seq = push_token(TokenType::non_plain_scalar, mark);
  Token& t = token(seq);
  t.value = scratch_;
  t.style = style;
  t.scan = spec;
}

ScalarParams params_for(ScalarStyle style, const ScanSpec& spec) {
  ScalarParams p;
  switch (style) {
  case ScalarStyle::plain:
    p.end = spec.in_flow ? ScalarEnd::plain_flow : ScalarEnd::plain_block;
    p.indent = spec.indent;
    p.fold = Fold::flow;
    p.eat_leading_whitespace = true;
    p.trim_trailing_spaces = true;
    p.chomp = Chomp::strip;
    p.break_on_doc_indicator = true;
    p.fail_on_tab_in_indentation = true;
    break;
  case ScalarStyle::single_quoted:
  case ScalarStyle::double_quoted:
    p.end = style == ScalarStyle::single_quoted ? ScalarEnd::single_quote : ScalarEnd::double_quote;
    p.eat_end = true;
    p.fold = Fold::flow;
    p.eat_leading_whitespace = true;
    p.chomp = Chomp::clip;
    p.fail_on_doc_indicator = true;
    break;
  case ScalarStyle::literal:
  case ScalarStyle::folded:
    p.indent = spec.indent;
    p.detect_indent = spec.detect_indent;
    p.fold = style == ScalarStyle::folded ? Fold::block : Fold::none;
    p.chomp = static_cast<Chomp>(spec.chomp);
    p.fail_on_tab_in_indentation = true;
    break;
  }
  return p;
}

} // namespace nsmon::yaml::detail
