#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/error.hpp"

// An incremental JSON tokenizer: the text is fed in chunks of any size (as it arrives from the
// network) and tokens are handed to a handler as soon as they are complete. Only the current
// token (a string or a number) is buffered, never the text or a tree. It accepts exactly RFC 8259
// JSON (what nlohmann::json::parse accepts): strings must be valid UTF-8 without raw control
// characters, \u escapes must pair surrogates, numbers follow the JSON grammar.

namespace nsmon::promapi {

/// Malformed or truncated JSON; `offset` is the byte where it was noticed.
struct DecodeError : Error {
  DecodeError(const std::string& msg, std::size_t off) : Error(msg), offset(off) {}
  std::size_t offset;
};

/// Receives tokens in document order. Strings arrive unescaped; numbers as written.
class JsonHandler {
public:
  virtual ~JsonHandler() = default;
  virtual void begin_object() = 0;
  virtual void key(std::string_view k) = 0;
  virtual void end_object() = 0;
  virtual void begin_array() = 0;
  virtual void end_array() = 0;
  virtual void string(std::string_view s) = 0;
  virtual void number(std::string_view text) = 0;
  /// true, false or null.
  virtual void literal(std::string_view word) = 0;
  /// An array of a number and a string, [1700000000,"0.5"] as Prometheus writes a sample, found
  /// whole in one chunk. By default it is handed over as its four tokens.
  virtual void pair(std::string_view num, std::string_view str) {
    begin_array();
    number(num);
    string(str);
    end_array();
  }
};

struct JsonLimits {
  std::size_t max_depth = 256;               ///< nested arrays and objects
  std::size_t max_string = 64 * 1024 * 1024; ///< bytes of one decoded string or number
};

class JsonTokenizer {
public:
  explicit JsonTokenizer(JsonHandler& h, JsonLimits limits = {}) : h_(h), limits_(limits) {}

  /// Tokenizes the next bytes; throws DecodeError on malformed JSON.
  void feed(std::string_view chunk);
  /// The input has ended: throws DecodeError unless exactly one complete value was seen.
  void finish();

  /// Sends the raw bytes of the next value that starts (as written, whitespace inside kept) to
  /// `sink`, in pieces, until that value ends. Call it from JsonHandler::key.
  void capture_next_value(std::function<void(std::string_view)> sink);

  /// Bytes consumed so far.
  std::size_t offset() const { return offset_; }

private:
  enum class State : std::uint8_t {
    value,          // a value must start here
    value_or_close, // after '[': a value or ']'
    key_or_close,   // after '{': a key or '}'
    key,            // after ',' in an object
    colon,
    after_value, // ',' or the closing bracket of the container
    string,
    escape,
    unicode,
    number,
    literal,
    done,
  };

  [[noreturn]] void fail(const std::string& what, std::size_t at) const;
  std::size_t start_value(std::string_view s, std::size_t i);
  std::size_t scan_pair(std::string_view s, std::size_t i);
  std::size_t scan_string(std::string_view s, std::size_t i);
  std::size_t scan_number(std::string_view s, std::size_t i);
  void escape_char(char c, std::size_t at);
  void unicode_digit(char c, std::size_t at);
  void end_string(std::string_view token, std::size_t at);
  void end_number(std::string_view token, std::size_t at);
  void close(char bracket, std::size_t at);
  void value_done(std::string_view s, std::size_t end);
  void grow(std::size_t n, std::size_t at);

  JsonHandler& h_;
  JsonLimits limits_;
  State state_ = State::value;
  std::vector<char> stack_; ///< '{' or '[' per open container
  std::string buf_;         ///< the current string or number
  bool is_key_ = false;
  bool fresh_ = false;     ///< the current token started in the chunk being fed (not copied yet)
  std::size_t offset_ = 0; ///< of the chunk being fed
  // UTF-8 within a string: continuation bytes still expected and the range of the next one.
  int utf8_need_ = 0;
  unsigned char utf8_lo_ = 0x80, utf8_hi_ = 0xBF;
  // \uXXXX: digits read so far, the value, a pending high surrogate.
  int hex_count_ = 0;
  std::uint32_t hex_ = 0;
  std::uint32_t high_surrogate_ = 0;
  bool want_low_ = false; ///< a high surrogate was read: the next must be \uDC00..\uDFFF
  // Numbers: the grammar position. Literals: the word and how much of it was matched.
  int num_state_ = 0;
  std::string_view word_;
  std::size_t word_pos_ = 0;
  // Raw capture of one value.
  std::function<void(std::string_view)> sink_;
  bool capture_pending_ = false;
  bool capturing_ = false;
  std::size_t capture_depth_ = 0;
  std::size_t capture_from_ = 0; ///< in the current chunk
};

} // namespace nsmon::promapi
