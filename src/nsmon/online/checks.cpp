#include "nsmon/online/checks.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/text/time.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::online {

using nlohmann::json;
using promapi::Fetched;
using promql::Expr;
using promql::NodeKind;
using promql::VectorSelector;

namespace {

/// The functions whose range must hold two samples at least, and which want a counter.
const std::set<std::string, std::less<>> kTwoSamples = {"rate", "irate", "increase", "delta", "idelta", "deriv"};
const std::set<std::string, std::less<>> kCounterFunctions = {"rate", "irate", "increase"};

/// One selector in one rule.
struct Use {
  const rules::RuleFile* file;
  const rules::Group* group;
  const rules::Rule* rule;
  const VectorSelector* vs;
  promql::PosRange at;
  std::string name;          ///< the metric name it pins, or ""
  std::size_t id = 0;        ///< its distinct selector (Plan::queries)
  std::int64_t range_ms = 0; ///< the range of the matrix selector it is in
  std::string func;          ///< the function that range is given to
};

struct Rule {
  const rules::RuleFile* file;
  const rules::Group* group;
  const rules::Rule* rule;
};

std::string list(const std::vector<std::string>& items, std::size_t most = 8) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < most; ++i) out += (i ? ", " : "") + items[i];
  if (items.size() > most) out += ", … (" + std::to_string(items.size()) + " in all)";
  return out;
}

std::string ago(double seconds) {
  // To the second within the hour, to the minute beyond ("2h22m ago").
  auto s = static_cast<std::int64_t>(std::max(0.0, seconds));
  return text::format_duration(s < 3600 ? s * 1000 : s / 60 * 60000) + " ago";
}

json data_of(const Fetched& f) {
  if (!f.ok() || f.data.empty()) return json();
  return json::parse(f.data, nullptr, false);
}

std::vector<std::string> strings_of(const Fetched& f) {
  std::vector<std::string> out;
  json d = data_of(f);
  if (!d.is_array()) return out;
  for (const auto& v : d)
    if (v.is_string()) out.push_back(v.get<std::string>());
  std::sort(out.begin(), out.end());
  return out;
}

/// An answer the run cannot go on without: an error answer ends it (a server that refuses).
void require(const Fetched& f, const std::string& what, const std::string& server) {
  if (f.ok()) return;
  throw promapi::BadAnswer("the server " + server + " refused " + what + ": HTTP " + std::to_string(f.http_status) +
                           (f.reply.error.empty() ? "" : ": " + f.reply.error));
}

/// An answer the run can do without (targets, metadata and rules are not served by every backend).
std::shared_ptr<const Fetched> optional_call(promapi::Batch& batch, const promapi::Call& call) {
  try {
    auto f = batch.fetch(call);
    return f->ok() ? f : nullptr;
  } catch (const promapi::BadAnswer&) {
    return nullptr;
  }
}

class Checker {
public:
  Checker(promapi::Batch& batch, const Options& o, Summary& summary)
      : batch_(batch), o_(o), summary_(summary), start_(o.now - static_cast<double>(o.lookback_s)) {}

