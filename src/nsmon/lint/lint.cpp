#include "nsmon/lint/lint.hpp"

#include <algorithm>

#include "nsmon/lint/analysis.hpp"

namespace nsmon::lint {

std::vector<core::Diagnostic> run(const Input& input, const Options& options) {
  std::vector<core::Diagnostic> out;
  Analysis analysis(input, options, out);
  analysis.run();
  apply_policy(out, input.rule_files, options.policy);
  core::sort_diagnostics(out);
  // One finding per place and check: several paths can reach the same conclusion.
  out.erase(std::unique(out.begin(), out.end(),
                        [](const core::Diagnostic& a, const core::Diagnostic& b) {
                          return a.span.file == b.span.file && a.span.line == b.span.line &&
                                 a.span.col == b.span.col && a.check == b.check && a.message == b.message;
                        }),
            out.end());
  return out;
}

void apply_policy(std::vector<core::Diagnostic>& diags, const std::vector<rules::RuleFile>& files,
                  const Policy& policy) {
  // Per file: its disabled checks and, by line, the rule covering that line.
  struct FileIndex {
    const rules::RuleFile* file;
    std::vector<const rules::Rule*> rule_at; ///< index: line number
  };
  std::map<std::string, FileIndex> index;
  for (const auto& f : files) {
    FileIndex fi{&f, {}};
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        if (r.last_line < r.span.line) continue;
        if (fi.rule_at.size() <= static_cast<std::size_t>(r.last_line)) fi.rule_at.resize(r.last_line + 1, nullptr);
        for (int l = r.span.line; l <= r.last_line; ++l) fi.rule_at[l] = &r;
      }
    index.emplace(f.path, std::move(fi));
  }
  auto silenced = [&](const core::Diagnostic& d) {
    if (policy.disabled.count(d.check)) return true;
    auto it = index.find(d.span.file);
    if (it == index.end()) return false;
    if (it->second.file->disabled.count(d.check)) return true;
    const auto& at = it->second.rule_at;
    auto line = static_cast<std::size_t>(std::max(d.span.line, 0));
    return line < at.size() && at[line] && at[line]->disabled.count(d.check);
  };
  diags.erase(std::remove_if(diags.begin(), diags.end(), silenced), diags.end());
  for (auto& d : diags)
    if (auto it = policy.severity_override.find(d.check); it != policy.severity_override.end()) d.severity = it->second;
}

} // namespace nsmon::lint
