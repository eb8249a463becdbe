#include "nsmon/lint/expr_checks_impl.hpp"

// A counter read raw: what flows from it to a comparison (raw_flow) and promql/counter-raw's
// findings on it, one counter, a difference or a ratio of two. The rest of a binary operator's
// checks are expr_binary.cpp's.
namespace nsmon::lint {

// The counter a side reads raw, known from the catalog or by its name (external), as its value
// flows to the comparison: through the aggregations that keep a sample's value (sum, avg, min,
// max, topk, bottomk, quantile; not count or group, whose values are numbers of series), and
// through arithmetic that keeps a value growing with the process's uptime: a sum of raw
// counters, a raw counter plus, minus, times or divided by a number, or divided by a series that
// is no counter (bytes over a link's speed). A difference of two raw counters is minus: what one
// counted and the other did not since the start (attempts not successes), or a lag (an offset
// behind another); a ratio of two raw counters is ratio_of (the mean since the start). Whatever
// else a function or an operator makes is no raw counter.
namespace {
// The expression whose samples' values an expression passes on: itself, or what the aggregations
// that keep a sample's value read; nullptr under any other aggregation.
const Expr* values_of(const Expr* e) {
  e = unparen(e);
  while (e && e->kind == NodeKind::aggregate) {
    const AggregateOp op = e->as<AggregateExpr>().op;
    if (op != AggregateOp::sum && op != AggregateOp::avg && op != AggregateOp::min && op != AggregateOp::max &&
        op != AggregateOp::topk && op != AggregateOp::bottomk && op != AggregateOp::quantile)
      return nullptr;
    e = unparen(e->as<AggregateExpr>().expr);
  }
  return e;
}

// A _total that another exporter names for a state things are in now counts them now: a gauge
// named _total, not a count of events (CloudNativePG's cnpg_backends_waiting_total, TiKV's
// tikv_worker_pending_task_total, MinIO's minio_node_file_descriptor_open_total, autobrr's
// autobrr_irc_channel_monitored_total), as is one a matcher selects by such a state
// (bullmq_jobs_total{state="waiting"}, a prom-client Gauge: review14; a phase, Kubernetes' Pending
// and Running: the things in it now). Adjectives only: a past
// participle (queued, scheduled) as often names a counter of events.
bool counts_a_state(const VectorSelector& vs, std::string_view name) {
  // Not "blocked": as often the requests a filter refused (a counter) as tasks blocked now.
  static constexpr std::string_view states[] = {"waiting", "pending", "idle",    "active",    "running",
                                                "open",    "paused",  "enabled", "monitored", "inflight"};
  auto is_state = [](std::string_view w) {
    return std::find(std::begin(states), std::end(states), w) != std::end(states);
  };
  // By the name's words, of a _total only: a histogram's _count or _bucket counts observations,
  // whatever its name says.
  for (std::size_t from = 0; name.ends_with("_total") && from <= name.size();) {
    const std::size_t to = std::min(name.find('_', from), name.size());
    if (is_state(name.substr(from, to - from))) return true;
    from = to + 1;
  }
  // By a matcher on the state, whatever its case (gitpod's ..._workspace_phase_total{phase="Running"}),
  // or on a label named for one (gitpod's ..._workspace_activity_total{active="false"}, a GaugeVec).
  return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& mt) {
    std::string value = mt.value;
    std::transform(value.begin(), value.end(), value.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return mt.op == MatchOp::equal &&
           (is_state(mt.name) ||
            ((mt.name == "state" || mt.name == "status" || mt.name == "phase") && is_state(value)));
  });
}
} // namespace

namespace {
// The functions over a window that pass on what its samples are: a counter's running totals,
// summed, averaged or picked (sum_over_time(errors_total[1h]) adds up totals since the start, it
// counts no errors of the hour). Not count_over_time, changes, resets, present_over_time or
// absent_over_time, which count samples or changes; not stddev or stdvar_over_time, a spread.
bool passes_samples_on(std::string_view f) {
  return f == "sum_over_time" || f == "avg_over_time" || f == "max_over_time" || f == "min_over_time" ||
         f == "quantile_over_time" || f == "last_over_time";
}
} // namespace

