#include "nsmon/lint/cost.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory_resource>
#include <set>

#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/expr_checks.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promql/functions.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::lint {

using namespace promql;

namespace {

// Distinct values per label, for the few labels a node's series carry: a flat list whose names
// view the catalog, the rules and the expression, which all outlive an estimate (a map of owned
// names cost a third of the estimate's instructions in allocations).
using LabelCounts = std::vector<std::pair<std::string_view, double>>;

LabelCounts::iterator find(LabelCounts& values, std::string_view label) {
  return std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == label; });
}

// The count of `label`, made (as 0) if missing.
double& slot(LabelCounts& values, std::string_view label) {
  auto it = find(values, label);
  return it != values.end() ? it->second : values.emplace_back(label, 0).second;
}

} // namespace

// A node's estimate on the way up the tree.
struct CostModel::Node {
  double series = 0, samples = 0, read = 0;
  bool known = true;
  bool scalar = false;
  std::int64_t interval_ms = 0; ///< a selector's: how often its series gain a sample
  LabelCounts values;           ///< distinct values of the labels its series carry
};

namespace {

constexpr std::int64_t kDefaultInterval = 60000; // Prometheus's scrape and evaluation default

double values_of(LabelCounts& values, std::string_view label) {
  auto it = find(values, label);
  return it == values.end() ? 1 : it->second;
}

// How many of a label's values a matcher leaves: one for an equality, the fixed values it
// accepts, all of them otherwise.
double narrowed(const catalog::Label* l, const Matcher& m, double all) {
  if (m.op == MatchOp::equal) return 1;
  if (!l || l->values.empty()) return all;
  double n = 0;
  for (const auto& v : l->values) n += labels::matches(m, v, labels::Dialect::prometheus) ? 1 : 0;
  return std::max(1.0, n);
}

// Whether the `le` matchers keep a bucket bound, as its label reads on the wire.
bool bucket_selected(const VectorSelector& vs, double bound) {
  const std::string le = le_label(bound);
  for (const auto& m : vs.matchers)
    if (m.name == "le" && !labels::matches(m, le, labels::Dialect::prometheus)) return false;
  return true;
}

} // namespace

std::int64_t CostModel::interval_of(const rules::Group& g) const {
  if (g.interval && g.interval->ms > 0) return g.interval->ms;
  return cfg_ ? cfg_->evaluation_interval_ms : kDefaultInterval;
}

// Where a selector's series come from: the job it pins, else the application's jobs in the config
// (Prometheus's own series, such as up: every job), else the config's global interval; a target
// count of static_configs (a job found by service discovery counts one target).
CostModel::Scrape CostModel::scrape_of(const VectorSelector& vs, bool every_job) const {
  if (!cfg_) return {kDefaultInterval, 1};
  std::string pinned;
  for (const auto& m : vs.matchers)
    if (m.name == "job" && m.op == MatchOp::equal) pinned = m.value;
  Scrape all{0, 0};
  for (const auto& job : cfg_->jobs) {
    const double targets = std::max<double>(1, static_cast<double>(job.targets.size()));
    if (!pinned.empty()) {
      if (job.name.value == pinned) return {job.interval_ms, targets};
      continue;
    }
    if (!every_job && std::find(cat_.jobs.begin(), cat_.jobs.end(), job.name.value) == cat_.jobs.end()) continue;
    if (all.interval_ms == 0 || job.interval_ms < all.interval_ms) all.interval_ms = job.interval_ms;
    all.targets += targets;
  }
  if (all.interval_ms == 0) return {cfg_->scrape_interval_ms, 1};
  return all;
}

