#include "nsmon/core/diagnostic.hpp"

#include <algorithm>
#include <numeric>
#include <tuple>

#include "nsmon/core/check_docs.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/humanize.hpp"

namespace nsmon::core {

const char* to_string(Severity s) {
  switch (s) {
  case Severity::info: return "info";
  case Severity::warning: return "warning";
  case Severity::error: return "error";
  }
  return "error";
}

Span span_at(const SourceFile& src, std::size_t begin, std::size_t end) {
  std::size_t last = std::max<std::size_t>(src.text().size(), 1) - 1;
  std::size_t b = std::min(begin, last);
  std::size_t e = std::min(std::max(end, begin + 1) - 1, last);
  LineCol from = src.line_col(b), to = src.line_col(e);
  return {src.file(), from.line, from.col, to.line == from.line ? std::max(to.col - from.col + 1, 1) : 1};
}

void sort_diagnostics(std::vector<Diagnostic>& diags) {
  // Their indexes sorted (stable: equal ones by index), then each diagnostic moved once: a merge
  // sort of the diagnostics themselves moved each of them (five strings) log n times.
  std::vector<std::size_t> order(diags.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const Diagnostic &a = diags[x], &b = diags[y];
    return std::tie(a.span.file, a.span.line, a.span.col, a.check, a.message, x) <
           std::tie(b.span.file, b.span.line, b.span.col, b.check, b.message, y);
  });
  std::vector<Diagnostic> sorted;
  sorted.reserve(diags.size());
  for (std::size_t i : order) sorted.push_back(std::move(diags[i]));
  diags = std::move(sorted);
}