  std::vector<core::Diagnostic> run(const std::vector<rules::RuleFile>& files) {
    collect(files);
    summary_.selectors = queries_.size();
    // The names the server has had over the window: the first request, and the one that finds a
    // server that is down or refuses before anything else is asked.
    auto names = batch_.fetch(promapi::label_values("__name__", {}, start_, o_.now));
    require(*names, "the list of metric names", o_.server);
    for (auto& n : strings_of(*names)) known_.insert(std::move(n));
    server_facts();
    matching_now();
    explain_empty();
    ranges();
    if (o_.cost) cost();
    summary_.requests = batch_.requests();
    return std::move(out_);
  }

private:
  void collect(const std::vector<rules::RuleFile>& files) {
    std::map<std::string, std::size_t> ids;
    for (const auto& f : files)
      for (const auto& g : f.groups)
        for (const auto& r : g.rules) {
          if (r.kind == rules::Rule::Kind::record) recorded_.insert(r.name.value);
          auto parsed = std::make_unique<promql::ParseResult>(promql::parse(r.expr.value, o_.parse));
          if (!parsed->ok()) continue;
          rules_.push_back({&f, &g, &r});
          promql::walk(*parsed->expr(), [&](const Expr& n, std::span<const Expr* const> path) {
            if (n.kind != NodeKind::vector_selector) return true;
            const auto& vs = n.as<VectorSelector>();
            Use u{&f, &g, &r, &vs, vs.range, promql::metric_name(vs)};
            // Meant to be empty most of the time: what absent() watches, and the alerts' own series.
            if (u.name == "ALERTS" || u.name == "ALERTS_FOR_STATE") return true;
            for (const Expr* p : path)
              if (p->kind == NodeKind::call && util::starts_with(p->as<promql::Call>().name, "absent")) return true;
            // The matrix selector it is in and the function that reads it.
            if (!path.empty() && path.back()->kind == NodeKind::matrix_selector) {
              u.range_ms = path.back()->as<promql::MatrixSelector>().range_ns / 1000000;
              u.at = path.back()->range;
              if (path.size() >= 2 && path[path.size() - 2]->kind == NodeKind::call)
                u.func = path[path.size() - 2]->as<promql::Call>().name;
            }
            auto [it, added] = ids.emplace(promql::print_selector(vs), queries_.size());
            if (added) {
              queries_.push_back(it->first);
              first_use_.push_back(uses_.size());
            }
            u.id = it->second;
            uses_.push_back(std::move(u));
            return true;
          });
          parsed_.push_back(std::move(parsed));
        }
  }

  void server_facts() {
    // Each job's scrape interval (the longest of its targets).
    if (auto t = optional_call(batch_, promapi::targets("active"))) {
      json d = data_of(*t);
      if (d.contains("activeTargets") && d["activeTargets"].is_array()) {
        summary_.targets = true;
        for (const auto& target : d["activeTargets"]) {
          std::string job = target.value("labels", json::object()).value("job", "");
          if (job.empty()) job = target.value("scrapePool", "");
          // Prometheus names it scrapeInterval; VictoriaMetrics only in the discovered labels.
          std::string every = target.value("scrapeInterval", "");
          if (every.empty()) every = target.value("discoveredLabels", json::object()).value("__scrape_interval__", "");
          auto ms = text::parse_duration(every);
          jobs_.insert(job);
          if (ms) interval_ms_[job] = std::max(interval_ms_[job], *ms);
        }
      }
    }
    if (auto m = optional_call(batch_, promapi::metadata(""))) {
      json d = data_of(*m);
      if (d.is_object() && !d.empty()) {
        summary_.metadata = true;
        for (const auto& [name, entries] : d.items())
          if (entries.is_array() && !entries.empty()) types_[name] = entries[0].value("type", "");
      }
    }
    if (auto r = optional_call(batch_, promapi::rules("record"))) {
      json d = data_of(*r);
      if (d.contains("groups") && d["groups"].is_array()) {
        summary_.rules = true;
        for (const auto& g : d["groups"])
          for (const auto& rule : g.value("rules", json::array())) server_rules_.insert(rule.value("name", ""));
      }
    }
  }

  // Which selectors match series now: many selectors to a query, each tagged with its index.
  void matching_now() {
    constexpr std::size_t kPerQuery = 40;
    std::vector<std::size_t> asked;
    for (std::size_t i = 0; i < queries_.size(); ++i)
      if (name_known(i)) asked.push_back(i);
    std::vector<promapi::Call> calls;
    for (std::size_t b = 0; b < asked.size(); b += kPerQuery) {
      std::string q;
      for (std::size_t k = b; k < std::min(asked.size(), b + kPerQuery); ++k)
        q += (q.empty() ? "" : " or ") + std::string("label_replace(group(") + queries_[asked[k]] +
             "), \"nsmon_selector\", \"" + std::to_string(asked[k]) + "\", \"\", \"\")";
      calls.push_back(promapi::instant_query(q, o_.now));
    }
    for (const auto& f : batch_.fetch(calls)) {
      require(*f, "a query of the rules' selectors", o_.server);
      for (const auto& s : f->result)
        for (const auto& [k, v] : s.labels)
          if (std::size_t i = 0;
              k == "nsmon_selector" && std::from_chars(v.data(), v.data() + v.size(), i).ec == std::errc())
            matching_.insert(i);
    }
  }

  bool name_known(std::size_t id) const {
    const Use* u = first_use(id);
    return u->name.empty() || known_.count(u->name);
  }
  const Use* first_use(std::size_t id) const { return &uses_[first_use_[id]]; }

