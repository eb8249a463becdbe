#include <re2/re2.h>

#include "nsmon/lint/expr_checks_impl.hpp"

namespace nsmon::lint {

const VectorSelector* ExprChecks::Impl::selector_of(const Expr* e) {
  e = unparen(e);
  if (e && e->kind == NodeKind::matrix_selector) e = e->as<MatrixSelector>().selector;
  return e && e->kind == NodeKind::vector_selector ? &e->as<VectorSelector>() : nullptr;
}

// The arithmetic of two vectors, under any scaling by numbers, whose result is a gauge: one side a
// gauge, or a ratio or difference of counters. Its values fall as often as they rise: etcd's mixin
// took increase(((etcd_mvcc_db_total_size_in_bytes/etcd_server_quota_backend_bytes)*100)[240m:1m]),
// and a defragmentation's fall from 80% to 55% read as 55 points of growth (91f8eb1bd). A number on
// one side decides nothing (x_total + 1 still only grows), so the other side is judged alone.
const BinaryExpr* ExprChecks::Impl::gauge_arithmetic(const Expr* e) const {
  e = unparen(e);
  if (e->kind != NodeKind::binary) return nullptr;
  const auto& b = e->as<BinaryExpr>();
  if (b.op != BinaryOp::add && b.op != BinaryOp::sub && b.op != BinaryOp::mul && b.op != BinaryOp::div) return nullptr;
  if (only_value(inf_.at(b.lhs))) return gauge_arithmetic(b.rhs);
  if (only_value(inf_.at(b.rhs))) return gauge_arithmetic(b.lhs);
  // A sum or a product of counters only grows, as they do: there one side must be a gauge.
  const bool grows_with_counters = b.op == BinaryOp::add || b.op == BinaryOp::mul;
  if (grows_with_counters && inf_.at(b.lhs).kind != ValueKind::gauge && inf_.at(b.rhs).kind != ValueKind::gauge)
    return nullptr;
  return inf_.at(e).kind == ValueKind::gauge ? &b : nullptr;
}

namespace {
// The exporter that passes the series a selector picks by an equality matcher on a label on
// untyped as levels (rules/exporters.yml gauges' untyped_by_label), and the matcher as written.
std::pair<const catalog::Exporter*, std::string> untyped_level_of(const VectorSelector& vs, const SeriesInfo& s) {
  if (s.origin != SeriesInfo::Origin::external) return {};
  for (const Matcher& m : vs.matchers)
    if (m.op == MatchOp::equal)
      if (const catalog::Exporter* by = catalog::exporters().untyped_level(s.name, m.name, m.value))
        return {by, m.name + "=\"" + m.value + "\""};
  return {};
}
} // namespace

// Whether n is compared with > 0 or != 0 (either way round): the comparison asks whether the
// value moved at all, not by how much.
bool ExprChecks::Impl::asks_if_changed(const Expr& n, std::span<const Expr* const> path) {
  const auto t = threshold_above(n, path);
  return t && t->v == 0 && (t->op == BinaryOp::gtr || t->op == BinaryOp::neq);
}

void ExprChecks::Impl::call(const Call& c, std::span<const Expr* const> path) {
  if (is_rate_function(c.name) && !c.args.empty()) {
    const Expr* arg = unparen(c.args[0]);
    const std::string gauge_fix =
        c.name == "increase" ? "use delta() for a gauge's change" : "use deriv() for a gauge's slope";
    if (const VectorSelector* vs = selector_of(arg)) {
      SeriesInfo s = inf_.series(*vs);
      const Shape& shape = inf_.at(vs);
      // What an exporter passes on untyped from the system it reads, a level by that system's documentation.
      auto untyped_level = [&](const catalog::Exporter& e) {
        return " passes on untyped from " + e.gauges.untyped_from + ", a level (a value of now): " + c.name +
               " only makes sense for counters (a level's fall reads as a counter's reset)";
      };
      // A histogram's or summary's base name is no series at all (catalog/histogram-base-name), not
      // a gauge.
      if (shape.kind == ValueKind::gauge && s.exists && (s.origin == SeriesInfo::Origin::catalog || s.recorded) &&
          !(s.recorded && s.recorded->shape.aggregated && s.recorded->shape.kind == ValueKind::counter))
        emit("promql/rate-on-gauge", c.range,
             c.name + "() of " + s.name + ", which is a gauge: " + c.name + " only makes sense for counters",
             gauge_fix);
      // A well-known exporter's gauge by its source (rules/exporters.yml: node_exporter's memory,
      // filesystem and load series): awesome-prometheus-alerts 56a7e0d rated
      // node_memory_MemAvailable_bytes, and the "underutilised memory" alert read noise. A start
      // time is left to the words for it below, whoever writes it.
      else if (const catalog::Exporter* by = s.origin == SeriesInfo::Origin::external &&
                                                     shape.kind == ValueKind::gauge &&
                                                     !util::ends_with(s.name, "_start_time_seconds")
                                                 ? catalog::exporters().gauge(s.name)
                                                 : nullptr)
        // mysqld_exporter writes SHOW GLOBAL STATUS untyped; MySQL's manual says which values are
        // of now (awesome-prometheus-alerts 038e467 rated mysql_global_status_threads_running).
        emit("promql/rate-on-gauge", c.range,
             c.name + "() of " + s.name + ", which " + by->name +
                 (catalog::exporters().untyped(s.name)
                      ? untyped_level(*by)
                      : " writes as a gauge: " + c.name +
                            " only makes sense for counters (a gauge's fall reads as a counter's reset)"),
             gauge_fix);
      // A level an exporter passes on untyped under one name beside counts, picked by its label's
      // value (awesome-prometheus-alerts c37ef8f rated mongodb_ss_connections{conn_type="current"},
      // MongoDB's open connections now, and 90% of the connections in use stayed silent).
      else if (const auto [writer, picked] = untyped_level_of(*vs, s); writer)
        emit("promql/rate-on-gauge", c.range,
             c.name + "() of " + s.name + "{" + picked + "}, which " + writer->name + untyped_level(*writer),
             gauge_fix);
      // A start time (process_start_time_seconds, what every client library exports) is a Unix
      // time, set anew at each start: its increase is the seconds between two starts, not a count.
      // It only grows, so compared with > 0 it asks what changes() > 0 asks, and is right
      // (VeltrixDB's VeltrixDBProcessRestarted, review33); > 1 is cortex-jsonnet 14d4ff1's bug.
      else if ((s.origin == SeriesInfo::Origin::external || s.origin == SeriesInfo::Origin::unknown) &&
               util::ends_with(s.name, "_start_time_seconds") && !asks_if_changed(c, path))
        emit("promql/rate-on-gauge", c.range,
             c.name + "() of " + s.name + ", a start time (a gauge): it jumps by the uptime at each restart, so " +
                 c.name + " gives seconds, not a number of restarts",
             "count restarts with changes(" + s.name + "[...])");
      if (s.recorded && s.recorded->shape.aggregated && s.recorded->shape.kind == ValueKind::counter)
        emit("promql/sum-then-rate", c.range,
             c.name + "() of " + s.name + ", a recording rule that aggregates counters: counter resets are lost",
             "record the aggregation of the rate instead (sum(rate(...)))");
      rate_window(*vs, arg);
    } else if (arg->kind == NodeKind::subquery) {
      const Expr* inner = unparen(arg->as<SubqueryExpr>().expr);
      if (inner->kind == NodeKind::aggregate && inf_.at(inner).kind == ValueKind::counter)
        emit("promql/sum-then-rate", c.range,
             c.name + "() over an aggregation of counters: a reset in any series looks like a huge drop",
             "aggregate the rate instead: sum(rate(x[5m]))");
      // A subquery of what a function computes from a window (changes(), avg_over_time(), a
      // rate) goes down as often as up: albatrossflavour's rate(changes(x[...])[1h:5m]) > 10
      // stayed silent at 60 changes an hour.
      else {
        std::string gauge; // what the subquery computes, when it is a gauge
        if (inner->kind == NodeKind::call && inf_.at(inner).kind == ValueKind::gauge)
          gauge = inner->as<Call>().name + "()";
        else if (const BinaryExpr* b = gauge_arithmetic(inner)) gauge = print(*b);
        if (!gauge.empty())
          emit("promql/rate-on-gauge", c.range,
               c.name + "() over a subquery of " + gauge + ", which is a gauge: " + c.name +
                   " reads each drop as a counter reset",
               gauge_fix);
      }
    }
  }
  if (c.name == "delta" || c.name == "idelta" || c.name == "deriv" || c.name == "predict_linear")
    counter_gauge_function(c, path);
  if (c.name == "timestamp" && c.args.size() == 1) timestamp_of_time(c);
  if (c.name == "sum_over_time" && c.args.size() == 1) sum_of_times(c, c.args[0], path);
  if (c.name == "label_replace" && c.args.size() == 5) label_replace_no_match(c), label_replace_unwritten(c);
  if (c.name == "histogram_quantile" && c.args.size() == 2) histogram_quantile(c);
  if ((c.name == "histogram_quantile" || c.name == "quantile_over_time") && !c.args.empty())
    quantile_range(c.args[0], c.name);
}

// label_replace(v, dst, replacement, src, regex) whose regex accepts none of the values that a
// well-known exporter writes in src on every series of v (rules/exporters.yml: a closed set, or
// decimal numbers), nor the empty value of a series without src: it changes no series, and what
// reads dst finds v's own values. node_exporter's compatibility rules matched "cpu(.+)" against
// 0.16.0's cpu="0" from v1.0.0 to v1.3.1 (cee3866), so the old cpu="cpu0" was never made.
void ExprChecks::Impl::label_replace_no_match(const Call& c) {
  const Expr* src = unparen(c.args[3]);
  const Expr* re = unparen(c.args[4]);
  if (src->kind != NodeKind::string_literal || re->kind != NodeKind::string_literal) return;
  promql::Matcher m;
  m.name = src->as<StringLiteral>().value;
  m.op = MatchOp::regex;
  m.value = re->as<StringLiteral>().value;
  if (m.name.empty() || promql::matches_empty(m)) return;
  // Every selector under v reads such a metric, and nothing under it writes src anew.
  std::string why;
  bool known = true;
  walk(*c.args[0], [&](const Expr& n, auto) {
    if (n.kind == NodeKind::call && (n.as<Call>().name == "label_replace" || n.as<Call>().name == "label_join"))
      known = false;
    if (!known || n.kind != NodeKind::vector_selector) return known;
    const auto& vs = n.as<VectorSelector>();
    const catalog::ExporterMetric* metric = inf_.series(vs).origin == SeriesInfo::Origin::external
                                                ? catalog::exporters().find(promql::metric_name(vs))
                                                : nullptr;
    const catalog::ExporterLabel* l = metric ? metric->label(m.name) : nullptr;
    std::string refused = l ? exporter_refuses(*metric, *l, m) : "";
    known = !refused.empty();
    if (known && why.empty()) why = std::move(refused);
    return known;
  });
  if (!known || why.empty()) return;
  emit("exporters/label-replace-no-match", c.range,
       util::concat({"label_replace changes no series: ", why, ", nor the empty value of a series without ", m.name}),
       "write a regex that matches the values the exporter writes");
}

// label_replace(v, dst, replacement, src, regex) whose replacement reads the regex's groups, where
// src is a label a well-known exporter never writes on the series of v (a closed exporter's label
// that their metric does not list, Shape::unwritten): the regex meets only the empty value, and every
// series gets the replacement with its groups empty. kube-prometheus e1ed501 read alertmanager on
// prometheus_operator_spec_replicas, the label of the name prometheus-operator 0.24.0 replaced, and
// made service="alertmanager-" of every series.
void ExprChecks::Impl::label_replace_unwritten(const Call& c) {
  const Expr* dst = unparen(c.args[1]);
  const Expr* repl = unparen(c.args[2]);
  const Expr* src = unparen(c.args[3]);
  const Expr* re = unparen(c.args[4]);
  for (const Expr* a : {dst, repl, src, re})
    if (a->kind != NodeKind::string_literal) return;
  const std::string& label = src->as<StringLiteral>().value;
  const std::string& replacement = repl->as<StringLiteral>().value;
  const Shape& s = inf_.at(c.args[0]);
  if (label.empty() || replacement.find('$') == std::string::npos || !s.unwritten.count(label) || s.labels.count(label))
    return;
  // What every series gets: the replacement with the groups of the regex matching the empty value.
  const RE2& regex = labels::regex(re->as<StringLiteral>().value, labels::Dialect::prometheus);
  const std::optional<std::string> every = regex.ok() ? labels::replaced(regex, "", replacement) : std::nullopt;
  if (!every) return;
  // The metric to name: the first selector under v of an exporter that lacks the label.
  const catalog::ExporterMetric* metric = nullptr;
  walk(*c.args[0], [&](const Expr& n, auto) {
    if (n.kind != NodeKind::vector_selector || metric) return !metric;
    const catalog::ExporterMetric* x = catalog::exporters().find(promql::metric_name(n.as<VectorSelector>()));
    if (x && x->exporter->closed && !x->label(label)) metric = x;
    return !metric;
  });
  if (!metric) return;
  const catalog::Exporter& e = *metric->exporter;
  std::vector<std::string> has;
  for (const auto& l : metric->labels) has.push_back(l.name);
  emit("exporters/label-replace-unwritten", c.range,
       util::concat({"label_replace reads ", label, ", a label ", e.name, " never writes on ", metric->name,
                     " (its source at ", e.version, "): the regex meets only the empty value, and every series gets ",
                     dst->as<StringLiteral>().value, "=\"", *every, "\""}),
       has.empty() ? std::string("read a label the series carry")
                   : util::concat({"read a label ", metric->name, " carries (", util::join(has, ", "), ")"}));
}

// Whether a metric's name says its value is a Unix time: _timestamp_seconds, a start or boot
// time, the time of a last event (thanos_sidecar_last_heartbeat_success_time_seconds,
// kube_cronjob_status_last_schedule_time), kube-state-metrics' creation times (kube_pod_created).
bool ExprChecks::Impl::named_like_unix_time(std::string_view n) {
  if (util::ends_with(n, "_timestamp_seconds") || util::ends_with(n, "_timestamp")) return true;
  if (n == "node_time_seconds" || util::ends_with(n, "_start_time_seconds") || util::ends_with(n, "_boot_time_seconds"))
    return true;
  if (n.find("_last_") != std::string_view::npos &&
      (util::ends_with(n, "_time_seconds") || util::ends_with(n, "_time")))
    return true;
  return n.starts_with("kube_") && util::ends_with(n, "_created");
}

// timestamp() of a series whose value is a Unix time is when its sample was taken (its scrape),
// not the time the value holds: Thanos' mixin read time() - timestamp(
// thanos_sidecar_last_heartbeat_success_time_seconds) as the heartbeat's age, which stays under
// the scrape interval while the sidecar is scraped, healthy or not, and the alert never fired.
// Not where the expression reads the value too: timestamp(node_time_seconds) - node_time_seconds
// is a clock's skew, timestamp(x_timestamp) - x_timestamp the value's age at the scrape.
void ExprChecks::Impl::timestamp_of_time(const Call& c) {
  const Expr* arg = unparen(c.args[0]);
  if (arg->kind != NodeKind::vector_selector) return;
  const std::string& name = metric_name(arg->as<VectorSelector>());
  if (!named_like_unix_time(name)) return;
  bool value_read = false;
  walk(*root_, [&](const Expr& e, std::span<const Expr* const> path) {
    if (e.kind != NodeKind::vector_selector || metric_name(e.as<VectorSelector>()) != name) return true;
    auto parent = std::find_if(path.rbegin(), path.rend(), [](const Expr* p) { return p->kind != NodeKind::paren; });
    if (parent == path.rend() || (*parent)->kind != NodeKind::call || (*parent)->as<Call>().name != "timestamp")
      value_read = true;
    return true;
  });
  if (value_read) return;
  emit("promql/timestamp-of-time", c.range,
       util::concat({"timestamp() of ", name, " is when its sample was taken (its scrape), not the Unix time ",
                     "its value holds (named like one): it moves with every scrape whatever the value is"}),
       util::concat({"read the value: time() - ", name, " is the age of the time it holds"}));
}

// The series whose Unix time `e` holds: a selector named like one or that a well-known exporter
// documents as one (rules/exporters.yml `timestamps`), timestamp() of a selector, or the latest,
// earliest or last value of one over a range; "" when `e` is not known to be a time.
std::string ExprChecks::Impl::unix_time_of(const Expr* e) {
  e = unparen(e);
  if (e->kind == NodeKind::matrix_selector) e = e->as<MatrixSelector>().selector;
  if (e->kind == NodeKind::vector_selector) {
    const std::string& name = metric_name(e->as<VectorSelector>());
    return named_like_unix_time(name) || catalog::exporters().timestamp(name) ? name : std::string();
  }
  if (e->kind != NodeKind::call) return {};
  const auto& c = e->as<Call>();
  if (c.args.size() != 1) return {};
  if (c.name == "timestamp") {
    const Expr* a = unparen(c.args[0]);
    return a->kind == NodeKind::vector_selector ? "timestamp(" + metric_name(a->as<VectorSelector>()) + ")"
                                                : std::string();
  }
  if (c.name == "last_over_time" || c.name == "max_over_time" || c.name == "min_over_time")
    return unix_time_of(c.args[0]);
  return {};
}

// Whether `n` is read as a time: subtracted from time() or a Unix time, or compared with one
// (time() - x, x < time() - 3600, time() - x / 1000). A comparison with a number is not (sum(x) > 0 asks whether a
// series exists), nor a difference of two sums.
bool ExprChecks::Impl::read_as_time(const Expr& n, std::span<const Expr* const> path) {
  const Expr* child = &n;
  auto parent = path.rbegin();
  // Through parentheses and a change of unit (milliseconds to seconds: sum(x) / 1000); not a
  // division by another number (sum(x) / 2, the mean of two series written out).
  auto scaled = [&](const Expr* p) {
    if (p->kind != NodeKind::binary) return false;
    const auto& s = p->as<BinaryExpr>();
    const auto v = s.lhs == child ? literal(s.rhs) : std::nullopt;
    return (s.op == BinaryOp::div || s.op == BinaryOp::mul) && v && (*v == 1e3 || *v == 1e6 || *v == 1e9);
  };
  for (; parent != path.rend() && ((*parent)->kind == NodeKind::paren || scaled(*parent)); ++parent) child = *parent;
  if (parent == path.rend() || (*parent)->kind != NodeKind::binary) return false;
  const auto& b = (*parent)->as<BinaryExpr>();
  if (b.op != BinaryOp::sub && !(is_comparison(b.op) && !b.return_bool)) return false;
  // A time: time(), a Unix time, or one moved by a duration (time() - 3600); not a difference of
  // two times, a duration.
  auto time_valued = [](const Expr* e, auto& self) -> bool {
    e = unparen(e);
    if (e->kind == NodeKind::call && e->as<Call>().name == "time") return true;
    if (!unix_time_of(e).empty()) return true;
    if (e->kind != NodeKind::binary) return false;
    const auto& x = e->as<BinaryExpr>();
    if (x.op == BinaryOp::add) return self(x.lhs, self) != self(x.rhs, self);
    return x.op == BinaryOp::sub && self(x.lhs, self) && !self(x.rhs, self);
  };
  return time_valued(b.lhs == child ? b.rhs : b.lhs, time_valued);
}

// sum() or sum_over_time() of a Unix time read as a time: a sum of several times is no time
// (two of 2026 add up to one past 2080), so time() minus it is below 0, and an age compared
// `> N` never holds (proofs/sum-of-times). Understack's CnpgLastBackupTooOld, time() - sum by
// (namespace) (barman_..._last_available_backup_timestamp), stayed silent with three pods
// however old the backup (review31). Said for sure where a group holds several series (a range
// of two scrapes or more holds as many samples), as a condition where nothing says, and not
// where each group is one series. max() or min() is what is meant.
void ExprChecks::Impl::sum_of_times(const Expr& n, const Expr* arg, std::span<const Expr* const> path) {
  const std::string time = unix_time_of(arg);
  if (time.empty() || !read_as_time(n, path)) return;
  std::string what, fix;
  bool sure = true;
  if (n.kind == NodeKind::aggregate) {
    const auto& a = n.as<AggregateExpr>();
    const Shape& in = inf_.at(a.expr);
    auto left_out = [&](const std::string& l) {
      return l != "__name__" && a.without == (std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end());
    };
    // Each group is one series where the aggregation keeps every label: without (), a by of
    // every label the series carry, or of every label a well-known exporter writes on them or
    // names its object by (the rest name the target: sum by (namespace, cronjob) of
    // kube-state-metrics' series takes off job and instance, a common way to drop them).
    const VectorSelector* vs = nullptr;
    walk(*a.expr, [&](const Expr& e, std::span<const Expr* const>) {
      if (e.kind == NodeKind::vector_selector && !vs) vs = &e.as<VectorSelector>();
      return !vs;
    });
    auto keeps = [&](const auto& labels, auto name) {
      return std::none_of(labels.begin(), labels.end(), [&](const auto& l) { return left_out(name(l)); });
    };
    const catalog::ExporterMetric* known = vs ? catalog::exporters().find(metric_name(*vs)) : nullptr;
    const catalog::ExporterFamily* family = vs ? catalog::exporters().family(metric_name(*vs)) : nullptr;
    if ((a.without && a.grouping.empty()) || one_series_per_group(a, in) ||
        (known && known->exporter->closed && keeps(known->labels, [](const auto& l) { return l.name; })) ||
        (family && keeps(family->labels, [](const std::string& l) { return l; })))
      return;
    // Said for sure only where a label left out is known to tell series apart (a regex matcher
    // that accepts several values, pod=~"db-.*"): an exporter's other labels may not (a
    // certificate's issuer), nor the target's job.
    sure = std::any_of(in.several.begin(), in.several.end(), [&](const auto& kv) { return left_out(kv.first); });
    std::string head = "sum";
    if (a.without || !a.grouping.empty())
      head += std::string(a.without ? " without (" : " by (") + util::join(a.grouping, ", ") + ")";
    what = head + " adds up " + time + ", a Unix time, over the series of each group";
    fix = "take the latest with max" + head.substr(3) + " (...), or the earliest with min";
  } else {
    const Expr* m = unparen(arg);
    if (m->kind != NodeKind::matrix_selector) return;
    const std::int64_t scrape = (cfg_ ? cfg_->scrape_interval_ms : 60000) * std::int64_t{1000000};
    if (m->as<MatrixSelector>().range_ns < 2 * scrape) return;
    what = "sum_over_time() adds up " + time + ", a Unix time, over the samples of its range (one a scrape)";
    fix = "take the latest with last_over_time() or max_over_time()";
  }
  self_.emit("units/sum-of-times", n.range,
             util::concat({sure ? "" : "if a group holds several series: ", what,
                           ", and the sum is read as a time: two Unix times or more add up to one decades after "
                           "now, so time() minus the sum is below 0 (an age compared `> N` never holds) and the "
                           "sum minus time() is decades"}),
             fix, sure ? core::Severity::warning : core::Severity::info);
}

namespace {

// The state a kube-state-metrics container gauge is named for ("running" for
// kube_pod_container_status_running), or "": pod.go at c92fe0c5 writes each of these for every
// container of a pod, boolFloat64 of the state, so a container not in it has a series of 0.
std::string container_state(std::string_view name) {
  for (const std::string_view prefix : {"kube_pod_container_status_", "kube_pod_init_container_status_"})
    if (name.starts_with(prefix))
      for (const std::string_view state : {"ready", "running", "terminated", "waiting"})
        if (name.substr(prefix.size()) == state) return std::string(state);
  return {};
}

} // namespace

// count() of kube-state-metrics' state series counts every object with a series for the state,
// 0 or 1: those not in it too (ceph-mixins' CephMonQuorumLost counted failed monitors as
// Running, and never fired). Said where the count is compared with a number, as a condition on
// the state is; a count of every object is an idiom elsewhere (the denominator of a share).
// So too its container gauges, one series per container, 0 or 1: NAV's amplitude-proxy alerted on
// count(kube_pod_container_status_running{container="amplitude-proxy"}) < 2, silent with both
// containers crashing (review35).
void ExprChecks::Impl::state_count(const AggregateExpr& a, std::span<const Expr* const> path) {
  const Expr* in = unparen(a.expr);
  if (a.op != AggregateOp::count || in->kind != NodeKind::vector_selector) return;
  const auto& vs = in->as<VectorSelector>();
  const std::string state = container_state(metric_name(vs));
  if (!kube_state_series(vs) && state.empty()) return;
  const auto t = threshold_above(a, path);
  if (!t || t->cmp.return_bool) return;
  // A comparison that tells no count of 1 or more from another (== 0, > 0) asks whether any
  // container has a series at all (sapcc's cronus, count(x) == 0 beside x == 0): every container
  // counts there, as meant.
  if (!state.empty() && holds(t->op, 1, t->v) == holds(t->op, 1e9, t->v)) return;
  emit("promql/count-of-states", a.range,
       state.empty()
           ? util::concat({"count() of ", metric_name(vs),
                           ", named like a kube-state-metrics state series (a series for every object and state: 1 "
                           "where it holds, 0 elsewhere), counts the objects not in that state too"})
           : util::concat({"count() of ", metric_name(vs),
                           ", kube-state-metrics' series for every container (1 while it is ", state,
                           ", 0 otherwise), counts the containers that are not ", state, " too"}),
       util::concat({"add them up: sum(", print(vs), ") counts the objects in the state, and is 0 when none is"}));
}

// What absent()'s argument reads: scraped series go stale at one missed scrape; up and the
// other series Prometheus writes for every scrape, failed or not, only when the target leaves.
// Not through a range of three scrape intervals or more (absent(last_over_time(x[2h]))): a range
// skips staleness markers, and one missed scrape or evaluation leaves it two samples or more,
// so it waits as a for: would (Tanguille's HermesCronExporterAbsent, proofs/review29-hermes).
void ExprChecks::Impl::absent_reads(const Call& c) {
  const std::int64_t waits = 3 * (cfg_ ? cfg_->scrape_interval_ms : 60000) * std::int64_t{1000000};
  for (const Expr* a : c.args)
    walk(*a, [&](const Expr& e, std::span<const Expr* const>) {
      if (e.kind == NodeKind::matrix_selector) return e.as<MatrixSelector>().range_ns < waits;
      if (e.kind == NodeKind::subquery) return e.as<SubqueryExpr>().range_ns < waits;
      if (e.kind != NodeKind::vector_selector) return true;
      const std::string& name = metric_name(e.as<VectorSelector>());
      self_.uses_absent_ = true;
      if (name != "up" && !name.starts_with("scrape_")) self_.absent_stale_ = true;
      return true;
    });
}

// A range, step or offset written as a number ([10]): since 2.54 Prometheus reads the seconds,
// before it refused the rule file. Whichever runs it, the author rarely meant seconds
// (awesome-prometheus-alerts' [10] was to be 10 minutes): the unit says what was meant.
void ExprChecks::Impl::unitless(const Expr& n, bool written_unitless, std::string_view what, std::int64_t ns) {
  if (!written_unitless) return;
  const std::string seconds = text::go::format_float_v(static_cast<double>(ns) / 1e9);
  const std::string as = text::format_duration(ns / 1000000);
  const std::string written = what == "range" ? "range [" + seconds + "]" : std::string(what) + " " + seconds;
  emit("promql/duration-unit", n.range,
       util::concat({"the ", written, " has no unit: Prometheus 2.54 and later read it as seconds (", as,
                     "), earlier versions refuse the rule file (\"missing unit character in duration\")"}),
       util::concat({"write the unit: ", as, " if seconds were meant"}));
}

// The other side of the same change (prometheus/prometheus#9138, released in 2.54.0 on 2024-08-09):
// a number written as a duration (`> 3h`, openstreetmap/chef 7dade8a^) is read as its seconds
// since 2.54, and refused before it ("unexpected duration"), which fails the whole rule file. A
// change of the last kOldChangeYears may still be ahead of a deployment that upgrades with its
// distribution (Debian 12 ships 2.42), so while it is that young the finding is a warning; the
// number of seconds works on every version. Durations inside a duration expression
// (`[5m + step()]`) are durations, not numbers.
void ExprChecks::Impl::duration_number(const NumberLiteral& nl, std::span<const Expr* const> path) {
  if (!nl.duration ||
      std::any_of(path.begin(), path.end(), [](const Expr* e) { return e->kind == NodeKind::duration; }))
    return;
  const std::string written = text::format_duration(static_cast<std::int64_t>(nl.value * 1000));
  const std::string seconds = util::format_number(nl.value);
  const core::Severity severity = catalog::exporters().age("2024-08-09") >= catalog::kOldChangeYears
                                      ? core::Severity::info
                                      : core::Severity::warning;
  self_.emit("promql/duration-unit", nl.range,
             util::concat({"a duration (", written, ") where a number goes: Prometheus 2.54 and later read it as ",
                           seconds, " (its seconds), earlier versions refuse the rule file (\"unexpected duration\")"}),
             util::concat({"write ", seconds, ", which every version reads"}), severity);
}

void ExprChecks::Impl::quantile_range(const Expr* arg, const std::string& what) {
  auto v = literal(arg);
  if (v && (*v < 0 || *v > 1))
    emit("promql/quantile-range", arg->range,
         what + " takes a quantile between 0 and 1; " + util::format_number(*v) + " gives " +
             (*v > 1 ? "+Inf" : "-Inf") + " for every series",
         *v > 1 && *v <= 100 ? "write " + util::format_number(*v / 100) : "");
}

void ExprChecks::Impl::histogram_quantile(const Call& c) {
  // Walk down the second argument: what lies between histogram_quantile and the selector.
  // Only classic buckets carry le: a native histogram (a series not named _bucket, which rules
  // read as histogram_quantile(0.99, sum by (job) (rate(x[5m])))) has its buckets inside each
  // sample, so its aggregation keeps no le. VictoriaMetrics' buckets carry vmrange instead.
  bool rate_seen = false, le_lost = false, aggregated = false, classic = false;
  const Expr* lost_at = nullptr;
  std::vector<const Expr*> stack{c.args[1]};
  while (!stack.empty()) {
    const Expr* e = unparen(stack.back());
    stack.pop_back();
    if (!e) continue;
    if (e->kind == NodeKind::aggregate) {
      const auto& a = e->as<AggregateExpr>();
      auto keeps = [&](const char* l) {
        bool listed = std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end();
        return listed != a.without;
      };
      bool keeps_le = keeps("le") || (!a.without && keeps("vmrange"));
      if (!keeps_le && !le_lost) le_lost = true, lost_at = e;
      aggregated = true;
      stack.push_back(a.expr);
      continue;
    }
    if (e->kind == NodeKind::call) {
      const auto& f = e->as<Call>();
      if (is_rate_function(f.name)) {
        // Only what is inside matters from here: a rate'd bucket is fine.
        if (const VectorSelector* vs = selector_of(f.args.empty() ? nullptr : f.args[0])) {
          bucket(*vs, true, aggregated, c);
          classic = classic || classic_bucket(*vs);
        }
        rate_seen = true;
        continue;
      }
      for (const Expr* a : f.args) stack.push_back(a);
      continue;
    }
    if (e->kind == NodeKind::binary) {
      // Only the side whose labels the result keeps holds the buckets: the left one of a
      // one-to-one, group_left or and/unless match, the right one of group_right, the vector
      // of a vector/scalar pair, both of or. The other side's aggregation (a join's
      // `max by (instance, node) (info)`) needs no le.
      const auto& b = e->as<BinaryExpr>();
      const VectorMatching* vm = b.matching();
      bool left = b.lhs->type != ValueType::scalar, right = b.rhs->type != ValueType::scalar;
      if (vm && b.op != BinaryOp::lor) {
        left = vm->card != Cardinality::one_to_many;
        right = !left;
      }
      if (left) stack.push_back(b.lhs);
      if (right) stack.push_back(b.rhs);
      continue;
    }
    if (e->kind == NodeKind::vector_selector) {
      bucket(e->as<VectorSelector>(), rate_seen, aggregated, c);
      classic = classic || classic_bucket(e->as<VectorSelector>());
    }
  }
  if (le_lost && classic)
    emit("promql/histogram-quantile-le", lost_at->range,
         "histogram_quantile needs the le label, but this aggregation drops it",
         "aggregate with by (le, ...) or without (...) not listing le");
}

// Whether a selector reads classic histogram buckets, whose le an aggregation must keep: the
// catalog's _bucket series, a recording rule's series with le or of buckets by its name
// (job:x_bucket:rate5m), or another exporter's _bucket.
bool ExprChecks::Impl::classic_bucket(const VectorSelector& vs) const {
  SeriesInfo s = inf_.series(vs);
  if (s.origin == SeriesInfo::Origin::recording)
    return s.recorded->shape.labels.count("le") > 0 || s.name.find("_bucket") != std::string::npos;
  if (s.origin == SeriesInfo::Origin::catalog) return s.suffix == "_bucket";
  return util::ends_with(s.name, "_bucket");
}

void ExprChecks::Impl::bucket(const VectorSelector& vs, bool rated, bool aggregated, const Call& hq) {
  SeriesInfo s = inf_.series(vs);
  if (s.origin == SeriesInfo::Origin::catalog && s.exists && s.suffix != "_bucket") {
    emit("promql/histogram-quantile-series", vs.range,
         "histogram_quantile over " + s.name + ", which is not a histogram's _bucket series",
         s.metric->type == catalog::MetricType::histogram ? "use " + s.metric->name + "_bucket" : "");
    return;
  }
  if (s.origin == SeriesInfo::Origin::recording && !s.recorded->shape.labels.count("le") &&
      s.recorded->shape.labels_known) {
    emit("promql/histogram-quantile-le", vs.range, "recording rule " + s.name + " has no le label");
    return;
  }
  bool is_bucket = (s.origin == SeriesInfo::Origin::catalog && s.suffix == "_bucket") ||
                   (s.origin != SeriesInfo::Origin::recording && util::ends_with(s.name, "_bucket"));
  if (!is_bucket || rated) return;
  const std::string lacks = aggregated ? "" : ", with no rate() and no sum by (le)";
  const std::string suggestion = "histogram_quantile(φ, sum by (le) (rate(" + s.name + "[5m])))";
  if (s.origin == SeriesInfo::Origin::catalog) {
    emit("promql/histogram-quantile-rate", hq.range,
         "histogram_quantile over the raw cumulative " + s.name + " counters" + lacks +
             ": the answer covers the whole lifetime of the process, not recent observations",
         suggestion);
    return;
  }
  // Only the name says cumulative buckets, and a convention is no fact: exporters write other
  // things under it (aerospike-prometheus-exporter's aerospike_latencies_read_ms_bucket is the
  // server's last latency slice, in operations per second per le). Unless the expression itself
  // rates the histogram (Thanos's `histogram_quantile(0.99, sum by (job, le) (x_bucket)) > 90 and
  // sum by (job) (rate(x_bucket[5m])) > 0`): said as a guess, at info, as promql/counter-raw says
  // a counter named so.
  const std::string_view base = std::string_view(s.name).substr(0, s.name.size() - 7);
  if (family_rated(base)) {
    emit("promql/histogram-quantile-rate", hq.range,
         "histogram_quantile over the raw cumulative " + s.name + " counters" + lacks +
             " (the expression rates the same histogram elsewhere): the answer covers the whole lifetime of the "
             "process, not recent observations",
         suggestion);
    return;
  }
  self_.emit("promql/histogram-quantile-rate", hq.range,
             "histogram_quantile over the raw " + s.name + lacks +
                 ", named like a histogram's cumulative buckets: if they are, the answer covers the whole "
                 "lifetime of the process, not recent observations",
             suggestion, core::Severity::info);
}

// Whether the expression reads the histogram `base` (its _bucket, _count or _sum series) through
// rate(), irate() or increase(): whoever wrote it takes them for counters.
bool ExprChecks::Impl::family_rated(std::string_view base) const {
  bool found = false;
  promql::walk(*root_, [&](const Expr& n, std::span<const Expr* const>) {
    if (found) return false;
    if (n.kind != NodeKind::call || !is_rate_function(n.as<Call>().name)) return true;
    const auto& f = n.as<Call>();
    if (const VectorSelector* vs = selector_of(f.args.empty() ? nullptr : f.args[0])) {
      const std::string& name = promql::metric_name(*vs);
      for (std::string_view suffix : {"_bucket", "_count", "_sum"})
        if (name.size() == base.size() + suffix.size() && name.starts_with(base) && name.ends_with(suffix))
          found = true;
    }
    return !found;
  });
  return found;
}

} // namespace nsmon::lint
