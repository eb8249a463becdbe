// The checks of one rule's label and annotation templates: the labels they read, the types their
// functions are given, the queries they run (RuleChecks::templates).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/gotemplate/check.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/metricsql.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::lint {

using namespace promql;

// Where a template's label that the result lacks is to be had (issue 59 class 7): the "one" side
// of the group_left or group_right that makes the result (under a comparison with a number,
// or the left of and/unless), when it carries the label and does not copy it; or "".
std::string RuleChecks::joined_from(const std::string& label) const {
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
std::string RuleChecks::or_side_without(const std::string& label) const {
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

static bool has_key(const std::vector<rules::KeyValue>& kvs, const std::string& name) {
  return std::any_of(kvs.begin(), kvs.end(), [&](const rules::KeyValue& kv) { return kv.key.value == name; });
}

// An annotation key one typo from the names notification templates and receivers read, where the
// alert has no annotation of that name: "descritpion" (cloudalchemy/ansible-prometheus 80ca269),
// "mesage" (kubermatic d303295). Alertmanager hands annotations on by their exact key, so a
// template reading .Annotations.message shows nothing for the alert. A key that differs only in
// case or separator is left alone: a team may read "Summary" or "runbook-url" on purpose.
std::string misspelt_annotation(const std::string& key, const std::vector<rules::KeyValue>& annotations) {
  static const std::vector<std::string> kRead = {"description", "message", "runbook_url", "summary"};
  // Most keys are one of these names, or too long or short to be a slip of any (an edit changes
  // the length by at most one: 6 to 8 letters for the 7-letter names, 9 to 13 for the 11-letter
  // ones): settled before any string is built.
  if (std::find(kRead.begin(), kRead.end(), key) != kRead.end() || key.size() < 6 || key.size() > 13) return {};
  std::string lower = util::ascii_lower(key);
  std::replace(lower.begin(), lower.end(), '-', '_');
  // The key without its case and separators: runbookUrl, runbook-url and RUNBOOK_URL are one
  // team's spelling of runbook_url, not a typo.
  auto squashed = [](std::string x) {
    x.erase(std::remove(x.begin(), x.end(), '_'), x.end());
    return x;
  };
  const std::string bare = squashed(lower);
  // One edit for a short name ("mesage"), two for a long one ("descritpion" swaps two letters).
  for (const auto& meant : kRead) {
    if (bare == squashed(meant)) return {};
    if (!has_key(annotations, meant) && util::edit_distance(lower, meant, 3) <= (meant.size() > 8 ? 2U : 1U))
      return meant;
  }
  return {};
}

void RuleChecks::misspelt_annotation() {
  for (const auto& kv : r_.annotations) {
    const std::string meant = lint::misspelt_annotation(kv.key.value, r_.annotations);
    if (meant.empty()) continue;
    emit_at(
        "alerts/misspelt-annotation", kv.key.span,
        util::concat({"annotation \"", kv.key.value, "\" is a typo away from \"", meant,
                      "\", which the alert lacks: templates and receivers that read ", meant, " show nothing for it"}),
        "rename it " + meant);
  }
}

// The operand whose values an alert's are, through the filters that pass them on: a comparison
// without bool, and, unless (node-mixin's `avail / size < 0.4 and predict_linear(...) < 0`
// returns `avail / size`).
static const promql::Expr* filtered(const promql::Expr* e) {
  e = unparen(e);
  while (e && e->kind == promql::NodeKind::binary)
    if (const promql::Expr* kept = passes_values_of(*e)) e = unparen(kept);
    else break;
  return e;
}

// Why the alert's values lie between 0 and 1, as value ranges prove it ("" when they may not): the
// values of the expression, or of the side a threshold filters (`ratio > 0.05` returns the ratio).
std::string RuleChecks::ratio_printed() const {
  const promql::Expr* e = filtered(pr_.parsed->expr());
  if (!e) return {};
  // `bool` makes the values 0 or 1, no ratio.
  if (e->kind == promql::NodeKind::binary && e->as<promql::BinaryExpr>().return_bool) return {};
  const Shape& s = inf_.at(e);
  if (s.lo < 0 || s.hi > 1 || s.range_of.empty() || s.range_of.comparison) return {};
  return s.range_of.text();
}

// The `* 100` that makes the alert's values a percentage (`100 * errors / all`, `(used / size) * 100`,
// `100 - free / size * 100`), "100 *" or "* 100" as written, or "": the values as ratio_printed()
// reads them, followed through the aggregations that keep a sample's value, a division's dividend,
// and arithmetic with a number on the other side.
std::string RuleChecks::percent_made() const {
  const promql::Expr* e = filtered(pr_.parsed->expr());
  while (e) {
    if (e->kind == promql::NodeKind::aggregate) {
      const promql::AggregateOp op = e->as<promql::AggregateExpr>().op;
      if (op != promql::AggregateOp::sum && op != promql::AggregateOp::avg && op != promql::AggregateOp::min &&
          op != promql::AggregateOp::max)
        return {};
      e = unparen(e->as<promql::AggregateExpr>().expr);
      continue;
    }
    if (e->kind != promql::NodeKind::binary) return {};
    const auto& b = e->as<promql::BinaryExpr>();
    const std::optional<double> l = inf_.constant(b.lhs), r = inf_.constant(b.rhs);
    if (b.op == promql::BinaryOp::mul && (l == 100.0 || r == 100.0)) return l == 100.0 ? "100 *" : "* 100";
    if (b.op == promql::BinaryOp::div) e = unparen(b.lhs);
    else if (b.op == promql::BinaryOp::mul || b.op == promql::BinaryOp::add || b.op == promql::BinaryOp::sub)
      e = l && !r ? unparen(b.rhs) : r && !l ? unparen(b.lhs) : nullptr;
    else return {};
  }
  return {};
}

std::string RuleChecks::size_of(double& per, std::string& of) const {
  per = 1;
  const promql::Expr* e = filtered(pr_.parsed->expr());
  // Arithmetic with a number: `* 100`, `/ 1e9`, `100 - x` (filters between them too).
  while (e && e->kind == promql::NodeKind::binary) {
    const auto& b = e->as<promql::BinaryExpr>();
    const std::optional<double> l = inf_.constant(b.lhs), r = inf_.constant(b.rhs);
    if (l.has_value() == r.has_value() || *(l ? l : r) == 0) break;
    if (b.op == promql::BinaryOp::mul) per /= *(l ? l : r);
    else if (b.op == promql::BinaryOp::div && r) per *= *r;
    else if (b.op != promql::BinaryOp::add && b.op != promql::BinaryOp::sub) break;
    e = filtered(l ? b.rhs : b.lhs);
  }
  if (!e) return {};
  if (std::string unit = unit_by_name(*e, &of); !unit.empty()) return unit;
  // `100 * avail / size` is `(100 * avail) / size`: the number scales the quotient. Here, not in
  // unit_by_name: there a percentage must stay no quotient (units/ratio-as-percent's `> 80`).
  if (e->kind != promql::NodeKind::binary || e->as<promql::BinaryExpr>().op != promql::BinaryOp::div) return {};
  const auto& q = e->as<promql::BinaryExpr>();
  const promql::Expr* m = unparen(q.lhs);
  if (m->kind != promql::NodeKind::binary || m->as<promql::BinaryExpr>().op != promql::BinaryOp::mul) return {};
  const auto& b = m->as<promql::BinaryExpr>();
  const std::optional<double> l = inf_.constant(b.lhs), r = inf_.constant(b.rhs);
  if (l.has_value() == r.has_value() || *(l ? l : r) == 0) return {};
  std::string part_of, whole_of;
  const std::string part = unit_by_name(*(l ? b.rhs : b.lhs), &part_of);
  if (part.empty() || part == "ratio" || part == "percent" || part != unit_by_name(*q.rhs, &whole_of)) return {};
  of = part_of + " / " + whole_of;
  per /= *(l ? l : r);
  return "quotient";
}

// The rule's own label `name` (its own before its group's), or null.
const rules::KeyValue* RuleChecks::own_label(const std::string& name) const {
  for (const auto* kvs : {&r_.labels, &pr_.group->labels})
    for (const auto& kv : *kvs)
      if (kv.key.value == name) return &kv;
  return nullptr;
}

// Whether the rule's own label `name` is a template that computes its value from other labels
// (alert_host: '{{ reReplaceAll ":.*" "" $labels.instance }}'): the author wants that value where
// $labels.name is read, which is the series' own name, whatever they carry. A plain value
// (severity: warning) may be read as the series' on purpose (an event's own severity), and one
// that reads $labels.name copies it.
bool RuleChecks::derives_own(const std::string& name) const {
  const rules::KeyValue* kv = own_label(name);
  if (!kv || !kv->tmpl().has_actions) return false;
  const auto& refs = kv->tmpl().label_refs;
  return std::none_of(refs.begin(), refs.end(), [&](const gotemplate::LabelRef& r) { return r.name == name; });
}

// Whether the rule is vmalert's, whose annotations see the rule's labels and alertname where the
// series lack them (rules/exporters.yml, vmalert).
bool RuleChecks::vmalert_rule() const {
  return pr_.group->ruler == rules::Schema::vmalert || pr_.language == rules::Language::metricsql ||
         !pr_.metricsql_extension.empty();
}

// Whether the series the expression reads may be alerts' own and carry their labels: ALERTS and
// ALERTS_FOR_STATE, vmalert's and Alertmanager's series (vmalert_alerts_firing{alertname},
// rules/exporters.yml), a series recorded by rules not at hand or a selector with no name, which
// may read either.
bool RuleChecks::reads_alert_labels() const {
  for (const std::string& name : scraped_reads(*pr_.parsed->expr(), inf_.recorded()))
    if (name.empty() || name.starts_with("ALERTS") || name.starts_with("vmalert_") ||
        name.starts_with("alertmanager_") || name.find(':') != std::string::npos)
      return true;
  return false;
}

void RuleChecks::templates(const Shape& shape) {
  // The labels $labels has: Prometheus fills it from the expression's sample alone, and adds the
  // rule's labels and alertname to the alert after the templates run
  // (proofs/review9a.test.yml: ElasticsearchDiskSpaceRunningLow_labels). The sample's __name__ too,
  // where the result keeps the metric name (review10a: count by (__name__), then label_replace,
  // prints LABELS = map[__name__:foo name:foo], proofs/review10a-cardinality.test.yml).
  const LabelSet& result = shape.labels;
  // And the alert's: a reference to one of those is no lost label of the result (a rule's own
  // label is judged below, where the result surely lacks it). Asked of the few references that
  // get that far, rather than built into a set for every alert.
  auto available = [&](const std::string& name) {
    return result.count(name) || name == "alertname" || own_label(name);
  };
  // What an alert that never fires would print is moot: the checks of $value's unit below say
  // nothing of it (gitlab's `a / b > 0 * 100 > 1`, a ratio printed with a %, is promql/impossible's).
  const bool prints = shape.empty.empty();
  std::vector<PartlyLost> partly; // said once for the alert, below
  auto check = [&](const rules::KeyValue& kv, bool is_label) {
    const gotemplate::TemplateInfo& info = kv.tmpl(); // checked once, by the loader
    if (!info.errors.empty()) return;
    auto at = [&](std::size_t off, std::size_t len) {
      if (kv.value.value.empty()) return kv.value.span;
      return core::Span{kv.value.span.file, 0, static_cast<int>(kv.value.file_offset(off)), static_cast<int>(len)};
    };
    const std::string_view what = is_label ? "label" : "annotation";
    // A label that copies itself (schedule: '{{ $labels.schedule }}'): an alert whose series lack
    // it gets an empty value, which drops the label, as if the line were not there (mine67's
    // KubeAid f1f33152b: absent() or the schedules' series). Where no alert has it, it is lost.
    auto copies_itself = [&] {
      std::string bare = kv.value.value;
      std::erase(bare, ' ');
      return bare == "{{$labels." + kv.key.value + "}}" || bare == "{{.Labels." + kv.key.value + "}}" ||
             bare == "{{$.Labels." + kv.key.value + "}}";
    };
    for (const auto& ref : info.label_refs) {
      // Some of the alerts lack it: one side of `or` has none. Under {{if $labels.x}} those show
      // nothing of it, as meant.
      if (auto l = shape.lacking.find(ref.name); l != shape.lacking.end() && !inf_.absent(shape, ref.name)) {
        if (ref.guarded || (is_label && copies_itself())) continue;
        partly.push_back({is_label, kv.key.value, ref.name, l->second.why, at(ref.offset, ref.length)});
        continue;
      }
      // Prometheus fills $labels from the expression's sample alone: the rule's own labels and
      // alertname are set after the templates run (sapcc's label context: '{{ $labels.context }}'
      // over sum by (hostgroup), proofs/template-rule-label-*.test.yml). vmalert's annotations
      // see them where the series lack them.
      const bool reads_own = (ref.name == "alertname" || own_label(ref.name)) && !shape.labels.count(ref.name) &&
                             (is_label || !vmalert_rule());
      if (reads_own && inf_.absent(shape, ref.name)) {
        if (ref.guarded) continue;
        std::string why = removed_by(shape, ref.name);
        const std::string own = "; the rule's own " + ref.name +
                                " is not in $labels (Prometheus fills it from the result before it adds the rule's "
                                "labels), so the ";
        emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                              ", but the expression's result has no ", ref.name, " label",
                              why.empty() ? "" : ": " + why, own, what, " shows it empty"}),
                util::concat({"keep ", ref.name, " in the result, e.g. by (", ref.name, ", ...), or write its value"}));
        continue;
      }
      // Where the series' labels are not known, the two own labels whose value no series has
      // (proofs/template-rule-label-open.test.yml): alertname, unless the series are alerts' own,
      // and a label the rule computes (derives_own).
      if (reads_own && !ref.guarded && (ref.name == "alertname" || derives_own(ref.name)) && !reads_alert_labels()) {
        static constexpr std::string_view kFilledBefore =
            ": Prometheus fills $labels from the series before it adds the rule's labels and alertname, so it prints "
            "the series' own ";
        const bool name = ref.name == "alertname";
        const std::string value = name ? "the alert's name, \"" + r_.name.value + "\""
                                       : "the rule's " + ref.name + ", '" + own_label(ref.name)->value.value + "'";
        emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name, kFilledBefore, ref.name,
                              " (empty where they have none), not ", value}),
                name ? "write " + r_.name.value + " there as text"
                     : "write the label's own template there, not $labels." + ref.name);
        continue;
      }
      if (available(ref.name)) continue;
      if (std::string why = inf_.absent(shape, ref.name) ? "" : or_side_without(ref.name); !why.empty()) {
        if (ref.guarded) continue;
        partly.push_back({is_label, kv.key.value, ref.name, std::move(why), at(ref.offset, ref.length)});
        continue;
      }
      if (!inf_.absent(shape, ref.name)) {
        // A metric's name read as a label (transmission-prometheus-exporter's example rules,
        // review69: "has {{ $labels.transmission_total_torrents }} torrents"): a series carries no
        // label named after its own metric, so the text shows it empty.
        if (!ref.guarded && metric_not_label(ref.name)) {
          emit_at("labels/template-label-lost", at(ref.offset, ref.length),
                  util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name, ", but ", ref.name,
                                " is a metric the expression reads, not a label of its series: the ", what,
                                " shows it empty"}),
                  util::concat({"print the expression's value with {{ $value }}, or another metric's with "
                                "{{ with query \"",
                                ref.name, "\" }}{{ . | first | value }}{{ end }}"}));
          continue;
        }
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
        const std::string near = typo_of(ref.name, result);
        const std::string why = removed_by(shape, ref.name);
        // What the result has, which is all $labels has; after "keeps no label" nothing to add.
        const std::string has = !result.empty() ? " (it has: " + util::join(result, ", ") +
                                                      (shape.labels_known ? ")" : ", and labels not known here)")
                                : !shape.labels_known ? ""
                                : why.empty()         ? " (it has no label)"
                                                      : "";
        // Under {{ if $labels.x }} with an {{ else }}, the alert shows what the else says, which its
        // author wrote for alerts without x: with x never there the branch is dead, not the text
        // wrong (MetricsHub's "Consumer name: (empty)", review59). Without an else the text loses
        // what the branch would show (openshift's absent() workloads, stranger5); a near name is
        // still a typo's sign.
        const bool dead_branch = ref.otherwise && near.empty();
        emit_at(
            "labels/template-label-lost", at(ref.offset, ref.length),
            util::concat({what, " \"", kv.key.value, "\" uses $labels.", ref.name,
                          ", but the expression's result has no ", ref.name, " label", why.empty() ? "" : ": " + why,
                          has, dead_branch ? ": the {{ if }} that reads it never takes its branch" : ""}),
            !near.empty() ? "did you mean $labels." + near + "?"
            : !joined_from(ref.name).empty()
                ? joined_from(ref.name)
                : util::concat({"keep it in the aggregation, e.g. sum by (", ref.name, ", ...)"}));
        if (dead_branch) out_.back().severity = core::Severity::info;
      }
    }
    // Outside {{ }} Go copies the text: the alert reads "$labels.hostname", not the host. A `$x`
    // of another name is said where x is a label of the alerts, in prose (Wikimedia's "log file age
    // in $site" over `max(...) by (site)`, fixed in df38ea5): elsewhere it may be a price or a
    // shell's, and in quotes another tool's placeholder (a Grafana variable in a query that GitLab's
    // annotations hand on, `environment="$environment"`; a Kibana URL's '$state').
    const std::string_view text = kv.value.value;
    auto quoted = [&](const gotemplate::LabelRef& ref) {
      const char before = ref.offset > 0 ? text[ref.offset - 1] : ' ';
      const char after = ref.offset + ref.length < text.size() ? text[ref.offset + ref.length] : ' ';
      return std::string_view("\"'=~`").find(before) != std::string_view::npos ||
             std::string_view("\"'`").find(after) != std::string_view::npos;
    };
    for (const auto& ref : info.text_refs) {
      const bool verb = ref.name[0] == '%';
      const bool label = !verb && !ref.name.starts_with("labels.") && ref.name != "value";
      if (label && (!result.count(ref.name) || quoted(ref))) continue;
      const std::string_view written = text.substr(ref.offset, ref.length);
      emit_at("rules/template-text", at(ref.offset, ref.length),
              util::concat({what, " \"", kv.key.value, "\" has ", written, verb ? " outside printf" : " outside {{ }}",
                            ": Go prints text as written, so every alert reads \"", written, "\" there"}),
              verb    ? "a formatter that did not run was to fill it (jsonnet's %, where %%s meant \"%s\"): write the "
                        "text it meant"
              : label ? "write {{ $labels." + ref.name + " }}"
                      : "write {{ $" + ref.name + " }}");
    }
    // A "$" glued before an action that prints a label (`because ${{ $labels.reason }}`), a shell's
    // ${...} habit: Go copies the "$" as text, and every alert reads "because $NoPod" (openshift's
    // cluster-version-operator, fixed in 49bba21: shipped-bugs/proofs). A label's value names
    // something and is no amount, so no currency sign is meant; before $value (a cost alert's
    // "${{ $value }}") it is left alone. `inner`: an action's text but its trim markers and spaces.
    auto inner = [](std::string_view s) {
      const std::size_t a = s.find_first_not_of(" \t-"), b = s.find_last_not_of(" \t-");
      return a == std::string_view::npos ? std::string_view() : s.substr(a, b - a + 1);
    };
    for (const auto& ref : info.label_refs) {
      const std::size_t open = text.rfind("{{", ref.offset), close = text.find("}}", ref.offset + ref.length);
      if (open == std::string_view::npos || open == 0 || text[open - 1] != '$' || close == std::string_view::npos)
        continue;
      const std::string_view action = inner(text.substr(open + 2, close - open - 2));
      if (action != "$labels." + ref.name && action != ".Labels." + ref.name && action != "$.Labels." + ref.name)
        continue;
      const std::string_view written = text.substr(open - 1, close + 3 - open);
      emit_at("rules/template-text", at(open - 1, written.size()),
              util::concat({what, " \"", kv.key.value, "\" has ", written, ": Go prints the \"$\" before the action ",
                            "as written, so every alert reads a \"$\" glued to the ", ref.name,
                            "; a label's value names something, it is no amount"}),
              util::concat({"drop the \"$\": ", written.substr(1)}));
    }
    // The value of `up == 0` is the comparison's constant, not how long the condition has held:
    // printed as a time, every alert says "down for 0 seconds" (review52's POSServiceDown, "no
    // responde desde hace {{ $value }} segundos"; GitLab's ChefClientDisabled, "over {{ $value |
    // humanizeDuration }} ago" of `chef_client_enabled == 0`: proofs/printed-constant-time.test.yml).
    const bool as_time = !info.value_durations.empty() || !info.value_time_units.empty();
    const bool constant = prints && as_time && shape.lo == shape.hi && std::isfinite(shape.lo);
    if (constant) {
      const std::string c = util::format_number(shape.lo);
      const bool duration = !info.value_durations.empty();
      // humanizeDuration writes a whole number of seconds under a minute as "Ns".
      const bool whole = shape.lo >= 0 && shape.lo < 60 && shape.lo == std::floor(shape.lo);
      const std::string reads = duration
                                    ? (whole ? "every alert reads \"" + c + "s\"" : "it prints " + c + " as seconds")
                                    : util::concat({"every alert reads \"", c, info.value_time_units[0].written, "\""});
      emit_at("units/printed-time-unit",
              at(duration ? info.value_durations[0] : info.value_time_units[0].offset, duration ? 16 : 2),
              util::concat({what, " \"", kv.key.value, "\" prints $value as a time, but every alert's value is ", c,
                            " (", shape.range_of.text(), "), not how long anything took: ", reads,
                            " however long the condition has held"}),
              "drop $value there: the notification's start time (Alertmanager's startsAt) says since when");
    }
    // humanizeDuration reads a number of seconds: a value in milliseconds or hours prints as that
    // many seconds (gitlab-com runbooks c04ec2f: a basebackup 48 hours old "seen 48.09s ago").
    if (prints && !constant && !info.value_durations.empty()) {
      std::string of;
      const double unit = duration_unit(*pr_.parsed->expr(), &of);
      const char* in = unit != 1 ? time_units(unit) : nullptr;
      if (in)
        emit_at("units/humanize-duration", at(info.value_durations[0], 16),
                util::concat({what, " \"", kv.key.value,
                              "\" prints $value with humanizeDuration, which reads seconds, but ", of, " is in ", in,
                              " by its names: ", unit < 1 ? "250 " : "48 ", in, " print as ",
                              unit < 1 ? "\"4m 10s\"" : "\"48s\""}),
                util::concat({"print the number ({{ $value }} ", in, "), or make the expression return seconds"}));
    }
    // A number written in another unit of time than the values': gitpod's event loop lag in
    // seconds read "0.50ms event loop lag" (shipped-bugs/proofs/gitpod-a986791.before.test.yml).
    if (prints && !constant && !info.value_time_units.empty()) {
      std::string of;
      const double unit = duration_unit(*pr_.parsed->expr(), &of);
      const gotemplate::ValuePerTime& p = info.value_time_units[0];
      if (unit != 0 && p.seconds != unit && time_units(unit)) {
        const double factor = unit > p.seconds ? unit / p.seconds : p.seconds / unit;
        const std::string n = util::format_number(factor);
        emit_at("units/printed-time-unit", at(p.offset, 2),
                util::concat({what, " \"", kv.key.value, "\" prints $value as a number \"", p.written, "\", but ", of,
                              " is in ", time_units(unit), " by its names: 2 ", time_units(unit), " print as \"2",
                              p.written, "\", ", n, " times ", unit > p.seconds ? "less" : "more", " than they are"}),
                util::concat({unit > p.seconds ? "multiply by " : "divide by ", n, ", or write ", time_units(unit)}));
      }
    }
    // $value printed as a size in another unit than its names give: a quotient of two quantities of
    // one unit (kubernetes-mixin 5225b0a: `used_bytes / capacity_bytes > 0.85` read "Currently
    // {{ $value | humanize1024 }} is available", shipped-bugs/proofs/kubernetes-mixin-5225b0a.before.test.yml),
    // bytes scaled to another power of 1000 or 1024 than the unit written after them, or bytes
    // printed as a percentage (review53's ProxmoxStorageLow, `size_bytes > 0 and used / size > 0.9`,
    // read "Storage usage is 1000000000000%", proofs/review53-missed.test.yml).
    if (prints && (!info.value_sizes.empty() || !info.value_percents.empty())) {
      double per = 1;
      std::string of;
      const std::string unit = size_of(per, of);
      const gotemplate::PrintedSize* p = info.value_sizes.empty() ? nullptr : &info.value_sizes[0];
      const std::string printed = !p ? ""
                                  : p->binary
                                      ? "humanize1024" + (p->written.empty() ? "" : " and \"" + p->written + "\"")
                                      : "a number \"" + p->written + "\"";
      // The values' power of 1000 or 1024 (`/ 1024 / 1024`: 2, mebibytes); none for another factor.
      int level = -1;
      for (int n = 0; n <= 5 && level < 0; ++n)
        if (per == std::pow(1000.0, n) || per == std::pow(1024.0, n)) level = n;
      if (p && unit == "quotient") {
        const std::string shown = util::format_number(0.87 / per) + (p->binary ? "" : p->written);
        emit_at("units/printed-size-unit", at(p->offset, p->binary ? 12 : 2),
                util::concat({what, " \"", kv.key.value, "\" prints $value as a size (", printed, "), but ", of,
                              " is a quotient of two quantities in one unit by their names, with no unit of its own: ",
                              per == 1 ? "0.87" : util::format_number(0.87 / per) + "%", " prints as \"", shown, "\""}),
                per == 1 ? "print {{ $value | humanizePercentage }}, or return the size itself"
                         : "print {{ $value | humanize }}%, or return the size itself");
      } else if (p && unit == "bytes" && !p->written.empty() && p->prefix >= 0 && level >= 0 && level != p->prefix) {
        static constexpr std::string_view kPrefixes = "KMGTP";
        const std::string in =
            level == 0 ? "bytes" : std::string(1, kPrefixes[level - 1]) + (per == std::pow(1024.0, level) ? "iB" : "B");
        emit_at("units/printed-size-unit", at(p->offset, p->binary ? 12 : 2),
                util::concat({what, " \"", kv.key.value, "\" prints $value as ", printed, ", but ", of,
                              level == 0 ? "" : " / " + util::format_number(per), " is in ", in, " by its names: 2 ",
                              in, " print as \"2", p->written, "\""}),
                level == 0 ? "print {{ $value | humanize1024 }}B, or divide by the unit's size"
                           : "write " + in + ", or scale the expression to " + p->written.substr(p->written[0] == ' '));
      } else if (unit == "bytes" && !info.value_percents.empty() && level == 0) {
        emit_at("units/printed-size-unit", at(info.value_percents[0], 2),
                util::concat({what, " \"", kv.key.value, "\" prints $value with a % after it, but ", of,
                              " is in bytes by its names, no share of anything: 1 GB prints as \"1e+09%\"",
                              " (\"1G%\" through humanize)"}),
                "print the share (part / whole * 100), or the size ({{ $value | humanize1024 }}B)");
      }
    }
    // humanizePercentage multiplies by 100 again a value the expression has made a percentage:
    // HempDash's LokiRequestErrors, `100 * 5xx / all`, read "1500% errors" with 15% of the requests
    // failing (proofs/review38-hempdash.test.yml).
    if (prints && !info.value_ratios.empty()) {
      if (const std::string factor = percent_made(); !factor.empty())
        emit_at(
            "units/humanize-percentage", at(info.value_ratios[0], 18),
            util::concat({what, " \"", kv.key.value,
                          "\" prints $value with humanizePercentage, which multiplies by 100, but the expression's `",
                          factor, "` has made it a percentage already: 15% shows as 1500%"}),
            "print {{ $value | humanize }}%, or drop the expression's " + factor);
      // A count of events printed as a share: Patronus' `rate(http_requests_errors_total[5m]) >
      // 0.05` read "HTTP error rate is 10%" at 6 errors a minute, whatever the number of requests
      // (proofs/review40b-missed.test.yml).
      else if (const std::string counter = events_counted(*pr_.parsed->expr()); !counter.empty()) {
        const std::string& fn = counted_by(*pr_.parsed->expr())->name;
        const bool per_second = fn != "increase";
        emit_at("units/humanize-percentage", at(info.value_ratios[0], 18),
                util::concat({what, " \"", kv.key.value,
                              "\" prints $value with humanizePercentage, which reads a share of 1, but the values are ",
                              fn == "rate" ? "a " : "an ", fn, "() of ", counter,
                              per_second ? ", events per second: 6 a minute show as 10%"
                                         : ", a number of events: 3 show as 300%"}),
                util::concat({"print {{ $value | humanize }}", per_second ? " per second" : "", ", or divide by the ",
                              fn, "() of all events to make it a share"}));
      }
    }
    // $value printed per minute, hour or day where the values are a rate() or irate(), per second:
    // Aegis-BPF's `rate(aegisbpf_blocks_total[5m]) > 100` read "{{ $value }}/min" at 100 a second
    // (proofs/rate-per-second.test.yml). A rate of events scaled to a whole number of minutes is
    // per that window (kubernetes-mixin 01f71cc: `rate(restarts_total[10m]) * 60 * 5` read "times /
    // 10 minutes", shipped-bugs/proofs/kubernetes-mixin-01f71cc.before.test.yml); another factor
    // (* 8, * 100) converts something other than time, and is left alone.
    if (prints && !info.value_per_time.empty()) {
      double per = 1;
      const promql::Expr* const scaled = filtered(pr_.parsed->expr());
      const promql::Expr* e = scaled;
      while (e && e->kind == promql::NodeKind::binary && e->as<promql::BinaryExpr>().op == promql::BinaryOp::mul) {
        const auto& b = e->as<promql::BinaryExpr>();
        const std::optional<double> l = inf_.constant(b.lhs), r = inf_.constant(b.rhs);
        if (l.has_value() == r.has_value()) break;
        per *= l ? *l : *r;
        e = unparen(l ? b.rhs : b.lhs);
      }
      const Call* c = e ? counted_by(*e) : nullptr;
      if (per != 1 && (std::fmod(per, 60) != 0 || per <= 0 || events_counted(*e).empty())) c = nullptr;
      const gotemplate::ValuePerTime& p = info.value_per_time[0];
      if (c && c->name != "increase" && p.seconds != per) {
        const std::string times = util::format_number(p.seconds / per);
        emit_at("units/rate-per-second", at(p.offset, 2),
                util::concat(
                    {what, " \"", kv.key.value, "\" prints $value as a number \"", p.written, "\", but the values are ",
                     print(per == 1 ? *c : *scaled), ", per ", per == 1 ? "second" : time_unit(per),
                     ": the number per ", time_unit(p.seconds), " is ",
                     p.seconds > per ? times + " times it" : "it divided by " + util::format_number(per / p.seconds)}),
                per == 1 ? util::concat({"multiply by ", times, " (", print(*c), " * ", times, "), or say per second"})
                         : util::concat({"scale it by ", util::format_number(p.seconds), " (", print(*c), " * ",
                                         util::format_number(p.seconds), "), or say per ", time_unit(per)}));
      }
    }
    // {{ $value }}% of a ratio: 5% prints as "0.05%" (etcd 2bc0ba4f1). Only where the values are
    // proven to lie between 0 and 1 (a part over its whole, a 0-or-1 series averaged).
    if (prints && !info.value_percents.empty()) {
      if (const std::string why = ratio_printed(); !why.empty())
        emit_at("units/ratio-printed-as-percent", at(info.value_percents[0], 2),
                util::concat({what, " \"", kv.key.value, "\" prints $value with a % after it, but ", why,
                              ": 5% shows as 0.05% (50m% through humanize)"}),
                "print {{ $value | humanizePercentage }}, which multiplies by 100, or return a percentage (* 100)");
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
    if (is_label && !info.value_refs.empty() && shape.lo != shape.hi) {
      // A label named as an id (event_id) says the value is one (an exporter that writes a log
      // entry's id as its value): a new alert for each id is then the design, so it is said at info.
      const bool id = kv.key.value == "id" || kv.key.value.ends_with("_id");
      emit_at("alerts/value-in-labels", at(info.value_refs[0], 6),
              "label \"" + kv.key.value + "\" uses $value: every change of the value makes a new alert" +
                  (id ? " (named as an id: one alert per id may be the design)" : ""),
              "move it to an annotation");
      if (id) out_.back().severity = core::Severity::info;
    }
    // In a PrometheusRule, Kubernetes reads it so: the loader's rules/crd-type error says it.
    if (kv.value.plain && !info.has_actions && !pr_.group->crd) {
      static constexpr std::string_view ambiguous[] = {"yes", "no",  "on", "off", "y",   "n",  "Yes",
                                                       "No",  "YES", "NO", "On",  "Off", "ON", "OFF"};
      if (std::find(std::begin(ambiguous), std::end(ambiguous), kv.value.value) != std::end(ambiguous))
        emit_at("yaml/ambiguous-boolean", kv.value.span,
                "unquoted " + kv.value.value +
                    " is read as a boolean by YAML 1.1 tools (PyYAML, Ansible); Prometheus reads the text",
                "quote it: \"" + kv.value.value + "\"");
    }
  };
  for (const auto& kv : r_.labels) check(kv, true);
  for (const auto& kv : r_.annotations) check(kv, false);
  if (!partly.empty()) partly_lost(partly);
  // Last: running a query's inference replaces the storage `shape` lives in.
  for (const auto& kv : r_.labels) template_queries(kv, true);
  for (const auto& kv : r_.annotations) template_queries(kv, false);
}

