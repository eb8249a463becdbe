// Scalar scanning: yaml-cpp 0.7's ScanScalar (scanscalar.cpp) and escapes (exp.cpp). One routine
// serves plain, quoted and block scalars, as in yaml-cpp, so that values fold and chomp the same
// way; runs of ordinary characters are copied at once instead of character by character.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>

#include "nsmon/core/yaml_scanner.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::yaml::detail {

namespace {

/// The scalar being built, with the source offset of each byte when asked for.
class Sink {
public:
  Sink(std::string& target, std::vector<std::size_t>* offsets) : value(target), offsets_(offsets) { value.clear(); }
  std::string& value;

  void push(char c, std::size_t from) {
    value += c;
    if (offsets_) offsets_->push_back(from);
  }
  void push(const std::string& s, std::size_t from) {
    value += s;
    if (offsets_) offsets_->insert(offsets_->end(), s.size(), from);
  }
  void append_source(const char* p, std::size_t n, std::size_t from) {
    value.append(p, n);
    if (offsets_)
      for (std::size_t i = 0; i < n; ++i) offsets_->push_back(from + i);
  }
  void truncate(std::size_t n) {
    if (n >= value.size()) return;
    value.erase(n);
    if (offsets_) offsets_->resize(n);
  }

private:
  std::vector<std::size_t>* offsets_;
};

std::string hex_escape(Stream& in, int digits) {
  unsigned long cp = 0;
  bool ok = true;
  for (int i = 0; i < digits; ++i) {
    char c = in.get();
    int d = c >= '0' && c <= '9'   ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) ok = false;
    cp = cp * 16 + static_cast<unsigned long>(std::max(d, 0));
  }
  if (!ok) fail(in.mark(), "bad character found while scanning hex number");
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) fail(in.mark(), "invalid unicode code point in escape");
  std::string out;
  text::go::append_utf8(out, static_cast<char32_t>(cp));
  return out;
}

/// Exp::Escape: the value of the escape sequence at the position (a backslash in double-quoted
/// scalars, '' in single-quoted ones). \N and \_ give U+0085 and U+00A0 in UTF-8 (yaml-cpp
/// gives the single bytes 0x85 and 0xA0, which are not UTF-8).
std::string escape(Stream& in) {
  char esc = in.get();
  char c = in.get();
  if (esc == '\'' && c == '\'') return "'";
  switch (c) {
  case '0': return std::string(1, '\0');
  case 'a': return "\x07";
  case 'b': return "\x08";
  case 't':
  case '\t': return "\x09";
  case 'n': return "\x0A";
  case 'v': return "\x0B";
  case 'f': return "\x0C";
  case 'r': return "\x0D";
  case 'e': return "\x1B";
  case ' ': return " ";
  case '"': return "\"";
  case '\'': return "'";
  case '\\': return "\\";
  // No "\/": YAML 1.2 has it, Go's yaml (YAML 1.1's escapes) refuses it.
  case 'N': return "\xC2\x85";
  case '_': return "\xC2\xA0";
  case 'L': return "\xE2\x80\xA8";
  case 'P': return "\xE2\x80\xA9";
  case 'x': return hex_escape(in, 2);
  case 'u': return hex_escape(in, 4);
  case 'U': return hex_escape(in, 8);
  default: break;
  }
  if (c == '\0') fail(in.mark(), "unknown escape character: the input ends after the backslash");
  fail(in.mark(), std::string("unknown escape character: ") + c);
}

