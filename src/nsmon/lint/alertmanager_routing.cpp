#include <algorithm>
#include <optional>
#include <utility>

#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/lint/alertmanager_checks.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/target_labels.hpp"
#include "nsmon/promql/parser.hpp"

namespace nsmon::lint {

namespace {

// A label of an alert as routing sees it. Alertmanager reads a missing label as the empty value,
// and Prometheus drops a label whose value is empty: present means a value that is not empty.
struct State {
  enum class Kind { unknown, absent, present, value } kind = Kind::unknown;
  std::vector<std::string> values; ///< Kind::value: one of these
};

State state(const AlertLabels& a, const std::string& name) {
  if (auto it = a.fixed.find(name); it != a.fixed.end())
    return it->second.empty() ? State{State::Kind::absent, {}} : State{State::Kind::value, {it->second}};
  if (a.absent.count(name)) return {State::Kind::absent, {}};
  if (auto it = a.present.find(name); it != a.present.end())
    return it->second.empty() ? State{State::Kind::present, {}} : State{State::Kind::value, it->second};
  return {};
}

bool present(const State& s) { return s.kind == State::Kind::present || s.kind == State::Kind::value; }

// What `m` says of every value that is not empty, when it says the same of all of them.
std::optional<bool> holds_for_any_value(const alertmanager::Matcher& m) {
  bool all = m.value == ".+" || m.value == ".*", none = m.value.empty();
  switch (m.op) {
  case labels::MatchOp::equal: return none ? std::optional(false) : std::nullopt;
  case labels::MatchOp::not_equal: return none ? std::optional(true) : std::nullopt;
  case labels::MatchOp::regex: return all ? std::optional(true) : none ? std::optional(false) : std::nullopt;
  case labels::MatchOp::not_regex: return all ? std::optional(false) : none ? std::optional(true) : std::nullopt;
  }
  return std::nullopt;
}

bool holds_for(const alertmanager::Matcher& m, const std::string& value) {
  return alertmanager::matches({m}, value.empty() ? labels::Labels{} : labels::Labels{{m.name, value}});
}

// Whether `m` holds for the label in state `s`: true or false when proved, nullopt when it depends
// on what is not known.
std::optional<bool> holds(const alertmanager::Matcher& m, const State& s) {
  switch (s.kind) {
  case State::Kind::absent: return holds_for(m, "");
  case State::Kind::value: {
    auto n = std::count_if(s.values.begin(), s.values.end(), [&](const auto& v) { return holds_for(m, v); });
    if (n == 0 || static_cast<std::size_t>(n) == s.values.size()) return n != 0;
    return std::nullopt;
  }
  case State::Kind::present: return holds_for_any_value(m);
  case State::Kind::unknown: break;
  }
  auto any = holds_for_any_value(m);
  return any && *any == holds_for(m, "") ? any : std::nullopt;
}

bool can_match(const std::vector<alertmanager::Matcher>& ms, const AlertLabels& a) {
  for (const auto& m : ms)
    if (holds(m, state(a, m.name)) == std::optional(false)) return false;
  return true;
}

// The matchers hold for every alert with what is known of `a` (an unknown label: not proved).
bool must_match(const std::vector<alertmanager::Matcher>& ms, const AlertLabels& a) {
  for (const auto& m : ms)
    if (holds(m, state(a, m.name)) != std::optional(true)) return false;
  return true;
}

// `a` as it is once it matched `ms` (each of which can hold): the labels their `=` matchers name
// have those values, those `!=""` or `=~".+"` name are present, and a label with a few possible
// values keeps those the matcher accepts.
AlertLabels given(AlertLabels a, const std::vector<alertmanager::Matcher>& ms) {
  for (const auto& m : ms) {
    State s = state(a, m.name);
    if (s.kind == State::Kind::absent || a.fixed.count(m.name)) continue;
    if (m.op == labels::MatchOp::equal) {
      a.present.erase(m.name);
      if (m.value.empty()) a.absent.insert(m.name);
      else a.fixed[m.name] = m.value;
    } else if (s.kind == State::Kind::value) {
      auto values = a.present[m.name];
      std::erase_if(values, [&](const auto& v) { return !holds_for(m, v); });
      if (!values.empty()) a.present[m.name] = std::move(values);
    } else if (s.kind == State::Kind::unknown && holds_for_any_value(m) == std::optional(true) && !holds_for(m, ""))
      a.present[m.name];
  }
  return a;
}

// Whether alerts with these states of a label can have the same value of it, as inhibition
// compares them (absent is the empty value: it equals only absent).
bool can_equal(const State& x, const State& y) {
  if (x.kind == State::Kind::unknown || y.kind == State::Kind::unknown) return true;
  if (x.kind == State::Kind::absent || y.kind == State::Kind::absent) return x.kind == y.kind;
  if (x.kind != State::Kind::value || y.kind != State::Kind::value) return true;
  return std::any_of(x.values.begin(), x.values.end(),
                     [&](const auto& v) { return std::find(y.values.begin(), y.values.end(), v) != y.values.end(); });
}

std::string list(const std::vector<std::string>& names, std::size_t max = 4) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > max) out += ", ... (" + std::to_string(names.size()) + ")";
  return out;
}

