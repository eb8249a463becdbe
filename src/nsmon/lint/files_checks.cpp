// The checks of lint-rules over all the rule files together (Analysis): other exporters' metrics
// and recording rules no file records, reported once per name; the team policy; the config.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "nsmon/catalog/exporters.hpp"
#include "nsmon/lint/analysis.hpp"
#include "nsmon/lint/rule_checks.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {
// The exporter a metric name belongs to, as far as a name tells: its first word (kube_,
// apiserver_, container_), the way exporters namespace their metrics.
std::string prefix_of(const std::string& name) {
  auto cut = name.find('_');
  return cut == std::string::npos ? name : name.substr(0, cut + 1);
}

std::string_view first_word(std::string_view name) { return name.substr(0, name.find('_')); }

// Whether `a` comes before `b` in report order (a span's col is still its file offset here).
bool reported_before(const core::Span& a, const core::Span& b) {
  return a.file < b.file || (a.file == b.file && a.col < b.col);
}

// "3 selectors in 2 files", or nothing for one selector.
std::string selectors_in(std::size_t selectors, std::size_t files) {
  if (selectors < 2) return {};
  return util::concat({" (", std::to_string(selectors), " selectors",
                       files > 1 ? " in " + std::to_string(files) + " files" : std::string(), ")"});
}
} // namespace

std::map<std::string, std::string, std::less<>> projects(const std::vector<rules::RuleFile>& files) {
  namespace fs = std::filesystem;
  // Whether a directory starts a project; asked once per directory (files share their parents).
  std::map<fs::path, bool> starts;
  auto marked = [&](const fs::path& dir) {
    auto [it, added] = starts.try_emplace(dir, false);
    if (added) {
      std::error_code ec;
      for (const char* marker : {".git", "LICENSE", "LICENSE.md", "LICENSE.txt", "LICENCE", "COPYING"})
        if (fs::exists(dir / marker, ec)) {
          it->second = true;
          break;
        }
    }
    return it->second;
  };
  std::map<std::string, std::string, std::less<>> out;
  std::vector<std::pair<std::string, fs::path>> unmarked; // a path as given, its directory
  for (const auto& f : files) {
    std::error_code ec;
    const fs::path dir = fs::absolute(f.path, ec).lexically_normal().parent_path();
    fs::path d = dir;
    while (!marked(d) && d.has_relative_path()) d = d.parent_path();
    if (marked(d)) out[f.path] = d.string();
    else unmarked.emplace_back(f.path, dir);
  }
  // The common parent of the files under no marker: its path's components they all share.
  fs::path common = unmarked.empty() ? fs::path() : unmarked.front().second;
  for (const auto& [path, dir] : unmarked) {
    fs::path shared;
    for (auto a = common.begin(), b = dir.begin(); a != common.end() && b != dir.end() && *a == *b; ++a, ++b)
      shared /= *a;
    common = shared;
  }
  for (const auto& [path, dir] : unmarked) out[path] = common.string();
  return out;
}