  // Why each selector that matches nothing now matches nothing, from the fewest questions: the
  // name first, then the selector over the window, then each matcher alone.
  void explain_empty() {
    std::vector<std::size_t> empty;
    for (std::size_t i = 0; i < queries_.size(); ++i)
      if (!matching_.count(i)) empty.push_back(i);
    std::vector<promapi::Call> calls;
    for (auto i : empty)
      if (name_known(i)) calls.push_back(promapi::series({queries_[i]}, start_, o_.now));
    batch_.fetch(calls);
    // Stopped selectors: when and where they were last seen. The others: their labels and values.
    // At a step under the 5m lookback, timestamp() finds the last sample itself, to the millisecond.
    const double step = 240;
    const std::string window = "[" + text::format_duration(o_.lookback_s * 1000) + ":" +
                               text::format_duration(static_cast<std::int64_t>(step) * 1000) + "]";
    std::vector<promapi::Call> more;
    for (auto i : empty) {
      if (!name_known(i)) continue;
      if (had_series(i)) more.push_back(last_seen_call(i, window));
      else more.push_back(promapi::labels({first_use(i)->name}, start_, o_.now));
      for (const auto& m : first_use(i)->vs->matchers)
        if (m.name != "__name__" && !first_use(i)->name.empty())
          more.push_back(promapi::label_values(m.name, {first_use(i)->name}, start_, o_.now));
    }
    more.push_back(promapi::label_values("job", {}, start_, o_.now));
    batch_.fetch(more);
    std::vector<bool> is_empty(queries_.size());
    for (auto i : empty) is_empty[i] = true;
    for (const auto& u : uses_)
      if (is_empty[u.id]) explain(u, window);
  }

  bool had_series(std::size_t i) {
    json d = data_of(*batch_.fetch(promapi::series({queries_[i]}, start_, o_.now)));
    return d.is_array() && !d.empty();
  }
  promapi::Call last_seen_call(std::size_t i, const std::string& window) {
    return promapi::instant_query("max_over_time(timestamp(" + queries_[i] + ")" + window + ")", o_.now);
  }

  void explain(const Use& u, const std::string& window) {
    const std::string sel = queries_[u.id];
    const std::string lb = text::format_duration(o_.lookback_s * 1000);
    if (!u.name.empty() && !known_.count(u.name)) {
      if (recorded_.count(u.name) || u.name.find(':') != std::string::npos) {
        if (summary_.rules && server_rules_.count(u.name)) return; // loaded, but writes nothing now
        emit(u, "server/recording-rule-missing",
             u.name + " is written by a recording rule the server " +
                 (summary_.rules ? "does not have" : "has no series of (in the last " + lb + ")") +
                 ": this rule reads nothing until that rule is loaded there",
             "deploy the recording rule before (or with) the rules that read it");
        return;
      }
      emit(u, "server/metric-missing",
           "the server has no series named " + u.name + " in the last " + lb +
               " (the metric was never scraped there, or under another name)",
           "check the metric's name and that its exporter is scraped by this server");
      return;
    }
    if (had_series(u.id)) {
      auto f = batch_.fetch(last_seen_call(u.id, window));
      double last = 0;
      std::string where;
      for (const auto& s : f->result) {
        if (s.samples.empty()) continue;
        double t = std::strtod(s.samples.back().value.c_str(), nullptr);
        if (t <= last) continue;
        last = t;
        where.clear();
        for (const auto& [k, v] : s.labels)
          if (k == "job" || k == "instance") where += (where.empty() ? "" : ", ") + k + "=" + text::go::quote(v);
      }
      emit(u, "server/series-stopped",
           sel + " has no series now; " +
               (last > 0 ? "last seen " + text::format_rfc3339_ms(static_cast<std::int64_t>(std::floor(last)) * 1000) +
                               " (" + ago(o_.now - last) + ")" + (where.empty() ? "" : " on " + where)
                         : "it had series in the last " + lb),
           "a target went away or stopped exporting it: check the scrape, or remove the rule");
      return;
    }
    const bool only_name =
        std::all_of(u.vs->matchers.begin(), u.vs->matchers.end(), [](const auto& m) { return m.name == "__name__"; });
    if (u.name.empty() || only_name) {
      emit(u, "server/selector-empty", sel + " matches no series on the server in the last " + lb, "");
      return;
    }
    // Every matcher that alone matches nothing is reported, so that one run names all there is to
    // fix (device="eth9" and job="nodes"), not one a run.
    const auto names = strings_of(*batch_.fetch(promapi::labels({u.name}, start_, o_.now)));
    bool reported = false;
    for (const auto& m : u.vs->matchers) {
      if (m.name == "__name__") continue;
      const auto values = strings_of(*batch_.fetch(promapi::label_values(m.name, {u.name}, start_, o_.now)));
      bool any = false;
      for (const auto& v : values) any = any || labels::matches(m, v, labels::Dialect::prometheus);
      if (any || labels::matches(m, "", labels::Dialect::prometheus)) continue;
      reported = true;
      if (m.name == "job") {
        const auto jobs = strings_of(*batch_.fetch(promapi::label_values("job", {}, start_, o_.now)));
        bool scraped = false;
        for (const auto& j : jobs) scraped = scraped || labels::matches(m, j, labels::Dialect::prometheus);
        if (!scraped) {
          emit(u, "server/job-not-scraped",
               promql::format_matcher(m) + ": no series on the server has such a job in the last " + lb +
                   " (its jobs: " + list(jobs) + ")",
               "use the job name of the scrape config that scrapes " + u.name, m.range);
          continue;
        }
      }
      if (std::find(names.begin(), names.end(), m.name) == names.end()) {
        emit(u, "server/label-missing",
             u.name + " never carries the label " + m.name + " on the server (in the last " + lb +
                 "; its labels: " + list(names) + ")",
             "", m.range);
        continue;
      }
      emit(u, "server/label-value-missing",
           promql::format_matcher(m) + ": no series of " + u.name + " on the server has such a value in the last " +
               lb + " (" + m.name + " takes: " + list(values) + ")",
           "", m.range);
    }
    if (!reported)
      emit(u, "server/selector-empty",
           sel + " matches no series on the server in the last " + lb +
               ", though each of its matchers alone matches some: no series meets them all",
           "");
  }

