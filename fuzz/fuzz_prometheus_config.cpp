// libFuzzer target: prometheus.yml through its loader (Prometheus's config checks, `# nsmon
// disable` comments, the carets of empty entries) and the policy that applies the comments. Every
// finding must lie inside the file, with a caret of no negative length, and render.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "nsmon/lint/lint.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nsmon;
  core::SourceFile src("prometheus.yml", std::string(reinterpret_cast<const char*>(data), size));
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.config = rules::load_config(src, diags);
  for (const auto& r : in.config->disabled)
    if (r.first < 0 || r.last < r.first || r.last > src.line_count()) std::abort();
  lint::apply_policy(diags, in, lint::Policy{});
  core::SourceSet sources;
  sources.add(src.path(), std::string(src.text()));
  for (const auto& d : diags) {
    if (d.span.file.str() != src.path()) continue; // a rule file the config names
    if (d.span.line < 0 || d.span.line > src.line_count() + 1 || d.span.len < 0) std::abort();
    (void)core::render_text(d, sources, false);
  }
  return 0;
}
