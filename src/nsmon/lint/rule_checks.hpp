#pragma once
// Private to lint: the checks of one rule (RuleChecks, rule_checks.cpp and rule_templates.cpp) and
// what Analysis::run (analysis.cpp) and the checks over all the files (files_checks.cpp) share.
#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/gotemplate/check.hpp"
#include "nsmon/lint/cost.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/rules/rule_file.hpp"

namespace nsmon::lint {

// Selectors of metrics the catalog lacks (ExprChecks::foreign_metric), the jobs the
// application's own metrics are selected under, and selectors of recording rules' names that no
// rule records (ExprChecks::unrecorded), collected per step of rules: reported once per exporter
// or name at the end (Analysis::foreign_metrics, Analysis::unrecorded), not once per selector.
struct ForeignMetrics {
  struct Use {
    std::string name, job, rule, group;
    core::Span span;
    bool sure = false;      ///< unrecorded: the catalog does not know the name either
    std::string suggestion; ///< unrecorded: a near name
    int rule_line = 0;      ///< renames, exporter_jobs: the line of the rule's expression
  };
  std::vector<Use> uses;
  std::set<std::string> app_jobs;
  std::vector<Use> unrecorded;
  std::vector<Use> renames;       ///< selectors of names exporters renamed, or of their replacements
  std::vector<Use> exporter_jobs; ///< selectors of well-known exporters' metrics with a job
  std::vector<Use> misspelt;      ///< selectors of names near a well-known exporter's that it never served
};

struct ParsedRule {
  const rules::RuleFile* file;
  const rules::Group* group;
  const rules::Rule* rule;
  std::unique_ptr<promql::ParseResult> parsed; ///< recording rules' trees, kept for the checks; alerts: parsed there
  bool ok = true;                              ///< the expression parsed
  /// What the expression is written in (rules/rulers.hpp): nsmon lints PromQL only.
  rules::Language language = rules::Language::promql;
  /// PromQL refuses the expression, which reads as MetricsQL without naming an extension: it is
  /// MetricsQL if its file is vmalert's, else these (its promql/syntax findings) are reported.
  std::vector<core::Diagnostic> unless_vmalert;
  std::string metricsql_extension; ///< the first MetricsQL extension it names, if any
  std::string_view project;        ///< its file's project (projects())
};

/// Which project each rule file linted belongs to, by its path as given: the directory the
/// project starts at. That is the nearest directory above the file that holds a repository
/// (`.git`: a clone, a worktree, a submodule) or a licence file (a vendored copy of another
/// project keeps its licence); for files under neither, their common parent. Relative, `./` and
/// absolute spellings of a path give the same project (files_checks.cpp).
std::map<std::string, std::string, std::less<>> projects(const std::vector<rules::RuleFile>& files);

/// An alerting rule of the files linted, for ALERTS{alertname="X"}: its name and its file's project.
struct DefinedAlert {
  std::string_view name;
  std::string_view project;
};

/// Where a byte range of a rule's expression is in the YAML file (rule_checks.cpp).
core::Span expr_span(const rules::Rule& r, promql::PosRange range);
/// The annotation that notification templates read (summary, description, ...) which `key` is a typo
/// of, where `annotations` lack it; "" when none (alerts/misspelt-annotation, rule_templates.cpp).
std::string misspelt_annotation(const std::string& key, const std::vector<rules::KeyValue>& annotations);
/// An alert of vector(1): the deliberate always-firing one (rule_checks.cpp).
bool always_fires(const promql::Expr& root);
/// The runs of an expression's text that without_spaces keeps, in order, each passed to
/// fn(std::string_view): a string whole (a backslash escapes the byte after it; one left open
/// runs to the end), the text between spaces outside strings. A run ends at a space or a quote,
/// each byte classed by one table look-up.
template <class Fn> void kept_runs(std::string_view expr, Fn&& fn) {
  enum : unsigned char { text, space, quote };
  static constexpr auto kClass = [] {
    std::array<unsigned char, 256> c{};
    for (unsigned char x : {' ', '\t', '\n', '\v', '\f', '\r'}) c[x] = space; // std::isspace's, in the C locale
    for (unsigned char x : {'"', '\'', '`'}) c[x] = quote;
    return c;
  }();
  auto of = [&](std::size_t i) { return kClass[static_cast<unsigned char>(expr[i])]; };
  for (std::size_t i = 0, end = 0; i < expr.size(); i = end) {
    end = i + 1;
    if (of(i) == quote) {
      while (end < expr.size() && expr[end] != expr[i]) end += expr[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, expr.size());
    } else if (of(i) == space) {
      continue;
    } else {
      while (end < expr.size() && of(end) == text) ++end;
    }
    fn(expr.substr(i, end - i));
  }
}
/// An expression's text without the spaces outside its strings (rule_checks.cpp): `a-b` is
/// `a - b`, `{x="a b"}` is not `{x="ab"}`. Two alerts' texts compared as written, spaces aside.
std::string without_spaces(std::string_view expr);
/// The labels a rule sets on its results: the group's, the rule's winning (as the loader keys
/// them; duplicates.cpp).
std::map<std::string, std::string> static_labels(const rules::Group& g, const rules::Rule& r);
/// Whether an expression reads no series (hour(), day_of_week(), vector(time())): it has one
/// series, with no labels, at every evaluation (duplicates.cpp).
bool reads_no_series(const promql::Expr& e);
/// The `${NAME}` (name in capitals) that `text` starts with, or "": how Flux's postBuild
/// substitution and envsubst name what they fill in before anything applies the file
/// (rule_checks.cpp). What is said of one, and what to do about it:
std::string_view deploy_substitution(std::string_view text);
inline constexpr std::string_view kSubstitutionWords =
    " is written like a deploy-time substitution (Flux's postBuild, envsubst), which fills it in before Prometheus "
    "loads the rule";
inline constexpr std::string_view kSubstitutionFix =
    "lint the file the substitution makes (flux build kustomization, envsubst < FILE)";
/// A unit of time in words, for "per ...": "minute", "hour", "day", or "300 seconds" (rule_units.cpp).
std::string time_unit(double seconds);
/// The plural of a unit of time of duration_unit(): "milliseconds", "seconds", "minutes", "hours",
/// "days", or null for another number of seconds (rule_units.cpp).
const char* time_units(double seconds);
/// The label names the catalog marks high-cardinality, each once, in the catalog's order
/// (rule_checks.cpp): found once per run, not once per alert.
std::vector<std::string> high_cardinality_labels(const catalog::Catalog& cat);

// Checks of one rule: the expression checks shared with gen-dashboards, then the rule's own
// (alert, templates, naming); findings are positioned in the expression or on the rule.
class RuleChecks : public ExprChecks {
public:
  RuleChecks(const ParsedRule& pr, const Options& opt, Inference& inf, const rules::Config* cfg,
             const std::vector<std::string>& all_names, const std::vector<DefinedAlert>& alerts,
             const std::vector<std::string>& high_cardinality, std::vector<core::Diagnostic>& out,
             ForeignMetrics& foreign, const CostModel& model, RuleCost& cost)
      : ExprChecks(*opt.catalog, inf, cfg, all_names), pr_(pr), r_(*pr.rule), opt_(opt), cfg_(cfg), alerts_(alerts),
        high_cardinality_(high_cardinality), out_(out), foreign_(foreign), model_(model), cost_(cost) {
    in_alert_ = r_.is_alert();
    metricsql_ = pr.group->ruler == rules::Schema::vmalert;
  }
  void run();

private:
  // rule_checks.cpp: where findings go, the alert, its selectors, its cost, a recording's name.
  void emit_at(core::CheckId check, const core::Span& at, std::string msg, std::string suggestion = {});
  void emit(core::CheckId check, promql::PosRange range, std::string msg, std::string suggestion,
            core::Severity severity) override;
  void emit(core::CheckId check, promql::PosRange range, std::string msg, std::string suggestion);
  void foreign_metric(const promql::VectorSelector& vs, const std::string& name, promql::PosRange at,
                      std::string) override;
  void unrecorded(const promql::VectorSelector&, const std::string& name, promql::PosRange at, bool sure,
                  std::string suggestion) override;
  void app_selector(const promql::VectorSelector& vs) override;
  void exporter_rename(const promql::VectorSelector&, const std::string& name, promql::PosRange at) override;
  void exporter_selector(const promql::VectorSelector& vs, const std::string& name, promql::PosRange at) override;
  bool absent_alerted(promql::PosRange filter) const override;
  static std::string job_of(const promql::VectorSelector& vs);
  void alert_selectors(const promql::Expr& root);
  void name_case(const promql::Expr& root);
  void unexpanded_placeholder(const promql::Matcher& m);
  void cost(const promql::Expr& root);
  void alert(const Shape& shape);
  void replaced_name(const Shape& shape);
  std::vector<std::string> high_cardinality(const Shape& shape);
  void recording_name();

