// --graph: range results drawn with Unicode braille (2 x 4 dots per cell), y axis with
// humanized values, a time axis and a legend, sized to the terminal.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <ctime>

#include "nsmon/cli/cmd_query.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli::query {

namespace {

const char* const kColors[] = {"32", "33", "34", "35", "36", "31", "92", "93", "94", "95", "96", "91"};
constexpr int kColorCount = 12;

struct Point {
  double t, v;
};

// The finite values of a series.
std::vector<Point> points(const promapi::Series& s) {
  std::vector<Point> out;
  out.reserve(s.samples.size());
  for (const auto& p : s.samples) {
    double v = 0;
    auto [e, ec] = std::from_chars(p.value.data(), p.value.data() + p.value.size(), v);
    if (ec == std::errc() && e == p.value.data() + p.value.size() && std::isfinite(v)) out.push_back({p.t, v});
  }
  return out;
}

std::string clock_label(double t, bool with_date) {
  std::time_t tt = static_cast<std::time_t>(std::floor(t));
  std::tm tm{};
  localtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, with_date ? "%m-%d %H:%M" : "%H:%M:%S", &tm);
  return buf;
}

// Without colour, the series after the first are told apart by a mark per cell instead of the
// dots (coarser, but a grey plot of four identical ⣿ lines says nothing).
std::string plain_mark(int series) {
  static const char* const kMarks[] = {"⣿", "•", "+", "×", "o", "*", "#", "%"};
  return kMarks[series % 8];
}

std::string pad_left(const std::string& s, std::size_t w) {
  std::size_t dw = util::fmt::width(s);
  return dw >= w ? s : std::string(w - dw, ' ') + s;
}

} // namespace