// Labels that some of the alerts lack, as one side of `or` has none: said once for the alert,
// naming every label and template, as one change mends them all (give both sides the labels).
// vencil's rule packs read tier, owner and runbook_url in five annotations of each of 91 alerts
// whose `or ... unless` branch has none: 451 findings of one design choice (review65).
void RuleChecks::partly_lost(const std::vector<PartlyLost>& refs) {
  std::vector<std::string> labels, whys, label_keys, annotation_keys;
  auto add = [](std::vector<std::string>& to, const std::string& s) {
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  };
  for (const PartlyLost& r : refs) {
    if (std::find(labels.begin(), labels.end(), r.label) == labels.end())
      labels.push_back(r.label), whys.push_back(r.why);
    add(r.is_label ? label_keys : annotation_keys, "\"" + r.key + "\"");
  }
  // Where each why is one side's lack of its label ("the right side of 'or' has no tier"), the
  // side is named once: "... has no tier, owner or runbook_url".
  static constexpr std::string_view kHasNo = " has no ";
  const std::string side = whys[0].substr(0, whys[0].size() - std::min(whys[0].size(), labels[0].size()));
  bool one_side = side.ends_with(kHasNo);
  for (std::size_t i = 0; i < labels.size() && one_side; ++i) one_side = whys[i] == side + labels[i];
  const std::string why = one_side ? side + util::word_list(labels, "or") : util::join(whys, "; ");
  auto kind = [](const std::vector<std::string>& keys, std::string_view one) {
    return keys.empty() ? std::string() : util::concat({one, keys.size() > 1 ? "s " : " ", util::word_list(keys)});
  };
  const std::size_t templates = label_keys.size() + annotation_keys.size();
  const std::string what =
      util::word_list(label_keys.empty() || annotation_keys.empty()
                          ? std::vector<std::string>{kind(label_keys, "label") + kind(annotation_keys, "annotation")}
                          : std::vector<std::string>{kind(label_keys, "label"), kind(annotation_keys, "annotation")});
  const std::string their = label_keys.empty()        ? (templates > 1 ? "annotations" : "annotation")
                            : annotation_keys.empty() ? (templates > 1 ? "labels" : "label")
                                                      : "labels and annotations";
  std::vector<std::string> read;
  for (const auto& l : labels) read.push_back("$labels." + l);
  emit_at("labels/template-label-lost", refs[0].at,
          util::concat({what, templates > 1 ? " use " : " uses ", util::word_list(read),
                        ", but some of the alerts have no ", util::word_list(labels, "or"), ": ", why, "; their ",
                        their, templates > 1 ? " show " : " shows ", labels.size() > 1 ? "them" : "it", " empty"}),
          util::concat({"give both sides of 'or' the label", labels.size() > 1 ? "s" : "",
                        ", e.g. with label_replace or by (", util::join(labels, ", "), ", ...)"}));
}