RawFlow raw_flow(const Inference& inf, const Expr* side) {
  const Expr* e = values_of(side);
  if (!e) return {};
  if (e->kind == NodeKind::call && passes_samples_on(e->as<Call>().name)) {
    const Call& c = e->as<Call>();
    const Expr* window = c.args.empty() ? nullptr : unparen(c.args.back());
    const Expr* inner = !window                                     ? nullptr
                        : window->kind == NodeKind::matrix_selector ? window->as<MatrixSelector>().selector
                        : window->kind == NodeKind::subquery        ? window->as<SubqueryExpr>().expr
                                                                    : nullptr;
    RawFlow out = inner ? raw_flow(inf, inner) : RawFlow{};
    if (out.counter) out.via = c.name + "()" + (out.via.empty() ? "" : " of " + out.via);
    return out;
  }
  if (e->kind == NodeKind::vector_selector) {
    SeriesInfo info = inf.series(e->as<VectorSelector>());
    // A recording rule's series: what its one rule reads raw, as a reader of it compares it; a
    // name no colon marks as recorded too where its rule is in the reader's file (an exporter may
    // have the name, but the file records it: kubevirt's vec_by_..._in_last_hour). Not where the
    // rule adds copies to a scraped metric of the name (it reads the name itself).
    const auto rec = inf.recorded().find(info.name);
    if (rec != inf.recorded().end() && rec->second.parts.empty() &&
        (rec->second.source == RecordedMetric::Source::rules ||
         (rec->second.source == RecordedMetric::Source::both && inf.recorded_here(rec->second)))) {
      const RecordedMetric& rm = rec->second;
      // Its one rule reads no counter raw (StatCan's node_unterminated_pods_total, a count of pods
      // named _total): the rule says what the series is, whatever its name suggests.
      if (!rm.raw) return {};
      RawFlow out = *rm.raw;
      out.via = "the recorded " + rm.name + (out.via.empty() ? "" : " (" + out.via + ")");
      return out;
    }
    if (inf.at(e).kind != ValueKind::counter) return {};
    if (info.origin != SeriesInfo::Origin::catalog && info.origin != SeriesInfo::Origin::external) return {};
    // An uptime counter (apache_uptime_seconds_total, mysql_global_status_uptime) holds the time
    // since its process started: a comparison of it that depends on the start is a restart
    // detector (ApacheRestart's uptime / 60 < 1), which is what it is for.
    if (info.name.find("uptime") != std::string::npos) return {};
    if (info.origin == SeriesInfo::Origin::external && counts_a_state(e->as<VectorSelector>(), info.name)) return {};
    RawFlow out;
    out.counter = std::move(info);
    return out;
  }
  if (e->kind != NodeKind::binary) return {};
  const auto& b = e->as<BinaryExpr>();
  if (b.op != BinaryOp::add && b.op != BinaryOp::sub && b.op != BinaryOp::mul && b.op != BinaryOp::div) return {};
  RawFlow l = raw_flow(inf, b.lhs), r = raw_flow(inf, b.rhs); // not const: returned by value, moved
  const bool l_number = inf.constant(b.lhs).has_value(), r_number = inf.constant(b.rhs).has_value();
  // A series that is no counter, read as it is (through aggregations): a gauge, or a series
  // whose kind nothing says.
  auto no_counter = [&](const Expr* x) {
    x = values_of(x);
    return x && x->kind == NodeKind::vector_selector && inf.at(x).kind != ValueKind::counter &&
           !raw_flow(inf, x).counter;
  };
  auto stronger = [](const RawFlow& a, const RawFlow& c) { // a counter of the catalog first
    return c.counter->origin == SeriesInfo::Origin::catalog && a.counter->origin != SeriesInfo::Origin::catalog ? c : a;
  };
  // Both sides' ways to the counters, said once where they are the same.
  auto both_via = [&](RawFlow out) {
    out.via = l.via == r.via || r.via.empty() ? l.via : l.via.empty() ? r.via : l.via + " and " + r.via;
    return out;
  };
  switch (b.op) {
  case BinaryOp::add:
    if (l.raw() && r.raw()) return both_via(stronger(l, r));
    if (l.raw() && r_number) return l;
    if (r.raw() && l_number) return r;
    return {};
  case BinaryOp::sub:
    if (l.raw() && r_number) return l;
    if (l.raw() && r.raw()) {
      RawFlow out = l;
      out.minus = r.counter;
      return both_via(std::move(out));
    }
    return {};
  case BinaryOp::mul:
    if (l.counter && r_number) return l;
    if (r.counter && l_number) return r;
    return {};
  default: // div
    if (l.raw() && r.raw()) {
      RawFlow out = l;
      out.ratio_of = r.counter;
      return both_via(std::move(out));
    }
    if (l.counter && r_number) return l;
    if (l.raw() && no_counter(b.rhs)) return l;
    return {};
  }
}

