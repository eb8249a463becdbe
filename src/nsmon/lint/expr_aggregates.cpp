#include "nsmon/lint/expr_checks_impl.hpp"

namespace nsmon::lint {

// `values_used`: values_read() of the aggregation.
void ExprChecks::Impl::aggregate(const AggregateExpr& a, bool reaches_result, bool values_used) {
  if (a.op == AggregateOp::quantile && a.param) quantile_range(a.param, "quantile");
  // topk by (x) (1, ...) keeps one series per group: the standard idiom, stable, not a top set.
  const bool one_per_group = (!a.grouping.empty() || a.without) && a.param && literal(a.param) == 1.0;
  if (self_.in_alert_ && (a.op == AggregateOp::topk || a.op == AggregateOp::bottomk) && !one_per_group &&
      reaches_result)
    emit("alerts/topk", a.range,
         std::string(to_string(a.op)) + " in an alert: which series are in the top set changes between "
                                        "evaluations, so the alert flaps");
  const Shape& in = inf_.at(a.expr);
  if (!in.nan.empty() && !in.nan_aggregated && spreads_nan(a.op) && values_used && !one_series_per_group(a, in)) {
    // One NaN spoils the others only where a group holds several series: known where the
    // aggregation leaves out a label that tells the input's series apart; otherwise a guess.
    const bool several = leaves_out_a_known_label(a, in);
    const std::string op = to_string(a.op);
    self_.emit("promql/nan-in-aggregation", a.range,
               (several ? "" : "if a group of " + op + "() holds several series: ") +
                   (in.nan_inf ? op + "() over values that can be NaN or infinite (" + in.nan +
                                     "): one such series makes the whole result NaN or infinite whatever the others "
                                     "hold; NaN fails every comparison, +Inf passes every >"
                               : op + "() over values that can be NaN (" + in.nan +
                                     "): one such series makes the whole result NaN, and a comparison of NaN is "
                                     "false while it lasts"),
               "aggregate before dividing: sum(rate(a[5m])) / sum(rate(b[5m])), or keep the NaN out: (b > 0)",
               several ? core::Severity::warning : core::Severity::info);
  }
  std::vector<std::string> known(in.labels.begin(), in.labels.end());
  for (const auto& g : a.grouping)
    if (inf_.absent(in, g)) {
      // without (x) of series that have no x removes nothing: harmless, whoever took x off. A
      // name nothing knows may still be a typo of a label that stays.
      if (a.without && (!removed_by(in, g).empty() || in.dropped.count(g))) continue;
      if (std::string why = removed_by(in, g); !why.empty()) {
        emit("labels/removed-label", a.range,
             std::string(a.without ? "without" : "by") + " (" + g + "): the aggregated series have no " + g + ", " +
                 why,
             "keep " + g + " where it is removed, or aggregate by a label that is left");
        continue;
      }
      if (auto d = in.dropped.find(g); d != in.dropped.end()) {
        emit("labels/dropped-by-config", a.range,
             std::string(a.without ? "without" : "by") + " (" + g + "): the aggregated series have no label " + g +
                 ", the config drops it: " + d->second,
             "aggregate by a label the series keep, or stop dropping " + g);
        continue;
      }
      std::string hint = util::did_you_mean(g, known);
      emit("catalog/unknown-label", a.range,
           std::string(a.without ? "without" : "by") + " (" + g + "): the aggregated series have no label " + g,
           hint.empty() ? "" : "did you mean " + hint + "?");
    }
}

// Whether the grouping keeps a label that a selector under the aggregation matches on, other
// than the target's own (job, instance) and the name.
bool ExprChecks::Impl::keeps_a_picked_label(const AggregateExpr& a) const {
  bool found = false;
  walk(*a.expr, [&](const Expr& e, std::span<const Expr* const>) {
    if (e.kind != NodeKind::vector_selector) return true;
    for (const auto& m : e.as<VectorSelector>().matchers)
      found = found || (m.name != "__name__" && m.name != "job" && m.name != "instance" &&
                        std::find(a.grouping.begin(), a.grouping.end(), m.name) != a.grouping.end());
    return !found;
  });
  return found;
}

// Whether the grouping keeps a label that a label_replace under the aggregation makes of the
// instance's host: label_replace(..., "node", "$1", "instance", "(.*):.*") (KubeSphere's etcd
// rules), one value per host.
bool ExprChecks::Impl::keeps_the_host(const AggregateExpr& a) const {
  bool found = false;
  walk(*a.expr, [&](const Expr& e, std::span<const Expr* const>) {
    if (e.kind != NodeKind::call) return true;
    const auto& c = e.as<Call>();
    if (c.name != "label_replace" || c.args.size() != 5) return true;
    auto text = [&](std::size_t i) -> std::string {
      return c.args[i]->kind == NodeKind::string_literal ? c.args[i]->as<StringLiteral>().value : "";
    };
    const std::string re = text(4);
    const bool host = re == "(.*):.*" || re == "(.+):.*" || re == "([^:]+):.*" || re == "([^:]*):.*" ||
                      re == "(.*):[0-9]+" || re == "(.+):[0-9]+" || re == "(.*):\\d+" || re == "(.+):\\d+";
    found = found || (text(3) == "instance" && text(2) == "$1" && host &&
                      std::find(a.grouping.begin(), a.grouping.end(), text(1)) != a.grouping.end());
    return !found;
  });
  return found;
}

// Whether the aggregation groups series that a label every input series carries tells apart
// (sum() of scraped series, which all have instance; avg by (job) of several instances).
bool ExprChecks::Impl::leaves_out_a_known_label(const AggregateExpr& a, const Shape& in) const {
  auto grouped = [&](const std::string& l) {
    return std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end();
  };
  auto left_out = [&](const std::string& l) { return l != "__name__" && grouped(l) == a.without; };
  // A group that keeps the pod keeps one scrape target (bar a pod scraped on two ports):
  // the job and instance it leaves out tell none of its series apart. So does one that keeps
  // the instance and a label its selectors pick the object by (datid!="0": one database of one
  // target), bar a target two jobs scrape; and one that keeps the instance's host, bar two
  // targets of the selected jobs on one host.
  const bool one_target =
      !a.without && (grouped("pod") || (grouped("instance") && keeps_a_picked_label(a)) || keeps_the_host(a));
  auto target_label = [](const std::string& l) { return l == "instance" || l == "job"; };
  // A label with one value on every series (a recording rule's labels:) tells none apart.
  auto one_value = [&](const std::string& l) {
    auto it = in.values.find(l);
    return it != in.values.end() && it->second.size() == 1;
  };
  return std::any_of(in.labels.begin(), in.labels.end(),
                     [&](const std::string& l) {
                       return left_out(l) && Inference::present(in, l) && !(one_target && target_label(l)) &&
                              !one_value(l);
                     }) ||
         std::any_of(in.several.begin(), in.several.end(),
                     [&](const auto& kv) { return left_out(kv.first) && !(one_target && target_label(kv.first)); });
}

// The jobs whose targets may expose a selector's series: those its job matchers accept, else
// the application's jobs for its own metrics; empty when nothing tells (another exporter's
// metric, no config).
std::vector<const rules::ScrapeJob*> ExprChecks::Impl::scraping_jobs(const VectorSelector& vs) const {
  std::vector<const rules::ScrapeJob*> out;
  if (!cfg_) return out;
  bool pinned = false;
  for (const auto& m : vs.matchers) pinned = pinned || m.name == "job";
  SeriesInfo s = inf_.series(vs);
  const bool own = s.origin == SeriesInfo::Origin::catalog && !s.metric->prometheus;
  for (const auto& job : cfg_->jobs) {
    bool ok = true;
    for (const auto& m : vs.matchers)
      if (m.name == "job") ok = ok && labels::matches(m, job.name.value, labels::Dialect::prometheus);
    if (!pinned && own) ok = std::find(cat_.jobs.begin(), cat_.jobs.end(), job.name.value) != cat_.jobs.end();
    if (ok && (pinned || own)) out.push_back(&job);
  }
  // The application under a job name the catalog does not know: any job may scrape it.
  if (out.empty() && own && !pinned)
    for (const auto& job : cfg_->jobs) out.push_back(&job);
  return out;
}

void ExprChecks::Impl::rate_window(const VectorSelector& vs, const Expr* arg) {
  if (!cfg_ || arg->kind != NodeKind::matrix_selector) return;
  const auto& ms = arg->as<MatrixSelector>();
  if (ms.range_expr) return;
  // The window must hold two samples at every job that may scrape the series: the slowest.
  std::int64_t interval = cfg_->scrape_interval_ms;
  std::string source = "the global scrape_interval";
  const auto jobs = scraping_jobs(vs);
  if (!jobs.empty()) {
    const auto* slowest = *std::max_element(
        jobs.begin(), jobs.end(), [](const auto* a, const auto* b) { return a->interval_ms < b->interval_ms; });
    interval = slowest->interval_ms;
    source = "job " + slowest->name.value + "'s scrape_interval";
  }
  std::int64_t range_ms = ms.range_ns / 1000000;
  if (range_ms < 2 * interval)
    emit("config/rate-window", ms.range,
         "a " + text::format_duration(range_ms) + " window holds fewer than two samples at " + source + " of " +
             text::format_duration(interval) + ": rate() will often return nothing",
         "use at least " + text::format_duration(4 * interval));
}

// count() or sum() of what a comparison keeps, compared in an alert so that 0 would pass:
// count() and sum() of nothing are nothing, not 0, so where no series passes the comparison
// there is nothing to compare, and the alert fires while one is left but not when none is
// (Streamhouse's InsufficientAgents, `count(up == 1) < 2`; `sum(up == 1) by (job) < 2` is the
// same count). A sum that the comparison's outcome cannot make true when it exists is
// promql/impossible's (`sum(up == 1) < 1`); a filter that removes nothing its input can hold
// (`up >= 0`) empties nothing. `absent(...) or count(...) < 2` covers the zero case, and so does
// an alert of the group on `absent(...)` of the same comparison. Info: an alert of redundancy may
// leave "none at all" to another alert (every target down).
void ExprChecks::Impl::count_never_zero(const AggregateExpr& a, std::span<const Expr* const> path) {
  const Expr* in = unparen(a.expr);
  const bool count = a.op == AggregateOp::count;
  if (!self_.in_alert_ || (!count && a.op != AggregateOp::sum) || in->kind != NodeKind::binary) return;
  const auto& filter = in->as<BinaryExpr>();
  if (!is_comparison(filter.op) || filter.return_bool) return;
  // Up through arithmetic that has no series where the aggregation has none and is 0 where it
  // is 0: the numerator of a ratio (Pacto's `count(x == 1) / count(x) < 0.9`, silent at 0%
  // compliance), a product, a number added. `(count(x == 1) or vector(0)) / count(x)` stops here.
  const Expr* top = &a;
  std::size_t k = path.size();
  double zero = 0;
  for (; k > 0; --k) {
    const Expr* up = path[k - 1];
    if (up->kind == NodeKind::paren) {
      top = up;
      continue;
    }
    if (up->kind != NodeKind::binary) break;
    const auto& b = up->as<BinaryExpr>();
    const bool left = b.lhs == top;
    const std::optional<double> c = literal(left ? b.rhs : b.lhs);
    // A number keeps the value known; an expression only keeps 0 as 0 (0 / y, 0 * y).
    if ((c && !std::isfinite(*c)) || (!c && zero != 0)) break;
    if (b.op == BinaryOp::div && left && !(c && *c == 0)) zero = c ? zero / *c : zero;
    else if (b.op == BinaryOp::mul) zero = c ? zero * *c : zero;
    else if (b.op == BinaryOp::add && c) zero += *c;
    else if (b.op == BinaryOp::sub && c) zero = left ? zero - *c : *c - zero;
    else break;
    top = up;
  }
  const bool arith = unparen(top) != &a;
  const auto above = threshold_above(*unparen(top), path.first(k));
  if (!above || above->cmp.return_bool) return;
  const BinaryOp op = above->op;
  const double v = above->v;
  auto it = std::find(path.rbegin(), path.rend(), above->node);
  if (count && !arith && !((op == BinaryOp::lss && v > 1) || ((op == BinaryOp::lte || op == BinaryOp::neq) && v >= 1)))
    return;
  if (!count || arith) {
    Shape at_zero;
    at_zero.set_range(zero, zero);
    if (compare(at_zero, op, v) != Verdict::always || compare(inf_.at(unparen(top)), op, v) == Verdict::never) return;
  }
  if (!count) {
    // A threshold the filter's input always passes (up >= 0) removes no series.
    const bool lit_right = literal(filter.rhs).has_value();
    if (const std::optional<double> t = literal(lit_right ? filter.rhs : filter.lhs);
        t && compare(inf_.at(lit_right ? filter.lhs : filter.rhs), lit_right ? filter.op : flip(filter.op), *t) ==
                 Verdict::always)
      return;
  }
  // The comparison decides the alert: above it only parentheses, or and/unless it is the left of.
  for (const Expr* child = *it++; it != path.rend(); child = *it++) {
    const Expr& up = **it;
    const bool filtered_left =
        up.kind == NodeKind::binary && up.as<BinaryExpr>().lhs == child &&
        (up.as<BinaryExpr>().op == BinaryOp::land || up.as<BinaryExpr>().op == BinaryOp::lunless);
    if (up.kind != NodeKind::paren && !filtered_left) return;
  }
  if (self_.absent_alerted(filter.range)) return;
  const bool grouped = a.without || !a.grouping.empty();
  const std::string grouping =
      grouped ? util::concat({a.without ? " without (" : " by (", util::join(a.grouping, ", "), ") "}) : "";
  const std::string kept = print(filter);
  const std::string counted =
      util::concat({print(*filter.lhs), " ", to_string(filter.op), " bool ", print(*filter.rhs)});
  const std::string agg = count ? "count" : "sum";
  // sum() of what `== 1` keeps is a count: the series that fail count as 0 with `bool`.
  const std::optional<double> kept_only = only_value(inf_.at(in));
  const bool counts = count || (kept_only && *kept_only == 1);
  const std::string threshold = util::concat({") ", to_string(op), " ", util::format_number(v)});
  const std::string none = util::concat({agg, "() of nothing is nothing, not 0: where no series ",
                                         grouped ? "of a group " : "", "passes ", kept, ", there is no ", agg});
  if (arith) {
    std::string hint =
        counts
            ? util::concat({"count the series that fail too: sum", grouping, "(", counted, ") in place of ", print(a)})
            : "";
    if (!grouped) hint += util::concat({counts ? ", or " : "cover the zero case: ", "(", print(a), " or vector(0))"});
    else if (!counts) hint = util::concat({"cover the zero case: absent(", kept, ") or ..."});
    emit("alerts/count-never-zero", a.range,
         util::concat({none, ", so ", print(*unparen(top)), " has no value to compare with ", util::format_number(v),
                       ", and the alert is silent there, where 0 would fire it"}),
         hint);
    return;
  }
  // `!= 1` keeps no count of one (review49's OvnNorthdNoActiveInstance, proofs/review49-microovn.test.yml).
  const bool fires_at_one =
      (op == BinaryOp::lss && v > 1) || (op == BinaryOp::lte && v >= 1) || (op == BinaryOp::neq && v != 1);
  emit("alerts/count-never-zero", a.range,
       util::concat({none, " to compare with ", util::format_number(v),
                     !count         ? ", so the alert is silent when none passes, where a sum of 0 would fire it"
                     : fires_at_one ? ", so the alert fires while one is left and is silent when none is"
                                    : ", so the alert is silent when none is, where a count of 0 would fire it"}),
       util::concat({counts ? util::concat({"count the series that fail too: sum", grouping, "(", counted, threshold,
                                            ", or cover"})
                            : "cover",
                     " the zero case: absent(", kept, ") or ..."}));
}

} // namespace nsmon::lint
