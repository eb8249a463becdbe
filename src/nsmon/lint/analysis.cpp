#include "nsmon/lint/analysis.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <thread>

#include "nsmon/gotemplate/check.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

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
  };
  std::vector<Use> uses;
  std::set<std::string> app_jobs;
  std::vector<Use> unrecorded;
};

struct ParsedRule {
  const rules::RuleFile* file;
  const rules::Group* group;
  const rules::Rule* rule;
  std::unique_ptr<ParseResult> parsed; ///< recording rules' trees, kept for the checks; alerts: parsed there
  bool ok = true;                      ///< the expression parsed
};

namespace {

// Where a byte range of a rule's expression is in the YAML file.
// The span holds a file offset in `col` (line 0) until Analysis::run turns it into line:col.
core::Span expr_span(const rules::Rule& r, PosRange range) {
  if (r.expr.value.empty()) return r.expr.span;
  std::size_t b = r.expr.file_offset(range.start);
  std::size_t e = r.expr.file_offset(std::max(range.end, range.start + 1) - 1);
  return {r.expr.span.file, 0, static_cast<int>(b), static_cast<int>(e - b + 1)};
}

// vector(1) is the deliberate always-firing alert (Watchdog, DeadMansSwitch): it needs no
// condition, and its receiver is chosen by its name, not by a severity.
bool always_fires(const Expr& root) {
  const Expr* top = unparen(&root);
  return top->kind == NodeKind::call && top->as<Call>().name == "vector";
}

// "a", "a and b", "a, b and c".
std::string and_list(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i == 0 ? "" : i + 1 == items.size() ? " and " : ", ") + items[i];
  return out;
}

} // namespace

// Checks of one rule: the expression checks shared with gen-dashboards, then the rule's own
// (alert, templates, naming); findings are positioned in the expression or on the rule.
class RuleChecks : public ExprChecks {
public:
  RuleChecks(const ParsedRule& pr, const Options& opt, Inference& inf, const rules::Config* cfg,
             const std::vector<std::string>& all_names, const std::vector<std::string_view>& alerts,
             std::vector<core::Diagnostic>& out, ForeignMetrics& foreign, const CostModel& model, RuleCost& cost)
      : ExprChecks(*opt.catalog, inf, cfg, all_names), pr_(pr), r_(*pr.rule), opt_(opt), cfg_(cfg), alerts_(alerts),
        out_(out), foreign_(foreign), model_(model), cost_(cost) {
    in_alert_ = r_.is_alert();
  }

