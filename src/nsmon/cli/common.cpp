#include "nsmon/cli/common.hpp"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "nsmon/cli/report.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/lint/policy.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

// The PromQL feature flags of Prometheus that change what parses, and where each one goes.
struct Feature {
  const char* name;
  bool promql::ParseOptions::*flag;
};
const Feature kFeatures[] = {
    {"promql-experimental-functions", &promql::ParseOptions::experimental_functions},
    {"promql-duration-expr", &promql::ParseOptions::duration_expressions},
    {"promql-extended-range-selectors", &promql::ParseOptions::extended_range_selectors},
    {"promql-binop-fill-modifiers", &promql::ParseOptions::binop_fill_modifiers},
};

std::string feature_names() {
  std::vector<std::string> names;
  for (const auto& f : kFeatures) names.emplace_back(f.name);
  return util::join(names, ", ");
}

} // namespace

GlobalOptions& global_options() {
  static GlobalOptions g;
  return g;
}

void print_error(std::string_view message) { std::cerr << "nsmon: error: " << message << "\n"; }

const catalog::Catalog& load_catalog() {
  static std::unique_ptr<catalog::Catalog> loaded;
  const std::string& path = global_options().catalog_path;
  if (path.empty()) return catalog::embedded();
  if (path == "none") return catalog::none();
  if (loaded) return *loaded;
  core::SourceSet sources;
  const auto& src = sources.add(path, util::read_file(path));
  std::vector<core::Diagnostic> diags;
  auto cat = catalog::load(src, diags);
  check_loaded(std::move(diags), sources, "catalog", path, core::Severity::error);
  loaded = std::make_unique<catalog::Catalog>(std::move(cat));
  return *loaded;
}

promql::ParseOptions parse_features(const std::vector<std::string>& lists) {
  promql::ParseOptions o;
  for (const auto& name : util::split_lists(lists)) {
    const Feature* f = nullptr;
    for (const auto& k : kFeatures)
      if (name == k.name) f = &k;
    if (!f) throw UsageError("unknown feature '" + name + "'; known: " + feature_names());
    o.*(f->flag) = true;
  }
  return o;
}

core::Diagnostic syntax_diagnostic(const core::SourceFile& src, const promql::ParseError& e) {
  core::LineCol lc = src.line_col(e.range.start);
  std::size_t len = e.range.end > e.range.start ? e.range.end - e.range.start : 1;
  // An empty expression has no line to quote: the finding is about the whole input.
  int line = src.text().empty() ? 0 : lc.line;
  return core::make_diagnostic("promql/syntax", {src.path(), line, lc.col, static_cast<int>(len)}, e.message);
}

CLI::Option* add_feature_option(CLI::App& cmd, std::vector<std::string>& lists) {
  return cmd
      .add_option("--enable-feature", lists,
                  "Enable a Prometheus feature flag for PromQL: " + feature_names() + " (comma-separated, repeatable)")
      ->option_text("NAME")
      ->allow_extra_args(false);
}

void add_alertmanager_version_option(CLI::App& cmd) {
  // Read through the settings (settings_for), which take the flag over NSMON_ALERTMANAGER_VERSION.
  cmd.add_option("--alertmanager-version")
      ->type_name("VERSION")
      ->description("The Alertmanager version the file is checked for: " + alertmanager::kOldestVersion.str() + " to " +
                    alertmanager::kNewestVersion.str() + " or latest (default: the alertmanager.version setting, " +
                    alertmanager::kDefaultVersion.str() + ", Debian 12's)");
}

alertmanager::Version alertmanager_version(const config::Settings& settings) {
  const config::Value& v = settings.get("alertmanager.version");
  if (auto version = alertmanager::parse_version(v.value)) return *version;
  throw UsageError("unknown Alertmanager version '" + v.value + "' (" + v.where + "): nsmon knows " +
                   alertmanager::kOldestVersion.str() + " to " + alertmanager::kNewestVersion.str() + ", or latest");
}

void add_rule_schema_option(CLI::App& cmd) {
  // Read through the settings (settings_for), which take the flag over NSMON_RULE_SCHEMA.
  const config::Key& key = *config::find_key("rule_schema");
  cmd.add_option("--rule-schema")
      ->check(CLI::IsMember(key.choices))
      ->option_text("SCHEMA")
      ->description("The ruler the rule files are for: auto (default: the rule_schema setting; a group with "
                    "another ruler's field is that ruler's, an expression that is no PromQL but has LogQL's shape "
                    "Loki's, one that reads as MetricsQL vmalert's), prometheus (as promtool: their fields are "
                    "errors), thanos (partial_response_strategy), mimir (source_tenants, evaluation_delay, "
                    "align_evaluation_time_on_interval), loki (LogQL), vmalert (concurrency, type, eval_offset, "
                    "params, headers, ...; MetricsQL)");
}

