// The checks of one rule but its templates' (rule_templates.cpp): the alert's condition, its
// selectors of ALERTS and Grafana variables, its cost, a recording rule's name.
#include "nsmon/lint/rule_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <optional>
#include <set>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

using namespace promql;

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

void RuleChecks::run() {
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

void RuleChecks::emit_at(core::CheckId check, const core::Span& at, std::string msg, std::string suggestion) {
  core::Diagnostic d = core::make_diagnostic(check, at, std::move(msg), std::move(suggestion));
  d.rule = r_.name.value;
  d.group = pr_.group->name.value;
  out_.push_back(std::move(d));
}

void RuleChecks::emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion,
                      core::Severity severity) {
  emit_at(check, expr_span(r_, range), std::move(msg), std::move(suggestion));
  out_.back().severity = severity;
}

void RuleChecks::emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion) {
  emit(check, range, std::move(msg), std::move(suggestion), check.severity());
}

// Its suggestion (a far-fetched catalog name: near ones were reported) is not used.
void RuleChecks::foreign_metric(const VectorSelector& vs, const std::string& name, PosRange at, std::string) {
  foreign_.uses.push_back({name, job_of(vs), r_.name.value, pr_.group->name.value, expr_span(r_, at)});
}

void RuleChecks::unrecorded(const VectorSelector&, const std::string& name, PosRange at, bool sure,
                            std::string suggestion) {
  foreign_.unrecorded.push_back(
      {name, {}, r_.name.value, pr_.group->name.value, expr_span(r_, at), sure, std::move(suggestion)});
}

std::string without_spaces(std::string_view expr) {
  // Copied a run at a time, not a byte at a time (~30 instructions a byte through std::isspace).
  std::string out;
  out.reserve(expr.size());
  kept_runs(expr, [&](std::string_view run) { out.append(run); });
  return out;
}

// cybozu's K8sAPIServersDegraded is `count(up{...} == 1) < 3` beside a K8sAPIServersDegraded of
// `absent(up{...} == 1)`: compared as written, spaces aside.
bool RuleChecks::absent_alerted(PosRange filter) const {
  const std::string& text = r_.expr.value;
  if (filter.end > text.size() || filter.start >= filter.end) return false;
  const std::string wanted =
      "absent(" + without_spaces(std::string_view(text).substr(filter.start, filter.end - filter.start));
  return std::any_of(pr_.group->rules.begin(), pr_.group->rules.end(), [&](const rules::Rule& other) {
    return &other != &r_ && other.is_alert() && without_spaces(other.expr.value).find(wanted) != std::string::npos;
  });
}

void RuleChecks::exporter_rename(const VectorSelector&, const std::string& name, PosRange at) {
  ForeignMetrics::Use u{name, {}, r_.name.value, pr_.group->name.value, expr_span(r_, at)};
  u.rule_line = r_.expr.span.line;
  foreign_.renames.push_back(std::move(u));
}

void RuleChecks::exporter_selector(const VectorSelector& vs, const std::string& name, PosRange at) {
  if (catalog::exporters().misspelt(name).exporter) {
    ForeignMetrics::Use u{name, {}, r_.name.value, pr_.group->name.value, expr_span(r_, at)};
    foreign_.misspelt.push_back(std::move(u));
  }
  std::string job = job_of(vs);
  if (job.empty()) return;
  ForeignMetrics::Use u{name, std::move(job), r_.name.value, pr_.group->name.value, expr_span(r_, at)};
  u.rule_line = r_.expr.span.line;
  foreign_.exporter_jobs.push_back(std::move(u));
}

void RuleChecks::app_selector(const VectorSelector& vs) {
  if (std::string job = job_of(vs); !job.empty()) foreign_.app_jobs.insert(std::move(job));
}

std::string RuleChecks::job_of(const VectorSelector& vs) {
  for (const auto& m : vs.matchers)
    if (m.name == "job" && m.op == MatchOp::equal) return m.value;
  return {};
}

