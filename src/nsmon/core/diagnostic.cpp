#include "nsmon/core/diagnostic.hpp"

#include <algorithm>
#include <tuple>

namespace nsmon::core {

const char* to_string(Severity s) {
  switch (s) {
  case Severity::info: return "info";
  case Severity::warning: return "warning";
  case Severity::error: return "error";
  }
  return "error";
}

void sort_diagnostics(std::vector<Diagnostic>& diags) {
  std::stable_sort(diags.begin(), diags.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.file, a.span.line, a.span.col, a.check, a.message) <
           std::tie(b.span.file, b.span.line, b.span.col, b.check, b.message);
  });
}

namespace {
// Replaces control bytes so that a hostile input line cannot drive the terminal.
std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) out += (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f ? '?' : c;
  return out;
}
} // namespace

std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color) {
  const char* sev_color = d.severity == Severity::error     ? "\033[1;31m"
                          : d.severity == Severity::warning ? "\033[1;35m"
                                                            : "\033[1;36m";
  auto paint = [&](const std::string& s, const char* code) { return color ? code + s + "\033[0m" : s; };
  std::string out;
  std::string where = d.span.file;
  if (d.span.line > 0) where += ":" + std::to_string(d.span.line) + ":" + std::to_string(std::max(d.span.col, 1));
  out += paint(where + ":", "\033[1m") + " " + paint(std::string(to_string(d.severity)) + ":", sev_color) + " " +
         d.message;
  if (!d.check.empty()) out += " [" + d.check + "]";
  out += "\n";
  const SourceFile* src = sources.find(d.span.file);
  if (src && d.span.line > 0 && d.span.line <= src->line_count()) {
    std::string_view line = src->line(d.span.line);
    // Long lines are cut around the column so that the caret stays on screen.
    std::size_t col = static_cast<std::size_t>(std::max(d.span.col, 1) - 1);
    std::size_t from = col > 80 ? col - 40 : 0;
    std::string shown = printable(line.substr(std::min(from, line.size()), 160));
    out += "  " + (from ? "..." + shown : shown) + "\n";
    std::string pad(2 + (from ? 3 : 0) + (col - from), ' ');
    for (std::size_t i = from; i < col && i < line.size(); ++i)
      if (line[i] == '\t') pad[2 + (from ? 3 : 0) + (i - from)] = '\t';
    int len = std::clamp(d.span.len, 1, 120);
    out += pad + paint("^" + std::string(static_cast<std::size_t>(len - 1), '~'), "\033[1;32m") + "\n";
  }
  if (!d.suggestion.empty()) out += "  " + paint("help:", "\033[1m") + " " + d.suggestion + "\n";
  return out;
}

} // namespace nsmon::core