namespace {
// The well-known exporter whose source declares `s` a counter (rules/exporters.yml `counters`), or nullptr.
const catalog::Exporter* declarer(const SeriesInfo& s) {
  return s.origin == SeriesInfo::Origin::external ? catalog::exporters().counter(s.name) : nullptr;
}
// The words of an operation's outcome counters (velero_backup_attempt_total, ..._success_total).
constexpr std::string_view kOutcomes[] = {"attempt", "success", "succeeded", "fail", "error"};
// A counter by a fact, the catalog's or an exporter's source, not by its name only.
bool known_counter(const SeriesInfo& s) { return s.origin == SeriesInfo::Origin::catalog || declarer(s); }
// Whose source says so, for the finding: " (elasticsearch_exporter's source at 1.11.0)"; "" for the catalog's.
// A count the exporter passes on untyped is the counted system's by its documentation (MySQL's).
std::string declared_by(const catalog::Exporter* e, const std::string& name) {
  if (e && e->counts_untyped(name))
    return util::concat({" (", e->name, " at ", e->version, " passes it on untyped from ", e->counters_untyped_from,
                         ", whose documentation describes it as a count since the server started)"});
  return e ? util::concat({" (", e->name, "'s source at ", e->version, ")"}) : "";
}
} // namespace

// The alert's whole condition is its raw counter above 0 (x > 0, x != 0, x >= 1, a counter's
// values being whole numbers): it holds from the first count until the process restarts, so the
// alert keeps firing long after what it counted (gardener 66335a1, albatrossflavour/home-ops
// 48d35fc). Beside another condition (`x > 0 and ...`) it is a guard.
bool ExprChecks::Impl::ever_since_start(const BinaryExpr& cmp, const Expr* side) const {
  const std::optional<double> v = literal(side == cmp.lhs ? cmp.rhs : cmp.lhs);
  const BinaryOp op = side == cmp.lhs ? cmp.op : flip(cmp.op);
  return self_.in_alert_ && unparen(root_) == &cmp && !cmp.return_bool && v &&
         ((*v == 0 && (op == BinaryOp::gtr || op == BinaryOp::neq)) || (*v == 1 && op == BinaryOp::gte));
}