// ALERTS{alertname="X"} where no rule of the files defines X selects nothing, ever.
void RuleChecks::alert_selectors(const Expr& root) {
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector) return true;
    const auto& vs = n.as<VectorSelector>();
    for (const auto& m : vs.matchers) unexpanded_placeholder(m);
    const std::string& name = metric_name(vs);
    if (name != "ALERTS" && name != "ALERTS_FOR_STATE") return true;
    for (const auto& m : vs.matchers) {
      if (m.name != "alertname" || (m.op != MatchOp::equal && m.op != MatchOp::regex) || promql::matches_empty(m))
        continue;
      if (std::any_of(alerts_.begin(), alerts_.end(),
                      [&](const DefinedAlert& a) { return labels::matches(m, a.name, labels::Dialect::prometheus); }))
        continue;
      // A name close to one the files define is a typo. Another name may be an alert of rules
      // not linted with these, whose ALERTS reach this Prometheus by federation or remote
      // write: that is for the reader to tell, a note.
      // The alert's own name is no typo: SeedPodStuckInPending reads PodStuckInPending. Nor is a
      // name near another project's alert (projects()): Gardener's garden Prometheus reads its
      // seeds' PodStuckInPending, one letter from a home lab's PodStuckPending (review26).
      std::vector<std::string> others;
      if (m.op == MatchOp::equal)
        for (const DefinedAlert& a : alerts_)
          if (a.name != r_.name.value && a.project == pr_.project) others.emplace_back(a.name);
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

namespace {
// The first Grafana dashboard variable of a matcher's value ($pod, ${pod}, ${pod:regex},
// [[pod]]), or "".
std::string grafana_variable(const std::string& v) {
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
  return var;
}

// The first format placeholder of a matcher's value, or "": jsonnet's and Python's named
// %(shard)s (any of their conversion letters), or a bare %s, %d, %v or %q (printf's, and the
// % operator's with an array) that no letter or digit follows, which no label value is written
// like. %% is a percent sign; %2F and %de are percent-encoding.
std::string format_placeholder(const std::string& v) {
  for (std::size_t i = 0; i + 1 < v.size(); ++i) {
    if (v[i] != '%') continue;
    if (v[i + 1] == '%') {
      ++i;
      continue;
    }
    if (v[i + 1] == '(') {
      std::size_t end = i + 2;
      while (end < v.size() && (std::isalnum(static_cast<unsigned char>(v[end])) || v[end] == '_')) ++end;
      if (end > i + 2 && end + 1 < v.size() && v[end] == ')' &&
          std::string_view("sdiouxXeEfFgGcr").find(v[end + 1]) != std::string_view::npos)
        return v.substr(i, end + 2 - i);
    } else if (std::string_view("sdvq").find(v[i + 1]) != std::string_view::npos &&
               (i + 2 == v.size() || !std::isalnum(static_cast<unsigned char>(v[i + 2])))) {
      return v.substr(i, 2);
    }
  }
  return {};
}
} // namespace

// A placeholder in a rule's matcher that nothing filled in: a Grafana variable ($pod, ${pod},
// [[pod]]) copied from a dashboard's query, or a format placeholder (%(shard)s) a generator's
// jsonnet or Python left unexpanded. Prometheus expands nothing in an expression, so the
// matcher compares with the text itself. In a regex, $ is the end of the text, which no
// character can follow, and %(shard)s is the text %shards.
void RuleChecks::unexpanded_placeholder(const Matcher& m) {
  const std::string& v = m.value;
  std::string var = grafana_variable(v);
  const bool grafana = !var.empty();
  if (!grafana) var = format_placeholder(v);
  if (var.empty()) return;
  auto say = [&](std::string msg, std::string fix, std::optional<core::Severity> severity) {
    if (!severity) {
      if (grafana) emit("rules/grafana-variable", m.range, std::move(msg), std::move(fix));
      else emit("rules/format-placeholder", m.range, std::move(msg), std::move(fix));
    } else if (grafana) emit("rules/grafana-variable", m.range, std::move(msg), std::move(fix), *severity);
    else emit("rules/format-placeholder", m.range, std::move(msg), std::move(fix), *severity);
  };
  // The same placeholder outside every rule of the file (the manifest's metadata.namespace) is
  // no dashboard's: the file is a template that whatever deploys it fills in (an operator's
  // strings.NewReplacer, envsubst, an OpenShift Template's parameters, a Python script's %). A
  // rule's own summary may quote the panel it was copied from: it tells nothing.
  if (pr_.file && pr_.file->source) {
    auto count = [](std::string_view text, std::string_view what) {
      std::size_t n = 0;
      for (auto at = text.find(what); at != std::string_view::npos; at = text.find(what, at + what.size())) ++n;
      return n;
    };
    // Whether the file has `what` outside its rules' expressions, labels and annotations.
    auto outside_rules = [&](std::string_view what) {
      std::size_t in_rules = 0;
      for (const auto& g : pr_.file->groups)
        for (const auto& r : g.rules) {
          in_rules += count(r.expr.value, what);
          for (const auto* kvs : {&r.labels, &r.annotations})
            for (const auto& kv : *kvs) in_rules += count(kv.value.value, what);
        }
      return count(pr_.file->source->text(), what) > in_rules;
    };
    // The template's other placeholders of the kind (LSO's ${DAEMONSET_NAME}, in the
    // expression only) are its too.
    const std::string_view kind = var.starts_with("${") ? "${" : var.starts_with("%(") ? "%(" : "";
    const bool self = outside_rules(var);
    if (self || (!kind.empty() && outside_rules(kind))) {
      say(promql::format_matcher(m) + ": " + var + " is a placeholder of a template (the file has " +
              (self           ? "it"
               : kind == "${" ? "${...}"
                              : "%(...)") +
              " outside its rules too), which whatever deploys the file fills in; as written, Prometheus expands no "
              "variable in an expression, and the matcher compares " +
              m.name + " with the text \"" + v + "\"",
          "lint the file that the template makes", core::Severity::info);
      return;
    }
  }
  const bool regex = m.op == MatchOp::regex || m.op == MatchOp::not_regex;
  const bool negated = m.op == MatchOp::not_equal || m.op == MatchOp::not_regex;
  // ${CLUSTER}, in capitals, is how Flux's postBuild substitution and envsubst name what they fill
  // in before anything applies the manifest (GitOps repositories write group="${CLUSTER}-..."),
  // and Grafana's variables are seldom named so: whether something substitutes it is the
  // deployment's knowledge, said as a condition.
  if (grafana && var.starts_with("${") && std::all_of(var.begin() + 2, var.end() - 1, [](char c) {
        return std::isupper(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_';
      })) {
    // $${CLUSTER} is Flux's escape: its postBuild substitution writes the text ${CLUSTER} and fills
    // in nothing, so the rule Prometheus loads still has the placeholder (fluxcd's kustomization
    // docs: "$${var} which will print out ${var}").
    if (const auto at = v.find("$" + var); at != std::string::npos) {
      std::string after = v;
      after.erase(at, 1);
      say(promql::format_matcher(m) + ": $" + var + " is Flux's postBuild escape, which writes the text " + var +
              " instead of a value; Prometheus expands no variable in an expression, so the matcher " +
              (regex ? std::string("can never match: in a regex, $ is the end of the text")
                     : "compares " + m.name + " with the text \"" + after + "\""),
          "write " + var + " (one $) for Flux to fill it in", core::Severity::info);
      return;
    }
    say(promql::format_matcher(m) + ": " + var +
            " is written like a deploy-time substitution (Flux's postBuild, envsubst), which fills it in before "
            "Prometheus loads the rule; if nothing does, Prometheus expands no variable in an expression, and the "
            "matcher " +
            (regex && var[0] == '$' ? std::string("can never match: in a regex, $ is the end of the text")
                                    : "compares " + m.name + " with the text \"" + v + "\""),
        "lint the file the substitution makes (flux build kustomization, envsubst < FILE)", core::Severity::info);
    return;
  }
  if (grafana) {
    const bool never = regex && var[0] == '$';
    std::string effect = never   ? "can never match: in a regex, $ is the end of the text"
                         : regex ? "reads [[ as a character class, not a variable"
                                 : "compares " + m.name + " with the text \"" + v + "\"";
    say(promql::format_matcher(m) + ": " + var +
            " is a Grafana dashboard variable, and Prometheus expands no variable in a rule's expression; the "
            "matcher " +
            effect + (never && m.op == MatchOp::not_regex ? ", so it removes nothing" : ""),
        "write the value the rule is for, or drop the matcher", std::nullopt);
    return;
  }
  // In a regex, %(shard)s is the text %shards: the parentheses are a group.
  std::string text = var;
  if (regex) std::erase_if(text, [](char c) { return c == '(' || c == ')'; });
  const std::string whose = var.starts_with("%(") ? "a jsonnet (or Python) format placeholder"
                                                  : "a format verb (printf's, or jsonnet's % operator's)";
  const std::string unlike = ", which no " + m.name + " is written like";
  std::string effect = m.op == MatchOp::equal ? "compares " + m.name + " with the text \"" + v + "\"" + unlike +
                                                    ": the selector selects nothing"
                       : m.op == MatchOp::not_equal
                           ? "compares " + m.name + " with the text \"" + v + "\"" + unlike + ", and removes no series"
                           : "reads it as the text \"" + text + "\"" + unlike +
                                 (negated ? ": that part of the regex removes no series"
                                          : ": that part of the regex matches no " + m.name);
  say(promql::format_matcher(m) + ": " + var + " is " + whose +
          " left unexpanded by whatever generated the rule, and Prometheus expands nothing in an expression; "
          "the matcher " +
          effect,
      "expand the format in the generator (the value the rule is for), or drop the matcher", std::nullopt);
}

// --- cost -----------------------------------------------------------------------------------
// A rule runs at every evaluation (every minute by default): a subquery over days re-evaluates
// its inner query at each of its steps, a raw range over days reads every sample of it. The
// burn-rate windows go up to 3d; longer periods are served by averaging a short recording
// (Sloth's period rule), for a fraction of the samples. The cost model is the one judge of how
// much that is: the long range is named only where the rule's estimate passes the policy's
// floor (cost: min_samples), and a rule it names is not judged again by cost_outliers.
void RuleChecks::cost(const Expr& root) {
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
      const auto* vs =
          ms.selector && ms.selector->kind == NodeKind::vector_selector ? &ms.selector->as<VectorSelector>() : nullptr;
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
void RuleChecks::alert(const Shape& shape) {
  one_hot_alert(*pr_.parsed->expr()); // a comparison: filters, so unfiltered() below stays quiet
  outcome_alert(*pr_.parsed->expr());
  if (!or_constant_alert(*pr_.parsed->expr()) && !constant_alert(*pr_.parsed->expr()) &&
      !bool_alert(*pr_.parsed->expr()) && !shape.filters && !always_fires(*pr_.parsed->expr()))
    unfiltered(unparen(pr_.parsed->expr()));
  if (uses_absent_ && (!r_.for_ || r_.for_->ms == 0) && !r_.misspelt.count("for"))
    emit_at("alerts/absent-without-for", r_.name.span,
            absent_stale_ ? "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)"
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
  overwritten_alertname(shape);
  own_state_alert(*pr_.parsed->expr());
  // Prometheus and vmalert expand templates in labels and annotations, never in the alert's name:
  // the alertname label, which routes and silences match, is the text as written (blockscout's
  // helm-charts #95, `alert: "{{ $labels.job }} has no new batches"`).
  if (r_.name.value.find("{{") != std::string::npos)
    emit_at("alerts/templated-name", r_.name.span,
            "Prometheus expands no template in an alert's name: every alert of this rule is named \"" + r_.name.value +
                "\", braces and all",
            "name the alert with a fixed word (e.g. NoNewBatches) and put the template in its summary");
  threshold_unit();
  misspelt_annotation();
  templates(shape);
}

namespace {

// A duration, a percentage or a size an annotation states ("> 100ms", "longer than 0.5 seconds",
// "above 80%", "less than 5GB"), outside its template actions: the number as written and its unit,
// in seconds for a duration (1 or 0.001), kPercent for a percentage, in bytes for a size (`size`).
struct Stated {
  double value, scale;
  std::string text;
  bool size = false;
};
constexpr double kPercent = 0.01;

std::vector<Stated> stated_amounts(std::string_view t) {
  std::vector<Stated> out;
  // ASCII, as std::isalpha and std::isdigit in the "C" locale nsmon runs in, and "{{" by its
  // bytes: every byte of every annotation comes here, where a call per test cost the most.
  auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i] == '{' && i + 1 < t.size() && t[i + 1] == '{') {
      const auto close = t.find("}}", i + 2);
      if (close == std::string_view::npos) break;
      i = close + 1;
      continue;
    }
    // A number of its own: not a part of p99, http2, 1.2.3 or a label value's digits.
    if (!digit(t[i]) || (i > 0 && (letter(t[i - 1]) || digit(t[i - 1]) || t[i - 1] == '.' || t[i - 1] == '_')))
      continue;
    std::size_t j = i;
    while (j < t.size() && (digit(t[j]) || (t[j] == '.' && j + 1 < t.size() && digit(t[j + 1])))) ++j;
    std::size_t w = j < t.size() && t[j] == ' ' ? j + 1 : j;
    std::size_t e = w;
    while (e < t.size() && letter(t[e])) ++e;
    std::string word(t.substr(w, e - w));
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Compared as a view: its size first, where a std::string against a literal takes strlen and
    // memcmp for each of the ten (every number of every annotation comes here).
    const std::string_view unit = word;
    double scale = 0;
    if (unit == "ms" || unit == "msec" || unit == "msecs" || unit == "millisecond" || unit == "milliseconds")
      scale = 0.001;
    else if (unit == "s" || unit == "sec" || unit == "secs" || unit == "second" || unit == "seconds") scale = 1;
    else if (w < t.size() && t[w] == '%') scale = kPercent, e = w + 1; // "80%", "80 %"
    else if (unit == "percent") scale = kPercent;
    bool size = false;
    // "5GB" is read as 10^9 bytes; 2^30 is checked too, as GB often means GiB (size_threshold).
    static constexpr std::pair<std::string_view, double> sizes[] = {{"kb", 1e3},     {"mb", 1e6},     {"gb", 1e9},
                                                                    {"tb", 1e12},    {"kib", 0x1p10}, {"mib", 0x1p20},
                                                                    {"gib", 0x1p30}, {"tib", 0x1p40}};
    for (const auto& [name, bytes] : sizes)
      if (scale == 0 && unit == name) scale = bytes, size = true;
    // strtod, not stod: a number out of range is HUGE_VAL here, not an exception.
    if (scale > 0)
      out.push_back({std::strtod(std::string(t.substr(i, j - i)).c_str(), nullptr), scale,
                     std::string(t.substr(i, e - i)), size});
    i = j;
  }
  return out;
}

bool same_number(double a, double b) { return std::abs(a - b) <= 1e-9 * std::max(std::abs(a), std::abs(b)); }

// Bytes divided by a constant and compared with a size the annotations state, where the
// threshold is the stated number but the divisor makes it another size: `available_bytes /
// (10 * 1000 * 1000 * 1000) < 5` described as "Less than 5GB" is below 50 GB (govuk-helm-charts
// dd033c2: "the units returned by the query were actually 10s of GBs"). A size agrees in either
// reading of its unit (GB is 10^9 or 2^30 bytes); a stated size whose number is not the threshold
// says nothing. The finding's message and help, or nothing.
std::optional<std::pair<std::string, std::string>>
size_mismatch(const Expr& side, double v, const std::vector<std::pair<std::string, Stated>>& stated,
              const Inference& inf) {
  // The bytes as they are (k = 1), or divided by a constant.
  const Expr* u = unparen(&side);
  std::optional<double> k = 1;
  std::string divisor;
  if (u->kind == NodeKind::binary && u->as<BinaryExpr>().op == BinaryOp::div) {
    const auto& q = u->as<BinaryExpr>();
    k = inf.constant(q.rhs);
    divisor = " / " + print(*q.rhs);
    u = q.lhs;
  }
  std::string of;
  if (v <= 0 || !k || *k <= 0 || unit_by_name(*u, &of) != "bytes") return {};
  const double bytes = v * *k;
  const std::pair<std::string, Stated>* wrong = nullptr;
  for (const auto& kd : stated) {
    const Stated& d = kd.second;
    if (!d.size) continue;
    const double n = std::round(std::log10(d.scale) / 3); // KB 1, MB 2, GB 3, TB 4
    if (same_number(bytes, d.value * std::pow(1e3, n)) || same_number(bytes, d.value * std::pow(2, 10 * n))) return {};
    if (same_number(v, d.value) && !wrong) wrong = &kd;
  }
  if (!wrong) return {};
  const auto& [key, said] = *wrong;
  const std::string unit = said.text.substr(said.text.find_first_not_of("0123456789."));
  return std::pair{
      util::concat({"the ", key, " annotation says ", said.text, ", but ", of, divisor,
                    *k == 1 ? " is in bytes" : " counts units of " + util::format_number(*k) + " bytes",
                    ": the threshold ", util::format_number(v), " is ",
                    *k == 1 ? util::format_number(v) + " bytes" : util::format_number(bytes / said.scale) + unit}),
      util::concat({"divide by ", util::format_number(said.scale), " to compare in ", util::trim(unit), ", or write ",
                    util::format_number(said.value * said.scale / *k), " for ", said.text})};
}

} // namespace

// A threshold the annotations state in another unit than the expression's values, where the
// threshold is the number they state:
// - a duration in the other unit of time: `rate(read_time_seconds_total) / rate(reads_completed_total) > 100`
//   described as "> 100ms" (awesome-prometheus-alerts 4266b4d), an average in milliseconds compared with 0.1,
//   "longer than 100ms" (cbc2022), or a recorded p95 in seconds (type:rails_requests_completed_seconds:p95)
//   compared with 2000, "over 2s" (gitlab-com d2d59af). Said only where the threshold is a stated duration,
//   written as is or converted between seconds and milliseconds, in the other unit than the names give, and no
//   stated duration agrees with the threshold in theirs;
// - a percentage, where the values are a unit over itself (used_bytes / capacity_bytes), a plain ratio that
//   reaches 80 only at 8,000%: `> 80` described as "exceeded 80%" (openstack-helm-infra 8411362).
void RuleChecks::threshold_unit() {
  std::vector<std::pair<std::string, Stated>> stated;
  for (const auto& kv : r_.annotations)
    for (auto& d : stated_amounts(kv.value.value)) stated.emplace_back(kv.key.value, std::move(d));
  if (stated.empty()) return;
  walk(*pr_.parsed->expr(), [&](const Expr& n, auto) {
    if (n.kind != NodeKind::binary) return true;
    const auto& b = n.as<BinaryExpr>();
    if (!is_comparison(b.op) || b.op == BinaryOp::eql || b.op == BinaryOp::neq) return true;
    const Expr* l = unparen(b.lhs);
    const Expr* r = unparen(b.rhs);
    const bool right = r->kind == NodeKind::number_literal;
    if (right == (l->kind == NodeKind::number_literal)) return true;
    const double v = (right ? r : l)->as<NumberLiteral>().value;
    const Expr& side = right ? *l : *r;
    std::string of;
    // The threshold is a stated percentage: the values must be one, not a ratio where 1 is 100%.
    const auto percent = std::find_if(stated.begin(), stated.end(), [&](const auto& kd) {
      return kd.second.scale == kPercent && same_number(v, kd.second.value);
    });
    if (v != 0 && percent != stated.end()) {
      const bool quotient = unit_by_name(side, &of) == "quotient";
      if (quotient || count_ratio(side, &of)) {
        const auto& [key, said] = *percent;
        emit("units/ratio-as-percent", b.range,
             util::concat({"the ", key, " annotation says ", said.text, ", but ", of,
                           quotient ? " is a unit over itself" : " is a ratio of two counts of events",
                           ", a ratio where 1 is 100%: the threshold ", util::format_number(v), " is ",
                           util::format_number(v * 100), "%"}),
             util::concat(
                 {"write ", util::format_number(v / 100), " for ", said.text, ", or multiply the ratio by 100"}));
        return true;
      }
    }
    if (auto m = size_mismatch(side, v, stated, inf_)) {
      emit("units/threshold-unit", b.range, m->first, m->second);
      return true;
    }
    const double unit = duration_unit(side, &of);
    if ((unit != 1 && unit != 0.001) || v == 0) return true; // stated durations are seconds or milliseconds
    // A recording rule of these files that scales what it records (x * 1000) under a name in
    // seconds breaks the name's promise: the name says nothing then.
    bool scaled_record = false;
    walk(side, [&](const Expr& x, auto) {
      if (x.kind != NodeKind::vector_selector) return true;
      auto it = inf_.recorded().find(promql::metric_name(x.as<VectorSelector>()));
      scaled_record = scaled_record || (it != inf_.recorded().end() && it->second.scaled);
      return !scaled_record;
    });
    if (scaled_record) return true;
    // The unit the threshold was written in, as each stated duration would have it.
    const std::pair<std::string, Stated>* wrong = nullptr; // the annotation's key and its duration
    for (const auto& kd : stated) {
      const Stated& d = kd.second;
      if (d.scale == kPercent || d.size) continue;
      double meant = 0;
      if (same_number(v, d.value)) meant = d.scale;
      else if (d.scale == 0.001 && same_number(v, d.value / 1000)) meant = 1;
      else if (d.scale == 1 && same_number(v, d.value * 1000)) meant = 0.001;
      if (meant == unit) return true;
      if (meant != 0 && !wrong) wrong = &kd;
    }
    if (!wrong) return true;
    auto in = [](double scale) { return scale == 1 ? "seconds" : "milliseconds"; };
    const std::string& key = wrong->first;
    const Stated& said = wrong->second;
    emit("units/threshold-unit", b.range,
         util::concat({"the ", key, " annotation says ", said.text, ", but ", of, " is in ", in(unit),
                       " by its names: the threshold ", util::format_number(v), " is ", util::format_number(v), " ",
                       in(unit)}),
         util::concat({"write ", util::format_number(said.value * said.scale / unit), " for ", said.text}));
    return true;
  });
}

// A selector that names no metric picks every series its matchers admit, the alert's own among
// them. Once the alert is pending Prometheus writes ALERTS_FOR_STATE, with the labels of the series
// that raised it and the alert's name and labels, valued the time the alert became active in
// seconds since 1970, and ALERTS, the same labels and alertstate, valued 1 (rules/alerting.go,
// sample and forStateSample). Compared with a number one of them passes as the alert's whole
// condition, it keeps the alert firing after the series that raised it recovers; ALERTS_FOR_STATE,
// without alertstate, is also one labelset with that series once the alert's labels are applied,
// and while both pass the evaluation fails (HolgerHees/smartserver #15,
// `{chart=~"smartd_log.*"} > 50`). Only a comparison with the selector itself is read: an
// aggregation or a function would keep other labels, or other values.
void RuleChecks::own_state_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || b.return_bool) return;
  const Expr* l = unparen(b.lhs);
  const Expr* r = unparen(b.rhs);
  const bool number_right = r->kind == NodeKind::number_literal;
  const Expr* side = number_right ? l : r;
  const Expr* number = number_right ? r : l;
  if (side->kind != NodeKind::vector_selector || number->kind != NodeKind::number_literal) return;
  const auto& vs = side->as<VectorSelector>();
  if (!metric_name(vs).empty()) return;
  // Whether the matchers admit the alert's own series `name` (alertstate: ALERTS's).
  auto admits = [&](std::string_view name, std::string_view alertstate) {
    for (const auto& m : vs.matchers) {
      std::string_view own;
      if (m.name == "__name__") own = name;
      else if (m.name == "alertname") own = r_.name.value;
      else if (m.name == "alertstate") own = alertstate;
      else if (const rules::KeyValue* kv = own_label(m.name)) {
        if (kv->value.value.find("{{") != std::string::npos) return false; // known only when expanded
        own = kv->value.value;
      } else continue; // the series that raised the alert matched it, and the alert's have its labels
      if (!labels::matches(m, own, labels::Dialect::prometheus)) return false;
    }
    return true;
  };
  // The comparison as `series op v`, the number on the right.
  BinaryOp op = b.op;
  if (!number_right)
    op = op == BinaryOp::gtr   ? BinaryOp::lss
         : op == BinaryOp::lss ? BinaryOp::gtr
         : op == BinaryOp::gte ? BinaryOp::lte
         : op == BinaryOp::lte ? BinaryOp::gte
                               : op;
  const double v = number->as<NumberLiteral>().value;
  const std::string cmp = util::concat({to_string(b.op), " ", util::format_number(v)});
  // Any time from 2001 to 2286 passes.
  if (admits("ALERTS_FOR_STATE", "") && passes(1e9, op, v) && passes(1e10, op, v))
    emit("alerts/reads-own-state", vs.range,
         util::concat({"the selector names no metric, so it also picks this alert's own ALERTS_FOR_STATE (the "
                       "labels of the series that raised it, valued the time it became active, about 1.7e9): ",
                       cmp,
                       " holds for it, so once fired the alert never resolves, and while that series still "
                       "passes too the evaluation fails"}),
         "name the metric, or its prefix ({__name__=~\"netdata_.*\", ...}), or add alertname=\"\"");
  else if (admits("ALERTS", "firing") && passes(1, op, v))
    emit("alerts/reads-own-state", vs.range,
         util::concat({"the selector names no metric, so it also picks this alert's own ALERTS (the labels of "
                       "the series that raised it, valued 1): ",
                       cmp, " holds for it, so once fired the alert keeps a copy of itself that never resolves"}),
         "name the metric, or its prefix ({__name__=~\"netdata_.*\", ...}), or add alertname=\"\"");
}

