#include "nsmon/cli/common.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>

#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

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

promql::ParseOptions parse_features(const std::vector<std::string>& lists) {
  static const std::vector<std::string> known = {"promql-experimental-functions", "promql-duration-expr",
                                                 "promql-extended-range-selectors", "promql-binop-fill-modifiers"};
  promql::ParseOptions o;
  for (const auto& list : lists) {
    std::size_t from = 0;
    while (from <= list.size()) {
      std::size_t to = std::min(list.find(',', from), list.size());
      std::string name(util::trim(std::string_view(list).substr(from, to - from)));
      from = to + 1;
      if (name.empty()) continue;
      if (name == known[0]) o.experimental_functions = true;
      else if (name == known[1]) o.duration_expressions = true;
      else if (name == known[2]) o.extended_range_selectors = true;
      else if (name == known[3]) o.binop_fill_modifiers = true;
      else throw UsageError("unknown feature '" + name + "'; known: " + util::join(known, ", "));
    }
  }
  return o;
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