// A recording rule's name that no rule of the files records: reported once per name, at its first
// selector. The catalog judges every name (sure); where it does not (--catalog none, another
// exporter's prefix), the files' own rules do, when they could have recorded it: a name a letter
// or two from one they record (a typo, sum_irate renamed sum_rate), or a sibling that the same file
// records (sibling()). Not merely another name of the same metric: rules read series that other
// Prometheus servers record and send (federation, remote write to Cortex or Thanos), often beside
// their own rules of the same metric.
void Analysis::unrecorded(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded) {
  struct Name {
    const ForeignMetrics::Use* first = nullptr;
    std::size_t selectors = 0;
    std::set<core::FilePath> files;
    std::set<std::string_view> rules; ///< the rules that read it
  };
  std::map<std::string, Name> by_name;
  for (const auto& u : foreign.unrecorded) {
    if (recorded.count(u.name)) continue;
    Name& n = by_name[u.name];
    if (!n.first || reported_before(u.span, n.first->span)) n.first = &u;
    ++n.selectors;
    n.files.insert(u.span.file);
    n.rules.insert(u.rule);
  }
  // Names without a colon that the files record, by file: the near names a plain name is judged by.
  std::map<core::FilePath, std::vector<std::string_view>> plain_records;
  for (const auto& [r, rm] : recorded)
    if (r.find(':') == std::string::npos) plain_records[rm.span.file].push_back(r);
  for (const auto& [name, n] : by_name) {
    const auto& u = *n.first;
    std::string suggestion = u.suggestion;
    if (name.find(':') == std::string::npos) {
      // A name without a colon may be any exporter's; only a letter or two from one that a file
      // reading it records (scylla-monitoring's wlatencypa beside its wlatencya) is it a typo.
      // Not where that rule reads it: it records the name anew (NooBaa_total_usage as
      // noobaa_total_usage, garden_shoot_info as _garden_shoot_info).
      std::string_view near;
      std::size_t best = name.size() < 10 ? 1 : 2;
      for (const auto& f : n.files)
        if (auto it = plain_records.find(f); it != plain_records.end())
          for (std::string_view r : it->second)
            if (auto d = util::edit_distance(name, r, best); d <= best && !n.rules.count(r)) {
              near = r;
              best = d;
            }
      if (near.empty()) continue;
      suggestion = util::concat({"did you mean ", near, "?"});
    } else if (!u.sure) {
      // A typo is of a name its own project records: another project's near name says nothing.
      std::vector<std::string> near;
      for (const auto& [r, rm] : recorded)
        if (project(rm.span.file.str()) == project(u.span.file.str()) && !n.rules.count(r)) near.push_back(r);
      std::string hint = util::did_you_mean(name, near);
      if (hint.empty() || util::edit_distance(name, hint, 3) > 2) hint = sibling(name, u.span.file, recorded, n.rules);
      if (hint.empty()) continue;
      suggestion = "did you mean " + hint + "?";
    }
    core::Diagnostic d = core::make_diagnostic("rules/undefined-recording-rule", u.span,
                                               "recording rule " + name + " is defined in none of the rule files" +
                                                   selectors_in(n.selectors, n.files.size()),
                                               suggestion);
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  }
}

namespace {
// level and metric of a recording rule's name (level:metric:operations).
std::pair<std::string_view, std::string_view> level_metric(std::string_view n) {
  auto a = n.find(':');
  auto b = n.find(':', a + 1);
  if (a == n.npos || b == n.npos) return {};
  return {n.substr(0, a), n.substr(a + 1, b - a - 1)};
}
} // namespace

std::string Analysis::sibling(const std::string& name, const core::FilePath& file,
                              const std::map<std::string, RecordedMetric>& recorded,
                              const std::set<std::string_view>& readers) {
  auto [level, metric] = level_metric(name);
  if (level.empty() || metric.empty()) return {};
  for (const auto& [r, rm] : recorded) {
    // The input of a chain the file records (x read, x:sum_over_time recorded) comes from elsewhere.
    if (r.size() > name.size() && util::starts_with(r, name) && r[name.size()] == ':') return {};
  }
  for (const auto& [r, rm] : recorded) {
    auto [l, m] = level_metric(r);
    if (rm.span.file == file && l == level && !m.empty() && !readers.count(r) &&
        (util::starts_with(m, metric) || util::starts_with(metric, m)))
      return r;
  }
  return {};
}

