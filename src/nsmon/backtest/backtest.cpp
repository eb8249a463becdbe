#include "nsmon/backtest/backtest.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <re2/re2.h>
#include <set>
#include <unordered_map>

#include "nsmon/core/error.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::backtest {

namespace {

// Prometheus refuses a range query of more than 11,000 steps: longer ranges go in parts.
constexpr std::int64_t kMaxSteps = 10'000;

std::int64_t ceil_to(std::int64_t t, std::int64_t step) {
  std::int64_t q = t / step * step;
  return q < t ? q + step : q;
}

double seconds(std::int64_t ms) { return static_cast<double>(ms) / 1000.0; }

// How far back of its evaluation time an expression reads, beyond the lookback: its ranges and
// offsets added up (an upper bound when they nest).
std::int64_t reach_ms(const promql::Expr& e) {
  std::int64_t ns = 0;
  promql::walk(e, [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind == promql::NodeKind::matrix_selector) ns += n.as<promql::MatrixSelector>().range_ns;
    if (n.kind == promql::NodeKind::subquery) ns += n.as<promql::SubqueryExpr>().range_ns;
    if (n.kind == promql::NodeKind::vector_selector) ns += std::abs(n.as<promql::VectorSelector>().modifiers.offset_ns);
    return true;
  });
  return ns / 1'000'000;
}

labels::Labels to_labels(const promapi::Series& s) {
  labels::Labels ls;
  for (const auto& [k, v] : s.labels)
    if (!v.empty()) ls.emplace_back(k, v);
  std::sort(ls.begin(), ls.end());
  return ls;
}

std::optional<double> to_value(const std::string& text) {
  std::string error;
  return text::go::parse_number(text, error);
}

std::int64_t to_ms(double t) { return std::llround(t * 1000.0); }

std::string error_text(const promapi::Reply& r) {
  return (r.error_type.empty() ? "" : r.error_type + ": ") + (r.error.empty() ? "(no message)" : r.error);
}

// An alert rule's episodes, from the alerts firing after each of its evaluations.
class EpisodeLog {
public:
  void observe(std::int64_t t, const std::vector<ruletest::Alert>& alerts) {
    std::set<labels::Labels> firing;
    for (const auto& a : alerts) {
      if (a.state != ruletest::AlertState::firing) continue;
      firing.insert(a.labels);
      if (!open_.count(a.labels)) open_[a.labels] = Episode{a.labels, a.active_at, a.fired_at, -1};
    }
    for (auto it = open_.begin(); it != open_.end();) {
      if (firing.count(it->first)) {
        ++it;
        continue;
      }
      it->second.end = t; // alerting.go's ResolvedAt: the first evaluation without it
      done_.push_back(std::move(it->second));
      it = open_.erase(it);
    }
  }
  std::vector<Episode> finish() {
    for (auto& [ls, e] : open_) done_.push_back(std::move(e));
    open_.clear();
    std::sort(done_.begin(), done_.end(), [](const Episode& a, const Episode& b) {
      return a.start != b.start ? a.start < b.start : a.labels < b.labels;
    });
    return std::move(done_);
  }

private:
  std::map<labels::Labels, Episode> open_;
  std::vector<Episode> done_;
};

enum class Role { skip, server, engine };

// How far back of its evaluation time a rule reads, beyond the lookback: its expression's reach,
// shifted by its group's query offset.
std::int64_t reach_ms(const ruletest::EvalGroup& g, const ruletest::EvalRule& r) {
  return reach_ms(*r.expr->expr()) + g.query_offset_ms;
}

// The metric names the server holds over the range the rules read.
struct ServerNames {
  std::set<std::string> names;
  bool known = true; ///< false: the server could not list them, and no name is judged missing
  bool lacks(const std::string& n) const { return known && !names.count(n); }
};

