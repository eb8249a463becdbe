#include "nsmon/dashboards/panel_truth.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <optional>
#include <set>

#include "nsmon/dashboards/variables.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::dashboards {

using namespace promql;

namespace {

void emit(std::vector<core::Diagnostic>& out, core::CheckId check, core::Span at, std::string msg,
          std::string suggestion, core::Severity severity) {
  out.push_back(core::make_diagnostic(check, at, std::move(msg), std::move(suggestion)));
  out.back().severity = severity;
}

// Whether `text` refers to Grafana variable `name`: $name, ${name}, ${name:format}, [[name]].
bool refers_to(std::string_view text, const std::string& name) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = text.find(name); at != std::string_view::npos; at = text.find(name, at + 1)) {
    const std::size_t end = at + name.size();
    const bool dollar = at >= 1 && text[at - 1] == '$' && (end == text.size() || !word(text[end]));
    const bool braces =
        at >= 2 && text.compare(at - 2, 2, "${") == 0 && end < text.size() && (text[end] == '}' || text[end] == ':');
    const bool brackets = at >= 2 && text.compare(at - 2, 2, "[[") == 0 && text.compare(end, 2, "]]") == 0;
    if (dollar || braces || brackets) return true;
  }
  return false;
}

// Whether `text` speaks of `label` (a whole word, any case): "every model", "Model".
bool speaks_of(const std::string& text, const std::string& label) {
  std::string lower(text.size(), ' ');
  std::transform(text.begin(), text.end(), lower.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  for (std::size_t at = lower.find(label); at != std::string::npos; at = lower.find(label, at + 1)) {
    const std::size_t end = at + label.size();
    if ((at == 0 || !word(lower[at - 1])) && (end == lower.size() || !word(lower[end]) || lower[end] == 's'))
      return true;
  }
  return false;
}

// A threshold colour that raises an alarm: not green, blue, text or transparent.
bool alarming(const std::string& color) {
  return !color.empty() && color != "text" && color != "transparent" && color.find("green") == std::string::npos &&
         color.find("blue") == std::string::npos;
}

bool same(double a, double b) { return std::fabs(a - b) <= 1e-9 * std::max(1.0, std::fabs(b)); }

std::string values_of(const std::vector<Threshold>& ts, const std::string& unit) {
  std::vector<std::string> out;
  for (const auto& t : ts) out.push_back(util::format_number(t.value) + unit + " (" + t.color + ")");
  return util::join(out, ", ");
}

// The labels a selector's series carry, for messages.
std::string carried(const lint::Shape& s) {
  std::vector<std::string> names;
  for (const auto& l : s.labels)
    if (l != "__name__") names.push_back(l);
  return names.empty() ? "none" : util::join(names, ", ");
}

// The comparison of an alert's expression with a number (`x > 5`, `0.05 < x`): the number and
// the selectors' metric names of the other side; nullopt when the expression is not one.
struct AlertBound {
  double value = 0;
  std::string op;
  std::set<std::string> metrics;
};
std::optional<AlertBound> alert_bound(const std::string& expr) {
  ParseResult r = parse(expr);
  if (!r.ok()) return std::nullopt;
  const Expr* e = lint::unparen(r.expr());
  if (!e || e->kind != NodeKind::binary || !is_comparison(e->as<BinaryExpr>().op)) return std::nullopt;
  const auto& b = e->as<BinaryExpr>();
  const Expr* lhs = lint::unparen(b.lhs);
  const Expr* rhs = lint::unparen(b.rhs);
  const bool right = rhs && rhs->kind == NodeKind::number_literal;
  if (!right && !(lhs && lhs->kind == NodeKind::number_literal)) return std::nullopt;
  AlertBound out;
  out.value = (right ? rhs : lhs)->as<NumberLiteral>().value;
  out.op = std::string(to_string(b.op));
  walk(*(right ? lhs : rhs), [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector) out.metrics.insert(n.as<VectorSelector>().name);
    return true;
  });
  return out;
}

} // namespace

PanelTruth::PanelTruth(const Template& t, const catalog::Catalog& cat, const RuleFacts& facts,
                       std::vector<core::Diagnostic>& out)
    : t_(t), cat_(cat), facts_(facts), out_(out) {
  for (const auto& v : t.variables) {
    const std::string& name = v.name.value;
    if (v.type != "query" || name == "job" || name == "instance") continue;
    std::string label;
    if (v.query.value.empty() && name == "model") label = "model"; // the built-in: label_values(model)
    else if (const std::string& q = v.query.value; util::starts_with(q, "label_values(") && q.back() == ')') {
      const std::size_t comma = q.rfind(',');
      label = std::string(util::trim(q.substr(comma == std::string::npos ? 13 : comma + 1,
                                              q.size() - 1 - (comma == std::string::npos ? 13 : comma + 1))));
    }
    if (!label.empty()) variables_.push_back({name, label, v.multi || v.include_all});
  }
}