// A selector of a name a well-known exporter renamed (node_exporter 0.16.0, kube-state-metrics
// 2.0.0) selects nothing on its releases since. Where rules in the same directory (one project's,
// deployed together) also read a name only those releases serve, no release serves both, so on every target one of the
// two selects nothing: a warning. Where nothing tells which release the rules were written for, the rename's age does:
// one kOldChangeYears old at renames_as_of is one no deployment is expected to predate (as Prometheus 3's le in
// expr_catalog.cpp), a warning; a younger one may still be ahead of a deployment that upgrades with its distribution or
// chart, and a file written for the release before it was right for it: a note. A rule that reads the old name and its
// replacement (`new or old`) is written for both: quiet, and no evidence either; so is one that records the
// replacement from the old name.
void Analysis::renamed_metrics(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded) {
  using Use = ForeignMetrics::Use;
  using Rule = std::tuple<core::FilePath, std::string, std::string>;
  auto rule_of = [](const Use& u) { return Rule{u.span.file, u.group, u.rule}; };
  auto directory = [](const core::FilePath& f) {
    const std::string_view path = f.str();
    const auto slash = path.rfind('/');
    return slash == std::string_view::npos ? std::string_view() : path.substr(0, slash);
  };
  const catalog::Exporters& known = catalog::exporters();
  // A name the rules record is theirs. A recording rule that records a name's replacement from the
  // old name serves older exporters under the new one (node_exporter's
  // example-16-compatibility-rules.yml: record: node_disk_read_bytes_total, expr:
  // node_disk_bytes_read): reading the old name is its point.
  auto shim = [&](const Use& u) {
    const auto chain = known.renames(u.name);
    return recorded.count(u.rule) &&
           std::any_of(chain.begin(), chain.end(), [&](const auto& step) { return step.now == u.rule; });
  };
  std::vector<const Use*> uses;
  for (const auto& u : foreign.renames)
    if (!recorded.count(u.name) && !shim(u)) uses.push_back(&u);
  // A rule that reads a replacement reads it whoever serves it: `new or old` is written for both
  // releases, also where another project's rules record the new name (review66's disk alerts beside
  // windows-machine-config-operator's recorded node_filesystem_free_bytes).
  std::set<std::pair<Rule, const catalog::Exporter*>> reads_new, compatible;
  for (const Use& u : foreign.renames)
    if (auto r = known.replacement(u.name); r.exporter) reads_new.emplace(rule_of(u), r.exporter);
  for (const Use* u : uses)
    if (auto r = known.renamed(u->name); r.exporter && reads_new.count({rule_of(*u), r.exporter}))
      compatible.emplace(rule_of(*u), r.exporter);
  // The first selector, per directory and exporter, of a name only its newer releases serve.
  std::map<std::pair<std::string_view, const catalog::Exporter*>, const Use*> newer;
  for (const Use* u : uses) {
    auto r = known.replacement(u->name);
    if (!r.newer_only || compatible.count({rule_of(*u), r.exporter})) continue;
    const Use*& first = newer[{directory(u->span.file), r.exporter}];
    if (!first || reported_before(u->span, first->span)) first = u;
  }
  std::set<std::pair<Rule, std::string>> said; // one finding per rule and name
  auto year = [](const catalog::Exporter& e) {
    const std::string y = e.renamed.released.substr(0, 4);
    return y.empty() ? y : " (" + y + ")";
  };
  for (const Use* u : uses) {
    const std::vector<catalog::Exporters::Rename> chain = known.renames(u->name);
    if (chain.empty() || compatible.count({rule_of(*u), chain.front().exporter}) ||
        !said.emplace(rule_of(*u), u->name).second)
      continue;
    const catalog::Exporter& e = *chain.front().exporter;
    const std::string release = e.name + " " + e.renamed.since;
    std::string msg = util::concat({release, year(e), " replaced ", u->name, " with ", chain.front().now});
    // Where a later release renamed the replacement too, each step to the name served now: who
    // reads the first replacement alone still reads a name no release serves any more.
    for (std::size_t i = 1; i < chain.size(); ++i) {
      const catalog::Exporter& later = *chain[i].exporter;
      msg += util::concat({", which ", later.name == e.name ? "" : later.name + " ", later.renamed.since, year(later),
                           " replaced with ", chain[i].now});
    }
    auto it = newer.find({directory(u->span.file), &e});
    const bool proven = it != newer.end();
    const bool old = known.rename_age(e) >= catalog::kOldChangeYears;
    if (proven) {
      const Use& n = *it->second;
      msg +=
          util::concat({", and these rules also read ", n.name, " (", n.span.file.str(), ":",
                        std::to_string(n.rule_line), "), which only ", release,
                        " and later serve: no release serves both, so on every target one of the two selects nothing"});
    } else if (old) {
      msg += util::concat({", and every release since serves only the new name: this selector selects nothing on ",
                           release, " and later"});
    } else {
      msg += util::concat({": with ", release, " or later this selector selects nothing"});
    }
    // The name served now; where its release is recent, the one before it serves older targets.
    std::string fix = "read " + chain.back().now;
    if (const catalog::Exporter& last = *chain.back().exporter;
        chain.size() > 1 && known.rename_age(last) < catalog::kOldChangeYears)
      fix += util::concat(
          {" (", last.name, " ", last.renamed.since, " and later; ", chain[chain.size() - 2].now, " before)"});
    if (!proven && !old) fix += " if your " + e.name + " is " + e.renamed.since + " or later";
    core::Diagnostic d = core::make_diagnostic("exporters/renamed-metric", u->span, std::move(msg), std::move(fix));
    if (!proven && !old) d.severity = core::Severity::info;
    d.rule = u->rule;
    d.group = u->group;
    out_.push_back(std::move(d));
  }
}

