// rules/copied-alert and alerts/inverted-severity: two alerts of a file that are copies of one
// another, under another name, or but for the bound's number, with the severities the wrong way
// round. duplicates.cpp tells rules of the same name and labels apart; these look at alerts of
// different names, each file's alerts grouped by a fingerprint of their text first.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <unordered_map>

#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

std::int64_t duration_ms(const std::optional<rules::Duration>& d) { return d ? d->ms : 0; }

// What makes two alerts of a file copies of each other: the expression as written, spaces aside,
// for, keep_firing_for and the labels. Empty for an expression of spaces only (no alert).
std::string copy_key(const rules::Group& g, const rules::Rule& r) {
  std::string key = without_spaces(r.expr.value);
  if (key.empty()) return key;
  key.append(1, '\n').append(std::to_string(duration_ms(r.for_)));
  key.append(1, ' ').append(std::to_string(duration_ms(r.keep_firing_for)));
  for (const auto& [k, v] : static_labels(g, r)) key.append(1, '\n').append(k).append(1, '=').append(v);
  return key;
}

// FNV-1a, fed a byte or a number at a time: the prints below.
struct Fnv1a {
  std::uint64_t h = 0xcbf29ce484222325;
  void add(std::uint64_t v) { h = (h ^ v) * 0x100000001b3; }
};

// A fingerprint of copy_key but the labels, made as the text is read rather than from the key
// (FNV-1a over the kept bytes, then for and keep_firing_for): alerts with equal keys have equal
// prints. None for an expression of spaces only.
std::optional<std::uint64_t> copy_print(const rules::Rule& r) {
  Fnv1a print;
  bool kept = false;
  kept_runs(r.expr.value, [&](std::string_view run) {
    kept = true;
    for (const char c : run) print.add(static_cast<unsigned char>(c));
  });
  if (!kept) return std::nullopt;
  for (const std::int64_t ms : {duration_ms(r.for_), duration_ms(r.keep_firing_for)})
    print.add(static_cast<std::uint64_t>(ms));
  return print.h;
}

} // namespace

// An alert with the expression, for, keep_firing_for and labels of an earlier alert of its file,
// under another name: the two fire together for the same series, and the later one's name and
// annotations describe a condition it does not test. In strangers' files every such pair was a
// copy whose expression was not edited: metal-stack's IPMIFanSpeedState reads
// ipmi_voltage_state, OpenStreetMap's "ocsp status unknown" repeats "ssl certificate revoked",
// GitLab's PostgresDatabaseDeadlockCancels repeats PostgresDatabaseDeadlocks.
void copied_alerts(const Input& input, const Options& options, std::vector<core::Diagnostic>& out) {
  struct Alert {
    std::uint64_t print;
    std::size_t order; // in the file
    const rules::Group* group;
    const rules::Rule* rule;
  };
  for (const auto& f : input.rule_files) {
    // The alerts by fingerprint, sorted (this runs on the main thread, over every alert of the
    // file): only alerts of one print can be copies, and their keys are built and compared then.
    // Most prints are the file's only one, and no key is built at all.
    std::vector<Alert> alerts;
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (r.is_alert() && !r.name.value.empty())
          if (const auto print = copy_print(r)) alerts.push_back({*print, alerts.size(), &g, &r});
    std::sort(alerts.begin(), alerts.end(),
              [](const Alert& a, const Alert& b) { return std::tie(a.print, a.order) < std::tie(b.print, b.order); });
    std::vector<std::pair<const Alert*, const Alert*>> copies; // an alert, the first one it copies
    for (auto run = alerts.begin(); run != alerts.end();) {
      const auto end = std::find_if(run, alerts.end(), [&](const Alert& a) { return a.print != run->print; });
      if (end - run > 1) {
        std::unordered_map<std::string, const Alert*> first; // in file order: the first alert of each key
        for (auto a = run; a != end; ++a) {
          auto [it, fresh] = first.emplace(copy_key(*a->group, *a->rule), &*a);
          if (!fresh && it->second->rule->name.value != a->rule->name.value) copies.emplace_back(&*a, it->second);
        }
      }
      run = end;
    }
    std::sort(copies.begin(), copies.end(),
              [](const auto& a, const auto& b) { return a.first->order < b.first->order; });
    for (const auto& [copy, of] : copies) {
      const rules::Rule& r = *copy->rule;
      // Alerts that read no series (vector(1)) are alike on purpose: heartbeats, or a pipeline's
      // test alerts (rhobs/configuration's AlwaysFiringAlert and AlwaysFiringAlert2).
      const promql::ParseResult parsed = promql::parse(r.expr.value, options.parse);
      if (!parsed.expr() || reads_no_series(*parsed.expr())) continue;
      const rules::Rule& earlier = *of->rule;
      core::Diagnostic d = core::make_diagnostic(
          "rules/copied-alert", r.name.span,
          util::concat({"alert ", r.name.value, " has the expression, for and labels of alert ", earlier.name.value,
                        " (line ", std::to_string(earlier.name.span.line),
                        "): the two always fire together, for the same series, so this one tests the other's ",
                        "condition under its own name; a copy whose expression was not changed?"}),
          "write the expression this alert is meant for, or remove the copy");
      d.group = copy->group->name.value;
      d.rule = r.name.value;
      out.push_back(std::move(d));
    }
  }
}

