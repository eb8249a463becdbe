#include "nsmon/backtest/render.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "nsmon/engine/engine.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::backtest {

namespace {

// Times in backtest's tables and JSON: RFC 3339 in UTC, milliseconds when there are some, always
// three digits so that a column of times lines up.
std::string stamp(std::int64_t ms) { return text::format_rfc3339_ms(ms, text::Fraction::millis); }

using json = nlohmann::ordered_json;

std::string alert_labels(const labels::Labels& ls) {
  labels::Labels rest;
  for (const auto& l : ls)
    if (l.first != "alertname") rest.push_back(l);
  return labels::get(ls, "alertname") + (rest.empty() ? "" : engine::to_string(rest));
}

std::string firing_text(std::int64_t ms) { return ms == 0 ? "-" : text::format_duration(ms / 1000 * 1000); }

json alerts_json(const Result& r, const RenderOptions& o) {
  json alerts = json::array();
  for (const auto& a : r.alerts) {
    const Summary s = summarize(a, r.end_ms, o.repeat_ms, o.flap_ms);
    json episodes = json::array();
    for (const auto& e : a.episodes) {
      json ls = json::object();
      for (const auto& [k, v] : e.labels) ls[k] = v;
      episodes.push_back({{"labels", ls},
                          {"active_at", stamp(e.active_at)},
                          {"start", stamp(e.start)},
                          {"end", e.end < 0 ? json(nullptr) : json(stamp(e.end))},
                          {"duration_seconds", ((e.end < 0 ? r.end_ms : e.end) - e.start) / 1000}});
    }
    alerts.push_back({{"alertname", a.alertname},
                      {"group", a.group},
                      {"file", a.file},
                      {"line", a.line},
                      {"interval_seconds", a.interval_ms / 1000},
                      {"for_seconds", a.for_ms / 1000},
                      {"keep_firing_for_seconds", a.keep_firing_for_ms / 1000},
                      {"evaluated_by", to_string(a.path)},
                      {"recording_rules_evaluated", a.evaluated},
                      {"episodes", episodes},
                      {"firing_seconds", s.firing_ms / 1000},
                      {"notifications", s.notifications},
                      {"flaps", s.flaps},
                      {"failed_evaluations", a.failed_steps},
                      {"metrics_without_data", a.missing},
                      {"no_data", a.no_data()},
                      {"error", a.first_error.empty() ? json(nullptr) : json(a.first_error)}});
  }
  return alerts;
}

std::vector<std::vector<std::string>> summary_rows(const Result& r, const RenderOptions& o) {
  std::vector<std::vector<std::string>> rows{
      {"ALERT", "GROUP", "EVALUATED BY", "EVERY", "FOR", "EPISODES", "FIRING", "NOTIFICATIONS", "FLAPS"}};
  for (const auto& a : r.alerts) {
    const Summary s = summarize(a, r.end_ms, o.repeat_ms, o.flap_ms);
    std::string by = to_string(a.path);
    if (!a.evaluated.empty()) by += " (+" + std::to_string(a.evaluated.size()) + " recording)";
    rows.push_back({a.alertname, a.group, by, text::format_duration(a.interval_ms),
                    a.for_ms ? text::format_duration(a.for_ms) : "-",
                    a.no_data() && a.episodes.empty() ? "no data" : std::to_string(a.episodes.size()),
                    firing_text(s.firing_ms), std::to_string(s.notifications), std::to_string(s.flaps)});
  }
  return rows;
}

} // namespace

std::string render_timeline(const Result& r, const RenderOptions& o) {
  if (r.alerts.empty() || r.end_ms <= r.start_ms) return "";
  std::size_t name_w = 0;
  for (const auto& a : r.alerts) name_w = std::max(name_w, util::fmt::width(a.alertname));
  name_w = std::min<std::size_t>(name_w, 30);
  const int cells = std::max(10, o.width - static_cast<int>(name_w) - 3);
  const double span = static_cast<double>(r.end_ms - r.start_ms);
  std::string out;
  for (const auto& a : r.alerts) {
    std::vector<bool> on(cells, false);
    for (const auto& e : a.episodes) {
      const std::int64_t end = e.end < 0 ? r.end_ms : e.end;
      // Every cell the episode touches, at least one.
      const int from = static_cast<int>(std::floor((e.start - r.start_ms) / span * cells));
      const int to = std::max(from, static_cast<int>(std::ceil((end - r.start_ms) / span * cells)) - 1);
      for (int c = std::max(0, from); c <= std::min(cells - 1, to); ++c) on[c] = true;
    }
    std::string line = util::fmt::fit(a.alertname, name_w);
    line += std::string(name_w - util::fmt::width(line) + 1, ' ') + "|";
    for (bool b : on) line += b ? "\u2588" : "\u00b7";
    out += line + "|\n";
  }
  const std::string from = stamp(r.start_ms), to = stamp(r.end_ms);
  std::string axis(name_w + 1, ' ');
  axis += from;
  const std::size_t used = axis.size() + to.size();
  const std::size_t total = name_w + 2 + static_cast<std::size_t>(cells) + 1;
  axis += std::string(total > used ? total - used : 1, ' ') + to;
  return out + axis + "\n";
}

