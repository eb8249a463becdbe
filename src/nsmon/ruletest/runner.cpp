#include "nsmon/ruletest/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/ruletest/loader.hpp"
#include "nsmon/ruletest/panels.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::ruletest {

namespace {

// promtool's filepath.Glob over each pattern, relative to the test file's directory.
std::vector<std::string> glob_rule_files(const TestFile& f, std::vector<core::Diagnostic>& diags) {
  std::vector<std::string> out;
  const std::filesystem::path dir = std::filesystem::path(f.path).parent_path();
  for (const auto& pattern : f.rule_files) {
    std::string p = pattern.value;
    if (!p.empty() && p[0] != '/') p = (dir / p).lexically_normal().string();
    auto matched = util::glob(p);
    out.insert(out.end(), matched.begin(), matched.end());
    if (matched.empty()) {
      // promtool warns and goes on; a test file whose rules are missing would then fail its
      // alert tests for the wrong reason, so nsmon says so where the pattern is.
      auto d = core::make_diagnostic("ruletest/invalid", pattern.span, "no file matches the pattern " + p);
      d.severity = core::Severity::warning;
      diags.push_back(std::move(d));
    }
  }
  return out;
}

std::string series_error(const engine::NotationError& e) { return e.message; }

// The test's alertmanager.yml (nsmon.alertmanager relative to the test file, else --alertmanager)
// and what its alertmanager_tests need before anything runs: a file to run through, and `matches:`
// patterns that compile.
void alertmanager_expectations(const TestFile& f, const TestGroup& t, const RunOptions& options, PreparedFile::Test& pt,
                               std::vector<core::Diagnostic>& diags) {
  if (t.nsmon.alertmanager && !t.nsmon.alertmanager->value.empty()) {
    std::filesystem::path p = t.nsmon.alertmanager->value;
    if (p.is_relative()) p = std::filesystem::path(f.path).parent_path() / p;
    pt.alertmanager_path = p.lexically_normal().string();
  } else {
    pt.alertmanager_path = options.alertmanager;
  }
  if (!t.nsmon.alertmanager_tests.empty() && pt.alertmanager_path.empty())
    diags.push_back(core::make_diagnostic("ruletest/invalid", t.nsmon.alertmanager_tests.front().span,
                                          "alertmanager_tests need an alertmanager.yml: give nsmon: {alertmanager: "
                                          "FILE} or test-rules --alertmanager FILE"));
  for (const auto& at : t.nsmon.alertmanager_tests)
    for (const auto& n : at.notifications.value_or(std::vector<ExpNotification>{}))
      for (const auto& in : n.integrations)
        for (const auto& [name, exp] : in.fields)
          if (exp.kind == ExpText::Kind::matches) {
            if (auto e = labels::regex_error(exp.text.value, labels::Dialect::prometheus))
              diags.push_back(core::make_diagnostic("ruletest/invalid", exp.text.span,
                                                    "invalid regular expression '" + exp.text.value + "': " + *e));
          }
}

} // namespace