// Which of the recorded and scraped names the alerts read the server holds, from as far back as
// any rule reads to the range's end: one label-values call. Without the list, the path of a rule
// that reads a recording rule is unknown (an error); the data of scraped metrics only goes
// unjudged (each rule's query says what it says).
ServerNames names_on_server(const std::set<std::string>& recorded, const std::set<std::string>& scraped,
                            std::int64_t from_ms, const Options& o, const Ask& ask, Result& out) {
  ServerNames server;
  if (recorded.empty() && scraped.empty()) return server;
  std::vector<std::string> quoted;
  for (const auto* names : {&recorded, &scraped})
    for (const auto& n : *names) quoted.push_back(RE2::QuoteMeta(n));
  std::string data;
  promapi::ReaderOptions ro;
  ro.data_sink = [&](std::string_view b) { data.append(b); };
  ++out.other_queries;
  promapi::Reply reply =
      ask(promapi::label_values("__name__", {"{__name__=~" + text::go::quote(util::join(quoted, "|")) + "}"},
                                seconds(from_ms), seconds(o.end_ms)),
          ro);
  if (reply.status != "success") {
    if (!recorded.empty()) throw ServerError(o.server + " cannot list metric names: " + error_text(reply));
    server.known = false;
    return server;
  }
  auto names = nlohmann::json::parse(data, nullptr, false);
  if (names.is_array())
    for (const auto& n : names)
      if (n.is_string()) server.names.insert(n.get<std::string>());
  return server;
}

struct RuleRef {
  std::size_t group, rule;
};

} // namespace

const char* to_string(Path p) { return p == Path::server ? "server" : "nsmon"; }