  // rule_one_hot.cpp and rule_outcome.cpp: alerts on a one-hot state's series, on an outcome's rate,
  // on an attempt's time, on few failures.
  void one_hot_alert(const promql::Expr& root);
  bool one_in_cluster_alert(const promql::BinaryExpr& b, const promql::Expr* side, promql::BinaryOp op, double v);
  void outcome_alert(const promql::Expr& e);
  void attempt_as_success(const promql::Expr& root);
  void few_failures_alert(const promql::Expr& root);

  // rule_units.cpp: the threshold against the amounts the annotations state.
  void threshold_unit();

  // rule_condition.cpp: what makes the alert's expression a condition.
  bool constant_alert(const promql::Expr& root);
  std::pair<const promql::BinaryExpr*, const promql::Expr*> numbers_compared_in_or(const promql::Expr& root) const;
  bool or_constant_alert(const promql::Expr& root);
  bool bool_alert(const promql::Expr& root);
  void own_state_alert(const promql::Expr& root);
  void for_outlasts_condition(const promql::Expr& root);
  void unfiltered(const promql::Expr* top);

  // How far the existence of an expression's series is a condition: proven (a comparison, absent(),
  // ALERTS, a series recorded only by rules that filter (r: x == 0), an info series picked by a
  // state label, a state label matched with != or !~), maybe (a
  // state label matched with = or =~ on a series that may exist for every state), or none (the
  // series exist whatever the state: a value is what the alert is about). Through what passes
  // series on as they are (label_replace, sort, last/max/min/present_over_time, count, group, max,
  // min, sum); `or` is as weak as its weaker side, `and` and `unless` as strong as their stronger.
  enum class Condition { none, maybe, proven };
  struct Found {
    const promql::VectorSelector* state = nullptr;       ///< the selector of a maybe
    const promql::VectorSelector* zero_or_one = nullptr; ///< a kube-state-metrics state series passed on
  };
  Condition condition(const promql::Expr* root, Found& found) const;
  bool compared(const promql::Expr& e) const;
  static bool picks_state(const promql::Matcher& m);
  static bool info_name(std::string_view name);
  static bool matchers_are_condition(const promql::VectorSelector& vs);