void ExprChecks::Impl::counter_raw(const BinaryExpr& b, const Expr* side) {
  // Another exporter's metric is a counter by its name only, and exporters name gauges _total
  // too (cadvisor's container_fs_inodes_total, minio_cluster_drive_offline_total): compared
  // with 0 it is as often such a gauge, or the guard of a division by it, as an "ever
  // happened" counter, so only another threshold is reported, and the cases below.
  const Expr* other = side == b.lhs ? b.rhs : b.lhs;
  const bool zero = literal(other) == 0.0;
  const RawFlow flow = raw_flow(inf_, side);
  if (!flow.counter) return;
  // A series divided by itself is 1, no average since the start: promql/always-true says so.
  if (flow.ratio_of && inf_.at(values_of(side)).range_of.itself) return;
  if (flow.ratio_of) {
    counter_ratio(b, flow, zero);
    return;
  }
  if (flow.minus) {
    if (ever_since_start(b, side)) counter_difference(b, *flow.counter, *flow.minus);
    return;
  }
  // Two readings of one counter compared (x > x offset 1h, max_over_time(x[1h] offset 1h) < x) ask
  // whether it grew, as x - x offset 1h does: no total since the start.
  if (const RawFlow o = raw_flow(inf_, other); o.raw() && flow.raw() && o.counter->name == flow.counter->name) return;
  const SeriesInfo& info = *flow.counter;
  const catalog::Exporter* by = declarer(info);
  const std::string suggestion = "compare rate(" + info.name + "[5m]) or increase(" + info.name + "[1h]) instead";
  const std::string since_start = ": as the alert's whole condition, above 0 holds from the first ";
  const std::string fix = "compare increase(" + info.name + "[1h]) > 0 instead";
  if (info.origin == SeriesInfo::Origin::external && ever_since_start(b, side)) {
    // A counter an exporter's source declares, whatever its name (volsync_missed_intervals_total).
    if (by) {
      emit("promql/counter-raw", b.range,
           info.name + " is a counter" + declared_by(by, info.name) + since_start + "event it counts until " +
               by->counters_until + ", so the alert keeps firing long after that event",
           fix);
      return;
    }
    // A histogram's or summary's _count or _sum (a unit, then the suffix: the names client
    // libraries give their counters; a histogram an exporter rebuilds from the state now is listed
    // as its gauge).
    if ((info.name.ends_with("_count") || info.name.ends_with("_sum")) && !catalog::exporters().gauge(info.name)) {
      emit("promql/counter-raw", b.range,
           info.name +
               " is named like a histogram's or summary's count or sum (a unit, then the suffix), which client "
               "libraries write as counters" +
               since_start + "observation until the process restarts, so the alert never resolves",
           fix);
      return;
    }
  }
  if (info.origin == SeriesInfo::Origin::external && zero) return;
  // Read through arithmetic, a function or a recorded series, the side is said to read the counter raw.
  const Expr* e = values_of(side);
  const std::string through = !flow.via.empty() ? "this side reads " + info.name + " raw through " + flow.via + ", and "
                              : e->kind == NodeKind::binary ? "this side reads " + info.name + " raw, and "
                                                            : "";
  if (known_counter(info)) {
    emit("promql/counter-raw", b.range,
         through + info.name + " is a counter" + declared_by(by, info.name) +
             ": its raw value only grows, so this comparison depends on when " +
             (by ? by->counters_since : std::string("the process started")),
         suggestion);
    return;
  }
  // Only the name says counter, and a convention is no fact (TiKV's tikv_worker_pending_task_total
  // is a gauge): said as a guess, at info. Nor is it known what counts: a process, or a host's kernel
  // since boot, or a disk over its life (nvme_power_on_hours_total, whose raw value is the point).
  self_.emit("promql/counter-raw", b.range,
             through + info.name +
                 " is named like a counter: if it is one, its raw value is a total since it began counting (a "
                 "process's, host's or device's start), so this comparison depends on that start",
             suggestion, core::Severity::info);
}

// A difference of two counters known as such, of an operation's outcomes (attempts minus
// successes), above 0 as the alert's whole condition: since the processes started, so from the
// first thing the one counted and the other never will (a failure) until a restart (kubermatic
// c2a82b1). Not of other counters: enqueued minus dequeued (Velero's podVolume_pod_volume_backup_*)
// is a queue's depth now, back to 0 once it drains. Two selections of one counter (x - x offset 1h,
// one shard's against another's) are no such count. By names only: quiet, as a difference of
// _totals is as often a lag or a level.
void ExprChecks::Impl::counter_difference(const BinaryExpr& cmp, const SeriesInfo& a, const SeriesInfo& b) {
  auto outcome = [](std::string_view name) {
    return std::any_of(std::begin(kOutcomes), std::end(kOutcomes),
                       [&](std::string_view w) { return name.find(w) != std::string_view::npos; });
  };
  if (a.name == b.name || !known_counter(a) || !known_counter(b) || !(outcome(a.name) || outcome(b.name))) return;
  const catalog::Exporter* a_by = declarer(a);
  emit("promql/counter-raw", cmp.range,
       a.name + " and " + b.name + " are counters" + (a_by == declarer(b) ? declared_by(a_by, a.name) : "") +
           ": their raw difference counts since the process started, so as the alert's whole condition, above 0 "
           "holds from the first event " +
           a.name + " counts that " + b.name +
           " never will (a failure) until the process restarts, and the alert keeps firing long after it",
       "compare their increases over a window: increase(" + a.name + "[1h]) - increase(" + b.name + "[1h]) > 0");
}

