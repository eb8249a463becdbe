#include "nsmon/lint/expr_checks.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

std::string le_label(double bound) {
  std::string s = text::go::format_float_v(bound);
  if (s.find_first_of(".eIN") == std::string::npos) s += ".0";
  return s;
}

using namespace promql;

// The checks themselves; findings go back through ExprChecks::emit.
class ExprChecks::Impl {
public:
  explicit Impl(ExprChecks& self)
      : self_(self), inf_(self.inf_), cat_(self.cat_), cfg_(self.cfg_), names_(self.names_) {}

  void run(const Expr& root) {
    root_ = &root;
    walk(root, [&](const Expr& n, std::span<const Expr* const> path) {
      // absent() that is the alert's series, not a filter on them (x and on() absent(y)), of an
      // argument that reads series: one missed scrape marks them stale. Not absent_over_time(),
      // whose range waits as a for: would, nor absent(vector(1)), which nothing makes absent.
      if (n.kind == NodeKind::call && n.as<Call>().name == "absent" && reaches_result(n, path, false) &&
          !filtered_out(n, path))
        absent_reads(n.as<Call>());
      switch (n.kind) {
      case NodeKind::vector_selector:
        selector(n.as<VectorSelector>());
        unitless(n, n.as<VectorSelector>().modifiers.offset_unitless, "offset",
                 n.as<VectorSelector>().modifiers.offset_ns);
        break;
      case NodeKind::matrix_selector:
        unitless(n, n.as<MatrixSelector>().range_unitless, "range", n.as<MatrixSelector>().range_ns);
        break;
      case NodeKind::subquery: {
        const auto& sq = n.as<SubqueryExpr>();
        unitless(n, sq.range_unitless, "range", sq.range_ns);
        unitless(n, sq.step_unitless, "step", sq.step_ns);
        unitless(n, sq.modifiers.offset_unitless, "offset", sq.modifiers.offset_ns);
        break;
      }
      case NodeKind::call: call(n.as<Call>()); break;
      case NodeKind::binary: binary(n.as<BinaryExpr>()); break;
      case NodeKind::aggregate:
        aggregate(n.as<AggregateExpr>(), reaches_result(n, path, true), values_read(n, path));
        state_count(n.as<AggregateExpr>(), path);
        break;
      default: break;
      }
      return true;
    });
  }

private:
  void emit(core::CheckId check, PosRange range, std::string msg, std::string suggestion = {}) {
    self_.emit(check, range, std::move(msg), std::move(suggestion), check.severity());
  }

