#pragma once
// Internal to the YAML parser: the input stream, tokens, and the scanner that turns text into
// tokens. The rules (simple keys, indentation markers, how scalars end and fold) are yaml-cpp
// 0.7's, so that every token gets the mark yaml-cpp gives it; the implementation works on a
// flat buffer instead of yaml-cpp's character deque and regular-expression objects.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::yaml::detail {

/// A parse error, thrown inside the parser and turned into yaml::Error at its boundary: the
/// first error ends the parse, as in yaml-cpp.
struct Failure {
  yaml::Mark mark;
  std::string message;
};

[[noreturn]] void fail(const yaml::Mark& mark, std::string message);

/// Bytes after the end of the text that read as '\0'; the text itself has no NUL (checked
/// before scanning), so '\0' means the end of input and look-ahead needs no bounds checks.
constexpr std::size_t kPadding = 32;

/// The text being scanned with the current position.
class Stream {
public:
  Stream(const char* data, std::size_t size, std::size_t pos = 0, int line = 0, int column = 0)
      : data_(data), size_(size), pos_(pos), line_(line), column_(column) {}

  bool more() const { return pos_ < size_; }
  char peek(std::size_t ahead = 0) const { return data_[pos_ + ahead]; }
  yaml::Mark mark() const { return {static_cast<int>(pos_), line_, column_}; }
  std::size_t pos() const { return pos_; }
  int line() const { return line_; }
  int column() const { return column_; }
  const char* data() const { return data_; }
  std::size_t size() const { return size_; }

  /// Consumes `n` characters, counting lines. Like yaml-cpp, consuming at the end of the input
  /// still moves the mark (it only happens while reporting an error).
  void eat(std::size_t n = 1) {
    for (; n > 0; --n) {
      if (pos_ < size_ && data_[pos_] == '\n') {
        ++line_;
        column_ = 0;
      } else {
        ++column_;
      }
      if (pos_ < size_ + kPadding / 2) ++pos_;
    }
  }
  char get() {
    char c = peek();
    eat();
    return c;
  }
  /// Consumes `n` characters known to hold no line break.
  void skip_inline(std::size_t n) {
    pos_ += n;
    column_ += static_cast<int>(n);
  }
  void reset_column() { column_ = 0; }

  // Character classes of yaml-cpp's exp.h at `ahead` characters from the position.
  bool blank(std::size_t ahead = 0) const { return peek(ahead) == ' ' || peek(ahead) == '\t'; }
  /// Length of a line break ("\n" or "\r\n"; a lone "\r" is no break, as in yaml-cpp), or 0.
  int brk(std::size_t ahead = 0) const {
    char c = peek(ahead);
    return c == '\n' ? 1 : c == '\r' && peek(ahead + 1) == '\n' ? 2 : 0;
  }
  bool blank_or_break(std::size_t ahead = 0) const { return blank(ahead) || brk(ahead) != 0; }
  bool at_end(std::size_t ahead = 0) const { return pos_ + ahead >= size_; }
  /// "---" or "..." followed by a blank, a break or the end.
  bool doc_indicator(char c) const {
    return peek() == c && peek(1) == c && peek(2) == c && (blank_or_break(3) || at_end(3));
  }

private:
  const char* data_;
  std::size_t size_;
  std::size_t pos_;
  int line_;
  int column_;
};

enum class TokenType : std::uint8_t {
  directive,
  doc_start,
  doc_end,
  block_seq_start,
  block_map_start,
  block_seq_end,
  block_map_end,
  block_entry,
  flow_seq_start,
  flow_map_start,
  flow_seq_end,
  flow_map_end,
  flow_entry,
  key,
  value,
  anchor,
  alias,
  tag,
  plain_scalar,
  non_plain_scalar,
};

enum class TagKind : std::uint8_t { verbatim, primary_handle, secondary_handle, named_handle, non_specific };

struct Token {
  enum class Status : std::uint8_t { valid, invalid, unverified };
  // A constructor of its own, so that making a token sets its fields instead of zeroing the whole
  // struct first (measurable: several tokens per line).
  Token(TokenType t, const yaml::Mark& m) : type(t), mark(m) {}
  TokenType type;
  Status status = Status::valid;
  ScalarStyle style = ScalarStyle::plain;
  TagKind tag_kind = TagKind::non_specific;
  yaml::Mark mark;
  std::string value;               ///< scalar value, anchor or alias name, tag, directive name
  std::string_view verbatim;       ///< a scalar that stands as it is in the text: those bytes (value unused)
  std::vector<std::string> params; ///< directive parameters; a named tag handle's suffix
  ScanSpec scan;                   ///< scalars: how to scan again (value_offsets)
  /// A scalar's value.
  std::string_view scalar() const { return verbatim.data() ? verbatim : std::string_view(value); }
};

enum class Fold : std::uint8_t { none, block, flow };
enum class Chomp : std::uint8_t { strip, clip, keep };
enum class ScalarEnd : std::uint8_t { end_of_input, plain_block, plain_flow, single_quote, double_quote };

/// yaml-cpp's ScanScalarParams.
struct ScalarParams {
  ScalarEnd end = ScalarEnd::end_of_input;
  bool eat_end = false;
  int indent = 0;
  bool detect_indent = false;
  bool eat_leading_whitespace = false;
  Fold fold = Fold::none;
  bool trim_trailing_spaces = false;
  Chomp chomp = Chomp::clip;
  bool break_on_doc_indicator = false; ///< plain scalars end at "---" / "..."
  bool fail_on_doc_indicator = false;  ///< quoted scalars may not contain them
  bool fail_on_tab_in_indentation = false;
  bool leading_spaces = false; ///< out: the scalar ended at a less indented line
};

