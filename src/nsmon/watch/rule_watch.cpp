#include "nsmon/watch/rule_watch.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <unordered_set>

namespace nsmon::watch {

namespace {

constexpr std::int64_t kLookbackMs = 5 * 60 * 1000;
constexpr std::int64_t kMinWindowMs = 15 * 60 * 1000;

std::string severity_of(const engine::Labels& ls) { return engine::get(ls, "severity"); }

AlertRecord record_of(const ruletest::Alert& a) {
  AlertRecord r;
  r.name = a.rule;
  r.severity = severity_of(a.labels);
  r.labels = a.labels;
  r.annotations = a.annotations;
  r.state = ruletest::to_string(a.state);
  r.value = a.value;
  r.active_at = a.active_at;
  r.fired_at = a.state == ruletest::AlertState::firing ? a.fired_at : -1;
  return r;
}

bool same_alert(const AlertRecord& a, const AlertRecord& b) { return a.name == b.name && a.labels == b.labels; }

std::int64_t ns_to_ms(std::int64_t ns) { return ns / 1'000'000; }

std::int64_t expr_reach(const promql::Expr& root) {
  std::int64_t reach = 0;
  promql::walk(root, [&](const promql::Expr& node, std::span<const promql::Expr* const> path) {
    if (node.kind != promql::NodeKind::vector_selector) return true;
    const auto& vs = node.as<promql::VectorSelector>();
    std::int64_t r = std::max<std::int64_t>(0, ns_to_ms(vs.modifiers.offset_ns));
    bool ranged = !path.empty() && path.back()->kind == promql::NodeKind::matrix_selector;
    r += ranged ? ns_to_ms(path.back()->as<promql::MatrixSelector>().range_ns) : kLookbackMs;
    for (const promql::Expr* p : path)
      if (p->kind == promql::NodeKind::subquery) {
        const auto& sq = p->as<promql::SubqueryExpr>();
        r += ns_to_ms(sq.range_ns) + std::max<std::int64_t>(0, ns_to_ms(sq.modifiers.offset_ns));
      }
    reach = std::max(reach, r);
    return true;
  });
  return reach;
}

// Bytes the store holds, estimated: points, and per series its labels and the map's node.
std::size_t store_bytes(const engine::Storage& s) {
  std::size_t bytes = 0;
  for (const auto& [ls, series] : s.all()) {
    bytes += 160 + series.points.capacity() * sizeof(engine::Point);
    for (const auto& [k, v] : ls) bytes += 2 * (64 + k.size() + v.size()); // the key and the series' copy
  }
  return bytes;
}

} // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int severity_rank(std::string_view s) {
  static constexpr std::string_view order[] = {"info", "warning", "error", "critical", "page"};
  for (std::size_t i = 0; i < std::size(order); ++i)
    if (s == order[i]) return static_cast<int>(i) + 1;
  return 0;
}

const char* to_string(RuleEvent::Kind k) {
  switch (k) {
  case RuleEvent::Kind::pending: return "pending";
  case RuleEvent::Kind::firing: return "firing";
  case RuleEvent::Kind::resolved: return "resolved";
  case RuleEvent::Kind::assert_failed: return "assert_failed";
  case RuleEvent::Kind::assert_holds: return "assert_holds";
  case RuleEvent::Kind::rule_error: return "rule_error";
  }
  return "";
}

namespace {
// Every rule's and assertion's expression, with the query offset of its group (0: an assertion).
void each_expression(const ruletest::LoadedRules& loaded,
                     const std::function<void(const promql::Expr&, std::int64_t)>& f) {
  for (const auto& g : loaded.groups)
    for (const auto& r : g.rules) f(*r.expr->expr(), g.query_offset_ms);
  for (const auto& a : loaded.asserts)
    if (a->ok()) f(*a->expr(), 0);
}
} // namespace

std::int64_t reach_ms(const ruletest::LoadedRules& loaded) {
  std::int64_t reach = kLookbackMs;
  each_expression(loaded,
                  [&](const promql::Expr& e, std::int64_t offset) { reach = std::max(reach, expr_reach(e) + offset); });
  return reach;
}