// A ratio of two raw counters compared with a threshold: the average since the processes
// started (seconds per operation since boot), which a bad hour barely moves, so the alert stays
// silent (awesome-prometheus-alerts 97a31f3: index time over index count). Counters of the
// catalog: a warning; by their names only: info, as for one counter.
void ExprChecks::Impl::counter_ratio(const BinaryExpr& cmp, const RawFlow& flow, bool zero) {
  const SeriesInfo& num = *flow.counter;
  const SeriesInfo& den = *flow.ratio_of;
  const catalog::Exporter* num_by = declarer(num);
  const catalog::Exporter* den_by = declarer(den);
  const bool known = known_counter(num) && known_counter(den);
  if (!known && zero) return;
  // X_sum / X_count: a summary's or histogram's, the mean observation since the start.
  const bool mean = num.name.ends_with("_sum") && den.name.ends_with("_count") &&
                    num.name.substr(0, num.name.size() - 4) == den.name.substr(0, den.name.size() - 6);
  // Two selections of one counter (a CPU mode's seconds over every mode's): named once.
  const bool same = num.name == den.name;
  const std::string by = same || num_by == den_by ? declared_by(num_by, num.name) : "";
  const std::string via = flow.via.empty() ? "" : " through " + flow.via;
  const std::string what = known  ? (same ? " is a counter" : " are counters") + by + ": "
                           : mean ? " are named like a summary's or histogram's sum and count: if they are, "
                           : same ? " is named like a counter: if it is one, "
                                  : " are named like counters: if they are, ";
  self_.emit("promql/counter-raw", cmp.range,
             (same ? "both sides of '/' read " + num.name + " raw" + via + ", and " + num.name
                   : num.name + " and " + den.name + (via.empty() ? "" : ", read raw" + via + ",")) +
                 what +
                 "dividing their raw values gives the average since they began counting, which a burst late in "
                 "a long run barely moves",
             "divide their rates: rate(" + num.name + "[5m]) / rate(" + den.name + "[5m])",
             known ? core::Severity::warning : core::Severity::info);
}

// Compared to find a counter's falls (`delta(x_total[5m]) < 0`, TiKV's `< -10`): the reset is what
// the rule asks for.
bool ExprChecks::Impl::asks_for_falls(const Expr& n, std::span<const Expr* const> path) {
  const auto t = threshold_above(n, path);
  return t && ((t->op == BinaryOp::lss && t->v <= 0) || (t->op == BinaryOp::lte && t->v < 0));
}

// delta(), idelta(), deriv() or predict_linear() of a counter: they take its raw values (the last
// sample minus the first, the last two, a line fitted through them) and know no reset, which
// increase(), irate() and rate() handle. After a restart in the window the counter's fall is in
// the result: velero-mixin's `delta(velero_backup_attempt_total[48h]) <= 0` fired for two days
// after velero restarted with a backup every hour, and `delta(velero_backup_failure_total[5m]) > 0`
// misses a failure counted just after a restart (review34). Prometheus's documentation says these
// functions are for gauges. Compared to find the falls themselves (`delta(x_total[5m]) < 0`, the
// restarts, TiKV's `< -10`) the reset is the question, and that is quiet. Counters of the catalog
// or an exporter's source: a warning; by the name only: info, as for a counter compared raw.
void ExprChecks::Impl::counter_gauge_function(const Call& c, std::span<const Expr* const> path) {
  const Expr* arg = c.args.empty() ? nullptr : unparen(c.args[0]);
  const Expr* inner = !arg                                     ? nullptr
                      : arg->kind == NodeKind::matrix_selector ? arg->as<MatrixSelector>().selector
                      : arg->kind == NodeKind::subquery        ? arg->as<SubqueryExpr>().expr
                                                               : nullptr;
  const RawFlow flow = inner ? raw_flow(inf_, inner) : RawFlow{};
  if (!flow.raw()) return;
  if (asks_for_falls(c, path)) return;
  const SeriesInfo& info = *flow.counter;
  // kube-state-metrics' restart counts start anew only with a new pod, a new series (its uid): no
  // series falls, and delta() is increase() there.
  const catalog::Exporter* by = declarer(info);
  if (by && by->counters_new_series) return;
  const bool known = known_counter(info);
  const std::string window = print(*arg);
  // When the counter starts anew (a restart; for a declared counter, as its exporter says: a pod
  // replaced, PostgreSQL's statistics reset), what the function makes of it, and the function for
  // counters that replaces it.
  const std::string reset = by ? by->counters_until : "the counter starts anew (a restart)";
  const std::string what =
      c.name == "delta" ? "takes the last sample minus the first, so where " + reset +
                              " within the window it subtracts the counter's fall from what was counted"
      : c.name == "idelta"
          ? "takes the last sample minus the one before, so where " + reset +
                " it gives the new count minus the old total"
          : "fits a line through the raw values, so where " + reset + " within the window its slope is pulled down" +
                std::string(c.name == "deriv" ? "" : ", and the prediction with it");
  const std::string fix = c.name == "delta"    ? "use increase(" + window + "), which counts across resets"
                          : c.name == "idelta" ? "use irate(" + window + "), which knows counter resets"
                          : c.name == "deriv"  ? "use rate(" + window + "), the per-second increase across resets"
                                               : "predict from rate(" + window + "), which knows counter resets";
  const std::string through = flow.via.empty() ? "" : " (read raw through " + flow.via + ")";
  self_.emit(
      "promql/counter-raw", c.range,
      c.name + "() of " + info.name + through +
          (known ? ", a counter" + declared_by(by, info.name) + ": " : ", named like a counter: if it is one, ") +
          c.name + "() is for gauges and knows no counter reset: it " + what +
          " (below 0 after the fall of a large total)",
      fix, known ? core::Severity::warning : core::Severity::info);
}