// A function given a value of a type it does not take, which promtool lets through: where the
// template runs it, the expansion fails and Prometheus shows its error as the text, or Go's fmt
// writes its %!verb complaint where the value belongs.
template <class At>
void RuleChecks::type_fault(const rules::KeyValue& kv, const gotemplate::TemplateInfo& info, std::string_view what,
                            At at) {
  if (!info.may_fault) return;
  std::vector<std::string> names;
  for (const auto& ref : info.label_refs) names.push_back(ref.name);
  std::optional<gotemplate::TypeFault> f = gotemplate::find_type_fault(kv.value.value, names);
  if (!f) return;
  // A query before the faulty action that does not parse fails the expansion there first
  // (template_queries says so): the action, in its range or after it, is never run.
  // One that returns nothing (an action in its string, see template_queries) leaves the body of its
  // with or range unrun: the fault is moot until the query is mended.
  if (f->offset && std::any_of(info.queries.begin(), info.queries.end(), [&](const gotemplate::TemplateQuery& q) {
        if (q.offset >= *f->offset) return false;
        const ParseResult r = parse_query(q);
        return !r.ok() || action_matcher(*r.expr());
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
// is wrong only if no argument could mend it (%q writes a quoted string: `{instance=%q}`).
ParseResult RuleChecks::parse_query(const gotemplate::TemplateQuery& q) const {
  for (std::string_view arg : {"x", "1", "\"x\""})
    if (ParseResult r = parse(q.formatted ? gotemplate::fill_verbs(q.text, arg) : q.text, opt_.parse);
        r.ok() || !q.formatted)
      return r;
  return parse(gotemplate::fill_verbs(q.text, "1m"), opt_.parse);
}

// The queries a template runs with Prometheus's `query` (written in it: `query "..."`, or
// printf's format piped to query). One that does not parse makes the expansion fail wherever
// the template runs it; Prometheus then shows "<error expanding template: ...>" as the value. A
// label read from its samples that its result cannot carry is empty.
void RuleChecks::template_queries(const rules::KeyValue& kv, bool is_label) {
  const gotemplate::TemplateInfo& info = kv.tmpl();
  if (!info.errors.empty()) return;
  const std::string_view what = is_label ? "label" : "annotation";
  auto at = [&](std::size_t off, std::size_t len) {
    return core::Span{kv.value.span.file, 0, static_cast<int>(kv.value.file_offset(off)), static_cast<int>(len)};
  };
  for (const auto& q : info.queries) {
    std::optional<ParseResult> parsed(parse_query(q));
    if (!parsed->ok() && vmalert_query(q)) continue;
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
    // An action written inside the query's string is text to Go, which runs none there: Prometheus
    // is asked for a series whose label is "{{ $labels.instance }}" as written, and finds none
    // (review54's HoardDegraded, proofs/review54-template.test.yml).
    if (const promql::Matcher* m = action_matcher(*parsed->expr())) {
      static constexpr std::string_view kUnrun = "\" holds a template action inside a string: Go runs no action "
                                                 "there, so Prometheus looks for that text as written, and the "
                                                 "query returns nothing";
      emit_at("rules/template", at(q.offset, q.length),
              util::concat({what, " \"", kv.key.value, "\" runs the query \"", q.text, "\", whose matcher ", m->name,
                            "=\"", m->value, kUnrun}),
              "build the query with printf: {{ with printf \"metric{" + m->name + "='%s'}\" $labels." + m->name +
                  " | query }}");
      out_.back().severity = core::Severity::warning; // a query that finds nothing, not a failed expansion
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
                util::concat({what, " \"", kv.key.value, "\" reads label ", ref.name, " of the samples of the query \"",
                              q.text, "\", whose result has no ", ref.name, why.empty() ? "" : ": " + why,
                              "; it shows empty"}),
                "keep " + ref.name + " in the query, e.g. sum by (" + ref.name + ", ...)");
      }
  }
}

// Whether vmalert runs the query PromQL refuses: its `query` function sends MetricsQL to its
// datasource. As for a rule's expression (rules::language_of): a query that reads as MetricsQL in
// a vmalert group, or that names one of MetricsQL's extensions where the ruler is not given.
bool RuleChecks::vmalert_query(const gotemplate::TemplateQuery& q) const {
  const rules::Schema ruler = pr_.group->ruler;
  if (ruler != rules::Schema::vmalert && ruler != rules::Schema::automatic) return false;
  const promql::MetricsqlReading reading =
      promql::read_metricsql(q.formatted ? gotemplate::fill_verbs(q.text, "x") : q.text);
  return reading.parses && (ruler == rules::Schema::vmalert || !reading.extension.empty());
}

// Whether printf's verb (filled with x) may stand for a label name of the query: by (%s),
// on (%s), ... Its result's labels are then not known from the format.
bool RuleChecks::verb_names_labels(const Expr& root) {
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
        named = named || (unparen(a)->kind == NodeKind::string_literal && unparen(a)->as<StringLiteral>().value == "x");
    return !named;
  });
  return named;
}

// The first equality matcher of `root` whose value holds a template action ("{{"), which the
// query, run as written, looks for.
const promql::Matcher* RuleChecks::action_matcher(const Expr& root) {
  const promql::Matcher* found = nullptr;
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector)
      for (const auto& m : n.as<VectorSelector>().matchers)
        if (!found && m.op == labels::MatchOp::equal && m.value.find("{{") != std::string::npos) found = &m;
    return !found;
  });
  return found;
}

