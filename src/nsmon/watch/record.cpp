#include "nsmon/watch/record.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/watch/rule_watch.hpp"

namespace nsmon::watch {

namespace {

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The series that were scraped (not written by the rules), grouped by metric name.
std::map<std::string, std::vector<const engine::Series*>> scraped_series(const RuleWatch& rw) {
  std::map<std::string, std::vector<const engine::Series*>> out;
  for (const auto& [ls, s] : rw.storage().all()) {
    const std::string& name = engine::get(ls, "__name__");
    if (!rw.written_by_rules(name) && !s.points.empty()) out[name].push_back(&s);
  }
  return out;
}

std::string yaml_single(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string yaml_double(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += {'\\', static_cast<char>(c)};
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += static_cast<char>(c);
  }
  return out + "\"";
}

engine::Labels without(const engine::Labels& ls, std::string_view name) {
  engine::Labels out;
  for (const auto& l : ls)
    if (l.first != name) out.push_back(l);
  return out;
}

// `name{a="b"}` as the notation and OpenMetrics write it.
// The value at each step: each scrape on the first step at or after it, so that an evaluation
// on a step sees the scrapes the run's evaluation at that time saw; the last one when two land on
// the same step.
std::vector<std::optional<double>> resample(const engine::Series& s, std::int64_t t0, std::int64_t iv,
                                            std::size_t steps) {
  std::vector<std::optional<double>> out(steps);
  for (const auto& p : s.points) {
    if (p.t < t0) continue;
    auto k = static_cast<std::size_t>((p.t - t0 + iv - 1) / iv);
    if (k < steps) out[k] = p.v;
  }
  return out;
}

} // namespace

std::optional<RecordFormat> record_format(const std::string& path) {
  if (ends_with(path, ".yml") || ends_with(path, ".yaml")) return RecordFormat::test;
  if (ends_with(path, ".om") || ends_with(path, ".txt")) return RecordFormat::openmetrics;
  return std::nullopt;
}

// `file` as the recorded test names it: relative to the test's folder when below it, else absolute.
std::string relative_to(const std::string& file, const std::filesystem::path& dir) {
  std::error_code ec;
  auto rel = std::filesystem::relative(std::filesystem::absolute(file), dir, ec);
  bool up = !rel.empty() && *rel.begin() == "..";
  return ec || rel.empty() || up ? std::filesystem::absolute(file).string() : rel.string();
}

std::string record_test(const RuleWatch& rw, std::int64_t iv, const std::string& path, const RecordAlertmanager& am) {
  iv = std::max<std::int64_t>(1, iv);
  auto by_name = scraped_series(rw);
  // The samples' span, within what the run's evaluations could read: an exporter's own timestamp
  // far off (1970, seconds read as milliseconds) would otherwise make steps for every interval
  // in between.
  const auto [from, to] = rw.readable_span();
  std::int64_t t0 = INT64_MAX, t1 = INT64_MIN;
  for (const auto& [name, list] : by_name)
    for (const auto* s : list)
      for (const auto& p : s->points)
        if (p.t >= from && p.t <= to) {
          t0 = std::min(t0, p.t);
          t1 = std::max(t1, p.t);
        }
  // Time 0 of the test on an evaluation slot of the run (groups evaluate on multiples of their
  // interval), so that the test's evaluations fall where the run's did.
  const std::int64_t ei = std::max<std::int64_t>(1, rw.min_interval_ms());
  if (t0 != INT64_MAX) t0 = t0 / ei * ei;
  // promtool reads the test only without --alertmanager: its strict YAML refuses start_timestamp
  // and the nsmon block (promtool 2.42: "field start_timestamp not found in type main.testGroup").
  std::string out = "# Recorded by nsmon watch --rules: the samples it kept, every " + text::format_duration(iv) +
                    " from the first scrape.\n# Replay with `nsmon test-rules " + path + "`" +
                    (am.setup ? " (nsmon only: promtool test rules does not read start_timestamp or nsmon:)"
                              : " or `promtool test rules " + path + "`") +
                    ".\nrule_files:\n";
  const auto dir = std::filesystem::absolute(path).parent_path();
  for (const auto& f : rw.loaded().files) out += "  - " + yaml_single(relative_to(f.path, dir)) + "\n";
  out += "evaluation_interval: " + text::format_duration(ei) + "\ntests:\n  - name: recorded run\n";
  // With an alertmanager.yml the test runs at the run's own times, for its time intervals.
  const std::int64_t base = am.setup && t0 != INT64_MAX ? t0 : 0;
  if (base) out += "    start_timestamp: " + std::to_string(base / 1000) + "\n";
  out += "    interval: " + text::format_duration(iv) + "\n    input_series:\n";
  if (by_name.empty() || t0 > t1) {
    out += "      []\n";
    return out;
  }
  const auto steps = static_cast<std::size_t>((t1 - t0 + iv - 1) / iv + 1);
  engine::Storage replay; // the series as the test gives them, on times from 0
  for (const auto& [name, list] : by_name)
    for (const auto* s : list) {
      auto vs = resample(*s, t0, iv, steps);
      if (std::none_of(vs.begin(), vs.end(), [](const auto& v) { return v.has_value(); })) continue;
      out += "      - series: " + yaml_single(engine::format_series(s->labels)) +
             "\n        values: " + yaml_single(engine::format_values(vs)) + "\n";
      for (std::size_t k = 0; k < vs.size(); ++k)
        if (vs[k]) replay.add(s->labels, base + static_cast<std::int64_t>(k) * iv, *vs[k]);
    }

  // The expected alerts: where an alert fired in the run (rounded up to an evaluation), and the
  // end; the rules evaluated on the replayed series as promtool does.
  std::vector<std::int64_t> checks;
  std::int64_t end = (static_cast<std::int64_t>(steps - 1) * iv + ei - 1) / ei * ei;
  for (const auto& a : rw.status().history)
    if (a.fired_at >= t0) checks.push_back((a.fired_at - t0 + ei - 1) / ei * ei);
  for (auto c : checks) end = std::max(end, c);
  checks.push_back(end);
  std::sort(checks.begin(), checks.end());
  checks.erase(std::unique(checks.begin(), checks.end()), checks.end());
  ruletest::GroupEvaluator eval(rw.loaded().groups, replay, {});
  std::vector<std::string> names;
  for (const auto& g : rw.loaded().groups)
    for (const auto& r : g.rules)
      if (r.rule->is_alert() && std::find(names.begin(), names.end(), r.rule->name.value) == names.end())
        names.push_back(r.rule->name.value);
  std::string tests, paths;
  std::size_t next = 0;
  for (std::int64_t t = 0; t <= end && next < checks.size(); t += ei) {
    eval.eval_at(base + t);
    if (t != checks[next]) continue;
    ++next;
    if (am.setup) {
      ruletest::AlertPathView view;
      view.eval_time_ms = t;
      view.alerts = ruletest::sent_alerts(eval, rw.loaded().groups, {}, "", base + t);
      view.outcome = alertmanager::dispatch(am.setup->cfg, am.setup->templates, view.alerts, base + t);
      paths += ruletest::expectations_yaml(view, "        ");
    }
    for (const auto& name : names) {
      tests += "      - eval_time: " + text::format_duration(t) + "\n        alertname: " + yaml_single(name) +
               "\n        exp_alerts:";
      std::string items;
      for (const auto& a : eval.alerts(name)) {
        if (a.state != ruletest::AlertState::firing) continue;
        items += "\n          - exp_labels:";
        engine::Labels ls = without(a.labels, "alertname");
        if (ls.empty()) items += " {}";
        for (const auto& [k, v] : ls) items += "\n              " + k + ": " + yaml_double(v);
        items += "\n            exp_annotations:";
        if (a.annotations.empty()) items += " {}";
        for (const auto& [k, v] : a.annotations) items += "\n              " + k + ": " + yaml_double(v);
      }
      tests += (items.empty() ? " []" : items) + "\n";
    }
  }
  if (!tests.empty()) out += "    alert_rule_test:\n" + tests;
  if (am.setup)
    out += "    nsmon:\n      alertmanager: " + yaml_single(relative_to(am.path, dir)) +
           "\n      alertmanager_tests:\n" + (paths.empty() ? "        []\n" : paths);
  return out;
}

std::string record_openmetrics(const RuleWatch& rw) {
  std::string out;
  for (const auto& [name, list] : scraped_series(rw))
    for (const auto* s : list) {
      const std::string head = engine::format_series(s->labels) + " ";
      for (const auto& p : s->points) {
        if (engine::is_stale_nan(p.v)) continue;
        char ts[32];
        std::snprintf(ts, sizeof ts, "%lld.%03lld", static_cast<long long>(p.t / 1000),
                      static_cast<long long>(p.t % 1000));
        out += head + engine::format_value(p.v) + " " + ts + "\n";
      }
    }
  return out + "# EOF\n";
}

void write_record(const RuleWatch& rw, std::int64_t interval_ms, const std::string& path,
                  const RecordAlertmanager& am) {
  auto f = record_format(path);
  if (!f) throw Error("--record " + path + ": unknown format");
  util::write_file_atomic(path,
                          *f == RecordFormat::test ? record_test(rw, interval_ms, path, am) : record_openmetrics(rw));
}

} // namespace nsmon::watch