std::string all_of(const std::vector<alertmanager::Matcher>& ms) {
  std::string out;
  for (const auto& m : ms) out += (out.empty() ? "" : ", ") + alertmanager::to_string(m);
  return out;
}

// The values the rules give a label, for messages: "critical, warning", or what is unknown.
std::string values_of(const std::vector<AlertLabels>& alerts, const std::string& name) {
  std::set<std::string> v;
  bool unknown_value = false;
  for (const auto& a : alerts) {
    State s = state(a, name);
    v.insert(s.values.begin(), s.values.end());
    unknown_value = unknown_value || s.kind == State::Kind::present;
  }
  std::vector<std::string> out(v.begin(), v.end());
  if (out.empty()) return unknown_value ? "the rules' alerts carry it, values unknown" : "no rule sets it";
  return "the rules' values: " + list(out, 8) + (unknown_value ? ", and values unknown" : "");
}

// A route none of whose alerts gets past an earlier sibling without continue: each alert that can
// match it matches (for sure) an earlier sibling first. `reaching`: those alerts, given the path.
void shadowed(const alertmanager::Route& parent, std::size_t i, const std::vector<AlertLabels>& reaching,
              bool with_rules, std::vector<core::Diagnostic>& out) {
  const alertmanager::Route* by = nullptr;
  for (const auto& a : reaching) {
    const alertmanager::Route* caught = nullptr;
    for (std::size_t j = 0; j < i && !caught; ++j) {
      const auto& earlier = parent.routes[j];
      if (!earlier.continue_ && earlier.matchers_ok && must_match(earlier.match_all, a)) caught = &earlier;
    }
    if (!caught) return;
    if (!by) by = caught;
  }
  if (!by) return;
  std::vector<std::string> names;
  for (const auto& a : reaching) names.push_back(a.alertname);
  std::string line = std::to_string(by->span.line);
  out.push_back(core::make_diagnostic(
      "alertmanager/shadowed-route", parent.routes[i].span,
      with_rules ? "this route is never reached: every alert of the rules that can match it (" + list(names) +
                       ") is caught first by the earlier route at line " + line + ", which has no continue: true"
                 : "this route is never reached: every alert that matches it matches the earlier route at line " +
                       line + " first, which has no continue: true",
      "move it before that route, or give that route continue: true"));
}

// group_by labels that no alert reaching the route has: they group nothing.
void group_by_absent(const alertmanager::Route& r, const std::vector<AlertLabels>& reaching,
                     std::vector<core::Diagnostic>& out) {
  if (reaching.empty()) return;
  for (const auto& l : r.group_by) {
    if (l.value == "...") continue;
    bool absent = true;
    for (const auto& a : reaching) absent = absent && state(a, l.value).kind == State::Kind::absent;
    if (!absent) continue;
    std::vector<std::string> names;
    for (const auto& a : reaching) names.push_back(a.alertname);
    out.push_back(core::make_diagnostic("alertmanager/group-by-absent", l.span,
                                        "group_by label \"" + l.value +
                                            "\" is on none of the alerts that can reach this route (" + list(names) +
                                            "): it groups nothing",
                                        "group by labels the alerts carry (alertname, instance, ...)"));
  }
}