// The monitoring mixins select each exporter by the job its users' scrape configs give it
// (kubernetes-mixin: node_exporter as job="node-exporter", kube-state-metrics as
// job="kube-state-metrics"). A metric of one exporter under another's job selects nothing where
// the jobs are so named: kubernetes-mixin af9a436 read kube_node_status_allocatable_memory_bytes
// under job="node-exporter" for two years. Where the rules also read the metric's exporter under
// one of its own jobs, the naming is the rules' own: a warning; otherwise a note, since a
// scrape config may name its jobs otherwise (one job "prometheus" for every target of a host).
void Analysis::exporter_jobs(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded) {
  using Use = ForeignMetrics::Use;
  const catalog::Exporters& known = catalog::exporters();
  std::map<const catalog::Exporter*, const Use*> own; // the first selector of an exporter under its own job
  for (const auto& u : foreign.exporter_jobs) {
    const catalog::Exporter* e = known.by_prefix(u.name);
    if (!e || recorded.count(u.name) || known.by_job(u.job) != e) continue;
    const Use*& first = own[e];
    if (!first || reported_before(u.span, first->span)) first = &u;
  }
  for (const auto& u : foreign.exporter_jobs) {
    const catalog::Exporter* e = known.by_prefix(u.name);
    const catalog::Exporter* other = e ? known.by_job(u.job) : nullptr;
    if (!other || other == e || recorded.count(u.name)) continue;
    // Another exporter that serves names of the prefix too (node_exporter's textfile collector).
    if (std::find(e->shared_with.begin(), e->shared_with.end(), other->name) != e->shared_with.end()) continue;
    std::string msg = util::concat({u.name, " is a ", e->name, " metric (", e->prefix, "*), selected under job=\"",
                                    u.job, "\", the job ", other->name, " is scraped under"});
    auto it = own.find(e);
    if (it != own.end())
      msg += util::concat({"; these rules read ", e->name, " under job=\"", it->second->job, "\" (", it->second->name,
                           ", ", it->second->span.file.str(), ":", std::to_string(it->second->rule_line),
                           "), so this selector selects nothing"});
    else msg += util::concat({": where ", other->name, " has that job, this selector selects nothing"});
    core::Diagnostic d =
        core::make_diagnostic("exporters/wrong-job", u.span, std::move(msg),
                              util::concat({"select it under the job ", e->name, " is scraped under",
                                            it != own.end() ? " (job=\"" + it->second->job + "\")" : std::string()}));
    if (it == own.end()) d.severity = core::Severity::info;
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  }
}

// A name of a well-known exporter's prefix that none of its releases served (rules/exporters.yml
// `served`, the union over them), a letter or a word order away from one they did: kube-prometheus
// and its kin shipped such names, and the selector selected nothing on any release. A name the rules
// record is theirs; another component may serve names under the prefix, which the message says.
void Analysis::misspelt_metrics(const ForeignMetrics& foreign, const std::map<std::string, RecordedMetric>& recorded) {
  for (const auto& u : foreign.misspelt) {
    if (recorded.count(u.name)) continue;
    const auto m = catalog::exporters().misspelt(u.name);
    if (!m.exporter) continue;
    const catalog::Exporter& e = *m.exporter;
    core::Diagnostic d = core::make_diagnostic(
        "exporters/misspelt-metric", u.span,
        util::concat({e.name, " served no metric ", u.name, " in any release from ", e.served.versions, ", and ",
                      m.near, " is ", m.how, ": unless a component other than ", e.name, " serves it under ", e.prefix,
                      ", this selector selects nothing"}),
        "did you mean " + m.near + "?");
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  }
}