std::unique_ptr<PreparedFile> prepare(const core::SourceFile& src, const RunOptions& options, core::SourceSet& sources,
                                      std::vector<core::Diagnostic>& diags) {
  auto p = std::make_unique<PreparedFile>();
  p->file = load_test_file(src, diags);
  p->rule_paths = glob_rule_files(p->file, diags);
  for (const auto& path : p->rule_paths)
    p->rule_files.push_back(
        load_for_evaluation(path, sources, diags, options.ignore_unknown_fields, {.schema = options.rule_schema}));
  load_dashboards(*p, options, sources, diags);
  p->groups = compile_groups(p->rule_files, p->file.evaluation_interval_ms, options.parse, diags);
  // group_eval_order: the groups it names in its order; the others keep their place, as if named
  // first (promtool's orderedGroups gives them the index 0).
  std::map<std::string, std::size_t> order;
  for (std::size_t i = 0; i < p->file.group_eval_order.size(); ++i) order.emplace(p->file.group_eval_order[i].value, i);
  std::stable_sort(p->groups.begin(), p->groups.end(), [&](const EvalGroup& a, const EvalGroup& b) {
    auto ia = order.find(a.name), ib = order.find(b.name);
    return (ia == order.end() ? 0 : ia->second) < (ib == order.end() ? 0 : ib->second);
  });

  // An alert_rule_test of a name no alerting rule has sees no alert, whatever the data: with
  // exp_alerts empty it passes, in promtool too, and tests nothing (a typo, a renamed rule).
  std::vector<std::string> alert_names;
  for (const auto& g : p->groups)
    for (const auto& r : g.rules)
      if (r.rule->is_alert()) alert_names.push_back(r.rule->name.value);
  for (const auto& t : p->file.tests)
    for (const auto& a : t.alert_tests)
      if (!p->rule_paths.empty() &&
          std::find(alert_names.begin(), alert_names.end(), a.alertname.value) == alert_names.end()) {
        const std::string hint = util::did_you_mean(a.alertname.value, alert_names);
        diags.push_back(core::make_diagnostic(
            "ruletest/unknown-alert", a.alertname.span,
            "no alerting rule of the test's rule files is named " + a.alertname.value + ": no alert of it can fire" +
                (a.exp_alerts.empty() ? ", so the test passes without testing anything" : ""),
            hint.empty() ? "alert_rule_test's alertname is an alerting rule's name" : "did you mean " + hint + "?"));
      }

  for (const auto& t : p->file.tests) {
    PreparedFile::Test pt;
    std::map<Labels, std::size_t> seen;
    // The samples the test can load: up to its last eval_time (run_test's lazy loading).
    const std::int64_t interval = std::max<std::int64_t>(1, t.interval_ms.value_or(p->file.evaluation_interval_ms));
    std::int64_t max_eval = 0;
    for (const auto& a : t.alert_tests) max_eval = std::max(max_eval, a.eval_time_ms);
    for (const auto& x : t.expr_tests) max_eval = std::max(max_eval, x.eval_time_ms);
    for (const auto& x : t.panel_tests) max_eval = std::max(max_eval, x.eval_time_ms);
    const auto keep = static_cast<std::size_t>(std::max<std::int64_t>(0, max_eval) / interval + 2);
    for (const auto& s : t.input_series) {
      auto sr = engine::parse_series(s.series.value);
      if (sr.error) {
        diags.push_back(core::make_diagnostic("ruletest/invalid", s.series.at(sr.error->offset, sr.error->offset + 1),
                                              "invalid series '" + s.series.value + "': " + series_error(*sr.error)));
        continue;
      }
      auto vr = engine::parse_values(s.values.value, engine::kMaxSeriesValues, keep);
      if (vr.error) {
        diags.push_back(core::make_diagnostic("ruletest/invalid", s.values.at(vr.error->offset, vr.error->offset + 1),
                                              "invalid values '" + s.values.value + "': " + vr.error->message));
        continue;
      }
      // The same series twice: the later one replaces the earlier (promtool's load command).
      if (auto it = seen.find(sr.labels); it != seen.end()) {
        pt.series[it->second].values = std::move(vr.values);
        pt.series[it->second].histograms = std::move(vr.histograms);
      } else {
        seen.emplace(sr.labels, pt.series.size());
        pt.series.push_back({std::move(sr.labels), std::move(vr.values), std::move(vr.histograms)});
      }
    }
    for (const auto& x : t.expr_tests) {
      auto parsed = std::make_shared<promql::ParseResult>(promql::parse(x.expr.value, options.parse));
      for (const auto& e : parsed->errors())
        diags.push_back(core::make_diagnostic("promql/syntax", x.expr.at(e.range.start, e.range.end), e.message));
      pt.exprs.push_back(std::move(parsed));
      std::vector<Labels> labels;
      std::vector<std::string> histograms;
      for (const auto& s : x.exp_samples) {
        // promtool reads `histogram:` as the values of a series ("{} " + it): one histogram.
        histograms.emplace_back();
        if (!s.histogram.value.empty()) {
          auto hr = engine::parse_values(s.histogram.value);
          std::string why;
          if (hr.error) why = hr.error->message;
          else if (hr.values.size() != 1) why = "expected 1 value, got " + std::to_string(hr.values.size());
          else if (hr.histograms.empty() || !hr.histograms[0].h) why = "expected histogram";
          if (!why.empty()) {
            std::size_t at = hr.error ? hr.error->offset : 0;
            diags.push_back(core::make_diagnostic("ruletest/invalid", s.histogram.at(at, at + 1),
                                                  "invalid histogram '" + s.histogram.value + "': " + why));
          } else {
            histograms.back() = engine::test_expression(*hr.histograms[0].h);
          }
        }
        std::string_view text = s.labels.value;
        if (text.find_first_not_of(" \t\n") == std::string_view::npos) {
          labels.emplace_back();
          continue;
        }
        auto sr = engine::parse_series(text);
        if (sr.error)
          diags.push_back(core::make_diagnostic("ruletest/invalid", s.labels.at(sr.error->offset, sr.error->offset + 1),
                                                "invalid labels '" + s.labels.value + "': " + sr.error->message));
        labels.push_back(std::move(sr.labels));
      }
      pt.exp_labels.push_back(std::move(labels));
      pt.exp_histograms.push_back(std::move(histograms));
    }
    for (const auto& x : t.panel_tests) pt.panels.push_back(prepare_panel_test(*p, x, interval, options, diags));
    alertmanager_expectations(p->file, t, options, pt, diags);
    p->tests.push_back(std::move(pt));
  }
  return p;
}

} // namespace nsmon::ruletest