std::string render_graph(const std::vector<promapi::Series>& series, double start, double end, double step,
                         const catalog::Catalog& cat, Unit fallback, int width, int height, bool color) {
  std::vector<std::vector<Point>> pts;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const auto& s : series) {
    pts.push_back(points(s));
    for (const auto& p : pts.back()) {
      lo = std::min(lo, p.v);
      hi = std::max(hi, p.v);
    }
  }
  if (lo > hi) return "(no values to draw)\n";
  if (lo == hi) {
    double pad = lo == 0 ? 1 : std::fabs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  Unit unit = series.empty() ? fallback : series_unit(series.front(), cat, fallback);
  for (const auto& s : series)
    if (series_unit(s, cat, fallback) != unit) unit = Unit::none; // mixed units: plain numbers

  // Layout: legend lines (at most 8), the time axis (2 lines), the plot.
  const int legend = static_cast<int>(std::min<std::size_t>(series.size(), 8)) + (series.size() > 8 ? 1 : 0);
  const int rows = std::clamp(height - legend - 3, 4, 40);
  std::string top = humanize(hi, unit), mid = humanize((lo + hi) / 2, unit), bottom = humanize(lo, unit);
  const std::size_t axis_w = std::max({util::fmt::width(top), util::fmt::width(mid), util::fmt::width(bottom)});
  const int cols = std::max(10, width - static_cast<int>(axis_w) - 2);
  const int px_w = cols * 2, px_h = rows * 4;

  // One dot grid, and per cell the last series drawn there (its colour).
  std::vector<std::uint8_t> dots(static_cast<std::size_t>(cols * rows), 0);
  std::vector<int> owner(static_cast<std::size_t>(cols * rows), -1);
  static const std::uint8_t bit[4][2] = {{0x01, 0x08}, {0x02, 0x10}, {0x04, 0x20}, {0x40, 0x80}};
  auto plot = [&](int x, int y, int idx) {
    if (x < 0 || x >= px_w || y < 0 || y >= px_h) return;
    int row = (px_h - 1 - y) / 4, sub = (px_h - 1 - y) % 4;
    std::size_t cell = static_cast<std::size_t>(row * cols + x / 2);
    dots[cell] |= bit[sub][x % 2];
    owner[cell] = idx;
  };
  const double span = std::max(end - start, 1e-9);
  auto to_x = [&](double t) { return static_cast<int>(std::lround((t - start) / span * (px_w - 1))); };
  auto to_y = [&](double v) { return static_cast<int>(std::lround((v - lo) / (hi - lo) * (px_h - 1))); };
  for (std::size_t i = 0; i < pts.size(); ++i) {
    const auto& p = pts[i];
    for (std::size_t k = 0; k < p.size(); ++k) {
      int x1 = to_x(p[k].t), y1 = to_y(p[k].v);
      plot(x1, y1, static_cast<int>(i));
      // Join consecutive samples; a gap of more than 1.5 steps stays a gap.
      if (k + 1 == p.size() || p[k + 1].t - p[k].t > 1.5 * step) continue;
      int x2 = to_x(p[k + 1].t), y2 = to_y(p[k + 1].v);
      int dx = std::abs(x2 - x1), dy = -std::abs(y2 - y1), sx = x1 < x2 ? 1 : -1, sy = y1 < y2 ? 1 : -1, err = dx + dy;
      for (int guard = 0; (x1 != x2 || y1 != y2) && guard < px_w + px_h; ++guard) {
        int e2 = 2 * err;
        if (e2 >= dy) {
          err += dy;
          x1 += sx;
        }
        if (e2 <= dx) {
          err += dx;
          y1 += sy;
        }
        plot(x1, y1, static_cast<int>(i));
      }
    }
  }

  std::string out;
  for (int r = 0; r < rows; ++r) {
    std::string label = r == 0 ? top : r == rows - 1 ? bottom : r == rows / 2 ? mid : "";
    out += pad_left(label, axis_w) + (label.empty() ? " │" : " ┤");
    int current = -1;
    for (int c = 0; c < cols; ++c) {
      std::size_t cell = static_cast<std::size_t>(r * cols + c);
      int want = dots[cell] ? owner[cell] % kColorCount : -1;
      if (color && want != current && dots[cell]) {
        out += std::string("\x1b[") + kColors[want] + "m";
        current = want;
      }
      if (!dots[cell]) out += ' ';
      else if (color || series.size() == 1 || owner[cell] == 0) text::go::append_utf8(out, 0x2800 + dots[cell]);
      else out += plain_mark(owner[cell]);
    }
    if (color && current >= 0) out += "\x1b[0m";
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += "\n";
  }
  out += std::string(axis_w + 1, ' ') + "└";
  for (int c = 0; c < cols; ++c) out += "─";
  out += "\n";
  bool with_date = end - start >= 86400;
  std::string l = clock_label(start, with_date), m = clock_label((start + end) / 2, with_date),
              r = clock_label(end, with_date);
  std::string axis(axis_w + 2, ' ');
  axis += l;
  int mid_at = static_cast<int>(axis_w) + 2 + cols / 2 - static_cast<int>(m.size()) / 2;
  int end_at = static_cast<int>(axis_w) + 2 + cols - static_cast<int>(r.size());
  if (mid_at > static_cast<int>(axis.size()) + 1)
    axis += std::string(static_cast<std::size_t>(mid_at) - axis.size(), ' ') + m;
  if (end_at > static_cast<int>(axis.size()) + 1)
    axis += std::string(static_cast<std::size_t>(end_at) - axis.size(), ' ') + r;
  out += axis + "\n";
  for (std::size_t i = 0; i < series.size() && i < 8; ++i) {
    std::string mark = color                ? std::string("\x1b[") + kColors[i % kColorCount] + "m⣿\x1b[0m"
                       : series.size() == 1 ? "⣿"
                                            : plain_mark(static_cast<int>(i));
    std::string last = pts[i].empty() ? "-" : humanize(pts[i].back().v, series_unit(series[i], cat, fallback));
    // The legend fits the terminal too: a long name is cut, its last value stays.
    std::string tail = "  last " + last;
    std::size_t room = static_cast<std::size_t>(std::max(8, width - 4 - static_cast<int>(util::fmt::width(tail))));
    out += "  " + mark + " " + util::fmt::fit(series_name(series[i]), room) + tail + "\n";
  }
  if (series.size() > 8) out += "  … and " + std::to_string(series.size() - 8) + " more series\n";
  return out;
}

} // namespace nsmon::cli::query
