#include "nsmon/lint/infer.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstddef>
#include <iterator>
#include <memory_resource>
#include <optional>
#include <re2/re2.h>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::lint {

using namespace promql;

std::string RangeReason::text() const {
  if (!comparison || !text_.empty()) return text_;
  return util::concat(
      {"the comparison ", to_string(op_), " ", util::format_number(bound_), " keeps only the values it accepts"});
}

const Expr* unparen(const Expr* e) {
  while (e && e->kind == NodeKind::paren) e = e->as<ParenExpr>().expr;
  return e;
}

bool kube_state_series(const VectorSelector& vs) {
  const std::string& name = metric_name(vs);
  if (!name.starts_with("kube_") || name.find("_status_") == std::string::npos) return false;
  return std::any_of(vs.matchers.begin(), vs.matchers.end(),
                     [](const Matcher& m) { return m.name == "phase" || m.name == "condition" || m.name == "status"; });
}

bool is_rate_function(std::string_view n) { return n == "rate" || n == "irate" || n == "increase"; }

// Functions whose result keeps the input's labels (minus the metric name) and unit, and stays
// within the input's range (so a ratio stays between 0 and 1): not sum_over_time, whose sum of
// ratios can pass 1, nor count_over_time, a number of samples.
bool keeps_unit(std::string_view n) {
  static const std::set<std::string_view> s = {"abs",
                                               "ceil",
                                               "floor",
                                               "round",
                                               "clamp",
                                               "clamp_min",
                                               "clamp_max",
                                               "avg_over_time",
                                               "min_over_time",
                                               "max_over_time",
                                               "last_over_time",
                                               "first_over_time",
                                               "quantile_over_time",
                                               "stddev_over_time",
                                               "mad_over_time",
                                               "sort",
                                               "sort_desc",
                                               "sort_by_label",
                                               "sort_by_label_desc"};
  return s.count(n) > 0;
}

bool keeps_values(std::string_view n) { return keeps_unit(n) || n == "label_replace" || n == "label_join"; }

namespace {

bool narrows(const VectorSelector& vs, const std::string& label) {
  return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const auto& m) { return m.name == label; });
}

// The fact that the rate `c` reads a counter's series over every value of the label that splits
// its whole, a matcher on none of them (node_exporter's CPU time, rules/exporters.yml `adds_up`),
// or nullptr.
const catalog::ExporterWhole* whole_read(const Call& c) {
  const Expr* m = c.args.size() == 1 ? unparen(c.args[0]) : nullptr;
  if (!m || m->kind != NodeKind::matrix_selector) return nullptr;
  const auto& vs = m->as<MatrixSelector>().selector->as<VectorSelector>();
  const catalog::ExporterWhole* w = catalog::exporters().adds_up(metric_name(vs));
  return w && !narrows(vs, w->label) ? w : nullptr;
}

// The shape of a node nothing is known about; a place of shapes_ is made one by assignment.
const Shape& nothing_known() {
  static const Shape none;
  return none;
}

// What an operator that closes the label set keeps, said when it is made: a later step (the `le`
// that histogram_quantile() takes off) is that step's doing, not this one's. The set holds only the
// labels it names, __name__ too when it is one of them (count by (__name__)).
std::string closing(const std::string& how, const LabelSet& labels) {
  if (labels.empty()) return how + " keeps no label";
  return util::concat({how, " keeps only ", util::join(labels, ", ")}); // made for every aggregation
}

// Whether another exporter's metric is a counter by its name: _total and _bucket always; _count
// and _sum only as a histogram's or summary's series, whose base name ends in its unit
// (request_duration_seconds_count). Exporters name gauges that count things _count
// (pg_stat_activity_count, memberlist_client_cluster_members_count) and CloudWatch's Sum
// statistic _sum (aws_lambda_invocations_sum): those are not assumed counters.
bool external_counter_name(std::string_view name) {
  if (util::ends_with(name, "_total") || util::ends_with(name, "_bucket")) return true;
  if (!util::ends_with(name, "_count") && !util::ends_with(name, "_sum")) return false;
  std::string_view base = name.substr(0, name.rfind('_'));
  return std::any_of(std::begin(catalog::kBaseUnitSuffixes), std::end(catalog::kBaseUnitSuffixes),
                     [&](std::string_view unit) { return util::ends_with(base, unit); });
}
// The value of f(series) for a series that holds the value v all the time, where f keeps it or
// makes it one number: a series that never changes has a rate and a delta of 0, and
// clamp_min(vector(0), 0) is 0 (a fallback's value through the functions that map one number to
// one number, with the bounds written as numbers).
std::optional<double> value_of_constant(const Call& c, double v) {
  std::string_view f = c.name;
  if (is_rate_function(f) || f == "delta" || f == "idelta" || f == "deriv" || f == "changes" || f == "resets")
    return 0.0;
  static const std::set<std::string_view> kSame = {"avg_over_time",  "min_over_time",      "max_over_time",
                                                   "last_over_time", "quantile_over_time", "sort",
                                                   "sort_desc",      "label_replace",      "label_join"};
  if (kSame.count(f)) return v;
  auto a = number_arg(c, 1), b = number_arg(c, 2); // clamp's bounds, written as numbers
  if (c.args.size() == 1) {
    if (f == "abs") return std::fabs(v);
    if (f == "ceil") return std::ceil(v);
    if (f == "floor") return std::floor(v);
    if (f == "round") return std::floor(v + 0.5); // as Prometheus rounds
    if (f == "sgn") return v > 0 ? 1.0 : v < 0 ? -1.0 : v;
  }
  if (f == "clamp_min" && a) return std::max(v, *a);
  if (f == "clamp_max" && a) return std::min(v, *a);
  if (f == "clamp" && a && b && *a <= *b) return std::min(std::max(v, *a), *b);
  return std::nullopt;
}

// The value label_replace(v, dst, replacement, src, regex) gives dst on every series, or "": a
// replacement with no $ reference under a regex that matches any value of src (".*", or src "",
// the empty value, and a regex that accepts it). label_join's is the sources' values.
std::string replaced_with(const Call& c) {
  if (c.name != "label_replace" || c.args.size() != 5) return {};
  std::array<const StringLiteral*, 3> lit{};
  for (std::size_t i = 2; i < 5; ++i) {
    const Expr* e = unparen(c.args[i]);
    if (e->kind != NodeKind::string_literal) return {};
    lit[i - 2] = &e->as<StringLiteral>();
  }
  const std::string &repl = lit[0]->value, &src = lit[1]->value, &re = lit[2]->value;
  if (repl.empty() || repl.find('$') != std::string::npos) return {};
  const bool any = re == ".*" || re == "(.*)" || re == "^.*$" || re == "^(.*)$";
  const bool empty_src = src.empty() && labels::regex(re, labels::Dialect::prometheus).ok() &&
                         RE2::FullMatch("", labels::regex(re, labels::Dialect::prometheus));
  return any || empty_src ? repl : std::string();
}

} // namespace

// Why another exporter's gauge, a limit, is 0 when nothing limits: a division by it is then +Inf.
// Only limits whose exporter documents the 0: a capacity, a size or a configured maximum is
// never 0 in practice, and most divisors are those (issue 59's review of the unknown divisors).
std::string unlimited_is_zero(std::string_view name) {
  // cAdvisor reports a cgroup's memory limits as 0 when the container has none (specMemoryValue).
  for (std::string_view m : {"container_spec_memory_limit_bytes", "container_spec_memory_swap_limit_bytes",
                             "container_spec_memory_reservation_limit_bytes"})
    if (name == m) return std::string(name) + " is 0 for a container without a limit (cAdvisor)";
  // Go's database/sql: DBStats.MaxOpenConnections is 0 when SetMaxOpenConns set no limit.
  if (name == "go_sql_dbstats_connections_max_open" || name == "go_sql_stats_connections_max_open" ||
      name == "go_sql_max_open_connections")
    return std::string(name) + " is 0 for a pool without a limit (Go's database/sql)";
  return {};
}

SeriesInfo Inference::series(const VectorSelector& vs) const {
  const std::string& name = promql::metric_name(vs);
  for (const SeriesInfo& s : series_)
    if (s.name == name) return s;
  // A tree reads a few names; one of thousands (a generated chain of `or`s) would make each
  // look-up a scan of them all: past the first few, a name is looked up anew each time.
  constexpr std::size_t kMemo = 32;
  return series_.size() < kMemo ? series_.emplace_back(series_of(name)) : series_of(name);
}

SeriesInfo Inference::series_of(const std::string& name) const {
  SeriesInfo s;
  s.name = name;
  if (s.name.empty()) {
    s.origin = SeriesInfo::Origin::none;
    return s;
  }
  if (auto it = recorded_.find(s.name); it != recorded_.end() && it->second.source == RecordedMetric::Source::rules) {
    s.origin = SeriesInfo::Origin::recording;
    s.recorded = &it->second;
    return s;
  }
  if (auto ref = cat_.resolve(s.name)) {
    s.origin = SeriesInfo::Origin::catalog;
    s.metric = ref->metric;
    s.suffix = ref->suffix;
    s.exists = ref->exists;
    return s;
  }
  s.origin = cat_.is_external(s.name) ? SeriesInfo::Origin::external : SeriesInfo::Origin::unknown;
  return s;
}

LabelSet Inference::scraped_labels(const catalog::Metric& m, std::string_view suffix) const {
  LabelSet out;
  for (const auto& l : m.labels) out.insert(l.name);
  if (suffix == "_bucket") out.insert("le");
  if (!m.prometheus || m.name != "ALERTS") out.insert(cat_.target_labels.begin(), cat_.target_labels.end());
  if (m.prometheus && m.name.rfind("ALERTS", 0) == 0) out.erase("instance"), out.erase("job");
  return out;
}