void PanelTruth::begin(const Panel& p) {
  p_ = &p;
  uses_.clear();
  metrics_.clear();
}

const PanelTruth::LabelVariable* PanelTruth::variable_of(const Matcher& m) const {
  for (const auto& v : variables_)
    if (v.label == m.name && refers_to(m.value, v.variable)) return &v;
  return nullptr;
}

void PanelTruth::query(const Expr& root, const lint::Inference& inf, const SpanOf& span) {
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector) {
      const auto& vs = n.as<VectorSelector>();
      matchers(vs, inf, span);
      loaded(vs, inf, span);
      metrics_.insert(vs.name);
    } else if (n.kind == NodeKind::call) {
      const auto& c = n.as<Call>();
      if (c.name == "histogram_quantile" && c.args.size() == 2) {
        blend(n, *c.args[1], inf, span);
        buckets(c, root, inf, span);
      }
    } else if (n.kind == NodeKind::aggregate && n.as<AggregateExpr>().op == AggregateOp::quantile) {
      blend(n, *n.as<AggregateExpr>().expr, inf, span);
    }
    return true;
  });
}

// A matcher with a dashboard variable on a label the series cannot carry: the label reads as ""
// there, which `=`/`=~` of the variable's values never match (they are label values, and All is
// `.+` or their alternation): the query shows nothing; `!=`/`!~` keep every series: the selection
// is ignored. The same matcher is lint's catalog/unknown-label, which says less: it gives way.
// A matcher of the label that the series may carry counts as the panel filtering by it.
void PanelTruth::matchers(const VectorSelector& vs, const lint::Inference& inf, const SpanOf& span) {
  const lint::Shape& leaf = inf.leaf_labels(vs);
  std::set<std::string> unfiltered; // label variables this selector does not filter by
  for (const auto& v : variables_) unfiltered.insert(v.variable);
  for (const auto& m : vs.matchers) {
    if (m.name == "__name__") continue;
    const Variable* var = nullptr;
    for (const auto& v : t_.variables)
      if (v.type != "datasource" && refers_to(m.value, v.name.value)) var = &v;
    if (!var) continue;
    if (!inf.absent(leaf, m.name)) {
      if (const LabelVariable* lv = variable_of(m)) {
        uses_[lv->variable].filtered = true;
        unfiltered.erase(lv->variable);
      }
      continue;
    }
    // A custom variable may have an empty value, which an absent label matches.
    if (var->type == "custom" && (var->query.value.empty() || var->query.value.find(",,") != std::string::npos ||
                                  var->query.value.front() == ',' || var->query.value.back() == ','))
      continue;
    const bool keeps = m.op == MatchOp::not_equal || m.op == MatchOp::not_regex;
    const lint::SeriesInfo s = inf.series(vs);
    const std::string whose = s.origin == lint::SeriesInfo::Origin::recording ? "its recording rule's labels: "
                              : s.origin == lint::SeriesInfo::Origin::catalog ? "the catalog's labels: "
                                                                              : "labels: ";
    const std::string& name = var->name.value;
    emit(out_, "dashboards/variable-label", span(m.range),
         s.name + " has no label " + m.name + " (" + whose + carried(leaf) + "), which reads as \"\" there: " +
             (keeps ? "the matcher keeps every series, and the panel ignores what $" + name + " selects"
                    : "no value of $" + name + " matches it, nor its All (" +
                          (all_value(*var).empty() ? "the values' alternation" : all_value(*var)) +
                          "): the query shows nothing, whatever $" + name + " selects"),
         "remove the matcher, and say in the panel's words that it shows every " + m.name +
             "; or read a metric that has " + m.name,
         core::Severity::error);
    // Said here with what Grafana writes; the catalog's word on the same label would repeat it.
    const core::Span label_at = span({m.range.start, m.range.start + m.name.size()});
    out_.erase(std::remove_if(out_.begin(), out_.end(),
                              [&](const core::Diagnostic& d) {
                                return d.check == "catalog/unknown-label" && d.span.file == label_at.file &&
                                       d.span.line == label_at.line && d.span.col == label_at.col;
                              }),
               out_.end());
    if (const LabelVariable* lv = variable_of(m)) {
      uses_[lv->variable].filtered = true; // reported here, not again as ignored
      unfiltered.erase(lv->variable);
    }
  }
  for (const auto& v : variables_) {
    if (!unfiltered.count(v.variable)) continue;
    Use& u = uses_[v.variable];
    if (inf.absent(leaf, v.label)) {
      if (std::find(u.without.begin(), u.without.end(), vs.name) == u.without.end()) u.without.push_back(vs.name);
    } else if (leaf.labels.count(v.label)) u.may_carry = true;
    else u.unknown = true;
  }
}

