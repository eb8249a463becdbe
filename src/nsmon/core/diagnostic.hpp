#pragma once
#include <string>
#include <vector>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/file_path.hpp"
#include "nsmon/core/severity.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::core {

/// A place in an input file; line and col are 1-based, len is in bytes (0: unknown).
struct Span {
  FilePath file;
  int line = 0;
  int col = 0;
  int len = 0;
};

/// The span of bytes [begin, end) of `src` (clamped to its text): where `begin` is, and as long
/// as the range when it ends on that line, else 1.
Span span_at(const SourceFile& src, std::size_t begin, std::size_t end);

/// A finding: a value, never an exception. Parsers and checks collect them and keep going.
struct Diagnostic {
  Severity severity = Severity::error;
  Span span;
  CheckId check; ///< a row of kChecks, e.g. "yaml/syntax": never a free string
  std::string message;
  std::string suggestion; ///< empty when there is none
  std::string rule;       ///< alert or record name the finding is about, if any
  std::string group;      ///< rule group, if any
};

/// A finding of `check` at the check's default severity.
inline Diagnostic make_diagnostic(CheckId check, Span at, std::string message, std::string suggestion = {}) {
  return {check.severity(), at, check, std::move(message), std::move(suggestion)};
}

/// Sorts by file, line, column, check, message: the one order every output uses.
void sort_diagnostics(std::vector<Diagnostic>& diags);

/// Compiler-style rendering: "file:line:col: error: message [check]", the source line and a caret.
std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color);
/// The same, appended to `out`.
void append_text(std::string& out, const Diagnostic& d, const SourceSet& sources, bool color);

} // namespace nsmon::core
