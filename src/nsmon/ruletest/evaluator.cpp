#include "nsmon/ruletest/evaluator.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <optional>
#include <set>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/promql/metricsql.hpp"
#include "nsmon/promql/printer.hpp"

namespace nsmon::ruletest {

namespace {

/// Prometheus keeps a resolved alert this long (rules.resolvedRetention); a new result for its
/// labels within it starts a new alert all the same, so only `alerts()` after resolution sees it.
constexpr std::int64_t kResolvedRetentionMs = 15 * 60 * 1000;

void set_label(Labels& ls, const std::string& name, std::string value) {
  auto it =
      std::lower_bound(ls.begin(), ls.end(), name, [](const auto& l, const std::string& n) { return l.first < n; });
  if (it != ls.end() && it->first == name) {
    if (value.empty()) ls.erase(it);
    else it->second = std::move(value);
  } else if (!value.empty()) {
    ls.emplace(it, name, std::move(value));
  }
}

void del_label(Labels& ls, const std::string& name) { set_label(ls, name, ""); }

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

} // namespace

const char* to_string(AlertState s) {
  switch (s) {
  case AlertState::inactive: return "inactive";
  case AlertState::pending: return "pending";
  case AlertState::firing: return "firing";
  }
  return "inactive";
}

std::vector<EvalGroup> compile_groups(const std::vector<rules::RuleFile>& files, std::int64_t default_interval_ms,
                                      const promql::ParseOptions& parse, std::vector<core::Diagnostic>& diags) {
  std::vector<EvalGroup> out;
  for (const auto& f : files) {
    // Every expression parsed first: the file is vmalert's when a group is, or an expression
    // that PromQL refuses names a MetricsQL extension (as lint-rules decides: rules::language_of).
    std::vector<std::shared_ptr<promql::ParseResult>> parsed_rules;
    std::vector<rules::MetricsqlVerdict> verdicts;
    bool vmalert = false;
    for (const auto& g : f.groups) {
      vmalert |= g.ruler == rules::Schema::vmalert;
      for (const auto& r : g.rules) {
        auto& p = parsed_rules.emplace_back(std::make_shared<promql::ParseResult>(promql::parse(r.expr.value, parse)));
        rules::MetricsqlVerdict& mql = verdicts.emplace_back();
        if (!p->ok() && (g.ruler == rules::Schema::automatic || g.ruler == rules::Schema::vmalert)) {
          promql::MetricsqlReading reading = promql::read_metricsql(r.expr.value);
          mql = {reading.parses, !reading.extension.empty()};
          vmalert |= mql.named;
        }
      }
    }
    std::size_t next = 0;
    for (const auto& g : f.groups) {
      EvalGroup eg;
      eg.file = f.path;
      eg.name = g.name.value;
      eg.interval_ms = g.interval ? g.interval->ms : default_interval_ms;
      eg.query_offset_ms = g.query_offset ? g.query_offset->ms : 0;
      eg.limit = g.limit.value_or(0);
      for (const auto& r : g.rules) {
        const rules::MetricsqlVerdict mql = verdicts[next];
        auto parsed = std::move(parsed_rules[next++]);
        // Another ruler's language: nsmon's engine runs PromQL only, so the file is refused.
        if (rules::Language l = rules::language_of(g.ruler, g.type.value, r.expr.value, parsed->ok(), mql, vmalert);
            l != rules::Language::promql) {
          const bool loki = l == rules::Language::logql;
          core::Diagnostic d = core::make_diagnostic(
              "rules/other-ruler", r.expr.span,
              std::string(r.is_alert() ? "alert " : "recording rule ") + r.name.value + " is written in " +
                  std::string(rules::language_name(l)) + (loki ? " (Loki ruler)" : " (vmalert)") +
                  ": nsmon evaluates PromQL only, so it cannot run this file",
              loki ? "run it with Loki's ruler; lint-rules reads the file and skips such rules"
                   : "run it with vmalert (vmalert-tool unittest for rule tests); lint-rules reads the file and skips "
                     "such rules");
          d.severity = core::Severity::error;
          d.rule = r.name.value;
          d.group = g.name.value;
          diags.push_back(std::move(d));
          continue;
        }
        if (!parsed->ok()) {
          for (const auto& e : parsed->errors()) {
            core::Span at = r.expr.span;
            if (f.source) {
              auto lc = f.source->line_col(r.expr.file_offset(e.range.start));
              at.line = lc.line;
              at.col = lc.col;
              at.len = static_cast<int>(std::max<std::size_t>(1, e.range.end - e.range.start));
            }
            core::Diagnostic d = core::make_diagnostic("promql/syntax", at, e.message);
            d.rule = r.name.value;
            d.group = g.name.value;
            diags.push_back(std::move(d));
          }
          continue;
        }
        // Prometheus evaluates a rule from its expression's printed form (rules.EngineQueryFunc
        // gets expr.String()), whose matchers are sorted: absent(x{a="1", a!~"2"}) keeps a="1"
        // there, as the sorted a!~ comes first. So does nsmon, from the same printed form.
        auto printed = std::make_shared<promql::ParseResult>(promql::parse(promql::print(*parsed->expr()), parse));
        if (printed->ok()) parsed = std::move(printed);
        eg.rules.push_back({&r, std::move(parsed)});
      }
      out.push_back(std::move(eg));
    }
  }
  return out;
}

std::string GroupEvaluator::expand(const std::string& text, const TemplateData& data) const {
  if (settings_.expand) return settings_.expand(text, data);
  if (text.find("{{") == std::string::npos) return text; // most values: no template at all
  gotemplate::TemplateData td;
  td.labels = data.labels;
  td.value = data.value;
  td.external_labels = data.external_labels;
  td.external_url = data.external_url;
  td.timestamp = static_cast<double>(data.t) / 1000.0;
  // The `query` function: an instant query on the same storage at the evaluation time.
  gotemplate::QueryFn query = [this, t = data.t](std::string_view expr) {
    gotemplate::QueryAnswer answer;
    promql::ParseResult parsed = promql::parse(expr);
    if (!parsed.ok()) {
      answer.error = parsed.error_string();
      return answer;
    }
    engine::Result r = engine::instant(*parsed.expr(), storage_, t, settings_.query);
    if (r.error) answer.error = *r.error;
    else if (r.value.type == promql::ValueType::vector)
      for (auto& s : r.value.vector) answer.samples.push_back({std::move(s.labels), s.v});
    else if (r.value.type == promql::ValueType::scalar) answer.samples.push_back({{}, r.value.scalar});
    else answer.error = "rule result is not a vector or scalar";
    return answer;
  };
  return gotemplate::expand_alert_template(data.alertname, text, td, query).text;
}

GroupEvaluator::GroupEvaluator(const std::vector<EvalGroup>& groups, engine::Storage& storage, EvalSettings settings)
    : groups_(groups), storage_(storage), settings_(std::move(settings)) {
  for (const auto& g : groups_) {
    state_.emplace_back(g.rules.size());
    produced_.emplace_back(g.rules.size(), false);
  }
}

std::vector<RuleError> GroupEvaluator::eval_at(std::int64_t t) {
  std::vector<RuleError> errors;
  for (std::size_t g = 0; g < groups_.size(); ++g) {
    auto e = eval_group(g, t);
    errors.insert(errors.end(), e.begin(), e.end());
  }
  return errors;
}

// A sample the storage refuses: Prometheus's head accepts the same value at the same time again,
// and refuses another value ("duplicate sample for timestamp") or an older time ("out of order
// sample").
bool GroupEvaluator::append(const Labels& ls, std::int64_t t, double v, const engine::HistogramPtr& h) {
  if (h ? storage_.add(ls, t, h) : storage_.add(ls, t, v)) return true;
  auto it = storage_.all().find(ls);
  if (it == storage_.all().end() || it->second.points.empty() || it->second.points.back().t != t) return false;
  const engine::Point& last = it->second.points.back();
  if (h || last.h) return h && last.h && engine::test_expression(*h) == engine::test_expression(*last.h);
  return same_bits(last.v, v);
}

std::vector<RuleError> GroupEvaluator::eval_group(std::size_t gi, std::int64_t t) {
  std::vector<RuleError> errors;
  const EvalGroup& g = groups_[gi];
  const std::int64_t ts = t - g.query_offset_ms;
  for (std::size_t ri = 0; ri < g.rules.size(); ++ri) {
    const EvalRule& r = g.rules[ri];
    RuleState& st = state_[gi][ri];
    std::string error;
    std::vector<engine::Sample> out = eval_rule(g, r, st, t, error);
    if (!error.empty()) {
      errors.push_back({g.name, r.rule->name.value, t, error});
      continue;
    }
    if (!out.empty() || (r.rule->is_alert() && !st.active.empty())) produced_[gi][ri] = true;
    // Write the results; a series of the previous evaluation that is gone gets a staleness marker.
    std::vector<Labels> written;
    written.reserve(out.size());
    std::string append_error;
    for (auto& s : out) {
      if (append(s.labels, ts, s.v, s.h)) written.push_back(std::move(s.labels));
      else {
        auto it = storage_.all().find(s.labels);
        bool dup = it != storage_.all().end() && !it->second.points.empty() && it->second.points.back().t == ts;
        append_error = dup ? "duplicate sample for timestamp" : "out of order sample";
      }
    }
    std::sort(written.begin(), written.end());
    for (const auto& prev : st.previous)
      if (!std::binary_search(written.begin(), written.end(), prev)) storage_.add(prev, ts, engine::stale_nan());
    st.previous = std::move(written);
    if (!append_error.empty()) errors.push_back({g.name, r.rule->name.value, t, append_error});
  }
  return errors;
}

std::vector<engine::Sample> GroupEvaluator::eval_rule(const EvalGroup& g, const EvalRule& r, RuleState& st,
                                                      std::int64_t t, std::string& error) {
  const std::int64_t ts = t - g.query_offset_ms;
  std::optional<engine::Result> given = settings_.source ? settings_.source(r, ts) : std::nullopt;
  engine::Result res = given ? std::move(*given) : engine::instant(*r.expr->expr(), storage_, ts, settings_.query);
  if (res.error) {
    error = *res.error;
    return {};
  }
  std::vector<engine::Sample> in;
  if (res.value.type == promql::ValueType::vector) in = std::move(res.value.vector);
  else if (res.value.type == promql::ValueType::scalar) in.push_back({{}, res.value.scalar, res.value.scalar_t});
  else {
    error = "rule result is not a vector or scalar";
    return {};
  }
  if (r.rule->is_alert()) return eval_alert(g, r, st, t, in, error);

  // Recording rule: the record name and the rule's labels (an empty value removes a label).
  for (auto& s : in) {
    set_label(s.labels, "__name__", r.rule->name.value);
    for (const auto& kv : r.rule->labels) set_label(s.labels, kv.key.value, kv.value.value);
    s.t = ts;
  }
  std::vector<const Labels*> sorted;
  for (const auto& s : in) sorted.push_back(&s.labels);
  std::sort(sorted.begin(), sorted.end(), [](const Labels* a, const Labels* b) { return *a < *b; });
  for (std::size_t i = 1; i < sorted.size(); ++i)
    if (*sorted[i] == *sorted[i - 1]) {
      error = "vector contains metrics with the same labelset after applying rule labels";
      return {};
    }
  if (g.limit > 0 && static_cast<std::int64_t>(in.size()) > g.limit) {
    error = "exceeded limit of " + std::to_string(g.limit) + " with " + std::to_string(in.size()) + " series";
    return {};
  }
  return in;
}

std::vector<engine::Sample> GroupEvaluator::eval_alert(const EvalGroup& g, const EvalRule& r, RuleState& st,
                                                       std::int64_t t, const std::vector<engine::Sample>& in,
                                                       std::string& error) {
  const rules::Rule& rule = *r.rule;
  const std::int64_t hold = rule.for_ ? rule.for_->ms : 0;
  const std::int64_t keep_for = rule.keep_firing_for ? rule.keep_firing_for->ms : 0;

  // The alerts of this evaluation: the series' labels (no __name__), the rule's labels expanded,
  // alertname; annotations expanded.
  std::map<Labels, Alert> current;
  // Templates are parsed and run for each alert at each evaluation (as Prometheus does); a rule
  // whose templates do not call `query` reuses the previous evaluation's text for the same series
  // and value.
  bool cacheable = !settings_.expand;
  for (const auto* kvs : {&rule.labels, &rule.annotations})
    for (const auto& kv : *kvs) cacheable = cacheable && kv.value.value.find("query") == std::string::npos;
  decltype(st.expanded) expanded;
  for (const auto& s : in) {
    Alert a;
    a.rule = rule.name.value;
    a.group = g.name;
    auto key = std::make_pair(s.labels, std::bit_cast<std::uint64_t>(s.v));
    auto hit = cacheable ? st.expanded.find(key) : st.expanded.end();
    if (hit != st.expanded.end()) {
      a.labels = hit->second.first;
      a.annotations = hit->second.second;
    } else {
      TemplateData data{rule.name.value, s.labels, s.v, settings_.external_labels, settings_.external_url, t};
      a.labels = s.labels;
      del_label(a.labels, "__name__");
      for (const auto& kv : rule.labels) set_label(a.labels, kv.key.value, expand(kv.value.value, data));
      set_label(a.labels, "alertname", rule.name.value);
      for (const auto& kv : rule.annotations) {
        std::string v = expand(kv.value.value, data);
        a.annotations.emplace_back(kv.key.value, std::move(v));
      }
      std::sort(a.annotations.begin(), a.annotations.end());
    }
    if (cacheable) expanded.emplace(std::move(key), std::make_pair(a.labels, a.annotations));
    a.value = s.v;
    a.active_at = t;
    a.state = AlertState::pending;
    if (!current.emplace(a.labels, a).second) {
      error = "vector contains metrics with the same labelset after applying alert labels";
      return {};
    }
  }
  st.expanded = std::move(expanded);
  for (auto& [ls, a] : current) {
    auto it = st.active.find(ls);
    if (it != st.active.end() && it->second.state != AlertState::inactive) {
      it->second.value = a.value;
      it->second.annotations = std::move(a.annotations);
      continue;
    }
    st.active[ls] = std::move(a);
  }

  std::vector<engine::Sample> out;
  std::int64_t active_pending = 0;
  const std::int64_t ts = t - g.query_offset_ms;
  for (auto it = st.active.begin(); it != st.active.end();) {
    Alert& a = it->second;
    if (!current.count(it->first)) {
      bool keep_firing = false;
      if (a.state == AlertState::firing && keep_for > 0) {
        if (a.keep_firing_since < 0) a.keep_firing_since = t;
        keep_firing = t - a.keep_firing_since < keep_for;
      }
      bool drop = a.state == AlertState::pending || (a.resolved_at >= 0 && t - a.resolved_at > kResolvedRetentionMs);
      if (a.state != AlertState::inactive && !keep_firing) {
        a.state = AlertState::inactive;
        a.resolved_at = t;
      }
      if (!keep_firing) {
        it = drop ? st.active.erase(it) : std::next(it);
        continue;
      }
    } else {
      a.keep_firing_since = -1;
    }
    ++active_pending;
    if (a.state == AlertState::pending && t - a.active_at >= hold) {
      a.state = AlertState::firing;
      a.fired_at = t;
    }
    // ALERTS{alertstate=...} = 1 and ALERTS_FOR_STATE = the time it became active (seconds);
    // the rule's own labels first, the alert's on top.
    Labels base;
    for (const auto& kv : rule.labels) set_label(base, kv.key.value, kv.value.value);
    Labels alerts = base, for_state = base;
    for (const auto& [k, v] : a.labels) {
      set_label(alerts, k, v);
      set_label(for_state, k, v);
    }
    set_label(alerts, "__name__", "ALERTS");
    set_label(alerts, "alertname", rule.name.value);
    set_label(alerts, "alertstate", to_string(a.state));
    set_label(for_state, "__name__", "ALERTS_FOR_STATE");
    set_label(for_state, "alertname", rule.name.value);
    out.push_back({std::move(alerts), 1, ts});
    out.push_back({std::move(for_state), static_cast<double>(a.active_at / 1000), ts});
    ++it;
  }
  if (g.limit > 0 && active_pending > g.limit) {
    st.active.clear();
    error = "exceeded limit of " + std::to_string(g.limit) + " with " + std::to_string(active_pending) + " alerts";
    return {};
  }
  return out;
}

std::vector<Alert> GroupEvaluator::alerts() const {
  std::vector<Alert> out;
  for (const auto& group : state_)
    for (const auto& rule : group)
      for (const auto& [ls, a] : rule.active)
        if (a.resolved_at < 0) out.push_back(a);
  return out;
}

std::vector<Alert> GroupEvaluator::alerts(const std::string& name) const {
  std::vector<Alert> out;
  for (std::size_t g = 0; g < groups_.size(); ++g)
    for (std::size_t r = 0; r < groups_[g].rules.size(); ++r) {
      if (!groups_[g].rules[r].rule->is_alert() || groups_[g].rules[r].rule->name.value != name) continue;
      auto some = alerts(g, r);
      out.insert(out.end(), std::make_move_iterator(some.begin()), std::make_move_iterator(some.end()));
    }
  return out;
}

std::vector<Alert> GroupEvaluator::alerts(std::size_t group, std::size_t rule) const {
  std::vector<Alert> out;
  for (const auto& [ls, a] : state_[group][rule].active)
    if (a.resolved_at < 0) out.push_back(a);
  return out;
}

} // namespace nsmon::ruletest