// The alert sets alertname on every series it returns. Where the result keeps an alertname that
// tells its series apart (ALERTS read without aggregating the name away), two alerts with the same
// other labels become one labelset, and Prometheus fails the evaluation (rules/alerting.go): the
// alert never fires while they last. A rule's own labels replace labels too, but a by list or a
// regex does not tell that series differ in that label alone (a policy's severity follows its
// name), so only the name, which alerts share their other labels under, is reported.
void RuleChecks::overwritten_alertname(const Shape& shape) {
  auto it = shape.several.find("alertname");
  if (it == shape.several.end() || !shape.labels.count("alertname")) return;
  emit_at("alerts/duplicate-labelset", r_.name.span,
          util::concat({"the expression's series keep alertname, which tells them apart (", it->second,
                        "), and the alert's name replaces it: two alerts with the same other labels become one "
                        "labelset, and Prometheus fails the evaluation (\"vector contains metrics with the same "
                        "labelset after applying alert labels\")"}),
          "aggregate alertname away, e.g. count by (namespace) (...)");
}

// An alert whose expression returns one series at every evaluation, whatever the data: a
// scalar, which the evaluator makes one series without labels, or vector(0). vector() of any
// other number is a design, the heartbeat that proves the pipeline works: Watchdog's vector(1),
// a book's deadmanswitch written vector(42) (review26); only 0 may be read as false, an alert
// meant never to fire. Whether it was reported.
bool RuleChecks::constant_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->type == ValueType::scalar) {
    emit_at("alerts/no-comparison", r_.expr.span,
            "alert " + r_.name.value +
                " always fires: its expression is a scalar, which Prometheus turns into one series without labels "
                "at every evaluation, whatever its value",
            "select the series whose state is bad, e.g. `x > 0.9`");
    return true;
  }
  auto v = inf_.vector_number(top);
  if (!v || *v != 0) return false;
  emit_at("alerts/no-comparison", r_.expr.span,
          "alert " + r_.name.value + " always fires: " + print(*top) +
              " returns one series at every evaluation, whatever its value",
          "select the series whose state is bad; a heartbeat alert (Watchdog) is written vector(1)");
  return true;
}