// A quantile of series that carry a label the panel's multi-value variable selects, which its
// aggregation takes off: the selected values' observations are pooled into one line, and the
// legend cannot say whose. (job and instance are replicas of one thing: pooling them is the
// usual, and intended, latency of a service.)
void PanelTruth::blend(const Expr& quantile, const Expr& input, const lint::Inference& inf, const SpanOf& span) {
  std::set<const LabelVariable*> selected;
  walk(input, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector) return true;
    const auto& vs = n.as<VectorSelector>();
    const lint::Shape& leaf = inf.leaf_labels(vs);
    for (const auto& m : vs.matchers)
      if (const LabelVariable* lv = variable_of(m); lv && lv->multi && !inf.absent(leaf, m.name)) selected.insert(lv);
    return true;
  });
  const lint::Shape& out = inf.at(&quantile);
  for (const LabelVariable* lv : selected) {
    if (!inf.absent(out, lv->label)) continue;
    auto removed = out.removed.find(lv->label);
    const std::string by = removed != out.removed.end() ? removed->second
                           : out.closed_by.empty()      ? "an aggregation takes it off"
                                                        : out.closed_by;
    const std::string what = quantile.kind == NodeKind::call ? "histogram_quantile" : "quantile";
    emit(out_, "dashboards/quantile-blend", span(quantile.range),
         what + " pools the " + lv->label + "s that $" + lv->variable + " selects (several, or All) into one line (" +
             by + "): the quantile of them all, which no " + lv->label + " has, and nothing in the legend says so",
         "keep " + lv->label + " in the aggregation (sum by (le, " + lv->label + ") for histogram_quantile) and {{" +
             lv->label + "}} in the legend",
         core::Severity::warning);
  }
}

// histogram_quantile interpolates linearly inside the bucket the rank falls in, and cannot read
// above the largest finite bound. A threshold between two bounds is crossed by the line when the
// true quantile is anywhere in that bucket; one above the largest bound is never crossed. A
// threshold on a bound is exact: the quantile is above it exactly when the true one is.
void PanelTruth::buckets(const Call& c, const Expr& root, const lint::Inference& inf, const SpanOf& span) {
  // Only a panel whose values are the quantile itself (or the max/min/avg of quantiles).
  const Expr* top = lint::unparen(&root);
  if (top && top->kind == NodeKind::aggregate) {
    const auto op = top->as<AggregateExpr>().op;
    if (op == AggregateOp::max || op == AggregateOp::min || op == AggregateOp::avg)
      top = lint::unparen(top->as<AggregateExpr>().expr);
  }
  if (top != &c || p_->thresholds.empty()) return;
  const lint::SeriesInfo* bucket = nullptr;
  lint::SeriesInfo found;
  walk(*c.args[1], [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind != NodeKind::vector_selector || bucket) return true;
    found = inf.series(n.as<VectorSelector>());
    if (found.origin == lint::SeriesInfo::Origin::catalog && found.suffix == "_bucket" && found.metric &&
        !found.metric->buckets.empty())
      bucket = &found;
    return true;
  });
  const std::optional<double> phi = inf.constant(c.args[0]);
  if (!bucket || !phi) return;
  std::vector<double> bounds = bucket->metric->buckets;
  std::sort(bounds.begin(), bounds.end());
  const std::string unit = bucket->metric->unit == "seconds" ? " s" : "";
  const std::string name = "p" + util::format_number(*phi * 100) + " of " + bucket->metric->name;
  auto num = [&](double v) { return util::format_number(v) + unit; };
  for (const auto& t : p_->thresholds) {
    if (!std::isfinite(t.value) ||
        std::any_of(bounds.begin(), bounds.end(), [&](double b) { return same(b, t.value); }))
      continue;
    if (t.value > bounds.back()) {
      emit(out_, "dashboards/bucket-threshold", span(c.range),
           "the " + name + " never reads above " + num(bounds.back()) +
               ", its largest finite bucket bound (a quantile in the +Inf bucket reads as that bound): the "
               "threshold at " +
               num(t.value) + " (" + t.color + ") is never crossed",
           "put the threshold at or below " + num(bounds.back()) + ", or add bounds above it to the buckets",
           core::Severity::warning);
      continue;
    }
    const auto upper = std::upper_bound(bounds.begin(), bounds.end(), t.value);
    // Below the lowest bound Prometheus interpolates from 0, when that bound is positive.
    if (upper == bounds.begin() && bounds.front() <= 0) continue;
    const double lo = upper == bounds.begin() ? 0 : *(upper - 1), hi = *upper;
    emit(out_, "dashboards/bucket-threshold", span(c.range),
         "the threshold at " + num(t.value) + " (" + t.color + ") lies between the bucket bounds " + num(lo) + " and " +
             num(hi) + ": the " + name + " is interpolated linearly there, so a reading of " + num(t.value) +
             " means a true value anywhere from " + num(lo) + " to " + num(hi) + " (up to " +
             // 1 - 0.7 is 0.30000000000000004 in binary: the width as the bounds write it.
             num(std::round(std::max(t.value - lo, hi - t.value) * 1e12) / 1e12) +
             " off), and the colour at the threshold is a guess",
         "put the threshold on a bound (" + num(lo) + " or " + num(hi) + "), or add a bound at " + num(t.value) +
             " to the exporter's buckets and the catalog's",
         core::Severity::warning);
  }
}

