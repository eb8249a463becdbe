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
  auto silenced = [&](const core::Diagnostic& d) {
    if (policy.disabled.count(d.check)) return true;
    for (const auto& f : files) {
      if (f.path != d.span.file) continue;
      if (f.disabled.count(d.check)) return true;
      for (const auto& g : f.groups)
        for (const auto& r : g.rules)
          if (d.span.line >= r.span.line && d.span.line <= r.last_line && r.disabled.count(d.check)) return true;
    }
    return false;
  };
  diags.erase(std::remove_if(diags.begin(), diags.end(), silenced), diags.end());
  for (auto& d : diags)
    if (auto it = policy.severity_override.find(d.check); it != policy.severity_override.end()) d.severity = it->second;
}

} // namespace nsmon::lint