  void run() {
    const Expr* root = pr_.parsed->expr();
    const Shape& shape = inf_.run(*root);
    check(*root);
    alert_selectors(*root);
    cost(*root);
    // A rule with neither alert nor record was reported by the loader; nothing more to say.
    if (r_.name.value.empty()) return;
    if (root->type == ValueType::string || root->type == ValueType::matrix) {
      // promtool and the rule loader check only that the expression parses; the evaluator takes an
      // instant vector or a scalar (made one series without labels) and fails on anything else.
      emit_at("promql/syntax", r_.expr.span,
              std::string("the expression is ") + (root->type == ValueType::string ? "a string" : "a range vector") +
                  ": Prometheus loads the rule, but every evaluation fails with \"rule result is not a vector or "
                  "scalar\", so the rule " +
                  (r_.is_alert() ? "never fires" : "records nothing"),
              root->type == ValueType::matrix ? "apply a function over the range, e.g. max_over_time(...)" : "");
      return;
    }
    if (r_.is_alert()) alert(shape);
    else recording_name();
  }

private:
  void emit_at(core::CheckId check, const core::Span& at, std::string msg, std::string suggestion = {}) {
    core::Diagnostic d = core::make_diagnostic(check, at, std::move(msg), std::move(suggestion));
    d.rule = r_.name.value;
    d.group = pr_.group->name.value;
    out_.push_back(std::move(d));
  }
  void emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion,
            core::Severity severity) override {
    emit_at(check, expr_span(r_, range), std::move(msg), std::move(suggestion));
    out_.back().severity = severity;
  }
  void emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion) {
    emit(check, range, std::move(msg), std::move(suggestion), check.severity());
  }
  // Its suggestion (a far-fetched catalog name: near ones were reported) is not used.
  void foreign_metric(const VectorSelector& vs, const std::string& name, PosRange at, std::string) override {
    foreign_.uses.push_back({name, job_of(vs), r_.name.value, pr_.group->name.value, expr_span(r_, at)});
  }
  void unrecorded(const VectorSelector&, const std::string& name, PosRange at, bool sure,
                  std::string suggestion) override {
    foreign_.unrecorded.push_back(
        {name, {}, r_.name.value, pr_.group->name.value, expr_span(r_, at), sure, std::move(suggestion)});
  }
  void app_selector(const VectorSelector& vs) override {
    if (std::string job = job_of(vs); !job.empty()) foreign_.app_jobs.insert(std::move(job));
  }
  static std::string job_of(const VectorSelector& vs) {
    for (const auto& m : vs.matchers)
      if (m.name == "job" && m.op == MatchOp::equal) return m.value;
    return {};
  }

  // ALERTS{alertname="X"} where no rule of the files defines X selects nothing, ever.
  void alert_selectors(const Expr& root) {
    walk(root, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind != NodeKind::vector_selector) return true;
      const auto& vs = n.as<VectorSelector>();
      for (const auto& m : vs.matchers) dashboard_variable(m);
      const std::string& name = metric_name(vs);
      if (name != "ALERTS" && name != "ALERTS_FOR_STATE") return true;
      for (const auto& m : vs.matchers) {
        if (m.name != "alertname" || (m.op != MatchOp::equal && m.op != MatchOp::regex) || promql::matches_empty(m))
          continue;
        if (std::any_of(alerts_.begin(), alerts_.end(),
                        [&](std::string_view a) { return labels::matches(m, a, labels::Dialect::prometheus); }))
          continue;
        // A name close to one the files define is a typo. Another name may be an alert of rules
        // not linted with these, whose ALERTS reach this Prometheus by federation or remote
        // write: that is for the reader to tell, a note.
        // The alert's own name is no typo: SeedPodStuckInPending reads PodStuckInPending.
        std::vector<std::string> others;
        if (m.op == MatchOp::equal)
          for (std::string_view a : alerts_)
            if (a != r_.name.value) others.emplace_back(a);
        std::string hint = m.op == MatchOp::equal ? util::did_you_mean(m.value, others) : "";
        // A typo is a letter or two; a prefix or a word more is another alert's name.
        if (util::edit_distance(m.value, hint, 3) > 2) hint.clear();
        if (!hint.empty()) {
          emit("alerts/undefined-alert", m.range,
               "no alerting rule of the files linted is " + promql::format_matcher(m) + ", but " + hint +
                   " is: as written, " + name + " never has such a series",
               "did you mean " + hint + "?");
          continue;
        }
        emit("alerts/undefined-alert", m.range,
             "no alerting rule of the files linted is " + promql::format_matcher(m) + ": " + name +
                 " has such a series only if rules linted elsewhere define it (federated, remote-written)",
             "lint the file that defines it with these rules");
        out_.back().severity = core::Severity::info;
      }
      return true;
    });
  }

  // A Grafana variable ($pod, ${pod}, [[pod]]) in a rule's matcher, copied from a dashboard's
  // query: Prometheus expands nothing in an expression, so the matcher compares with the text
  // itself. In a regex, $ is the end of the text, which no character can follow.
  void dashboard_variable(const Matcher& m) {
    const std::string& v = m.value;
    std::string var;
    for (std::size_t i = 0; i < v.size() && var.empty(); ++i) {
      auto word = [&](std::size_t from) {
        std::size_t end = from;
        while (end < v.size() && (std::isalnum(static_cast<unsigned char>(v[end])) || v[end] == '_')) ++end;
        return end > from && !std::isdigit(static_cast<unsigned char>(v[from])) ? end : std::string::npos;
      };
      if (v[i] == '\\') { // \$ is a dollar sign, in a regex as in Grafana's own escaping
        ++i;
        continue;
      }
      if (v[i] == '$' && i + 1 < v.size() && v[i + 1] == '{') {
        if (auto end = word(i + 2); end != std::string::npos && end < v.size() && (v[end] == '}' || v[end] == ':'))
          var = v.substr(i, v.find('}', end) == std::string::npos ? end - i : v.find('}', end) + 1 - i);
      } else if (v[i] == '$') {
        if (auto end = word(i + 1); end != std::string::npos) var = v.substr(i, end - i);
      } else if (v.compare(i, 2, "[[") == 0) {
        if (auto end = word(i + 2); end != std::string::npos && v.compare(end, 2, "]]") == 0)
          var = v.substr(i, end + 2 - i);
      }
    }
    if (var.empty()) return;
    const bool regex = m.op == MatchOp::regex || m.op == MatchOp::not_regex;
    const bool never = regex && var[0] == '$';
    std::string effect = never   ? "can never match: in a regex, $ is the end of the text"
                         : regex ? "reads [[ as a character class, not a variable"
                                 : "compares " + m.name + " with the text \"" + v + "\"";
    emit("rules/grafana-variable", m.range,
         promql::format_matcher(m) + ": " + var +
             " is a Grafana dashboard variable, and Prometheus expands no variable in a rule's expression; the "
             "matcher " +
             effect + (never && m.op == MatchOp::not_regex ? ", so it removes nothing" : ""),
         "write the value the rule is for, or drop the matcher");
  }

  // --- cost -----------------------------------------------------------------------------------
  // A rule runs at every evaluation (every minute by default): a subquery over days re-evaluates
  // its inner query at each of its steps, a raw range over days reads every sample of it. The
  // burn-rate windows go up to 3d; longer periods are served by averaging a short recording
  // (Sloth's period rule), for a fraction of the samples. The cost model is the one judge of how
  // much that is: the long range is named only where the rule's estimate passes the policy's
  // floor (cost: min_samples), and a rule it names is not judged again by cost_outliers.
  void cost(const Expr& root) {
    constexpr std::int64_t kDay = 86400000;
    const std::int64_t interval = model_.interval_of(*pr_.group);
    cost_ = RuleCost{pr_.file, pr_.group, pr_.rule, interval, model_.estimate(root, interval), std::nullopt};
    if (!cost_.estimate || cost_.estimate->samples < opt_.policy.cost_min_samples) return;
    const std::int64_t scrape = cfg_ ? cfg_->scrape_interval_ms : 60000;
    const std::string every = " at every evaluation (every " + text::format_duration(interval) + "), about " +
                              util::fmt::count(cost_.estimate->samples) + " samples in all";
    const std::string fix = "record it over a short window (5m, 1h) and aggregate the recording over the period "
                            "(sum_over_time(r[30d]) / count_over_time(r[30d]) for a ratio, min_over_time(r[1w]) for "
                            "a minimum), or give the group a longer interval";
    walk(root, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind == NodeKind::subquery) {
        const auto& sq = n.as<SubqueryExpr>();
        const std::int64_t range = sq.range_ns / 1000000, step = sq.step_ns ? sq.step_ns / 1000000 : interval;
        if (range >= kDay && step > 0) {
          cost_.explained = true;
          emit("rules/expensive-range", n.range,
               "a subquery over " + text::format_duration(range) + " evaluates its inner query " +
                   std::to_string(range / step) + " times (every " + text::format_duration(step) + ")" + every,
               fix);
          return false; // its inside is part of that cost
        }
      }
      if (n.kind == NodeKind::matrix_selector) {
        const auto& ms = n.as<MatrixSelector>();
        const std::int64_t range = ms.range_ns / 1000000;
        const auto* vs = ms.selector && ms.selector->kind == NodeKind::vector_selector
                             ? &ms.selector->as<VectorSelector>()
                             : nullptr;
        // A recording rule's series (level:metric:ops) is already the cheap form.
        if (range > 3 * kDay && vs && vs->name.find(':') == std::string::npos) {
          cost_.explained = true;
          emit("rules/expensive-range", n.range,
               "reads " + text::format_duration(range) + " of raw samples of " +
                   (vs->name.empty() ? "the selector" : vs->name) + ", " + std::to_string(range / scrape) +
                   " a series at a " + text::format_duration(scrape) + " scrape interval" +
                   (cfg_ ? "" : " (Prometheus's default)") + every,
               fix);
        }
      }
      return true;
    });
  }

  // --- alerts ----------------------------------------------------------------------------------
  void alert(const Shape& shape) {
    if (!constant_alert(*pr_.parsed->expr()) && !shape.filters && !always_fires(*pr_.parsed->expr()))
      unfiltered(unparen(pr_.parsed->expr()));
    if (uses_absent_ && (!r_.for_ || r_.for_->ms == 0) && !r_.misspelt.count("for"))
      emit_at("alerts/absent-without-for", r_.name.span,
              absent_stale_
                  ? "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)"
                  : "absent() without 'for': a target that leaves service discovery for one evaluation "
                    "(a rollout, a rescheduled pod) fires the alert",
              "add for: 5m or more");
    std::int64_t interval = pr_.group->interval ? pr_.group->interval->ms : cfg_ ? cfg_->evaluation_interval_ms : 0;
    if (r_.for_ && r_.for_->ms > 0 && interval && r_.for_->ms < interval)
      emit_at("alerts/for-too-short", r_.for_->span,
              "for: " + text::format_duration(r_.for_->ms) + " is shorter than the evaluation interval " +
                  text::format_duration(interval) + ", so it waits a whole interval anyway",
              "use for: " + text::format_duration(interval) + " or more");
    for (const auto& hc : high_cardinality(shape))
      emit_at("labels/high-cardinality", r_.expr.span,
              "the alert keeps the high-cardinality label " + hc +
                  ": one alert per value, and they never resolve together",
              "aggregate it away, e.g. max without (" + hc + ") (...)");
    templates(shape);
  }

  // An alert whose expression returns one series at every evaluation, whatever the data: a
  // scalar, which the evaluator makes one series without labels, or vector() of a number. Only
  // vector(1) is a design: the heartbeat that proves the pipeline works (Watchdog). Whether it
  // was reported.
  bool constant_alert(const Expr& root) {
    const Expr* top = unparen(&root);
    if (top->type == ValueType::scalar) {
      emit_at("alerts/no-comparison", r_.expr.span,
              "alert " + r_.name.value +
                  " always fires: its expression is a scalar, which Prometheus turns into one series without labels "
                  "at every evaluation, whatever its value",
              "select the series whose state is bad, e.g. `x > 0.9`");
      return true;
    }
    if (top->kind != NodeKind::call || top->as<Call>().name != "vector" || top->as<Call>().args.empty()) return false;
    auto v = inf_.constant(top->as<Call>().args[0]);
    if (!v || *v == 1) return false;
    emit_at("alerts/no-comparison", r_.expr.span,
            "alert " + r_.name.value + " always fires: " + print(*top) +
                " returns one series at every evaluation, whatever its value",
            "select the series whose state is bad; a heartbeat alert (Watchdog) is written vector(1)");
    return true;
  }

  // An alert with nothing that filters fires for every series its expression returns. That is a
  // bug where the series exist whatever the state (a rate, a gauge, a state series that is 0 or
  // 1 for every object); it is the alert's design where a selector's matchers choose the series
  // of the bad state and the expression passes them on: say so only where it is known.
  void unfiltered(const Expr* top) {
    const std::string alert = "alert " + r_.name.value + " compares nothing and filters nothing: ";
    Found found;
    const Condition c = condition(top, found);
    if (c == Condition::proven) return;
    if (found.zero_or_one) {
      emit_at("alerts/no-comparison", r_.expr.span,
              alert + metric_name(*found.zero_or_one) +
                  " is named like a kube-state-metrics state series, 0 or 1 for every object and state, so it "
                  "fires for every object, those not in that state too",
              "keep the state that holds: `== 1`");
      return;
    }
    if (c == Condition::maybe) {
      // Whether the other states have series, and with what value, is the exporter's choice: the
      // claim is a guess, said as one.
      const VectorSelector& vs = *found.state;
      // The matcher to name: an equality (a regex more often picks places: vcenter=~"vc-.*").
      auto m_it = std::find_if(vs.matchers.begin(), vs.matchers.end(),
                               [](const Matcher& x) { return picks_state(x) && x.op == MatchOp::equal; });
      const Matcher& m =
          m_it != vs.matchers.end() ? *m_it : *std::find_if(vs.matchers.begin(), vs.matchers.end(), picks_state);
      emit_at(
          "alerts/no-comparison", r_.expr.span,
          util::concat({"alert ", r_.name.value, " compares nothing: its condition is the matcher ",
                        promql::format_matcher(m), " of ", metric_name(vs), ", which holds only if ", metric_name(vs),
                        " has no series in the other states; if it has one for each state (0 or 1), the alert",
                        " fires for every one of them"}),
          "compare the value too, e.g. `== 1`");
      out_.back().severity = core::Severity::info;
      return;
    }
    emit_at("alerts/no-comparison", r_.expr.span,
            alert + "it fires for every series the expression returns, whatever its value",
            "add a comparison, e.g. `> 0.9`");
  }

  // How far the existence of an expression's series is a condition: proven (a comparison, absent(),
  // ALERTS, a series recorded only by rules that filter (r: x == 0), an info series picked by a
  // state label, a state label matched with != or !~), maybe (a
  // state label matched with = or =~ on a series that may exist for every state), or none (the
  // series exist whatever the state: a value is what the alert is about). Through what passes
  // series on as they are (label_replace, sort, last/max/min/present_over_time, count, group, max,
  // min, sum); `or` is as weak as its weaker side, `and` and `unless` as strong as their stronger.
  enum class Condition { none, maybe, proven };
  struct Found {
    const VectorSelector* state = nullptr;       ///< the selector of a maybe
    const VectorSelector* zero_or_one = nullptr; ///< a kube-state-metrics state series passed on
  };
  Condition condition(const Expr* root, Found& found) const {
    static const std::set<std::string, std::less<>> kPassing = {"label_replace", "label_join",       "sort",
                                                                "sort_desc",     "last_over_time",   "max_over_time",
                                                                "min_over_time", "present_over_time"};
    const Expr* e = unparen(root);
    if (inf_.at(e).filters) return Condition::proven;
    switch (e->kind) {
    case NodeKind::vector_selector: {
      const auto& vs = e->as<VectorSelector>();
      if (const SeriesInfo info = inf_.series(vs); info.origin == SeriesInfo::Origin::recording &&
                                                   info.recorded->source == RecordedMetric::Source::rules &&
                                                   info.recorded->filters)
        return Condition::proven;
      // A kube-state-metrics state series has a series for every state: its matchers pick every
      // object, != as well as =.
      if (kube_state_series(vs)) {
        if (!found.zero_or_one) found.zero_or_one = &vs;
        return Condition::none;
      }
      if (matchers_are_condition(vs)) return Condition::proven;
      if (std::none_of(vs.matchers.begin(), vs.matchers.end(), picks_state)) return Condition::none;
      if (!found.state) found.state = &vs;
      return Condition::maybe;
    }
    case NodeKind::matrix_selector: return condition(e->as<MatrixSelector>().selector, found);
    case NodeKind::call: {
      const auto& c = e->as<Call>();
      return kPassing.count(c.name) && !c.args.empty() ? condition(c.args[0], found) : Condition::none;
    }
    case NodeKind::aggregate: {
      const auto op = e->as<AggregateExpr>().op;
      const bool passes = op == AggregateOp::count || op == AggregateOp::group || op == AggregateOp::max ||
                          op == AggregateOp::min || op == AggregateOp::sum;
      return passes ? condition(e->as<AggregateExpr>().expr, found) : Condition::none;
    }
    case NodeKind::binary: {
      const auto& b = e->as<BinaryExpr>();
      if (b.op != BinaryOp::lor && b.op != BinaryOp::land && b.op != BinaryOp::lunless) return Condition::none;
      const Condition l = condition(b.lhs, found), r = condition(b.rhs, found);
      return b.op == BinaryOp::lor ? std::min(l, r) : std::max(l, r);
    }
    default: return Condition::none;
    }
  }

  // A matcher that picks a state rather than a place: not on a label that names the target or the
  // Kubernetes object, and not one that only asks for the label (l!="", l=~".+").
  static bool picks_state(const Matcher& m) {
    static const std::set<std::string, std::less<>> kPlace = {"__name__",  "job",   "instance", "namespace",
                                                              "pod",       "node",  "service",  "cluster",
                                                              "container", "module"}; // snmp_exporter's module
    if (kPlace.count(m.name) || m.value.empty()) return false;
    return !((m.op == MatchOp::regex || m.op == MatchOp::not_regex) && (m.value == ".+" || m.value == ".*"));
  }

  // Whether the series a selector picks exist only in the state its matchers ask for, so that
  // their existence is the condition: ALERTS (a series only while an alert is pending or
  // firing), an info or metadata series (always 1, a series per object and label values) picked
  // by a state label, any series picked by != or !~ on a state label (the outcomes other than
  // the good one).
  static bool matchers_are_condition(const VectorSelector& vs) {
    const std::string& name = metric_name(vs);
    if (name == "ALERTS" || name == "ALERTS_FOR_STATE") return true;
    // NetApp Harvest writes its info series *_labels (netapp_volume_labels, always 1).
    const bool info = name.ends_with("_info") || name.ends_with("_metadata") || name.ends_with("_labels");
    return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
      return picks_state(m) && (info || m.op == MatchOp::not_equal || m.op == MatchOp::not_regex);
    });
  }

  std::vector<std::string> high_cardinality(const Shape& shape) {
    std::vector<std::string> out;
    for (const auto& m : opt_.catalog->metrics)
      for (const auto& l : m.labels)
        if (l.high_cardinality && shape.labels.count(l.name) && std::find(out.begin(), out.end(), l.name) == out.end())
          out.push_back(l.name);
    return out;
  }

  // Where a template's label that the result lacks is to be had (issue 59 class 7): the "one" side
  // of the group_left or group_right that makes the result (under a comparison with a number,
  // or the left of and/unless), when it carries the label and does not copy it; or "".
  std::string joined_from(const std::string& label) const {
    const Expr* e = unparen(pr_.parsed->expr());
    while (e->kind == NodeKind::binary) {
      const auto& b = e->as<BinaryExpr>();
      const VectorMatching* vm = b.matching();
      if (vm && (vm->card == Cardinality::many_to_one || vm->card == Cardinality::one_to_many)) {
        const bool left = vm->card == Cardinality::many_to_one;
        const Shape& one = inf_.at(left ? b.rhs : b.lhs);
        if (std::find(vm->include.begin(), vm->include.end(), label) != vm->include.end() || !one.labels.count(label) ||
            inf_.absent(one, label))
          return {};
        return util::concat({"the ", left ? "right" : "left", " side of ", left ? "group_left" : "group_right", " has ",
                             label, ": copy it with ", left ? "group_left" : "group_right", " (",
                             util::join(vm->include, ", "), vm->include.empty() ? "" : ", ", label, ")"});
      }
      if (b.op == BinaryOp::land || b.op == BinaryOp::lunless) e = unparen(b.lhs);
      else if (is_comparison(b.op) && b.rhs->type == ValueType::scalar) e = unparen(b.lhs);
      else if (is_comparison(b.op) && b.lhs->type == ValueType::scalar) e = unparen(b.rhs);
      else return {};
    }
    return {};
  }

  // A side of an `or` that makes the result whose series cannot carry `label` (vector(0), an
  // aggregation by other labels) while the other side's may: the alerts of that side show it
  // empty. The label set of `or` is open there, so Shape::lacking, which names only labels some
  // side is known to carry, says nothing. Walked as joined_from() walks, through comparisons with
  // a number (a side no value of which passes makes no alerts) and the left of and/unless. Why,
  // or "".
  std::string or_side_without(const std::string& label) const {
    struct Step {
      const Expr* e;
      std::vector<std::pair<BinaryOp, double>> passed; ///< the comparisons above it
    };
    std::vector<Step> todo{{unparen(pr_.parsed->expr()), {}}};
    while (!todo.empty()) {
      Step at = std::move(todo.back());
      todo.pop_back();
      if (at.e->kind != NodeKind::binary) continue;
      const auto& b = at.e->as<BinaryExpr>();
      if (b.op == BinaryOp::lor) {
        auto passes = [&](const Expr* x) {
          return inf_.at(x).empty.empty() && std::none_of(at.passed.begin(), at.passed.end(), [&](const auto& c) {
                   return compare(inf_.at(x), c.first, c.second) == Verdict::never;
                 });
        };
        const Shape &l = inf_.at(b.lhs), &r = inf_.at(b.rhs);
        if (passes(b.lhs) && passes(b.rhs))
          for (const bool left : {true, false})
            if (inf_.absent(left ? l : r, label) && !inf_.absent(left ? r : l, label)) {
              const std::string side = print(*unparen(left ? b.lhs : b.rhs));
              return util::concat({"the ", left ? "left" : "right", " side of 'or'",
                                   side.size() <= 40 ? " (" + side + ")" : "", " has no ", label});
            }
        todo.push_back({unparen(b.lhs), at.passed});
        todo.push_back({unparen(b.rhs), std::move(at.passed)});
      } else if (b.op == BinaryOp::land || b.op == BinaryOp::lunless) {
        todo.push_back({unparen(b.lhs), std::move(at.passed)});
      } else if (is_comparison(b.op) && !b.return_bool &&
                 (b.lhs->type == ValueType::scalar) != (b.rhs->type == ValueType::scalar)) {
        const bool number_right = b.rhs->type == ValueType::scalar;
        if (auto v = inf_.constant(number_right ? b.rhs : b.lhs))
          at.passed.emplace_back(number_right ? b.op : flip(b.op), *v);
        todo.push_back({unparen(number_right ? b.lhs : b.rhs), std::move(at.passed)});
      }
    }
    return {};
  }

  void templates(const Shape& shape) {
    LabelSet available = shape.labels;
    available.erase("__name__");
    available.insert("alertname");
    for (const auto& kv : pr_.group->labels) available.insert(kv.key.value);
    for (const auto& kv : r_.labels) available.insert(kv.key.value);
    auto check = [&](const rules::KeyValue& kv, bool is_label) {
      const gotemplate::TemplateInfo& info = kv.tmpl(); // checked once, by the loader
      if (!info.errors.empty()) return;
      auto at = [&](std::size_t off, std::size_t len) {
        if (kv.value.value.empty()) return kv.value.span;
        return core::Span{kv.value.span.file, 0, static_cast<int>(kv.value.file_offset(off)), static_cast<int>(len)};
      };
      const std::string_view what = is_label ? "label" : "annotation";
      for (const auto& ref : info.label_refs) {
        // Some of the alerts lack it: one side of `or` has none.
        if (auto l = shape.lacking.find(ref.name); l != shape.lacking.end() && !inf_.absent(shape, ref.name)) {
          emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                                ", but some of the alerts have no ", ref.name, ": ", l->second.why, "; their ", what,
                                " shows it empty"}),
                  "give both sides of 'or' the label, e.g. with label_replace or by (" + ref.name + ", ...)");
          continue;
        }
        if (available.count(ref.name)) continue;
        if (std::string why = inf_.absent(shape, ref.name) ? "" : or_side_without(ref.name); !why.empty()) {
          emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                                ", but some of the alerts have no ", ref.name, ": ", why, "; their ", what,
                                " shows it empty"}),
                  "give both sides of 'or' the label, e.g. with label_replace or by (" + ref.name + ", ...)");
          continue;
        }
        if (!inf_.absent(shape, ref.name)) {
          if (std::string near = near_label(ref.name, shape); !near.empty())
            emit_at("labels/template-label-typo", at(ref.offset, ref.length),
                    util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                                  ", a label nothing in the rule names, while ", near, ": if the series have no ",
                                  ref.name, ", the ", what, " shows it empty"}),
                    "did you mean $labels." + near.substr(0, near.find(' ')) + "?");
          continue;
        }
        if (auto d = shape.dropped.find(ref.name); d != shape.dropped.end())
          emit_at("labels/dropped-by-config", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name, ", but the config drops ",
                                ref.name, " from every series the expression reads: ", d->second}),
                  "use a label the series keep, or stop dropping " + ref.name);
        else {
          const std::string near = typo_of(ref.name, available);
          emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                                ", but the expression's result has no ", ref.name, " label",
                                removed_by(shape, ref.name).empty() ? "" : ": " + removed_by(shape, ref.name),
                                " (it has: ", util::join(available, ", "), ")"}),
                  !near.empty() ? "did you mean $labels." + near + "?"
                  : !joined_from(ref.name).empty()
                      ? joined_from(ref.name)
                      : util::concat({"keep it in the aggregation, e.g. sum by (", ref.name, ", ...)"}));
        }
      }
      // $externalLabels.x: global.external_labels of the config (unknown without one).
      if (cfg_)
        for (const auto& ref : info.external_label_refs)
          if (std::none_of(cfg_->external_labels.begin(), cfg_->external_labels.end(),
                           [&](const rules::KeyValue& e) { return e.key.value == ref.name; }))
            emit_at("labels/unknown-external-label", at(ref.offset, ref.length),
                    util::concat({what, " \"", kv.key.value, "\" uses $externalLabels.", ref.name,
                                  ", but global.external_labels has no ", ref.name, " (it has: ", external_names(),
                                  "): it expands to nothing"}),
                    "add " + ref.name + " to global.external_labels, or use one it has");
      type_fault(kv, info, what, at);
      // A value that cannot change (group(), count of one series per group) makes no new alert.
      if (is_label && !info.value_refs.empty() && shape.lo != shape.hi)
        emit_at("alerts/value-in-labels", at(info.value_refs[0], 6),
                "label \"" + kv.key.value + "\" uses $value: every change of the value makes a new alert",
                "move it to an annotation");
      if (kv.value.plain && !info.has_actions) {
        static constexpr std::string_view ambiguous[] = {"yes", "no",  "on", "off", "y",   "n",  "Yes",
                                                         "No",  "YES", "NO", "On",  "Off", "ON", "OFF"};
        if (std::find(std::begin(ambiguous), std::end(ambiguous), kv.value.value) != std::end(ambiguous))
          emit_at("yaml/ambiguous-boolean", kv.value.span,
                  "unquoted " + kv.value.value + " is read as a boolean by YAML 1.1 tools (and older Prometheus)",
                  "quote it: \"" + kv.value.value + "\"");
      }
    };
    for (const auto& kv : r_.labels) check(kv, true);
    for (const auto& kv : r_.annotations) check(kv, false);
    // Last: running a query's inference replaces the storage `shape` lives in.
    for (const auto& kv : r_.labels) template_queries(kv, true);
    for (const auto& kv : r_.annotations) template_queries(kv, false);
  }

  // A function given a value of a type it does not take, which promtool lets through: where the
  // template runs it, the expansion fails and Prometheus shows its error as the text, or Go's fmt
  // writes its %!verb complaint where the value belongs.
  template <class At>
  void type_fault(const rules::KeyValue& kv, const gotemplate::TemplateInfo& info, std::string_view what, At at) {
    if (!info.may_fault) return;
    std::vector<std::string> names;
    for (const auto& ref : info.label_refs) names.push_back(ref.name);
    std::optional<gotemplate::TypeFault> f = gotemplate::find_type_fault(kv.value.value, names);
    if (!f) return;
    // A query before the faulty action that does not parse fails the expansion there first
    // (template_queries says so): the action, in its range or after it, is never run.
    if (f->offset && std::any_of(info.queries.begin(), info.queries.end(), [&](const gotemplate::TemplateQuery& q) {
          return q.offset < *f->offset && !parse_query(q).ok();
        }))
      return;
    if (f->offset)
      emit_at("rules/template", at(*f->offset, 2),
              util::concat({what, " \"", kv.key.value, "\": where Prometheus runs this action, the expansion fails ",
                            f->message, "; the ", what, " reads \"<error expanding template: ...>\""}),
              "give the function the type it takes: printf a format string, first and label a query's result, "
              "humanize a number, gt a number of the same type (80.0 for $value)");
    else
      emit_at("rules/template", at(0, std::min<std::size_t>(kv.value.value.size(), 2)),
              util::concat({what, " \"", kv.key.value, "\" shows Go's complaint ", f->message,
                            " where a value belongs: a printf verb that does not fit its argument's type, or a",
                            " missing or extra argument"}),
              "use %v, or the verb of the argument's type: %s for a label, %g or %.2f for $value");
  }

  // A template's query as Prometheus would run it. A printf verb stands for any text: the query
  // is wrong only if no argument could mend it.
  ParseResult parse_query(const gotemplate::TemplateQuery& q) const {
    for (std::string_view arg : {"x", "1"})
      if (ParseResult r = parse(q.formatted ? gotemplate::fill_verbs(q.text, arg) : q.text, opt_.parse);
          r.ok() || !q.formatted)
        return r;
    return parse(gotemplate::fill_verbs(q.text, "1m"), opt_.parse);
  }

  // The queries a template runs with Prometheus's `query` (written in it: `query "..."`, or
  // printf's format piped to query). One that does not parse makes the expansion fail wherever
  // the template runs it; Prometheus then shows "<error expanding template: ...>" as the value. A
  // label read from its samples that its result cannot carry is empty.
  void template_queries(const rules::KeyValue& kv, bool is_label) {
    const gotemplate::TemplateInfo& info = kv.tmpl();
    if (!info.errors.empty()) return;
    const std::string_view what = is_label ? "label" : "annotation";
    auto at = [&](std::size_t off, std::size_t len) {
      return core::Span{kv.value.span.file, 0, static_cast<int>(kv.value.file_offset(off)), static_cast<int>(len)};
    };
    for (const auto& q : info.queries) {
      std::optional<ParseResult> parsed(parse_query(q));
      if (!parsed->ok()) {
        // Prometheus's "1:59: parse error: ..."; a filled verb moves the position: left out.
        std::string error = parsed->error_string();
        if (q.formatted && error.find(": parse error") != std::string::npos) error.erase(0, error.find("parse error"));
        emit_at("rules/template", at(q.offset, q.length),
                util::concat({what, " \"", kv.key.value, "\" runs the query \"", q.text, "\", which does not parse (",
                              error, "): where the template runs it, the expansion fails and the ", what,
                              " reads \"<error expanding template: ...>\""}),
                "write the query as the expression of a rule would be written");
        continue;
      }
      if (q.label_refs.empty() || (q.formatted && verb_names_labels(*parsed->expr()))) continue;
      // Kept while the rule is checked: the inference indexes shapes by the nodes' addresses.
      queries_.push_back(std::move(*parsed));
      const Shape& s = inf_.run(*queries_.back().expr());
      for (const auto& ref : q.label_refs)
        if (inf_.absent(s, ref.name)) {
          std::string why = removed_by(s, ref.name);
          emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" reads label ", ref.name,
                                " of the samples of the query \"", q.text, "\", whose result has no ", ref.name,
                                why.empty() ? "" : ": " + why, "; it shows empty"}),
                  "keep " + ref.name + " in the query, e.g. sum by (" + ref.name + ", ...)");
        }
    }
  }

  // Whether printf's verb (filled with x) may stand for a label name of the query: by (%s),
  // on (%s), ... Its result's labels are then not known from the format.
  static bool verb_names_labels(const Expr& root) {
    bool named = false;
    walk(root, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind == NodeKind::aggregate) {
        const auto& g = n.as<AggregateExpr>().grouping;
        named = named || std::find(g.begin(), g.end(), "x") != g.end();
      }
      if (n.kind == NodeKind::binary)
        if (const VectorMatching* vm = n.as<BinaryExpr>().matching())
          named = named || std::find(vm->labels.begin(), vm->labels.end(), "x") != vm->labels.end() ||
                  std::find(vm->include.begin(), vm->include.end(), "x") != vm->include.end();
      if (n.kind == NodeKind::call)
        for (const Expr* a : n.as<Call>().args)
          named =
              named || (unparen(a)->kind == NodeKind::string_literal && unparen(a)->as<StringLiteral>().value == "x");
      return !named;
    });
    return named;
  }

  // The label that `x` looks like a slip of: its singular (namespaces for namespace), its plural
  // unless `singular_only`, or the word the series use for the same thing (interface where
  // node_exporter says device).
  static std::string typo_of(const std::string& x, const LabelSet& names, bool singular_only = false) {
    static const std::pair<std::string_view, std::string_view> kSynonyms[] = {{"interface", "device"}};
    std::vector<std::string> forms;
    for (std::string_view end : {"s", "es"}) {
      if (!singular_only) forms.push_back(x + std::string(end));
      if (util::ends_with(x, end) && x.size() > end.size() + 1) forms.push_back(x.substr(0, x.size() - end.size()));
    }
    for (const auto& [a, b] : kSynonyms)
      if (x == a) forms.emplace_back(b);
    for (const auto& f : forms)
      if (names.count(f)) return f;
    return {};
  }

  // A label near-identical to `x` (typo_of) that the rule has, where nothing in the rule names x:
  // not its expression, its result as far as known, nor its labels. "y is ...", with where y
  // comes from; "" when there is none. The templates of the group's other rules count too, for a
  // plural x of a y that more of them read (three messages saying namespaces, ten namespace).
  std::string near_label(const std::string& x, const Shape& shape) const {
    LabelSet named(shape.labels.begin(), shape.labels.end());
    walk(*pr_.parsed->expr(), [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind == NodeKind::vector_selector)
        for (const auto& m : n.as<VectorSelector>().matchers) named.insert(m.name);
      if (n.kind == NodeKind::aggregate)
        for (const auto& g : n.as<AggregateExpr>().grouping) named.insert(g);
      if (n.kind == NodeKind::binary)
        if (const VectorMatching* vm = n.as<BinaryExpr>().matching()) {
          named.insert(vm->labels.begin(), vm->labels.end());
          named.insert(vm->include.begin(), vm->include.end());
        }
      if (n.kind == NodeKind::call && n.as<Call>().args.size() > 1 &&
          unparen(n.as<Call>().args[1])->kind == NodeKind::string_literal)
        named.insert(unparen(n.as<Call>().args[1])->as<StringLiteral>().value);
      return true;
    });
    if (named.count(x)) return {};
    if (std::string y = typo_of(x, named); !y.empty()) return y + " is in its expression";
    std::map<std::string, int> readers; // label -> rules of the group whose templates read it
    for (const auto& r : pr_.group->rules) {
      LabelSet read;
      for (const auto* list : {&r.labels, &r.annotations})
        for (const auto& kv : *list)
          for (const auto& ref : kv.tmpl().label_refs) read.insert(ref.name);
      for (const auto& l : read) ++readers[l];
    }
    const int mine = readers[x];
    LabelSet more; // read by more rules than x
    for (const auto& [l, n] : readers)
      if (n > mine) more.insert(l);
    if (std::string y = typo_of(x, more, true); !y.empty())
      return y + " is what more of its group's templates read (" + std::to_string(readers[y]) + " rules, " +
             std::to_string(mine) + " " + x + ")";
    return {};
  }

  std::string external_names() const {
    std::vector<std::string> names;
    for (const auto& e : cfg_->external_labels) names.push_back(e.key.value);
    return names.empty() ? "none" : util::join(names, ", ");
  }

  void recording_name() {
    const std::string& n = r_.name.value;
    // Names that a generator defines and dashboards query by that name: renaming them would break
    // what reads them. Sloth records sloth_slo_info, its SLOs' info series.
    static constexpr std::string_view generated[] = {"sloth_slo_info"};
    if (std::find(std::begin(generated), std::end(generated), n) != std::end(generated)) return;
    if (std::count(n.begin(), n.end(), ':') < 2)
      emit_at("rules/record-naming", r_.name.span,
              "recording rule " + n + " does not follow level:metric:operations (e.g. job:errors:rate5m)");
  }

  const ParsedRule& pr_;
  const rules::Rule& r_;
  const Options& opt_;
  const rules::Config* cfg_;
  const std::vector<std::string_view>& alerts_;
  std::vector<core::Diagnostic>& out_;
  ForeignMetrics& foreign_;
  const CostModel& model_;
  std::vector<ParseResult> queries_; ///< of the templates, parsed: template_queries()
  RuleCost& cost_;
};