/// Length of the text that ends a scalar at the position, or -1 (the `end` expressions of
/// yaml-cpp's exp.h: ScanScalarEnd, ScanScalarEndInFlow, the quotes, Empty).
[[gnu::always_inline]] inline int end_match(const Stream& in, ScalarEnd end) {
  char c = in.peek();
  switch (end) {
  case ScalarEnd::end_of_input: return in.at_end() ? 0 : -1;
  case ScalarEnd::double_quote: return c == '"' ? 1 : -1;
  case ScalarEnd::single_quote: return c == '\'' && in.peek(1) != '\'' ? 1 : -1;
  case ScalarEnd::plain_block:
  case ScalarEnd::plain_flow: {
    bool flow = end == ScalarEnd::plain_flow;
    if (c == ':') {
      char n = in.peek(1);
      if (in.blank_or_break(1) || in.at_end(1) || (flow && (n == ',' || n == ']' || n == '}'))) return 1;
    }
    if (flow && (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' || c == '}')) return 1;
    if (in.blank()) return in.peek(1) == '#' ? 2 : -1;
    int b = in.brk();
    if (b && in.peek(static_cast<std::size_t>(b)) == '#') return b + 1;
    return -1;
  }
  }
  return -1;
}

constexpr const char* kUnclosedQuote = "missing closing quote (the input ends inside a quoted scalar)";

/// Per kind of scalar, the bytes that need a closer look; everything else is copied in runs.
using CharTable = std::array<bool, 256>;

CharTable make_table(const char* specials) {
  CharTable t{};
  t[0] = t['\n'] = t['\r'] = true;
  for (const char* p = specials; *p; ++p) t[static_cast<unsigned char>(*p)] = true;
  return t;
}

const CharTable& special_chars(ScalarEnd end) {
  static const CharTable block = make_table("");
  static const CharTable plain = make_table(" \t:");
  static const CharTable plain_flow = make_table(" \t:,?[]{}");
  static const CharTable single = make_table(" \t'");
  static const CharTable dbl = make_table(" \t\"\\");
  switch (end) {
  case ScalarEnd::end_of_input: return block;
  case ScalarEnd::plain_block: return plain;
  case ScalarEnd::plain_flow: return plain_flow;
  case ScalarEnd::single_quote: return single;
  case ScalarEnd::double_quote: return dbl;
  }
  return block;
}

} // namespace

// The fast paths give exactly what scan_scalar gives for the scalars they accept (the
// differential test and fuzz_yaml compare both parsers on every input); they only skip its
// folding machinery.

bool scan_plain_line(Stream& in, int indent, std::string_view& value, bool& leading_spaces) {
  const CharTable& special = special_chars(ScalarEnd::plain_block);
  const char* p = in.data() + in.pos();
  std::size_t i = 0, end = 0; // end: after the last character that is not a blank
  while (true) {
    while (!special[static_cast<unsigned char>(p[i])]) end = ++i;
    char c = p[i];
    if (c == ':') {
      // ": ", ":" at a line end or at the end of input ends the scalar; "a:b" does not.
      char n = p[i + 1];
      if (n == ' ' || n == '\t' || n == '\n' || (n == '\r' && p[i + 2] == '\n') || in.at_end(i + 1)) break;
      end = ++i;
    } else if (c == ' ' || c == '\t') {
      if (p[i + 1] == '#') break; // a comment
      ++i;
    } else if (c == '\0' && in.at_end(i)) {
      break;
    } else if (c == '\n') {
      if (p[i + 1] == '#') break; // a comment at the start of the next line
      // The scalar ends here if the next line is less indented (and not blank, not a comment).
      std::size_t k = 0;
      while (p[i + 1 + k] == ' ') ++k;
      char d = p[i + 1 + k];
      if (static_cast<int>(k) >= indent || d == '\t' || d == '\n' || d == '\r' || d == '#') return false;
      value = std::string_view(p, end);
      in.skip_inline(i);
      in.eat(); // the line break
      in.skip_inline(k);
      leading_spaces = true;
      return true;
    } else {
      return false; // "\r": the general routine
    }
  }
  value = std::string_view(p, end);
  in.skip_inline(i);
  leading_spaces = false;
  return true;
}

bool scan_quoted_line(Stream& in, char quote, std::string_view& value) {
  const char* p = in.data() + in.pos();
  std::size_t i = 0;
  while (true) {
    char c = p[i];
    if (c == quote) {
      if (quote == '\'' && p[i + 1] == '\'') return false; // '' inside single quotes
      break;
    }
    if (c == '\n' || c == '\r' || c == '\0' || (quote == '"' && c == '\\')) return false;
    ++i;
  }
  value = std::string_view(p, i);
  in.skip_inline(i + 1);
  return true;
}