  // Ranges under rate() and its kin: a gauge by the server's metadata; shorter than two scrapes.
  void ranges() {
    std::vector<promapi::Call> calls;
    for (const auto& u : uses_)
      if (u.range_ms > 0 && kTwoSamples.count(u.func) && !u.name.empty() && summary_.targets)
        calls.push_back(promapi::label_values("job", {u.name}, start_, o_.now));
    batch_.fetch(calls);
    for (const auto& u : uses_) {
      if (u.range_ms <= 0 || u.name.empty()) continue;
      if (kCounterFunctions.count(u.func) && summary_.metadata) {
        auto it = types_.find(u.name);
        if (it == types_.end() && util::ends_with(u.name, "_total"))
          it = types_.find(u.name.substr(0, u.name.size() - 6));
        if (it != types_.end() && it->second == "gauge")
          emit(u, "server/rate-on-gauge",
               u.func + "() over " + u.name + ", which the server's metadata says is a gauge: " + u.func +
                   " treats every drop as a counter reset",
               "use deriv() or delta() for a gauge, or the counter it is computed from");
      }
      if (!kTwoSamples.count(u.func) || !summary_.targets) continue;
      std::int64_t interval = 0;
      std::string job;
      for (const auto& j : strings_of(*batch_.fetch(promapi::label_values("job", {u.name}, start_, o_.now))))
        if (auto it = interval_ms_.find(j); it != interval_ms_.end() && it->second > interval) {
          interval = it->second;
          job = j;
        }
      if (interval > 0 && u.range_ms < 2 * interval)
        emit(u, "server/range-too-short",
             u.func + "() over [" + text::format_duration(u.range_ms) + "] of " + u.name + ", scraped every " +
                 text::format_duration(interval) + " (job " + text::go::quote(job) +
                 " on the server): the range must hold two samples, or the result is empty",
             "use a range of at least " + text::format_duration(4 * interval) + " (four scrape intervals)");
    }
  }

