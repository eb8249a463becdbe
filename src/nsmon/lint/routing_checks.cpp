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
  return alertmanager::matches({m},
                               s.value.empty() ? alertmanager::LabelSet{} : alertmanager::LabelSet{{m.name, s.value}});
}

bool can_match(const std::vector<alertmanager::Matcher>& ms, const AlertLabels& a) {
  for (const auto& m : ms)
    if (!can_match(m, a)) return false;
  return true;
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

void routes(const alertmanager::Route& r, std::vector<alertmanager::Matcher>& path,
            const std::vector<AlertLabels>& alerts, std::vector<core::Diagnostic>& out) {
  for (const auto& child : r.routes) {
    std::size_t depth = path.size();
    path.insert(path.end(), child.match_all.begin(), child.match_all.end());
    bool reachable = false;
    for (const auto& a : alerts) reachable = reachable || can_match(path, a);
    if (reachable) routes(child, path, alerts, out);
    else {
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
  std::vector<std::string> blocking;
  bool any_pair = false;
  for (const auto* s : sources)
    for (const auto* t : targets) {
      bool ok = true;
      for (const auto& e : r.equal) ok = ok && compatible(*s, *t, e.value);
      any_pair = any_pair || ok;
    }
  if (any_pair) return;
  auto names = [](const std::vector<const AlertLabels*>& v) {
    std::vector<std::string> result;
    for (const auto* a : v) result.push_back(a->alertname);
    return list(result);
  };
  std::string why;
  if (sources.empty()) why = "no alert of the rules matches its source matchers";
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
    routes(*cfg.route, path, alerts, out);
  }
  for (const auto& r : cfg.inhibit_rules) inhibits(r, alerts, out);
}

} // namespace nsmon::lint