namespace {

// An alert's one bound: the comparison with a number that decides whether it fires, reached from
// the expression's top through parentheses, `and` and `or` only (under them a looser bound fires
// for more series; under unless, absent() or arithmetic it need not). The number on the right.
struct Bound {
  promql::BinaryOp op;
  double value;
  promql::PosRange number; // in the expression's text
};

// Counts the bounds under e (through parentheses, and, or) and keeps the last one found.
void find_bounds(const promql::Expr& e, std::optional<Bound>& bound, int& found) {
  if (e.kind == promql::NodeKind::paren) return find_bounds(*e.as<promql::ParenExpr>().expr, bound, found);
  if (e.kind != promql::NodeKind::binary) return;
  const auto& b = e.as<promql::BinaryExpr>();
  if (b.op == promql::BinaryOp::land || b.op == promql::BinaryOp::lor) {
    find_bounds(*b.lhs, bound, found);
    find_bounds(*b.rhs, bound, found);
    return;
  }
  if (!promql::is_comparison(b.op) || b.return_bool || b.op == promql::BinaryOp::eql || b.op == promql::BinaryOp::neq)
    return;
  for (const auto& [number, op] : {std::pair{b.rhs, b.op}, std::pair{b.lhs, flip(b.op)}}) {
    if (number->kind != promql::NodeKind::number_literal) continue;
    const auto& n = number->as<promql::NumberLiteral>();
    if (n.duration) continue;
    ++found;
    bound = Bound{op, n.value, n.range};
  }
}

// A print of an alert's expression blind to the numbers written in it (a digit that does not
// continue a name: `> 0.9`, `[5m]`, not node_load1's) and of its for: alerts that differ in their
// bound's number have the same print.
std::uint64_t number_blind_print(const rules::Rule& r) {
  Fnv1a print;
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  kept_runs(r.expr.value, [&](std::string_view run) {
    char prev = ' ';
    for (std::size_t i = 0; i < run.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(run[i])) && !alnum(prev) && prev != '_' && prev != ':') {
        while (i + 1 < run.size() && (alnum(run[i + 1]) || run[i + 1] == '.')) ++i;
        continue;
      }
      prev = run[i];
      print.add(static_cast<unsigned char>(prev));
    }
    print.add(' ');
  });
  print.add(static_cast<std::uint64_t>(duration_ms(r.for_)));
  return print.h;
}

std::optional<Bound> bound_of(const promql::Expr& root) {
  std::optional<Bound> bound;
  int found = 0;
  find_bounds(root, bound, found);
  return found == 1 ? bound : std::nullopt;
}

} // namespace