// A repository often holds other exporters' rules next to the application's. The catalog cannot
// judge their metrics: a selector pinned to a job the application is not scraped under says
// nothing about it at all. An unknown name is the application's (an error, once per name prefix)
// where it shares its first word with a catalog metric (inference_latency_seconds beside
// inference_time_seconds) or is selected under the application's job; a name of another prefix
// (kube_, container_, snmp_exporter's ifOperStatus) is another exporter's, which the catalog
// cannot call wrong: the short form on a mixed repository fails no run for it. One note names
// every such prefix in the policy line that declares them.
void Analysis::foreign_metrics(const ForeignMetrics& foreign) {
  if (foreign.uses.empty()) return;
  std::set<std::string> app_jobs = foreign.app_jobs;
  app_jobs.insert(options_.catalog->jobs.begin(), options_.catalog->jobs.end());
  std::set<std::string_view, std::less<>> app_words;
  for (const auto& m : options_.catalog->metrics) app_words.insert(first_word(m.name));
  struct Group {
    const ForeignMetrics::Use* first = nullptr;
    std::set<std::string> names;
    std::size_t selectors = 0;
    std::set<core::FilePath> files;
    std::set<std::string> jobs; ///< the application's jobs its selectors name ("" when one names none)
  };
  std::map<std::string, Group> by_prefix;
  std::set<std::string> all_prefixes, other_jobs, names;
  // The first in report order (a span's col is still its file offset here).
  auto earlier = [](const ForeignMetrics::Use* a, const ForeignMetrics::Use& b) {
    return !a || reported_before(b.span, a->span);
  };
  const ForeignMetrics::Use* first = nullptr;
  for (const auto& u : foreign.uses) {
    if (earlier(first, u)) first = &u;
    names.insert(u.name);
    // A metric selected under the application's own job is the catalog's gap, not an exporter.
    if (u.job.empty() || !app_jobs.count(u.job)) all_prefixes.insert(prefix_of(u.name));
    if (!u.job.empty() && !app_jobs.count(u.job)) {
      other_jobs.insert(u.job);
      continue;
    }
    Group& g = by_prefix[prefix_of(u.name)];
    g.jobs.insert(u.job);
    if (earlier(g.first, u)) g.first = &u;
    g.names.insert(u.name);
    ++g.selectors;
    g.files.insert(u.span.file);
  }
  auto push = [&](core::Diagnostic d, const ForeignMetrics::Use& u) {
    d.rule = u.rule;
    d.group = u.group;
    out_.push_back(std::move(d));
  };
  const std::string declare = "external: [" + util::join(all_prefixes, ", ") + "]";
  const std::string counted =
      util::concat({std::to_string(names.size()), names.size() == 1 ? " metric with " : " metrics with ",
                    std::to_string(all_prefixes.size()), all_prefixes.size() == 1 ? " name prefix" : " name prefixes"});
  for (const auto& [prefix, g] : by_prefix) {
    if (!app_words.count(first_word(prefix)) && g.jobs == std::set<std::string>{""}) continue;
    const auto& u = *g.first;
    std::string others =
        g.names.size() > 1
            ? util::concat({", nor are ", std::to_string(g.names.size() - 1), " other ", prefix, " metrics"})
            : std::string();
    push(core::make_diagnostic(
             "catalog/unknown-metric", u.span,
             "metric " + u.name + " is not in the catalog" + others + selectors_in(g.selectors, g.files.size()),
             g.jobs.count("")
                 ? "if " + prefix + " is another exporter's, declare it in a policy file: external: [" + prefix + "]"
                 : "it is selected under the application's job " + util::join(g.jobs, ", ") +
                       ": if the application exports it, add it to the catalog (--catalog)"),
         u);
  }
  if (all_prefixes.empty()) return; // only the application's jobs: nothing to declare
  std::string jobs = other_jobs.empty() ? std::string()
                                        : util::concat({"; those pinned to jobs the application is not scraped under (",
                                                        util::join(other_jobs, ", "), ") were not checked"});
  push(core::make_diagnostic("catalog/other-exporters", first->span,
                             counted + (names.size() == 1 ? " is" : " are") + " not in the catalog" + jobs,
                             "declare other exporters in a policy file (--policy FILE): " + declare +
                                 "; or lint their rules apart with --catalog none"),
       *first);
}

void Analysis::locate(core::Diagnostic& d, const rules::RuleFile& f) {
  if (d.span.line != 0 || d.span.col == 0 || !f.source || f.path != d.span.file) return;
  auto b = static_cast<std::size_t>(d.span.col);
  core::Span at = core::span_at(*f.source, b, b + static_cast<std::size_t>(std::max(d.span.len, 1)));
  d.span.line = at.line;
  d.span.col = at.col;
  d.span.len = at.len;
}