// The route tree against the alerts: unreachable routes, shadowed routes, group_by labels.
// `alerts` are the alerts that reach `r` (given its path's `=` matchers).
void routes(const alertmanager::Route& r, std::vector<alertmanager::Matcher>& path,
            const std::vector<AlertLabels>& alerts, bool with_rules, std::vector<core::Diagnostic>& out) {
  if (with_rules) group_by_absent(r, alerts, out);
  for (std::size_t i = 0; i < r.routes.size(); ++i) {
    const auto& child = r.routes[i];
    std::size_t depth = path.size();
    path.insert(path.end(), child.match_all.begin(), child.match_all.end());
    std::vector<AlertLabels> reaching;
    for (const auto& a : alerts)
      if (can_match(path, a)) reaching.push_back(given(a, child.match_all));
    if (!reaching.empty()) {
      shadowed(r, i, reaching, with_rules, out);
      routes(child, path, reaching, with_rules, out);
    } else if (with_rules) {
      // Name the matchers that no alert satisfies (given the parents'), with the rules' values.
      std::string why;
      std::vector<alertmanager::Matcher> parents(path.begin(), path.begin() + static_cast<std::ptrdiff_t>(depth));
      for (const auto& m : child.match_all) {
        auto with = parents;
        with.push_back(m);
        bool any = false;
        for (const auto& a : alerts) any = any || can_match(with, a);
        if (!any)
          why += (why.empty() ? "" : "; ") + alertmanager::to_string(m) + " (" + values_of(alerts, m.name) + ")";
      }
      out.push_back(core::make_diagnostic(
          "alertmanager/unmatched-route", child.span,
          "no alert of the rules can reach this route (" + std::to_string(alerts.size()) +
              " alerting rules): " + (why.empty() ? "none has all of " + all_of(path) : why),
          "match labels and values the rules set (their labels: severity, ...), or drop the route"));
    }
    path.resize(depth);
  }
}

// Severities whose alerts no route below the root can take: only the root's receiver gets them.
// A catch-all default receiver is the commonest correct design, so that is a finding only when
// the root receiver drops them (no integrations) or pages for a severity that is not critical.
void root_only(const alertmanager::Config& cfg, const std::vector<AlertLabels>& alerts,
               std::vector<core::Diagnostic>& out) {
  const alertmanager::Route& root = *cfg.route;
  if (root.routes.empty()) return;
  const alertmanager::Receiver* rr = nullptr;
  for (const auto& r : cfg.receivers)
    if (root.receiver && r.name.value == root.receiver->value) rr = &r;
  if (!rr) return; // undefined-receiver says it
  std::string pager;
  for (const auto& k : rr->kinds)
    if (k == "pagerduty_configs" || k == "opsgenie_configs" || k == "victorops_configs") pager = k;
  std::map<std::string, std::vector<std::string>> by_severity;
  for (const auto& a : alerts) {
    State sev = state(a, "severity");
    if (sev.values.size() != 1) continue;
    bool below = false;
    for (const auto& c : root.routes) below = below || can_match(c.match_all, a);
    if (!below) by_severity[sev.values[0]].push_back(a.alertname);
  }
  const std::string& receiver = root.receiver->value;
  for (const auto& [sev, names] : by_severity) {
    std::string what;
    if (rr->kinds.empty()) what = ", which has no integrations: they are dropped";
    else if (!pager.empty() && sev != "critical" && sev != "page") what = ", which pages (" + pager + ") for them";
    else continue;
    out.push_back(core::make_diagnostic("alertmanager/root-only-severity", root.receiver->span,
                                        "alerts with severity=\"" + sev + "\" (" + list(names) +
                                            ") reach only the root route's receiver \"" + receiver + "\"" + what,
                                        "route severity=\"" + sev + "\" to the receiver meant for it"));
  }
}

std::string names_of(const std::vector<AlertLabels>& alerts) {
  std::vector<std::string> names;
  for (const auto& a : alerts) names.push_back(a.alertname);
  return list(names);
}