// Two alerts of a file whose expressions differ only in the number of their one bound, with the
// same for and labels but severity critical and warning, where the critical's bound is the
// looser: the critical fires first, and the warning only while the critical does. node_exporter's
// mixin shipped its filesystem alerts so from 0b50eb72 to cec414df ("Warnings now have a smaller
// threshold than critical alerts"): critical below 5% free, warning below 3%.
void inverted_severities(const Input& input, const Options& options, std::vector<core::Diagnostic>& out) {
  struct Alert {
    const rules::Group* group;
    const rules::Rule* rule;
    Bound bound;
    bool critical;
  };
  // An alert's severity label: its own, else its group's (Prometheus 3's group labels).
  auto severity_of = [](const rules::Group& g, const rules::Rule& r) -> std::string_view {
    for (const auto* labels : {&r.labels, &g.labels})
      for (const auto& kv : *labels)
        if (kv.key.value == "severity") return kv.value.value;
    return {};
  };
  for (const auto& f : input.rule_files) {
    // A pair needs a critical alert and a warning: most files of one team's alerts have both.
    bool critical = false, warning = false;
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (r.is_alert()) {
          critical = critical || severity_of(g, r) == "critical";
          warning = warning || severity_of(g, r) == "warning";
        }
    if (!critical || !warning) continue;
    // Then the alerts that can pair up at all, of one number_blind_print(): a critical and a
    // warning of one print are parsed, the rest of the file's alerts never are (the rules' own
    // parses are gone by now; parsing each alert again cost a fifth of lint-rules' instructions on
    // bench/gen_rules.py's 10,000 alerts).
    struct Candidate {
      std::uint64_t print;
      std::size_t order;
      const rules::Group* group;
      const rules::Rule* rule;
      bool critical;
    };
    std::vector<Candidate> candidates;
    for (const auto& g : f.groups)
      for (const auto& r : g.rules)
        if (const std::string_view sev = r.is_alert() ? severity_of(g, r) : ""; sev == "critical" || sev == "warning")
          candidates.push_back({number_blind_print(r), candidates.size(), &g, &r, sev == "critical"});
    std::sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
      return std::tie(a.print, a.order) < std::tie(b.print, b.order);
    });
    std::map<std::string, std::vector<Alert>> by_key; // the expression but the bound's number, for, labels
    for (auto run = candidates.begin(); run != candidates.end();) {
      const auto end = std::find_if(run, candidates.end(), [&](const Candidate& c) { return c.print != run->print; });
      const bool both = std::any_of(run, end, [](const Candidate& c) { return c.critical; }) &&
                        std::any_of(run, end, [](const Candidate& c) { return !c.critical; });
      for (auto c = run; both && c != end; ++c) {
        const rules::Rule& r = *c->rule;
        const promql::ParseResult parsed = promql::parse(r.expr.value, options.parse);
        if (!parsed.expr()) continue;
        const auto bound = bound_of(*parsed.expr());
        if (!bound) continue;
        std::string key = without_spaces(r.expr.value.substr(0, bound->number.start)) + "#" +
                          without_spaces(r.expr.value.substr(bound->number.end));
        key.append(1, '\n').append(promql::to_string(bound->op));
        key.append(1, '\n').append(std::to_string(duration_ms(r.for_)));
        for (const auto& [k, v] : static_labels(*c->group, r))
          if (k != "severity") key.append(1, '\n').append(k).append(1, '=').append(v);
        by_key[key].push_back({c->group, c->rule, *bound, c->critical});
      }
      run = end;
    }
    for (const auto& [key, alerts] : by_key)
      for (const Alert& c : alerts) {
        if (!c.critical) continue;
        const bool below = c.bound.op == promql::BinaryOp::lss || c.bound.op == promql::BinaryOp::lte;
        for (const Alert& w : alerts) {
          if (w.critical || (below ? c.bound.value <= w.bound.value : c.bound.value >= w.bound.value)) continue;
          constexpr std::string_view kSwapped =
              ", on the same expression: the warning fires only while the critical does; are the two thresholds "
              "swapped?";
          const std::string op = promql::to_string(c.bound.op);
          core::Diagnostic d =
              core::make_diagnostic("alerts/inverted-severity", c.rule->name.span,
                                    util::concat({"alert ", c.rule->name.value, " (severity critical) fires at ", op,
                                                  " ", util::format_number(c.bound.value), ", before its warning ",
                                                  w.rule->name.value, " (line ", std::to_string(w.rule->name.span.line),
                                                  ") at ", op, " ", util::format_number(w.bound.value), kSwapped}),
                                    "give the critical alert the stricter bound and the warning the looser one");
          d.group = c.group->name.value;
          d.rule = c.rule->name.value;
          out.push_back(std::move(d));
          break;
        }
      }
  }
}

} // namespace nsmon::lint