CostModel::Node CostModel::selector(const VectorSelector& vs) const {
  Node n;
  const std::string& name = metric_name(vs);
  if (auto r = recorded_.find(name); r != recorded_.end()) {
    for (const auto& [label, count] : r->second.values) n.values.emplace_back(label, count);
    n.series = r->second.series;
    n.interval_ms = r->second.interval_ms;
    for (const auto& m : vs.matchers)
      if (auto v = find(n.values, m.name); v != n.values.end() && m.name != "__name__") {
        n.series /= v->second;
        v->second = narrowed(nullptr, m, v->second);
        n.series *= v->second;
      }
    n.samples = n.read = n.series;
    return n;
  }
  auto ref = cat_.resolve(name);
  if (!ref || !ref->metric) {
    n.known = false;
    return n;
  }
  const Scrape from = scrape_of(vs, ref->metric->prometheus);
  n.interval_ms = from.interval_ms;
  n.series = from.targets;
  n.values.reserve(ref->metric->labels.size() + 2); // instance, the metric's labels, le: one allocation
  slot(n.values, "instance") = from.targets;
  for (const auto& m : vs.matchers)
    if (m.name == "instance" && m.op == MatchOp::equal) n.series = slot(n.values, "instance") = 1;
  for (const auto& l : ref->metric->labels) {
    double all = l.high_cardinality ? kHighCardinality : std::max<double>(1, static_cast<double>(l.values.size()));
    for (const auto& m : vs.matchers)
      if (m.name == l.name) all = std::min(all, narrowed(&l, m, all));
    slot(n.values, l.name) = all;
    n.series *= all;
  }
  if (ref->suffix == "_bucket") {
    // Every bound and +Inf, unless `le` matchers pick some (the bounds are formatted only then).
    const auto& bounds = ref->metric->buckets;
    double le = static_cast<double>(bounds.size()) + 1;
    if (std::any_of(vs.matchers.begin(), vs.matchers.end(), [](const Matcher& m) { return m.name == "le"; })) {
      le = bucket_selected(vs, std::numeric_limits<double>::infinity()) ? 1 : 0;
      for (double b : bounds) le += bucket_selected(vs, b) ? 1 : 0;
    }
    n.series *= slot(n.values, "le") = std::max(1.0, le);
  }
  n.samples = n.read = n.series;
  return n;
}

std::optional<Estimate> CostModel::estimate(const Expr& root, std::int64_t interval_ms) const {
  Node top = evaluate(root, interval_ms);
  if (!top.known) return std::nullopt;
  return Estimate{top.read, top.series, top.samples};
}

CostModel::Node CostModel::evaluate(const Expr& root, std::int64_t interval_ms) const {
  // Pre-order, then reversed: each node after its children (as Inference::run). A rule's tree has
  // a handful of nodes: both lists start in a buffer of the call (every rule is estimated).
  std::array<std::byte, 32 * sizeof(const Expr*) + 8 * sizeof(Node)> buffer;
  std::pmr::monotonic_buffer_resource memory(buffer.data(), buffer.size());
  std::pmr::vector<const Expr*> order(&memory);
  order.reserve(32);
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    order.push_back(&n);
    return true;
  });
  // Reversed, the pre-order has a node's children before it, the last first: each estimate is
  // pushed, and a node pops its children's in their order (an empty slot, as an aggregation's
  // missing parameter, was never visited: it counts as a scalar).
  std::pmr::vector<Node> done(&memory);
  done.reserve(8);
  auto child = [&](const Expr* e) -> Node {
    if (!e) return Node{0, 0, 0, true, true, 0, {}};
    Node n = std::move(done.back());
    done.pop_back();
    return n;
  };
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const Expr& e = **it;
    Node n;
    switch (e.kind) {
    case NodeKind::number_literal:
    case NodeKind::string_literal:
    case NodeKind::duration: n.scalar = true; break;
    case NodeKind::vector_selector: n = selector(e.as<VectorSelector>()); break;
    case NodeKind::matrix_selector: {
      n = child(e.as<MatrixSelector>().selector);
      const double every = static_cast<double>(std::max<std::int64_t>(n.interval_ms, 1000));
      n.samples =
          n.series * std::max(1.0, std::ceil(static_cast<double>(e.as<MatrixSelector>().range_ns / 1000000) / every));
      break;
    }
    case NodeKind::subquery: {
      const auto& sq = e.as<SubqueryExpr>();
      n = child(sq.expr);
      const std::int64_t step = sq.step_ns ? sq.step_ns / 1000000 : interval_ms;
      n.samples *= std::max(1.0, std::floor(static_cast<double>(sq.range_ns / 1000000) /
                                            static_cast<double>(std::max<std::int64_t>(step, 1))));
      break;
    }
    case NodeKind::paren: n = child(e.as<ParenExpr>().expr); break;
    case NodeKind::unary: n = child(e.as<UnaryExpr>().expr); break;
    case NodeKind::aggregate: {
      const auto& a = e.as<AggregateExpr>();
      Node in = child(a.expr), param = child(a.param);
      n = std::move(in);
      n.samples += param.samples;
      n.read += param.read;
      n.known = n.known && param.known;
      if (a.op == AggregateOp::count_values) break; // a series per value: unknown, kept as is
      double groups = 1;
      LabelCounts kept;
      for (const auto& [label, count] : n.values) {
        bool listed = std::find(a.grouping.begin(), a.grouping.end(), label) != a.grouping.end();
        if (listed != a.without) {
          kept.emplace_back(label, count);
          groups *= count;
        }
      }
      // topk, bottomk, limitk keep up to k series a group: no more than came in.
      if (a.op != AggregateOp::topk && a.op != AggregateOp::bottomk && a.op != AggregateOp::limitk &&
          a.op != AggregateOp::limit_ratio) {
        n.series = std::min(n.series, groups);
        n.values = std::move(kept);
      }
      break;
    }
    case NodeKind::call: {
      const auto& c = e.as<Call>();
      n.scalar = c.func && c.func->return_type == ValueType::scalar;
      bool first = true;
      for (const Expr* arg : c.args) {
        Node a = child(arg);
        n.samples += a.samples;
        n.read += a.read;
        n.known = n.known && a.known;
        if (first && !a.scalar) {
          n.series = a.series;
          n.values = std::move(a.values);
          first = false;
        }
      }
      if (c.name == "vector" || c.name == "absent" || c.name == "absent_over_time") {
        n.series = 1;
        n.values.clear();
      } else if (c.name == "histogram_quantile" || c.name == "histogram_fraction") {
        n.series /= values_of(n.values, "le");
        if (auto le = find(n.values, "le"); le != n.values.end()) n.values.erase(le);
      }
      break;
    }
    case NodeKind::binary: {
      const auto& b = e.as<BinaryExpr>();
      Node l = child(b.lhs), r = child(b.rhs);
      n.samples = l.samples + r.samples;
      n.read = l.read + r.read;
      n.known = l.known && r.known;
      n.scalar = l.scalar && r.scalar;
      Node& vec = l.scalar ? r : l;
      n.series = vec.series;
      n.values = std::move(vec.values);
      if (!l.scalar && !r.scalar) {
        const VectorMatching* m = b.matching();
        if (b.op == BinaryOp::lor) {
          n.series = l.series + r.series;
        } else if (is_set_operator(b.op)) {
          n.series = l.series;
        } else if (m && m->card == Cardinality::one_to_many) { // group_right: the right side's series
          n.series = r.series;
          n.values = std::move(r.values); // not moved above: the left side was the vector
        } else if (!m || m->card == Cardinality::one_to_one) {
          n.series = std::min(l.series, r.series);
        }
      }
      break;
    }
    }
    if (n.scalar) n.series = 0;
    done.push_back(std::move(n));
  }
  return child(&root);
}