void scan_scalar(Stream& in, ScalarParams& params, std::string& value, std::vector<std::size_t>* offsets) {
  const CharTable& special = special_chars(params.end);
  const char escape_char = params.end == ScalarEnd::double_quote   ? '\\'
                           : params.end == ScalarEnd::single_quote ? '\''
                                                                   : '\0';
  const bool block = params.end == ScalarEnd::end_of_input;
  bool found_non_empty_line = false;
  bool past_opening_break = params.fold == Fold::flow;
  bool empty_line = false, more_indented = false;
  int folded_newline_count = 0;
  bool folded_newline_started_more_indented = false;
  std::size_t last_escaped = std::string::npos;
  bool closed = false;
  Sink out(value, offsets);
  params.leading_spaces = false;
  // Copies a run of ordinary characters (none can end the scalar or break the line) at once.
  auto copy_run = [&] {
    const char* p = in.data() + in.pos();
    std::size_t n = 1;
    while (!special[static_cast<unsigned char>(p[n])]) ++n;
    out.append_source(p, n, in.pos());
    in.skip_inline(n);
  };

  while (in.more()) {
    // Phase 1: scan to the end of the line.
    std::size_t last_non_whitespace = out.value.size();
    bool escaped_newline = false;
    while (true) {
      // A line's first character may start "---" or "...": that takes the long way.
      if (!special[static_cast<unsigned char>(in.peek())] && in.column() != 0) {
        copy_run();
        if (!block) last_non_whitespace = out.value.size();
        found_non_empty_line = past_opening_break = true;
        continue;
      }
      if (end_match(in, params.end) >= 0 || in.brk()) break;
      if (!in.more()) break;
      if (in.column() == 0 && (in.doc_indicator('-') || in.doc_indicator('.'))) {
        if (params.break_on_doc_indicator) break;
        if (params.fail_on_doc_indicator) fail(in.mark(), "illegal document indicator in scalar");
      }
      found_non_empty_line = true;
      past_opening_break = true;

      char c = in.peek();
      if (escape_char == '\\' && c == '\\' && in.brk(1)) {
        // An escaped line break joins the lines and keeps the whitespace before it.
        in.eat();
        last_non_whitespace = last_escaped = out.value.size();
        escaped_newline = true;
        break;
      }
      if (escape_char && c == escape_char) {
        std::size_t at = in.pos();
        out.push(escape(in), at);
        last_non_whitespace = last_escaped = out.value.size();
        continue;
      }
      if (!special[static_cast<unsigned char>(c)]) {
        copy_run();
        if (!block) last_non_whitespace = out.value.size();
        continue;
      }
      out.push(c, in.pos());
      in.eat();
      if (c != ' ' && c != '\t') last_non_whitespace = out.value.size();
    }

    if (!in.more()) {
      if (params.eat_end) fail(in.mark(), kUnclosedQuote);
      break;
    }
    if (params.break_on_doc_indicator && in.column() == 0 && (in.doc_indicator('-') || in.doc_indicator('.'))) break;
    int n = end_match(in, params.end);
    if (n >= 0) {
      if (params.eat_end) in.eat(static_cast<std::size_t>(n));
      closed = true;
      break;
    }
    if (params.fold == Fold::flow) out.truncate(last_non_whitespace);

    // Phase 2: the line break.
    std::size_t break_at = in.pos();
    in.eat(static_cast<std::size_t>(in.brk()));

    // Phase 3: the next line's indentation, then the rest of its leading whitespace.
    while (in.peek() == ' ' && (in.column() < params.indent || (params.detect_indent && !found_non_empty_line)) &&
           end_match(in, params.end) < 0)
      in.eat();
    if (params.detect_indent && !found_non_empty_line) params.indent = std::max(params.indent, in.column());
    while (in.blank()) {
      if (in.peek() == '\t' && in.column() < params.indent && params.fail_on_tab_in_indentation)
        fail(in.mark(), "illegal tab when looking for indentation");
      if (!params.eat_leading_whitespace) break;
      if (end_match(in, params.end) >= 0) break;
      in.eat();
    }

    bool next_empty_line = in.brk() != 0;
    bool next_more_indented = in.blank();
    if (params.fold == Fold::block && folded_newline_count == 0 && next_empty_line)
      folded_newline_started_more_indented = more_indented;

    // A block scalar's first break ends its header line: neither folded nor kept.
    if (past_opening_break) {
      switch (params.fold) {
      case Fold::none: out.push('\n', break_at); break;
      case Fold::block:
        if (!empty_line && !next_empty_line && !more_indented && !next_more_indented && in.column() >= params.indent)
          out.push(' ', break_at);
        else if (next_empty_line) ++folded_newline_count;
        else out.push('\n', break_at);
        if (!next_empty_line && folded_newline_count > 0) {
          out.push(std::string(static_cast<std::size_t>(folded_newline_count - 1), '\n'), break_at);
          if (folded_newline_started_more_indented || next_more_indented || !found_non_empty_line)
            out.push('\n', break_at);
          folded_newline_count = 0;
        }
        break;
      case Fold::flow:
        if (next_empty_line) out.push('\n', break_at);
        else if (!empty_line && !escaped_newline) out.push(' ', break_at);
        break;
      }
    }

    empty_line = next_empty_line;
    more_indented = next_more_indented;
    past_opening_break = true;

    // A less indented line ends the scalar.
    if (!empty_line && in.column() < params.indent) {
      params.leading_spaces = true;
      break;
    }
  }

  // yaml-cpp accepts a quoted scalar cut off by the end of the input after a line break; a
  // missing closing quote is an error wherever the input ends.
  if (params.eat_end && !in.more() && !closed) fail(in.mark(), kUnclosedQuote);

  // Post-processing: trailing spaces of plain scalars, then chomping (escaped characters stay).
  const std::string& s = out.value;
  auto keep_escaped = [&](std::size_t pos) {
    if (last_escaped != std::string::npos && (pos < last_escaped || pos == std::string::npos)) return last_escaped;
    return pos;
  };
  if (params.trim_trailing_spaces) {
    std::size_t pos = keep_escaped(s.find_last_not_of(" \t"));
    if (pos < s.size()) out.truncate(pos + 1);
  }
  if (params.chomp == Chomp::clip) {
    std::size_t pos = keep_escaped(s.find_last_not_of('\n'));
    if (pos == std::string::npos) out.truncate(0);
    else if (pos + 1 < s.size()) out.truncate(pos + 2);
  } else if (params.chomp == Chomp::strip) {
    std::size_t pos = keep_escaped(s.find_last_not_of('\n'));
    if (pos == std::string::npos) out.truncate(0);
    else if (pos < s.size()) out.truncate(pos + 1);
  }
}

