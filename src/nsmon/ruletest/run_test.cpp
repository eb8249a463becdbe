// One test of a prepared file: the evaluation loop of promtool's testGroup.test and its two
// comparisons, with failures as a diff of expected and got.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <iterator>
#include <numeric>
#include <optional>
#include <set>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/report/report.hpp"
#include "nsmon/ruletest/panels.hpp"
#include "nsmon/ruletest/runner.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::ruletest {

namespace {

std::string labels_text(const Labels& ls) {
  std::string out = "{";
  for (const auto& [k, v] : ls) {
    if (out.size() > 1) out += ", ";
    out += k + "=\"" + v + "\"";
  }
  return out + "}";
}

bool subset(const Labels& small, const Labels& big) {
  return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

Labels to_labels(const std::vector<KeyValue>& kvs) {
  Labels out;
  for (const auto& kv : kvs) out.emplace_back(kv.key.value, kv.value.value);
  std::sort(out.begin(), out.end());
  return out;
}

// promtool's comparison of two floats: equal, or (fuzzy_compare) one step apart. NaN never
// equals anything, as in Go.
bool same_value(double exp, double got, bool fuzzy) {
  if (exp == got) return true;
  return fuzzy && (std::nextafter(exp, -INFINITY) == got || std::nextafter(exp, INFINITY) == got);
}

struct Diff {
  bool same = true;
  bool paired = false; ///< some lines are a pair's fields ("~")
  std::string text;
  std::string legend() const {
    return paired ? " (- expected only, + got only, ~ the fields a pair shares)\n" : " (- expected only, + got only)\n";
  }
};

/// An item's fields, to pair an expected item with the got one most like it: each `name="value"` or `annotations.name:
/// text`, sorted.
using Fields = std::vector<std::string>;

// The fields in only one of `e` and `g`, as "-" and "+" lines under a "~" line of the shared ones.
std::string field_diff(const Fields& e, const Fields& g) {
  Fields shared, only_e, only_g;
  std::set_intersection(e.begin(), e.end(), g.begin(), g.end(), std::back_inserter(shared));
  std::set_difference(e.begin(), e.end(), g.begin(), g.end(), std::back_inserter(only_e));
  std::set_difference(g.begin(), g.end(), e.begin(), e.end(), std::back_inserter(only_g));
  std::string out = "    ~ {";
  for (std::size_t i = 0; i < shared.size(); ++i) out += (i ? ", " : "") + shared[i];
  out += "}\n";
  for (const auto& f : only_e) out += "    -   " + f + "\n";
  for (const auto& f : only_g) out += "    +   " + f + "\n";
  return out;
}

std::size_t shared_count(const Fields& a, const Fields& b) {
  std::size_t n = 0;
  for (auto i = a.begin(), j = b.begin(); i != a.end() && j != b.end();) {
    if (*i < *j) ++i;
    else if (*j < *i) ++j;
    else ++n, ++i, ++j;
  }
  return n;
}

/// Expected and got as one list of lines: " " both, "-" expected only, "+" got only. `match`
/// says whether an expected item is satisfied by a got item; each got item serves one expected.
/// An expected item left over is paired with the got item left over that shares most of its
/// `fields`, and then only the fields that differ are shown ("~" the shared ones): one changed
/// annotation is one line, not two whole alerts. A pair needs half of the expected item's fields
/// in common (any one with `always_pair`, --diff), so that unrelated items stay whole.
template <class T, class Match, class Show, class GetFields>
Diff diff(const std::vector<T>& exp, const std::vector<T>& got, Match match, Show show, GetFields fields,
          bool always_pair) {
  std::vector<bool> used(got.size(), false);
  std::vector<std::size_t> missing;
  Diff d;
  std::string& out = d.text;
  for (std::size_t i = 0; i < exp.size(); ++i) {
    std::size_t k = 0;
    while (k < got.size() && (used[k] || !match(exp[i], got[k]))) ++k;
    if (k < got.size()) {
      used[k] = true;
      out += "      " + show(got[k]) + "\n";
    } else {
      missing.push_back(i);
      d.same = false;
    }
  }
  for (std::size_t i : missing) {
    const Fields fe = fields(exp[i]);
    std::size_t best = got.size(), best_shared = always_pair ? 0 : (fe.size() - 1) / 2;
    for (std::size_t k = 0; k < got.size(); ++k)
      if (!used[k])
        if (std::size_t n = shared_count(fe, fields(got[k])); n > best_shared) best = k, best_shared = n;
    if (best < got.size()) {
      used[best] = true;
      out += field_diff(fe, fields(got[best]));
      d.paired = true;
    } else {
      out += "    - " + show(exp[i]) + "\n";
    }
  }
  for (std::size_t k = 0; k < got.size(); ++k)
    if (!used[k]) {
      out += "    + " + show(got[k]) + "\n";
      d.same = false;
    }
  return d;
}

struct AlertView {
  Labels labels;
  Labels annotations;
  bool operator<(const AlertView& o) const {
    return labels != o.labels ? labels < o.labels : annotations < o.annotations;
  }
};

std::string show_alert(const AlertView& a) {
  std::string s = labels_text(a.labels);
  for (const auto& [k, v] : a.annotations) s += "\n          " + k + ": " + v;
  return s;
}

struct SampleView {
  Labels labels;
  double value = 0;
  std::string histogram; ///< TestExpression() of a native histogram sample, as promtool compares
};

std::string show_sample(const SampleView& s) {
  return labels_text(s.labels) + " " + (s.histogram.empty() ? engine::format_value(s.value) : s.histogram);
}

Fields label_fields(const Labels& ls) {
  Fields out;
  for (const auto& [k, v] : ls) out.push_back(k + "=\"" + v + "\"");
  return out;
}

Fields alert_fields(const AlertView& a) {
  Fields out = label_fields(a.labels);
  for (const auto& [k, v] : a.annotations) out.push_back("annotations." + k + ": " + v);
  std::sort(out.begin(), out.end());
  return out;
}

Fields sample_fields(const SampleView& s) {
  Fields out = label_fields(s.labels);
  out.push_back(s.histogram.empty() ? "value " + engine::format_value(s.value) : "histogram " + s.histogram);
  std::sort(out.begin(), out.end());
  return out;
}

/// One series of a panel: its legend, the value it shows (none: a line without a point at
/// eval_time), the colour of that value, and its values at the times a test asks for.
struct PanelSeriesView {
  std::string legend;
  std::optional<double> value;
  std::string color;
  std::vector<std::pair<std::int64_t, std::optional<double>>> points; ///< (time since the start, value)
};

std::string show_point(const std::optional<double>& v) { return v ? engine::format_value(*v) : "none"; }

Fields panel_series_fields(const PanelSeriesView& s) {
  Fields out = {"legend: " + text::go::quote(s.legend)};
  if (s.value) out.push_back("value: " + engine::format_value(*s.value));
  if (!s.color.empty()) out.push_back("color: " + s.color);
  for (const auto& [t, v] : s.points) out.push_back("at " + text::format_duration(t) + ": " + show_point(v));
  return out;
}

std::string show_panel_series(const PanelSeriesView& s) { return util::join(panel_series_fields(s), ", "); }

// A person reads a panel's value, not its last bits: 0.804 / 0.8 - 1 shows as 0.005 (it is
// 0.004999999999999893), so values match to 12 significant digits; a panel shows NaN as NaN, which
// an expected .nan matches.
bool same_shown(double e, double g, bool fuzzy) {
  return same_value(e, g, fuzzy) || (std::isnan(e) && std::isnan(g)) ||
         std::fabs(e - g) <= 1e-12 * std::max(std::fabs(e), std::fabs(g));
}

// --debug: what the test's expectations were checked against, as promtool's dump of all data:
// every series of the test's storage (input_series and what the rules wrote) on one time grid in
// the series notation, so that a line can be pasted back as input_series, then the alerts pending
// or firing at the end.
std::string dump_state(const engine::Storage& storage, const GroupEvaluator& ev, std::int64_t start, std::int64_t end) {
  std::int64_t grid = 0;
  for (const auto& [ls, s] : storage.all())
    for (const auto& p : s.points) grid = std::gcd(grid, p.t - start);
  if (grid <= 0) grid = 60'000;
  const std::int64_t slots = (end - start) / grid + 1;
  std::string out = "state at " + text::format_duration(end - start) +
                    ": the series (input_series and what the "
                    "rules wrote), one value per " +
                    text::format_duration(grid) + " from " + text::format_duration(0) + "\n";
  for (const auto& [ls, s] : storage.all()) {
    if (s.points.empty()) continue;
    out += "  " + engine::format_series(ls) + "  ";
    if (slots > 100'000) { // an odd sample time makes the grid too fine: times and values instead
      for (const auto& p : s.points) out += text::format_duration(p.t - start) + "=" + engine::format_value(p.v) + " ";
      out.back() = '\n';
      continue;
    }
    std::vector<std::optional<double>> values(static_cast<std::size_t>((s.points.back().t - start) / grid + 1));
    for (const auto& p : s.points) values[static_cast<std::size_t>((p.t - start) / grid)] = p.v;
    out += engine::format_values(values) + "\n";
  }
  const auto alerts = ev.alerts();
  out += alerts.empty() ? "  no alert pending or firing\n" : "alerts pending or firing:\n";
  for (const auto& a : alerts)
    out += "  " + labels_text(a.labels) + " " + to_string(a.state) + " since " +
           text::format_duration(a.active_at - start) + ", value " + engine::format_value(a.value) + "\n";
  return out;
}

// The alerts of a failed alert test that are active but still within their `for:`: why the
// expected firing alert is missing ("" when none is).
std::string pending_alerts(const std::vector<const Alert*>& pending, const std::vector<EvalGroup>& groups,
                           std::int64_t start) {
  std::string out;
  for (const Alert* a : pending) {
    std::int64_t for_ms = 0;
    for (const auto& g : groups)
      if (g.name == a->group)
        for (const auto& r : g.rules)
          if (r.rule->is_alert() && r.rule->name.value == a->rule && r.rule->for_) for_ms = r.rule->for_->ms;
    out += "\n    " + show_alert({a->labels, {}}) + " is pending: active since " +
           text::format_duration(a->active_at - start) + ", for: " + text::format_duration(for_ms) +
           ", so firing from " + text::format_duration(a->active_at - start + for_ms) + " if it stays active";
  }
  return out.empty() ? out : "  still pending (active, within for:):" + out;
}

} // namespace

TestResult run_test(const PreparedFile& pf, std::size_t index, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  const TestGroup& tg = pf.file.tests[index];
  const PreparedFile::Test& pt = pf.tests[index];
  TestResult res;
  res.file = &pf;
  res.test = index;
  if (options.select && !options.select(tg.name)) {
    res.skipped = true;
    return res;
  }
  auto fail = [&](const core::Span& at, std::string msg) {
    core::Diagnostic d = core::make_diagnostic("ruletest/failed", at, "test '" + tg.display_name() + "': " + msg);
    d.group = tg.display_name();
    res.failures.push_back(std::move(d));
  };

  // Prometheus 3.x: a test without interval uses evaluation_interval (2.x: 1m).
  const std::int64_t interval = tg.interval_ms.value_or(pf.file.evaluation_interval_ms);
  const std::int64_t step = pf.file.evaluation_interval_ms;
  const std::int64_t start = tg.start_ms.value_or(0);
  std::int64_t max_eval = 0;
  for (const auto& a : tg.alert_tests) max_eval = std::max(max_eval, a.eval_time_ms);
  for (const auto& x : tg.expr_tests) max_eval = std::max(max_eval, x.eval_time_ms);
  for (const auto& a : tg.nsmon.alertmanager_tests) max_eval = std::max(max_eval, a.eval_time_ms);
  for (const auto& p : tg.panel_tests) max_eval = std::max(max_eval, p.eval_time_ms);

  engine::Storage storage;
  EvalSettings settings;
  settings.external_labels = to_labels(tg.external_labels);
  settings.external_url = tg.external_url;
  settings.query.default_step_ms = step;
  settings.query.max_samples = options.max_samples;
  settings.query.closed_windows = options.prometheus_version == 2;
  // The rules are evaluated at every step: a long subquery's steps are shared between them.
  settings.query.reuse_subqueries = true;
  settings.expand = options.expand;
  GroupEvaluator ev(pf.groups, storage, settings);

  // The alert tests by eval_time, checked at the evaluation step that covers it.
  std::vector<const AlertTest*> alert_tests;
  for (const auto& a : tg.alert_tests) alert_tests.push_back(&a);
  std::stable_sort(alert_tests.begin(), alert_tests.end(),
                   [](const AlertTest* a, const AlertTest* b) { return a->eval_time_ms < b->eval_time_ms; });
  std::size_t next_alert = 0;
  // The whole alert path: alertmanager_tests checked, or with none, what Alertmanager does at each
  // alert_rule_test's eval_time shown.
  std::vector<std::int64_t> path_times;
  if (pt.alertmanager) {
    for (const auto& a : tg.nsmon.alertmanager_tests) path_times.push_back(a.eval_time_ms);
    if (tg.nsmon.alertmanager_tests.empty())
      for (const auto& a : tg.alert_tests) path_times.push_back(a.eval_time_ms);
    std::sort(path_times.begin(), path_times.end());
    path_times.erase(std::unique(path_times.begin(), path_times.end()), path_times.end());
  }
  std::size_t next_path = 0;
  std::vector<std::size_t> cursor(pt.series.size(), 0);
  bool aborted = false;

  for (std::int64_t ts = start; ts <= start + max_eval; ts += step) {
    // Input samples up to ts (promtool's lazy loader): what a rule writes at ts may then not
    // clash with an input sample of a later time.
    for (std::size_t s = 0; s < pt.series.size(); ++s) {
      const auto& vals = pt.series[s].values;
      std::size_t& i = cursor[s];
      const auto& hists = pt.series[s].histograms;
      for (; i < vals.size() && start + static_cast<std::int64_t>(i) * interval <= ts; ++i) {
        const std::int64_t t = start + static_cast<std::int64_t>(i) * interval;
        if (i < hists.size() && hists[i].h) storage.add(pt.series[s].labels, t, hists[i].h);
        else if (vals[i]) storage.add(pt.series[s].labels, t, *vals[i]);
      }
    }
    auto errors = ev.eval_at(ts);
    if (!errors.empty()) {
      for (const auto& e : errors)
        fail(tg.span, "rule: " + e.rule + ", time: " + text::format_duration(ts - start) + ", err: " + e.message);
      aborted = true; // promtool stops the test at the first evaluation with errors
      break;
    }
    for (; next_alert < alert_tests.size() && alert_tests[next_alert]->eval_time_ms < ts - start + step; ++next_alert) {
      const AlertTest& at = *alert_tests[next_alert];
      std::vector<AlertView> got, exp;
      std::vector<const Alert*> pending;
      const std::vector<Alert> active = ev.alerts(at.alertname.value);
      for (const auto& a : active)
        if (a.state == AlertState::firing) got.push_back({a.labels, a.annotations});
        else if (a.state == AlertState::pending) pending.push_back(&a);
      for (const auto& e : at.exp_alerts) {
        Labels ls = to_labels(e.labels);
        std::erase_if(ls, [](const auto& l) { return l.first == "alertname"; });
        ls.emplace_back("alertname", at.alertname.value);
        std::sort(ls.begin(), ls.end());
        exp.push_back({std::move(ls), to_labels(e.annotations)});
      }
      std::sort(got.begin(), got.end());
      std::sort(exp.begin(), exp.end());
      // Exact (promtool) or, with `nsmon: {partial: true}`, expected labels and annotations as
      // subsets of an alert's.
      const bool partial = tg.nsmon.partial;
      Diff d = diff(
          exp, got,
          [partial](const AlertView& e, const AlertView& g) {
            return partial ? subset(e.labels, g.labels) && subset(e.annotations, g.annotations)
                           : e.labels == g.labels && e.annotations == g.annotations;
          },
          show_alert, alert_fields, options.diff);
      if (!d.same)
        fail(at.span, "alertname: " + at.alertname.value + ", time: " + text::format_duration(at.eval_time_ms) +
                          ": expected " + report::plural(exp.size(), "firing alert", "firing alerts") + ", got " +
                          std::to_string(got.size()) + d.legend() + d.text + pending_alerts(pending, pf.groups, start));
    }
    for (; next_path < path_times.size() && path_times[next_path] < ts - start + step; ++next_path) {
      AlertPathView view;
      view.eval_time_ms = path_times[next_path];
      view.alerts = sent_alerts(ev, pf.groups, settings.external_labels, settings.external_url, ts);
      view.outcome = alertmanager::dispatch(pt.alertmanager->cfg, pt.alertmanager->templates, view.alerts,
                                            start + view.eval_time_ms);
      if (tg.nsmon.alertmanager_tests.empty()) {
        res.alert_paths.push_back(std::move(view));
        continue;
      }
      for (const auto& at : tg.nsmon.alertmanager_tests) {
        if (at.eval_time_ms != view.eval_time_ms) continue;
        auto problems = check_alertmanager_test(at, tg.nsmon.partial, *pt.alertmanager, view);
        if (!problems.empty())
          fail(at.span, "alertmanager " + pt.alertmanager_path + ", time: " + text::format_duration(at.eval_time_ms) +
                            ":\n  " + util::join(problems, "\n  "));
      }
    }
  }

  // The PromQL expressions, on what was loaded and written up to the last evaluation.
  if (!aborted) {
    for (std::size_t k = 0; k < tg.expr_tests.size(); ++k) {
      const ExprTest& x = tg.expr_tests[k];
      // Quoted as promtool quotes it (Go's %q): the expression's own quotes escaped.
      const std::string where =
          "expr: " + text::go::quote(x.expr.value) + ", time: " + text::format_duration(x.eval_time_ms);
      engine::Options q;
      q.default_step_ms = step;
      q.max_samples = options.max_samples;
      q.closed_windows = options.prometheus_version == 2;
      engine::Result r = engine::instant(*pt.exprs[k]->expr(), storage, start + x.eval_time_ms, q);
      std::vector<SampleView> got, exp;
      if (r.error) {
        fail(x.span, where + ", err: " + *r.error);
        continue;
      }
      if (r.value.type == promql::ValueType::vector)
        for (auto& s : r.value.vector)
          got.push_back({std::move(s.labels), s.h ? 0.0 : s.v, s.h ? engine::test_expression(*s.h) : ""});
      else if (r.value.type == promql::ValueType::scalar) got.push_back({{}, r.value.scalar});
      else {
        fail(x.span, where + ", err: rule result is not a vector or scalar");
        continue;
      }
      for (std::size_t i = 0; i < x.exp_samples.size(); ++i)
        exp.push_back({pt.exp_labels[k][i], x.exp_samples[i].value, pt.exp_histograms[k][i]});
      auto by_labels = [](const SampleView& a, const SampleView& b) { return a.labels < b.labels; };
      std::stable_sort(got.begin(), got.end(), by_labels);
      std::stable_sort(exp.begin(), exp.end(), by_labels);
      const bool fuzzy = pf.file.fuzzy_compare, partial = tg.nsmon.partial;
      Diff d = diff(
          exp, got,
          [fuzzy, partial](const SampleView& e, const SampleView& g) {
            return (partial ? subset(e.labels, g.labels) : e.labels == g.labels) && e.histogram == g.histogram &&
                   same_value(e.value, g.value, fuzzy);
          },
          show_sample, sample_fields, options.diff);
      if (!d.same)
        fail(x.span, where + ": expected " + report::plural(exp.size(), "sample", "samples") + ", got " +
                         std::to_string(got.size()) + d.legend() + d.text);
    }
  }
  // The panels: each query of the panel evaluated at eval_time (a stat's instant query, and a
  // graph's last point), its series named as Grafana names them.
  if (!aborted) {
    for (std::size_t k = 0; k < tg.panel_tests.size(); ++k) {
      const PanelTest& x = tg.panel_tests[k];
      const PreparedFile::PanelRun& run = pt.panels[k];
      if (!run.dashboard) continue; // invalid: prepare() reported it
      std::string where = "dashboard '" + run.dashboard->title.value + "', " + run.what + " (" + run.at.file.str() +
                          ":" + std::to_string(run.at.line) + "), time: " + text::format_duration(x.eval_time_ms);
      for (const auto& q : run.queries) where += "\n  query: " + q.text;
      engine::Options opts;
      opts.default_step_ms = step;
      opts.max_samples = options.max_samples;
      opts.closed_windows = options.prometheus_version == 2;
      const dashboards::Panel* panel = run.panel;
      // A stat, gauge or bargauge reduces a range query's values to one (its reducer); a graph
      // shows each series' point at eval_time. Grafana aligns a range query's start and end down
      // to a multiple of its step (the backend's AlignTimeRange).
      const bool reduces =
          panel && (panel->type.value == "stat" || panel->type.value == "gauge" || panel->type.value == "bargauge");
      const std::int64_t istep = run.interval_ms;
      const std::int64_t at = start + x.eval_time_ms;
      const std::int64_t range_end = at - ((at % istep) + istep) % istep;
      std::int64_t range_start = at - run.range_ms;
      range_start -= ((range_start % istep) + istep) % istep;
      std::set<std::int64_t> asked; // the times of the expected points, since the start
      for (const auto& e : x.exp_series)
        for (const auto& pnt : e.points) asked.insert(pnt.at_ms);
      std::vector<PanelSeriesView> got, exp;
      std::string error;
      for (const auto& q : run.queries) {
        if (q.instant) {
          engine::Result r = engine::instant(*q.parsed->expr(), storage, at, opts);
          if (r.value.type == promql::ValueType::vector && q.buckets) as_buckets(r.value.vector);
          if (r.error) error = *r.error;
          else if (r.value.type == promql::ValueType::vector)
            for (const auto& smp : r.value.vector) got.push_back({render_legend(q.legend, smp.labels, q.text), smp.v});
          else if (r.value.type == promql::ValueType::scalar)
            got.push_back({render_legend(q.legend, {}, q.text), r.value.scalar});
          else error = "the query's result is not a vector or scalar";
          if (!asked.empty() && error.empty())
            error = "the query is instant: the panel shows one value, at eval_time, not one at " +
                    text::format_duration(*asked.begin());
        } else {
          engine::Result r = engine::range(*q.parsed->expr(), storage, range_start, range_end, istep, opts);
          if (r.value.type == promql::ValueType::matrix && q.buckets) as_buckets(r.value.matrix);
          if (r.error) error = *r.error;
          else if (r.value.type != promql::ValueType::matrix) error = "the query's result is not a matrix";
          for (const auto& series : r.value.matrix) {
            // The value at each step of the range; a step the series has no point at is a null.
            std::vector<std::optional<double>> values((range_end - range_start) / istep + 1);
            for (const auto& pnt : series.points) values[(pnt.t - range_start) / istep] = pnt.v;
            PanelSeriesView view{render_legend(q.legend, series.labels, q.text), std::nullopt, {}, {}};
            view.value = reduces ? std::optional<double>(reduce(panel->reduce, values)) : values.back();
            for (const auto& t : asked) {
              const std::int64_t when = start + t;
              if (when < range_start || when > range_end || (when - range_start) % istep != 0) {
                error = "at " + text::format_duration(t) + " is not a step of the panel's range query (every " +
                        text::format_duration(istep) + " from " + text::format_duration(range_start - start) + " to " +
                        text::format_duration(range_end - start) + ")";
                break;
              }
              view.points.emplace_back(t, values[(when - range_start) / istep]);
            }
            got.push_back(std::move(view));
          }
        }
        if (!error.empty()) break;
      }
      if (!error.empty()) {
        fail(x.span, where + "\n  err: " + error);
        continue;
      }
      // What the test asks besides legends and values: the unit, and each series' colour.
      bool colors = false;
      for (const auto& e : x.exp_series) colors = colors || !e.color.value.empty();
      if ((colors || !x.unit.value.empty()) && !panel) {
        fail(x.span, where + "\n  err: an annotation has no unit nor colours");
        continue;
      }
      if (!x.unit.value.empty()) {
        const std::string unit = !panel->grafana_unit.empty() ? panel->grafana_unit : panel->unit.value;
        if (unit != x.unit.value)
          fail(x.unit.span,
               where + "\n  the panel's unit is " + (unit.empty() ? "none" : unit) + ", not " + x.unit.value);
      }
      for (auto& g : got)
        if (colors && g.value) g.color = threshold_color(*panel, *g.value);
      for (const auto& e : x.exp_series) {
        PanelSeriesView view{e.legend.value, e.value, e.color.value, {}};
        for (const auto& pnt : e.points) view.points.emplace_back(pnt.at_ms, pnt.value);
        exp.push_back(std::move(view));
      }
      auto by_legend = [](const PanelSeriesView& a, const PanelSeriesView& b) { return a.legend < b.legend; };
      std::stable_sort(got.begin(), got.end(), by_legend);
      std::stable_sort(exp.begin(), exp.end(), by_legend);
      const bool fuzzy = pf.file.fuzzy_compare;
      Diff d = diff(
          exp, got,
          [fuzzy](const PanelSeriesView& e, const PanelSeriesView& g) {
            if (e.legend != g.legend || (e.value && !(g.value && same_shown(*e.value, *g.value, fuzzy))) ||
                (!e.color.empty() && e.color != g.color))
              return false;
            for (const auto& [t, v] : e.points) {
              auto it = std::find_if(g.points.begin(), g.points.end(), [t = t](const auto& p) { return p.first == t; });
              if (it == g.points.end() || !it->second || !same_shown(*v, *it->second, fuzzy)) return false;
            }
            return true;
          },
          show_panel_series, panel_series_fields, options.diff);
      if (!d.same)
        fail(x.span, where + "\n  expected " + report::plural(exp.size(), "series", "series") + ", got " +
                         std::to_string(got.size()) + d.legend() + d.text);
    }
  }
  if (options.debug) res.state = dump_state(storage, ev, start, start + max_eval);
  res.produced = ev.produced();
  res.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return res;
}

} // namespace nsmon::ruletest
