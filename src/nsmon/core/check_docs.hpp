#pragma once
// The page of each check: docs/checks/<family>/<name>.md, one per id of checks.hpp, compiled into
// the binary (cmake/EmbedDocs.cmake) for `nsmon explain` and SARIF's rules[].help. A page is the
// only place its text lives; the table keeps the id, the severity and the one-line summary.
//
// A page is Markdown in this shape (docs/checks/README.md says it for writers):
//
//   # family/name
//   What it catches (paragraphs).
//   ## Why it matters         what breaks when it is ignored
//   ## Related                list items naming other ids in backticks
//   ## Bad / ## Good          a ```console block with one `$ nsmon ARGS` line, and the files the
//                             command reads as ```<lang> file=NAME blocks
//   ## Transcript             instead of Bad/Good, for checks that need a server (server/*)
//
// The examples are proven by tests/e2e/explain_examples.py: the bad one reports the check, the good
// one does not.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nsmon::core {

/// An example: the command to run in an empty directory and the files to write there first.
struct DocExample {
  std::vector<std::string> command;                       ///< nsmon's arguments, without "nsmon"
  std::vector<std::pair<std::string, std::string>> files; ///< name relative to the directory, content
  std::string markdown;                                   ///< the section as written
};

/// One check's page, read.
struct CheckDoc {
  std::string id;                   ///< the "# id" heading
  std::string what;                 ///< the text before the first section
  std::string why;                  ///< "## Why it matters"
  std::string configuration;        ///< "## Configuration" (optional)
  std::vector<std::string> related; ///< the ids "## Related" names
  std::string related_markdown;     ///< that section as written
  std::optional<DocExample> bad, good;
  std::string transcript; ///< "## Transcript": a session shown, not run
  std::string markdown;   ///< the whole page
};

/// Reads a page. A page out of shape (no heading, an unknown section, an example without exactly one
/// `$ nsmon` line, a file outside its directory) throws core::Error naming `name` and the line.
CheckDoc parse_check_doc(std::string_view markdown, std::string_view name);

/// The embedded page of `id`, read; nullopt when the id has none.
std::optional<CheckDoc> check_doc(std::string_view id);

/// The subcommand that reports a check, as its page shows it ("lint-rules", "slo generate"): the
/// bad example's, or the one its transcript runs. Empty for a page that shows neither.
std::string check_command(const CheckDoc& doc);

/// The embedded page's Markdown, or empty.
std::string_view check_page(std::string_view id);

/// Where a check's page is in the repository: "docs/checks/<id>.md".
std::string check_page_path(std::string_view id);

} // namespace nsmon::core