void Analysis::policy(const ParsedRule& pr, Inference& inf, std::vector<core::Diagnostic>& out) const {
  const Policy& p = options_.policy;
  const auto& r = *pr.rule;
  if (!r.is_alert() || r.name.value.empty()) return;
  auto emit = [&](core::CheckId check, const core::Span& at, std::string msg, std::string sugg) {
    core::Diagnostic d = core::make_diagnostic(check, at, std::move(msg), std::move(sugg));
    d.rule = r.name.value;
    d.group = pr.group->name.value;
    out.push_back(std::move(d));
  };
  if (!p.severity_label.empty() && !r.misspelt.count("labels") && !always_fires(*pr.parsed->expr())) {
    const rules::KeyValue* sev = nullptr;
    for (const auto& kv : r.labels)
      if (kv.key.value == p.severity_label) sev = &kv;
    // An expression whose result names the label gives every alert its value: slo-exporter's
    // `* on () group_left(severity) max(current_severity_level_info) by (severity)` (critical in
    // working hours, warning outside them), a meta-alert over ALERTS{severity="critical"}.
    // Its own run: the rule's checks are done with the shapes they made (its templates' queries
    // among them, whose trees are gone).
    auto from_series = [&] {
      inf.forget();
      const Shape& s = inf.run(*pr.parsed->expr());
      return s.labels.count(p.severity_label) && !s.removed.count(p.severity_label) && !inf.absent(s, p.severity_label);
    };
    if (!sev) {
      if (!from_series()) {
        // The value to suggest: the one another label of the alert already gives as its level
        // (TiDB's files route on level: warning), else the set's first. Suggesting the first,
        // critical, for an alert its authors wrote as a warning would make it page.
        std::string value = p.severity_values.empty() ? "warning" : p.severity_values[0], from;
        for (const auto& kv : r.labels)
          if (std::find(p.severity_values.begin(), p.severity_values.end(), kv.value.value) !=
              p.severity_values.end()) {
            value = kv.value.value;
            from = " (the level its " + kv.key.value + " label gives)";
            break;
          }
        // A label key a typo away (obagent's 18 alerts wrote serverity, review26): Alertmanager
        // routes on the label as spelt, so these alerts miss every severity route.
        const auto typo = std::find_if(r.labels.begin(), r.labels.end(), [&](const rules::KeyValue& kv) {
          return !util::did_you_mean(kv.key.value, {p.severity_label}).empty();
        });
        if (typo != r.labels.end())
          emit("policy/severity", typo->key.span,
               "alert " + r.name.value + " has no " + p.severity_label + " label, but has " + typo->key.value +
                   ", a typo of it: Alertmanager matches labels as they are spelt, so no route that matches on " +
                   p.severity_label + " takes this alert",
               "rename " + typo->key.value + " to " + p.severity_label);
        else
          emit("policy/severity", r.name.span, "alert " + r.name.value + " has no " + p.severity_label + " label",
               "add labels: {" + p.severity_label + ": " + value + "}" + from);
      }
    }
    // A templated value ({{ toLower $labels.state }}) is filled in from each series' labels when
    // the alert fires: what it becomes is not known here, so no claim is made about it.
    else if (!p.severity_values.empty() && sev->value.value.find("{{") == std::string::npos &&
             std::find(p.severity_values.begin(), p.severity_values.end(), sev->value.value) ==
                 p.severity_values.end()) {
      std::string hint = util::did_you_mean(sev->value.value, p.severity_values);
      emit("policy/severity", sev->value.span,
           p.severity_label + " \"" + sev->value.value + "\" is not one of " + util::join(p.severity_values, ", "),
           hint.empty() ? "" : "did you mean \"" + hint + "\"?");
    }
  }
  if (r.misspelt.count("annotations")) return; // yaml/unknown-field names the cause
  auto find = [](const std::vector<rules::KeyValue>& kvs, const std::string& key) {
    return std::any_of(kvs.begin(), kvs.end(),
                       [&](const rules::KeyValue& kv) { return kv.key.value == key && !kv.value.value.empty(); });
  };
  std::vector<std::string> missing, as_labels;
  for (const auto& want : p.required_annotations)
    if (!find(r.annotations, want)) missing.push_back(want);
  if (missing.empty()) return;
  // A key alerts/misspelt-annotation reports as a typo of a required name says why that one is
  // missing: one finding for one slip.
  for (const auto& kv : r.annotations)
    if (const std::string meant = misspelt_annotation(kv.key.value, r.annotations); !meant.empty())
      std::erase(missing, meant);
  if (missing.empty()) return;
  for (const auto& want : missing)
    if (find(r.labels, want)) as_labels.push_back(want);
  // One finding per alert, naming all that is missing, and the likely cause: texts written as
  // labels, or kubernetes-mixin's single `message` annotation (its convention until 2020, when
  // it became `description` beside a one-line `summary`).
  // Written with no text (Namada's `description: ""`, review55): Prometheus keeps it, empty.
  std::vector<std::string> absent, blank;
  for (const auto& m : missing)
    (std::any_of(r.annotations.begin(), r.annotations.end(),
                 [&](const rules::KeyValue& kv) { return kv.key.value == m; })
         ? blank
         : absent)
        .push_back(m);
  auto plural = [](const std::vector<std::string>& v) { return v.size() == 1 ? " annotation" : " annotations"; };
  std::string msg = "alert " + r.name.value + " has " +
                    (absent.empty() ? "" : "no " + util::word_list(absent) + plural(absent)) +
                    (absent.empty() || blank.empty() ? "" : ", and ") +
                    (blank.empty()
                         ? ""
                         : (blank.size() == 1 ? "an empty " : "empty ") + util::word_list(blank) + plural(blank)),
              fix;
  // An annotation named one slip away from a missing one (cloudalchemy's `descritpion`,
  // gitlab-com/runbooks' `descrition`): the notification's template reads the right name and
  // prints nothing. A name a suffix longer (summary_zh) is another annotation, not a slip.
  std::vector<std::string> slips, meant;
  for (const auto& kv : r.annotations) {
    const std::string near = util::did_you_mean(kv.key.value, missing);
    if (!near.empty() && kv.key.value.size() + 1 >= near.size() && kv.key.value.size() <= near.size() + 1)
      slips.push_back(kv.key.value), meant.push_back(near);
  }
  auto lacks = [&](const char* name) { return std::find(missing.begin(), missing.end(), name) != missing.end(); };
  const char* rename = lacks("description") ? "description" : lacks("summary") ? "summary" : nullptr;
  if (!as_labels.empty()) {
    msg += ": " + util::word_list(as_labels) + (as_labels.size() == 1 ? " is a label" : " are labels") + " here";
    fix = "move " + util::word_list(as_labels) +
          " from labels to annotations: notifications print the annotations, and every label is part of the "
          "alert's identity";
  } else if (!slips.empty()) {
    msg += ": " + util::word_list(slips) +
           (slips.size() == 1 ? " looks like a misspelling of " : " look like misspellings of ") +
           util::word_list(meant);
    std::vector<std::string> renames;
    for (std::size_t i = 0; i < slips.size(); ++i) renames.push_back(slips[i] + " to " + meant[i]);
    fix = "rename " + util::word_list(renames);
  } else if (rename && find(r.annotations, "message")) {
    msg += ": it has the older message annotation (kubernetes-mixin's convention until 2020)";
    std::vector<std::string> add;
    for (const auto& m : missing)
      if (m != rename) add.push_back(m);
    fix = std::string("rename message to ") + rename + (add.empty() ? "" : " and add " + util::word_list(add));
  }
  emit("policy/annotations", r.name.span, std::move(msg), std::move(fix));
}

