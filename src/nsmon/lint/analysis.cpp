// Analysis::run, the driver: parses the rules, learns what the recording rules record, runs
// RuleChecks (rule_checks.cpp) on every rule in parallel, then the checks over all the files
// together (files_checks.cpp).
#include "nsmon/lint/analysis.hpp"

#include <algorithm>
#include <iterator>
#include <map>
#include <memory>
#include <set>

#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/metricsql.hpp"
#include "nsmon/rules/rulers.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

namespace {
// The help of an expression that does not parse: what the error costs is not this rule alone but
// every rule of the file (tests/e2e/lint_unparsed_refuses_file.sh shows it of Prometheus 2.42).
constexpr std::string_view kUnparsedFix = "fix the expression: while one rule does not parse, Prometheus refuses "
                                          "the whole file (a reload fails and keeps the rules it had; a start fails)";
} // namespace

void Analysis::run() {
  const rules::Config* cfg = input_.config ? &*input_.config : nullptr;
  const TargetLabels targets(*options_.catalog, cfg); // once: every rule's inference reads it
  projects_ = projects(input_.rule_files);
  std::vector<ParsedRule> parsed;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (!util::trim(r.expr.value).empty()) {
          parsed.push_back(ParsedRule{&f, &g, &r, nullptr});
          parsed.back().project = project(f.path);
        }
  // The rules are parsed and checked on several threads in steps of kStep rules; each step's
  // findings go to a list of its own, merged in order at the end.
  constexpr std::size_t kStep = 128;
  std::vector<std::vector<core::Diagnostic>> found(util::step_count(parsed.size(), kStep));
  std::vector<ForeignMetrics> foreign(found.size());
  // The expression's tree, or its promql/syntax findings (nullptr), or nothing for an expression
  // in another language (pr.language), which vmalert_files and foreign_expressions speak of.
  auto parse_rule = [&](ParsedRule& pr, std::vector<core::Diagnostic>& out) -> std::unique_ptr<ParseResult> {
    const rules::Group& g = *pr.group;
    const std::string& expr = pr.rule->expr.value;
    auto result = std::make_unique<ParseResult>(parse(expr, options_.parse));
    rules::MetricsqlVerdict mql;
    if (!result->ok() && (g.ruler == rules::Schema::automatic || g.ruler == rules::Schema::vmalert)) {
      promql::MetricsqlReading reading = promql::read_metricsql(expr);
      mql = {reading.parses, !reading.extension.empty()};
      pr.metricsql_extension = std::move(reading.extension);
    }
    pr.language = rules::language_of(g.ruler, g.type.value, expr, result->ok(), mql, false);
    pr.ok = pr.language == rules::Language::promql && result->ok();
    if (pr.language == rules::Language::logql) {
      // Loki's ruler's expressions: one note each, not PromQL's errors.
      core::Diagnostic d =
          core::make_diagnostic("rules/other-ruler", pr.rule->expr.span, "a LogQL expression (Loki ruler): not linted");
      d.rule = pr.rule->name.value;
      d.group = g.name.value;
      out.push_back(std::move(d));
    }
    if (pr.language != rules::Language::promql || pr.ok) return pr.ok ? std::move(result) : nullptr;
    // MetricsQL if the file turns out vmalert's: the findings wait until then.
    std::vector<core::Diagnostic>& to = mql.parses ? pr.unless_vmalert : out;
    for (const auto& e : result->errors()) {
      core::Diagnostic d = core::make_diagnostic("promql/syntax", expr_span(*pr.rule, e.range), e.message);
      d.suggestion = kUnparsedFix;
      d.rule = pr.rule->name.value;
      d.group = g.name.value;
      // review54's lenaxia Longhorn rule, `< ${LONGHORN_MIN_STORAGE_HEADROOM_BYTES}`: as for a
      // matcher's value (RuleChecks), whether something fills it in is the deployment's knowledge.
      if (const std::string_view var =
              deploy_substitution(std::string_view(expr).substr(std::min<std::size_t>(e.range.start, expr.size())));
          !var.empty()) {
        d.message += util::concat({": ", var, kSubstitutionWords, "; if nothing does, Prometheus refuses the file"});
        d.suggestion = kSubstitutionFix;
        d.severity = core::Severity::warning;
      }
      to.push_back(std::move(d));
    }
    return nullptr;
  };
  // Recording rules define metrics that every other rule may read: their trees first (parsing is
  // the costliest step and every expression stands alone: spread over the cores), kept.
  util::parallel_steps(parsed.size(), kStep, [&](std::size_t b, std::size_t e, std::size_t k) {
    for (std::size_t i = b; i < e; ++i)
      if (!parsed[i].rule->is_alert()) parsed[i].parsed = parse_rule(parsed[i], found[k]);
  });

  // Recording rules define metrics (lint/recorded.*).
  std::vector<RecordingRule> recording;
  for (const auto& pr : parsed)
    if (!pr.rule->is_alert() && pr.ok) recording.push_back({pr.group, pr.rule, pr.parsed->expr()});
  const std::map<std::string, RecordedMetric> recorded = recorded_metrics(recording, *options_.catalog, &targets);
  CostModel model(*options_.catalog, cfg);
  model.learn(recording);
  std::vector<RuleCost> costs(parsed.size());

  std::vector<std::string> names = options_.catalog->all_series_names();
  // For ALERTS{alertname="X"}: the rules' names and projects, as views (the rules outlive the checks),
  // in file order. Nothing needs them sorted or unique: a selector's matcher is tried on each in
  // turn, and did_you_mean picks the same name from them in any order.
  std::vector<DefinedAlert> alert_names;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (r.is_alert()) alert_names.push_back({r.name.value, project(f.path)});
  for (const auto& [n, rm] : recorded) names.push_back(n);
  const std::vector<std::string> high_cardinality = high_cardinality_labels(*options_.catalog);
  // The rules are independent now that recording rules are known: checked in parallel. An alert's
  // tree lives only while its rule is checked (holding every tree at once cost more memory than
  // the rest of the run), a recording rule's tree is freed after its checks.
  util::parallel_steps(parsed.size(), kStep, [&](std::size_t b, std::size_t e, std::size_t k) {
    Inference inf(*options_.catalog, &targets, recorded); // a rule's shapes reuse the last one's memory
    for (std::size_t i = b; i < e; ++i) {
      ParsedRule& pr = parsed[i];
      if (pr.rule->is_alert()) pr.parsed = parse_rule(pr, found[k]);
      if (!pr.ok) continue;
      const std::size_t before = found[k].size();
      inf.forget();
      inf.read_in(pr.file->path, pr.group->ruler == rules::Schema::thanos);
      inf.scoped(pr.group->scope);
      RuleChecks(pr, options_, inf, cfg, names, alert_names, high_cardinality, found[k], foreign[k], model, costs[i])
          .run();
      policy(pr, inf, found[k]); // while the rule is in the cache
      for (std::size_t j = before; j < found[k].size(); ++j) locate(found[k][j], *pr.file);
      pr.parsed.reset();
    }
  });
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(out_));
  vmalert_files(parsed);
  ForeignMetrics all;
  for (auto& f : foreign) {
    std::move(f.uses.begin(), f.uses.end(), std::back_inserter(all.uses));
    all.app_jobs.merge(f.app_jobs);
    std::move(f.unrecorded.begin(), f.unrecorded.end(), std::back_inserter(all.unrecorded));
    std::move(f.renames.begin(), f.renames.end(), std::back_inserter(all.renames));
    std::move(f.exporter_jobs.begin(), f.exporter_jobs.end(), std::back_inserter(all.exporter_jobs));
    std::move(f.misspelt.begin(), f.misspelt.end(), std::back_inserter(all.misspelt));
  }
  foreign_metrics(all);
  unrecorded(all, recorded);
  renamed_metrics(all, recorded);
  exporter_jobs(all, recorded);
  misspelt_metrics(all, recorded);
  copied_alerts(input_, options_, out_);
  inverted_severities(input_, options_, out_);
  std::erase_if(costs, [](const RuleCost& c) { return c.rule == nullptr; }); // did not parse
  auto heavy = cost_outliers(costs, options_.policy, false, cfg);
  std::move(heavy.begin(), heavy.end(), std::back_inserter(out_));
  if (costs_) *costs_ = std::move(costs);
  config(cfg);

  // Expression findings carry a file offset in `col` (line 0); the checking threads turned those
  // about their rule into line:col, these are the others.
  for (auto& d : out_)
    for (const auto& f : input_.rule_files) locate(d, f);
}