void CostModel::learn(const std::vector<RecordingRule>& recordings) {
  // Each pass knows the recordings the previous ones learned; a chain of recordings is learned
  // in as many passes as it is long.
  for (int pass = 0; pass < 8; ++pass) {
    std::map<std::string, RecordedSeries> next;
    std::map<std::string, std::map<std::string, std::set<std::string>>> rule_labels; // name -> label -> values
    for (const auto& r : recordings) {
      const std::int64_t every = interval_of(*r.group);
      Node top = evaluate(*r.expr, every);
      if (!top.known) continue;
      RecordedSeries& s = next[r.rule->name.value];
      s.series += std::max(1.0, top.series);
      s.interval_ms = s.interval_ms ? std::min(s.interval_ms, every) : every;
      for (const auto& [label, count] : top.values) {
        double& most = s.values[std::string(label)];
        most = std::max(most, count);
      }
      for (const auto& kv : r.rule->labels) rule_labels[r.rule->name.value][kv.key.value].insert(kv.value.value);
    }
    // Rules writing one name apart by their labels (slo="a", slo="b"): a value each.
    for (auto& [name, by_label] : rule_labels)
      for (const auto& [label, values] : by_label) next[name].values[label] = static_cast<double>(values.size());
    const bool learned_nothing = next.size() == recorded_.size();
    recorded_ = std::move(next);
    if (learned_nothing) break;
  }
}

namespace {

// A rule's samples: the server's count when asked for (`exact`), else the estimate.
std::optional<double> samples_of(const RuleCost& c, bool exact) {
  if (exact) return c.server_samples;
  if (c.estimate) return c.estimate->samples;
  return std::nullopt;
}

// Samples per second of the group's schedule: the share of the server's rule evaluation.
double load(double samples, std::int64_t interval_ms) {
  return samples * 1000.0 / static_cast<double>(std::max<std::int64_t>(interval_ms, 1));
}

} // namespace