namespace {
// Of the names the rules of groups evaluated less often than every 5m record: the shortest range
// over which the files' rules read each (0: an instant selector), for the names some rule reads.
// A reader of last_over_time(x:sparse[30m]) finds the last sample whenever it is evaluated, so
// the gaps between the evaluations of a 15m group do not reach it.
std::map<std::string, std::int64_t> read_ranges(const std::vector<rules::RuleFile>& files) {
  std::map<std::string, std::int64_t> out;
  std::set<std::string> names;
  for (const auto& f : files)
    for (const auto& g : f.groups)
      if (g.interval && g.interval->ms > 5 * 60 * 1000)
        for (const auto& r : g.rules)
          if (!r.is_alert()) names.insert(r.name.value);
  if (names.empty()) return out;
  for (const auto& f : files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) {
        const promql::ParseResult parsed = promql::parse(r.expr.value);
        if (!parsed.ok()) continue;
        promql::walk(*parsed.expr(), [&](const promql::Expr& n, std::span<const promql::Expr* const> path) {
          if (n.kind != promql::NodeKind::vector_selector) return true;
          const std::string& name = promql::metric_name(n.as<promql::VectorSelector>());
          if (!names.count(name)) return true;
          const promql::Expr* parent = path.empty() ? nullptr : path.back();
          const std::int64_t ms = parent && parent->kind == promql::NodeKind::matrix_selector
                                      ? parent->as<promql::MatrixSelector>().range_ns / 1000000
                                      : 0;
          auto [it, first] = out.emplace(name, ms);
          if (!first) it->second = std::min(it->second, ms);
          return true;
        });
      }
  return out;
}

// Whether an alert's expression reads every series over a range of at least `ms` (and reads
// some): then no sample falls between two evaluations `ms` apart, and a problem shorter than
// the interval is still seen (Arch's max_over_time(fastly_mtd_estimate_dollars_total[2h]) > 1
// in its 60m group). An instant selector, or one under a subquery, may miss it.
bool reads_ranges_of(const std::string& expr, std::int64_t ms) {
  const promql::ParseResult parsed = promql::parse(expr);
  if (!parsed.ok()) return false;
  bool some = false, all = true;
  promql::walk(*parsed.expr(), [&](const promql::Expr& n, std::span<const promql::Expr* const> path) {
    if (n.kind != promql::NodeKind::vector_selector) return true;
    const promql::Expr* parent = path.empty() ? nullptr : path.back();
    const bool ranged = parent && parent->kind == promql::NodeKind::matrix_selector &&
                        parent->as<promql::MatrixSelector>().range_ns / 1000000 >= ms;
    some = true;
    all = all && ranged;
    return true;
  });
  return some && all;
}

// Whether vmalert runs an alert of `g` over every log since the group's last evaluation: a type:
// vlogs group's LogsQL without a time filter of its own is given `_time:<interval>`
// (VictoriaMetrics docs/victorialogs/vmalert.md, "Time filter"), so a shorter problem is seen too.
bool reads_logs_of_interval(const rules::Group& g, const rules::Rule& r) {
  return g.type.value == "vlogs" && r.expr.value.find("_time") == std::string::npos;
}
} // namespace