// A file is vmalert's when one of its groups is, or one of its expressions names a MetricsQL
// extension: then its expressions that PromQL refuses only for their types are MetricsQL (the
// others' promql/syntax findings are reported now). One note per file and language says which
// expressions are not linted, and why.
void Analysis::vmalert_files(std::vector<ParsedRule>& parsed) {
  std::vector<ParsedRule*> foreign; // in file order
  for (auto& pr : parsed)
    if (!pr.unless_vmalert.empty() || (pr.language != rules::Language::promql && pr.language != rules::Language::logql))
      foreign.push_back(&pr);
  if (foreign.empty()) return;
  std::set<const rules::RuleFile*> vmalert;
  for (const auto& pr : parsed)
    if (pr.group->ruler == rules::Schema::vmalert || !pr.metricsql_extension.empty()) vmalert.insert(pr.file);
  for (ParsedRule* pr : foreign) {
    if (pr->unless_vmalert.empty()) continue;
    if (vmalert.count(pr->file)) pr->language = rules::Language::metricsql;
    else std::move(pr->unless_vmalert.begin(), pr->unless_vmalert.end(), std::back_inserter(out_));
  }
  // One note on the expressions `in`, written in what `where` says.
  auto note = [this](const std::vector<const ParsedRule*>& in, const std::string& where) {
    if (in.empty()) return;
    std::string message = (in.size() == 1 ? "an expression" : std::to_string(in.size()) + " expressions") + where;
    message += ": not linted: ";
    constexpr std::size_t kNamed = 5;
    for (std::size_t k = 0; k < in.size() && k < kNamed; ++k)
      message +=
          (k ? ", " : "") + in[k]->rule->name.value + " (line " + std::to_string(in[k]->rule->expr.span.line) + ")";
    if (in.size() > kNamed) message += ", ...";
    core::Diagnostic d = core::make_diagnostic("rules/other-ruler", in[0]->rule->expr.span, message);
    d.rule = in[0]->rule->name.value;
    d.group = in[0]->group->name.value;
    out_.push_back(std::move(d));
  };
  for (rules::Language language : {rules::Language::metricsql, rules::Language::graphite, rules::Language::logsql})
    for (std::size_t i = 0; i < foreign.size();) {
      // The file's expressions in `language`.
      const rules::RuleFile* file = foreign[i]->file;
      std::vector<const ParsedRule*> in;
      std::vector<std::string> extensions;
      for (; i < foreign.size() && foreign[i]->file == file; ++i) {
        const ParsedRule& pr = *foreign[i];
        if (pr.language != language) continue;
        in.push_back(&pr);
        if (!pr.metricsql_extension.empty() &&
            std::find(extensions.begin(), extensions.end(), pr.metricsql_extension) == extensions.end())
          extensions.push_back(pr.metricsql_extension);
      }
      if (in.empty()) continue;
      const std::string name(rules::language_name(language));
      std::string where;
      if (language == rules::Language::metricsql)
        where = " in " + name + " (vmalert), which Prometheus refuses (" +
                (extensions.empty() ? std::string("for its types") : util::join(extensions, ", ")) + ")";
      else where = " in " + name + " (vmalert, type: " + in[0]->group->type.value + ")";
      // A type: vlogs group's expression with Loki's line filter is LogQL, not the LogsQL its
      // group names: said apart, so that the note does not call LogQL LogsQL.
      std::vector<const ParsedRule*> logql;
      if (language == rules::Language::logsql) {
        auto is_logql = [](const ParsedRule* pr) { return rules::has_logql_line_filter(pr->rule->expr.value); };
        std::copy_if(in.begin(), in.end(), std::back_inserter(logql), is_logql);
        in.erase(std::remove_if(in.begin(), in.end(), is_logql), in.end());
      }
      note(in, where);
      note(logql, " in Loki's LogQL (a |= or |~ line filter), in a type: vlogs group (VictoriaLogs' LogsQL)");
    }
}

} // namespace nsmon::lint
