#pragma once
// Helpers shared by the subcommands: the global options, the catalog, feature flags, duration
// options and the one way to print an error.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/alertmanager/versions.hpp"
#include "nsmon/catalog/catalog.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/dashboards/model.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rulers.hpp"
#include "nsmon/ruletest/alert_path.hpp"

namespace CLI {
class App;
class Option;
} // namespace CLI

namespace nsmon::config {
class Settings;
}

namespace nsmon::cli {

/// Options every subcommand understands (given before or after the subcommand).
struct GlobalOptions {
  std::string catalog_path; ///< empty: the embedded catalog
  std::string color = "auto";
};
GlobalOptions& global_options();

/// "nsmon: error: MESSAGE" on stderr: the one way nsmon reports a failure in words.
void print_error(std::string_view message);

/// The catalog selected by --catalog (or the embedded one; "none": catalog::none()). A broken catalog file is reported
/// with positions on stderr and throws UsageError (exit 2).
const catalog::Catalog& load_catalog();

/// What gen-dashboards does to a template once loaded: its `rules:` and `slos:` files read (into
/// `sources`, relative to the template; a missing one throws UsageError) and dashboards::check()
/// run with them, which sets each panel's unit and an `slo:` panel's thresholds. test-rules' panel
/// tests see their panels through it.
void check_template(dashboards::Template& t, const catalog::Catalog& cat, core::SourceSet& sources,
                    std::vector<core::Diagnostic>& diags);

/// PromQL feature flags from --enable-feature (comma-separated, repeatable, like Prometheus's);
/// throws UsageError for an unknown one.
promql::ParseOptions parse_features(const std::vector<std::string>& lists);

/// A PromQL parse error as a promql/syntax finding at its place in `src` (the whole expression).
core::Diagnostic syntax_diagnostic(const core::SourceFile& src, const promql::ParseError& e);

/// Adds --enable-feature (the PromQL feature flags parse_features knows) bound to `lists`.
CLI::Option* add_feature_option(CLI::App& cmd, std::vector<std::string>& lists);

/// --alertmanager-version VERSION, for the commands that read alertmanager.yml.
void add_alertmanager_version_option(CLI::App& cmd);
/// The Alertmanager version alertmanager.yml is read for: the flag, NSMON_ALERTMANAGER_VERSION or
/// the setting alertmanager.version (default: Debian's 0.25); a version nsmon does not know is a
/// UsageError.
alertmanager::Version alertmanager_version(const config::Settings& settings);

/// --rule-schema auto|prometheus|thanos|mimir|loki|vmalert, for the commands that read rule files.
void add_rule_schema_option(CLI::App& cmd);
/// The ruler whose format rule files are read as: the flag, NSMON_RULE_SCHEMA or the setting
/// rule_schema (default auto).
rules::Schema rule_schema(const config::Settings& settings);

/// An alertmanager.yml loaded as lint-alertmanager loads it: its errors (what stops Alertmanager
/// from loading it; the rest is lint-alertmanager's business) printed with their positions, the
/// file's secrets masked, and UsageError (exit 2), as a file Alertmanager refuses has nothing to
/// test; likewise a file without a route.
struct LoadedAlertmanager {
  std::string text;
  core::SourceFile src;
  alertmanager::Config cfg;
};
LoadedAlertmanager load_alertmanager(const std::string& path, alertmanager::Version version);
/// That, with its templates (default.tmpl and the config's templates:, which must parse), ready
/// for ruletest's whole alert path (test-rules, watch --record).
std::shared_ptr<const ruletest::AlertmanagerSetup> load_alertmanager_setup(const std::string& path,
                                                                           alertmanager::Version version);

/// Adds a duration option: a Prometheus duration (500ms, 2m, 1h30m) or plain seconds (2, 0.5),
/// stored in seconds. `help` should end with the default, e.g. "(default 2s)".
CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, double& seconds, const std::string& help);

/// A time flag's value (--time, --start, --end) in Unix seconds: RFC 3339, Unix seconds or
/// relative to `now` (now-1h, -15m); nullopt when `text` is empty; UsageError naming `flag` else.
std::optional<double> time_flag(const std::string& text, const char* flag, double now);

/// The policy file (--policy), or the defaults. A broken policy is reported like a broken catalog:
/// positioned errors on stderr, exit 2 (nothing is checked with a policy that does not say what
/// was meant).
lint::Policy read_policy(const std::string& path);
/// The catalog with the policy's other exporters (external:) added to its external namespaces.
catalog::Catalog with_externals(const catalog::Catalog& cat, const lint::Policy& policy);

} // namespace nsmon::cli