// A latency SLO counts the requests at or below its bound from the _bucket series with that le: at
// a bound the histogram lacks (the catalog's buckets changed, or the spec names another) there is
// no such series, and a panel on the SLO (its SLI, or a quantile's crossing of the bound) can
// only interpolate between the neighbouring bounds. Said once per SLO and panel, where the panel
// names it.
void PanelTruth::slo_bound(const std::string& slo, const core::Span& at) {
  auto it = facts_.slos.find(slo);
  if (it == facts_.slos.end() || !it->second.latency_bound) return;
  const catalog::Metric* m = cat_.find(it->second.latency_metric);
  if (!m || m->buckets.empty()) return;
  const double le = *it->second.latency_bound;
  if (std::any_of(m->buckets.begin(), m->buckets.end(), [&](double b) { return same(b, le); })) return;
  std::vector<std::string> bounds;
  for (double b : m->buckets) bounds.push_back(util::format_number(b));
  emit(out_, "dashboards/bucket-threshold", at,
       "the " + slo + " SLO's bound, le " + util::format_number(le) + ", is not a bucket bound of " + m->name + " (" +
           util::join(bounds, ", ") +
           "): no _bucket series counts the requests under it, so what the "
           "panel shows of the SLO is interpolated between two bounds",
       "give the SLO a bound of the histogram, or add " + util::format_number(le) +
           " to the exporter's buckets and the catalog's",
       core::Severity::warning);
}

// A series that a recording rule of the template's rules: files writes, where the prometheus.yml
// beside that file does not load it: on the shipped setup nothing records it, and the panel is
// blank (or, through `or vector(0)`, shows a healthy 0).
void PanelTruth::loaded(const VectorSelector& vs, const lint::Inference& inf, const SpanOf& span) {
  const lint::SeriesInfo s = inf.series(vs);
  if (s.origin != lint::SeriesInfo::Origin::recording || !s.recorded) return;
  auto it = facts_.unloaded.find(s.recorded->span.file.str());
  if (it == facts_.unloaded.end()) return;
  const std::string file = std::filesystem::path(s.recorded->span.file.str()).lexically_normal().string();
  emit(out_, "dashboards/rule-not-loaded", span(vs.range),
       "the panel reads " + s.name + ", which " + file + " records, and " + it->second +
           " does not load that file (rule_files): with the shipped config the query returns nothing",
       "add '" + file.substr(file.rfind('/') + 1) + "' to rule_files of " + it->second, core::Severity::error);
}