// The label that `x` looks like a slip of: its singular (namespaces for namespace), its plural
// unless `singular_only`, or the word the series use for the same thing (interface where
// node_exporter says device).
std::string RuleChecks::typo_of(const std::string& x, const LabelSet& names, bool singular_only) {
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

// State-set exporters write a state as a label named after its metric (snmp_exporter's
// EnumAsStateSet, drbd-reactor: drbd_connection_state{drbd_connection_state="Connected"}); the rules
// that read them match on that label, which tells them from a metric's name read as a label.
bool RuleChecks::metric_not_label(const std::string& x) const {
  const Expr& root = *pr_.parsed->expr();
  if (!promql::metric_names(root).count(x)) return false;
  bool named = false;
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    auto is_x = [&](const std::string& l) { return l == x; };
    if (n.kind == NodeKind::vector_selector)
      for (const auto& m : n.as<VectorSelector>().matchers) named |= m.name == x;
    if (n.kind == NodeKind::aggregate)
      named |= std::any_of(n.as<AggregateExpr>().grouping.begin(), n.as<AggregateExpr>().grouping.end(), is_x);
    if (n.kind == NodeKind::binary)
      if (const VectorMatching* vm = n.as<BinaryExpr>().matching())
        named |= std::any_of(vm->labels.begin(), vm->labels.end(), is_x) ||
                 std::any_of(vm->include.begin(), vm->include.end(), is_x);
    if (n.kind == NodeKind::string_literal) named |= n.as<StringLiteral>().value == x;
    return !named;
  });
  return !named;
}

