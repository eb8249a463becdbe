#pragma once
#include <cstdio>
#include <string>
#include <vector>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/promql/parser.hpp"

namespace CLI {
class App;
}

namespace nsmon::cli {

/// Options every subcommand understands (given before or after the subcommand).
struct GlobalOptions {
  std::string catalog_path; ///< empty: the embedded catalog
  std::string color = "auto";
};
GlobalOptions& global_options();

/// Thrown to end the program with a code after output was already printed.
struct Exit {
  int code;
};

/// Prints diagnostics compiler-style on stderr (colour if stderr is a terminal).
void print_diagnostics(const std::vector<core::Diagnostic>& diags, const core::SourceSet& sources);

/// The catalog selected by --catalog (or the embedded one). A broken catalog file is reported
/// with positions on stderr and ends the program with exit code 2.
const catalog::Catalog& load_catalog();

/// PromQL feature flags from --enable-feature (comma-separated, repeatable, like Prometheus's);
/// throws UsageError for an unknown one.
promql::ParseOptions parse_features(const std::vector<std::string>& lists);

/// Adds a subcommand that is planned but not built yet: it says so and exits 2.
void add_planned(CLI::App& app, const char* name, const char* description, const char* issue);
/// Whether `name` was added with add_planned.
bool is_planned(const std::string& name);

void add_catalog(CLI::App& app);
void add_completion(CLI::App& app);
void add_config(CLI::App& app);
void add_gen_dashboards(CLI::App& app);
void add_lint(CLI::App& app);
void add_lint_metrics(CLI::App& app);
void add_promql(CLI::App& app);
void add_query(CLI::App& app);
void add_watch(CLI::App& app);

} // namespace nsmon::cli
