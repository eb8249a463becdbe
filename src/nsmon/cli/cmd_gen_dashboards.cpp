#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/defaults.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/render.hpp"
#include "nsmon/dashboards/rule_facts.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/slo/spec.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

namespace fs = std::filesystem;

struct GenDashboardsOptions {
  std::string templates; ///< empty: templates/ here, or the installed one (cli/defaults)
  std::string out = "dashboards";
  bool check = false;
  std::string provisioning;
  std::string prometheus_url = "http://localhost:9090";
  bool importable = false;
};

// The *.yml files directly in `dir`, sorted by name (the order does not depend on the file system).
std::vector<std::string> yaml_files(const fs::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file() && (it->path().extension() == ".yml" || it->path().extension() == ".yaml"))
      out.push_back(it->path().string());
  if (ec) throw Error("cannot read " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

// Templates and shared panels, loaded and checked; the files stay in `sources` for quoting.
struct LoadedTemplates {
  core::SourceSet sources;
  std::vector<dashboards::Template> templates;
  std::vector<core::Diagnostic> diags;
};

// A file a template names (`rules:`, `slos:`), relative to the template, read into `sources`.
const core::SourceFile& template_file(const dashboards::Template& t, const core::Located& f, const char* what,
                                      core::SourceSet& sources) {
  fs::path path = fs::path(t.path).parent_path() / f.value;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw UsageError(f.span.file.str() + ":" + std::to_string(f.span.line) + ":" + std::to_string(f.span.col) +
                     ": no " + what + " " + path.lexically_normal().string() + " (relative to the template)");
  if (const core::SourceFile* known = sources.find(path.string())) return *known;
  return sources.add(path.string(), util::read_file(path.string()));
}

// The rule files of `rules:` that the prometheus.yml beside each does not load (the shipped
// layout: rules/prometheus.yml loads rules/*.yml), with that config's path. A rule file without a
// prometheus.yml beside it is loaded by a config nsmon does not know of: nothing is said.
std::map<std::string, std::string> unloaded_rule_files(const dashboards::Template& t, core::SourceSet& sources) {
  std::map<std::string, std::string> out;
  for (const auto& f : t.rules) {
    const fs::path path = fs::path(t.path).parent_path() / f.value;
    const fs::path config = path.parent_path() / "prometheus.yml";
    std::error_code ec;
    if (!fs::is_regular_file(config, ec)) continue;
    const core::SourceFile* src = sources.find(config.string());
    if (!src) src = &sources.add(config.string(), util::read_file(config.string()));
    // The config's own problems are lint-rules --config's to report.
    std::vector<core::Diagnostic> ignored;
    bool loaded = false;
    for (const auto& file : rules::resolve_rule_files(rules::load_config(*src, ignored), ignored))
      loaded = loaded || fs::equivalent(file, path, ec);
    if (!loaded) out[path.string()] = config.lexically_normal().string();
  }
  return out;
}

} // namespace

// What a template's `rules:` and `slos:` files say: the series their recording rules write (its
// queries read them like catalog metrics), their alerts and SLOs (its descriptions and `slo:`
// thresholds take their words and numbers from them). The files' own problems are reported with
// the template's.
void check_template(dashboards::Template& t, const catalog::Catalog& cat, core::SourceSet& sources,
                    std::vector<core::Diagnostic>& diags) {
  std::vector<rules::RuleFile> files;
  for (const auto& f : t.rules)
    files.push_back(rules::load_rule_file(template_file(t, f, "rule file", sources), diags));
  const auto recorded = lint::recorded_metrics(files, cat);
  dashboards::RuleFacts facts = dashboards::rule_facts(files);
  facts.unloaded = unloaded_rule_files(t, sources);
  // An SLO spec's own notes are slo generate's to give; what stops it here is an error.
  std::vector<core::Diagnostic> spec_diags;
  for (const auto& f : t.slos)
    for (const auto& spec : slo::load_specs(template_file(t, f, "SLO spec file", sources), cat, spec_diags))
      for (const auto& s : spec.slos) {
        std::optional<double> bound;
        std::string metric;
        if (s.kind == slo::Slo::Kind::latency) {
          bound = std::strtod(s.le.c_str(), nullptr);
          metric = s.metric;
        }
        facts.slos[s.name] = {s.objective, s.window_ms, bound, metric};
      }
  for (auto& d : spec_diags)
    if (d.severity == core::Severity::error) diags.push_back(std::move(d));
  dashboards::check(t, cat, recorded, facts, diags);
}