  // Whether the series of `n` are the result's series: not only a filter on them (the right side
  // of and/unless), not folded into one series (an aggregation without by, scalar()), when
  // `folded` counts.
  bool reaches_result(const Expr& n, std::span<const Expr* const> path, bool folded) const {
    const Expr* child = &n;
    for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
      const Expr& a = **it;
      if (a.kind == NodeKind::binary) {
        const auto& b = a.as<BinaryExpr>();
        if ((b.op == BinaryOp::land || b.op == BinaryOp::lunless) && b.rhs == child) return false;
      }
      if (!folded) continue;
      if (a.kind == NodeKind::binary && !labels_matched(a.as<BinaryExpr>(), child)) return false;
      if (a.kind == NodeKind::aggregate) {
        const auto& g = a.as<AggregateExpr>();
        if (g.expr == child && !g.without && g.grouping.empty()) return false;
      }
      if (a.kind == NodeKind::call && a.as<Call>().name == "scalar") return false;
    }
    return true;
  }

  // Whether the values of `n` are read: not when it is the right side of and/unless, which only
  // asks which series exist (x unless sum(a / b)).
  static bool values_read(const Expr& n, std::span<const Expr* const> path) {
    const Expr* child = &n;
    for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
      if ((*it)->kind == NodeKind::paren) continue;
      if ((*it)->kind != NodeKind::binary) return true;
      const auto& b = (*it)->as<BinaryExpr>();
      return !((b.op == BinaryOp::land || b.op == BinaryOp::lunless) && b.rhs == child);
    }
    return true;
  }

  // Whether the labels of `side`'s series matter to the result of `b`: a side whose series give
  // their labels to the result does, and the other side (the right, or the left of group_right)
  // only where matching reads a label it carries. x - ignoring (project) topk(1, y by (project))
  // reads none: whichever series tops, it matches the same series of x.
  bool labels_matched(const BinaryExpr& b, const Expr* side) const {
    if (b.lhs->type != ValueType::vector || b.rhs->type != ValueType::vector || is_set_operator(b.op)) return true;
    const VectorMatching* vm = b.matching();
    if (side != (vm && vm->card == Cardinality::one_to_many ? b.lhs : b.rhs)) return true;
    const Shape& s = inf_.at(side);
    const std::vector<std::string> none;
    const auto& listed = vm ? vm->labels : none;
    auto in_list = [&](const std::string& l) { return std::find(listed.begin(), listed.end(), l) != listed.end(); };
    if (vm && vm->on)
      return std::any_of(listed.begin(), listed.end(), [&](const std::string& l) { return !inf_.absent(s, l); });
    return !s.labels_known || std::any_of(s.labels.begin(), s.labels.end(),
                                          [&](const std::string& l) { return l != "__name__" && !in_list(l); });
  }

  // Whether `n` is within a side of `or` that the comparison right above the `or` always removes:
  // (x or 0 * absent(x)) >= 4 never returns the absent() side's series.
  bool filtered_out(const Expr& n, std::span<const Expr* const> path) const {
    const Expr* child = &n;
    const Expr* side = nullptr; // the innermost side of an `or` that holds n
    for (auto it = path.rbegin(); it != path.rend(); child = *it++) {
      const Expr& a = **it;
      if (a.kind == NodeKind::paren) continue;
      if (a.kind != NodeKind::binary) {
        if (side) return false;
        continue;
      }
      const auto& b = a.as<BinaryExpr>();
      if (b.op == BinaryOp::lor) {
        if (!side) side = child;
        continue;
      }
      if (!side) continue;
      if (!is_comparison(b.op) || b.return_bool) return false;
      const bool left = b.lhs == child;
      auto v = inf_.constant(left ? b.rhs : b.lhs);
      return v && compare(inf_.at(side), left ? b.op : flip(b.op), *v) == Verdict::never;
    }
    return false;
  }

  // --- catalog: names, labels, values ------------------------------------------------------
  void selector(const VectorSelector& vs) {
    // A value a well-known exporter never writes is said with the exporter's words; other reasons
    // why no series passes, as promql/impossible.
    auto refused = exporter_refusal(vs);
    if (const Shape& shape = inf_.at(&vs); refused && shape.empty == refused->why)
      emit("exporters/unknown-label-value", refused->matcher->range,
           refused->why + ": this selector never selects a series", refused->hint);
    else if (!shape.empty.empty())
      emit("promql/impossible", vs.range, "this selector can never select a series: " + shape.empty,
           "remove the matcher that refuses every series");
    SeriesInfo s = inf_.series(vs);
    unknown_job(vs, s);
    for (const auto& mt : vs.matchers) {
      regex_as_text(mt);
      // The catalog's own label values tell whether a prefix was meant: regex() says it there.
      if (s.origin != SeriesInfo::Origin::catalog) prefix_regex(mt);
    }
    PosRange name_range{vs.range.start, vs.range.start + std::max<std::size_t>(s.name.size(), 1)};
    if ((s.origin == SeriesInfo::Origin::external || s.origin == SeriesInfo::Origin::unknown) &&
        catalog::exporters().in_renames(s.name))
      self_.exporter_rename(vs, s.name, name_range);
    if ((s.origin == SeriesInfo::Origin::external || s.origin == SeriesInfo::Origin::unknown) &&
        s.name.find(':') == std::string::npos && catalog::exporters().by_prefix(s.name))
      self_.exporter_selector(vs, s.name, name_range);
    switch (s.origin) {
    case SeriesInfo::Origin::catalog:
      if (!s.exists) {
        auto wire = catalog::Catalog::wire_names(*s.metric);
        emit("catalog/histogram-base-name", name_range,
             std::string(catalog::to_string(s.metric->type)) + " " + s.name +
                 " is not a series; Prometheus stores it as " + util::join(wire, ", "),
             s.metric->type == catalog::MetricType::histogram ? "use " + s.name + "_bucket with rate() and le"
                                                              : "use " + wire.front());
        return;
      }
      labels(vs, *s.metric, s.suffix);
      if (!s.metric->prometheus) self_.app_selector(vs);
      break;
    case SeriesInfo::Origin::unknown: unknown_name(vs, s.name, name_range); return;
    case SeriesInfo::Origin::external:
      if (s.name.find(':') != std::string::npos) self_.unrecorded(vs, s.name, name_range, false, {});
      return;
    default: return;
    }
  }

  void unknown_name(const VectorSelector& vs, const std::string& name, PosRange at) {
    const auto& cat = cat_;
    // Renamed, possibly with a series suffix (gpu_memory_mb -> gpu_memory_allocated_bytes).
    for (const char* sfx : {"", "_bucket", "_sum", "_count", "_total", "_created"}) {
      std::string sx = sfx;
      if (!util::ends_with(name, sx)) continue;
      std::string base = name.substr(0, name.size() - sx.size());
      if (const catalog::Metric* m = cat.renamed_to(base)) {
        std::string now = m->name + (m->type == catalog::MetricType::histogram ? sx : "");
        emit("catalog/renamed-metric", at, name + " was renamed to " + now, "use " + now);
        return;
      }
    }
    // A real metric with a suffix it does not have.
    for (const char* sfx : {"_bucket", "_sum", "_count", "_total"}) {
      std::string sx = sfx;
      if (!util::ends_with(name, sx)) continue;
      if (const catalog::Metric* m = cat.find(name.substr(0, name.size() - sx.size()))) {
        emit("catalog/bad-suffix", at,
             m->name + " is a " + catalog::to_string(m->type) + "; it has no " + sx + " series",
             "its series: " + util::join(catalog::Catalog::wire_names(*m), ", "));
        return;
      }
    }
    std::string hint = util::did_you_mean(name, names_);
    std::string suggestion = hint.empty() ? "" : "did you mean " + hint + "?";
    if (name.find(':') != std::string::npos) {
      self_.unrecorded(vs, name, at, true, suggestion);
      return;
    }
    // A name one or two edits from the catalog's (inference_time_second) is a typo wherever it
    // is; did_you_mean's looser third of the name also pairs other exporters' long names
    // (kubelet_pod_worker_duration_seconds_bucket) with the catalog's.
    if (!hint.empty() && util::edit_distance(name, hint, 2) <= (name.size() < 10 ? 1u : 2u)) {
      emit("catalog/unknown-metric", at, "metric " + name + " is not in the catalog", suggestion);
      return;
    }
    self_.foreign_metric(vs, name, at, suggestion);
  }

  void labels(const VectorSelector& vs, const catalog::Metric& m, const std::string& suffix) {
    if (m.open_labels) return;
    // Only a label proved absent is a finding: with no config, or with service discovery, the
    // targets may carry labels nobody listed.
    const Shape& shape = inf_.leaf_labels(vs);
    // The metric's labels, listed in a finding's message: made only for one (every selector of a
    // catalog metric comes here).
    auto candidates = [&] { return std::vector<std::string>(shape.labels.begin(), shape.labels.end()); };
    for (const auto& mt : vs.matchers) {
      if (mt.name != "__name__" && inf_.absent(shape, mt.name)) {
        PosRange at{mt.range.start, mt.range.start + mt.name.size()};
        if (auto d = shape.dropped.find(mt.name); d != shape.dropped.end()) {
          emit("labels/dropped-by-config", at,
               m.name + " has no label " + mt.name + " once scraped: the config drops it: " + d->second,
               "match on a label the series keep, or stop dropping " + mt.name);
          continue;
        }
        const std::vector<std::string> names = candidates();
        std::string hint = util::did_you_mean(mt.name, names);
        emit("catalog/unknown-label", at,
             m.name + " has no label " + mt.name + " (labels: " + util::join(names, ", ") + ")",
             hint.empty() ? "" : "did you mean " + hint + "?");
        continue;
      }
      if (!cfg_ && !m.prometheus && unlisted_label_required(shape, mt)) {
        unlisted_label(mt, m, candidates());
        continue;
      }
      if (mt.name == "le" && suffix == "_bucket" && mt.op == MatchOp::equal) le_value(mt, m);
      const catalog::Label* l = m.label(mt.name);
      if (l && !l->values.empty() && mt.op == MatchOp::equal && !mt.value.empty() &&
          std::find(l->values.begin(), l->values.end(), mt.value) == l->values.end()) {
        std::string hint = util::did_you_mean(mt.value, l->values);
        emit("catalog/unknown-label-value", mt.range,
             "label " + mt.name + " of " + m.name + " never has the value \"" + mt.value +
                 "\" (values: " + util::join(l->values, ", ") + ")",
             hint.empty() ? "use one of these values, or declare the new one in the catalog if the application "
                            "now exports it"
                          : "did you mean \"" + hint + "\"?");
      }
    }
    for (const auto& mt : vs.matchers) regex(mt);
  }

  // A job matcher no scrape config satisfies: the selector matches nothing, unless a relabel rule
  // or honor_labels (federation, the Pushgateway) sets job to other values.
  void unknown_job(const VectorSelector& vs, const SeriesInfo& s) {
    if (!cfg_ || cfg_->jobs.empty() || s.name.rfind("ALERTS", 0) == 0) return;
    if (s.origin == SeriesInfo::Origin::recording || s.name.find(':') != std::string::npos) return;
    const Matcher* pin = nullptr;
    for (const auto& mt : vs.matchers)
      if (mt.name == "job" && !promql::matches_empty(mt)) pin = &mt;
    if (!pin) return;
    std::vector<std::string> names;
    for (const auto& j : inf_.targets().jobs()) {
      if (!j.job || !j.name_kept || j.job->honor_labels) return;
      names.push_back(j.name);
      bool ok = true;
      for (const auto& mt : vs.matchers)
        if (mt.name == "job") ok = ok && labels::matches(mt, j.name, labels::Dialect::prometheus);
      if (ok) return;
    }
    std::string hint = pin->op == MatchOp::equal ? util::did_you_mean(pin->value, names) : "";
    emit("config/unknown-job", pin->range,
         "no scrape config of the config matches " + promql::format_matcher(*pin) +
             " (jobs: " + util::join(names, ", ") + "): this selector matches nothing",
         hint.empty() ? "use one of the config's job names" : "did you mean job=\"" + hint + "\"?");
  }

  // Without a config nsmon cannot see what targets add, so it does not prove a label absent. But
  // a matcher that needs a label the catalog does not list on one of the application's metrics is
  // far more often a typo than a label a relabel rule adds: it is reported, unless the name is
  // one that service discovery and relabelling conventionally add. The series Prometheus makes
  // (up, scrape_*) carry every target label of every exporter: not judged. With a config, its
  // relabelling decides (labels()).
  static bool unlisted_label_required(const Shape& shape, const Matcher& mt) {
    static const std::set<std::string_view> conventional = {
        "cluster",   "container", "datacenter", "dc",     "endpoint", "env",  "environment", "host",
        "namespace", "node",      "pod",        "region", "service",  "team", "tenant",      "zone"};
    if (mt.name == "__name__" || shape.labels.count(mt.name) || conventional.count(mt.name)) return false;
    // Only a matcher that an absent label fails empties the selector: x="v", or x=~"re" where
    // re does not match the empty string.
    return (mt.op == MatchOp::equal || mt.op == MatchOp::regex) && !promql::matches_empty(mt);
  }

  void unlisted_label(const Matcher& mt, const catalog::Metric& m, const std::vector<std::string>& candidates) {
    PosRange at{mt.range.start, mt.range.start + mt.name.size()};
    // {state="failed"}: the value is one that a catalog label takes (status), a surer sign than a
    // name a letter away (stage).
    std::string hint;
    for (const auto& l : m.labels)
      if (hint.empty() && mt.op == MatchOp::equal &&
          std::find(l.values.begin(), l.values.end(), mt.value) != l.values.end())
        hint = l.name;
    if (hint.empty()) hint = util::did_you_mean(mt.name, candidates);
    emit("catalog/unknown-label", at,
         m.name + " has no label " + mt.name + " (labels: " + util::join(candidates, ", ") +
             "): this selector matches nothing unless a relabel rule adds " + mt.name,
         hint.empty() ? "if your scrape config adds " + mt.name + ", lint with --config prometheus.yml"
                      : "did you mean " + hint + "?");
  }

  // prometheus_client writes bounds as Python floats ("0.5", "1.0", "+Inf"); a bound the
  // histogram does not have matches nothing.
  void le_value(const Matcher& mt, const catalog::Metric& m) {
    if (mt.value == "+Inf") return;
    // A bound that is no number selects nothing whatever the catalog says: promql/impossible.
    const std::optional<double> parsed = text::go::parse_float(mt.value);
    if (!parsed) return;
    const double v = *parsed;
    if (std::find(m.buckets.begin(), m.buckets.end(), v) != m.buckets.end()) {
      // The bound exists, but the label is text: le="1" never equals the "1.0" the client writes
      // (and Prometheus 3 writes "1.0" whatever the exposition said).
      std::string wire = le_label(v);
      if (mt.value != wire)
        emit("catalog/unknown-label-value", mt.range,
             "le=\"" + mt.value + "\" matches no series: " + m.name + "'s bucket bound is written le=\"" + wire +
                 "\" (label values are compared as text)",
             "use le=\"" + wire + "\"");
      return;
    }
    std::vector<std::string> bounds;
    for (double b : m.buckets) bounds.push_back(le_label(b));
    bounds.push_back("+Inf");
    emit("catalog/unknown-label-value", mt.range,
         m.name + " has no bucket le=\"" + mt.value + "\" (bounds: " + util::join(bounds, ", ") + ")",
         "use one of these bounds, or add the bound to the histogram in the application and the catalog");
  }

  // A regex's wildcard (.* or .+) or alternation (|) after = or !=, which compare text:
  // {namespace=".*"} selects the series whose namespace is those two characters, and
  // {job="a|b"} neither a nor b (OpenShift's scope="resource|", 622c08f^). A value with a '/' is
  // left alone: a path or a route label can hold a regex as its text (an ingress path "/api/(.*)").
  void regex_as_text(const Matcher& mt) {
    if (mt.op != MatchOp::equal && mt.op != MatchOp::not_equal) return;
    const std::string& v = mt.value;
    if ((v.find(".*") == std::string::npos && v.find(".+") == std::string::npos && v.find('|') == std::string::npos) ||
        v.find('/') != std::string::npos)
      return;
    const bool eq = mt.op == MatchOp::equal;
    emit("promql/regex-as-text", mt.range,
         promql::format_matcher(mt) + " compares text: it " + (eq ? "selects" : "leaves out") +
             " only the series whose " + mt.name + " is \"" + v + "\" itself, not what the regex " + v + " matches",
         std::string("for a regex, write ") + mt.name + (eq ? "=~" : "!~") + "\"" + v + "\"");
  }

  // A branch of a regex written as a prefix, ^ and plain text with nothing after it
  // (api_version=~"^7\\.0\\.[0-1]|^6": cluster-storage-operator e0acdfc), or "": `text` gets the
  // branch's text, unescaped. Prometheus anchors the whole regex at both ends, so ^6 matches the
  // value "6" only, never "6.7.3": the ^ says grep's unanchored match was expected, and a value
  // equal to the text would need no ^.
  static std::string_view prefix_branch(std::string_view v, std::string& text) {
    std::vector<std::string_view> branches; // the top level's, split at |
    int depth = 0;
    bool in_class = false;
    std::size_t from = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const char c = v[i];
      if (c == '\\') ++i;
      else if (in_class) in_class = c != ']';
      else if (c == '[') in_class = true;
      else if (c == '(') ++depth;
      else if (c == ')') --depth;
      else if (c == '|' && depth == 0) branches.push_back(v.substr(from, i - from)), from = i + 1;
    }
    branches.push_back(v.substr(std::min(from, v.size())));
    for (std::string_view b : branches) {
      if (b.size() < 2 || b.front() != '^') continue;
      text.clear();
      bool plain = true;
      for (std::size_t i = 1; i < b.size() && plain; ++i) {
        if (b[i] == '\\' && i + 1 < b.size() && !std::isalnum(static_cast<unsigned char>(b[i + 1]))) text += b[++i];
        else if (std::string_view(".*+?()[]{}|^$\\").find(b[i]) != std::string_view::npos) plain = false;
        else text += b[i];
      }
      if (plain && !text.empty()) return b;
    }
    return {};
  }

  void prefix_regex(const Matcher& mt) {
    if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return;
    std::string text;
    const std::string_view b = prefix_branch(mt.value, text);
    if (b.empty()) return;
    self_.emit("promql/regex-anchors", mt.range,
               util::concat({"the branch ", b, " of ", promql::format_matcher(mt), " matches only the value \"", text,
                             "\": Prometheus anchors a regex matcher at both ends, so ^ makes no prefix"}),
               util::concat({"for the values that start with ", text, ", write ", b, ".*"}), core::Severity::warning);
  }

  void regex(const Matcher& mt) {
    if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return;
    const std::string& v = mt.value;
    if (!v.empty() && (v.front() == '^' || (v.back() == '$' && (v.size() < 2 || v[v.size() - 2] != '\\'))))
      emit("promql/regex-anchors", mt.range,
           "regex matchers are fully anchored; the ^ or $ in \"" + v + "\" is redundant");
    else if (!v.empty() && v.find_first_of(".*+?()[]{}|\\^$") == std::string::npos)
      emit("promql/literal-regex", mt.range, "\"" + v + "\" has no regex characters",
           std::string("use ") + (mt.op == MatchOp::regex ? "=" : "!=") + " instead of " +
               (mt.op == MatchOp::regex ? "=~" : "!~"));
  }

  // --- types -------------------------------------------------------------------------------
  static const VectorSelector* selector_of(const Expr* e) {
    e = unparen(e);
    if (e && e->kind == NodeKind::matrix_selector) e = e->as<MatrixSelector>().selector;
    return e && e->kind == NodeKind::vector_selector ? &e->as<VectorSelector>() : nullptr;
  }

  void call(const Call& c) {
    if (is_rate_function(c.name) && !c.args.empty()) {
      const Expr* arg = unparen(c.args[0]);
      if (const VectorSelector* vs = selector_of(arg)) {
        SeriesInfo s = inf_.series(*vs);
        const Shape& shape = inf_.at(vs);
        // A histogram's or summary's base name is no series at all (catalog/histogram-base-name), not
        // a gauge.
        if (shape.kind == ValueKind::gauge && s.exists && (s.origin == SeriesInfo::Origin::catalog || s.recorded) &&
            !(s.recorded && s.recorded->shape.aggregated && s.recorded->shape.kind == ValueKind::counter))
          emit("promql/rate-on-gauge", c.range,
               c.name + "() of " + s.name + ", which is a gauge: " + c.name + " only makes sense for counters",
               c.name == "increase" ? "use delta() for a gauge's change" : "use deriv() for a gauge's slope");
        // A start time (process_start_time_seconds, what every client library exports) is a Unix
        // time, set anew at each start: its increase is the seconds between two starts, not a count.
        else if ((s.origin == SeriesInfo::Origin::external || s.origin == SeriesInfo::Origin::unknown) &&
                 util::ends_with(s.name, "_start_time_seconds"))
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
      }
    }
    if (c.name == "timestamp" && c.args.size() == 1) timestamp_of_time(c);
    if (c.name == "histogram_quantile" && c.args.size() == 2) histogram_quantile(c);
    if ((c.name == "histogram_quantile" || c.name == "quantile_over_time") && !c.args.empty())
      quantile_range(c.args[0], c.name);
  }

  // Whether a metric's name says its value is a Unix time: _timestamp_seconds, a start or boot
  // time, the time of a last event (thanos_sidecar_last_heartbeat_success_time_seconds,
  // kube_cronjob_status_last_schedule_time), kube-state-metrics' creation times (kube_pod_created).
  static bool named_like_unix_time(std::string_view n) {
    if (util::ends_with(n, "_timestamp_seconds") || util::ends_with(n, "_timestamp")) return true;
    if (n == "node_time_seconds" || util::ends_with(n, "_start_time_seconds") ||
        util::ends_with(n, "_boot_time_seconds"))
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
  void timestamp_of_time(const Call& c) {
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

  // count() of kube-state-metrics' state series counts every object with a series for the state,
  // 0 or 1: those not in it too (ceph-mixins' CephMonQuorumLost counted failed monitors as
  // Running, and never fired). Said where the count is compared with a number, as a condition on
  // the state is; a count of every object is an idiom elsewhere (the denominator of a share).
  void state_count(const AggregateExpr& a, std::span<const Expr* const> path) {
    const Expr* in = unparen(a.expr);
    if (a.op != AggregateOp::count || in->kind != NodeKind::vector_selector ||
        !kube_state_series(in->as<VectorSelector>()))
      return;
    auto parent = std::find_if(path.rbegin(), path.rend(), [](const Expr* e) { return e->kind != NodeKind::paren; });
    if (parent == path.rend() || (*parent)->kind != NodeKind::binary) return;
    const auto& b = (*parent)->as<BinaryExpr>();
    const Expr* other = unparen(b.lhs) == &a ? b.rhs : b.lhs;
    if (!is_comparison(b.op) || b.return_bool || !literal(other)) return;
    const auto& vs = in->as<VectorSelector>();
    emit("promql/count-of-states", a.range,
         util::concat({"count() of ", metric_name(vs),
                       ", named like a kube-state-metrics state series (a series for every object and state: 1 where "
                       "it holds, 0 elsewhere), counts the objects not in that state too"}),
         util::concat({"count only the series that hold: count(", print(vs), " == 1), or sum(", print(vs), ")"}));
  }

  // What absent()'s argument reads: scraped series go stale at one missed scrape; up and the
  // other series Prometheus writes for every scrape, failed or not, only when the target leaves.
  void absent_reads(const Call& c) {
    for (const Expr* a : c.args)
      walk(*a, [&](const Expr& e, std::span<const Expr* const>) {
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
  void unitless(const Expr& n, bool written_unitless, std::string_view what, std::int64_t ns) {
    if (!written_unitless) return;
    const std::string seconds = text::go::format_float_v(static_cast<double>(ns) / 1e9);
    const std::string as = text::format_duration(ns / 1000000);
    const std::string written = what == "range" ? "range [" + seconds + "]" : std::string(what) + " " + seconds;
    emit("promql/duration-unit", n.range,
         util::concat({"the ", written, " has no unit: Prometheus 2.54 and later read it as seconds (", as,
                       "), earlier versions refuse the rule file (\"missing unit character in duration\")"}),
         util::concat({"write the unit: ", as, " if seconds were meant"}));
  }

  void quantile_range(const Expr* arg, const std::string& what) {
    auto v = literal(arg);
    if (v && (*v < 0 || *v > 1))
      emit("promql/quantile-range", arg->range,
           what + " takes a quantile between 0 and 1; " + util::format_number(*v) + " gives " +
               (*v > 1 ? "+Inf" : "-Inf") + " for every series",
           *v > 1 && *v <= 100 ? "write " + util::format_number(*v / 100) : "");
  }

  void histogram_quantile(const Call& c) {
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
  bool classic_bucket(const VectorSelector& vs) const {
    SeriesInfo s = inf_.series(vs);
    if (s.origin == SeriesInfo::Origin::recording)
      return s.recorded->shape.labels.count("le") > 0 || s.name.find("_bucket") != std::string::npos;
    if (s.origin == SeriesInfo::Origin::catalog) return s.suffix == "_bucket";
    return util::ends_with(s.name, "_bucket");
  }

  void bucket(const VectorSelector& vs, bool rated, bool aggregated, const Call& hq) {
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
    if (is_bucket && !rated)
      emit("promql/histogram-quantile-rate", hq.range,
           "histogram_quantile over the raw cumulative " + s.name + " counters" +
               (aggregated ? "" : ", with no rate() and no sum by (le)") +
               ": the answer covers the whole lifetime of the process, not recent observations",
           "histogram_quantile(φ, sum by (le) (rate(" + s.name + "[5m])))");
  }

  void binary(const BinaryExpr& b) {
    const VectorMatching* vm = b.matching();
    if (vm && b.op != BinaryOp::lor) matching(b, *vm);
    if (vm && b.op != BinaryOp::lor) join_undone(b, *vm);
    if (b.op == BinaryOp::lor) mixed_or(b);
    if (b.op == BinaryOp::lor) mirrored_threshold(b);
    if (is_comparison(b.op)) {
      nan_threshold(b);
      unlimited_divisor(b, b.lhs, b.rhs);
      unlimited_divisor(b, b.rhs, b.lhs);
      units(b, b.lhs, b.rhs);
      units(b, b.rhs, b.lhs);
      counter_raw(b, b.lhs);
      counter_raw(b, b.rhs);
    }
  }

  void matching(const BinaryExpr& b, const VectorMatching& vm) {
    const Shape& l = inf_.at(b.lhs);
    const Shape& r = inf_.at(b.rhs);
    // A label every series of one side carries and that no series of the other can carry puts
    // the two sides' signatures apart for good; a label one side only may carry proves nothing.
    auto matched = [&](const std::string& x) {
      bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
      return x != "__name__" && (vm.on ? listed : !listed);
    };
    copied_labels(b, vm);
    // A side that can never return anything was reported where that began.
    if (!l.empty.empty() || !r.empty.empty()) return;
    std::vector<std::string> only_l = inf_.apart(l, r, vm), only_r = inf_.apart(r, l, vm);
    const std::vector<std::string> clash = inf_.values_apart(l, r, vm);
    if (only_l.empty() && only_r.empty() && clash.empty()) {
      if (on_removed(b, vm)) return;
      if (is_set_operator(b.op)) return;
      if (vm.card == Cardinality::one_to_one && !duplicate_group(b, vm, true)) duplicate_group(b, vm, false);
      // group_left's "one" side is the right, group_right's the left (engine.go, VectorBinop).
      if (vm.card != Cardinality::one_to_one) one_side_mirrors(b, vm);
      return;
    }
    std::set<std::string> ls, rs;
    for (const auto& x : l.labels)
      if (matched(x)) ls.insert(x);
    for (const auto& x : r.labels)
      if (matched(x)) rs.insert(x);
    std::string why;
    const std::string since_l = only_l.empty() ? "" : added_since(*b.lhs, only_l);
    const std::string since_r = only_r.empty() ? "" : added_since(*b.rhs, only_r);
    if (!only_l.empty()) why += "only the left side has " + util::join(only_l, ", ") + since_l;
    if (!only_r.empty())
      why += std::string(why.empty() ? "" : "; ") + "only the right side has " + util::join(only_r, ", ") + since_r;
    auto quoted = [](const std::vector<std::string>& values) {
      std::string out;
      for (const auto& v : values) out += (out.empty() ? "\"" : ", \"") + v + "\"";
      return out;
    };
    for (const auto& x : clash)
      why += util::concat({why.empty() ? "" : "; ", x, " is ", quoted(l.values.find(x)->second),
                           " on the left side and ", quoted(r.values.find(x)->second), " on the right"});
    std::vector<std::string> common;
    std::set_intersection(ls.begin(), ls.end(), rs.begin(), rs.end(), std::back_inserter(common));
    const std::string outcome = b.op == BinaryOp::lunless ? ": unless never removes anything"
                                : b.op == BinaryOp::land  ? ": and never returns anything"
                                                          : ": the expression never returns anything";
    // A label an exporter added splits one side's series (failures by reason): matching on the
    // labels both have finds several of them in a group, so the fix ignores it and says which
    // side keeps a series per value (alertmanager aff09c2: ignoring (reason) group_left).
    std::string fix =
        "match on the labels both sides have: on(" + util::join(common, ", ") + ") or aggregate both sides by them";
    // Only values apart (flag="OL" against flag="OB" of one metric): the match must leave them out.
    if (only_l.empty() && only_r.empty())
      fix = "leave " + util::join(clash, ", ") + " out of the match: ignoring (" + util::join(clash, ", ") + ")";
    if (!is_set_operator(b.op) && (since_l.empty() != since_r.empty()) && (only_l.empty() || only_r.empty())) {
      const std::string added = util::join(since_l.empty() ? only_r : only_l, ", ");
      fix = util::concat({"ignoring (", added, ") ", since_l.empty() ? "group_right" : "group_left",
                          " keeps a series per ", added, ", or aggregate it away on the ",
                          since_l.empty() ? "right" : "left", " side (sum or max without (", added, "))"});
    }
    emit("labels/impossible-match", b.range,
         std::string("the two sides of '") + to_string(b.op) + "' can never match: " + why + outcome, fix);
  }

  // Where a well-known exporter added one of `names` to a series of `side` in a version (since
  // Alertmanager 0.26, alertmanager_notifications_failed_total carries reason): " (since ...)",
  // or "". Older versions' series lack it, and the match holds there.
  static std::string added_since(const Expr& side, const std::vector<std::string>& names) {
    std::string out;
    walk(side, [&](const Expr& n, std::span<const Expr* const>) {
      if (n.kind != NodeKind::vector_selector || !out.empty()) return out.empty();
      if (const catalog::ExporterMetric* m = catalog::exporters().find(metric_name(n.as<VectorSelector>())))
        for (const auto& x : names)
          if (const catalog::ExporterLabel* l = m->label(x); l && !l->since.empty() && out.empty())
            out = util::concat({" (since ", m->exporter->name, " ", l->since, ", ", m->name, " carries ", x, ")"});
      return out.empty();
    });
    return out;
  }

  // on (x) where an operator of a side removed x (sum by (job), a group by of other labels):
  // Prometheus reads the missing label as empty, so that side matches only the other side's
  // series without x, and where neither has it, on (x) keys on nothing. A side that surely has x
  // against one that cannot is labels/impossible-match. Whether it was reported.
  bool on_removed(const BinaryExpr& b, const VectorMatching& vm) {
    if (!vm.on) return false;
    const Shape& l = inf_.at(b.lhs);
    const Shape& r = inf_.at(b.rhs);
    for (const auto& x : vm.labels) {
      const std::string wl = removed_by(l, x), wr = removed_by(r, x);
      if (wl.empty() && wr.empty()) continue;
      const std::string on = "on (" + util::join(vm.labels, ", ") + ")";
      if (!wl.empty() && !wr.empty())
        emit("labels/removed-label", b.range,
             util::concat({on, ": neither side has ", x, " (left: ", wl, "; right: ", wr, "): '", to_string(b.op),
                           "' matches its series as if ", x, " were not listed"}),
             "keep " + x + " where it is removed, or drop it from on ()");
      else
        emit("labels/removed-label", b.range,
             util::concat({on, ": the ", wl.empty() ? "right" : "left", " side has no ", x, ", ", wl.empty() ? wr : wl,
                           ": it matches only the ", wl.empty() ? "left" : "right", " side's series without ", x}),
             "keep " + x + " where it is removed, or drop it from on ()");
      return true;
    }
    return false;
  }

  // A job is a set of targets, each with its own instance, and so is a Kubernetes service (the
  // Prometheus Operator names the job after it): on (job), on (service) or on () leaves them
  // apart, unless a matcher pins `s` to one instance.
  static bool instances_apart(const VectorMatching& vm, const Shape& s) {
    const auto pinned = s.values.find("instance");
    return (!vm.on || std::all_of(vm.labels.begin(), vm.labels.end(),
                                  [](const auto& x) { return x == "job" || x == "service"; })) &&
           (pinned == s.values.end() || pinned->second.size() != 1);
  }

  // A one-to-one match (no group_left or group_right) takes at most one series per match group on
  // each side. A side that keeps a label the match leaves out, which tells its series apart (a
  // regex matcher accepting several values, a by list, a job's instances) while the other side
  // has none, holds several series in a group: Prometheus fails the evaluation
  // (engine.go, VectorBinop) and the rule returns nothing. Whether it was reported.
  bool duplicate_group(const BinaryExpr& b, const VectorMatching& vm, bool left) {
    const Shape& s = inf_.at(left ? b.lhs : b.rhs);
    const Shape& other = inf_.at(left ? b.rhs : b.lhs);
    auto left_out = [&](const std::string& x) {
      bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
      return vm.on != listed && s.labels.count(x) && !inf_.absent(s, x) && inf_.absent(other, x);
    };
    std::string label, why;
    for (const auto& [x, w] : s.several)
      if (left_out(x)) {
        label = x, why = w;
        break;
      }
    if (label.empty() && instances_apart(vm, s) && left_out("instance"))
      label = "instance", why = "each target of a job or service has its own instance";
    if (label.empty()) return false;
    const std::string match = std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")";
    const char* side = left ? "left" : "right";
    emit("labels/duplicate-match-group", b.range,
         util::concat(
             {"the ", side, " side keeps ", label, ", which ", match, " leaves out and the ", left ? "right" : "left",
              " side lacks (", why, "): a match group can hold several ", side,
              " series, and Prometheus then fails the evaluation: \"",
              left ? "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)"
                   : "found duplicate series for the match group ... on the right hand-side of the operation",
              "\""}),
         util::concat({"aggregate ", label, " away on the ", side, " side (sum without (", label, ") (...))",
                       left ? ", or write group_left to keep a series per " + label : ""}));
    return true;
  }

  // group_left's "one" side (group_right's left) takes one series per match group. A "one" side
  // that reads the very metrics of the many side, aggregated on neither side, filtered and pinned
  // no tighter, holds as many series in a group as the many side, and group_left is written
  // because that can be several: Prometheus then fails the evaluation (paas-cf 5bab342:
  // x:delta5m / on () group_left () x:mean5m, both of one per-router metric). A label the match
  // leaves out must tell the series apart on both sides (a scraped series' instance).
  void one_side_mirrors(const BinaryExpr& b, const VectorMatching& vm) {
    const bool left = vm.card == Cardinality::one_to_many;
    const Shape& one = inf_.at(left ? b.lhs : b.rhs);
    const Shape& many = inf_.at(left ? b.rhs : b.lhs);
    // A filter may keep one of them (GitLab's primary, `x and is_replica == 0`, against its replicas).
    if (one.aggregated || many.aggregated || one.filters) return;
    for (const auto& [x, v] : one.values)
      if (auto it = many.values.find(x); v.size() == 1 && (it == many.values.end() || it->second != v)) return;
    // The label that tells the series apart in a group: a job's instances (on (), on (job)), or
    // one that the many side's matchers or by list split; a label that may hold one value per
    // group (job under on (instance)) lets a needless group_left pass.
    auto left_out = [&](const std::string& x) {
      const bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
      return vm.on != listed && Inference::present(one, x) && Inference::present(many, x);
    };
    std::string label = instances_apart(vm, one) && left_out("instance") ? "instance" : "";
    for (const auto& [x, w] : many.several)
      if (label.empty() && one.several.count(x) && left_out(x)) label = x;
    if (label.empty()) return;
    const std::set<std::string> reads = scraped_reads(left ? *b.lhs : *b.rhs, inf_.recorded());
    if (reads.empty() || reads != scraped_reads(left ? *b.rhs : *b.lhs, inf_.recorded())) return;
    const std::string side = left ? "left" : "right", other = left ? "right" : "left";
    const std::string group = left ? "group_right" : "group_left";
    const std::string match = std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")";
    const std::string names = util::join(std::vector<std::string>(reads.begin(), reads.end()), ", ");
    emit("labels/duplicate-match-group", b.range,
         "the " + side + " side, the \"one\" side of " + group + ", reads the same series as the " + other + " side (" +
             names + ") and aggregates none away: a match group holds as many " + side + " series as " + other +
             " ones (they differ in " + label + ", which " + match + " leaves out), several wherever " + group +
             " is needed, and Prometheus then fails the evaluation: \"found duplicate series for the match " +
             "group ... on the " + side + " hand-side of the operation ...; many-to-many matching not allowed\"",
         "match series by series (" + (vm.on ? "on (..., " + label + ")" : std::string("ignoring fewer labels")) +
             ", no group modifier), or aggregate the " + side + " side to the match labels");
  }

  // A label that a group_left (x) below copied, which this operator drops again: one-to-one on ()
  // keeps only its labels and ignoring () drops its own, and/unless and the "one" side of a
  // group_left keep none of that side's. A label the match compares is used, not dropped.
  void join_undone(const BinaryExpr& b, const VectorMatching& vm) {
    const Shape& out = inf_.at(&b);
    for (const Expr* side : {b.lhs, b.rhs})
      for (const auto& [x, how] : inf_.at(side).joined) {
        const bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
        if (out.joined.count(x) || vm.on == listed) continue;
        const std::string op = vm.card == Cardinality::one_to_one && !is_set_operator(b.op)
                                   ? std::string(vm.on ? "on" : "ignoring") + " (" + util::join(vm.labels, ", ") + ")"
                                   : std::string("'") + to_string(b.op) + "'" +
                                         (vm.card == Cardinality::many_to_one   ? " group_left"
                                          : vm.card == Cardinality::one_to_many ? " group_right"
                                                                                : "");
        const bool whole_side = is_set_operator(b.op) || (side == b.rhs) != (vm.card == Cardinality::one_to_many);
        emit("labels/copied-label-dropped", b.range,
             util::concat({op, " drops ", x, ", which ", how, " copied onto the ", side == b.lhs ? "left" : "right",
                           " side: ",
                           whole_side ? "the result takes its labels from the other side"
                                      : (vm.on ? "one-to-one matching keeps only the on () labels"
                                               : "one-to-one matching drops the ignored labels"),
                           ", so the join adds nothing"}),
             "keep " + x + " through the match (on (..., " + x + ") or group_left (" + x +
                 ")), or drop the join if the label is not wanted");
        return; // one finding per operator
      }
  }

  // group_left (x) copies x from the other side's series; where they have none, it removes x from
  // the result instead. Where the kept side has no x either, the join adds no x and loses none: a
  // no-op, said at info (a later join may add x, as OpenShift's SLO rules do), since the join
  // written to add x (the detector's version) still adds nothing.
  void copied_labels(const BinaryExpr& b, const VectorMatching& vm) {
    if (vm.card != Cardinality::many_to_one && vm.card != Cardinality::one_to_many) return;
    const bool left = vm.card == Cardinality::many_to_one;
    const Shape& other = inf_.at(left ? b.rhs : b.lhs);
    const Shape& kept = inf_.at(left ? b.lhs : b.rhs);
    for (const auto& inc : vm.include)
      if (inf_.absent(other, inc)) {
        const bool loses = !inf_.absent(kept, inc);
        std::string why = removed_by(other, inc);
        self_.emit(
            "labels/copied-label-absent", b.range,
            util::concat({left ? "group_left" : "group_right", " (", inc, ") copies ", inc, " from the ",
                          left ? "right" : "left", " side, whose series have none", why.empty() ? "" : " (" + why + ")",
                          loses ? ": the result loses " + inc : ": the join adds no " + inc}),
            "keep " + inc + " on the " + (left ? "right" : "left") + " side, e.g. by (" + inc + ", ...)",
            loses ? core::Severity::warning : core::Severity::info);
      }
  }

  static std::optional<double> literal(const Expr* e) {
    e = unparen(e);
    if (e && e->kind == NodeKind::number_literal) return e->as<NumberLiteral>().value;
    if (e && e->kind == NodeKind::unary && unparen(e->as<UnaryExpr>().expr)->kind == NodeKind::number_literal) {
      double v = unparen(e->as<UnaryExpr>().expr)->as<NumberLiteral>().value;
      return e->as<UnaryExpr>().op == UnaryOp::minus ? -v : v;
    }
    return std::nullopt;
  }

  // A comparison with the number NaN: NaN is unequal to every value, itself too, and neither less
  // nor greater than any, so x != NaN keeps every sample (NaN ones too) and the other comparisons
  // keep none. Written to drop NaN samples, it drops nothing (gitlab-com/runbooks 5bee5bb).
  void nan_threshold(const BinaryExpr& b) {
    if (b.return_bool) return;
    auto l = literal(b.lhs), r = literal(b.rhs);
    if (!(l && std::isnan(*l)) && !(r && std::isnan(*r))) return;
    const std::string op = to_string(b.op);
    if (b.op == BinaryOp::neq)
      emit("promql/always-true", b.range,
           "'!= NaN' is true of every sample, NaN ones too (NaN is unequal to every value, itself included): it "
           "removes nothing",
           "to drop NaN samples compare the series with itself (x == x), or with a bound its values keep (x >= 0)");
    else
      emit("promql/impossible", b.range,
           "'" + op +
               " NaN' is never true (NaN is neither equal to, less nor greater than any value, itself "
               "included): the expression never returns anything",
           "to keep only NaN samples write x != x");
  }

  // A division by a limit that its exporter reports as 0 for "no limit" is +Inf there, and +Inf
  // passes every > : the usage-over-limit alert fires for every container or pool without one
  // (awesome-prometheus-alerts cf70272). Inside an aggregation nan-in-aggregation says it.
  void unlimited_divisor(const BinaryExpr& b, const Expr* side, const Expr* other) {
    const Shape& s = inf_.at(side);
    if (b.return_bool || !s.nan_inf || s.nan_aggregated || !inf_.constant(other)) return;
    const BinaryOp op = side == b.rhs ? flip(b.op) : b.op;
    if (op != BinaryOp::gtr && op != BinaryOp::gte) return;
    const BinaryExpr* div = nullptr;
    walk(*side, [&](const Expr& n, auto) {
      if (n.kind == NodeKind::binary && n.range.start == s.nan_at.start && n.range.end == s.nan_at.end)
        div = &n.as<BinaryExpr>();
      return !div;
    });
    const VectorSelector* limit = div && div->op == BinaryOp::div ? unlimited_limit(*div->rhs) : nullptr;
    if (!limit) return;
    emit("promql/division-by-zero", div->range,
         unlimited_is_zero(metric_name(*limit)) + ": this division is +Inf for those, and +Inf passes '" +
             to_string(op) + " " + print(*other) + "', so the comparison keeps every series without a limit",
         "divide by the limited ones only: (" + print(*limit) + " > 0)");
  }

  // The two sides of `or` in different units, by the names of their series: the result holds
  // series of both. Most often precedence: `A or B / C` is `A or (B / C)`, so where A exists the
  // rule records A's bytes, elsewhere a ratio (node_exporter 4bc1c020).
  void mixed_or(const BinaryExpr& b) {
    std::string l_of, r_of;
    const std::string l = unit_by_name(*b.lhs, &l_of), r = unit_by_name(*b.rhs, &r_of);
    // Names that say percent or ratio are often wrong about which (units/percent-as-ratio), and a
    // quotient is a ratio: only base units (bytes, seconds) and quotients are told apart.
    auto scale = [](const std::string& u) { return u == "percent" || u == "ratio"; };
    if (l.empty() || r.empty() || l == r || scale(l) || scale(r)) return;
    auto in = [](const std::string& unit, const std::string& of) {
      return unit == "quotient" ? of + ", a unit over itself: a plain number" : of + ", in " + unit;
    };
    auto division = [](const Expr* e) {
      return e->kind == NodeKind::binary && e->as<BinaryExpr>().op == BinaryOp::div;
    };
    const bool precedence = division(b.rhs) || division(b.lhs); // unparenthesised: `or` took only its dividend
    emit("units/mixed-or", b.range,
         "the sides of 'or' are in different units (" + in(l, l_of) + "; " + in(r, r_of) +
             "): the result mixes them, series by series" +
             (precedence ? "; '/' binds tighter than 'or', so 'A or B / C' is 'A or (B / C)'" : ""),
         precedence ? "parenthesise what the division divides: (A or B) / C" : "compare or combine values of one unit");
  }

  // `(x > 0.05 and deriv(x[5m]) >= 0) or (x < 0.05 and deriv(x[5m]) <= 0)`: branches that mirror
  // each other test by test (the same series, the opposite direction, a bound and its negative),
  // but for one bound written twice where its negative was meant (node_exporter 8b00b229: an
  // offset below 0.05 is most offsets, not a skew). Branches that test anything else (month() == 3
  // against month() == 10) are not mirror images and are left alone.
  void mirrored_threshold(const BinaryExpr& b) {
    struct Test {
      std::string series;
      bool above;
      double bound;
      PosRange at;
    };
    auto tests = [&](const Expr* side, std::vector<Test>& out) {
      bool plain = true; // only comparisons of a series with a number, each either way
      walk(*side, [&](const Expr& n, auto) {
        if (n.kind != NodeKind::binary || !is_comparison(n.as<BinaryExpr>().op)) return true;
        const auto& c = n.as<BinaryExpr>();
        const auto l = inf_.constant(c.lhs), r = inf_.constant(c.rhs);
        const BinaryOp op = r ? c.op : flip(c.op);
        if (c.return_bool || l.has_value() == r.has_value() || op == BinaryOp::eql || op == BinaryOp::neq)
          plain = false;
        else
          out.push_back(
              {print(*(r ? c.lhs : c.rhs)), op == BinaryOp::gtr || op == BinaryOp::gte, r ? *r : *l, c.range});
        return true;
      });
      return plain;
    };
    std::vector<Test> left, right;
    if (!tests(b.lhs, left) || !tests(b.rhs, right) || left.size() != right.size() || left.size() < 2) return;
    const Test* same = nullptr; // the one pair whose bound is not mirrored
    const Test* in_left = nullptr;
    for (const auto& x : left) {
      auto y = std::find_if(right.begin(), right.end(),
                            [&](const Test& t) { return t.series == x.series && t.above != x.above; });
      if (y == right.end()) return;
      if (y->bound == -x.bound) continue;
      if (y->bound != x.bound || same) return;
      same = &*y, in_left = &x;
    }
    if (!same) return;
    const std::string v = util::format_number(same->bound), neg = util::format_number(-same->bound);
    emit("promql/mirrored-threshold", same->at,
         "the two sides of 'or' mirror each other test by test, but " + same->series + " is tested " +
             (in_left->above ? "above " : "below ") + v + " on one and " + (same->above ? "above " : "below ") + v +
             " on the other, not " + neg + ": between them every value but " + v + " passes one",
         "write " + neg + " for the mirror image of " + v);
  }

  void units(const BinaryExpr& b, const Expr* side, const Expr* other) {
    // A threshold may be written as arithmetic (13.44 * 0.1, a burn rate times a budget); the
    // unit checks below read only a number as written.
    if (auto c = inf_.constant(other); c && bounded(b, side, other, *c)) return;
    auto lit = literal(other);
    if (!lit) return;
    const Shape& s = inf_.at(side);
    double v = *lit;
    const std::string what = util::format_number(v);
    if (std::string of; s.unit.empty() && unit_by_name(*side, &of) == "percent") {
      // Another exporter's percentage by its name only: a threshold below 1 is a fraction of a
      // percent (limes_capacity_blocked_percent > 0.8 meant 80: sapcc helm-charts c37a452). Names
      // are no facts (of three _ratio series compared above 1 in strangers' rules, all three held
      // percentages): said as a condition, at info.
      if (v > 0 && v < 1)
        self_.emit("units/percent-as-ratio", b.range,
                   "if " + of + " is a percentage (0-100), as its name says, " + what + " is " + what +
                       " percent; a ratio of " + what + " is " + util::format_number(v * 100) + " percent",
                   "write " + util::format_number(v * 100) + " for " + util::format_number(v * 100) + " percent",
                   core::Severity::info);
      return;
    }
    if (s.unit != "bytes" && s.unit != "percent") return; // the units checked below
    if (s.unit == "bytes" && v >= 1 && v < 1e6)
      emit("units/bytes-vs-megabytes", b.range,
           "a value in bytes compared with " + what + ", which is less than a megabyte; was it meant in MB?",
           "write the threshold in bytes, e.g. " + util::format_number(v * 1e6) + " for " + what + " MB");
    else if (s.unit == "percent" && v > 0 && v <= 1)
      emit("units/percent-as-ratio", b.range,
           "a percentage (0-100) compared with " + what + ", which looks like a ratio (0-1)",
           "write " + util::format_number(v * 100) + " for " + what);
  }

  // A series whose values are bounded (a ratio, a counter's rate, count(), group()) compared with
  // a number: a comparison that holds for every value (the alert fires whenever the series exists)
  // or for none (it can never fire). A ratio or a percentage speaks of its unit. Whether it was
  // reported.
  bool bounded(const BinaryExpr& b, const Expr* side, const Expr* other, double v) {
    const Shape& s = inf_.at(side);
    // A side that has no series ((ratio > 10) * 100 > 10) has no values to speak of: what emptied
    // it is reported where it did.
    if (!s.bounded() || !s.empty.empty()) return false;
    // vector(0) == 1 compares two numbers as written: its outcome is what its author wrote, a
    // rule that never fires on purpose (a test of the alerting pipeline).
    if (const Expr* u = unparen(side);
        inf_.constant(u) || (u->kind == NodeKind::call && u->as<Call>().name == "vector" &&
                             !u->as<Call>().args.empty() && inf_.constant(u->as<Call>().args[0])))
      return false;
    const BinaryOp op = side == b.lhs ? b.op : flip(b.op);
    const Verdict verdict = compare(s, op, v);
    // count(x) > 0 and absent(x) == 1 are idioms: the comparison states the intent.
    if (verdict == Verdict::depends || (verdict == Verdict::always && s.count_like)) return false;
    const bool never = verdict == Verdict::never;
    // A threshold written as arithmetic is quoted, with its value as the rules write numbers.
    std::string what = util::format_number(v);
    if (!literal(other)) {
      char value[32];
      std::snprintf(value, sizeof value, "%.12g", v);
      what = print(*other) + " = " + value;
    }
    const std::string tail = "; this comparison with " + what + (never ? " can never be true" : " is always true");
    if ((s.unit == "ratio" || s.unit == "percent") && !s.unit_of.empty()) {
      const double hi = s.unit == "ratio" ? 1 : 100;
      emit("units/out-of-range", b.range,
           s.unit_of + " is a " + s.unit + ", so it is between 0 and " + util::format_number(hi) + tail);
      return true;
    }
    // A comparison every number passes removes the NaN samples of a series that may be NaN (x >= 0
    // of a ratio of rates): that is what it is for.
    if (!never && !s.nan.empty()) return false;
    const std::string range = s.range_of.empty() ? "its values lie in " + range_text(s) : s.range_of.text();
    if (never)
      emit("promql/impossible", b.range, range + tail + ": the expression never returns anything",
           "compare with a value the series can take");
    else if (s.range_of.comparison) // (x > 1) > 0: redundant, harmless
      self_.emit("promql/always-true", b.range, range + tail + ": it removes nothing", "drop the comparison",
                 core::Severity::info);
    else
      emit("promql/always-true", b.range, range + tail + ": it removes nothing",
           "compare with a value that separates good from bad, or drop the comparison");
    return true;
  }

  static std::string range_text(const Shape& s) {
    auto bound = [](double x) { return std::isinf(x) ? std::string(x < 0 ? "-Inf" : "+Inf") : util::format_number(x); };
    if (s.lo == s.hi) return "always " + bound(s.lo);
    return std::string(s.lo_open ? "(" : "[") + bound(s.lo) + ", " + bound(s.hi) + (s.hi_open ? ")" : "]");
  }

  // The counter a side reads raw (a selector, through aggregations), known from the catalog or
  // by its name (external): nullopt for anything else.
  std::optional<SeriesInfo> raw_counter(const Expr* side) const {
    const Expr* e = unparen(side);
    while (e && e->kind == NodeKind::aggregate) e = unparen(e->as<AggregateExpr>().expr);
    if (!e || e->kind != NodeKind::vector_selector || inf_.at(e).kind != ValueKind::counter) return std::nullopt;
    SeriesInfo info = inf_.series(e->as<VectorSelector>());
    if (info.origin != SeriesInfo::Origin::catalog && info.origin != SeriesInfo::Origin::external) return std::nullopt;
    return info;
  }

  void counter_raw(const BinaryExpr& b, const Expr* side) {
    // Another exporter's metric is a counter by its name only, and exporters name gauges _total
    // too (cadvisor's container_fs_inodes_total, minio_cluster_drive_offline_total): compared
    // with 0 it is as often such a gauge, or the guard of a division by it, as an "ever
    // happened" counter, so only another threshold is reported.
    const Expr* other = side == b.lhs ? b.rhs : b.lhs;
    const bool zero = literal(other) == 0.0;
    if (const Expr* e = unparen(side); e->kind == NodeKind::binary && e->as<BinaryExpr>().op == BinaryOp::div) {
      counter_ratio(b, e->as<BinaryExpr>(), zero);
      return;
    }
    const std::optional<SeriesInfo> info = raw_counter(side);
    if (!info || (info->origin == SeriesInfo::Origin::external && zero)) return;
    const std::string suggestion = "compare rate(" + info->name + "[5m]) or increase(" + info->name + "[1h]) instead";
    if (info->origin == SeriesInfo::Origin::catalog) {
      emit("promql/counter-raw", b.range,
           info->name + " is a counter: its raw value only grows, so this comparison depends on when the process "
                        "started",
           suggestion);
      return;
    }
    // Only the name says counter, and a convention is no fact (TiKV's tikv_worker_pending_task_total
    // is a gauge): said as a guess, at info.
    self_.emit("promql/counter-raw", b.range,
               info->name + " is named like a counter: if it is one, its raw value only grows, so this comparison "
                            "depends on when the process started",
               suggestion, core::Severity::info);
  }

  // A ratio of two raw counters compared with a threshold: the average since the processes
  // started (seconds per operation since boot), which a bad hour barely moves, so the alert stays
  // silent (awesome-prometheus-alerts 97a31f3: index time over index count). Counters of the
  // catalog: a warning; by their names only: info, as for one counter.
  void counter_ratio(const BinaryExpr& cmp, const BinaryExpr& div, bool zero) {
    const std::optional<SeriesInfo> num = raw_counter(div.lhs), den = raw_counter(div.rhs);
    if (!num || !den) return;
    const bool known = num->origin == SeriesInfo::Origin::catalog && den->origin == SeriesInfo::Origin::catalog;
    if (!known && zero) return;
    // X_sum / X_count: a summary's or histogram's, the mean observation since the start.
    const bool mean = num->name.ends_with("_sum") && den->name.ends_with("_count") &&
                      num->name.substr(0, num->name.size() - 4) == den->name.substr(0, den->name.size() - 6);
    const std::string what = known  ? " are counters: "
                             : mean ? " are named like a summary's or histogram's sum and count: if they are, "
                                    : " are named like counters: if they are, ";
    self_.emit("promql/counter-raw", cmp.range,
               num->name + " and " + den->name + what +
                   "dividing their raw values gives the average since each process started, which a burst late in "
                   "a long run barely moves",
               "divide their rates: rate(" + num->name + "[5m]) / rate(" + den->name + "[5m])",
               known ? core::Severity::warning : core::Severity::info);
  }

  // `values_used`: values_read() of the aggregation.
  void aggregate(const AggregateExpr& a, bool reaches_result, bool values_used) {
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
  bool keeps_a_picked_label(const AggregateExpr& a) const {
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
  bool keeps_the_host(const AggregateExpr& a) const {
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
  bool leaves_out_a_known_label(const AggregateExpr& a, const Shape& in) const {
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
    return std::any_of(in.labels.begin(), in.labels.end(),
                       [&](const std::string& l) {
                         return left_out(l) && Inference::present(in, l) && !(one_target && target_label(l));
                       }) ||
           std::any_of(in.several.begin(), in.several.end(),
                       [&](const auto& kv) { return left_out(kv.first) && !(one_target && target_label(kv.first)); });
  }

  // --- rate windows against the scrape interval -----------------------------------------------
  // The jobs whose targets may expose a selector's series: those its job matchers accept, else
  // the application's jobs for its own metrics; empty when nothing tells (another exporter's
  // metric, no config).
  std::vector<const rules::ScrapeJob*> scraping_jobs(const VectorSelector& vs) const {
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

  void rate_window(const VectorSelector& vs, const Expr* arg) {
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

  ExprChecks& self_;
  Inference& inf_;
  const catalog::Catalog& cat_;
  const rules::Config* cfg_;
  const std::vector<std::string>& names_;
  const Expr* root_ = nullptr; ///< the expression run() checks
};

void ExprChecks::check(const Expr& root) { Impl(*this).run(root); }

void ExprChecks::unrecorded(const VectorSelector&, const std::string& name, PosRange at, bool sure,
                            std::string suggestion) {
  const core::CheckId check = "rules/undefined-recording-rule";
  if (sure)
    emit(check, at, "recording rule " + name + " is defined in none of the rule files", std::move(suggestion),
         check.severity());
}

void ExprChecks::foreign_metric(const VectorSelector&, const std::string& name, PosRange at, std::string suggestion) {
  const core::CheckId check = "catalog/unknown-metric";
  emit(check, at, "metric " + name + " is not in the catalog", std::move(suggestion), check.severity());
}

} // namespace nsmon::lint