void Analysis::run() {
  const rules::Config* cfg = input_.config ? &*input_.config : nullptr;
  const TargetLabels targets(*options_.catalog, cfg); // once: every rule's inference reads it
  std::vector<ParsedRule> parsed;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (!util::trim(r.expr.value).empty()) parsed.push_back(ParsedRule{&f, &g, &r, nullptr});
  // The rules are parsed and checked on several threads in steps of kStep rules; each step's
  // findings go to a list of its own, merged in order at the end.
  constexpr std::size_t kStep = 128;
  std::vector<std::vector<core::Diagnostic>> found(util::step_count(parsed.size(), kStep));
  std::vector<ForeignMetrics> foreign(found.size());
  // The expression's tree, or its promql/syntax findings (nullptr).
  auto parse_rule = [&](ParsedRule& pr, std::vector<core::Diagnostic>& out) -> std::unique_ptr<ParseResult> {
    auto result = std::make_unique<ParseResult>(parse(pr.rule->expr.value, options_.parse));
    for (const auto& e : result->errors()) {
      core::Diagnostic d = core::make_diagnostic("promql/syntax", expr_span(*pr.rule, e.range), e.message);
      d.rule = pr.rule->name.value;
      d.group = pr.group->name.value;
      out.push_back(std::move(d));
    }
    pr.ok = result->ok();
    return pr.ok ? std::move(result) : nullptr;
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
  // For ALERTS{alertname="X"}: the rules' names, as views (the rules outlive the checks).
  std::vector<std::string_view> alert_names;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (r.is_alert()) alert_names.push_back(r.name.value);
  std::sort(alert_names.begin(), alert_names.end());
  alert_names.erase(std::unique(alert_names.begin(), alert_names.end()), alert_names.end());
  for (const auto& [n, rm] : recorded) names.push_back(n);
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
      inf.read_in(pr.file->path, pr.group->thanos_ruler);
      RuleChecks(pr, options_, inf, cfg, names, alert_names, found[k], foreign[k], model, costs[i]).run();
      policy(pr, found[k]); // while the rule is in the cache
      for (std::size_t j = before; j < found[k].size(); ++j) locate(found[k][j], *pr.file);
      pr.parsed.reset();
    }
  });
  for (auto& f : found) std::move(f.begin(), f.end(), std::back_inserter(out_));
  ForeignMetrics all;
  for (auto& f : foreign) {
    std::move(f.uses.begin(), f.uses.end(), std::back_inserter(all.uses));
    all.app_jobs.merge(f.app_jobs);
    std::move(f.unrecorded.begin(), f.unrecorded.end(), std::back_inserter(all.unrecorded));
  }
  foreign_metrics(all);
  unrecorded(all, recorded);
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

