// libFuzzer target: the config loader (config.yml) and NSMON_* values. Any input must give
// positioned diagnostics or settings that pass check_value, masking must keep every position, and
// rendering the findings against the masked text must work.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace nsmon;
  std::string text(reinterpret_cast<const char*>(data), size);
  core::SourceFile src("/cfg/nsmon/config.yml", text);
  config::Settings s;
  std::vector<core::Diagnostic> diags;
  config::Ranges hidden;
  config::load_file(src, "/home/fuzz", s, diags, &hidden);

  std::string masked = config::mask(text, hidden);
  if (masked.size() != text.size()) std::abort();
  core::SourceSet sources;
  sources.add(src.path(), masked);
  for (const auto& d : diags) {
    if (d.span.line < 0 || d.span.line > src.line_count() + 1) std::abort();
    (void)core::render_text(d, sources, true);
  }
  for (const auto& k : config::keys()) {
    const config::Value& v = s.get(k.name);
    if (v.origin == config::Origin::config_file && k.kind != config::Kind::path &&
        !config::check_value(k, v.value).empty())
      std::abort();
    (void)s.shown(k.name);
  }

  // The same bytes as the value of every NSMON_* variable.
  try {
    config::apply_environment(s, [&text](const char*) { return text.c_str(); });
  } catch (const UsageError&) {
  }
  for (const auto& k : config::keys()) (void)s.shown(k.name);
  return 0;
}
