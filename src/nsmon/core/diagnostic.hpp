#pragma once
// core/: diagnostics and their renderer (a `Span`'s file is an interned `FilePath`: one pointer;
// `span_at`: the one conversion of a file's byte range to a `Span`), the table of every check id
// (`checks.hpp`, `CheckId`, which a `Diagnostic` carries; `severity.hpp`), source text with a line
// index, nsmon's own YAML parser (`yaml_tree`, positions for every node; 56-byte nodes in an arena,
// a scalar's value a view into the text where it stands verbatim; `parse_in_place` reads a
// `SourceFile`'s text, which keeps the scanner's padding after it, without copying it; a text of
// 512 KiB or more that ends in a long block sequence, as a rule file ends in its groups, is cut at
// the sequence's entries (`yaml_split`; the node arena and the parse of one document they share
// with `yaml_tree` in `yaml_storage.hpp`), the parts parsed on the cores and joined, or parsed
// whole when a part does not parse alone or the parts do not join: the same `Document` either way,
// which `tests/unit/test_core_yaml_split.cpp` and `fuzz_yaml` compare) and strict reading on top
// (`YamlReader`; `Located`, what it reads a scalar into: the value, its span and the file offset of
// each byte, the one positioned string of the models of `rules/`, `ruletest/`, `dashboards/` and
// `alertmanager/`), the documents of a file of several (`documents`: each a copy with the others
// blanked, positions kept; rule files and SLO specs), errors (`error.hpp`: `Error`, `UsageError`,
// `ServerError`), terminal capabilities and size, the one exit-code policy (`exit_codes.hpp`: the
// codes, their meanings for README and `--help` (`exit_codes_help`), a failure's code
// (`exit_code_for`); shared by `cli/` and `watch/`).

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
