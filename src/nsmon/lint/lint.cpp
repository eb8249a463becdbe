#include "nsmon/lint/lint.hpp"

#include <algorithm>
#include <map>
#include <tuple>

#include "nsmon/lint/analysis.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

// Sorts, and keeps one finding per place and check: several paths can reach the same conclusion.
void sort_unique(std::vector<core::Diagnostic>& diags) {
  core::sort_diagnostics(diags);
  diags.erase(std::unique(diags.begin(), diags.end(),
                          [](const core::Diagnostic& a, const core::Diagnostic& b) {
                            return a.span.file == b.span.file && a.span.line == b.span.line &&
                                   a.span.col == b.span.col && a.check == b.check && a.message == b.message;
                          }),
              diags.end());
}

// The checks that make sense for an expression on its own: a recording rule may be defined on
// the server, and alerts/* and config/* need a rule or a config.
bool applies_alone(core::CheckId check) {
  const std::string_view id = check.id();
  return id.starts_with("promql/") || id.starts_with("catalog/") || id.starts_with("units/") ||
         id.starts_with("exporters/") || check == core::CheckId("labels/impossible-match");
}

// lint-rules' expression checks on one expression, positioned in its source text.
class StandaloneChecks : public ExprChecks {
public:
  StandaloneChecks(const core::SourceFile& src, const catalog::Catalog& cat, Inference& inf,
                   const std::vector<std::string>& names, std::vector<core::Diagnostic>& out)
      : ExprChecks(cat, inf, nullptr, names), src_(src), out_(out) {}

private:
  void emit(core::CheckId check, promql::PosRange range, std::string message, std::string suggestion,
            core::Severity severity) override {
    out_.push_back(core::make_diagnostic(check, core::span_at(src_, range.start, range.end), std::move(message),
                                         std::move(suggestion)));
    out_.back().severity = severity;
  }

  const core::SourceFile& src_;
  std::vector<core::Diagnostic>& out_;
};

// A plain rule file's documents after the first, which Prometheus never loads (it decodes the
// first): said here, by lint-rules, while test-rules and watch evaluate what the loader read.
void later_documents(const std::vector<rules::RuleFile>& files, std::vector<core::Diagnostic>& out) {
  auto count = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  for (const auto& f : files) {
    if (!f.later_documents) continue;
    const rules::LaterDocuments& l = *f.later_documents;
    const bool one = l.documents == 1;
    std::string what = one ? "this document" : "the " + std::to_string(l.documents) + " documents from here on";
    if (l.groups)
      what += ", with " + count(l.groups, "group", "groups") + " (" + count(l.rules, "rule", "rules") + "),";
    out.push_back(core::make_diagnostic(
        "rules/multiple-documents", l.at,
        "Prometheus loads only the first YAML document of a rule file: " + what + (one ? " is" : " are") +
            " never loaded",
        "keep one document per rule file (move these groups to a file of their own, listed in rule_files), or merge "
        "them into the first document's groups"));
  }
}

// A finding placed on an alias (`expr: *e`) is about text written at the anchor: its message
// says where (the loader's own findings say it themselves).
void note_anchors(const std::vector<rules::RuleFile>& files, std::vector<core::Diagnostic>& out) {
  std::map<std::tuple<core::FilePath, int, int>, const core::Located*> aliases;
  auto alias = [&](const core::Located& v) {
    if (v.anchor_line) aliases.emplace(std::tuple{v.span.file, v.span.line, v.span.col}, &v);
  };
  auto pairs = [&](const std::vector<rules::KeyValue>& kvs) {
    for (const auto& kv : kvs) {
      alias(kv.key);
      alias(kv.value);
    }
  };
  for (const auto& f : files)
    for (const auto& g : f.groups) {
      pairs(g.labels);
      for (const auto& r : g.rules) {
        alias(r.name);
        alias(r.expr);
        pairs(r.labels);
        pairs(r.annotations);
      }
    }
  if (aliases.empty()) return;
  for (auto& d : out)
    if (auto it = aliases.find({d.span.file, d.span.line, d.span.col}); it != aliases.end()) {
      std::string note = it->second->anchor_note();
      if (!d.message.ends_with(note)) d.message += note;
    }
}