rules::Schema rule_schema(const config::Settings& settings) {
  const config::Value& v = settings.get("rule_schema");
  if (auto schema = rules::parse_schema(v.value)) return *schema;
  throw UsageError("unknown rule schema '" + v.value + "' (" + v.where +
                   "): auto, prometheus, thanos, mimir, loki or vmalert");
}

LoadedAlertmanager load_alertmanager(const std::string& path, alertmanager::Version version) {
  std::string text = util::read_file(path);
  core::SourceFile src(path == "-" ? "<stdin>" : path, text);
  std::vector<core::Diagnostic> diags;
  alertmanager::Config cfg = alertmanager::load_config(src, diags, {.version = version});
  lint::check_alertmanager(cfg, diags);
  std::erase_if(diags, [](const core::Diagnostic& d) { return d.severity != core::Severity::error; });
  core::SourceSet sources;
  sources.add(src.path(), config::mask(text, cfg.secrets));
  check_loaded(std::move(diags), sources, "Alertmanager configuration", src.path(), core::Severity::error);
  if (!cfg.route) throw UsageError(src.path() + ": no route provided");
  return {std::move(text), std::move(src), std::move(cfg)};
}

std::shared_ptr<const ruletest::AlertmanagerSetup> load_alertmanager_setup(const std::string& path,
                                                                           alertmanager::Version version) {
  auto l = load_alertmanager(path, version);
  std::vector<core::Diagnostic> diags;
  auto templates = alertmanager::load_templates(l.cfg, diags);
  core::SourceSet sources;
  for (const auto& d : diags)
    if (!sources.find(d.span.file.str())) sources.add(d.span.file.str(), util::read_file(d.span.file.str()));
  check_loaded(std::move(diags), sources, "templates of", l.src.path(), core::Severity::error);
  if (!templates.defaults_found)
    std::cerr << "nsmon: warning: no " << templates.defaults_dir
              << "/default.tmpl (Alertmanager's default templates): the fields that use them fail to render; set "
                 "NSMON_ALERTMANAGER_TEMPLATES to their folder\n";
  return std::make_shared<const ruletest::AlertmanagerSetup>(
      ruletest::AlertmanagerSetup{std::move(l.cfg), std::move(templates)});
}

std::optional<double> time_flag(const std::string& text, const char* flag, double now) {
  if (text.empty()) return std::nullopt;
  auto t = promapi::parse_time(text, now);
  if (!t)
    throw UsageError(std::string(flag) +
                     " wants RFC 3339 (2024-05-01T12:00:00Z), Unix seconds or a relative time "
                     "(now-1h, -15m), not '" +
                     text + "'");
  return t;
}

CLI::Option* add_duration_option(CLI::App& cmd, const std::string& name, double& seconds, const std::string& help) {
  auto to_seconds = [](std::string& text) -> std::string {
    auto v = text::parse_seconds(text);
    if (!v) return "'" + text + "' is not a duration (500ms, 2s, 1m30s) or a number of seconds";
    text = util::format_number(*v);
    return "";
  };
  return cmd.add_option(name, seconds, help + "; a duration (500ms, 2m, 1h30m) or seconds")
      ->transform(CLI::Validator(to_seconds, "DURATION"))
      ->option_text("DURATION");
}

// The policy file, or the defaults. A broken policy is reported like a broken catalog: positioned
// errors on stderr, exit 2 (nothing is linted with a policy that does not say what was meant).
lint::Policy read_policy(const std::string& path) {
  if (path.empty()) return {};
  core::SourceSet sources;
  const auto& src = sources.add(path, util::read_file(path));
  std::vector<core::Diagnostic> diags;
  lint::Policy policy = lint::load_policy(src, diags);
  check_loaded(std::move(diags), sources, "policy", path, core::Severity::info);
  return policy;
}

catalog::Catalog with_externals(const catalog::Catalog& cat, const lint::Policy& policy) {
  catalog::Catalog extended = cat;
  for (const auto& p : policy.external_prefixes) extended.external_prefixes.push_back(p);
  return extended;
}

} // namespace nsmon::cli
