#include "nsmon/ruletest/alert_path.hpp"

#include <algorithm>

#include "nsmon/engine/notation.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/text/percent.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::ruletest {

namespace {

Labels to_labels(const std::vector<KeyValue>& kvs) {
  Labels out;
  for (const auto& kv : kvs) labels::set(out, kv.key.value, kv.value.value);
  return out;
}

bool same(const Labels& exp, const Labels& got, bool partial) {
  return partial ? std::includes(got.begin(), got.end(), exp.begin(), exp.end()) : exp == got;
}

std::string show(const Labels& ls) { return engine::format_series(ls); }

// Go's url.QueryEscape: percent-encoding with a space as '+'.
std::string query_escape(const std::string& s) {
  std::string out;
  for (char c : s) out += c == ' ' ? std::string("+") : text::percent_encode(std::string(1, c));
  return out;
}

// Each expected label set paired with a distinct got one (in order, first fit): true when all
// are, and as many as got.
bool same_sets(const std::vector<Labels>& exp, const std::vector<Labels>& got, bool partial) {
  if (exp.size() != got.size()) return false;
  std::vector<bool> used(got.size(), false);
  for (const auto& e : exp) {
    std::size_t k = 0;
    while (k < got.size() && (used[k] || !same(e, got[k], partial))) ++k;
    if (k == got.size()) return false;
    used[k] = true;
  }
  return true;
}

// One got notification: a group of a receiver that sends something.
struct GotGroup {
  const alertmanager::Group* group;
  std::vector<Labels> alerts; ///< the labels of the alerts its notifications carry
};

std::vector<GotGroup> got_groups(const AlertPathView& v) {
  std::vector<GotGroup> out;
  for (const auto& g : v.outcome.groups) {
    if (g.notifications.empty()) continue;
    GotGroup gg{&g, {}};
    for (auto i : g.notifications.front().alerts) gg.alerts.push_back(v.alerts[i].labels);
    out.push_back(std::move(gg));
  }
  return out;
}

bool same_group(const ExpNotification& e, const GotGroup& g, bool partial) {
  if (e.receiver.value != g.group->route.receiver) return false;
  if (e.group_labels && !same(to_labels(*e.group_labels), g.group->group_labels, partial)) return false;
  if (e.alerts) {
    std::vector<Labels> exp;
    for (const auto& a : *e.alerts) exp.push_back(to_labels(a));
    if (!same_sets(exp, g.alerts, partial)) return false;
  }
  return true;
}

std::string describe(const GotGroup& g) {
  std::string s = "receiver " + g.group->route.receiver + ", group " + show(g.group->group_labels) + ", " +
                  std::to_string(g.alerts.size()) + (g.alerts.size() == 1 ? " alert" : " alerts");
  for (const auto& a : g.alerts) s += "\n        " + show(a);
  return s;
}

std::string describe(const ExpNotification& e) {
  std::string s = "receiver " + e.receiver.value;
  if (e.group_labels) s += ", group " + show(to_labels(*e.group_labels));
  if (e.alerts) s += ", " + std::to_string(e.alerts->size()) + (e.alerts->size() == 1 ? " alert" : " alerts");
  s += " (line " + std::to_string(e.span.line) + ")";
  if (e.alerts)
    for (const auto& a : *e.alerts) s += "\n        " + show(to_labels(a));
  return s;
}

// The route path an alert took, route by route from the root, with each route's file:line and
// matchers; its mutes and the inhibit rules that fired with their sources.
std::string alert_path(const AlertmanagerSetup& am, const AlertPathView& v, std::size_t i) {
  const auto& out = v.outcome.alerts[i];
  const std::string& file = am.cfg.path;
  std::string s = "    the path of " + show(v.alerts[i].labels) + ":\n";
  for (const auto& r : out.routes) {
    const alertmanager::Route* route = &*am.cfg.route;
    std::string line = "      " + file + ":" + std::to_string(route->span.line) + " root route";
    for (auto idx : r.match.path) {
      route = &route->routes[idx];
      line += "\n      → " + file + ":" + std::to_string(route->span.line) + " route";
      std::vector<std::string> ms;
      for (const auto& m : route->matchers) ms.push_back(m.value + " (line " + std::to_string(m.span.line) + ")");
      if (ms.empty())
        for (const auto& m : route->match_all) ms.push_back(alertmanager::to_string(m));
      if (!ms.empty()) line += " matching " + util::join(ms, ", ");
      if (route->continue_) line += ", continue: true";
    }
    s += line + "\n        ⇒ receiver " + r.match.receiver;
    if (r.muted)
      s += r.muted->active_intervals
               ? ", muted: none of its active_time_intervals (" + r.muted->interval + ") is active"
               : ", muted by mute_time_intervals " + r.muted->interval;
    s += "\n";
  }
  for (const auto& inh : out.inhibited) {
    s += "      inhibited by the inhibit rule at " + file + ":" + std::to_string(inh.span.line) + ", source";
    for (auto src : inh.sources) s += " " + show(v.alerts[src].labels);
    s += "\n";
  }
  return s;
}

// The input alerts an expectation is about: those its alerts name, else those that have its
// group labels.
std::vector<std::size_t> concerned(const ExpNotification& e, const AlertPathView& v) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < v.alerts.size(); ++i) {
    bool take = false;
    if (e.alerts) {
      for (const auto& a : *e.alerts) take = take || same(to_labels(a), v.alerts[i].labels, true);
    } else if (e.group_labels) {
      take = same(to_labels(*e.group_labels), v.alerts[i].labels, true);
    } else {
      take = true;
    }
    if (take) out.push_back(i);
  }
  return out;
}