// alert, record or expr written as an alias: Prometheus reads the alias's name (Rule::aliased).
// Said here, by lint-rules; test-rules and watch evaluate what Prometheus reads.
void aliased_fields(const std::vector<rules::RuleFile>& files, std::vector<core::Diagnostic>& out) {
  for (const auto& f : files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        for (const auto& a : r.aliased) {
          const bool expr = a.field == "expr";
          const std::string& read = expr ? r.expr.value : r.name.value;
          constexpr std::string_view why =
              " (rulefmt keeps alert, record and expr as YAML nodes, and an alias node's value is its name)";
          core::Diagnostic d = core::make_diagnostic(
              "rules/aliased-field", a.at,
              util::concat({"Prometheus reads this alias as its name: ", a.field, " is \"", read,
                            "\", not the anchored text at line ", std::to_string(a.anchor_line), why}),
              expr ? "write the expression out, or anchor the whole rule and merge it (<<: *rule) to reuse its fields"
                   : "write the name out");
          d.group = g.name.value;
          d.rule = r.name.value;
          out.push_back(std::move(d));
        }
}

} // namespace

std::vector<core::Diagnostic> run(const Input& input, const Options& options, std::vector<RuleCost>* costs) {
  std::vector<core::Diagnostic> out;
  Analysis analysis(input, options, out, costs);
  analysis.run();
  note_anchors(input.rule_files, out);
  aliased_fields(input.rule_files, out);
  later_documents(input.rule_files, out);
  apply_policy(out, input, options.policy);
  sort_unique(out);
  return out;
}

std::vector<core::Diagnostic> check_expression(const core::SourceFile& src, const catalog::Catalog& catalog,
                                               const promql::ParseOptions& parse) {
  std::vector<core::Diagnostic> out;
  promql::ParseResult parsed = promql::parse(src.text(), parse);
  for (const auto& e : parsed.errors())
    out.push_back(core::make_diagnostic("promql/syntax", core::span_at(src, e.range.start, e.range.end), e.message));
  if (parsed.ok()) {
    // As lint-rules checks a rule's expression, without recording rules and without a config.
    const std::map<std::string, RecordedMetric> recorded;
    const std::vector<std::string> names = catalog.all_series_names();
    Inference inf(catalog, nullptr, recorded);
    inf.run(*parsed.expr());
    StandaloneChecks(src, catalog, inf, names, out).check(*parsed.expr());
  }
  std::erase_if(out, [](const core::Diagnostic& d) { return !applies_alone(d.check); });
  sort_unique(out);
  // The catalog may be older or newer than the server's metrics: what it says is a warning.
  for (auto& d : out)
    if (d.severity == core::Severity::error && d.check != core::CheckId("promql/syntax"))
      d.severity = core::Severity::warning;
  return out;
}

void apply_policy(std::vector<core::Diagnostic>& diags, const Input& input, const Policy& policy) {
  // Per file: its disabled checks and, by line, the rule covering that line.
  struct FileIndex {
    const rules::RuleFile* file;
    std::vector<const rules::Rule*> rule_at; ///< index: line number
  };
  std::map<std::string, FileIndex> index;
  for (const auto& f : input.rule_files) {
    FileIndex fi{&f, {}};
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        if (r.last_line < r.span.line) continue;
        if (fi.rule_at.size() <= static_cast<std::size_t>(r.last_line)) fi.rule_at.resize(r.last_line + 1, nullptr);
        for (int l = r.span.line; l <= r.last_line; ++l) fi.rule_at[l] = &r;
      }
    index.emplace(f.path, std::move(fi));
  }
  // prometheus.yml: the whole file (`first` 0) or an entry's lines.
  auto config_silences = [&](const core::Diagnostic& d, const std::string& id) {
    if (!input.config || d.span.file.str() != input.config->path) return false;
    return std::any_of(input.config->disabled.begin(), input.config->disabled.end(), [&](const auto& r) {
      return r.ids.count(id) && (r.first == 0 || (r.first <= d.span.line && d.span.line <= r.last));
    });
  };
  auto silenced = [&](const core::Diagnostic& d) {
    const std::string id(d.check.id());
    if (policy.disabled.count(id)) return true;
    if (config_silences(d, id)) return true;
    auto it = index.find(d.span.file);
    if (it == index.end()) return false;
    if (it->second.file->disabled.count(id)) return true;
    const auto& at = it->second.rule_at;
    auto line = static_cast<std::size_t>(std::max(d.span.line, 0));
    return line < at.size() && at[line] && at[line]->disabled.count(id);
  };
  diags.erase(std::remove_if(diags.begin(), diags.end(), silenced), diags.end());
  for (auto& d : diags)
    if (auto it = policy.severity_override.find(std::string(d.check.id())); it != policy.severity_override.end())
      d.severity = it->second;
}

} // namespace nsmon::lint