Result run(const std::vector<ruletest::EvalGroup>& groups, const Options& o, const Ask& ask) {
  Result out;
  out.start_ms = o.start_ms;
  out.end_ms = o.end_ms;

  // The recording rules by the name they write, and the alerting rules.
  std::map<std::string, std::vector<const ruletest::EvalRule*>> recorders;
  std::vector<RuleRef> alerts;
  for (std::size_t g = 0; g < groups.size(); ++g)
    for (std::size_t r = 0; r < groups[g].rules.size(); ++r) {
      const ruletest::EvalRule& er = groups[g].rules[r];
      if (er.rule->is_alert()) alerts.push_back({g, r});
      else recorders[er.rule->name.value].push_back(&er);
    }

  // The metric names the alerts read, directly or through recording rules: a recorded one the
  // server lacks is evaluated by nsmon; a scraped one it lacks means the rule had nothing to read.
  std::set<std::string> reached, scraped;
  std::function<void(const std::string&)> reach = [&](const std::string& name) {
    auto it = recorders.find(name);
    if (it == recorders.end()) scraped.insert(name);
    if (it == recorders.end() || !reached.insert(name).second) return;
    for (const auto* r : it->second)
      for (const auto& n : promql::metric_names(*r->expr->expr())) reach(n);
  };
  std::int64_t reads_back_ms = 0;
  for (const auto& g : groups)
    for (const auto& r : g.rules) reads_back_ms = std::max(reads_back_ms, reach_ms(g, r));
  for (const auto& a : alerts)
    for (const auto& n : promql::metric_names(*groups[a.group].rules[a.rule].expr->expr())) reach(n);
  const ServerNames server = names_on_server(reached, scraped, o.start_ms - reads_back_ms - o.lookback_ms, o, ask, out);

  // Each alerting rule's path; the recording rules nsmon evaluates for those on the engine path.
  std::map<const ruletest::EvalRule*, Role> roles;
  std::set<std::string> evaluated_names;
  for (const auto& a : alerts) {
    const ruletest::EvalRule& er = groups[a.group].rules[a.rule];
    AlertResult res;
    res.alertname = er.rule->name.value;
    res.group = groups[a.group].name;
    res.file = groups[a.group].file;
    res.line = er.rule->span.line;
    res.interval_ms = groups[a.group].interval_ms;
    res.for_ms = er.rule->for_ ? er.rule->for_->ms : 0;
    res.keep_firing_for_ms = er.rule->keep_firing_for ? er.rule->keep_firing_for->ms : 0;
    std::set<std::string> missing;
    std::function<void(const std::string&)> need = [&](const std::string& name) {
      auto it = recorders.find(name);
      if (it == recorders.end() || server.names.count(name) || !missing.insert(name).second) return;
      for (const auto* r : it->second)
        for (const auto& n : promql::metric_names(*r->expr->expr())) need(n);
    };
    for (const auto& n : promql::metric_names(*er.expr->expr())) need(n);
    res.evaluated.assign(missing.begin(), missing.end());
    // The data it reads: the recorded series the server has, and the scraped ones behind those
    // nsmon evaluates.
    std::set<std::string> data;
    auto read = [&](const std::string& n) {
      if (!recorders.count(n) || server.names.count(n)) data.insert(n);
    };
    for (const auto& n : promql::metric_names(*er.expr->expr())) read(n);
    for (const auto& m : missing)
      for (const auto* r : recorders[m])
        for (const auto& n : promql::metric_names(*r->expr->expr())) read(n);
    res.data_names = data.size();
    for (const auto& n : data)
      if (server.lacks(n)) res.missing.push_back(n);
    res.path = o.engine_only || !missing.empty() ? Path::engine : Path::server;
    roles[&er] = res.path == Path::engine ? Role::engine : Role::server;
    evaluated_names.insert(missing.begin(), missing.end());
    out.alerts.push_back(std::move(res));
  }
  for (const auto& name : evaluated_names)
    for (const auto* r : recorders[name]) roles[r] = Role::engine;

  // The server path: each rule's expression as one range query at its group's step (in parts of
  // at most kMaxSteps), shifted by the group's query offset as the rule manager shifts it.
  std::map<const ruletest::EvalRule*, std::unordered_map<std::int64_t, std::vector<engine::Sample>>> answers;
  std::map<const ruletest::EvalRule*, std::string> failed;
  for (const auto& a : alerts) {
    const ruletest::EvalGroup& g = groups[a.group];
    const ruletest::EvalRule& er = g.rules[a.rule];
    if (roles[&er] != Role::server) continue;
    auto& by_time = answers[&er];
    const std::int64_t first = ceil_to(o.start_ms, g.interval_ms);
    for (std::int64_t from = first; from <= o.end_ms && !failed.count(&er); from += kMaxSteps * g.interval_ms) {
      const std::int64_t to =
          std::min(o.end_ms / g.interval_ms * g.interval_ms, from + (kMaxSteps - 1) * g.interval_ms);
      promapi::ReaderOptions ro;
      ro.on_series = [&](const promapi::Series& s) {
        labels::Labels ls = to_labels(s);
        for (const auto& p : s.samples) {
          if (p.histogram) continue;
          const std::int64_t t = to_ms(p.t);
          if (auto v = to_value(p.value)) by_time[t].push_back({ls, *v, t});
        }
      };
      ++out.range_queries;
      promapi::Reply reply = ask(promapi::range_query(er.rule->expr.value, seconds(from - g.query_offset_ms),
                                                      seconds(to - g.query_offset_ms), seconds(g.interval_ms)),
                                 ro);
      if (reply.status != "success") failed[&er] = o.server + " answered: " + error_text(reply);
    }
  }

  // The engine path: the raw samples of every selector the engine evaluates and does not compute
  // itself, over the range and as far back as the expressions read.
  engine::Storage storage;
  std::set<std::string> selectors;
  std::int64_t back_ms = 0;
  for (const auto& g : groups)
    for (const auto& r : g.rules) {
      if (roles[&r] != Role::engine) continue;
      back_ms = std::max(back_ms, reach_ms(g, r) + g.interval_ms);
      promql::walk(*r.expr->expr(), [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
        if (n.kind != promql::NodeKind::vector_selector) return true;
        const auto& vs = n.as<promql::VectorSelector>();
        if (!evaluated_names.count(promql::metric_name(vs)))
          selectors.insert(promql::print_selector(vs)); // fetched raw
        return true;
      });
    }
  const std::int64_t window_ms = o.end_ms - o.start_ms + o.lookback_ms + back_ms;
  for (const auto& sel : selectors) {
    promapi::ReaderOptions ro;
    ro.on_series = [&](const promapi::Series& s) {
      labels::Labels ls = to_labels(s);
      engine::Series& series = storage.series_for(ls);
      for (const auto& p : s.samples)
        if (auto v = to_value(p.value); v && !p.histogram) storage.append(series, to_ms(p.t), *v);
    };
    ++out.raw_queries;
    promapi::Reply reply =
        ask(promapi::instant_query(sel + "[" + std::to_string(window_ms / 1000 + 1) + "s]", seconds(o.end_ms)), ro);
    if (reply.status != "success") throw ServerError(o.server + " cannot return " + sel + ": " + error_text(reply));
  }

  // Every group at its own steps, in file order at a common time, as the rule manager runs them.
  ruletest::EvalSettings settings;
  settings.query.lookback_ms = o.lookback_ms;
  settings.query.closed_windows = o.closed_windows;
  settings.source = [&](const ruletest::EvalRule& r, std::int64_t ts) -> std::optional<engine::Result> {
    const Role role = roles.count(&r) ? roles[&r] : Role::skip;
    if (role == Role::engine) return std::nullopt;
    engine::Result res;
    res.value.type = promql::ValueType::vector;
    if (auto f = failed.find(&r); f != failed.end()) res.error = f->second;
    else if (role == Role::server)
      if (auto it = answers[&r].find(ts); it != answers[&r].end()) res.value.vector = it->second;
    return res;
  };
  ruletest::GroupEvaluator evaluator(groups, storage, std::move(settings));
  std::vector<EpisodeLog> logs(alerts.size());
  std::map<std::pair<std::size_t, std::string>, std::size_t> alert_index;
  for (std::size_t i = 0; i < alerts.size(); ++i) alert_index[{alerts[i].group, out.alerts[i].alertname}] = i;
  std::vector<std::int64_t> next(groups.size());
  for (std::size_t g = 0; g < groups.size(); ++g) next[g] = ceil_to(o.start_ms, groups[g].interval_ms);
  for (;;) {
    std::int64_t t = o.end_ms + 1;
    for (auto n : next) t = std::min(t, n);
    if (t > o.end_ms) break;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      if (next[g] != t) continue;
      next[g] += groups[g].interval_ms;
      for (const auto& e : evaluator.eval_group(g, t)) {
        auto it = alert_index.find({g, e.rule});
        if (it == alert_index.end()) continue;
        AlertResult& res = out.alerts[it->second];
        if (res.failed_steps++ == 0) res.first_error = e.message;
      }
    }
    for (std::size_t i = 0; i < alerts.size(); ++i)
      if (next[alerts[i].group] == t + groups[alerts[i].group].interval_ms)
        logs[i].observe(t, evaluator.alerts(alerts[i].group, alerts[i].rule));
  }
  for (std::size_t i = 0; i < alerts.size(); ++i) out.alerts[i].episodes = logs[i].finish();
  return out;
}

Summary summarize(const AlertResult& a, std::int64_t end_ms, std::int64_t repeat_ms, std::int64_t flap_ms) {
  Summary s;
  std::map<labels::Labels, std::int64_t> last_end;
  for (const auto& e : a.episodes) {
    const std::int64_t d = (e.end < 0 ? end_ms : e.end) - e.start;
    s.firing_ms += d;
    s.notifications += 1 + (repeat_ms > 0 && d > 0 ? static_cast<std::size_t>((d - 1) / repeat_ms) : 0);
    auto it = last_end.find(e.labels);
    if (it != last_end.end() && it->second >= 0 && e.start - it->second < flap_ms) ++s.flaps;
    last_end[e.labels] = e.end;
  }
  return s;
}

} // namespace nsmon::backtest
