#include "nsmon/cli/common.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::cli {

GlobalOptions& global_options() {
  static GlobalOptions g;
  return g;
}

void print_diagnostics(const std::vector<core::Diagnostic>& diags, const core::SourceSet& sources) {
  bool color = core::use_color(core::parse_color_mode(global_options().color), 2);
  for (const auto& d : diags) std::cerr << core::render_text(d, sources, color);
}

const catalog::Catalog& load_catalog() {
  static std::unique_ptr<catalog::Catalog> loaded;
  const std::string& path = global_options().catalog_path;
  if (path.empty()) return catalog::embedded();
  if (loaded) return *loaded;
  core::SourceSet sources;
  const auto& src = sources.add(path, util::read_file(path));
  std::vector<core::Diagnostic> diags;
  auto cat = catalog::load(src, diags);
  core::sort_diagnostics(diags);
  print_diagnostics(diags, sources);
  for (const auto& d : diags)
    if (d.severity == core::Severity::error) {
      std::cerr << "nsmon: error: the catalog " << path << " is invalid\n";
      throw Exit{kUsage};
    }
  loaded = std::make_unique<catalog::Catalog>(std::move(cat));
  return *loaded;
}

namespace {
std::vector<std::string>& planned_names() {
  static std::vector<std::string> names;
  return names;
}
} // namespace

bool is_planned(const std::string& name) {
  const auto& n = planned_names();
  return std::find(n.begin(), n.end(), name) != n.end();
}

void add_planned(CLI::App& app, const char* name, const char* description, const char* issue) {
  planned_names().push_back(name);
  auto* sub = app.add_subcommand(name, description);
  sub->footer(std::string("\nNot implemented yet (planned, ") + issue + ").");
  std::string n = name, i = issue;
  sub->callback([n, i] {
    std::cerr << "nsmon: error: '" << n << "' is not implemented yet in nsmon " << NSMON_VERSION << " (planned, "
              << i << ")\n";
    throw Exit{kUsage};
  });
}

} // namespace nsmon::cli