// A label near-identical to `x` (typo_of) that the rule has, where nothing in the rule names x:
// not its expression, its result as far as known, nor its labels. "y is ...", with where y
// comes from; "" when there is none. The templates of the group's other rules count too, for a
// plural x of a y that more of them read (three messages saying namespaces, ten namespace).
std::string RuleChecks::near_label(const std::string& x, const Shape& shape) const {
  LabelSet named(shape.labels.begin(), shape.labels.end());
  // The labels a well-known exporter writes on every series of a family the rule reads
  // (kube-state-metrics' namespace on kube_deployment_*): label -> "the exporter writes it on ...".
  std::map<std::string, std::string> written;
  LabelSet in_text; // the labels its matchers and groupings name
  walk(*pr_.parsed->expr(), [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector) {
      if (const catalog::ExporterFamily* f = catalog::exporters().family(promql::metric_name(n.as<VectorSelector>())))
        for (const auto& l : f->labels)
          written.emplace(l, util::concat({f->exporter->name, " writes it on every ", f->prefix,
                                           "* series, its source at ", f->exporter->version}));
      for (const auto& m : n.as<VectorSelector>().matchers) named.insert(m.name), in_text.insert(m.name);
    }
    if (n.kind == NodeKind::aggregate)
      for (const auto& g : n.as<AggregateExpr>().grouping) named.insert(g), in_text.insert(g);
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
  if (std::string y = typo_of(x, named); !y.empty()) {
    // Named by no matcher or grouping, but a label the exporter writes on what the rule reads.
    if (auto w = written.find(y); w != written.end() && shape.labels.count(y) && !in_text.count(y))
      return y + " is a label of its result (" + w->second + ")";
    return y + " is in its expression";
  }
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

std::string RuleChecks::external_names() const {
  std::vector<std::string> names;
  for (const auto& e : cfg_->external_labels) names.push_back(e.key.value);
  return names.empty() ? "none" : util::join(names, ", ");
}
} // namespace nsmon::lint
