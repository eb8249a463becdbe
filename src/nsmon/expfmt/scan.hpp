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

/// Fast non-cryptographic 64-bit hash (8 bytes per step).
std::uint64_t hash_bytes(std::string_view s, std::uint64_t seed = 0);
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