std::optional<std::vector<std::string>> selected_names(const ruletest::LoadedRules& loaded) {
  std::vector<std::string> names;
  bool all = false;
  each_expression(loaded, [&](const promql::Expr& root, std::int64_t) {
    promql::walk(root, [&](const promql::Expr& node, std::span<const promql::Expr* const>) {
      if (node.kind != promql::NodeKind::vector_selector) return true;
      names.push_back(promql::metric_name(node.as<promql::VectorSelector>()));
      if (names.back().empty()) all = true;
      return true;
    });
  });
  if (all) return std::nullopt;
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

RuleWatch::RuleWatch(const ruletest::LoadedRules& loaded, RuleWatchOptions options)
    : loaded_(loaded), o_(std::move(options)) {
  // Only what the rules and assertions can read is stored: Prometheus keeps every series for any
  // query, the store serves these rules alone.
  if (!o_.keep_all) kept_names_ = selected_names(loaded_);
  ruletest::EvalSettings settings;
  settings.external_labels = o_.external_labels;
  settings.query.max_samples = 50'000'000; // Prometheus's --query.max-samples
  eval_ = std::make_unique<ruletest::GroupEvaluator>(loaded_.groups, storage_, settings);
  window_ms_ = o_.window_ms > 0 ? o_.window_ms : std::max(kMinWindowMs, reach_ms(loaded_));
  status_.window_ms = window_ms_;
  status_.asserts = loaded_.asserts.size();
  assert_failed_.assign(loaded_.asserts.size(), false);
  assert_checked_.assign(loaded_.asserts.size(), false);
  const std::int64_t now = o_.start_ms > 0 ? o_.start_ms : now_ms();
  status_.start_ms = now;
  for (const auto& g : loaded_.groups) {
    // Slots on multiples of the interval, the first one after the start.
    std::int64_t iv = std::max<std::int64_t>(1, g.interval_ms);
    next_.push_back((now / iv + 1) * iv);
    for (const auto& r : g.rules)
      if (!r.rule->is_alert()) written_.push_back(r.rule->name.value);
  }
  written_.push_back("ALERTS");
  written_.push_back("ALERTS_FOR_STATE");
  std::sort(written_.begin(), written_.end());
}

RuleWatch::~RuleWatch() = default;

bool RuleWatch::written_by_rules(const std::string& name) const {
  return std::binary_search(written_.begin(), written_.end(), name);
}

std::int64_t RuleWatch::min_interval_ms() const {
  std::int64_t iv = o_.default_interval_ms;
  for (std::size_t i = 0; i < loaded_.groups.size(); ++i)
    iv = i == 0 ? loaded_.groups[i].interval_ms : std::min(iv, loaded_.groups[i].interval_ms);
  return iv;
}

// Sorted engine labels of one scraped sample (its ScrapedSamples::key), as Prometheus's scrape
// stores them: the target's job and instance added, the sample's own job/instance kept as
// exported_job/exported_instance.
engine::Labels RuleWatch::target_labels(std::string_view key) const {
  engine::Labels ls;
  std::size_t end = key.find('\xff');
  ls.emplace_back("__name__", std::string(key.substr(0, end)));
  while (end != std::string_view::npos) {
    const std::size_t begin = end + 1, eq = key.find('\xfe', begin);
    end = key.find('\xff', eq); // npos at the last pair: its value runs to the end
    std::string name(key.substr(begin, eq - begin));
    if (name == "job" || name == "instance") name = "exported_" + name;
    ls.emplace_back(std::move(name), std::string(key.substr(eq + 1, end - eq - 1)));
  }
  ls.emplace_back("job", o_.job);
  if (!o_.instance.empty()) ls.emplace_back("instance", o_.instance);
  std::sort(ls.begin(), ls.end());
  std::erase_if(ls, [](const auto& l) { return l.second.empty(); });
  return ls;
}

// What every scrape starts with, good or failed: a new generation, counted afresh.
void RuleWatch::begin_scrape(std::int64_t t) {
  ++generation_;
  seen_before_ = seen_;
  seen_ = kept_ = 0;
  oldest_ms_ = std::min(oldest_ms_, t);
  first_scrape_ms_ = std::min(first_scrape_ms_, t);
  last_scrape_ms_ = std::max(last_scrape_ms_, t);
}

std::pair<std::int64_t, std::int64_t> RuleWatch::readable_span() const {
  if (first_scrape_ms_ > last_scrape_ms_) return {INT64_MAX, INT64_MIN};
  return {first_scrape_ms_ - std::max(window_ms_, kLookbackMs), last_scrape_ms_};
}

// What every scrape ends with, good or failed: `up`, staleness markers, the window, the assertions.
std::vector<RuleEvent> RuleWatch::end_scrape(std::int64_t t, double up_value) {
  engine::Labels up = {{"__name__", "up"}, {"job", o_.job}};
  if (!o_.instance.empty()) up.emplace_back("instance", o_.instance);
  std::sort(up.begin(), up.end());
  storage_.add(up, t, up_value);
  mark_stale(t);
  trim(t);
  std::vector<RuleEvent> events;
  check_asserts(t, events);
  return events;
}

// The series of the previous scrape that this one (generation_) did not have get a staleness marker
// (none, and no walk over every series, when this one had them all).
void RuleWatch::mark_stale(std::int64_t t) {
  if (kept_ == seen_before_) return;
  for (auto& [key, k] : scraped_)
    if (k.seen + 1 == generation_) storage_.append(*k.series, t, engine::stale_nan());
}

// Each sample finds its series by the text that names it (one hash lookup); the labels are built
// once, for a series not seen before.
std::vector<RuleEvent> RuleWatch::scraped(const ScrapedSamples& samples, std::int64_t t) {
  begin_scrape(t);
  for (std::size_t i = 0; i < samples.entries.size(); ++i) {
    const std::string_view key = samples.key(i);
    auto it = scraped_.find(key);
    if (it == scraped_.end()) {
      const std::string_view name = key.substr(0, key.find('\xff'));
      const bool keep = !kept_names_ || std::binary_search(kept_names_->begin(), kept_names_->end(), name);
      it = scraped_.emplace(std::string(key), Scraped{keep ? &storage_.series_for(target_labels(key)) : nullptr, 0})
               .first;
    }
    if (!it->second.series) continue;
    // A sample with its own timestamp is stored at that time and never marked stale (Prometheus's
    // honor_timestamps); one at or before its series' last point is dropped (out of order).
    const auto& e = samples.entries[i];
    Scraped& k = it->second;
    if (!storage_.append(*k.series, e.timestamp_ms.value_or(t), e.value)) continue;
    if (e.timestamp_ms) {
      oldest_ms_ = std::min(oldest_ms_, *e.timestamp_ms);
      continue;
    }
    ++seen_;
    if (k.seen + 1 == generation_) ++kept_;
    k.seen = generation_;
  }
  return end_scrape(t, 1);
}

std::vector<RuleEvent> RuleWatch::scraped(std::string_view body, expfmt::Format format, std::int64_t t) {
  Snapshot stats;
  ScrapedSamples samples;
  parse_snapshot(body, format, {}, stats, &samples);
  return scraped(samples, t);
}

std::vector<RuleEvent> RuleWatch::scrape_failed(std::int64_t t) {
  begin_scrape(t);
  return end_scrape(t, 0);
}

// The window first; then, while the estimate is over the memory limit, a shorter window (a
// quarter less each time, never under two minutes).
void RuleWatch::trim(std::int64_t now) {
  const std::size_t before = storage_.series_count();
  // The walk over every series only when some point may be older than the window.
  if (now - window_ms_ > oldest_ms_) {
    storage_.drop_before(now - window_ms_);
    oldest_ms_ = now - window_ms_;
  }
  // The full estimate walks every series: only once a lower bound (points, a series' node) is
  // near the limit.
  const std::size_t lower = storage_.point_count() * sizeof(engine::Point) + storage_.series_count() * 160;
  if (lower > o_.max_bytes / 4 && store_bytes(storage_) > o_.max_bytes) {
    while (window_ms_ > 2 * 60'000 && store_bytes(storage_) > o_.max_bytes) {
      window_ms_ = std::max<std::int64_t>(2 * 60'000, window_ms_ * 3 / 4);
      storage_.drop_before(now - window_ms_);
    }
    shrunk_ = true;
  }
  // Series that went are forgotten (a later sample creates them again).
  if (storage_.series_count() < before) {
    std::unordered_set<const engine::Series*> live;
    for (const auto& [ls, series] : storage_.all()) live.insert(&series);
    std::erase_if(scraped_, [&](const auto& kv) { return kv.second.series && !live.count(kv.second.series); });
  }
  status_.window_ms = window_ms_;
  status_.series = storage_.series_count();
  status_.points = storage_.point_count();
}

std::int64_t RuleWatch::next_due() const {
  std::int64_t t = INT64_MAX;
  for (auto n : next_) t = std::min(t, n);
  return t;
}

std::vector<RuleEvent> RuleWatch::evaluate(std::int64_t now) {
  std::vector<RuleEvent> events;
  for (;;) {
    // The earliest due slot first, so that groups interleave in time order.
    std::size_t g = next_.size();
    for (std::size_t i = 0; i < next_.size(); ++i)
      if (next_[i] <= now && (g == next_.size() || next_[i] < next_[g])) g = i;
    if (g == next_.size()) break;
    const std::int64_t t = next_[g];
    const std::int64_t iv = std::max<std::int64_t>(1, loaded_.groups[g].interval_ms);
    // Slots missed (a stopped machine) are skipped, as Prometheus skips them.
    next_[g] = std::max(t + iv, (now / iv) * iv + (now % iv == 0 ? 0 : iv));
    if (next_[g] <= t) next_[g] = t + iv;
    // Recording rules and ALERTS are written at the slot less the group's query_offset.
    oldest_ms_ = std::min(oldest_ms_, t - loaded_.groups[g].query_offset_ms);
    for (auto& e : eval_->eval_group(g, t)) {
      ++status_.rule_errors;
      RuleEvent ev;
      ev.kind = RuleEvent::Kind::rule_error;
      ev.t = e.t;
      ev.subject = e.group + "/" + e.rule;
      ev.message = e.message;
      events.push_back(std::move(ev));
    }
    ++status_.evaluations;
    update_alerts(t, events);
  }
  return events;
}

void RuleWatch::update_alerts(std::int64_t t, std::vector<RuleEvent>& events) {
  std::vector<AlertRecord> now;
  for (const auto& a : eval_->alerts()) now.push_back(record_of(a));
  auto emit = [&](RuleEvent::Kind k, const AlertRecord& a) {
    RuleEvent ev;
    ev.kind = k;
    ev.t = t;
    ev.alert = a;
    events.push_back(std::move(ev));
  };
  auto find_history = [&](const AlertRecord& a) -> AlertRecord* {
    for (auto it = status_.history.rbegin(); it != status_.history.rend(); ++it)
      if (same_alert(*it, a) && it->resolved_at < 0) return &*it;
    return nullptr;
  };
  for (const auto& a : now) {
    auto was = std::find_if(known_.begin(), known_.end(), [&](const AlertRecord& k) { return same_alert(k, a); });
    bool changed = was == known_.end() || was->state != a.state || was->active_at != a.active_at;
    if (!changed) continue;
    AlertRecord* h = find_history(a);
    if (was != known_.end() && was->active_at != a.active_at && h) { // resolved and active again
      h->resolved_at = t;
      h = nullptr;
    }
    if (!h) {
      status_.history.push_back(a);
      h = &status_.history.back();
    }
    h->state = a.state;
    h->value = a.value;
    h->annotations = a.annotations;
    h->fired_at = a.fired_at;
    emit(a.state == "firing" ? RuleEvent::Kind::firing : RuleEvent::Kind::pending, a);
    if (a.state == "firing" && o_.fail_rank && severity_rank(a.severity) >= *o_.fail_rank && !status_.failed) {
      status_.failed = true;
      status_.failure = "alert " + a.name + (a.severity.empty() ? "" : " (" + a.severity + ")") + " fired";
    }
  }
  for (const auto& k : known_) {
    bool gone = std::none_of(now.begin(), now.end(), [&](const AlertRecord& a) { return same_alert(k, a); });
    if (!gone) continue;
    AlertRecord r = k;
    r.state = "inactive";
    r.resolved_at = t;
    if (AlertRecord* h = find_history(k)) {
      h->state = "inactive";
      h->resolved_at = t;
    }
    emit(RuleEvent::Kind::resolved, r);
  }
  known_ = now;
  // Firing first, then by severity (highest first), name and labels.
  std::vector<AlertRecord> active = now;
  std::stable_sort(active.begin(), active.end(), [](const AlertRecord& a, const AlertRecord& b) {
    if ((a.state == "firing") != (b.state == "firing")) return a.state == "firing";
    if (severity_rank(a.severity) != severity_rank(b.severity))
      return severity_rank(a.severity) > severity_rank(b.severity);
    return std::tie(a.name, a.labels) < std::tie(b.name, b.labels);
  });
  status_.active = std::move(active);
}

// An assertion holds when it returns at least one sample (a scalar: not 0), or when the metrics
// it selects have no series yet (nothing to check: the command may not export them yet).
void RuleWatch::check_asserts(std::int64_t t, std::vector<RuleEvent>& events) {
  for (std::size_t i = 0; i < loaded_.asserts.size(); ++i) {
    const auto& parsed = *loaded_.asserts[i];
    if (!parsed.ok()) continue;
    engine::Options opt;
    opt.max_samples = 50'000'000;
    engine::Result r = engine::instant(*parsed.expr(), storage_, t, opt);
    bool holds = true;
    std::string message;
    if (r.error) {
      holds = false;
      message = *r.error;
    } else if (r.value.type == promql::ValueType::scalar) {
      holds = r.value.scalar != 0;
      message = "returned " + engine::format_value(r.value.scalar);
    } else if (r.value.vector.empty()) {
      // Something to check: a selector of it returns a series at t (a stale or a gone series is
      // no data: the command's last scrape, refused as it exits, leaves only stale markers).
      bool any_series = false;
      promql::walk(*parsed.expr(), [&](const promql::Expr& node, std::span<const promql::Expr* const>) {
        if (node.kind != promql::NodeKind::vector_selector) return true;
        if (!engine::instant(node, storage_, t, opt).value.vector.empty()) any_series = true;
        return true;
      });
      holds = !any_series;
      message = "returned nothing";
      if (holds) continue; // nothing to check yet: neither held nor failed
    }
    assert_checked_[i] = true;
    if (holds == !assert_failed_[i]) continue; // no change
    assert_failed_[i] = !holds;
    RuleEvent ev;
    ev.kind = holds ? RuleEvent::Kind::assert_holds : RuleEvent::Kind::assert_failed;
    ev.t = t;
    ev.subject = loaded_.assert_texts[i];
    ev.message = message;
    events.push_back(ev);
    if (!holds) {
      if (std::find(status_.failed_asserts.begin(), status_.failed_asserts.end(), ev.subject) ==
          status_.failed_asserts.end())
        status_.failed_asserts.push_back(ev.subject);
      if (!status_.failed) {
        status_.failed = true;
        status_.failure = "assertion failed: " + ev.subject;
      }
    }
  }
}

void RuleWatch::finish() {
  status_.unchecked_asserts.clear();
  for (std::size_t i = 0; i < loaded_.asserts.size(); ++i) {
    if (assert_checked_[i] || !loaded_.asserts[i]->ok()) continue;
    status_.unchecked_asserts.push_back(loaded_.assert_texts[i]);
    if (!status_.failed) {
      status_.failed = true;
      status_.failure = "assertion never checked on data: " + loaded_.assert_texts[i];
    }
  }
}

} // namespace nsmon::watch