namespace {
// Whether a rule's series (its shape) may pass the matchers: each label the rule fixes, or lacks
// for sure, has a value the matcher takes.
bool passes(const std::vector<promql::Matcher>& matchers, const Shape& part) {
  return std::all_of(matchers.begin(), matchers.end(), [&](const promql::Matcher& m) {
    if (m.name == "__name__") return true;
    if (auto v = part.values.find(m.name); v != part.values.end())
      return std::any_of(v->second.begin(), v->second.end(),
                         [&](const std::string& x) { return labels::matches(m, x, labels::Dialect::prometheus); });
    if (part.labels_known && !part.labels.count(m.name)) return labels::matches(m, "", labels::Dialect::prometheus);
    return true;
  });
}

// Whether a regex matches every value (.*, (.*), a|.*): a !~ of it selects nothing.
bool matches_everything(const std::string& re) {
  std::string_view rest = re;
  for (;;) {
    std::string_view part = rest.substr(0, rest.find('|'));
    if (part == ".*" || part == "(.*)" || part == "(?:.*)" || part == "^.*$") return true;
    if (part.size() == rest.size()) return false;
    rest.remove_prefix(part.size() + 1);
  }
}

// Labels that name where a series comes from, which the labels a rule matches on usually decide
// (job by instance: up{job=~"thanos-.*"} + on (instance) has one series per instance; node by pod;
// cluster and namespace with one cluster): several values of one do not make several series in
// a match group.
bool names_origin(std::string_view label) {
  static constexpr std::string_view kWhere[] = {"cluster",   "endpoint", "env",    "environment", "job",
                                                "namespace", "node",     "region", "service",     "zone"};
  return std::find(std::begin(kWhere), std::end(kWhere), label) != std::end(kWhere);
}

// Whether a regex matcher accepts several values that its author means (5.., a|b, sd[a-z],
// node.*), not one value written loosely (10.0.0.1:9100, a dot for a dot) or any value (.+).
bool several_values(std::string_view re) {
  if (re == ".*" || re == ".+" || re == "(.*)" || re == "(.+)" || re == "^.*$" || re == "^.+$") return false;
  if (re.find_first_of("|[*+?{") != std::string_view::npos) return true;
  return re.find("..") != std::string_view::npos || (!re.empty() && re.back() == '.') ||
         re.find("\\d") != std::string_view::npos || re.find("\\w") != std::string_view::npos;
}

// The values a regex matcher accepts when it lists them (a|b, (a|b), prod\.eu|dev): Prometheus
// anchors the regex, so a series it selects has one of them. Nothing for any other regex.
std::optional<std::vector<std::string>> listed_values(std::string_view re) {
  if (re.size() >= 2 && re.front() == '(' && re.back() == ')') re = re.substr(1, re.size() - 2);
  std::vector<std::string> out(1);
  for (std::size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '|') out.emplace_back();
    else if (c == '\\' && i + 1 < re.size() && std::ispunct(static_cast<unsigned char>(re[i + 1])))
      out.back() += re[++i];
    else if (std::string_view("\\.+*?()[]{}^$").find(c) != std::string_view::npos) return std::nullopt;
    else out.back() += c;
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// Why no series can pass all of a selector's matchers (a label with two different values, a
// matcher no value passes), or "".
std::string impossible_matchers(const VectorSelector& vs) {
  std::map<std::string_view, const Matcher*> equal;
  for (const auto& m : vs.matchers) {
    if (m.op == MatchOp::not_regex && matches_everything(m.value))
      return "the matcher " + m.name + "!~\"" + m.value + "\" refuses every value, an absent label's too";
    if (m.op != MatchOp::equal) continue;
    // A bucket's le is its upper bound, written by the client as a number ("0.005", "+Inf"); = compares
    // text, so a value that is no number (a regex written after =, a unit) passes no bucket.
    if (m.name == "le" && util::ends_with(vs.name, "_bucket") && !text::go::parse_float(m.value))
      return "le=\"" + m.value + "\" is no number, and every bucket's le is one (its upper bound)" +
             (m.value.find_first_of("()|*?[\\") != std::string::npos ? ": = compares text, =~ takes a regex" : "");
    auto [it, inserted] = equal.emplace(m.name, &m);
    if (!inserted && it->second->value != m.value)
      return "the matchers " + m.name + "=\"" + it->second->value + "\" and " + m.name + "=\"" + m.value +
             "\" want two values of one label";
  }
  for (const auto& m : vs.matchers) {
    auto it = equal.find(m.name);
    if (it == equal.end() || m.op == MatchOp::equal) continue;
    if (!labels::matches(m, it->second->value, labels::Dialect::prometheus))
      return "the matchers " + m.name + "=\"" + it->second->value + "\" and " + promql::format_matcher(m) +
             " cannot both hold";
  }
  return {};
}

// Client libraries write le on a histogram's _bucket series only: a series named as a counter
// (_total) or as a histogram's or summary's other series (_count, _sum, _created) has none, and
// a matcher on le that an absent label fails selects nothing. A name with a colon is a recording
// rule's, whose labels its rule decides.
std::string le_off_buckets(const VectorSelector& vs) {
  const std::string& name = promql::metric_name(vs);
  if (name.find(':') != std::string::npos) return {};
  for (std::string_view suffix : {"_total", "_count", "_sum", "_created"}) {
    if (!util::ends_with(name, suffix)) continue;
    const std::string bucket =
        suffix == "_total" ? "x_bucket" : name.substr(0, name.size() - suffix.size()) + "_bucket";
    for (const auto& m : vs.matchers)
      if (m.name == "le" && !promql::matches_empty(m))
        return util::concat({promql::format_matcher(m), " wants an le label, and client libraries write it only on a ",
                             "histogram's _bucket series (", bucket, "): ", name,
                             suffix == "_total" ? ", named as a counter," : "", " has none"});
  }
  return {};
}

// A well-known exporter's series: the labels it writes on them, present on every series unless
// a feature flag decides, with their closed value sets. A closed exporter writes no other label
// of its own (Shape::unwritten).
void exporter_labels(const catalog::ExporterMetric& m, Shape& s) {
  for (const auto& l : m.labels) {
    s.labels.insert(l.name);
    if (!l.maybe.empty()) {
      s.maybe.insert(l.name);
      continue;
    }
    if (l.values.empty()) continue;
    s.values[l.name] = l.values;
    // A series per value, each written whatever holds (a state's 0 or 1, a failure count by
    // reason): a one-to-one match that leaves the label out meets several of them in a group.
    if (l.values.size() > 1 && l.since.empty())
      s.several.emplace(l.name, util::concat({m.exporter->name, " writes ", m.name, " with ", l.name, " ",
                                              util::join(l.values, ", ")}));
  }
  if (m.exporter->closed)
    for (const auto& x : m.exporter->labels)
      if (!m.label(x)) s.unwritten.insert(x);
}

// The labels a well-known exporter writes on every metric of a family; those that tell apart a
// target's several things (a host's CPUs) put several series of one target in a match group.
void family_labels(const catalog::ExporterFamily& f, const std::string& name, Shape& s) {
  s.labels.insert(f.labels.begin(), f.labels.end());
  for (const auto& [label, what] : f.apart)
    s.several.emplace(
        label, util::concat({f.exporter->name, " writes ", name, " with a series per ", what, " (", label, ")"}));
}
} // namespace

namespace {
// The value of `values` that `v` is a typo of: a few edits away, another case (True), or cut short
// (fail for failed).
std::string near_value(const std::string& v, const std::vector<std::string>& values) {
  if (std::string near = util::did_you_mean(v, values); !near.empty()) return near;
  for (const auto& x : values)
    if (util::ascii_lower(x) == util::ascii_lower(v) ||
        (v.size() >= 3 && x.size() <= v.size() + 3 && util::starts_with(x, v)))
      return x;
  return {};
}
} // namespace

std::string exporter_refuses(const catalog::ExporterMetric& known, const catalog::ExporterLabel& l,
                             const promql::Matcher& m) {
  // A label that some series lack (a feature flag, a version before it) passes the matchers
  // that accept the empty value.
  if ((!l.maybe.empty() || !l.since.empty()) && promql::matches_empty(m)) return {};
  const std::string shown = promql::format_matcher(m);
  if (!l.values.empty()) {
    if (std::any_of(l.values.begin(), l.values.end(),
                    [&](const std::string& v) { return labels::matches(m, v, labels::Dialect::prometheus); }))
      return {};
    return util::concat({known.exporter->name, " writes ", m.name, " on ", known.name, " only as ",
                         util::join(l.values, ", "), " (its source at ", known.exporter->version, "): ", shown,
                         " matches none of them"});
  }
  if (l.numbers.empty()) return {};
  // Decimal numbers lie in ["0", ":") in byte order: a regex whose matches all lie outside
  // (RE2's PossibleMatchRange, a bound on every string it matches) accepts none of them.
  bool accepts = true;
  if (m.op == MatchOp::equal)
    accepts = !m.value.empty() && m.value.find_first_not_of("0123456789") == std::string::npos;
  else if (m.op == MatchOp::regex) {
    const re2::RE2& re = labels::regex(m.value, labels::Dialect::prometheus);
    std::string lo, hi;
    accepts = !re.ok() || !re.PossibleMatchRange(&lo, &hi, 16) || (hi >= "0" && lo < ":");
  }
  if (accepts) return {};
  return util::concat({known.exporter->name, " writes ", m.name, " on ", known.name, " only as a decimal number (",
                       l.numbers, "; its source at ", known.exporter->version, "): ", shown, " matches none"});
}

std::optional<ExporterRefusal> exporter_refusal(const VectorSelector& vs) {
  const catalog::ExporterMetric* known = catalog::exporters().find(promql::metric_name(vs));
  if (!known) return std::nullopt;
  for (const auto& m : vs.matchers) {
    const catalog::ExporterLabel* l = known->label(m.name);
    if (!l) continue;
    ExporterRefusal r{&m, exporter_refuses(*known, *l, m), {}};
    if (r.why.empty()) continue;
    // kube_hpa_status_condition{condition="false", status="AbleToScale"}: two values swapped.
    for (const auto& other : vs.matchers)
      if (m.op == MatchOp::equal && other.op == MatchOp::equal && &other != &m &&
          std::find(l->values.begin(), l->values.end(), other.value) != l->values.end())
        r.hint = util::concat(
            {"did you swap the values? ", other.name, "=\"", m.value, "\", ", m.name, "=\"", other.value, "\""});
    if (std::string near = m.op == MatchOp::equal ? near_value(m.value, l->values) : "";
        r.hint.empty() && !near.empty())
      r.hint = "did you mean " + m.name + "=\"" + near + "\"?";
    return r;
  }
  return std::nullopt;
}

void Inference::leaf(const VectorSelector& vs, const RecordedMetric* recorded, Shape& s) const {
  // A recording rule's rates of every mode, of some modes only.
  if (s.adds_up && narrows(vs, s.adds_up->label)) s.adds_up = nullptr;
  // The ruler's scope: an equality matcher on each label, with a value of its own.
  if (scope_)
    for (const auto& l : *scope_)
      if (!s.removed.count(l)) s.labels.insert(l), s.maybe.erase(l);
  // ALERTS and ALERTS_FOR_STATE hold a series per alert, told apart by its alertname.
  if (const std::string& name = promql::metric_name(vs); name == "ALERTS" || name == "ALERTS_FOR_STATE") {
    s.labels.insert("alertname");
    s.maybe.erase("alertname");
    s.several.emplace("alertname", name + " holds a series per alert");
  }
  // What the matchers say, whatever the metric: l="v" pins a value, l="" takes the label off,
  // a matcher the empty value fails puts it on every series.
  if (!vs.matchers.empty()) {
    // A recording rule's series carry the labels its expression leaves them and those its rule
    // sets, with the values they are known to take: a matcher that wants another selects nothing.
    // The values are those of the copy at hand, though: another file may record the name with
    // others (slo-exporter's generator writes a file of thresholds per SLO domain, its shipped
    // example-domain.yaml is one), so only a reader in the rules' own file is told so.
    std::string unrecorded;
    for (const auto& m : vs.matchers) {
      if (!recorded || !unrecorded.empty()) break;
      if (m.name == "__name__") continue;
      auto known = s.values.find(m.name);
      if (!promql::matches_empty(m) && absent(s, m.name)) {
        std::string why = removed_by(s, m.name);
        unrecorded = recorded->name + "'s series have no " + m.name + (why.empty() ? "" : " (" + why + ")");
      } else if (known != s.values.end() && recorded_here(*recorded) &&
                 std::none_of(known->second.begin(), known->second.end(), [&](const std::string& v) {
                   return labels::matches(m, v, labels::Dialect::prometheus);
                 })) {
        unrecorded = util::concat({recorded->name, "'s ", m.name, " is always ", util::join(known->second, " or "),
                                   ", which ", promql::format_matcher(m), " refuses"});
      }
    }
    for (const auto& m : vs.matchers) {
      if (m.name == "__name__") continue;
      if (m.op == MatchOp::equal && m.value.empty()) {
        s.labels.erase(m.name);
        s.maybe.erase(m.name);
        s.values.erase(m.name);
        s.removed[m.name] = "the matcher " + m.name + "=\"\"";
        continue;
      }
      if (m.op == MatchOp::equal) s.values[m.name] = {m.value}, s.several.erase(m.name);
      // A regex that lists values narrows those known to them (a recorded job=~"a|d" read with
      // job=~"a|b" is a), or gives them; a list with the empty value lets the label be absent.
      if (auto listed = m.op == MatchOp::regex && !promql::matches_empty(m) ? listed_values(m.value) : std::nullopt) {
        auto known = s.values.find(m.name);
        if (known == s.values.end()) s.values[m.name] = std::move(*listed);
        else {
          std::vector<std::string> was = known->second, both;
          std::sort(was.begin(), was.end());
          std::set_intersection(was.begin(), was.end(), listed->begin(), listed->end(), std::back_inserter(both));
          if (!both.empty()) known->second = std::move(both);
        }
      }
      if (m.op == MatchOp::regex && several_values(m.value) && !names_origin(m.name))
        s.several[m.name] = "the matcher " + promql::format_matcher(m) + " accepts several values";
      if (!promql::matches_empty(m)) {
        s.labels.insert(m.name);
        s.maybe.erase(m.name);
      }
    }
    s.empty = impossible_matchers(vs);
    if (s.empty.empty()) s.empty = std::move(unrecorded);
    // le on a series no rule records (a rule's, or scraped too, may keep its buckets' le).
    if (s.empty.empty() && !recorded_.count(promql::metric_name(vs)))
      if (const auto origin = series(vs).origin;
          origin == SeriesInfo::Origin::external || origin == SeriesInfo::Origin::unknown)
        s.empty = le_off_buckets(vs);
    // A well-known exporter's values, unless the name is the user's catalog's or a rule's.
    if (s.empty.empty() && !recorded && catalog::exporters().find(promql::metric_name(vs)))
      if (const auto origin = series(vs).origin;
          origin == SeriesInfo::Origin::external || origin == SeriesInfo::Origin::unknown)
        if (auto refused = exporter_refusal(vs)) s.empty = std::move(refused->why);
  }
}

const RecordedMetric* Inference::leaf_labels(const VectorSelector& vs, Shape& s) const {
  const RecordedMetric* recorded = one_source_labels(vs, s);
  // A recorded name that may be scraped too: the selector reads the series of both.
  if (auto it = recorded_.find(promql::metric_name(vs));
      it != recorded_.end() && it->second.source == RecordedMetric::Source::both) {
    Shape rules = it->second.shape;
    rules.filters = false;
    rules.joined.clear();
    rules.empty.clear();
    Shape both;
    either(rules, s, both);
    both.kind = s.kind; // the scraped metric's, as its name says
    s = std::move(both);
  }
  return recorded;
}

const RecordedMetric* Inference::one_source_labels(const VectorSelector& vs, Shape& s) const {
  SeriesInfo info = series(vs);
  if (info.origin == SeriesInfo::Origin::recording) {
    s = info.recorded->shape;
    // Rules of the name whose series the matchers refuse (a label the rule fixes to another
    // value, or lacks where the matcher needs one) are not read: the other rules' series alone.
    if (!info.recorded->parts.empty()) {
      std::vector<const Shape*> read;
      for (const Shape& part : info.recorded->parts)
        if (passes(vs.matchers, part)) read.push_back(&part);
      if (!read.empty() && read.size() < info.recorded->parts.size()) {
        s = *read.front();
        for (std::size_t i = 1; i < read.size(); ++i) combine_recorded(s, *read[i], *this);
      }
    }
    s.filters = false;
    s.joined.clear(); // its rule's joins, not this expression's
    s.empty.clear();
    // Recorded by the rules of another directory, often another Prometheus's (a cache, a shard),
    // whose series reach this one by federation or remote write with its external labels, or read
    // by a Thanos Ruler through its querier, which adds the external labels of the server that
    // stored each series: which labels they carry is not known from the rule. So with rules of
    // the name in several directories, whichever is read first.
    const std::string& from = info.recorded->span.file.str();
    if (querier_ ||
        (dir_ && (info.recorded->several_dirs || std::string_view(from).substr(0, from.rfind('/') + 1) != *dir_))) {
      s.labels_known = s.targets_open = false, s.closed_by.clear();
      return nullptr;
    }
    return info.recorded;
  }
  if (info.origin == SeriesInfo::Origin::external || info.origin == SeriesInfo::Origin::unknown) {
    // Another exporter's metric: its labels are unknown, its counters known by their names
    // (Prometheus's naming rules); nothing is assumed a gauge. A scraped series (no ':' of a
    // recording rule in its name) carries the target labels Prometheus always sets.
    // A counter by its name only. A histogram's or summary's series (_bucket, and _count or _sum
    // of a name ending in its unit) never goes below 0; _total is a convention exporters also give
    // gauges (scylla_manager_repair_token_ranges_total), so no range is claimed from it: `>= 0` on
    // it is not "always true".
    // A _total that a well-known exporter's source writes as a gauge (CloudNativePG's
    // cnpg_backends_total, the backends connected now) is one: the source outweighs the convention
    // (only a listed name: an exporter's gauge prefixes never take a _total).
    const bool external = info.origin == SeriesInfo::Origin::external;
    // A counter a well-known exporter's source declares (CounterValue) is one whatever its name
    // (elasticsearch_exporter's elasticsearch_indices_search_fetch_time_seconds).
    if (const catalog::Exporter* declared = external ? catalog::exporters().counter(info.name) : nullptr) {
      s.kind = ValueKind::counter;
      s.set_range(0, s.hi,
                  declared->counts_untyped(info.name)
                      ? util::concat({declared->name, " passes ", info.name, " on untyped from ",
                                      declared->counters_untyped_from, ", a count"})
                      : util::concat({declared->name, " writes ", info.name, " as a counter"}));
    } else if (external && external_counter_name(info.name) &&
               !(util::ends_with(info.name, "_total") && catalog::exporters().gauge(info.name))) {
      s.kind = ValueKind::counter;
      if (!util::ends_with(info.name, "_total"))
        s.set_range(0, s.hi, info.name + " is a histogram's or summary's counter");
    } else if (external && catalog::exporters().gauge(info.name)) {
      s.kind = ValueKind::gauge; // a well-known exporter's gauge (rules/exporters.yml)
      if (const catalog::Exporter* one = catalog::exporters().always_one(info.name))
        s.set_range(1, 1, util::concat({one->name, " writes ", info.name, " as 1 on every series"}));
      else if (const catalog::Exporter* flag = catalog::exporters().zero_or_one(info.name))
        s.set_range(0, 1, util::concat({flag->name, " writes ", info.name, " as 0 or 1"}));
    }
    if (!info.name.empty() && info.name.find(':') == std::string::npos && info.name.rfind("ALERTS", 0) != 0)
      s.labels.insert("instance"), s.labels.insert("job");
    if (const catalog::ExporterMetric* known = catalog::exporters().find(info.name)) exporter_labels(*known, s);
    if (const catalog::ExporterFamily* f = catalog::exporters().family(info.name)) family_labels(*f, info.name, s);
    if (std::string why = unlimited_is_zero(info.name); !why.empty()) s.set_range(0, s.hi, std::move(why));
    // A recording rule's series whose rule is not at hand: its name may say it is a ratio.
    if (std::string why = ratio_by_name(info.name); !why.empty()) narrow_to_ratio(s, why);
    return nullptr;
  }
  if (info.origin != SeriesInfo::Origin::catalog) return nullptr; // a selector with no name: nothing known
  const auto& m = *info.metric;
  if (m.prometheus && m.name.rfind("ALERTS", 0) == 0) {
    s.labels = scraped_labels(m, info.suffix); // the rules' labels, no target labels
    s.labels.insert("__name__");
    s.labels_known = !m.open_labels;
  } else {
    // The series of every job that may have scraped it: a label on all of them is certain, on
    // some a maybe, on none absent (dropped, when a relabel rule removed it).
    const auto& sel = targets_->selected(m, info.suffix == "_bucket", targets_->jobs_for(vs));
    s.labels = sel.labels;
    s.maybe = sel.maybe;
    s.dropped = sel.dropped;
    s.labels_known = !sel.open && !m.open_labels;
    s.targets_open = sel.open && !m.open_labels;
  }
  for (const auto& l : m.labels)
    if (!l.values.empty() && s.labels.count(l.name)) s.values[l.name] = l.values;
  bool counter_series = m.type == catalog::MetricType::counter ? info.suffix != "_created"
                        : (m.type == catalog::MetricType::histogram || m.type == catalog::MetricType::summary)
                            ? (info.suffix == "_bucket" || info.suffix == "_count" || info.suffix == "_sum")
                            : false;
  s.kind = counter_series ? ValueKind::counter : ValueKind::gauge;
  if (counter_series) s.set_range(0, s.hi, info.name + " is a counter");
  if (m.type == catalog::MetricType::gauge) s.unit = m.unit, s.unit_of = m.name;
  if (m.type == catalog::MetricType::gauge && m.unit == "ratio") s.set_range(0, 1, m.name + " is a ratio");
  if (m.type == catalog::MetricType::gauge && m.unit == "percent") s.set_range(0, 100, m.name + " is a percentage");
  if (m.type == catalog::MetricType::histogram && info.suffix == "_bucket") s.bucket_unit = m.unit, s.unit_of = m.name;
  return nullptr;
}

void Inference::call(const Call& c, Shape& s) const {
  std::string_view n = c.name;
  const Shape* arg0 = nullptr;
  for (const Expr* a : c.args)
    if (a->type == ValueType::vector || a->type == ValueType::matrix) {
      arg0 = &at(a);
      break;
    }
  for (const Expr* a : c.args) s.filters = s.filters || at(a).filters;
  if (n == "absent" || n == "absent_over_time") {
    // The result carries the labels of the selector's equality matchers.
    s.labels_known = true;
    s.filters = true;
    s.set_range(1, 1, c.name + "() is 1 when it returns anything");
    s.count_like = true;
    const Expr* arg = c.args.empty() ? nullptr : unparen(c.args[0]);
    if (arg && arg->kind == NodeKind::matrix_selector) arg = arg->as<MatrixSelector>().selector;
    if (arg && arg->kind == NodeKind::vector_selector) {
      for (const auto& m : arg->as<VectorSelector>().matchers)
        if (m.op == MatchOp::equal && m.name != "__name__" && !m.value.empty()) {
          s.labels.insert(m.name);
          s.values[m.name] = {m.value};
        }
      // The ruler's scope matchers too (GMP's namespace: proofs/review12.test.yml, GMPScopeAbsent).
      if (scope_) s.labels.insert(scope_->begin(), scope_->end());
    }
    return;
  }
  if (n == "vector" || n == "time" || n == "pi") {
    s.labels_known = true;
    if (n == "vector" && !c.args.empty()) {
      const Shape& v = at(c.args[0]);
      s.lo = v.lo, s.hi = v.hi, s.lo_open = v.lo_open, s.hi_open = v.hi_open, s.range_of = v.range_of;
      s.nan = v.nan;
      s.nan_inf = v.nan_inf;
    }
    if (n == "time") s.set_range(0, s.hi);
    return;
  }
  if (n == "scalar" && arg0) {
    s.labels_known = true;
    s.lo = arg0->lo, s.hi = arg0->hi, s.lo_open = arg0->lo_open, s.hi_open = arg0->hi_open;
    s.range_of = arg0->range_of;
    s.nan = "scalar() is NaN unless its argument has exactly one series";
    return;
  }
  if (!arg0) return;
  s.labels = arg0->labels;
  s.labels_known = arg0->labels_known;
  s.maybe = arg0->maybe;
  s.targets_open = arg0->targets_open;
  s.dropped = arg0->dropped;
  s.unwritten = arg0->unwritten;
  s.removed = arg0->removed;
  s.lacking = arg0->lacking;
  for (auto& [x, k] : s.lacking) k.value = k.value ? value_of_constant(c, *k.value) : std::nullopt;
  s.closed_by = arg0->closed_by;
  s.values = arg0->values;
  s.several = arg0->several;
  s.joined = arg0->joined;
  // Functions drop the metric name, but for those below that keep their argument's, if it has one
  // (promtool 2.42: sort(sum by (a) (foo)) and timestamp(foo) have no __name__ in $labels,
  // review10a).
  const bool named = arg0->labels.count("__name__") > 0;
  s.labels.erase("__name__");
  s.aggregated = arg0->aggregated;
  s.empty = arg0->empty;
  s.nan = arg0->nan;
  s.nan_at = arg0->nan_at;
  s.nan_aggregated = arg0->nan_aggregated;
  s.nan_inf = arg0->nan_inf;
  if (n == "label_replace" || n == "label_join") {
    // They keep the metric name (review10a: count by (__name__) (...), then label_replace, prints
    // LABELS = map[__name__:foo name:foo], proofs/review10a-cardinality.test.yml).
    if (named) s.labels.insert("__name__");
    const Expr* dst = c.args.size() > 1 ? unparen(c.args[1]) : nullptr;
    if (dst && dst->kind == NodeKind::string_literal) {
      s.set_label(dst->as<StringLiteral>().value);
      if (std::string v = replaced_with(c); !v.empty()) s.values[dst->as<StringLiteral>().value] = {v};
    } else s.labels_known = s.targets_open = false, s.dropped.clear(), s.unwritten.clear(), s.removed.clear();
  } else if (n == "histogram_quantile" || n == "histogram_fraction") {
    s.labels.erase("le");
    s.values.erase("le");
    s.removed["le"] = c.name + "()";
    s.several.erase("le");
    if (s.nan.empty()) {
      s.nan = c.name + "() of buckets with no observations in the window is NaN";
      s.nan_at = c.range;
      s.nan_aggregated = false;
      s.nan_inf = false;
    }
  } else if (n == "info") {
    s.labels_known = s.targets_open = false; // adds the info metric's labels
    s.dropped.clear();
    s.unwritten.clear();
  } else if (named && (n == "sort" || n == "sort_desc" || n == "sort_by_label" || n == "sort_by_label_desc" ||
                       n == "last_over_time")) {
    s.labels.insert("__name__");
  }
  if (is_rate_function(n)) s.adds_up = whole_read(c);
  if (is_rate_function(n) || n == "deriv" || n == "delta" || n == "idelta") s.kind = ValueKind::gauge;
  else if (keeps_values(n)) {
    s.kind = arg0->kind;
    s.unit = arg0->unit;
  } else s.kind = ValueKind::gauge;
  // The le bounds survive what changes the bucket counts (rate, over-time functions); a quantile
  // of the buckets is in the bounds' unit, a fraction of them a ratio.
  if (is_rate_function(n) || keeps_values(n)) s.bucket_unit = arg0->bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = arg0->unit_of;
  if (n == "histogram_quantile" && !arg0->bucket_unit.empty())
    s.unit = arg0->bucket_unit, s.unit_of = "the quantile of " + arg0->unit_of;
  else if (n == "histogram_fraction" && !arg0->bucket_unit.empty())
    s.unit = "ratio", s.unit_of = "histogram_fraction of " + arg0->unit_of;
  call_range(c, *arg0, s);
}

// The series of `l or r`, into `s` (a new Shape): certain on both is certain, on one a maybe.
void Inference::either(const Shape& l, const Shape& r, Shape& s, bool right_if_left_empty) const {
  // Series of either side: certain on both is certain, on one a maybe.
  s.labels = l.labels;
  s.labels.insert(r.labels.begin(), r.labels.end());
  for (const auto& x : s.labels)
    if (!l.labels.count(x) || !r.labels.count(x) || l.maybe.count(x) || r.maybe.count(x)) s.maybe.insert(x);
  s.labels_known = l.labels_known && r.labels_known;
  s.targets_open = !s.labels_known && (l.labels_known || l.targets_open) && (r.labels_known || r.targets_open);
  for (const auto& [x, why] : l.dropped)
    if (r.dropped.count(x)) s.dropped.emplace(x, why);
  for (const auto& x : l.unwritten)
    if (r.unwritten.count(x)) s.unwritten.insert(x);
  for (const auto& [x, why] : l.removed)
    if (absent(r, x)) s.removed.emplace(x, why);
  // A label one side never has: the series of that side lack it.
  const unsigned left = ++sides_, right = ++sides_;
  for (const auto& x : s.labels) {
    if (s.removed.count(x)) continue;
    if (absent(l, x))
      s.lacking.emplace(x, Lacking{"the left side of 'or' has no " + x, only_value(l), present(r, x), left});
    else if (absent(r, x))
      s.lacking.emplace(
          x, Lacking{"the right side of 'or' has no " + x, only_value(r), present(l, x) || right_if_left_empty, right});
  }
  for (const auto* side : {&l, &r})
    for (const auto& [x, k] : side->lacking)
      if (auto [it, added] = s.lacking.emplace(x, k); !added && it->second.from != k.from) it->second.from = 0;
  for (const auto& [x, vl] : l.values)
    if (auto it = r.values.find(x); it != r.values.end()) {
      std::vector<std::string> both = vl;
      both.insert(both.end(), it->second.begin(), it->second.end());
      std::sort(both.begin(), both.end());
      both.erase(std::unique(both.begin(), both.end()), both.end());
      s.values[x] = std::move(both);
    }
  s.several = l.several;
  s.several.insert(r.several.begin(), r.several.end());
  s.joined = l.joined;
  s.joined.insert(r.joined.begin(), r.joined.end());
  s.filters = l.filters && r.filters;
  s.set_range(std::min(l.lo, r.lo), std::max(l.hi, r.hi),
              l.range_of.comparison && r.range_of.comparison
                  ? RangeReason("the comparisons on both sides of 'or' keep only the values they accept", true)
                  : RangeReason());
  s.count_like = l.count_like && r.count_like;
  s.nan = l.nan.empty() ? r.nan : l.nan;
  s.nan_at = l.nan.empty() ? r.nan_at : l.nan_at;
  s.nan_aggregated = l.nan_aggregated || r.nan_aggregated;
  s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
  if (!l.empty.empty() && !r.empty.empty()) s.empty = l.empty;
}

// The series of `e` that a comparison `OP v` may let through. Of an `or`, a side whose values can
// never pass contributes no series, and no labels: (x or vector(0)) > 0 returns x's series alone.
void Inference::passing(const Expr* e, BinaryOp op, double v, Shape& s) const {
  const Expr* u = unparen(e);
  if (u->kind != NodeKind::binary || u->as<BinaryExpr>().op != BinaryOp::lor) {
    s = at(e);
    return;
  }
  // The sides of a chain of `or`, left to right, without recursion (a chain may be long).
  std::vector<const Expr*> sides, todo{u};
  while (!todo.empty()) {
    const Expr* x = unparen(todo.back());
    todo.pop_back();
    if (x->kind == NodeKind::binary && x->as<BinaryExpr>().op == BinaryOp::lor) {
      todo.push_back(x->as<BinaryExpr>().rhs);
      todo.push_back(x->as<BinaryExpr>().lhs);
    } else if (compare(at(x), op, v) != Verdict::never && at(x).empty.empty()) {
      sides.push_back(x);
    } else {
      sides.push_back(nullptr);
    }
  }
  const std::size_t n = sides.size();
  std::erase(sides, nullptr);
  // All pass, or none (the comparison then says it never holds): the `or` as it is.
  if (sides.empty() || sides.size() == n) {
    s = at(e);
    return;
  }
  s = at(sides[0]);
  for (std::size_t i = 1; i < sides.size(); ++i) {
    Shape both;
    either(s, at(sides[i]), both);
    s = std::move(both);
  }
}

// Of `l op r` (arithmetic or comparison, vectors on both sides), what becomes of the result's
// series that lack a label: where matching reads the label, they meet only series of the other
// side that lack it too, none where the other side's all carry it (nor do the other labels those
// series lack, then), and their value is then the
// two lacking values combined (0/0 of two defaults is NaN).
void Inference::match_lacking(const BinaryExpr& b, const Shape& l, const Shape& r, Shape& s) const {
  const VectorMatching* vm = b.matching();
  const bool left = !(vm && vm->card == Cardinality::one_to_many); // whose series the result's are
  const Shape& other = left ? r : l;
  const bool arithmetic = !is_comparison(b.op);
  std::set<unsigned> unmatched; // sides of `or` whose series meet none of the other side's
  for (auto it = s.lacking.begin(); it != s.lacking.end();) {
    Lacking& k = it->second;
    const bool listed = vm && std::find(vm->labels.begin(), vm->labels.end(), it->first) != vm->labels.end();
    const bool matched = vm && vm->on ? listed : !listed;
    if (matched && present(other, it->first)) {
      if (k.from) unmatched.insert(k.from);
      it = s.lacking.erase(it);
      continue;
    }
    auto o = other.lacking.find(it->first);
    if (matched && o != other.lacking.end() && k.value && o->second.value && arithmetic) {
      k.value = left ? combine(b.op, *k.value, *o->second.value) : combine(b.op, *o->second.value, *k.value);
      k.alone = k.alone && o->second.alone;
    } else if (arithmetic || b.return_bool) k.value.reset();
    ++it;
  }
  // Those series are not in the result, whatever other label they lack: `(x or on() vector(0)) /
  // sum by (instance, site) (y)` returns no series without site, as vector(0)'s has no instance.
  erase_if(s.lacking, [&](const auto& kv) { return unmatched.count(kv.second.from) > 0; });
}

namespace {
const Call* call_named(const Expr* e, std::string_view name) {
  e = unparen(e);
  return e->kind == NodeKind::call && e->as<Call>().name == name ? &e->as<Call>() : nullptr;
}

// How far before time() the times timestamp() returns lie, for the forms that tell: a selector of
// the samples at the evaluation time (no offset, no @) finds none older than the lookback (5m
// unless --query.lookback-delta says otherwise), and Prometheus stamps the samples it computes (any
// other argument) with the evaluation time itself (engine.go evaluates timestamp() of a selector
// on its samples' times only).
struct Stamp {
  double earliest; ///< seconds relative to time(): -300 or 0; the latest is 0
  const char* what;
};

std::optional<Stamp> stamp_of(const Expr* e) {
  const Call* ts = call_named(e, "timestamp");
  if (!ts || ts->args.size() != 1) return std::nullopt;
  const Expr* arg = unparen(ts->args[0]);
  if (arg->kind != NodeKind::vector_selector)
    return Stamp{0, "timestamp() of an expression that is not a selector is the evaluation time, time() itself "
                    "(Prometheus stamps the samples it computes with it)"};
  const auto& vs = arg->as<VectorSelector>();
  if (vs.modifiers.offset_ns || vs.modifiers.offset_expr || vs.modifiers.at != AtKind::none || vs.anchored ||
      vs.smoothed)
    return std::nullopt;
  return Stamp{-300, "timestamp() of a selector is its latest sample's time, which the 5m lookback keeps within 300 "
                     "seconds before time() (an older sample is not selected)"};
}
} // namespace

void Inference::binary(const BinaryExpr& b, Shape& s) const {
  const Shape& l = at(b.lhs);
  const Shape& r = at(b.rhs);
  bool lv = b.lhs->type == ValueType::vector, rv = b.rhs->type == ValueType::vector;
  bool comparison = is_comparison(b.op) && !b.return_bool;
  bool arithmetic = !is_comparison(b.op) && !is_set_operator(b.op);
  const std::optional<double> lc = comparison ? constant(b.lhs) : std::nullopt;
  const std::optional<double> rc = comparison ? constant(b.rhs) : std::nullopt;
  if (lv && !rv) {
    if (rc) passing(b.lhs, b.op, *rc, s);
    else s = l;
  } else if (!lv && rv) {
    if (lc) passing(b.rhs, flip(b.op), *lc, s);
    else s = r;
  } else if (lv && rv) {
    const VectorMatching* vm = b.matching();
    if (b.op == BinaryOp::lor) {
      // A side that never returns a series adds none, and no labels: `x > 1 or vector(0) > 0`
      // (a comparison binds tighter than `or`) is x > 1.
      if (l.empty.empty() != r.empty.empty()) {
        s = l.empty.empty() ? l : r;
        return;
      }
      s.reset();
      either(l, r, s, vm && vm->on && vm->labels.empty());
      return;
    }
    if (vm && vm->card == Cardinality::one_to_many) s = r;
    else s = l;
    s.filters = b.op == BinaryOp::lunless || l.filters || r.filters;
    // Nothing on one side: nothing out, but from the left of unless. Sides whose match groups
    // never meet: nothing out either (unless removes nothing).
    if (b.op != BinaryOp::lunless && s.empty.empty()) s.empty = !l.empty.empty() ? l.empty : r.empty;
    if (b.op != BinaryOp::lunless && s.empty.empty() && vm &&
        (!apart(l, r, *vm).empty() || !apart(r, l, *vm).empty() || !values_apart(l, r, *vm).empty()))
      s.empty = "the two sides of '" + std::string(to_string(b.op)) + "' can never match";
    if (vm && !is_set_operator(b.op) && vm->card == Cardinality::one_to_one) {
      // on(...) keeps only those labels, ignoring(...) drops them: arithmetic and comparisons
      // alike (Prometheus's resultMetric).
      std::string how = std::string(vm->on ? "on" : "ignoring") + " (" + util::join(vm->labels, ", ") + ")";
      if (vm->on) {
        // An on() label nothing proves absent stays, on some series at least.
        LabelSet keep(vm->labels.begin(), vm->labels.end());
        LabelSet kept;
        for (const auto& x : keep)
          if (s.labels.count(x)) kept.insert(x);
          else if (!absent(s, x)) kept.insert(x), s.maybe.insert(x);
        s.labels = kept;
        s.labels_known = true;
        s.targets_open = false;
        s.closed_by = closing(how, s.labels);
        erase_if(s.values, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.lacking, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.several, [&](const auto& kv) { return !keep.count(kv.first); });
        erase_if(s.joined, [&](const auto& kv) { return !keep.count(kv.first); });
      } else {
        for (const auto& x : vm->labels) {
          s.labels.erase(x), s.maybe.erase(x), s.values.erase(x), s.lacking.erase(x), s.several.erase(x),
              s.joined.erase(x);
          s.removed[x] = how;
        }
      }
    }
    if (vm && (vm->card == Cardinality::many_to_one || vm->card == Cardinality::one_to_many)) {
      const Shape& other = vm->card == Cardinality::many_to_one ? r : l;
      const char* side = vm->card == Cardinality::many_to_one ? "right" : "left";
      // group_left(x) copies x from the other side, or removes it when that side has none.
      for (const auto& inc : vm->include) {
        s.dropped.erase(inc);
        s.lacking.erase(inc);
        if (absent(other, inc)) {
          s.labels.erase(inc);
          s.maybe.erase(inc);
          s.values.erase(inc);
          s.several.erase(inc);
          s.joined.erase(inc);
          s.removed[inc] = util::concat({vm->card == Cardinality::many_to_one ? "group_left" : "group_right", " (", inc,
                                         "), copying it from the ", side, " side's series, which have none,"});
          continue;
        }
        s.removed.erase(inc);
        s.labels.insert(inc);
        if (!other.labels.count(inc) || other.maybe.count(inc)) s.maybe.insert(inc);
        else s.maybe.erase(inc);
        if (auto it = other.values.find(inc); it != other.values.end()) s.values[inc] = it->second;
        else s.values.erase(inc);
        s.several.erase(inc); // one value per series of this side: the one side has one series per group
        s.joined[inc] = util::concat({vm->card == Cardinality::many_to_one ? "group_left" : "group_right", " (",
                                      util::join(vm->include, ", "), ")"});
        if (auto it = other.lacking.find(inc); it != other.lacking.end()) s.lacking.insert(*it);
      }
      // The result's labels are this side's and the copied ones, which the loop above adds (as
      // maybe where the other side may lack them): what the other side carries besides adds none.
    }
    if (!is_set_operator(b.op)) match_lacking(b, l, r, s);
    if (arithmetic) {
      arithmetic_range(b.op, l, r, s);
      s.count_like = false;
      if (b.op == BinaryOp::div && vm && vm->card == Cardinality::one_to_one && !vm->on && vm->labels.empty() &&
          !vm->fill_lhs && !vm->fill_rhs) {
        // The whole may be scaled where it divides (a / (b * 100), meant as a percentage, is at
        // most 0.01).
        const Expr* whole = unparen(b.rhs);
        std::optional<double> times;
        if (whole->kind == NodeKind::binary && whole->as<BinaryExpr>().op == BinaryOp::mul) {
          const auto& m = whole->as<BinaryExpr>();
          if (auto c = constant(m.rhs); c && *c > 0) times = c, whole = m.lhs;
          else if (auto c2 = constant(m.lhs); c2 && *c2 > 0) times = c2, whole = m.rhs;
        }
        // A series over itself (no sum on the way) is 1, or 1 times the factors.
        if (PartOfWhole p = part_of_whole(b.lhs, whole); !p.why.empty()) {
          p.whole_times *= times.value_or(1);
          const double hi = p.part_times / p.whole_times;
          auto scaled = [&](const char* side, const char* what, double f) {
            return f == 1 ? std::string()
                          : util::concat({", and the ", side, " is ", p.itself ? "the series" : what, " times ",
                                          util::format_number(f)});
          };
          RangeReason reason(hi != 1
                                 ? util::concat({p.why, scaled("dividend", "the part", p.part_times),
                                                 scaled("divisor", "the whole", p.whole_times), ", so the quotient is ",
                                                 p.itself     ? ""
                                                 : p.negative ? "between " + util::format_number(-hi) + " and "
                                                              : "between 0 and ",
                                                 util::format_number(hi)})
                                 : std::move(p.why));
          reason.itself = p.itself;
          reason.zero_whole = p.zero_whole;
          s.set_range(p.itself ? hi : p.negative ? -hi : 0, hi, std::move(reason));
        }
      }
    }
    if (!comparison && !is_set_operator(b.op)) {
      // NaN spreads through arithmetic; 0/0 makes it.
      s.nan = l.nan.empty() ? r.nan : l.nan;
      s.nan_at = l.nan.empty() ? r.nan_at : l.nan_at;
      s.nan_aggregated = l.nan_aggregated || r.nan_aggregated;
      s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
    }
  } else {
    s.reset();
    s.labels_known = true; // scalar op scalar
  }
  if (arithmetic && (!lv || !rv)) {
    // The lacking series' one value, with the number.
    const std::optional<double> c = constant(lv ? b.rhs : b.lhs);
    for (auto& [x, k] : s.lacking)
      k.value =
          k.value && c ? std::optional(lv ? combine(b.op, *k.value, *c) : combine(b.op, *c, *k.value)) : std::nullopt;
    arithmetic_range(b.op, l, r, s);
    s.count_like = false;
    if (s.nan.empty()) s.nan = l.nan.empty() ? r.nan : l.nan, s.nan_inf = l.nan.empty() ? r.nan_inf : l.nan_inf;
    // time() - timestamp(x) is the age of x's latest sample, which a selector finds only within
    // the lookback (5m unless --query.lookback-delta says otherwise): an older one selects
    // nothing, so the age never exceeds it (postgres_exporter's mixin: `timestamp(x) < time() -
    // 36000` for a table not vacuumed in ten hours).
    if (auto stamp = b.op == BinaryOp::sub && call_named(b.lhs, "time") ? stamp_of(b.rhs) : std::nullopt)
      s.set_range(0, -stamp->earliest,
                  stamp->earliest < 0 ? "time() - timestamp() of a selector is its latest sample's age, which the 5m "
                                        "lookback keeps below 300 (an older sample is not selected)"
                                      : "time() - timestamp() of an expression that is not a selector is 0: "
                                        "Prometheus stamps the samples it computes with the evaluation time");
  }
  // A divisor that can be 0 (value_range.cpp): NaN or an infinity, which an aggregation spreads.
  if (arithmetic && (b.op == BinaryOp::div || b.op == BinaryOp::mod) && s.nan.empty() && (lv || rv)) {
    bool inf = false;
    if (std::string why = zero_divisor(b, l, r, inf); !why.empty()) {
      s.nan = std::move(why);
      s.nan_at = b.range;
      s.nan_aggregated = false;
      s.nan_inf = inf;
    }
  }
  if (comparison) {
    s.filters = true;
    s.nan.clear(); // a comparison with NaN is false: the series goes
    s.nan_inf = false;
    // x > 3 narrows the values that pass.
    const Expr* number = lv && !rv ? b.rhs : (!lv && rv ? b.lhs : nullptr);
    if (auto c = constant(number)) {
      double v = *c;
      BinaryOp op = number == b.lhs ? flip(b.op) : b.op;
      if (compare(s, op, v) == Verdict::never && s.empty.empty()) s.empty = "the comparison can never be true";
      // Series lacking a label whose one value never passes are not in the result.
      erase_if(s.lacking, [&](const auto& kv) {
        if (!kv.second.value) return false;
        Shape one;
        one.set_range(*kv.second.value, *kv.second.value);
        return std::isnan(*kv.second.value) || compare(one, op, v) == Verdict::never;
      });
      // What bounds the values now is this comparison, whatever bounded them before.
      if ((op == BinaryOp::gtr || op == BinaryOp::gte) && v >= s.lo) {
        RangeReason why(op, v);
        // The bound above stays what it was, and so does its reason: a part over its whole is at
        // most 1, and `> 0` keeps (0, 1] (gitlab-com-runbooks' `a / b > 0 * 100 > 1`).
        if (std::isfinite(s.hi) && !s.range_of.empty() && !s.range_of.comparison)
          why = RangeReason(util::concat({s.range_of.text(), ", and ", why.text()}), true);
        s.lo = v, s.lo_open = op == BinaryOp::gtr, s.range_of = std::move(why);
      }
      if ((op == BinaryOp::lss || op == BinaryOp::lte) && v <= s.hi)
        s.hi = v, s.hi_open = op == BinaryOp::lss, s.range_of = RangeReason(op, v);
      if (op == BinaryOp::eql) s.set_range(v, v, RangeReason(op, v));
      // A health gauge takes 0 or 1 alone: `up != 1` keeps the 0s, one value as `up == 0` does.
      if (auto one = health_value_passing(number == b.lhs ? b.rhs : b.lhs, op, v); one && s.may_be(*one))
        s.set_range(*one, *one, RangeReason(op, v));
    } else if (auto stamp = number ? stamp_of(number == b.lhs ? b.rhs : b.lhs) : std::nullopt;
               stamp && s.empty.empty() && !b.return_bool) {
      // timestamp(x) < time() - 36000 (postgres_exporter's mixin): compare the times as offsets
      // from time(), [-300, 0] (or 0) against -36000.
      const Expr* t = unparen(number);
      const BinaryExpr* shift = t->kind == NodeKind::binary ? &t->as<BinaryExpr>() : nullptr;
      std::optional<double> by;
      if (call_named(t, "time")) by = 0;
      else if (shift && (shift->op == BinaryOp::sub || shift->op == BinaryOp::add) && call_named(shift->lhs, "time"))
        if (auto n = constant(shift->rhs)) by = shift->op == BinaryOp::sub ? -*n : *n;
      Shape offset;
      offset.set_range(stamp->earliest, 0);
      const BinaryOp op = number == b.lhs ? flip(b.op) : b.op;
      if (by && compare(offset, op, *by) == Verdict::never)
        s.empty = util::concat({stamp->what, ", so it is never ", to_string(op), " ", print(*t)});
    }
  }
  if (b.return_bool) {
    for (auto& [x, k] : s.lacking) k.value.reset();
    s.set_range(0, 1, "a comparison with bool is 0 or 1");
    s.nan.clear();
    s.nan_inf = false;
    s.count_like = false;
  }
  if (arithmetic || b.return_bool) {
    s.labels.erase("__name__");
    s.kind = b.return_bool ? ValueKind::gauge : arithmetic_kind(b.op, l, r);
    s.unit.clear(); // a unit is no longer reliable, even after scaling by a number
  }
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
}

namespace {
// Whether a label of an aggregation's by list is known to tell its groups apart within any match
// group that leaves it out: not a label with one value there (pinned by a matcher), nor one that
// names where a series comes from (names_origin).
bool splits(const std::string& label, const Shape& in) {
  if (auto it = in.values.find(label); it != in.values.end() && it->second.size() == 1) return false;
  return !names_origin(label);
}
} // namespace

bool spreads_nan(AggregateOp op) {
  return op == AggregateOp::sum || op == AggregateOp::avg || op == AggregateOp::stddev || op == AggregateOp::stdvar;
}

bool one_series_per_group(const AggregateExpr& a, const Shape& in) {
  if (!in.labels_known) return false;
  auto grouped = [&](const std::string& l) {
    return std::find(a.grouping.begin(), a.grouping.end(), l) != a.grouping.end();
  };
  // A label left out with one value on every series (a recording rule's labels:, an equality
  // matcher) tells no two series apart.
  auto one_value = [&](const std::string& l) {
    auto it = in.values.find(l);
    return it != in.values.end() && it->second.size() == 1;
  };
  return std::all_of(in.labels.begin(), in.labels.end(),
                     [&](const std::string& l) { return l == "__name__" || grouped(l) != a.without || one_value(l); });
}

// min() straight over a well-known exporter's series whose label L is one-hot (for each object a
// series per value, at most one 1, the others 0: kube-state-metrics' kube_pod_status_phase), where
// the grouping leaves L out and the matchers let two values or more of L through: each object of a
// group brings a 0, so the min is always 0 (`min by (pod) (kube_pod_status_phase{phase=~"Running|
// Succeeded"}) < 1` fires for every pod). Why, or "" when that is not known.
std::string Inference::min_of_one_hot(const AggregateExpr& a) const {
  const Expr* e = unparen(a.expr);
  if (e->kind != NodeKind::vector_selector) return {};
  const auto& vs = e->as<VectorSelector>();
  if (series(vs).origin != SeriesInfo::Origin::external) return {};
  const catalog::ExporterMetric* known = catalog::exporters().find(promql::metric_name(vs));
  if (!known) return {};
  for (const auto& l : known->labels) {
    if (!l.one_hot || a.without != (std::find(a.grouping.begin(), a.grouping.end(), l.name) != a.grouping.end()))
      continue;
    std::vector<std::string> through;
    for (const auto& v : l.values)
      if (std::all_of(vs.matchers.begin(), vs.matchers.end(), [&](const Matcher& m) {
            return m.name != l.name || labels::matches(m, v, labels::Dialect::prometheus);
          }))
        through.push_back(v);
    if (through.size() >= 2)
      return util::concat({"min() over ", l.name, " ", util::join(through, ", "), " of ", known->name, " is always 0 (",
                           known->exporter->name, " writes", l.since.empty() ? "" : " since " + l.since,
                           ", for each object, a series per ", l.name, ", at most one of them 1 and the others 0)"});
  }
  return {};
}

void Inference::aggregate(const AggregateExpr& a, Shape& s) const {
  const Shape& in = at(a.expr);
  s.filters = in.filters;
  s.aggregated = true;
  s.empty = in.empty;
  if (a.op == AggregateOp::topk || a.op == AggregateOp::bottomk || a.op == AggregateOp::limitk ||
      a.op == AggregateOp::limit_ratio) {
    s = in;
    s.filters = true;
    // k = 1 keeps one series per group: no label of those left out tells two series apart.
    if (auto k = constant(a.param); k && *k == 1 && a.op != AggregateOp::limit_ratio)
      erase_if(s.several, [&](const auto& kv) {
        return a.without == (std::find(a.grouping.begin(), a.grouping.end(), kv.first) != a.grouping.end());
      });
    return;
  }
  const std::string_view op = to_string(a.op);
  const std::string how =
      a.grouping.empty() && !a.without
          ? util::concat({op, "()"})
          : util::concat({op, a.without ? " without (" : " by (", util::join(a.grouping, ", "), ")"});
  if (a.without) {
    s.labels = in.labels;
    s.labels_known = in.labels_known;
    s.closed_by = in.closed_by;
    s.removed = in.removed;
    s.several = in.several;
    s.joined = in.joined;
    for (const auto& g : a.grouping) {
      s.labels.erase(g);
      s.several.erase(g);
      s.joined.erase(g);
      s.removed[g] = how;
    }
    s.labels.erase("__name__");
  } else {
    s.labels_known = true;
    for (const auto& g : a.grouping) {
      if (absent(in, g)) continue;
      s.labels.insert(g);
      if (!in.labels.count(g) || in.maybe.count(g)) s.maybe.insert(g); // by (x) of series without x: no x
      if (auto it = in.joined.find(g); it != in.joined.end()) s.joined.insert(*it);
      if (auto it = in.several.find(g); it != in.several.end()) s.several.insert(*it);
      else if (splits(g, in)) s.several.emplace(g, how + " keeps a series per " + g);
    }
    s.closed_by = closing(how, s.labels);
  }
  // The input's series had no such label: neither has the result (the config's doing).
  s.maybe.insert(in.maybe.begin(), in.maybe.end());
  for (auto it = s.maybe.begin(); it != s.maybe.end();) it = s.labels.count(*it) ? std::next(it) : s.maybe.erase(it);
  for (const auto& [x, v] : in.values)
    if (s.labels.count(x)) s.values.emplace(x, v);
  // The lacking series alone in their groups keep their value through min, max, avg, a sum of 0s.
  for (const auto& [x, k] : in.lacking)
    if (s.labels.count(x)) {
      Lacking& out = s.lacking.emplace(x, k).first->second;
      const bool keeps = a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg ||
                         (a.op == AggregateOp::sum && k.value == 0.0);
      if (!k.alone || !keeps) out.value.reset();
    }
  s.dropped = in.dropped;
  s.unwritten = in.unwritten;
  if (a.without) s.targets_open = in.targets_open;
  if (a.op == AggregateOp::count_values) {
    const Expr* label = unparen(a.param);
    if (label && label->kind == NodeKind::string_literal) {
      s.set_label(label->as<StringLiteral>().value);
      s.several.emplace(label->as<StringLiteral>().value, how + " keeps a series per value");
    } else s.labels_known = s.targets_open = false;
  }
  // sum of counters is still a counter (the classic sum-then-rate trap); min/max/avg keep units.
  if (a.op == AggregateOp::sum) s.kind = in.kind;
  else if (a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg ||
           a.op == AggregateOp::quantile) {
    s.kind = in.kind;
    s.unit = in.unit;
  } else s.kind = ValueKind::gauge;
  // sum by (le) of buckets is still a histogram with the same bounds.
  if (a.op == AggregateOp::sum || a.op == AggregateOp::min || a.op == AggregateOp::max || a.op == AggregateOp::avg)
    s.bucket_unit = in.bucket_unit;
  if (!s.unit.empty() || !s.bucket_unit.empty()) s.unit_of = in.unit_of;
  // The values: a sum of values that are never negative is never negative, one of values a
  // comparison kept above 0 stays above 0 (sum(limit > 0) is no divisor of 0), and one of values
  // of at least 1 is at least 1 (sum(up == 1) < 1 never holds); a sum of positive values is
  // count-like (`sum(up == 1) > 0`, `sum(count(x)) > 0` are idioms, not "always true"); min, max,
  // avg and a quantile stay within the input's range; count and group count.
  switch (a.op) {
  case AggregateOp::sum:
    if (in.lo > 0) {
      const std::string lo = util::format_number(in.lo);
      s.set_range(in.lo, s.hi,
                  in.lo_open ? util::concat({"sum() of values above ", lo, " is above ", lo})
                             : util::concat({"sum() of values of at least ", lo, " is at least ", lo}));
      s.lo_open = in.lo_open;
      s.count_like = true;
    } else if (in.lo == 0 && in.hi == 0) {
      // Every value is 0 (sum(x == 0)): so is their sum, whatever the number of series.
      const std::string of = in.range_of.empty() ? "" : " (" + in.range_of.text() + ")";
      s.set_range(0, 0, RangeReason("sum() of values that are all 0 is 0" + of, in.range_of.comparison));
    } else if (in.lo >= 0) s.set_range(0, s.hi, in.range_of), s.lo_open = in.lo == 0 && in.lo_open;
    else if (in.hi <= 0) s.set_range(s.lo, 0, in.range_of), s.hi_open = in.hi == 0 && in.hi_open;
    // The rates of a CPU's every mode, summed over the modes: its time, which always passes.
    if (const catalog::ExporterWhole* w = in.adds_up;
        w && a.without == (std::find(a.grouping.begin(), a.grouping.end(), w->label) != a.grouping.end())) {
      s.set_range(0, s.hi, util::concat({w->how, ": its rate summed over every ", w->label, " is above 0"}));
      s.lo_open = true;
    }
    break;
  case AggregateOp::min:
  case AggregateOp::max:
  case AggregateOp::avg:
  case AggregateOp::quantile:
    s.lo = in.lo, s.hi = in.hi, s.lo_open = in.lo_open, s.hi_open = in.hi_open, s.range_of = in.range_of;
    s.count_like = in.count_like;
    if (a.op == AggregateOp::min)
      if (std::string why = min_of_one_hot(a); !why.empty()) s.set_range(0, 0, std::move(why));
    break;
  case AggregateOp::count:
  case AggregateOp::count_values:
    // A vector's series differ in their labels: grouped by all of them, a group holds one.
    if (a.op == AggregateOp::count && one_series_per_group(a, in))
      s.set_range(1, 1, how + " counts one series per group: it is always 1");
    else s.set_range(1, s.hi, util::concat({op, "() is at least 1"}));
    s.count_like = true;
    break;
  case AggregateOp::group: s.set_range(1, 1, "group() is always 1"); break;
  case AggregateOp::stddev:
  case AggregateOp::stdvar: s.set_range(0, s.hi, util::concat({op, "() is never negative"})); break;
  default: break;
  }
  // One NaN makes a sum or an average NaN; min and max pass it on only when every series is NaN.
  if (!in.nan.empty() && a.op != AggregateOp::count && a.op != AggregateOp::group &&
      a.op != AggregateOp::count_values) {
    s.nan = in.nan;
    s.nan_at = in.nan_at;
    s.nan_aggregated = in.nan_aggregated || spreads_nan(a.op);
    s.nan_inf = in.nan_inf;
  }
}

void Inference::node(const Expr& e, Shape& s) const {
  // `s` holds an earlier rule's shape: each kind starts from a copy of its child's, or from
  // nothing known (binary() knows which it does).
  if (e.kind != NodeKind::unary && e.kind != NodeKind::binary) s.reset();
  switch (e.kind) {
  case NodeKind::unary:
    s = at(e.as<UnaryExpr>().expr);
    s.adds_up = nullptr;
    s.labels.erase("__name__");
    s.kind = ValueKind::gauge;
    s.count_like = false;
    if (e.as<UnaryExpr>().op == UnaryOp::minus) {
      s.unit.clear(); // -ratio is between -1 and 0
      std::swap(s.lo, s.hi);
      std::swap(s.lo_open, s.hi_open);
      s.lo = -s.lo, s.hi = -s.hi;
      s.range_of.clear();
    }
    return;
  // Their results are no rates of a counter's series (Shape::adds_up), whatever they copied.
  case NodeKind::binary:
    binary(e.as<BinaryExpr>(), s);
    s.adds_up = nullptr;
    return;
  case NodeKind::aggregate:
    aggregate(e.as<AggregateExpr>(), s);
    s.adds_up = nullptr;
    return;
  case NodeKind::call: call(e.as<Call>(), s); return;
  case NodeKind::number_literal: {
    s.labels_known = true;
    double v = e.as<NumberLiteral>().value;
    if (!std::isnan(v)) s.set_range(v, v);
    return;
  }
  default: s.labels_known = true; return;
  }
}

namespace {
// A node whose result is its child's, unchanged: parentheses, a range selector's selector, a
// subquery's expression.
bool passes_through(const Expr& e) {
  return e.kind == NodeKind::paren || e.kind == NodeKind::matrix_selector || e.kind == NodeKind::subquery;
}

} // namespace

const Shape& Inference::run(const Expr& root) {
  series_.clear(); // a tree and its checks at a time: the memo stays a few names long
  // Pre-order, then reversed: every node comes after its children, with no recursion. A rule's
  // tree has a handful of nodes (~6): in a buffer of the call.
  std::array<std::byte, 64 * sizeof(const Expr*)> buffer;
  std::pmr::monotonic_buffer_resource memory(buffer.data(), buffer.size());
  std::pmr::vector<const Expr*> order(&memory);
  order.reserve(buffer.size() / sizeof(const Expr*));
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    order.push_back(&n);
    return true;
  });
  // Each node's place in shapes_, into the index first (sorted by address, merged with earlier
  // runs'), so that a node's shape finds its children's. A node that passes its child's result
  // on shares the child's shape rather than a copy of it; in pre-order that child is the next node.
  // A selector has two shapes: its metric's series (leaf_labels), kept for the checks of its
  // matchers, then what the matchers make of them, a copy narrowed.
  const std::size_t indexed = index_.size(), leaves = leaves_.size();
  if (index_.capacity() < indexed + order.size())
    index_.reserve(std::max(2 * index_.capacity(), indexed + order.size()));
  index_.resize(indexed + order.size());
  std::size_t next = made_;
  for (std::size_t i = order.size(); i-- > 0;) {
    std::size_t slot = passes_through(*order[i]) ? index_[indexed + i + 1].second : next++;
    if (order[i]->kind == NodeKind::vector_selector) leaves_.emplace_back(order[i], slot), slot = next++;
    index_[indexed + i] = {order[i], slot};
  }
  for (auto [index, from] : {std::pair{&index_, indexed}, std::pair{&leaves_, leaves}}) {
    std::sort(index->begin() + static_cast<std::ptrdiff_t>(from), index->end());
    std::inplace_merge(index->begin(), index->begin() + static_cast<std::ptrdiff_t>(from), index->end());
  }
  // The shapes, children first, each made in its place. A place that an earlier rule's shape had
  // is emptied in place (Shape::reset, or the copy of a child's shape a node starts from), which
  // keeps the memory of its strings and lists for this one.
  if (shapes_.size() < next) shapes_.resize(std::max(2 * shapes_.size(), next));
  auto place = [&](const Shape& from) -> Shape& { return shapes_[made_++] = from; };
  for (std::size_t i = order.size(); i-- > 0;) {
    if (passes_through(*order[i])) continue;
    Shape* made = nullptr;
    if (order[i]->kind == NodeKind::vector_selector) {
      const auto& vs = order[i]->as<VectorSelector>();
      Shape& before = shapes_[made_++];
      before.reset();
      const RecordedMetric* recorded = leaf_labels(vs, before);
      made = &place(before);
      leaf(vs, recorded, *made);
    } else {
      made = &shapes_[made_++];
      node(*order[i], *made);
    }
    Shape& s = *made;
    // A ratio or a percentage, while its unit survives, is bounded by it.
    if (!s.bounded() && (s.unit == "ratio" || s.unit == "percent"))
      s.set_range(0, s.unit == "ratio" ? 1 : 100, s.unit_of + " is a " + (s.unit == "ratio" ? "ratio" : "percentage"));
  }
  return at(&root);
}