namespace {
// Appends `s` with its control characters (C0, DEL, C1) and the bytes of invalid UTF-8 replaced
// by '?', byte for byte so that the caret's column stays right: a hostile or binary input line can
// neither drive the terminal nor reach it raw.
void append_printable(std::string& out, std::string_view s) {
  // Most text is printable ASCII, which goes as it is: only the rest is looked at byte by byte.
  std::size_t plain = 0;
  while (plain < s.size() && ((s[plain] >= 0x20 && s[plain] < 0x7f) || s[plain] == '\t')) ++plain;
  out.append(s);
  for (std::size_t i = out.size() - s.size() + plain; i < out.size();) {
    const auto c = static_cast<unsigned char>(out[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t') || c == 0x7f) out[i] = '?';
      ++i;
      continue;
    }
    const text::go::Rune r = text::go::decode_rune(std::string_view(out).substr(i));
    const bool bad = (r.value == text::go::kRuneError && r.width == 1) || r.value < 0xa0;
    const auto width = static_cast<std::size_t>(std::max(r.width, 1));
    if (bad) out.replace(i, width, width, '?');
    i += width;
  }
}

// A message's continuation lines that start with "- " or "+ " (after their indent) are a diff of
// expected and got, as test-rules writes them: red and green on a terminal. Every line is made
// printable, and cut after kMaxMessageLine bytes: a message may quote input (a series' labels,
// a sample of a scrape) that is binary or one huge line.
constexpr std::size_t kMaxMessageLine = 400;
void append_message(std::string& out, std::string_view message, bool color) {
  bool first = true;
  for (std::size_t at = 0; at < message.size(); first = false) {
    std::size_t end = message.find('\n', at);
    if (end == std::string_view::npos) end = message.size();
    const std::string_view line = message.substr(at, end - at);
    const std::size_t text = line.find_first_not_of(' ');
    const char* paint = nullptr;
    if (color && !first && text != std::string_view::npos && line.size() > text + 1 && line[text + 1] == ' ')
      paint = line[text] == '-' ? "\033[31m" : line[text] == '+' ? "\033[32m" : nullptr;
    if (paint) out.append(paint);
    append_printable(out, line.substr(0, kMaxMessageLine));
    if (line.size() > kMaxMessageLine) out += "... (" + std::to_string(line.size() - kMaxMessageLine) + " more bytes)";
    if (paint) out.append("\033[0m");
    if (end < message.size()) out += '\n';
    at = end + 1;
  }
}
} // namespace

void append_text(std::string& out, const Diagnostic& d, const SourceSet& sources, bool color) {
  const char* sev_color = d.severity == Severity::error     ? "\033[1;31m"
                          : d.severity == Severity::warning ? "\033[1;35m"
                                                            : "\033[1;36m";
  auto paint_on = [&](const char* code) {
    if (color) out += code;
  };
  auto paint_off = [&] {
    if (color) out += "\033[0m";
  };
  paint_on("\033[1m");
  out += d.span.file.str();
  if (d.span.line > 0) {
    out.append(1, ':').append(std::to_string(d.span.line));
    out.append(1, ':').append(std::to_string(std::max(d.span.col, 1)));
  }
  out += ':';
  paint_off();
  out += ' ';
  paint_on(sev_color);
  out.append(to_string(d.severity)).append(1, ':');
  paint_off();
  out += ' ';
  // A message of several lines (a test's diff) names its check on its first line: after the
  // last one the check would stand alone, as if it were a line of the diff.
  std::string_view msg = d.message;
  while (!msg.empty() && msg.back() == '\n') msg.remove_suffix(1);
  const std::size_t nl = std::min(msg.find('\n'), msg.size());
  std::string text(msg.substr(0, nl));
  text.append(" [").append(d.check.id()).append(1, ']').append(msg.substr(nl));
  append_message(out, text, color);
  out += '\n';
  const SourceFile* src = sources.find(d.span.file);
  if (src && d.span.line > 0 && d.span.line <= src->line_count()) {
    std::string_view line = src->line(d.span.line);
    // Long lines are cut around the column so that the caret stays on screen.
    // Cuts fall between characters, not inside one.
    auto starts_rune = [&](std::size_t i) {
      return i >= line.size() || (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    };
    std::size_t col = static_cast<std::size_t>(std::max(d.span.col, 1) - 1);
    std::size_t from = col > 80 ? col - 40 : 0;
    while (from < col && !starts_rune(from)) ++from;
    std::size_t shown_end = std::min(line.size(), from + 160);
    while (shown_end > col && !starts_rune(shown_end)) --shown_end;
    out += from ? "  ..." : "  ";
    append_printable(out, line.substr(std::min(from, line.size()), shown_end - std::min(from, shown_end)));
    out += '\n';
    // The caret stands under the column as a terminal draws the line: tabs stay tabs, and every
    // other character takes its cells (two for a CJK character, none for a combining mark).
    out += from ? "     " : "  ";
    std::string before;
    append_printable(before, line.substr(std::min(from, line.size()), col - std::min(from, col)));
    for (std::size_t i = 0, tab; i <= before.size(); i = tab + 1) {
      tab = std::min(before.find('\t', i), before.size());
      out.append(util::fmt::width(std::string_view(before).substr(i, tab - i)), ' ');
      if (tab < before.size()) out += '\t';
    }
    const std::size_t past = std::max(line.size(), from); // a column past the line's end
    out.append(col > past ? col - past : 0, ' ');
    // A span that goes on past its first line (a block scalar's expression) is underlined to
    // the end of the line shown, not beyond it.
    std::string under;
    if (col < shown_end)
      append_printable(under,
                       line.substr(col, std::min<std::size_t>(d.span.len > 0 ? d.span.len : 1, shown_end - col)));
    const std::size_t len = std::clamp<std::size_t>(util::fmt::width(under), 1, 120);
    paint_on("\033[1;32m");
    out.append(1, '^').append(len - 1, '~');
    paint_off();
    out += '\n';
  }
  if (!d.suggestion.empty()) {
    out += "  ";
    paint_on("\033[1m");
    out += "help:";
    paint_off();
    out.append(1, ' ').append(d.suggestion);
    // Where the check has a page, the help line says how to read it.
    if (!check_page(d.check.id()).empty()) out.append(" (nsmon explain ").append(d.check.id()).append(1, ')');
    out += '\n';
  }
}

std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color) {
  std::string out;
  append_text(out, d, sources, color);
  return out;
}

} // namespace nsmon::core