/// Scans one scalar's value from the stream into `value` (yaml-cpp's ScanScalar). With
/// `offsets`, also records for each value byte the offset of the source byte it came from.
void scan_scalar(Stream& in, ScalarParams& params, std::string& value, std::vector<std::size_t>* offsets = nullptr);

/// Fast paths for the most common scalars. A plain scalar in block context that ends on its own
/// line, and a quoted scalar on one line without escapes (the stream is after the opening
/// quote): scan it into `value` and return true, or return false without moving the stream.
bool scan_plain_line(Stream& in, int indent, std::string_view& value, bool& leading_spaces);
bool scan_quoted_line(Stream& in, char quote, std::string_view& value);

/// Go's base64.StdEncoding.DecodeString in place (a !!binary scalar): padded, line breaks
/// ignored; false on bad data.
bool decode_base64(std::string& s);
/// yaml-cpp's IsNullString: "", ~, null, Null, NULL.
bool is_null_string(std::string_view s);
/// The text must be UTF-8 made of characters YAML allows (c-printable: no control characters
/// but tab and line breaks, no C1 controls but NEL, no U+FFFE/U+FFFF); fails at the first other.
/// yaml-cpp reads any bytes; a NUL or 0x04 byte even ends its input silently.
void check_text(std::string_view s);
/// Parses the optional sign and digits of an int at `i` the way `std::istream >> int` does.
bool read_int(const std::string& s, std::size_t& i, int& out);

/// The parameters a scalar of `style` was scanned with, from its ScanSpec.
ScalarParams params_for(ScalarStyle style, const ScanSpec& spec);

class Scanner {
public:
  /// Scans from byte `start` (after a byte order mark, or where a part of the text begins),
  /// which is column 0 of line `line`.
  Scanner(const char* data, std::size_t size, std::size_t start, int line = 0) : in_(data, size, start, line, 0) {}

  // The parser asks for the next token several times per token: answer from `front_` when the
  // front token is known, and scan only when it is not.
  bool empty() {
    if (!front_) ensure_tokens();
    return front_ == nullptr;
  }
  /// The next token; only after !empty().
  Token& peek() {
    if (!front_) ensure_tokens();
    return *front_;
  }
  void pop() {
    if (!front_) ensure_tokens();
    if (front_) {
      ++head_;
      front_ = head_ < tokens_.size() && tokens_[head_].status == Token::Status::valid ? &tokens_[head_] : nullptr;
    }
  }
  yaml::Mark mark() const { return in_.mark(); }

private:
  struct Indent {
    enum class Type : std::uint8_t { map, seq, none };
    enum class Status : std::uint8_t { valid, invalid, unknown };
    int column;
    Type type;
    Status status = Status::valid;
    std::int64_t start_token = -1; ///< sequence number of the BLOCK_*_START token
  };
  struct SimpleKey {
    yaml::Mark mark;
    std::size_t flow_level;
    std::int64_t indent = -1; ///< index in indents_
    std::int64_t map_start = -1;
    std::int64_t key = -1;
  };
  enum class Flow : std::uint8_t { map, seq };

  void ensure_tokens();
  void scan_next_token();
  void scan_to_next_token();
  void start_stream();
  void end_stream();

  bool in_flow() const { return !flows_.empty(); }
  bool in_block() const { return flows_.empty(); }
  std::size_t flow_level() const { return flows_.size(); }
  int top_indent() const { return indent_stack_.empty() ? 0 : indents_[indent_stack_.back()].column; }

  // Tokens are numbered in the order they are pushed, so that simple keys and indentation
  // markers can refer to them while the queue is drained and refilled.
  std::int64_t push_token(TokenType type, const yaml::Mark& mark);
  Token& token(std::int64_t seq) { return tokens_[static_cast<std::size_t>(seq - base_)]; }

  std::int64_t push_indent_to(int column, Indent::Type type);
  void pop_indent_to_here();
  void pop_all_indents();
  void pop_indent();
  void compact_indents();

  bool can_insert_simple_key() const;
  void insert_potential_simple_key();
  void invalidate_simple_key();
  void fail_if_required_key_is_lost();
  bool verify_simple_key();
  void set_key_status(const SimpleKey& key, bool valid);

  void scan_directive();
  void scan_doc_indicator(TokenType type);
  void scan_flow_start();
  void scan_flow_end();
  void scan_flow_entry();
  void scan_block_entry();
  void scan_key();
  void scan_value();
  void scan_anchor_or_alias();
  void scan_tag();
  void scan_plain_scalar();
  void scan_quoted_scalar();
  void scan_block_scalar();

  bool value_indicator() const;
  bool plain_scalar_start() const;

  Stream in_;
  std::vector<Token> tokens_;
  std::size_t head_ = 0;
  Token* front_ = nullptr; ///< tokens_[head_] once it is ready for the parser
  std::int64_t base_ = 0;
  bool started_ = false;
  bool ended_ = false;
  bool simple_key_allowed_ = false;
  bool can_be_json_flow_ = false;
  std::vector<SimpleKey> simple_keys_;
  std::vector<Indent> indents_;           ///< every marker still referred to
  std::vector<std::size_t> indent_stack_; ///< indices into indents_
  std::vector<Flow> flows_;
  std::string scratch_; ///< scalars are built here, then copied once at their final size
};

} // namespace nsmon::yaml::detail
