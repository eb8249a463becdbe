#include <algorithm>

#include "nsmon/lint/expr_checks_impl.hpp"

namespace nsmon::lint {

void ExprChecks::Impl::selector(const VectorSelector& vs) {
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
  if (s.origin == SeriesInfo::Origin::external || s.origin == SeriesInfo::Origin::unknown) unnormalized_le(vs, s);
  for (const auto& mt : vs.matchers) {
    regex_as_text(mt);
    glob_regex(mt);
    // The catalog's own label values tell whether a prefix was meant: regex() says it there.
    // Elsewhere an anchor that is no prefix is as redundant as on a catalog metric.
    if (s.origin != SeriesInfo::Origin::catalog && !prefix_regex(mt)) redundant_anchors(mt);
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
  case SeriesInfo::Origin::external: self_.unrecorded(vs, s.name, name_range, false, {}); return;
  default: return;
  }
}

void ExprChecks::Impl::unknown_name(const VectorSelector& vs, const std::string& name, PosRange at) {
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
      emit("catalog/bad-suffix", at, m->name + " is a " + catalog::to_string(m->type) + "; it has no " + sx + " series",
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

void ExprChecks::Impl::labels(const VectorSelector& vs, const catalog::Metric& m, std::string_view suffix) {
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
void ExprChecks::Impl::unknown_job(const VectorSelector& vs, const SeriesInfo& s) {
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
       "no scrape config of the config matches " + promql::format_matcher(*pin) + " (jobs: " + util::join(names, ", ") +
           "): this selector matches nothing",
       hint.empty() ? "use one of the config's job names" : "did you mean job=\"" + hint + "\"?");
}

// Without a config nsmon cannot see what targets add, so it does not prove a label absent. But
// a matcher that needs a label the catalog does not list on one of the application's metrics is
// far more often a typo than a label a relabel rule adds: it is reported, unless the name is
// one that service discovery and relabelling conventionally add. The series Prometheus makes
// (up, scrape_*) carry every target label of every exporter: not judged. With a config, its
// relabelling decides (labels()).
bool ExprChecks::Impl::unlisted_label_required(const Shape& shape, const Matcher& mt) {
  static const std::set<std::string_view> conventional = {
      "cluster",   "container", "datacenter", "dc",     "endpoint", "env",  "environment", "host",
      "namespace", "node",      "pod",        "region", "service",  "team", "tenant",      "zone"};
  if (mt.name == "__name__" || shape.labels.count(mt.name) || conventional.count(mt.name)) return false;
  // Only a matcher that an absent label fails empties the selector: x="v", or x=~"re" where
  // re does not match the empty string.
  return (mt.op == MatchOp::equal || mt.op == MatchOp::regex) && !promql::matches_empty(mt);
}

void ExprChecks::Impl::unlisted_label(const Matcher& mt, const catalog::Metric& m,
                                      const std::vector<std::string>& candidates) {
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
void ExprChecks::Impl::le_value(const Matcher& mt, const catalog::Metric& m) {
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

// Prometheus 3 stores the le of a classic histogram's buckets and the quantile of a summary's series
// as floats, whatever text the exporter wrote (docs/migration.md at prometheus ffb296ee, "le and
// quantile label values": "alerts, recording rules and dashboards that directly reference label
// values as whole numbers such as le=\"1\" will stop working"): le="1" is stored le="1.0", which
// Prometheus 2 kept as the text format said (Go's client writes "1"). Only a scraped series is
// normalised: a name the rules record, or one with a colon, keeps what its rule wrote. A quantile
// outside 0..1 is no summary's (a gauge that names a percentile "99"), and its type decides.
//
// Like a rename (exporters/renamed-metric), a change of the last years may still be ahead of a
// deployment: a rule written for Prometheus 2 (or VictoriaMetrics, which keeps the exporter's text)
// was right there, so the finding is a note until Prometheus 3.0 (2024-11-14, CHANGELOG "Scraping:
// normalize le and quantile label values upon ingestion", #15164) is kOldChangeYears old at the
// date exporters.yml's renames were checked, never the clock's.
void ExprChecks::Impl::unnormalized_le(const VectorSelector& vs, const SeriesInfo& s) {
  if (s.name.empty() || s.name.find(':') != std::string::npos) return;
  const core::Severity severity = catalog::exporters().age("2024-11-14") >= catalog::kOldChangeYears
                                      ? core::Severity::warning
                                      : core::Severity::info;
  const bool bucket = util::ends_with(s.name, "_bucket");
  const bool summary = !bucket && !util::ends_with(s.name, "_sum") && !util::ends_with(s.name, "_count");
  for (const auto& mt : vs.matchers) {
    if (!(mt.name == "le" && bucket) && !(mt.name == "quantile" && summary)) continue;
    // The values the matcher names: its value, or each branch of a regex of plain numbers.
    const bool regex = mt.op == MatchOp::regex || mt.op == MatchOp::not_regex;
    std::vector<std::string> values;
    if (!regex) values.push_back(mt.value);
    else if (mt.value.find_first_not_of("0123456789.\\|") == std::string::npos) {
      values.emplace_back();
      for (char c : mt.value)
        if (c == '|') values.emplace_back();
        else if (c != '\\') values.back() += c;
    }
    for (const auto& v : values) {
      const std::optional<double> f = text::go::parse_float(v);
      if (!f || (mt.name == "quantile" && !(*f >= 0 && *f <= 1))) continue;
      const std::string stored = le_label(*f);
      const bool differs = labels::matches(mt, stored, labels::Dialect::prometheus) !=
                           labels::matches(mt, v, labels::Dialect::prometheus);
      if (stored == v || !differs) continue;
      const bool eq = mt.op == MatchOp::equal || mt.op == MatchOp::regex;
      auto escaped = [](const std::string& t) {
        std::string out;
        for (char c : t) out += c == '.' || c == '+' ? std::string("\\\\") + c : std::string(1, c);
        return out;
      };
      const std::string both = stored == v + ".0" ? escaped(v) + "(\\\\.0)?" : escaped(v) + "|" + escaped(stored);
      const std::string what =
          regex ? "the branch " + v + " of " + promql::format_matcher(mt) : promql::format_matcher(mt);
      self_.emit(
          "promql/unnormalized-le", mt.range,
          util::concat({what, " ", eq ? "selects" : "leaves out", " no ", bucket ? "bucket" : "series",
                        " on Prometheus 3, which stores ", mt.name, "=\"", v, "\" as ", mt.name, "=\"", stored,
                        "\" (Prometheus 2 kept the exporter's text)"}),
          regex ? util::concat({"write the branch as ", both, " for both, or ", escaped(stored), " for Prometheus 3"})
                : util::concat({"write ", mt.name, eq ? "=~" : "!~", "\"", both, "\" for both, or ", mt.name,
                                eq ? "=" : "!=", "\"", stored, "\" for Prometheus 3"}),
          severity);
      break;
    }
  }
}

// A regex's wildcard (.* or .+) or alternation (|) after = or !=, which compare text:
// {namespace=".*"} selects the series whose namespace is those two characters, and
// {job="a|b"} neither a nor b (OpenShift's scope="resource|", 622c08f^). A value with a '/' is
// left alone: a path or a route label can hold a regex as its text (an ingress path "/api/(.*)").
void ExprChecks::Impl::regex_as_text(const Matcher& mt) {
  if (mt.op != MatchOp::equal && mt.op != MatchOp::not_equal) return;
  const std::string& v = mt.value;
  if ((v.find(".*") == std::string::npos && v.find(".+") == std::string::npos && v.find('|') == std::string::npos) ||
      v.find('/') != std::string::npos)
    return;
  const bool eq = mt.op == MatchOp::equal;
  // Text that is no regex either (giantswarm 6b9c093's `*-aws-*`, a glob) is not suggested as one:
  // Prometheus would refuse the rule.
  const std::string op = mt.name + (eq ? "=~" : "!~");
  const std::optional<std::string> bad = labels::regex_error(v, labels::Dialect::prometheus);
  emit("promql/regex-as-text", mt.range,
       promql::format_matcher(mt) + " compares text: it " + (eq ? "selects" : "leaves out") +
           " only the series whose " + mt.name + " is \"" + v + "\" itself, not what the regex " + v + " matches",
       bad ? "for a regex, write " + op + " with a pattern Prometheus accepts: as written it is none (" + *bad + ")"
           : "for a regex, write " + op + "\"" + v + "\"");
}

// A branch of a regex written as a prefix, ^ and plain text with nothing after it
// (api_version=~"^7\\.0\\.[0-1]|^6": cluster-storage-operator e0acdfc), or "": `text` gets the
// branch's text, unescaped. Prometheus anchors the whole regex at both ends, so ^6 matches the
// value "6" only, never "6.7.3": the ^ says grep's unanchored match was expected, and a value
// equal to the text would need no ^.
std::string_view ExprChecks::Impl::prefix_branch(std::string_view v, std::string& text) {
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
  // A regex that spells its other prefixes with .* or .+ shows its author knows the anchoring:
  // a plain ^text beside them is the exact value (NAV's uri!~"^/internal/.*|^root|...": Spring
  // Boot's Micrometer writes uri="root" for requests to "/", review30), and its ^ only redundant.
  if (std::any_of(branches.begin(), branches.end(),
                  [](std::string_view b) { return b.ends_with(".*") || b.ends_with(".+"); }))
    return {};
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

bool ExprChecks::Impl::prefix_regex(const Matcher& mt) {
  if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return false;
  std::string text;
  const std::string_view b = prefix_branch(mt.value, text);
  if (b.empty()) return false;
  self_.emit("promql/regex-anchors", mt.range,
             util::concat({"the branch ", b, " of ", promql::format_matcher(mt), " matches only the value \"", text,
                           "\": Prometheus anchors a regex matcher at both ends, so ^ makes no prefix"}),
             util::concat({"for the values that start with ", text, ", write ", b, ".*"}), core::Severity::warning);
  return true;
}

// The branches of a regex matcher written as shell globs: plain text whose last letter, '-' or '_'
// carries a * (deployment=~"cert-manager-*|teleport-*|dex*": giantswarm/prometheus-rules ba877f1,
// "teleport-.*" in the fix). In a regex * repeats the one character before it, and Prometheus
// anchors the matcher at both ends, so teleport-* matches "teleport", "teleport-", "teleport--",
// never "teleport-operator" (shipped-bugs/proofs/giantswarm-prometheus-rules-ba877f1.before.test.yml).
// A branch inside a group counts too (cirrusSearch(...|LinksUpdate*|...)); a digit's * is left
// alone, as 50* may mean 5, 50, 500.
void ExprChecks::Impl::glob_regex(const Matcher& mt) {
  if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return;
  const std::string_view v = mt.value;
  auto plain = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
  std::vector<std::string_view> globs; // each branch's text before its *
  bool in_class = false;
  std::size_t from = 0; // where the current branch starts
  for (std::size_t i = 0; i < v.size(); ++i) {
    const char c = v[i];
    if (c == '\\') ++i;
    else if (in_class) in_class = c != ']';
    else if (c == '[') in_class = true;
    else if (c == '(' || c == '|') from = i + 1;
    else if (c == '*' && i >= from + 3 && (i + 1 == v.size() || v[i + 1] == '|' || v[i + 1] == ')')) {
      const std::string_view text = v.substr(from, i - from);
      if (std::all_of(text.begin(), text.end(), plain) && !std::isdigit(static_cast<unsigned char>(text.back())))
        globs.push_back(text);
    }
  }
  if (globs.empty()) return;
  std::vector<std::string> written, fixed;
  for (std::string_view g : globs) {
    written.push_back(std::string(g) + "*");
    fixed.push_back(std::string(g) + ".*");
  }
  const std::string_view g = globs[0];
  const std::string_view stem = g.substr(0, g.size() - 1);
  const std::string last(1, g.back());
  emit("promql/regex-glob", mt.range,
       util::concat({globs.size() == 1 ? "the branch " : "the branches ", util::join(written, ", "), " of ",
                     promql::format_matcher(mt), globs.size() == 1 ? " reads as a glob" : " read as globs",
                     ", but * repeats the one character before it: ", written[0], " matches \"", stem, "\", \"", g,
                     "\", \"", g, last, "\" and so on, never \"", g, "\" followed by another character"}),
       util::concat({"for the values that start with ", g, ", write ", util::join(fixed, ", ")}));
}

// A ^ at the start or an unescaped $ at the end of a regex matcher: Prometheus anchors every regex
// matcher at both ends, so the series selected are the same without it.
bool ExprChecks::Impl::redundant_anchors(const Matcher& mt) {
  if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return false;
  const std::string& v = mt.value;
  if (v.empty() || (v.front() != '^' && (v.back() != '$' || (v.size() >= 2 && v[v.size() - 2] == '\\')))) return false;
  emit("promql/regex-anchors", mt.range, "regex matchers are fully anchored; the ^ or $ in \"" + v + "\" is redundant");
  return true;
}

void ExprChecks::Impl::regex(const Matcher& mt) {
  if (mt.op != MatchOp::regex && mt.op != MatchOp::not_regex) return;
  const std::string& v = mt.value;
  if (redundant_anchors(mt)) return;
  if (!v.empty() && v.find_first_of(".*+?()[]{}|\\^$") == std::string::npos)
    emit("promql/literal-regex", mt.range, "\"" + v + "\" has no regex characters",
         std::string("use ") + (mt.op == MatchOp::regex ? "=" : "!=") + " instead of " +
             (mt.op == MatchOp::regex ? "=~" : "!~"));
}

} // namespace nsmon::lint