namespace {
// The exporter a metric name belongs to, as far as a name tells: its first word (kube_,
// apiserver_, container_), the way exporters namespace their metrics.
std::string prefix_of(const std::string& name) {
  auto cut = name.find('_');
  return cut == std::string::npos ? name : name.substr(0, cut + 1);
}

// "3 selectors in 2 files", or nothing for one selector.
std::string selectors_in(std::size_t selectors, std::size_t files) {
  if (selectors < 2) return {};
  return util::concat({" (", std::to_string(selectors), " selectors",
                       files > 1 ? " in " + std::to_string(files) + " files" : std::string(), ")"});
}
} // namespace

// A recording rule's name that no rule of the files records: reported once per name, at its first
// selector. The catalog judges every name (sure); where it does not (--catalog none, another
// exporter's prefix), the files' own rules do, when they could have recorded it: a name a letter
// or two from one they record (a typo, sum_irate renamed sum_rate), or a sibling that the same file
// records (sibling()). Not merely another name of the same metric: rules read series that other
// Prometheus servers record and send (federation, remote write to Cortex or Thanos), often beside
// their own rules of the same metric.
void Analysis::unrecorded(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded) {
  struct Name {
    const ForeignMetrics::Use* first = nullptr;
    std::size_t selectors = 0;
    std::set<core::FilePath> files;
  };
  std::map<std::string, Name> by_name;
  for (const auto& u : foreign.unrecorded) {
    if (recorded.count(u.name)) continue;
    Name& n = by_name[u.name];
    if (!n.first || u.span.file < n.first->span.file ||
        (u.span.file == n.first->span.file && u.span.col < n.first->span.col))
      n.first = &u;
    ++n.selectors;
    n.files.insert(u.span.file);
  }
  // The first directory of a path as given: files under different ones (a repository of several
  // projects' rules, each in its own tree) are different projects' rules.
  auto tree = [](std::string_view path) {
    while (path.starts_with("./")) path.remove_prefix(2);
    const auto slash = path.find('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  };
  for (const auto& [name, n] : by_name) {
    const auto& u = *n.first;
    std::string suggestion = u.suggestion;
    if (!u.sure) {
      // A typo is of a name its own project records: another project's near name says nothing.
      std::vector<std::string> near;
      for (const auto& [r, rm] : recorded)
        if (tree(rm.span.file.str()) == tree(u.span.file.str())) near.push_back(r);
      std::string hint = util::did_you_mean(name, near);
      if (hint.empty() || util::edit_distance(name, hint, 3) > 2) hint = sibling(name, u.span.file, recorded);
      if (hint.empty()) continue;
      suggestion = "did you mean " + hint + "?";
    }
    core::Diagnostic d = core::make_diagnostic("rules/undefined-recording-rule", u.span,
                                               "recording rule " + name + " is defined in none of the rule files" +
                                                   selectors_in(n.selectors, n.files.size()),
                                               suggestion);
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  }
}

namespace {
// level and metric of a recording rule's name (level:metric:operations).
std::pair<std::string_view, std::string_view> level_metric(std::string_view n) {
  auto a = n.find(':');
  auto b = n.find(':', a + 1);
  if (a == n.npos || b == n.npos) return {};
  return {n.substr(0, a), n.substr(a + 1, b - a - 1)};
}
} // namespace

std::string Analysis::sibling(const std::string& name, const core::FilePath& file,
                              const std::map<std::string, RecordedMetric>& recorded) {
  auto [level, metric] = level_metric(name);
  if (level.empty() || metric.empty()) return {};
  for (const auto& [r, rm] : recorded) {
    // The input of a chain the file records (x read, x:sum_over_time recorded) comes from elsewhere.
    if (r.size() > name.size() && util::starts_with(r, name) && r[name.size()] == ':') return {};
  }
  for (const auto& [r, rm] : recorded) {
    auto [l, m] = level_metric(r);
    if (rm.span.file == file && l == level && !m.empty() &&
        (util::starts_with(m, metric) || util::starts_with(metric, m)))
      return r;
  }
  return {};
}

// A repository often holds other exporters' rules next to the application's. The catalog cannot
// judge their metrics: a selector pinned to a job the application is not scraped under says
// nothing about it at all, and the others are reported once per name prefix, not per selector.
// One note then names every such prefix in the policy line that declares them.
void Analysis::foreign_metrics(const ForeignMetrics& foreign) {
  if (foreign.uses.empty()) return;
  std::set<std::string> app_jobs = foreign.app_jobs;
  app_jobs.insert(options_.catalog->jobs.begin(), options_.catalog->jobs.end());
  struct Group {
    const ForeignMetrics::Use* first = nullptr;
    std::set<std::string> names;
    std::size_t selectors = 0;
    std::set<core::FilePath> files;
    std::set<std::string> jobs; ///< the application's jobs its selectors name ("" when one names none)
  };
  std::map<std::string, Group> by_prefix;
  std::set<std::string> all_prefixes, other_jobs, names;
  // The first in report order (a span's col is still its file offset here).
  auto earlier = [](const ForeignMetrics::Use* a, const ForeignMetrics::Use& b) {
    return !a || b.span.file < a->span.file || (b.span.file == a->span.file && b.span.col < a->span.col);
  };
  const ForeignMetrics::Use* first = nullptr;
  for (const auto& u : foreign.uses) {
    if (earlier(first, u)) first = &u;
    names.insert(u.name);
    // A metric selected under the application's own job is the catalog's gap, not an exporter.
    if (u.job.empty() || !app_jobs.count(u.job)) all_prefixes.insert(prefix_of(u.name));
    if (!u.job.empty() && !app_jobs.count(u.job)) {
      other_jobs.insert(u.job);
      continue;
    }
    Group& g = by_prefix[prefix_of(u.name)];
    g.jobs.insert(u.job);
    if (earlier(g.first, u)) g.first = &u;
    g.names.insert(u.name);
    ++g.selectors;
    g.files.insert(u.span.file);
  }
  auto push = [&](core::Diagnostic d, const ForeignMetrics::Use& u) {
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  };
  const std::string declare = "external: [" + util::join(all_prefixes, ", ") + "]";
  const std::string counted =
      util::concat({std::to_string(names.size()), names.size() == 1 ? " metric with " : " metrics with ",
                    std::to_string(all_prefixes.size()), all_prefixes.size() == 1 ? " name prefix" : " name prefixes"});
  for (const auto& [prefix, g] : by_prefix) {
    const auto& u = *g.first;
    std::string others =
        g.names.size() > 1
            ? util::concat({", nor are ", std::to_string(g.names.size() - 1), " other ", prefix, " metrics"})
            : std::string();
    push(core::make_diagnostic(
             "catalog/unknown-metric", u.span,
             "metric " + u.name + " is not in the catalog" + others + selectors_in(g.selectors, g.files.size()),
             g.jobs.count("")
                 ? "if " + prefix + " is another exporter's, declare it in a policy file: external: [" + prefix + "]"
                 : "it is selected under the application's job " + util::join(g.jobs, ", ") +
                       ": if the application exports it, add it to the catalog (--catalog)"),
         u);
  }
  if (all_prefixes.empty()) return; // only the application's jobs: nothing to declare
  std::string jobs = other_jobs.empty() ? std::string()
                                        : util::concat({"; those pinned to jobs the application is not scraped under (",
                                                        util::join(other_jobs, ", "), ") were not checked"});
  push(core::make_diagnostic("catalog/other-exporters", first->span,
                             counted + (names.size() == 1 ? " is" : " are") + " not in the catalog" + jobs,
                             "declare other exporters in a policy file (--policy FILE): " + declare +
                                 "; or lint their rules apart with --catalog none"),
       *first);
}

void Analysis::locate(core::Diagnostic& d, const rules::RuleFile& f) {
  if (d.span.line != 0 || d.span.col == 0 || !f.source || f.path != d.span.file) return;
  auto b = static_cast<std::size_t>(d.span.col);
  core::Span at = core::span_at(*f.source, b, b + static_cast<std::size_t>(std::max(d.span.len, 1)));
  d.span.line = at.line;
  d.span.col = at.col;
  d.span.len = at.len;
}

void Analysis::policy(const ParsedRule& pr, std::vector<core::Diagnostic>& out) const {
  const Policy& p = options_.policy;
  const auto& r = *pr.rule;
  if (!r.is_alert() || r.name.value.empty()) return;
  auto emit = [&](core::CheckId check, const core::Span& at, std::string msg, std::string sugg) {
    core::Diagnostic d = core::make_diagnostic(check, at, std::move(msg), std::move(sugg));
    d.rule = r.name.value;
    d.group = pr.group->name.value;
    out.push_back(std::move(d));
  };
  if (!p.severity_label.empty() && !r.misspelt.count("labels") && !always_fires(*pr.parsed->expr())) {
    const rules::KeyValue* sev = nullptr;
    for (const auto& kv : r.labels)
      if (kv.key.value == p.severity_label) sev = &kv;
    if (!sev)
      emit("policy/severity", r.name.span, "alert " + r.name.value + " has no " + p.severity_label + " label",
           "add labels: {" + p.severity_label + ": " + (p.severity_values.empty() ? "warning" : p.severity_values[0]) +
               "}");
    else if (!p.severity_values.empty() && std::find(p.severity_values.begin(), p.severity_values.end(),
                                                     sev->value.value) == p.severity_values.end()) {
      std::string hint = util::did_you_mean(sev->value.value, p.severity_values);
      emit("policy/severity", sev->value.span,
           p.severity_label + " \"" + sev->value.value + "\" is not one of " + util::join(p.severity_values, ", "),
           hint.empty() ? "" : "did you mean \"" + hint + "\"?");
    }
  }
  if (r.misspelt.count("annotations")) return; // yaml/unknown-field names the cause
  auto find = [](const std::vector<rules::KeyValue>& kvs, const std::string& key) {
    return std::any_of(kvs.begin(), kvs.end(),
                       [&](const rules::KeyValue& kv) { return kv.key.value == key && !kv.value.value.empty(); });
  };
  std::vector<std::string> missing, as_labels;
  for (const auto& want : p.required_annotations)
    if (!find(r.annotations, want)) {
      missing.push_back(want);
      if (find(r.labels, want)) as_labels.push_back(want);
    }
  if (missing.empty()) return;
  // One finding per alert, naming all that is missing, and the likely cause: texts written as
  // labels, or kubernetes-mixin's single `message` annotation (its convention until 2020, when
  // it became `description` beside a one-line `summary`).
  std::string msg = "alert " + r.name.value + " has no " + and_list(missing) +
                    (missing.size() == 1 ? " annotation" : " annotations"),
              fix;
  auto lacks = [&](const char* name) { return std::find(missing.begin(), missing.end(), name) != missing.end(); };
  const char* rename = lacks("description") ? "description" : lacks("summary") ? "summary" : nullptr;
  if (!as_labels.empty()) {
    msg += ": " + and_list(as_labels) + (as_labels.size() == 1 ? " is a label" : " are labels") + " here";
    fix = "move " + and_list(as_labels) +
          " from labels to annotations: notifications print the annotations, and every label is part of the "
          "alert's identity";
  } else if (rename && find(r.annotations, "message")) {
    msg += ": it has the older message annotation (kubernetes-mixin's convention until 2020)";
    std::vector<std::string> add;
    for (const auto& m : missing)
      if (m != rename) add.push_back(m);
    fix = std::string("rename message to ") + rename + (add.empty() ? "" : " and add " + and_list(add));
  }
  emit("policy/annotations", r.name.span, std::move(msg), std::move(fix));
}

void Analysis::config(const rules::Config* cfg) {
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      if (g.interval && g.interval->ms > 5 * 60 * 1000) {
        // What the interval does to this group: each part only where the group has such rules.
        bool alerts = false, records = false, held = true;
        for (const auto& r : g.rules) {
          (r.is_alert() ? alerts : records) = true;
          if (r.is_alert()) held = held && r.keep_firing_for && r.keep_firing_for->ms >= g.interval->ms;
        }
        std::vector<std::string> effects;
        if (alerts) effects.emplace_back("its alerts see a problem up to that late (a shorter one not at all)");
        if (records) effects.emplace_back("the series it records are older than the 5m lookback between evaluations");
        if (effects.empty()) continue;
        // Alerts that keep firing for at least the interval were written for that cadence: the
        // delay is then a fact to know, not a fault (pint accepts such a group too). Recorded
        // series still go stale between evaluations, so a group that records stays a warning.
        held = held && alerts && !records;
        core::Diagnostic d =
            core::make_diagnostic("alerts/group-interval", g.interval->span,
                                  "group " + g.name.value + " is evaluated every " +
                                      text::format_duration(g.interval->ms) + ": " + util::join(effects, ", and ") +
                                      (held ? "; keep_firing_for holds its alerts between evaluations" : std::string()),
                                  "evaluate rule groups every 5m or less");
        if (held) d.severity = core::Severity::info;
        d.group = g.name.value;
        out_.push_back(std::move(d));
      }
  if (!cfg) return;
  bool alerts = false;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) alerts = alerts || r.is_alert();
  if (alerts && cfg->alertmanager_targets.empty() && !cfg->alertmanager_discovery)
    out_.push_back(
        core::make_diagnostic("config/no-alertmanager", cfg->alerting_span,
                              "alerting rules are loaded but no Alertmanager is configured: alerts fire and go nowhere",
                              "add alerting.alertmanagers[].static_configs[].targets, e.g. ['localhost:9093']"));
}

} // namespace nsmon::lint