std::string text_of(const ExpText& t) {
  switch (t.kind) {
  case ExpText::Kind::contains: return "containing " + text::go::quote(t.text.value);
  case ExpText::Kind::matches: return "matching " + text::go::quote(t.text.value);
  default: return text::go::quote(t.text.value);
  }
}

bool text_ok(const ExpText& t, const std::string& got) {
  switch (t.kind) {
  case ExpText::Kind::contains: return got.find(t.text.value) != std::string::npos;
  case ExpText::Kind::matches:
    return labels::matches(labels::Matcher{"", labels::MatchOp::regex, t.text.value}, got, labels::Dialect::prometheus);
  default: return got == t.text.value;
  }
}

// The expected fields of `e`'s integrations against the group's notifications.
void check_fields(const ExpNotification& e, const GotGroup& g, std::vector<std::string>& problems) {
  for (const auto& in : e.integrations) {
    bool any = false;
    for (const auto& n : g.group->notifications) {
      if (n.integration != in.name.value) continue;
      any = true;
      const std::string who =
          in.name.value + (n.index ? "[" + std::to_string(n.index) + "]" : "") + " of receiver " + e.receiver.value;
      for (const auto& field : in.fields) {
        const auto& [name, exp] = field;
        const std::string& wanted = name.value; // a lambda may not capture a structured binding (clang)
        auto f = std::find_if(n.fields.begin(), n.fields.end(), [&](const auto& x) { return x.name == wanted; });
        if (f == n.fields.end()) {
          std::vector<std::string> names;
          for (const auto& x : n.fields) names.push_back(x.name);
          problems.push_back(who + " has no field '" + name.value + "' (line " + std::to_string(name.span.line) +
                             "); it renders: " + util::join(names, ", "));
          continue;
        }
        if (f->error) {
          problems.push_back(who + ": " + name.value + " does not render: " + *f->error);
          continue;
        }
        if (text_ok(exp, f->text)) continue;
        std::string p = who + ": " + name.value + " (line " + std::to_string(name.span.line) + ") is not " +
                        text_of(exp) +
                        (f->span.line ? ", template at " + f->span.file.str() + ":" + std::to_string(f->span.line)
                                      : std::string(", the default template"));
        if (exp.kind == ExpText::Kind::equals) p += "\n" + util::line_diff(exp.text.value, f->text, "      ");
        else p += "\n      got: " + text::go::quote(f->text);
        problems.push_back(std::move(p));
      }
    }
    if (!any)
      problems.push_back("receiver " + e.receiver.value + " has no " + in.name.value + " integration (line " +
                         std::to_string(in.name.span.line) + ")");
  }
}