// Why no source and target alert ever share the value of the equal label `l`, and what to do; an
// empty reason when some pair may: a label every source alert carries and no target alert does
// (or the reverse) is never equal, since Alertmanager reads the missing one as empty; fixed values
// may differ.
std::pair<std::string, std::string> never_equal(const std::vector<AlertLabels>& sources,
                                                const std::vector<AlertLabels>& targets, const std::string& l) {
  bool on_sources = true, on_targets = true, off_sources = true, off_targets = true;
  for (const auto& s : sources) {
    State x = state(s, l);
    on_sources = on_sources && present(x);
    off_sources = off_sources && x.kind == State::Kind::absent;
    for (const auto& t : targets)
      if (can_equal(x, state(t, l))) return {};
  }
  for (const auto& t : targets) {
    State y = state(t, l);
    on_targets = on_targets && present(y);
    off_targets = off_targets && y.kind == State::Kind::absent;
  }
  const std::string q = "\"" + l + "\"";
  const std::string missing = ": Alertmanager compares a missing label as empty, so they never have the same " + l;
  const std::string help = "drop " + q + " from equal, or keep it in the other side's alerts (by (..., " + l + "))";
  if (on_sources && off_targets)
    return {"every source alert (" + names_of(sources) + ") carries " + q + " and no target alert (" +
                names_of(targets) + ") does" + missing,
            help};
  if (off_sources && on_targets)
    return {"no source alert (" + names_of(sources) + ") carries " + q + " and every target alert (" +
                names_of(targets) + ") does" + missing,
            help};
  return {"its source alerts (" + names_of(sources) + ") and target alerts (" + names_of(targets) +
              ") never have the same " + l,
          "compare labels the source and target alerts share (instance, job, ...)"};
}

void inhibits(const alertmanager::InhibitRule& r, const std::vector<AlertLabels>& alerts,
              std::vector<core::Diagnostic>& out) {
  // Each side's alerts as they are once they matched that side's matchers.
  std::vector<AlertLabels> sources, targets;
  for (const auto& a : alerts) {
    if (can_match(r.source, a)) sources.push_back(given(a, r.source));
    if (can_match(r.target, a)) targets.push_back(given(a, r.target));
  }
  bool any_pair = false, any_equal = false;
  for (const auto& s : sources)
    for (const auto& t : targets) {
      bool ok = true;
      for (const auto& e : r.equal) ok = ok && can_equal(state(s, e.value), state(t, e.value));
      any_equal = any_equal || ok;
      // Alertmanager never lets an alert that matches both sides mute one that does too.
      ok = ok && !(must_match(r.source, t) && must_match(r.target, s));
      any_pair = any_pair || ok;
    }
  if (any_pair) return;
  const std::string head = "this inhibit rule can mute none of the rules' alerts: ";
  const std::string help = "compare labels the source and target alerts share (instance, job, ...)";
  if (!any_equal && !sources.empty() && !targets.empty()) {
    // On each equal label that alone keeps every source from every target.
    bool told = false;
    for (const auto& e : r.equal)
      if (auto [why, fix] = never_equal(sources, targets, e.value); !why.empty()) {
        out.push_back(core::make_diagnostic("alertmanager/inhibit-never", e.span, head + why, fix));
        told = true;
      }
    if (told) return;
  }
  std::string why;
  if (any_equal)
    why = "every alert it could mute matches its source matchers too, and the alerts that could mute it match its "
          "target matchers: Alertmanager never lets alerts that match both sides mute each other (it inhibits "
          "itself)";
  else if (sources.empty()) why = "no alert of the rules matches its source matchers";
  else if (targets.empty()) why = "no alert of the rules matches its target matchers";
  else
    why = "its source alerts (" + names_of(sources) + ") and target alerts (" + names_of(targets) +
          ") never have the same values of its equal labels together";
  out.push_back(core::make_diagnostic("alertmanager/inhibit-never", r.span, head + why, help));
}

} // namespace

