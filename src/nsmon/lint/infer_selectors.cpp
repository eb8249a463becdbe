// Inference's leaves: what a selector reads. A metric's series and their labels as the catalog,
// a well-known exporter (rules/exporters.yml), the recording rules at hand or the scrape
// configuration give them; matchers that nothing passes; a counter's or a gauge's range.
#include <algorithm>
#include <cctype>
#include <iterator>
#include <optional>
#include <re2/re2.h>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/promql/regex.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::lint {

using namespace promql;

bool narrows(const VectorSelector& vs, const std::string& label) {
  return std::any_of(vs.matchers.begin(), vs.matchers.end(), [&](const auto& m) { return m.name == label; });
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

namespace {
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

// Whether a regex on __name__ accepts several metrics, not one metric under the names of its
// releases: an optional part (function_calls_duration(_seconds)?_count) or alternatives of which
// one ends or starts with the other (k6_http_req_duration|http_req_duration, x|x_total) spell one
// metric whose program serves one of them.
bool several_names(std::string_view re) {
  if (re == ".*" || re == ".+") return true;
  std::string one;
  for (std::size_t i = 0; i < re.size(); ++i) {
    const std::size_t close = re[i] == '(' ? re.find(')', i) : std::string_view::npos;
    if (close != std::string_view::npos && close + 1 < re.size() && re[close + 1] == '?' &&
        re.substr(i + 1, close - i - 1).find('(') == std::string_view::npos)
      i = close + 1;
    else one += re[i];
  }
  if (!several_values(one)) return false;
  const auto names = listed_values(one);
  if (!names) return true;
  for (const auto& a : *names)
    for (const auto& b : *names)
      if (a.size() <= b.size() && a != b && !util::starts_with(b, a) && !util::ends_with(b, a)) return true;
  return false;
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
      if (m.name == "__name__") {
        // {__name__=~"x_.+"} and {__name__!=""} read several metrics: by (__name__) splits them.
        // The regex says which, where a selector has both.
        const std::string why = "the matcher " + promql::format_matcher(m) + " accepts several names";
        if (m.op == MatchOp::regex && several_names(m.value)) s.several["__name__"] = why;
        else if (m.op == MatchOp::not_equal || m.op == MatchOp::not_regex) s.several.emplace("__name__", why);
        continue;
      }
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

} // namespace nsmon::lint