std::string yaml_labels(const Labels& ls) {
  std::string out = "{";
  for (const auto& [k, v] : ls) out += (out.size() > 1 ? ", " : "") + k + ": " + text::go::quote(v);
  return out + "}";
}

} // namespace

std::vector<alertmanager::Alert> sent_alerts(const GroupEvaluator& ev, const std::vector<EvalGroup>& groups,
                                             const Labels& external_labels, const std::string& external_url,
                                             std::int64_t t) {
  std::vector<alertmanager::Alert> out;
  for (const auto& a : ev.alerts()) {
    if (a.state != AlertState::firing) continue;
    alertmanager::Alert s;
    s.labels = a.labels;
    for (const auto& [k, v] : external_labels)
      if (labels::get(s.labels, k).empty()) labels::set(s.labels, k, v);
    s.annotations = a.annotations;
    s.starts_at_ms = a.fired_at;
    std::int64_t interval = 60'000;
    for (const auto& g : groups) {
      if (g.name != a.group) continue;
      interval = std::max(interval, g.interval_ms);
      for (const auto& r : g.rules)
        if (r.rule->is_alert() && r.rule->name.value == a.rule && r.expr->ok())
          s.generator_url =
              external_url + "/graph?g0.expr=" + query_escape(promql::print(*r.expr->expr())) + "&g0.tab=1";
    }
    s.ends_at_ms = t + 4 * interval;
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<std::string> check_alertmanager_test(const AlertmanagerTest& test, bool partial,
                                                 const AlertmanagerSetup& am, const AlertPathView& view) {
  std::vector<std::string> problems;
  if (test.notifications) {
    auto got = got_groups(view);
    std::vector<bool> used(got.size(), false);
    std::vector<const ExpNotification*> missing;
    for (const auto& e : *test.notifications) {
      std::size_t k = 0;
      while (k < got.size() && (used[k] || !same_group(e, got[k], partial))) ++k;
      if (k < got.size()) {
        used[k] = true;
        check_fields(e, got[k], problems);
      } else {
        missing.push_back(&e);
      }
    }
    for (const auto* m : missing) {
      const ExpNotification& e = *m;
      // The same receiver and group with other alerts: one difference, the alerts diffed.
      ExpNotification group_only = e;
      group_only.alerts.reset();
      std::size_t k = 0;
      while (k < got.size() && (used[k] || !e.group_labels || !same_group(group_only, got[k], partial))) ++k;
      if (k < got.size()) {
        used[k] = true;
        std::vector<Labels> exp;
        for (const auto& a : *e.alerts) exp.push_back(to_labels(a));
        std::string p = "receiver " + e.receiver.value + ", group " + show(got[k].group->group_labels) +
                        " carries other alerts (line " + std::to_string(e.span.line) + "): - expected, + got\n";
        std::vector<std::size_t> differing;
        for (const auto& a : exp)
          if (std::none_of(got[k].alerts.begin(), got[k].alerts.end(),
                           [&](const Labels& g) { return same(a, g, partial); }))
            p += "      - " + show(a) + "\n";
        for (std::size_t j = 0; j < got[k].alerts.size(); ++j)
          if (std::none_of(exp.begin(), exp.end(),
                           [&](const Labels& a) { return same(a, got[k].alerts[j], partial); })) {
            p += "      + " + show(got[k].alerts[j]) + "\n";
            differing.push_back(got[k].group->notifications.front().alerts[j]);
          }
        for (auto i : differing) p += alert_path(am, view, i);
        check_fields(e, got[k], problems);
        problems.push_back(p);
        continue;
      }
      std::string p = "expected a notification, none sent: " + describe(e) + "\n";
      for (auto i : concerned(e, view)) p += alert_path(am, view, i);
      if (view.alerts.empty()) p += "    no alert fires at " + text::format_duration(test.eval_time_ms) + "\n";
      problems.push_back(p);
    }
    for (std::size_t k = 0; k < got.size(); ++k) {
      if (used[k]) continue;
      std::string p = "a notification not expected: " + describe(got[k]) + "\n";
      for (auto i : got[k].group->alerts) p += alert_path(am, view, i);
      problems.push_back(p.substr(0, p.size() - 1));
    }
  }
  if (test.inhibited) {
    std::vector<std::size_t> inhibited;
    for (std::size_t i = 0; i < view.alerts.size(); ++i)
      if (!view.outcome.alerts[i].inhibited.empty()) inhibited.push_back(i);
    std::vector<bool> used(inhibited.size(), false);
    for (const auto& e : *test.inhibited) {
      const Labels want = to_labels(e.alert);
      auto by_ok = [&](std::size_t i) {
        if (!e.by) return true;
        const Labels src = to_labels(*e.by);
        for (const auto& inh : view.outcome.alerts[i].inhibited)
          for (auto s : inh.sources)
            if (same(src, view.alerts[s].labels, true)) return true;
        return false;
      };
      std::size_t k = 0;
      while (k < inhibited.size() &&
             (used[k] || !same(want, view.alerts[inhibited[k]].labels, partial) || !by_ok(inhibited[k])))
        ++k;
      if (k < inhibited.size()) {
        used[k] = true;
        continue;
      }
      std::string p = "expected inhibited (line " + std::to_string(e.span.line) + "): " + show(want) +
                      (e.by ? " by " + show(to_labels(*e.by)) : "") + "\n";
      bool any = false;
      for (std::size_t i = 0; i < view.alerts.size(); ++i)
        if (same(want, view.alerts[i].labels, true)) {
          any = true;
          p += alert_path(am, view, i);
          if (view.outcome.alerts[i].inhibited.empty()) p += "      not inhibited by any inhibit rule\n";
        }
      if (!any) p += "    no alert with those labels fires\n";
      problems.push_back(p.substr(0, p.size() - 1));
    }
    for (std::size_t k = 0; k < inhibited.size(); ++k)
      if (!used[k])
        problems.push_back("inhibited, not expected: " + show(view.alerts[inhibited[k]].labels) + "\n" +
                           alert_path(am, view, inhibited[k]));
  }
  for (auto& p : problems)
    while (!p.empty() && p.back() == '\n') p.pop_back();
  return problems;
}

std::string expectations_yaml(const AlertPathView& view, const std::string& in) {
  std::string out = in + "- eval_time: " + text::format_duration(view.eval_time_ms) + "\n";
  auto groups = got_groups(view);
  out += in + "  notifications:" + (groups.empty() ? " []\n" : "\n");
  for (const auto& g : groups) {
    out += in + "    - receiver: " + text::go::quote(g.group->route.receiver) + "\n";
    out += in + "      group_labels: " + yaml_labels(g.group->group_labels) + "\n";
    out += in + "      alerts:\n";
    for (const auto& a : g.alerts) out += in + "        - " + yaml_labels(a) + "\n";
    std::vector<std::string> seen;
    for (const auto& n : g.group->notifications) {
      // One expectation per integration (it applies to each config of the kind), its fields that
      // render to some text.
      if (std::find(seen.begin(), seen.end(), n.integration) != seen.end()) continue;
      seen.push_back(n.integration);
      std::string fields;
      for (const auto& f : n.fields)
        if (!f.error && !f.text.empty()) fields += in + "        " + f.name + ": " + text::go::quote(f.text) + "\n";
      if (!fields.empty()) out += in + "      " + n.integration + ":\n" + fields;
    }
  }
  std::string inhibited;
  for (std::size_t i = 0; i < view.alerts.size(); ++i) {
    const auto& inh = view.outcome.alerts[i].inhibited;
    if (inh.empty()) continue;
    inhibited += in + "    - alert: " + yaml_labels(view.alerts[i].labels) + "\n";
    if (!inh.front().sources.empty())
      inhibited += in + "      by: " + yaml_labels(view.alerts[inh.front().sources.front()].labels) + "\n";
  }
  out += in + "  inhibited:" + (inhibited.empty() ? " []\n" : "\n" + inhibited);
  return out;
}

} // namespace nsmon::ruletest