// A side of the top-level `or` written without parentheses that is vector(c) compared with a
// number: `or` binds looser than any comparison, so `A or vector(0) < 1` is `A or (vector(0) < 1)`,
// not `(A or vector(0)) < 1`. The or and that side, or nulls.
std::pair<const BinaryExpr*, const Expr*> RuleChecks::numbers_compared_in_or(const Expr& root) const {
  for (const Expr* e = unparen(&root); e->kind == NodeKind::binary && e->as<BinaryExpr>().op == BinaryOp::lor;
       e = unparen(e->as<BinaryExpr>().lhs)) {
    const auto& o = e->as<BinaryExpr>();
    for (const Expr* side : {o.rhs, o.lhs}) {
      if (side->kind != NodeKind::binary) continue; // in parentheses, the author chose the grouping
      const auto& c = side->as<BinaryExpr>();
      if (!is_comparison(c.op) || c.return_bool) continue;
      if (inf_.vector_number(c.lhs) && inf_.constant(c.rhs)) return {&o, side};
    }
  }
  return {nullptr, nullptr};
}

namespace {
bool holds(const Expr& side, const Inference& inf) {
  const auto& c = side.as<BinaryExpr>();
  return passes(*inf.vector_number(c.lhs), c.op, *inf.constant(c.rhs));
}
} // namespace