  // What each rule's evaluation reads, as the server counts it (Prometheus: stats=all).
  void cost() {
    std::vector<promapi::Call> calls;
    for (const auto& r : rules_) {
      auto c = promapi::instant_query(r.rule->expr.value, o_.now);
      c.params.emplace_back("stats", "all");
      calls.push_back(std::move(c));
    }
    summary_.cost_queries = calls.size();
    auto answers = batch_.fetch(calls);
    for (std::size_t i = 0; i < answers.size(); ++i) {
      json d = data_of(*answers[i]);
      if (!d.is_object() || !d.contains("stats")) continue;
      const json& s = d["stats"];
      if (s.contains("samples") && s["samples"].contains("totalQueryableSamples") &&
          s["samples"]["totalQueryableSamples"].is_number())
        summary_.samples[rules_[i].rule] = s["samples"]["totalQueryableSamples"].get<double>();
    }
    summary_.exact_cost = !summary_.samples.empty();
  }

  void emit(const Use& u, core::CheckId check, std::string msg, std::string suggestion,
            std::optional<promql::PosRange> at = std::nullopt) {
    const auto& e = u.rule->expr;
    const promql::PosRange r = at ? *at : u.at;
    core::Span span = e.span;
    if (!e.value.empty())
      span =
          core::span_at(*u.file->source, e.file_offset(r.start), e.file_offset(std::max(r.end, r.start + 1) - 1) + 1);
    core::Diagnostic d = core::make_diagnostic(check, span, std::move(msg), std::move(suggestion));
    d.rule = u.rule->name.value;
    d.group = u.group->name.value;
    out_.push_back(std::move(d));
  }

  promapi::Batch& batch_;
  const Options& o_;
  Summary& summary_;
  double start_;
  std::vector<std::unique_ptr<promql::ParseResult>> parsed_;
  std::vector<Use> uses_;
  std::vector<Rule> rules_;
  std::vector<std::string> queries_;
  std::vector<std::size_t> first_use_; ///< per query: the index in uses_ of its first use
  std::set<std::string, std::less<>> known_, recorded_, jobs_, server_rules_;
  std::map<std::string, std::int64_t> interval_ms_;
  std::map<std::string, std::string, std::less<>> types_;
  std::set<std::size_t> matching_;
  std::vector<core::Diagnostic> out_;
};

} // namespace

std::vector<core::Diagnostic> check(const std::vector<rules::RuleFile>& files, promapi::Batch& batch, const Options& o,
                                    Summary& summary) {
  try {
    return Checker(batch, o, summary).run(files);
  } catch (const json::exception& e) {
    // An answer that is JSON but not shaped as the API's (a number where a string belongs).
    throw promapi::BadAnswer("an answer of " + o.server + " is not shaped like the API's: " + e.what());
  }
}

void drop_repeated(std::vector<core::Diagnostic>& online, const std::vector<core::Diagnostic>& offline) {
  // The server finding and the offline one that says the same thing, at overlapping places.
  static const std::map<std::string_view, std::set<std::string_view>> same = {
      {"server/metric-missing", {"catalog/unknown-metric", "catalog/renamed-metric", "catalog/histogram-base-name"}},
      {"server/recording-rule-missing", {"rules/undefined-recording-rule"}},
      {"server/label-missing", {"catalog/unknown-label"}},
      {"server/label-value-missing", {"catalog/unknown-label-value"}},
      {"server/rate-on-gauge", {"promql/rate-on-gauge"}},
  };
  auto overlap = [](const core::Span& a, const core::Span& b) {
    if (a.file != b.file || a.line != b.line) return false;
    return a.col < b.col + std::max(b.len, 1) && b.col < a.col + std::max(a.len, 1);
  };
  // The catalog names an unknown metric once for all its selectors ("metric x is not in the
  // catalog (2 selectors)"): the server's finding on any of them repeats it.
  auto same_metric = [](const core::Diagnostic& d, const core::Diagnostic& o) {
    constexpr std::string_view kNamed = "no series named ";
    const auto at = d.message.find(kNamed);
    if (d.check != "server/metric-missing" || at == std::string::npos || d.span.file != o.span.file) return false;
    const std::string name =
        d.message.substr(at + kNamed.size(), d.message.find(' ', at + kNamed.size()) - at - kNamed.size());
    return util::starts_with(o.message, "metric " + name + " ");
  };
  std::erase_if(online, [&](const core::Diagnostic& d) {
    auto it = same.find(d.check.id());
    if (it == same.end()) return false;
    return std::any_of(offline.begin(), offline.end(), [&](const core::Diagnostic& o) {
      return it->second.count(o.check.id()) && (overlap(d.span, o.span) || same_metric(d, o));
    });
  });
}

} // namespace nsmon::online