namespace {

void load(const GenDashboardsOptions& o, const catalog::Catalog& cat, LoadedTemplates& out) {
  fs::path dir(o.templates);
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw UsageError("no templates directory " + o.templates + " (give --templates DIR)");
  dashboards::Library library;
  if (fs::is_directory(dir / "panels", ec))
    for (const auto& path : yaml_files(dir / "panels")) {
      const auto& src = out.sources.add(path, util::read_file(path));
      if (auto p = dashboards::load_panel_file(src, out.diags)) library[fs::path(path).stem().string()] = *p;
    }
  std::map<std::string, const dashboards::Template*> uids;
  for (const auto& path : yaml_files(dir)) {
    const auto& src = out.sources.add(path, util::read_file(path));
    out.templates.push_back(dashboards::load_template(src, library, out.diags));
  }
  if (out.templates.empty()) throw UsageError("no templates (*.yml) in " + o.templates);
  for (auto& t : out.templates) {
    check_template(t, cat, out.sources, out.diags);
    if (t.uid.value.empty()) continue;
    auto [it, fresh] = uids.emplace(t.uid.value, &t);
    if (!fresh)
      out.diags.push_back(core::make_diagnostic("dashboards/uid", t.uid.span,
                                                "uid " + t.uid.value + " is also the uid of " + it->second->path));
  }
  core::sort_diagnostics(out.diags);
}

// The panels of a dashboard JSON by id (rows' nested panels included), for naming differences.
std::map<int, nlohmann::json> panels_by_id(const nlohmann::json& d) {
  std::map<int, nlohmann::json> out;
  auto add = [&](const nlohmann::json& list, auto& self) -> void {
    if (!list.is_array()) return;
    for (const auto& p : list) {
      if (!p.is_object()) continue;
      auto id = p.find("id");
      if (id != p.end() && id->is_number_integer()) out[id->get<int>()] = p;
      if (auto inner = p.find("panels"); inner != p.end()) self(*inner, self);
    }
  };
  if (d.is_object() && d.contains("panels")) add(d["panels"], add);
  return out;
}

// What differs between the file on disk and the rendered dashboard, in words.
std::string describe_difference(const std::string& old_text, const std::string& new_text) {
  auto old_json = nlohmann::json::parse(old_text, nullptr, false);
  if (old_json.is_discarded()) return "is not valid JSON";
  auto new_json = nlohmann::json::parse(new_text);
  auto a = panels_by_id(old_json), b = panels_by_id(new_json);
  std::vector<std::string> what;
  auto title = [](const nlohmann::json& p) {
    auto t = p.find("title");
    return t != p.end() && t->is_string() ? t->get<std::string>() : std::string();
  };
  for (const auto& [id, p] : b) {
    auto it = a.find(id);
    if (it == a.end()) what.push_back("panel " + std::to_string(id) + " \"" + title(p) + "\" is new");
    else if (it->second != p) what.push_back("panel " + std::to_string(id) + " \"" + title(p) + "\" differs");
  }
  for (const auto& [id, p] : a)
    if (!b.count(id)) what.push_back("panel " + std::to_string(id) + " \"" + title(p) + "\" is gone");
  old_json.erase("panels");
  new_json.erase("panels");
  if (old_json != new_json) what.push_back("dashboard settings differ");
  if (what.empty()) what.push_back("differs in formatting");
  return util::join(what, "; ");
}

std::string provisioning_datasource(const GenDashboardsOptions& o) {
  return "# Written by nsmon gen-dashboards: the Prometheus data source the dashboards' ${datasource}\n"
         "# variable selects by default.\n"
         "apiVersion: 1\n"
         "datasources:\n"
         "  - name: Prometheus\n"
         "    type: prometheus\n"
         "    uid: prometheus\n"
         "    access: proxy\n"
         "    url: " +
         o.prometheus_url +
         "\n"
         "    isDefault: true\n"
         "    jsonData:\n"
         "      timeInterval: 15s # the scrape interval: $__rate_interval is at least four of it\n";
}

std::string provisioning_dashboards(const std::string& out_dir) {
  return "# Written by nsmon gen-dashboards: Grafana loads the dashboards from the directory below.\n"
         "apiVersion: 1\n"
         "providers:\n"
         "  - name: nsmon\n"
         "    orgId: 1\n"
         "    folder: nsmon\n"
         "    type: file\n"
         "    disableDeletion: false\n"
         "    allowUiUpdates: false\n"
         "    updateIntervalSeconds: 30\n"
         "    options:\n"
         "      path: " +
         out_dir +
         "\n"
         "      foldersFromFilesStructure: false\n";
}

// --check: each output file that differs from what the templates give, is missing, or that no
// template makes, as a generated/stale finding.
std::vector<core::Diagnostic> check_out_dir(const GenDashboardsOptions& o,
                                            const std::map<std::string, std::string>& files) {
  fs::path out(o.out);
  std::vector<core::Diagnostic> drift;
  auto stale = [&](const fs::path& path, std::string message) {
    drift.push_back(core::make_diagnostic("generated/stale", {path.string(), 0, 0, 0}, std::move(message),
                                          "run nsmon gen-dashboards"));
  };
  for (const auto& [name, text] : files) {
    fs::path path = out / name;
    std::error_code ec;
    if (!fs::exists(path, ec)) {
      stale(path, "missing: " + o.templates + " makes it");
      continue;
    }
    std::string old = util::read_file(path.string());
    if (old != text) stale(path, describe_difference(old, text));
  }
  std::error_code ec;
  if (fs::is_directory(out, ec))
    for (fs::directory_iterator it(out, ec), end; !ec && it != end; it.increment(ec))
      if (it->path().extension() == ".json" && !files.count(it->path().filename().string()))
        stale(it->path(), "stale: no template makes it");
  return drift;
}

int run_gen_dashboards(const GenDashboardsOptions& o, const Context& ctx) {
  LoadedTemplates loaded;
  load(o, ctx.catalog(), loaded);
  report::Report report;
  report.findings = std::move(loaded.diags);
  report.scope = o.templates + " (" +
                 report::plural(static_cast<long long>(loaded.templates.size()), "template", "templates") + ")";
  report.facts = {{"templates", static_cast<long long>(loaded.templates.size())}};
  // The report first, on stdout; what was written goes after it (to stderr when stdout is a
  // machine format, so that it stays one JSON or SARIF document).
  // Errors always stop it (such a template cannot be rendered); other findings by --fail-on.
  report.gate_failed = report::count(report.findings).errors > 0;
  if (report.gate_failed || report::fails(report.findings, ctx.report.fail_on)) {
    const int code = finish(report, loaded.sources, ctx.report);
    print_error((report.gate_failed ? "errors" : "findings at or above --fail-on " + ctx.report.fail_on) + " in " +
                o.templates + ": nothing written");
    return code;
  }
  std::ostream& status = ctx.report.format == "text" ? std::cout : std::cerr;
  dashboards::RenderOptions ro;
  ro.importable = o.importable;
  std::map<std::string, std::string> files;
  for (const auto& t : loaded.templates) files[t.uid.value + ".json"] = dashboards::render(t, ro);
  // dashboard-linter's .lint beside them: its exceptions, each with its reason. One written by
  // hand (without gen-dashboards' marker) is left alone.
  const fs::path lint = fs::path(o.out) / ".lint";
  std::map<std::string, std::string> written = files;
  std::error_code lint_ec;
  const bool own_lint =
      !fs::exists(lint, lint_ec) || util::read_file(lint.string()).find(dashboards::kLintMarker) != std::string::npos;
  if (own_lint) written[".lint"] = dashboards::render_lint(loaded.templates);
  if (o.check) {
    // The output directory's drift joins the templates' findings in the one report.
    std::vector<core::Diagnostic> drift = check_out_dir(o, written);
    report.gate_failed = !drift.empty();
    report.facts.push_back({"dashboards", static_cast<long long>(files.size())});
    report.facts.push_back({"stale", static_cast<long long>(drift.size())});
    for (auto& d : drift) report.findings.push_back(std::move(d));
    core::sort_diagnostics(report.findings);
    const int code = finish(report, loaded.sources, ctx.report);
    if (drift.empty())
      status << o.out << " is up to date ("
             << report::plural(static_cast<long long>(files.size()), "dashboard", "dashboards") << " from "
             << o.templates << ")\n";
    else status << o.out << " is not what " << o.templates << " gives: run nsmon gen-dashboards\n";
    return code;
  }
  const int code = finish(report, loaded.sources, ctx.report);

  fs::path out(o.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw Error("cannot create " + o.out + ": " + ec.message());
  // Every changed dashboard is written, or none is (util::write_files_atomic).
  std::vector<std::pair<std::string, std::string>> changed;
  for (const auto& [name, text] : written) {
    fs::path path = out / name; // name is a checked uid + ".json" or .lint: never outside `out`
    if (fs::exists(path, ec) && util::read_file(path.string()) == text) continue;
    changed.emplace_back(path.string(), text);
  }
  util::write_files_atomic(changed);
  status << "wrote " << report::plural(static_cast<long long>(files.size()), "dashboard", "dashboards")
         << (own_lint ? " and .lint" : "") << " to " << o.out << " (" << changed.size() << " changed)\n";
  if (!own_lint)
    status << "left " << lint.string() << " alone: gen-dashboards did not write it (its dashboard-linter exceptions)\n";
  if (!o.provisioning.empty()) {
    fs::path prov(o.provisioning);
    fs::create_directories(prov / "datasources", ec);
    fs::create_directories(prov / "dashboards", ec);
    if (ec) throw Error("cannot create " + o.provisioning + ": " + ec.message());
    util::write_files_atomic({{(prov / "datasources" / "nsmon.yml").string(), provisioning_datasource(o)},
                              {(prov / "dashboards" / "nsmon.yml").string(),
                               provisioning_dashboards(fs::absolute(out).lexically_normal().string())}});
    status << "wrote Grafana provisioning to " << o.provisioning << " (datasources/nsmon.yml, dashboards/nsmon.yml)\n";
  }
  return code;
}

} // namespace

Run define_gen_dashboards(CLI::App& cmd) {
  auto opts = std::make_shared<GenDashboardsOptions>();
  cmd.add_option("--templates", opts->templates, "Template directory (default: templates)")->option_text("DIR");
  cmd.add_option("--out", opts->out, "Output directory for <uid>.json (default: dashboards)")->option_text("DIR");
  cmd.add_flag("--check", opts->check,
               "Write nothing; exit 1 if the output directory differs from what the templates give");
  cmd.add_option("--provisioning", opts->provisioning,
                 "Also write Grafana provisioning files (datasource, dashboard provider) into DIR")
      ->option_text("DIR");
  cmd.add_option("--prometheus-url", opts->prometheus_url,
                 "Prometheus URL of the provisioned datasource (default: http://localhost:9090)")
      ->option_text("URL");
  cmd.add_flag("--importable", opts->importable, "Add __inputs/__requires for import through Grafana's UI");
  add_report_options(cmd);
  cmd.footer(
      std::string("\nTemplates: templates/*.yml, shared panels templates/panels/<name>.yml (docs/gen-dashboards.md).\n"
                  "Every query is checked against the catalog; findings are reported as lint-rules reports\n"
                  "them (--format text, json, github, sarif); findings at or above --fail-on stop the\n"
                  "generation: nothing is written (exit 1), as does a stale dashboard with --check.\n\n") +
      exit_codes_help({kOk, kFindings, kUsage}));
  return [opts](const Context& ctx) {
    GenDashboardsOptions o = *opts;
    if (o.templates.empty()) o.templates = require_default("templates", "no templates directory: give --templates DIR");
    return run_gen_dashboards(o, ctx);
  };
}

} // namespace nsmon::cli