// Where the two numbers of that side pass, it is a series at every evaluation, the or's result is
// never empty, and the alert fires at every evaluation (awesome-prometheus-alerts f673fe7). Whether
// it was reported.
bool RuleChecks::or_constant_alert(const Expr& root) {
  const auto [o, side] = numbers_compared_in_or(root);
  if (!side || !holds(*side, inf_)) return false;
  const auto& c = side->as<BinaryExpr>();
  const std::string op(to_string(c.op)), whole = print(*o), compared = print(*side);
  // The or as written, its comparison moved outside: `(A or on () vector(0)) < 1`.
  std::string fix = "put the or in parentheses and compare the whole of it";
  if (side == o->rhs && whole.ends_with(compared))
    fix = "group the or before comparing: `(" + whole.substr(0, whole.size() - compared.size()) + print(*c.lhs) + ") " +
          op + " " + print(*c.rhs) + "`";
  emit_at("alerts/no-comparison", r_.expr.span,
          "alert " + r_.name.value + " always fires: 'or' binds looser than '" + op + "', so " + compared +
              " is a side of the or of its own, two numbers compared, which holds: it adds a series at every "
              "evaluation",
          fix);
  return true;
}

// An alert whose expression is a comparison with bool: bool makes the comparison a value, 1 where
// it holds and 0 where it does not, and keeps every series its sides match; Prometheus fires for
// every series an alert returns, 0 too, wherever the comparison can fail. gitlab-com's runbooks'
// PostgreSQL_SplitBrain (count(... == 0) by (environment, type) > bool 1) paged every environment
// with its one primary.
// Whether it was reported.
bool RuleChecks::bool_alert(const Expr& root) {
  const Expr* top = unparen(&root);
  if (top->kind != NodeKind::binary) return false;
  const auto& b = top->as<BinaryExpr>();
  if (!is_comparison(b.op) || !b.return_bool) return false;
  // Where the comparison holds for every value the other side can take ((foo > 1) > bool 1),
  // every series is 1, and what that side filters is the alert's condition.
  const std::optional<double> r = inf_.constant(b.rhs), l = r ? std::nullopt : inf_.constant(b.lhs);
  if (const Expr* side = r   ? b.lhs
                         : l ? b.rhs
                             : nullptr;
      side && compare(inf_.at(side), side == b.lhs ? b.op : flip(b.op), r ? *r : *l) == Verdict::always)
    return false;
  const std::string op(to_string(b.op));
  emit_at("alerts/no-comparison", r_.expr.span,
          util::concat({"alert ", r_.name.value, " fires for every series its expression returns: '", op,
                        " bool' keeps them all, valued 1 where the comparison holds and 0 where it does not, and ",
                        "Prometheus fires for every series, 0 too"}),
          util::concat({"drop bool: `", op, "` keeps only the series where the comparison holds"}));
  return true;
}

