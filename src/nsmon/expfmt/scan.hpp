#pragma once
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

// Byte-level helpers shared by the exposition parser: character classes, UTF-8 validation,
// escape decoding, hashing and a flat set of series hashes. Internal to expfmt but kept in a
// header so the tests can reach them.

namespace nsmon::expfmt::scan {

/// Character classes for names: bit 1 = may start a metric name [a-zA-Z_:], bit 2 = may continue
/// one [a-zA-Z0-9_:], bit 4 = may start a label name [a-zA-Z_], bit 8 = may continue one.
enum : std::uint8_t { metric_first = 1, metric_rest = 2, label_first = 4, label_rest = 8 };
constexpr std::array<std::uint8_t, 256> make_name_class() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    std::uint8_t v = 0;
    if (alpha || c == ':') v |= metric_first | metric_rest;
    if (digit) v |= metric_rest | label_rest;
    if (alpha) v |= label_first | label_rest;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
inline constexpr std::array<std::uint8_t, 256> name_class = make_name_class();

inline bool is(unsigned char c, std::uint8_t cls) { return (name_class[c] & cls) != 0; }

bool is_metric_name(std::string_view s);
bool is_label_name(std::string_view s);

/// Offset of the first byte that is not valid UTF-8 (overlong forms, surrogates and code points
/// above U+10FFFF are invalid), or npos when all of `s` is valid.
std::size_t utf8_invalid_at(std::string_view s);
/// Number of code points in valid UTF-8 `s`.
std::size_t utf8_length(std::string_view s);

/// Which escapes are legal: label values know \\ \" \n; text-format HELP only \\ \n.
enum class Escapes { label_value, text_help, om_help };

/// Appends the unescaped form of `s` to `out`. Returns the offset of a bad escape in `s`, or
/// npos. A trailing lone backslash counts as a bad escape.
std::size_t unescape(std::string_view s, Escapes kind, std::string& out);

/// Whether any of the 8 bytes in `w` is '"', '\\' or >= 0x80 (SWAR: no false negatives; a
/// borrow may flag a byte after a real hit, which only ends the fast path early).
inline bool special_bytes(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
  auto has_byte = [](std::uint64_t x, std::uint64_t b) {
    const std::uint64_t y = x ^ (ones * b);
    return (y - ones) & ~y & highs;
  };
  return ((w & highs) | has_byte(w, '"') | has_byte(w, '\\')) != 0;
}

/// Feeds `s` (and its length) into a running 64-bit hash; finish with mix(). Fast, not
/// cryptographic: one multiply per 8 bytes, tails read as overlapping words.
inline std::uint64_t hash_step(std::uint64_t h, std::string_view s) {
  constexpr std::uint64_t k = 0x9E3779B97F4A7C15ULL;
  const char* p = s.data();
  std::size_t n = s.size();
  h = (h ^ n) * k;
  while (n >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * k;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    std::uint64_t w;
    if (n >= 4) {
      std::uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = (std::uint64_t{a} << 32) | b;
    } else {
      w = (std::uint64_t{static_cast<unsigned char>(p[0])} << 16) |
          (std::uint64_t{static_cast<unsigned char>(p[n / 2])} << 8) | static_cast<unsigned char>(p[n - 1]);
    }
    h = (h ^ w) * k;
    h ^= h >> 32;
  }
  return h;
}
inline std::uint64_t mix(std::uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

/// Open-addressing set of 64-bit hashes with O(1) clear (a generation counter), so that a new
/// scope (a metric family) costs nothing however large an earlier one was.
class HashSet {
public:
  /// Inserts `h` with its `line`; returns 0, or the line of the earlier insert of `h` in the
  /// current generation.
  int insert(std::uint64_t h, int line);
  void clear();
  std::size_t size() const { return count_; }

private:
  struct Slot {
    std::uint64_t hash = 0;
    std::uint32_t gen = 0;
    int line = 0;
  };
  void grow();
  std::vector<Slot> slots_;
  std::size_t count_ = 0;
  std::uint32_t gen_ = 1;
};

} // namespace nsmon::expfmt::scan
