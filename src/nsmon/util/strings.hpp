#pragma once
// util/: generic helpers that know nothing about nsmon: strings, numbers and times for people
// (`humanize`), files (atomic writes, all-or-nothing writes, mapped input), URLs (credential
// masking), subprocesses, tables, parallel steps (`parallel.hpp`: fixed-size steps, each thread
// taking the next when free; results kept per step, joined in order; threads started per call),
// time zones from the system's zoneinfo (`zoneinfo.*`, as Go's LoadLocation finds them), the speed
// tricks a bench still justifies, each named and explained once (`fast_path.*`: the heap on
// transparent huge pages, memory kept until exit; lint-rules calls them).

#include <array>
#include <functional>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace nsmon::util {

std::string_view trim(std::string_view s);
bool starts_with(std::string_view s, std::string_view prefix);
bool ends_with(std::string_view s, std::string_view suffix);
/// The parts (any range of strings or views) with `sep` between them.
template <class Range> std::string join(const Range& parts, std::string_view sep) {
  std::string out;
  bool first = true;
  for (const auto& part : parts) {
    if (!first) out += sep;
    first = false;
    out += part;
  }
  return out;
}
std::string join(const std::vector<std::string>& parts, std::string_view sep); // join({a, b}, sep) too
/// The items as prose: "a", "a and b", "a, b and c" (`last` "or": "a, b or c").
std::string word_list(const std::vector<std::string>& items, std::string_view last = "and");
/// The pieces one after the other, in one allocation (a message built with `+` reallocates as it
/// grows, and makes a temporary per `+`).
std::string concat(std::initializer_list<std::string_view> pieces);

/// The items of comma-separated lists, trimmed, empty ones skipped: {"a, b", "c"} -> a, b, c
/// (flags that take lists and may be repeated, like Prometheus's --enable-feature).
std::vector<std::string> split_lists(const std::vector<std::string>& lists);

/// Levenshtein distance, capped: returns cap+1 as soon as the distance exceeds cap.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap = 64);

/// A line diff of two texts (longest common subsequence of their lines): each line of the result
/// is `prefix` then "- " (only in `a`), "+ " (only in `b`) or "  " (both); no trailing newline.
std::string line_diff(std::string_view a, std::string_view b, std::string_view prefix = {});

/// The candidate closest to `name` if it is close enough to be a likely typo, else "".
std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates);

/// Hashes a std::string and a view of one alike: with std::equal_to<>, an unordered container of
/// strings is searched by view without making a string.
struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
/// How many times `c` occurs in `s` (64 bytes at a time: the compiler's vector instructions;
/// std::count is a byte at a time).
std::size_t count_byte(std::string_view s, char c);

/// Tells whether a string is given for the first time (a mapping's keys): the first 16 are
/// compared one by one without allocating, more go through a set. The strings must outlive it.
class FirstSeen {
public:
  /// True the first time `s` is given.
  bool operator()(std::string_view s);

private:
  std::array<std::string_view, 16> few_;
  std::size_t count_ = 0;
  std::set<std::string_view> many_;
};

/// Formats a number the way Prometheus prints sample values (shortest round-trip form).
std::string format_number(double v);

} // namespace nsmon::util
