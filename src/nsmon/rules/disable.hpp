#pragma once
// `# nsmon disable ID[, ID...]` comments: how the files lint-rules reads, rule files and
// prometheus.yml, silence a finding where it is or in the whole file. One reader for both; what a
// comment covers is each file's to say (a rule in a rule file, an entry in prometheus.yml).

#include <set>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::rules {

/// One `# nsmon disable` comment.
struct DisableComment {
  int line = 0;
  bool whole_line = false;     ///< alone on its line (else after content)
  bool before_content = false; ///< before the file's first line of content: about the whole file
  std::set<std::string> ids;   ///< the ids it silences (those lint-rules reports)
};

/// The `# nsmon disable` comments of a file lint-rules reads. An id lint-rules never reports (no
/// check has it, another command's check, rules/unknown-disable itself) silences nothing: it is a
/// rules/unknown-disable finding in `diags`, and is not among the comment's ids.
std::vector<DisableComment> read_disable_comments(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

/// Lines of a file silenced for some checks.
struct DisabledLines {
  int first = 0, last = 0;
  std::set<std::string> ids;
};

/// What each comment of a prometheus.yml covers: before any content, the whole file (`first` 0);
/// after content on a line, that line; alone on a line, the entry that starts on the next line of
/// content, to the line before the next one indented no deeper (a `- job_name:` item, a key).
std::vector<DisabledLines> disabled_entries(const core::SourceFile& src, const std::vector<DisableComment>& comments);

} // namespace nsmon::rules