// A counter minus its own value some time before (`x - x offset 10m`): the last reading minus an
// earlier one, which is what delta() takes and knows no reset either. Where the counter starts anew
// between the two readings the difference is the new count minus the old total, below 0, and what
// was counted after the restart is lost: StatCan's Velero rules record
// `velero_backup_failure_total - velero_backup_failure_total offset 10m` and alert above 0, silent
// for a failure in the ten minutes after Velero restarts (proofs/review40.test.yml). increase()
// over the same window counts across the reset (kubevirt da983e4, "handle Prometheus counters
// resets", after cf88061 had recorded `clamp_min(sum(x) - sum(x offset 60m), 0)`). Quiet as for
// delta(): where the rule asks for the falls (< 0), and for kube-state-metrics' restart counts, a
// new series with each pod.
void ExprChecks::Impl::counter_offset_difference(const BinaryExpr& b, std::span<const Expr* const> path) {
  const Expr* l = values_of(b.lhs);
  const Expr* r = values_of(b.rhs);
  if (!l || !r || l->kind != NodeKind::vector_selector || r->kind != NodeKind::vector_selector) return;
  const TimeModifiers& lm = l->as<VectorSelector>().modifiers;
  const TimeModifiers& rm = r->as<VectorSelector>().modifiers;
  // Readings at fixed times (@) or offsets written as expressions: no window to name.
  if (lm.at != AtKind::none || rm.at != AtKind::none || lm.offset_expr || rm.offset_expr ||
      rm.offset_ns <= lm.offset_ns)
    return;
  const RawFlow lf = raw_flow(inf_, l), rf = raw_flow(inf_, r);
  if (!lf.raw() || !rf.raw() || lf.counter->name != rf.counter->name) return;
  const SeriesInfo& info = *lf.counter;
  const catalog::Exporter* by = declarer(info);
  if (by && by->counters_new_series) return;
  if (asks_for_falls(b, path)) return;
  // abs() of the difference asks for a change either way, a level's (Wikimedia's count of image
  // suggestions named _total, >10% off yesterday's): the falls are part of the question.
  if (const Expr* up = parent_of(path); up && up->kind == NodeKind::call && up->as<Call>().name == "abs") return;
  const bool known = known_counter(info);
  const std::string window = promql::format_duration(rm.offset_ns - lm.offset_ns);
  // The later reading as written (its matchers), as increase()'s argument.
  const std::string later = lm.offset_ns == 0 ? print(*l) : info.name;
  const std::string reset = by ? by->counters_until : "the counter starts anew (a restart)";
  self_.emit(
      "promql/counter-raw", b.range,
      info.name + " minus its value " + window + " before" +
          (lf.via.empty() ? "" : " (read raw through " + lf.via + ")") +
          (known ? ", a counter" + declared_by(by, info.name) + ": " : ", named like a counter: if it is one, ") +
          "like delta(), the difference knows no counter reset: where " + reset +
          " between the two readings, it is the new count minus the old total (below 0), and what was "
          "counted after the restart is lost",
      "use increase(" + later + "[" + window + "]), which counts across resets",
      known ? core::Severity::warning : core::Severity::info);
}

} // namespace nsmon::lint