bool decode_base64(std::string& s) {
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0, pad = 0, chars = 0;
  for (char c : s) {
    if (c == '\n' || c == '\r') continue;
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
                                   : -1;
    ++chars;
    if (c == '=') {
      ++pad;
      continue;
    }
    if (v < 0 || pad > 0) return false;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  if (chars % 4 != 0 || pad > 2 || (pad > 0 && (chars - pad) % 4 + pad != 4)) return false;
  s = std::move(out);
  return true;
}

bool is_null_string(std::string_view s) { // checked per plain scalar, so without strcmp
  switch (s.size()) {
  case 0: return true;
  case 1: return s[0] == '~';
  case 4: return s == "null" || s == "Null" || s == "NULL";
  default: return false;
  }
}

void check_text(std::string_view s) {
  auto bad = [&](std::size_t i, const std::string& what) {
    int line = 0;
    std::size_t line_start = 0;
    for (std::size_t k = 0; k < i; ++k)
      if (s[k] == '\n') {
        ++line;
        line_start = k + 1;
      }
    fail({static_cast<int>(i), line, static_cast<int>(i - line_start)}, what);
  };
  auto hex = [](unsigned v) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[(v >> 4) & 15] + digits[v & 15];
  };
  for (std::size_t i = 0; i < s.size();) {
    // 64 bytes at a time (the compiler's vector instructions) when all are printable ASCII, tabs
    // or line breaks; else byte by byte to the end of the block.
    if (i % 64 == 0 && i + 64 <= s.size()) {
      unsigned char other = 0;
      for (std::size_t k = i; k < i + 64; ++k) {
        auto c = static_cast<unsigned char>(s[k]);
        other |= static_cast<unsigned char>((c >= 0x7F) | ((c < 0x20) & (c != '\t') & (c != '\n') & (c != '\r')));
      }
      if (other == 0) {
        i += 64;
        continue;
      }
    }
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7F) {
      ++i;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      ++i;
      continue;
    }
    if (c == 0) bad(i, "NUL byte: this is not UTF-8 text (a binary file, or UTF-16?)");
    if (c < 0x80) bad(i, "control character " + hex(c) + " is not allowed in YAML");
    std::size_t n = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) bad(i, "byte " + hex(c) + " is not valid UTF-8");
    unsigned long cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) bad(i, "byte " + hex(c) + " starts an invalid UTF-8 sequence");
      cp = (cp << 6) | (cc & 0x3F);
    }
    bool overlong = (n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      bad(i, "byte " + hex(c) + " starts an invalid UTF-8 sequence");
    if ((cp >= 0x80 && cp <= 0x9F && cp != 0x85) || cp == 0xFFFE || cp == 0xFFFF)
      bad(i, "character U+" + hex(static_cast<unsigned>(cp)).substr(2) + " is not allowed in YAML");
    i += n;
  }
}

bool read_int(const std::string& s, std::size_t& i, int& out) {
  while (i < s.size() && (s[i] == ' ' || (s[i] >= '\t' && s[i] <= '\r'))) ++i;
  bool neg = i < s.size() && s[i] == '-';
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
  if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
  long long v = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    v = v * 10 + (s[i] - '0');
    if (v > static_cast<long long>(std::numeric_limits<int>::max()) + 1) return false;
  }
  v = neg ? -v : v;
  if (v > std::numeric_limits<int>::max() || v < std::numeric_limits<int>::min()) return false;
  out = static_cast<int>(v);
  return true;
}

} // namespace nsmon::yaml::detail