std::vector<core::Diagnostic> cost_outliers(const std::vector<RuleCost>& costs, const Policy& policy, bool exact,
                                            const rules::Config* cfg) {
  std::vector<core::Diagnostic> out;
  std::vector<double> loads;
  for (const auto& c : costs)
    if (auto n = samples_of(c, exact)) loads.push_back(load(*n, c.interval_ms));
  if (loads.size() < 3) return out; // no "rest" to be far above
  std::nth_element(loads.begin(), loads.begin() + static_cast<std::ptrdiff_t>(loads.size() / 2), loads.end());
  const double median = std::max(loads[loads.size() / 2], 1e-9);
  const std::string basis =
      exact ? std::string()
            : " (estimated from the catalog's label values and " +
                  (cfg ? "the config's scrape intervals" : std::string("Prometheus's default 1m scrape interval")) +
                  "; --prometheus counts them)";
  for (const auto& c : costs) {
    auto n = samples_of(c, exact);
    if (!n || c.explained || *n < policy.cost_min_samples || load(*n, c.interval_ms) < policy.cost_ratio * median)
      continue;
    const double times = load(*n, c.interval_ms) / median;
    std::string what = exact ? "one evaluation of this rule reads " + util::fmt::count(*n) + " samples on the server"
                             : "one evaluation of this rule reads about " + util::fmt::count(*n) +
                                   " samples of about " + util::fmt::count(c.estimate->series_read) + " series";
    const std::string msg = what + ", every " + text::format_duration(c.interval_ms) + ": " + util::fmt::count(times) +
                            " times the median rule's samples per second" + basis;
    const std::string fix = "record the inner part over a short window and read the recording, narrow the "
                            "selectors, or evaluate the group less often";
    core::Diagnostic d = exact ? core::make_diagnostic("server/cost", c.rule->expr.span, msg, fix)
                               : core::make_diagnostic("rules/cost", c.rule->expr.span, msg, fix);
    d.rule = c.rule->name.value;
    d.group = c.group->name.value;
    out.push_back(std::move(d));
  }
  return out;
}

namespace {

// Heaviest first by samples per second (the server's count where there is one), unknown last.
void sort_heaviest(std::vector<RuleCost>& costs) {
  auto key = [](const RuleCost& c) {
    auto n = c.server_samples ? c.server_samples
             : c.estimate     ? std::optional<double>(c.estimate->samples)
                              : std::nullopt;
    return n ? load(*n, c.interval_ms) : -1.0;
  };
  std::stable_sort(costs.begin(), costs.end(), [&](const RuleCost& a, const RuleCost& b) { return key(a) > key(b); });
}

// A load for the table: whole numbers, but the few samples a second of most rules stay visible.
std::string per_second(double v) { return v >= 10 ? util::fmt::count(v) : util::fmt::fixed(v, 2); }

} // namespace

std::string render_cost_table(std::vector<RuleCost> costs) {
  sort_heaviest(costs);
  bool server = false;
  for (const auto& c : costs) server = server || c.server_samples;
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"SAMPLES", "SERIES", "EVERY", "SAMPLES/S"});
  if (server) rows.back().push_back("SERVER");
  rows.back().push_back("RULE");
  for (const auto& c : costs) {
    const auto& e = c.estimate;
    rows.push_back({e ? util::fmt::count(e->samples) : "-", e ? util::fmt::count(e->series_read) : "-",
                    text::format_duration(c.interval_ms), e ? per_second(load(e->samples, c.interval_ms)) : "-"});
    if (server) rows.back().push_back(c.server_samples ? util::fmt::count(*c.server_samples) : "-");
    rows.back().push_back(c.file->path + ":" + std::to_string(c.rule->span.line) + " " + c.rule->name.value);
  }
  std::vector<bool> figures(rows.front().size(), true);
  figures.at(2) = false;  // EVERY
  figures.back() = false; // RULE
  return util::render_table(rows, figures);
}

nlohmann::ordered_json cost_json(std::vector<RuleCost> costs) {
  sort_heaviest(costs);
  auto out = nlohmann::ordered_json::array();
  for (const auto& c : costs) {
    nlohmann::ordered_json j = {{"file", c.file->path},
                                {"line", c.rule->span.line},
                                {"group", c.group->name.value},
                                {"rule", c.rule->name.value},
                                {"interval_seconds", static_cast<double>(c.interval_ms) / 1000.0}};
    j["estimate"] = c.estimate ? nlohmann::ordered_json{{"series_read", std::round(c.estimate->series_read)},
                                                        {"series_returned", std::round(c.estimate->series)},
                                                        {"samples", std::round(c.estimate->samples)}}
                               : nlohmann::ordered_json();
    j["server_samples"] = c.server_samples ? nlohmann::ordered_json(*c.server_samples) : nlohmann::ordered_json();
    out.push_back(std::move(j));
  }
  return out;
}

} // namespace nsmon::lint