std::vector<AlertLabels> alert_labels(const Input& input, const Options& options, const std::set<std::string>& names) {
  const rules::Config* cfg = input.config ? &*input.config : nullptr;
  const TargetLabels targets(*options.catalog, cfg);
  // Recording rules are not resolved here: a metric the linter does not know keeps every label
  // open, which can only make fewer findings.
  const std::map<std::string, RecordedMetric> recorded;
  std::vector<AlertLabels> out;
  for (const auto& f : input.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        if (!r.is_alert() || r.name.value.empty()) continue;
        AlertLabels a;
        a.alertname = r.name.value;
        a.span = r.name.span;
        for (const auto* kvs : {&g.labels, &r.labels})
          for (const auto& kv : *kvs) {
            if (kv.value.value.find("{{") != std::string::npos) a.fixed.erase(kv.key.value);
            else a.fixed[kv.key.value] = kv.value.value;
          }
        a.fixed["alertname"] = r.name.value; // set after the labels, as Prometheus sets it
        auto parsed = promql::parse(r.expr.value, options.parse);
        if (parsed.ok()) {
          Inference inf(*options.catalog, &targets, recorded);
          inf.scoped(g.scope);
          const Shape& shape = inf.run(*parsed.expr());
          // Present: every series of the result carries it, with one of the values the shape
          // knows (an equality matcher's, the catalog's) or any.
          for (const auto& n : names)
            if (a.fixed.count(n)) continue;
            else if (n == "__name__" || inf.absent(shape, n)) a.absent.insert(n); // the rule drops __name__
            else if (Inference::present(shape, n)) {
              auto& values = a.present[n];
              if (auto it = shape.values.find(n);
                  it != shape.values.end() &&
                  std::none_of(it->second.begin(), it->second.end(), [](const auto& v) { return v.empty(); }))
                values = it->second;
            }
        }
        // A templated label's value is unknown, and may be empty (then the alert lacks it).
        for (const auto* kvs : {&g.labels, &r.labels})
          for (const auto& kv : *kvs)
            if (!a.fixed.count(kv.key.value)) a.absent.erase(kv.key.value), a.present.erase(kv.key.value);
        // The ruler's scope labels, with its values (GMP's namespace), are on every alert.
        for (const auto& l : g.scope)
          if (!a.fixed.count(l)) a.absent.erase(l), a.present[l];
        // Prometheus adds the external labels an alert lacks before sending it.
        if (cfg)
          for (const auto& kv : cfg->external_labels) {
            const std::string& n = kv.key.value;
            auto it = a.fixed.find(n);
            if (kv.value.value.empty() || (it != a.fixed.end() && !it->second.empty())) continue;
            if (it != a.fixed.end() || a.absent.erase(n)) a.fixed[n] = kv.value.value;
            else a.present[n]; // present already (its own value), or unknown: its own or the external one
          }
        out.push_back(std::move(a));
      }
  return out;
}

std::set<std::string> label_names(const alertmanager::Config& cfg) {
  std::set<std::string> out;
  std::vector<const alertmanager::Route*> stack;
  if (cfg.route) stack.push_back(&*cfg.route);
  while (!stack.empty()) {
    const auto* r = stack.back();
    stack.pop_back();
    for (const auto& m : r->match_all) out.insert(m.name);
    for (const auto& l : r->group_by) out.insert(l.value);
    for (const auto& c : r->routes) stack.push_back(&c);
  }
  for (const auto& i : cfg.inhibit_rules) {
    for (const auto* ms : {&i.source, &i.target})
      for (const auto& m : *ms) out.insert(m.name);
    for (const auto& e : i.equal) out.insert(e.value);
  }
  return out;
}

void check_routing(const alertmanager::Config& cfg, const std::vector<AlertLabels>& alerts,
                   std::vector<core::Diagnostic>& out) {
  if (alerts.empty()) return;
  if (cfg.route) {
    std::vector<alertmanager::Matcher> path;
    routes(*cfg.route, path, alerts, true, out);
    root_only(cfg, alerts, out);
  }
  for (const auto& r : cfg.inhibit_rules) inhibits(r, alerts, out);
}

void check_routes(const alertmanager::Config& cfg, std::vector<core::Diagnostic>& out) {
  // One alert of which nothing is known: what is true of it is true of every alert.
  const std::vector<AlertLabels> any(1);
  if (cfg.route) {
    std::vector<alertmanager::Matcher> path;
    routes(*cfg.route, path, any, false, out);
  }
  for (const auto& r : cfg.inhibit_rules)
    if (must_match(r.source, given({}, r.target)) && must_match(r.target, given({}, r.source)))
      out.push_back(core::make_diagnostic(
          "alertmanager/inhibit-never", r.span,
          "this inhibit rule can mute nothing: its source and target matchers select the same alerts, and "
          "Alertmanager never lets alerts that match both sides mute each other (it inhibits itself)",
          "make the target narrower than the source (severity=\"warning\" under severity=\"critical\")"));
}

} // namespace nsmon::lint