std::string render_text(const Result& r, const RenderOptions& o) {
  std::string out = "Backtest of " + std::to_string(r.alerts.size()) + " alerting rule" +
                    (r.alerts.size() == 1 ? "" : "s") + ", " + stamp(r.start_ms) + " to " + stamp(r.end_ms) + "\n\n";
  out += util::render_table(summary_rows(r, o));
  std::vector<std::vector<std::string>> rows{{"EPISODE", "FIRING FROM", "TO", "LASTED"}};
  for (const auto& a : r.alerts)
    for (const auto& e : a.episodes) {
      const std::int64_t end = e.end < 0 ? r.end_ms : e.end;
      rows.push_back({alert_labels(e.labels), stamp(e.start), e.end < 0 ? "(still firing)" : stamp(e.end),
                      text::format_duration((end - e.start) / 1000 * 1000)});
    }
  if (rows.size() > 1) out += "\n" + util::render_table(rows);
  for (const auto& a : r.alerts)
    if (a.failed_steps)
      out +=
          "\n" + a.alertname + ": " + std::to_string(a.failed_steps) + " evaluations failed: " + a.first_error + "\n";
  // A rule whose metrics the server lacks fired 0 times for want of data, not because all was well.
  std::string no_data;
  for (const auto& a : r.alerts)
    if (!a.missing.empty())
      no_data += a.alertname + ": the server has no series of " + util::join(a.missing, ", ") + " in the range" +
                 (!a.no_data() ? " (" + std::to_string(a.data_names - a.missing.size()) + " of the " +
                                     std::to_string(a.data_names) + " metrics it reads have data)"
                  : a.episodes.empty() ? ", nor of anything else it reads: its 0 episodes say nothing about it"
                                       : ", nor of anything else it reads") +
                 "\n";
  if (!no_data.empty()) out += "\n" + no_data;
  out += "\n" + render_timeline(r, o);
  return out;
}

std::string render_json(const Result& r, const Result* old, const RenderOptions& o) {
  json doc;
  doc["range"] = {{"start", stamp(r.start_ms)}, {"end", stamp(r.end_ms)}};
  doc["notifications"] = {{"counted", "per alert instance, before Alertmanager grouping: one when an episode starts, "
                                      "one more per repeat_interval while it fires; resolved notices not counted"},
                          {"repeat_interval_seconds", o.repeat_ms / 1000},
                          {"flap_window_seconds", o.flap_ms / 1000}};
  doc["alerts"] = alerts_json(r, o);
  if (old) doc["old"] = {{"alerts", alerts_json(*old, o)}};
  doc["queries"] = {{"range", r.range_queries + (old ? old->range_queries : 0)},
                    {"raw", r.raw_queries + (old ? old->raw_queries : 0)},
                    {"other", r.other_queries + (old ? old->other_queries : 0)}};
  return doc.dump(2) + "\n";
}

std::string render_compare(const Result& old, const Result& now, const RenderOptions& o) {
  std::map<std::string, std::pair<const AlertResult*, const AlertResult*>> by_name;
  for (const auto& a : old.alerts) by_name[a.alertname].first = &a;
  for (const auto& a : now.alerts) by_name[a.alertname].second = &a;
  std::vector<std::vector<std::string>> rows{{"ALERT", "EPISODES", "FIRING", "NOTIFICATIONS", "FLAPS"}};
  auto side = [&](const AlertResult* a, const Result& r) -> std::optional<Summary> {
    if (!a) return std::nullopt;
    return summarize(*a, r.end_ms, o.repeat_ms, o.flap_ms);
  };
  for (const auto& [name, pair] : by_name) {
    auto so = side(pair.first, old), sn = side(pair.second, now);
    auto cell = [](const std::optional<std::string>& a, const std::optional<std::string>& b) {
      return (a ? *a : "(none)") + " -> " + (b ? *b : "(none)");
    };
    auto n = [](const AlertResult* a, std::size_t v) { return a ? std::optional(std::to_string(v)) : std::nullopt; };
    rows.push_back({name,
                    cell(n(pair.first, pair.first ? pair.first->episodes.size() : 0),
                         n(pair.second, pair.second ? pair.second->episodes.size() : 0)),
                    cell(so ? std::optional(firing_text(so->firing_ms)) : std::nullopt,
                         sn ? std::optional(firing_text(sn->firing_ms)) : std::nullopt),
                    cell(n(pair.first, so ? so->notifications : 0), n(pair.second, sn ? sn->notifications : 0)),
                    cell(n(pair.first, so ? so->flaps : 0), n(pair.second, sn ? sn->flaps : 0))});
  }
  std::string out = "Old rules against new, " + stamp(now.start_ms) + " to " + stamp(now.end_ms) + " (old -> new)\n\n";
  out += util::render_table(rows);
  out += "\nOld:\n" + render_timeline(old, o) + "New:\n" + render_timeline(now, o);
  return out;
}

} // namespace nsmon::backtest