void Analysis::config(const rules::Config* cfg) {
  const std::map<std::string, std::int64_t> ranges = read_ranges(input_.rule_files);
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      if (g.interval && g.interval->ms > 5 * 60 * 1000) {
        // What the interval does to this group: each part only where the group has such rules.
        // held: every alert keeps firing for the interval; seen: every alert reads ranges that
        // reach back over the interval, so it sees a shorter problem too; covered: every alert
        // is one or the other.
        bool alerts = false, records = false, held = true, seen = true, covered = true;
        std::set<std::string> recorded;
        for (const auto& r : g.rules) {
          (r.is_alert() ? alerts : records) = true;
          if (r.is_alert()) {
            const bool keeps = r.keep_firing_for && r.keep_firing_for->ms >= g.interval->ms;
            const bool reads = reads_logs_of_interval(g, r) || reads_ranges_of(r.expr.value, g.interval->ms);
            held = held && keeps;
            seen = seen && reads;
            covered = covered && (keeps || reads);
          } else recorded.insert(r.name.value);
        }
        std::vector<std::string> effects;
        if (alerts)
          effects.emplace_back(seen ? "its alerts see a problem up to that late"
                                    : "its alerts see a problem up to that late (a shorter one not at all)");
        if (records) effects.emplace_back("the series it records are older than the 5m lookback between evaluations");
        if (effects.empty()) continue;
        // Alerts that keep firing for at least the interval were written for that cadence: the
        // delay is then a fact to know, not a fault (pint accepts such a group too); so are
        // alerts that read every series over a range as long as the interval, which see a
        // problem shorter than it too (Arch's fastly group, review9b). Recorded
        // series go stale between evaluations: a fault unless every rule that reads them reads
        // a range that bridges the gaps (slo-exporter's 15m group of a 4w increase, read with
        // last_over_time(...[30m]) by a 3m group, as its comment says).
        bool bridged = records;
        for (const auto& name : recorded) {
          auto it = ranges.find(name);
          bridged = bridged && it != ranges.end() && it->second > g.interval->ms;
        }
        const bool quiet = (!alerts || covered) && (!records || bridged);
        std::string why;
        if (quiet && alerts && seen) why += "; its alerts read ranges that bridge the gaps";
        else if (quiet && alerts && held) why += "; keep_firing_for holds its alerts between evaluations";
        else if (quiet && alerts)
          why += "; each of its alerts reads ranges that bridge the gaps or keeps firing between evaluations";
        if (quiet && records) why += "; the rules that read its series read ranges that bridge the gaps";
        core::Diagnostic d = core::make_diagnostic("alerts/group-interval", g.interval->span,
                                                   "group " + g.name.value + " is evaluated every " +
                                                       text::format_duration(g.interval->ms) + ": " +
                                                       util::join(effects, ", and ") + why,
                                                   "evaluate rule groups every 5m or less");
        if (quiet) d.severity = core::Severity::info;
        d.group = g.name.value;
        out_.push_back(std::move(d));
      }
  if (!cfg) return;
  bool alerts = false;
  for (const auto& f : input_.rule_files)
    for (const auto& g : f.groups)
      for (const auto& r : g.rules) alerts = alerts || r.is_alert();
  if (alerts && cfg->alertmanager_targets.empty() && !cfg->alertmanager_discovery)
    out_.push_back(
        core::make_diagnostic("config/no-alertmanager", cfg->alerting_span,
                              "alerting rules are loaded but no Alertmanager is configured: alerts fire and go nowhere",
                              "add alerting.alertmanagers[].static_configs[].targets, e.g. ['localhost:9093']"));
}

} // namespace nsmon::lint
