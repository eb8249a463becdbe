// The checks of one rule but its templates' (rule_templates.cpp), its condition's
// (rule_condition.cpp) and its stated units' (rule_units.cpp): the alert's for and labels, its
// selectors of ALERTS and Grafana variables, its cost, a recording rule's name.
#include "nsmon/lint/rule_checks.hpp"

#include <algorithm>
#include <cctype>
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
  name_case(*root);
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
  replaced_name(shape);
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

std::string_view deploy_substitution(std::string_view text) {
  if (!text.starts_with("${")) return {};
  std::size_t end = 2;
  while (end < text.size() && (std::isupper(static_cast<unsigned char>(text[end])) ||
                               std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  return end > 2 && end < text.size() && text[end] == '}' ? text.substr(0, end + 1) : std::string_view();
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

// Two names of one expression spelt in two cases: whole (node_Load1 beside node_load1), or in their
// prefix, the exporter's namespace (jsonnet-libs 7f916bc's squid mixin: the hits of
// squid_client_http_hits_total over Squid_client_http_requests_total). Prometheus's names are
// case-sensitive and an exporter writes its namespace one way, so one of the two selects nothing.
// The name with more capitals is reported, the later one of equals.
void RuleChecks::name_case(const Expr& root) {
  static constexpr std::string_view kTwoMetrics = " differ only in case: Prometheus's metric names are case-sensitive, "
                                                  "so they are two metrics, and one of them selects nothing";
  static constexpr std::string_view kOnePrefix = ": Prometheus's metric names are case-sensitive and an exporter "
                                                 "writes its prefix one way, so one of them selects nothing";
  std::vector<const VectorSelector*> named;
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector && !metric_name(n.as<VectorSelector>()).empty())
      named.push_back(&n.as<VectorSelector>());
    return true;
  });
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  auto capitals = [](std::string_view s) {
    return std::count_if(s.begin(), s.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
  };
  auto prefix = [](std::string_view name) { return name.substr(0, name.find('_')); };
  std::set<std::string> said;
  for (std::size_t i = 0; i < named.size(); ++i)
    for (std::size_t j = i + 1; j < named.size(); ++j) {
      const std::string &a = metric_name(*named[i]), &b = metric_name(*named[j]);
      const bool whole = a != b && lower(a) == lower(b);
      if (!whole && (prefix(a) == prefix(b) || lower(prefix(a)) != lower(prefix(b)))) continue;
      const bool first = whole ? capitals(a) > capitals(b) : capitals(prefix(a)) > capitals(prefix(b));
      const std::string& odd = first ? a : b;
      const std::string& other = first ? b : a;
      if (!said.insert(odd).second) continue;
      const std::string meant = whole ? other : std::string(prefix(other)) + odd.substr(prefix(odd).size());
      emit("promql/metric-name-case", (first ? named[i] : named[j])->range,
           whole ? util::concat({odd, " and ", other, kTwoMetrics})
                 : util::concat(
                       {odd, " begins with ", prefix(odd), ", and ", other, " with ", prefix(other), kOnePrefix}),
           "did you mean " + meant + "?");
    }
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
  if (grafana && deploy_substitution(var).size() == var.size()) {
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
    say(promql::format_matcher(m) + ": " + var + std::string(kSubstitutionWords) +
            "; if nothing does, Prometheus expands no variable in an expression, and the matcher " +
            (regex && var[0] == '$' ? std::string("can never match: in a regex, $ is the end of the text")
                                    : "compares " + m.name + " with the text \"" + v + "\""),
        std::string(kSubstitutionFix), core::Severity::info);
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
  attempt_as_success(*pr_.parsed->expr());
  few_failures_alert(*pr_.parsed->expr());
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
  own_state_alert(*pr_.parsed->expr());
  for_outlasts_condition(*pr_.parsed->expr());
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

// A rule names every series it returns: a record's name becomes __name__, an alert's becomes
// alertname (and an alert drops __name__). Where the result keeps such a label and it tells the
// series apart (ALERTS read without aggregating the name away, count by (__name__)), two series
// with the same other labels become one labelset, and Prometheus fails the evaluation
// (rules/alerting.go, rules/recording.go): the alert never fires, the record holds nothing, while
// they last. A rule's own labels replace labels too, but a by list or a regex does not tell that
// series differ in that label alone (a policy's severity follows its name), so only the names,
// which series share their other labels under, are reported.
void RuleChecks::replaced_name(const Shape& shape) {
  static constexpr std::string_view kBecomeOne =
      " with the same other labels become one labelset, and Prometheus fails "
      "the evaluation (\"vector contains metrics with the same labelset "
      "after applying ";
  const bool alert = r_.is_alert();
  for (const std::string_view label : {"alertname", "__name__"}) {
    auto it = shape.several.find(label);
    if (it == shape.several.end() || !shape.labels.count(label) || (label == "alertname" && !alert)) continue;
    const std::string_view replaces = !alert                 ? "the record's name replaces it"
                                      : label == "alertname" ? "the alert's name replaces it"
                                                             : "an alert drops it";
    emit_at(
        alert ? core::CheckId("alerts/duplicate-labelset") : core::CheckId("rules/duplicate-labelset"), r_.name.span,
        util::concat({"the expression's series keep ", label, ", which tells them apart (", it->second, "), and ",
                      replaces, ": two ", alert ? "alerts" : "series", kBecomeOne, alert ? "alert" : "rule",
                      " labels\")"}),
        label == "alertname"
            ? "aggregate alertname away, e.g. count by (namespace) (...)"
            : "copy the name into a label first, e.g. label_replace(..., \"metric\", \"$1\", \"__name__\", \"(.+)\")");
  }
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
