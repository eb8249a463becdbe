#include "nsmon/lint/routing_checks.hpp"

#include "nsmon/alertmanager/routing.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/target_labels.hpp"
#include "nsmon/promql/parser.hpp"

namespace nsmon::lint {

namespace {

// A label of an alert as routing sees it: a known value, proved absent (""), or unknown.
struct State {
  bool known = false;
  std::string value;
};

State state(const AlertLabels& a, const std::string& name) {
  if (auto it = a.fixed.find(name); it != a.fixed.end()) return {true, it->second};
  if (a.absent.count(name)) return {true, ""};
  return {};
}

bool can_match(const alertmanager::Matcher& m, const AlertLabels& a) {
  State s = state(a, m.name);
  if (!s.known) return true; // any value: the matcher may hold
  return alertmanager::matches({m}, s.value.empty() ? labels::Labels{} : labels::Labels{{m.name, s.value}});
}

bool can_match(const std::vector<alertmanager::Matcher>& ms, const AlertLabels& a) {
  for (const auto& m : ms)
    if (!can_match(m, a)) return false;
  return true;
}

// The matcher holds for every alert with what is known of `a` (an unknown label: not proved).
bool must_match(const alertmanager::Matcher& m, const AlertLabels& a) {
  State s = state(a, m.name);
  return s.known && alertmanager::matches({m}, s.value.empty() ? labels::Labels{} : labels::Labels{{m.name, s.value}});
}

bool must_match(const std::vector<alertmanager::Matcher>& ms, const AlertLabels& a) {
  for (const auto& m : ms)
    if (!must_match(m, a)) return false;
  return true;
}

// `a` as it is once it matched `ms`: the labels their `=` matchers name have those values.
AlertLabels given(AlertLabels a, const std::vector<alertmanager::Matcher>& ms) {
  for (const auto& m : ms)
    if (m.op == labels::MatchOp::equal && !state(a, m.name).known) {
      if (m.value.empty()) a.absent.insert(m.name);
      else a.fixed[m.name] = m.value;
    }
  return a;
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
  for (const auto& a : alerts)
    if (auto it = a.fixed.find(name); it != a.fixed.end()) v.insert(it->second);
  std::vector<std::string> out(v.begin(), v.end());
  return out.empty() ? "no rule sets it" : "the rules' values: " + list(out, 8);
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
    for (const auto& a : reaching) {
      State s = state(a, l.value);
      absent = absent && s.known && s.value.empty();
    }
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
    auto sev = a.fixed.find("severity");
    if (sev == a.fixed.end()) continue;
    bool below = false;
    for (const auto& c : root.routes) below = below || can_match(c.match_all, a);
    if (!below) by_severity[sev->second].push_back(a.alertname);
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

void inhibits(const alertmanager::InhibitRule& r, const std::vector<AlertLabels>& alerts,
              std::vector<core::Diagnostic>& out) {
  std::vector<const AlertLabels*> sources, targets;
  for (const auto& a : alerts) {
    if (can_match(r.source, a)) sources.push_back(&a);
    if (can_match(r.target, a)) targets.push_back(&a);
  }
  auto compatible = [](const AlertLabels& s, const AlertLabels& t, const std::string& l) {
    State x = state(s, l), y = state(t, l);
    return !x.known || !y.known || x.value == y.value;
  };
  bool any_pair = false, any_equal = false;
  for (const auto* s : sources)
    for (const auto* t : targets) {
      bool ok = true;
      for (const auto& e : r.equal) ok = ok && compatible(*s, *t, e.value);
      any_equal = any_equal || ok;
      // Alertmanager never lets an alert that matches both sides mute one that does too.
      ok = ok && !(must_match(r.source, given(*t, r.target)) && must_match(r.target, given(*s, r.source)));
      any_pair = any_pair || ok;
    }
  if (any_pair) return;
  auto names = [](const std::vector<const AlertLabels*>& v) {
    std::vector<std::string> result;
    for (const auto* a : v) result.push_back(a->alertname);
    return list(result);
  };
  std::string why;
  if (any_equal)
    why = "every alert it could mute matches its source matchers too, and the alerts that could mute it match its "
          "target matchers: Alertmanager never lets alerts that match both sides mute each other (it inhibits "
          "itself)";
  else if (sources.empty()) why = "no alert of the rules matches its source matchers";
  else if (targets.empty()) why = "no alert of the rules matches its target matchers";
  else {
    for (const auto& e : r.equal) {
      bool shared = false;
      for (const auto* s : sources)
        for (const auto* t : targets) shared = shared || compatible(*s, *t, e.value);
      if (!shared) why += std::string(why.empty() ? "" : ", ") + e.value;
    }
    why = "its source alerts (" + names(sources) + ") and target alerts (" + names(targets) + ") never have the same " +
          (why.empty() ? "values of its equal labels together" : why);
  }
  out.push_back(core::make_diagnostic("alertmanager/inhibit-never", r.span,
                                      "this inhibit rule can mute none of the rules' alerts: " + why,
                                      "compare labels the source and target alerts share (instance, job, ...)"));
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
        a.fixed["alertname"] = r.name.value;
        for (const auto* kvs : {&g.labels, &r.labels})
          for (const auto& kv : *kvs) {
            if (kv.value.value.find("{{") != std::string::npos) a.fixed.erase(kv.key.value);
            else a.fixed[kv.key.value] = kv.value.value;
          }
        auto parsed = promql::parse(r.expr.value, options.parse);
        if (parsed.ok()) {
          Inference inf(*options.catalog, &targets, recorded);
          Shape shape = inf.run(*parsed.expr());
          for (const auto& n : names)
            if (!a.fixed.count(n) && inf.absent(shape, n)) a.absent.insert(n);
        }
        // A templated label's value is unknown: neither fixed nor absent.
        for (const auto* kvs : {&g.labels, &r.labels})
          for (const auto& kv : *kvs) a.absent.erase(kv.key.value);
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
