#include "nsmon/rules/disable.hpp"

#include <string_view>

#include "nsmon/core/check_docs.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules {

namespace {

// The ids lint-rules reports, by their pages' command: only lint-rules reads these comments.
const std::vector<std::string>& lint_rules_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> out;
    for (const auto& c : core::kChecks)
      if (auto doc = core::check_doc(c.id); doc && core::check_command(*doc) == "lint-rules") out.emplace_back(c.id);
    return out;
  }();
  return ids;
}

// Why a comment naming `id` silences nothing, or empty when it silences that check. A comment
// cannot silence the check that judges comments: its finding would hide itself.
std::string why_unknown(std::string_view id) {
  const auto& ids = lint_rules_ids();
  if (std::find(ids.begin(), ids.end(), id) != ids.end())
    return id == "rules/unknown-disable"
               ? "'# nsmon disable' cannot silence rules/unknown-disable, the check of these comments"
               : "";
  for (const auto& c : core::kChecks)
    if (c.id == id) {
      auto doc = core::check_doc(c.id);
      std::string command = doc ? core::check_command(*doc) : "";
      return "'# nsmon disable' names " + std::string(id) + ", a check of " +
             (command.empty() ? "another command" : "nsmon " + command) +
             ", not of lint-rules: it silences nothing here";
    }
  return "'# nsmon disable' names no check: " + std::string(id);
}

} // namespace

std::vector<DisableComment> read_disable_comments(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  std::vector<DisableComment> out;
  // Comments before the first line of content are about the whole file.
  int first_content = 0;
  for (int line = 1; line <= src.line_count() && !first_content; ++line) {
    std::string_view t = util::trim(src.line(line));
    if (!t.empty() && t[0] != '#') first_content = line;
  }
  // "# nsmon disable id[, id...]": only the lines with a '#' are looked at (plain string search).
  std::string_view whole = src.text();
  for (std::size_t hash_at = whole.find('#'); hash_at != std::string_view::npos;) {
    int line = src.line_col(hash_at).line;
    std::string_view text = src.line(line);
    hash_at = whole.find('#', static_cast<std::size_t>(text.data() - whole.data()) + text.size());
    std::string_view t = util::trim(text);
    auto at = text.find("nsmon", text.find('#'));
    if (at == std::string_view::npos) continue;
    std::string_view rest = util::trim(text.substr(at + 5));
    if (rest.substr(0, 7) != "disable" || rest.size() == 7 || (rest[7] != ' ' && rest[7] != '\t')) continue;
    DisableComment c;
    c.line = line;
    c.whole_line = !t.empty() && t[0] == '#';
    c.before_content = !first_content || line < first_content;
    std::string_view list = rest.substr(8);
    for (std::size_t pos = 0; pos < list.size();) {
      auto end = list.find_first_of(", \t", pos);
      if (end == std::string_view::npos) end = list.size();
      if (end > pos) {
        std::string_view id = list.substr(pos, end - pos);
        if (std::string why = why_unknown(id); why.empty()) {
          c.ids.emplace(id);
        } else {
          core::LineCol lc = src.line_col(static_cast<std::size_t>(id.data() - whole.data()));
          core::Diagnostic d = core::make_diagnostic("rules/unknown-disable",
                                                     {src.path(), lc.line, lc.col, static_cast<int>(id.size())}, why);
          std::string hint = util::did_you_mean(id, lint_rules_ids());
          d.suggestion = hint.empty() || hint == id ? "'nsmon lint-rules --list-checks' lists the check ids"
                                                    : "did you mean " + hint + "?";
          if (id == "rules/unknown-disable")
            d.suggestion = "--disable rules/unknown-disable, or disable: [rules/unknown-disable] in the policy file";
          diags.push_back(std::move(d));
        }
      }
      pos = end + 1;
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<DisabledLines> disabled_entries(const core::SourceFile& src, const std::vector<DisableComment>& comments) {
  auto indent = [&](int line) { return src.line(line).find_first_not_of(" \t"); };
  auto content = [&](int line) {
    std::string_view t = util::trim(src.line(line));
    return !t.empty() && t[0] != '#';
  };
  std::vector<DisabledLines> out;
  for (const auto& c : comments) {
    if (c.ids.empty()) continue;
    if (c.before_content) {
      out.push_back({0, 0, c.ids});
      continue;
    }
    if (!c.whole_line) {
      out.push_back({c.line, c.line, c.ids});
      continue;
    }
    int first = c.line + 1;
    while (first <= src.line_count() && !content(first)) ++first;
    if (first > src.line_count()) continue;
    int last = first;
    for (int l = first + 1; l <= src.line_count(); ++l) {
      if (!content(l)) continue;
      if (indent(l) <= indent(first)) break;
      last = l;
    }
    out.push_back({first, last, c.ids});
  }
  return out;
}

} // namespace nsmon::rules