std::string removed_by(const Shape& s, const std::string& label) {
  if (auto it = s.removed.find(label); it != s.removed.end()) return it->second + " removes it";
  if (!s.closed_by.empty() && !s.labels.count(label)) return s.closed_by;
  return {};
}

std::vector<std::string> Inference::apart(const Shape& a, const Shape& other, const VectorMatching& vm) const {
  std::vector<std::string> out;
  for (const auto& x : a.labels) {
    const bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
    if (x != "__name__" && (vm.on ? listed : !listed) && present(a, x) && absent(other, x)) out.push_back(x);
  }
  return out;
}

std::vector<std::string> Inference::values_apart(const Shape& a, const Shape& b, const VectorMatching& vm) const {
  std::vector<std::string> out;
  for (const auto& [x, va] : a.values) {
    const bool listed = std::find(vm.labels.begin(), vm.labels.end(), x) != vm.labels.end();
    auto it = b.values.find(x);
    if (x == "__name__" || (vm.on ? !listed : listed) || it == b.values.end()) continue;
    const auto& vb = it->second;
    // "" is no value but the label's absence, which apart() judges.
    auto unset = [](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), "") != v.end(); };
    if (unset(va) || unset(vb)) continue;
    if (std::none_of(va.begin(), va.end(),
                     [&](const std::string& v) { return std::find(vb.begin(), vb.end(), v) != vb.end(); }))
      out.push_back(x);
  }
  return out;
}

bool Inference::absent(const Shape& s, const std::string& label) const {
  if (s.removed.count(label)) return true;
  if (s.labels.count(label)) return false;
  return s.labels_known || s.dropped.count(label) || s.unwritten.count(label) ||
         (s.targets_open && targets_->in_vocabulary(label));
}

const Shape& Inference::at(const Expr* e) const { return find(index_, e); }

const Shape& Inference::find(const Index& index, const Expr* e) const {
  // The latest run's shape of a node seen twice.
  auto it = std::upper_bound(index.begin(), index.end(), e,
                             [](const promql::Expr* x, const auto& entry) { return x < entry.first; });
  return it == index.begin() || std::prev(it)->first != e ? nothing_known() : shapes_[std::prev(it)->second];
}

} // namespace nsmon::lint