  // rule_templates.cpp: the labels' and annotations' templates.
  void misspelt_annotation();
  std::string joined_from(const std::string& label) const;
  std::string or_side_without(const std::string& label) const;
  void templates(const Shape& shape);
  /// A $labels.x of a template that some of the alerts lack (one side of `or` has no x), and why.
  struct PartlyLost {
    bool is_label = false;
    std::string key, label, why;
    core::Span at;
  };
  void partly_lost(const std::vector<PartlyLost>& refs);
  const rules::KeyValue* own_label(const std::string& name) const;
  bool derives_own(const std::string& name) const;
  bool vmalert_rule() const;
  bool reads_alert_labels() const;
  /// Why the alert's values lie between 0 and 1 ("" when nothing proves it): units/ratio-printed-as-percent.
  std::string ratio_printed() const;
  /// The `* 100` that makes the alert's values a percentage ("" when none): units/humanize-percentage.
  std::string percent_made() const;
  /// The alert's values as sizes by the names of the series they come from: "bytes", "quotient"
  /// (of two quantities in one unit, as unit_by_name says) or "", with `of` the names and `per`
  /// the bytes, or parts of the quotient, in one unit of the values (`/ 1024 / 1024`: 1048576).
  std::string size_of(double& per, std::string& of) const;
  template <class At>
  void type_fault(const rules::KeyValue& kv, const gotemplate::TemplateInfo& info, std::string_view what, At at);
  promql::ParseResult parse_query(const gotemplate::TemplateQuery& q) const;
  bool vmalert_query(const gotemplate::TemplateQuery& q) const;
  void template_queries(const rules::KeyValue& kv, bool is_label);
  static bool verb_names_labels(const promql::Expr& root);
  static const promql::Matcher* action_matcher(const promql::Expr& root);
  static std::string typo_of(const std::string& x, const LabelSet& names, bool singular_only = false);
  std::string near_label(const std::string& x, const Shape& shape) const;
  /// Whether `x` is a metric the expression reads and nothing in it names a label `x` (a matcher,
  /// a grouping, a match's labels, a function's string): no series then carries such a label.
  bool metric_not_label(const std::string& x) const;
  std::string external_names() const;

  const ParsedRule& pr_;
  const rules::Rule& r_;
  const Options& opt_;
  const rules::Config* cfg_;
  const std::vector<DefinedAlert>& alerts_;
  const std::vector<std::string>& high_cardinality_; ///< high_cardinality_labels() of the catalog
  std::vector<core::Diagnostic>& out_;
  ForeignMetrics& foreign_;
  const CostModel& model_;
  std::vector<promql::ParseResult> queries_; ///< of the templates, parsed: template_queries()
  RuleCost& cost_;
};

} // namespace nsmon::lint
