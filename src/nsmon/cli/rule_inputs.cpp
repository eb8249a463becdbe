#include "nsmon/cli/rule_inputs.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <iterator>
#include <optional>
#include <set>

#include "nsmon/core/error.hpp"
#include "nsmon/core/yaml_tree.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace fs = std::filesystem;

namespace {

// The names of a YAML text's top-level keys, and the value of `kind:`: enough to tell the kinds
// of file a monitoring directory holds apart (a rough look, not a parse: a file it cannot place
// is read as a rule file, with the loader's findings).
struct TopLevel {
  std::set<std::string, std::less<>> keys;
  std::string kind;
  bool has(std::string_view k) const { return keys.count(k) > 0; }
};

TopLevel top_level(std::string_view text) {
  TopLevel t;
  for (std::size_t at = 0; at < text.size();) {
    std::size_t end = std::min(text.find('\n', at), text.size());
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.empty() || !(std::isalpha(static_cast<unsigned char>(line[0])) || line[0] == '_' || line[0] == '"'))
      continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key(util::trim(line.substr(0, colon)));
    if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
    if (key == "kind") t.kind = std::string(util::trim(line.substr(colon + 1)));
    t.keys.insert(std::move(key));
  }
  return t;
}

// What another kind of file is and the command that reads it; nothing for a rule file or a
// file not recognised.
struct OtherKind {
  std::string what, how;
};
constexpr const char* kUnitTestFile = "a rule unit-test file";

std::optional<OtherKind> other_kind(std::string_view text, const std::string& path) {
  TopLevel t = top_level(text);
  if (t.has("groups") || t.kind == "PrometheusRule") return std::nullopt;
  if (t.has("scrape_configs") || (t.has("global") && (t.has("rule_files") || t.has("alerting"))))
    return OtherKind{"a Prometheus config", "lint the rules with it: nsmon lint-rules --config " + path};
  if (t.has("route") && t.has("receivers"))
    return OtherKind{"an Alertmanager config", "nsmon lint-alertmanager --config " + path};
  if (t.has("rule_files") && t.has("tests")) return OtherKind{kUnitTestFile, "nsmon test-rules " + path};
  if (t.has("cases")) return OtherKind{"a routing test file", "nsmon routes test --cases " + path};
  if (t.has("catalog_version")) return OtherKind{"a metric catalog", "nsmon lint-rules --catalog " + path};
  if (t.has("slos") && t.has("version")) return OtherKind{"an SLO spec", "nsmon slo generate " + path};
  static const std::set<std::string, std::less<>> policy = {"severity_label", "severity_values", "required_annotations",
                                                            "disable",        "severity",        "external"};
  if (!t.keys.empty() &&
      std::all_of(t.keys.begin(), t.keys.end(), [](const std::string& k) { return policy.count(k); }))
    return OtherKind{"an nsmon policy file", "nsmon lint-rules --policy " + path};
  return std::nullopt;
}

// The *.yml and *.yaml files under `dir`, recursively (hidden ones left out), in name order.
std::vector<std::string> yaml_files_in(const std::string& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const auto ext = it->path().extension();
    if ((ext == ".yml" || ext == ".yaml") && it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec) throw Error("cannot read " + dir + ": " + ec.message());
  if (files.empty()) throw UsageError("no *.yml or *.yaml files in the directory " + dir);
  std::sort(files.begin(), files.end());
  return files;
}

} // namespace

std::vector<std::string> expand_paths(const std::vector<std::string>& paths, FileKind want) {
  std::vector<std::string> out;
  for (const auto& path : paths) {
    std::error_code ec;
    if (path == "-" || !fs::is_directory(path, ec)) {
      out.push_back(path);
      continue;
    }
    const std::size_t before = out.size();
    for (auto& f : yaml_files_in(path)) {
      const auto kind = other_kind(util::read_file(f), f);
      if (want == FileKind::rules ? !kind : kind && kind->what == kUnitTestFile) out.push_back(std::move(f));
    }
    if (out.size() == before)
      throw UsageError("no " + std::string(want == FileKind::rules ? "rule files" : "rule unit-test files") +
                       " among the YAML files of the directory " + path);
  }
  return out;
}

void InputReader::rule_path(const std::string& path, const std::string& config) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return rule_file(path);
  const std::string config_identity = config.empty() ? std::string() : identity(config);
  for (const auto& f : yaml_files_in(path)) {
    const std::string id = identity(f);
    if (id == config_identity || seen_.count(id)) continue; // config() reads --config
    std::string text = util::read_file(f, yaml::kInputPadding);
    auto kind = other_kind(text, f);
    if (!kind) {
      rule_file(f, std::move(text));
      continue;
    }
    const auto& src = out_.sources.add(f, std::move(text));
    out_.diags.push_back(core::make_diagnostic("rules/not-a-rule-file", {src.path(), 1, 1, 0},
                                               "skipped: not a rule file but " + kind->what, kind->how));
  }
}

void InputReader::rule_file(const std::string& path) {
  // A file named on the command line and in rule_files (under another spelling) is linted once.
  if (path != "-" && seen_.count(identity(path))) return;
  rule_file(path, util::read_file(path, yaml::kInputPadding));
}

void InputReader::rule_file(const std::string& path, std::string text) {
  if (path != "-" && !seen_.insert(identity(path)).second) return;
  const auto& src = out_.sources.add(path == "-" ? "<stdin>" : path, std::move(text));
  out_.input.rule_files.push_back(rules::load_rule_file(src, out_.diags, options_));
  ++out_.files;
  for (const auto& g : out_.input.rule_files.back().groups) out_.rules += static_cast<int>(g.rules.size());
}

void InputReader::config(const std::string& path) {
  seen_.insert(identity(path));
  const auto& src = out_.sources.add(path, util::read_file(path, yaml::kInputPadding));
  out_.input.config = rules::load_config(src, out_.diags);
  ++out_.files;
  for (const auto& p : rules::resolve_rule_files(*out_.input.config, out_.diags)) rule_file(p);
}

/// The checks' findings and the loaders', each under the same `# nsmon disable` comments and
/// policy, sorted, with the summary's counts.
std::unique_ptr<report::Report> lint_loaded(Loaded& loaded, const lint::Options& options,
                                            std::vector<lint::RuleCost>& costs) {
  auto report = std::make_unique<report::Report>();
  report->findings = lint::run(loaded.input, options, &costs);
  lint::drop_disjoint_duplicates(loaded.diags, loaded.input, options);
  lint::apply_policy(loaded.diags, loaded.input, options.policy);
  report->findings.reserve(report->findings.size() + loaded.diags.size());
  report->findings.insert(report->findings.end(), std::make_move_iterator(loaded.diags.begin()),
                          std::make_move_iterator(loaded.diags.end()));
  core::sort_diagnostics(report->findings);
  report::describe_files(*report, loaded.files, loaded.rules);
  return report;
}

std::string InputReader::identity(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

} // namespace nsmon::cli