// An alert with nothing that filters fires for every series its expression returns. That is a
// bug where the series exist whatever the state (a rate, a gauge, a state series that is 0 or
// 1 for every object); it is the alert's design where a selector's matchers choose the series
// of the bad state and the expression passes them on: say so only where it is known.
void RuleChecks::unfiltered(const Expr* top) {
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
    // Whether the series the matcher picks exist only while the problem lasts (a state's series,
    // an index so named) or always (valued 0 when all is well) is the exporter's choice: the claim
    // is a guess, said as one, in words that fit a state label and any other alike.
    const VectorSelector& vs = *found.state;
    // The matcher to name: an equality (a regex more often picks places: vcenter=~"vc-.*").
    auto m_it = std::find_if(vs.matchers.begin(), vs.matchers.end(),
                             [](const Matcher& x) { return picks_state(x) && x.op == MatchOp::equal; });
    const Matcher& m =
        m_it != vs.matchers.end() ? *m_it : *std::find_if(vs.matchers.begin(), vs.matchers.end(), picks_state);
    // Where the matcher's label is a well-known exporter's one-hot state that every object has
    // (rules/exporters.yml `one_hot` with `every_object`: elasticsearch_cluster_health_status's
    // color), the series it picks exists in every state, 0 where that state does not hold: the
    // guess is known (wikimedia operations-alerts a5f4cfb^: LogstashClusterStatus on a green cluster).
    const catalog::ExporterMetric* known = catalog::exporters().find(metric_name(vs));
    const catalog::ExporterLabel* state = known ? known->label(m.name) : nullptr;
    if (state && state->one_hot && !state->every_object.empty() &&
        inf_.series(vs).origin == SeriesInfo::Origin::external) {
      emit_at("alerts/no-comparison", r_.expr.span,
              util::concat({alert, known->exporter->name, state->since.empty() ? "" : " (since " + state->since + ")",
                            " writes ", metric_name(vs), " for every object with a series per ", m.name, " (",
                            util::join(state->values, ", "), "), 1 for the one that holds and 0 for the others, so ",
                            promql::format_matcher(m), " picks a series in every state and the alert fires ",
                            "for every object, whatever its ", m.name}),
              util::concat({"compare the value too: `== 1` keeps the objects whose ", m.name, " is ", m.value}));
      return;
    }
    emit_at("alerts/no-comparison", r_.expr.span,
            util::concat({"alert ", r_.name.value, " compares nothing: its condition is the matcher ",
                          promql::format_matcher(m), " of ", metric_name(vs), ", which holds only if ", metric_name(vs),
                          " has a series the matcher picks only while the problem lasts; if it keeps one otherwise",
                          " (valued 0, say), the alert fires for it then too"}),
            // Not only `== 1`: the series may be a count (endpoints in the state) or a size
            // (awesome-prometheus-alerts' PostgresqlInvalidIndex reads an index's bytes), which
            // `== 1` would silence.
            "compare the value too: `== 1` where the series is 1 in that state and 0 in the others, "
            "`> 0` where it counts or measures what is in it");
    out_.back().severity = core::Severity::info;
    return;
  }
  // `A or on () vector(0) > 0.9`: the comparison the author wrote compares two numbers only
  // (pinano/traefik-pro-stack's five alerts so, review24).
  if (const auto [o, side] = numbers_compared_in_or(*top); side && side == o->rhs) {
    const auto& cmp = side->as<BinaryExpr>();
    const std::string op(to_string(cmp.op)), threshold = print(*cmp.rhs);
    emit_at("alerts/no-comparison", r_.expr.span,
            util::concat({"alert ", r_.name.value, " compares nothing: 'or' binds looser than '", op, "', so '", op,
                          " ", threshold, "' compares only ", print(*cmp.lhs),
                          ", a side of the or of its own that never holds, and the alert fires ",
                          "for every series of ", print(*o->lhs), ", whatever its value"}),
            util::concat({"compare that side: `", print(*o->lhs), " ", op, " ", threshold, "`"}));
    return;
  }
  emit_at("alerts/no-comparison", r_.expr.span,
          alert + "it fires for every series the expression returns, whatever its value",
          "add a comparison, e.g. `> 0.9`");
}

