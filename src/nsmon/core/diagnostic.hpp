#pragma once
#include <string>
#include <vector>

#include "nsmon/core/file_path.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::core {

enum class Severity { info, warning, error };
const char* to_string(Severity s);

/// A place in an input file; line and col are 1-based, len is in bytes (0: unknown).
struct Span {
  FilePath file;
  int line = 0;
  int col = 0;
  int len = 0;
};

/// A finding: a value, never an exception. Parsers and checks collect them and keep going.
struct Diagnostic {
  Severity severity = Severity::error;
  Span span;
  std::string check; ///< stable id, e.g. "yaml/syntax", "promql/rate-on-gauge"
  std::string message;
  std::string suggestion; ///< empty when there is none
  std::string rule;       ///< alert or record name the finding is about, if any
  std::string group;      ///< rule group, if any
};

/// Sorts by file, line, column, check, message: the one order every output uses.
void sort_diagnostics(std::vector<Diagnostic>& diags);

/// Compiler-style rendering: "file:line:col: error: message [check]", the source line and a caret.
std::string render_text(const Diagnostic& d, const SourceSet& sources, bool color);
/// The same, appended to `out`.
void append_text(std::string& out, const Diagnostic& d, const SourceSet& sources, bool color);

} // namespace nsmon::core
