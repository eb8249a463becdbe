#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Numbers, times and sizes for people (watch's screens, query's tables and charts), and display
// widths of UTF-8 text. All return UTF-8 text without escape codes; "-" stands for an absent figure.

namespace nsmon::util::fmt {

/// Fixed decimals: fixed(0.34512, 3) == "0.345".
std::string fixed(double v, int decimals);
/// Thousands separators: 8456 -> "8,456" (rounded to an integer).
std::string count(double v);
/// 9300 -> "2h 35m", 253 -> "4m 13s", 12.4 -> "12s", 0.85 -> "0.85s".
std::string duration(double seconds);
/// A latency: "0.31 s", "850 ms", "42 µs".
std::string latency(double seconds);
/// 13.1e9 -> "12.2 GiB".
std::string bytes(double b);
/// A ratio 0..1 as "98.5%".
std::string percent(double ratio, int decimals = 1);
/// A bar of `width` cells for fraction 0..1: "████████░░".
std::string bar(double fraction, int width);
/// The last `width` values as a sparkline ("▇▅▃▂▁"), scaled between their min and max.
std::string sparkline(const std::vector<double>& values, std::size_t width);
/// "▼" / "▲" / "" for a trend of -1 / +1 / 0.
std::string arrow(int trend);

/// Display width of UTF-8 text: a cell per code point, two for East Asian wide ones (CJK, Hangul,
/// kana, fullwidth forms, emoji); escape sequences and combining marks (U+0300..U+036F) take none.
/// The one width every table, graph, screen and caret uses.
std::size_t width(std::string_view s);
/// Cuts `s` to at most `max` display cells, ending in "…" when cut; SGR sequences are kept.
std::string fit(std::string_view s, std::size_t max);
/// Makes a line from the supervised command safe to print: control characters go, and so do
/// escape sequences other than colours (SGR), which stay only when `keep_color`. A carriage
/// return keeps what follows it (progress bars redraw themselves that way).
std::string sanitize(std::string_view line, bool keep_color);

} // namespace nsmon::util::fmt