RuleChecks::Condition RuleChecks::condition(const Expr* root, Found& found) const {
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
    // Arithmetic passes on the series of the side whose labels the result takes (the left, the
    // right under group_right, the vector beside a number), and a proven condition with them:
    // node_os_info{id!="debian"} * on (instance) group_left (nodename) node_uname_info. What
    // the other side's matchers pick is where the join applies, more often a scope than a state
    // (x * on (namespace) group_left kube_namespace_labels{label_team="neco"}); and a value
    // made of others (a ratio of two states' counts) exists whatever the state. But where the
    // kept side is an info series (1 for every object), the result has no value to compare:
    // the objects the join keeps are the alert, and a state the other side's matchers pick is
    // its condition (webgrip's kube_pod_info{...} * on (node) group_left (role)
    // kube_node_role{role="control-plane"}: the apps' pods on a control-plane node).
    if (!is_set_operator(b.op) && !is_comparison(b.op)) {
      const VectorMatching* vm = b.matching();
      const bool right = b.lhs->type != ValueType::vector || (vm && vm->card == Cardinality::one_to_many);
      const Expr* kept = unparen(right ? b.rhs : b.lhs);
      const Expr* other = unparen(right ? b.lhs : b.rhs);
      if (condition(kept, found) == Condition::proven) return Condition::proven;
      const bool joins_state = vm && kept->kind == NodeKind::vector_selector &&
                               info_name(metric_name(kept->as<VectorSelector>())) &&
                               other->kind == NodeKind::vector_selector &&
                               std::any_of(other->as<VectorSelector>().matchers.begin(),
                                           other->as<VectorSelector>().matchers.end(), picks_state);
      return joins_state ? Condition::proven : Condition::none;
    }
    if (!is_set_operator(b.op)) return Condition::none;
    const Condition l = condition(b.lhs, found), r = condition(b.rhs, found);
    return b.op == BinaryOp::lor ? std::min(l, r) : std::max(l, r);
  }
  default: return Condition::none;
  }
}