void PanelTruth::end(const std::vector<Citation>& cited) {
  const Panel& p = *p_;
  std::set<std::string> named;
  if (!p.slo.value.empty() && named.insert(p.slo.value).second) slo_bound(p.slo.value, p.slo.span);
  for (const auto& c : cited)
    if (c.kind == "slo" && named.insert(c.name).second) slo_bound(c.name, c.span);
  // A label variable the panel does not filter by, on series that cannot carry the label or
  // without the matcher: it shows every value whatever the variable selects. Only a variable
  // that selects several values (multi-value, or All) filters the whole dashboard, as job and
  // instance do; a single-value picker serves the panels that use it. Series nsmon knows nothing
  // of (ALERTS, other exporters') may or may not carry the label: nothing is said. The panel's
  // title or description speaking of the label ("every model") is taken at its word.
  for (const auto& v : variables_) {
    auto it = uses_.find(v.variable);
    if (!v.multi || it == uses_.end() || it->second.filtered || it->second.unknown) continue;
    const Use& u = it->second;
    if (u.without.empty() && !u.may_carry) continue;
    if (speaks_of(p.title.value, v.label) || speaks_of(p.description.value, v.label)) continue;
    const std::string why =
        u.may_carry ? "a selector of series that have " + v.label + " has no " + v.label + "=~\"$" + v.variable + "\""
                    : util::join(u.without, ", ") + (u.without.size() == 1 ? " has" : " have") + " no label " + v.label;
    emit(out_, "dashboards/variable-label", p.title.value.empty() ? p.span : p.title.span,
         "panel \"" + p.title.value + "\" ignores what $" + v.variable + " selects (" + why + "): it shows every " +
             v.label + " under a dashboard that seems to filter by " + v.label,
         u.may_carry ? "add " + v.label + "=~\"$" + v.variable + "\" to its selectors"
                     : "say in its title or description that it shows every " + v.label,
         core::Severity::warning);
  }
  // Thresholds against the SLOs and alerts the description cites (a panel with slo: takes its
  // threshold from the SLO, and dashboards/slo-thresholds refuses others).
  std::vector<Threshold> alarms;
  for (const auto& t : p.thresholds)
    if (alarming(t.color)) alarms.push_back(t);
  if (alarms.empty()) return;
  auto any_at = [&](double v) {
    return std::any_of(alarms.begin(), alarms.end(), [&](const Threshold& t) { return same(t.value, v); });
  };
  const std::string& unit = p.grafana_unit;
  for (const auto& c : cited) {
    if (c.kind == "slo" && c.name != p.slo.value) {
      auto s = facts_.slos.find(c.name);
      if (s == facts_.slos.end()) continue;
      const auto& slo = s->second;
      if (slo.latency_bound && unit == "s" && !any_at(*slo.latency_bound))
        emit(out_, "dashboards/threshold-cited", c.span,
             "the panel's thresholds are at " + values_of(alarms, " s") + ", but the SLO it cites, " + c.name +
                 ", has its bound at " + util::format_number(*slo.latency_bound) +
                 " s: latencies between them look fine here and are too slow for the SLO",
             "slo: " + c.name + " with slo_ratio: latency (the bound becomes the threshold)", core::Severity::warning);
      else if (!slo.latency_bound && unit == "percentunit" && !any_at(slo.objective) && !any_at(1 - slo.objective))
        emit(out_, "dashboards/threshold-cited", c.span,
             "the panel's thresholds are at " + values_of(alarms, "") + ", but the SLO it cites, " + c.name +
                 ", has its objective at " + util::format_number(slo.objective),
             "slo: " + c.name + " (with slo_ratio: errors for an error ratio): its objective becomes the threshold",
             core::Severity::warning);
      else if (!slo.latency_bound && (unit == "short" || unit == "none"))
        emit(out_, "dashboards/threshold-cited", c.span,
             "the panel colours a count at " + values_of(alarms, "") + " whatever the traffic, but the SLO it cites, " +
                 c.name + ", judges the share of bad events (objective " + util::format_number(slo.objective) +
                 "): a run well inside its SLO shows the alarm colour",
             "no colour on the count (thresholds: [{color: text}]), or show the ratio with slo: " + c.name,
             core::Severity::warning);
    } else if (c.kind == "alert") {
      auto a = facts_.alerts.find(c.name);
      if (a == facts_.alerts.end()) continue;
      auto bound = alert_bound(a->second.expr);
      if (!bound || any_at(bound->value) ||
          std::none_of(bound->metrics.begin(), bound->metrics.end(),
                       [&](const std::string& m) { return metrics_.count(m) > 0; }))
        continue;
      emit(out_, "dashboards/threshold-cited", c.span,
           "the panel's thresholds are at " + values_of(alarms, "") + ", but the alert it cites, " + c.name +
               ", fires at " + bound->op + " " + util::format_number(bound->value),
           "a threshold at " + util::format_number(bound->value) + ", where the alert fires", core::Severity::warning);
    }
  }
}

} // namespace nsmon::dashboards