// A matcher that picks a state rather than a place: not on a label that names the target or the
// Kubernetes object, and not one that only asks for the label (l!="", l=~".+").
bool RuleChecks::picks_state(const Matcher& m) {
  static const std::set<std::string, std::less<>> kPlace = {"__name__",  "job",   "instance", "namespace",
                                                            "pod",       "node",  "service",  "cluster",
                                                            "container", "module"}; // snmp_exporter's module
  if (kPlace.count(m.name) || m.value.empty()) return false;
  return !((m.op == MatchOp::regex || m.op == MatchOp::not_regex) && (m.value == ".+" || m.value == ".*"));
}

// Whether a metric is named as an info or metadata series, 1 for every object and its label
// values: NetApp Harvest writes its info series *_labels (netapp_volume_labels), and
// kube-state-metrics its objects' Kubernetes labels and annotations (kube_pod_labels,
// kube_namespace_annotations).
bool RuleChecks::info_name(std::string_view name) {
  return name.ends_with("_info") || name.ends_with("_metadata") || name.ends_with("_labels") ||
         name.ends_with("_annotations");
}

// Whether the series a selector picks exist only in the state its matchers ask for, so that
// their existence is the condition: ALERTS (a series only while an alert is pending or
// firing), an info or metadata series (always 1, a series per object and label values) picked
// by a state label or by the lack of a label (kube_pod_labels{label_team=""}: the pods without
// a team), any series picked by != or !~ on a state label (the outcomes other than the good one).
bool RuleChecks::matchers_are_condition(const VectorSelector& vs) {
  const std::string& name = metric_name(vs);
  if (name == "ALERTS" || name == "ALERTS_FOR_STATE") return true;
  const bool info = info_name(name);
  return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
    const bool lacks = m.value.empty() && (m.op == MatchOp::equal || m.op == MatchOp::regex) && m.name != "__name__";
    return (picks_state(m) && (info || m.op == MatchOp::not_equal || m.op == MatchOp::not_regex)) || (info && lacks);
  });
}

std::vector<std::string> high_cardinality_labels(const catalog::Catalog& cat) {
  std::vector<std::string> out;
  for (const auto& m : cat.metrics)
    for (const auto& l : m.labels)
      if (l.high_cardinality && std::find(out.begin(), out.end(), l.name) == out.end()) out.push_back(l.name);
  return out;
}

std::vector<std::string> RuleChecks::high_cardinality(const Shape& shape) {
  std::vector<std::string> out;
  for (const auto& l : high_cardinality_)
    if (shape.labels.count(l)) out.push_back(l);
  return out;
}

void RuleChecks::recording_name() {
  const std::string& n = r_.name.value;
  // Names that a generator defines and dashboards query by that name: renaming them would break
  // what reads them. Sloth records sloth_slo_info, its SLOs' info series.
  static constexpr std::string_view generated[] = {"sloth_slo_info"};
  if (std::find(std::begin(generated), std::end(generated), n) != std::end(generated)) return;
  if (std::count(n.begin(), n.end(), ':') < 2)
    emit_at("rules/record-naming", r_.name.span,
            "recording rule " + n + " does not follow level:metric:operations (e.g. job:errors:rate5m)");
}
} // namespace nsmon::lint
