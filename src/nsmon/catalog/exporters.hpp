#pragma once
// catalog/exporters: what nsmon knows about well-known exporters' series (node_exporter,
// kube-state-metrics, Prometheus's and Alertmanager's own), whatever catalog the user gives: the
// labels each writes on a metric, the closed value sets, and the version that added a label. The
// facts live in rules/exporters.yml, compiled in, each with the exporter's source and version.

#include <algorithm>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::catalog {

struct Exporter;

/// The suffixes of Prometheus's base units, as its naming guide lists them (seconds, bytes,
/// meters, grams, joules, volts, amperes, celsius, ratio): the unit a metric's name ends in.
inline constexpr std::string_view kBaseUnitSuffixes[] = {"_seconds", "_bytes",   "_meters",  "_grams", "_joules",
                                                         "_volts",   "_amperes", "_celsius", "_ratio"};

/// One label an exporter writes on a metric.
struct ExporterLabel {
  std::string name;
  std::vector<std::string> values; ///< the closed set it writes (the union over versions); empty: open
  /// Why every value it writes is a decimal number (a CPU's index: "0", "1"); "" when not known.
  std::string numbers;
  std::string since; ///< the exporter version that added it; "": every version has it
  std::string maybe; ///< why only some series carry it (a feature flag); "": all do
  /// Why scrape configs also use the name for a target label (type), which then takes it on
  /// every series of the target: "" when they do not.
  std::string target_label_too;
  /// For each object the exporter writes a series per value, at most one of them 1 and the
  /// others 0 (kube-state-metrics' phases, a condition's true/false/unknown).
  bool one_hot = false;
  /// Why every object has a series of the label's values as long as it exists (a phase, a
  /// colour; not a condition only some objects have, kube_job_failed's): "" when not known.
  std::string every_object;
  /// What each value is the outcome of (an HTTP status code per response): a series per outcome
  /// seen since the process started, which keeps its count once that outcome stops; "" when not.
  std::string outcome;
};

struct ExporterMetric {
  std::string name;
  const Exporter* exporter = nullptr;
  std::vector<ExporterLabel> labels;

  const ExporterLabel* label(std::string_view n) const;
};

/// The metrics an exporter renamed or removed in one release (node_exporter 0.16.0,
/// kube-state-metrics 2.0.0): each old name (or name prefix) and what replaced it.
struct ExporterRenames {
  std::string since;    ///< the release that renamed them
  std::string released; ///< its date, "YYYY-MM-DD"
  /// Old name -> what to read now: a name, with the matchers that pick the old series out of a
  /// merged metric ("kube_node_status_capacity{resource=\"cpu\"}").
  std::vector<std::pair<std::string, std::string>> names;
  std::vector<std::pair<std::string, std::string>> prefixes; ///< old prefix -> new (kube_hpa_)
  /// Replacements that releases before `since` served too: reading one says nothing of the version.
  std::vector<std::string> older_too;
};

/// The metrics an exporter writes as gauges (its source's GaugeValue): `names` one by one, and
/// every name of a `prefixes` entry that does not end in _total (a collector that writes its
/// _total fields as counters and every other as a gauge, node_exporter's meminfo).
struct ExporterGauges {
  std::vector<std::string> names;
  std::vector<std::string> prefixes;
  /// Name patterns with one `*` (netdata_*_average): every name that starts with the text before
  /// it and ends with the text after it, whatever it ends in (_total included).
  std::vector<std::string> patterns;
  /// Gauges it writes as 1 on every series (an info metric's labels carry the information): a
  /// change of the information is a new series, never a new value.
  std::vector<std::string> always_one;
  /// Gauges it writes as 0 or 1 on every series (a flag: read-only, a device error).
  std::vector<std::string> zero_or_one;
  /// Levels it passes on untyped from the system it reads (`untyped_from`, whose documentation
  /// describes each as a value of now: a number of threads, of open files).
  std::vector<std::string> untyped;
  std::string untyped_from; ///< "MySQL's SHOW GLOBAL STATUS"
  /// Levels it passes on untyped under one name beside counts, told apart by a label's value
  /// (mongodb_exporter's mongodb_ss_connections{conn_type="current"}, beside conn_type="totalCreated"):
  /// the series of `metric` whose `label` is one of `values` are levels of now, by `untyped_from`'s
  /// documentation.
  struct LevelsByLabel {
    std::string metric, label;
    std::vector<std::string> values;
  };
  std::vector<LevelsByLabel> untyped_by_label;
  /// Gauges whose value is a Unix time in seconds, the time of an event or a start, which its
  /// source documents as such ("Epoch of the last time WAL archiving failed"): every value but a
  /// "not yet" one (0, -1) is a time it saw, after 2001-09-09 (1e9).
  std::vector<std::string> timestamps;
  /// Timestamps of the last attempt beside those of the last success of the same thing
  /// (kube-state-metrics' CronJob: last_schedule_time moves on each time the CronJob is scheduled,
  /// whether its Job succeeds or fails; last_successful_time only when one completes): attempt, success.
  std::vector<std::pair<std::string, std::string>> attempt_dates;
  /// Gauges that one member of a cluster writes as 1 and every other member as 0: a role that
  /// one member holds at a time (Kafka's ActiveControllerCount, 1 on the controller broker).
  std::vector<std::string> one_in_cluster;
  /// Gauges it writes a series for only while the state the name says holds, and none after
  /// (Pure Storage's purefa_alerts_open: one per open array alert): the series is the condition.
  std::vector<std::string> present_while;
};

/// Every metric name the releases of an exporter served (the union over `versions`): a name of its
/// prefix that none of them served, near-identical to one they did, is a misspelling.
struct ExporterServed {
  std::string versions; ///< the releases read ("0.1.0 to 2.20.0")
  std::vector<std::string>
      sorted; ///< the names, sorted: looked up by binary search, and the near one found is always the same
  /// Names other components serve under the prefix (kube-scheduler's kube_pod_resource_request), sorted.
  std::vector<std::string> other_names;
  std::vector<std::string> user_prefixes; ///< prefixes whose names the user chooses (kube_customresource_)
  /// Prefixes whose names no list closes: the exporter builds them from what it reads (node_exporter's
  /// node_memory_ from /proc/meminfo's fields), or another program names its own under them.
  std::vector<std::string> open_prefixes;
  /// Why a name of six words or more with one word changed from a served one is a slip under this
  /// prefix (no other program names its own series so); "" when it may be another program's name
  /// (kube-state-metrics': volcano's kube_pod_volcano_container_* beside kube_pod_init_container_*).
  std::string word_slips;
  /// Indices into `sorted`: the names of each length (in sorted order), and the first name of each
  /// set of words (its words sorted, joined by '_').
  struct Near {
    std::vector<std::vector<std::size_t>> by_length;
    std::unordered_map<std::string, std::size_t, util::StringHash, std::equal_to<>> by_words;
  };
  /// The index, built on first use, once, whatever the thread: few runs look a near name up, and
  /// building it for thousands of names would be most of loading exporters.yml.
  const Near& near() const;
  bool serves(std::string_view name) const;

private:
  struct Lazy {
    std::once_flag once;
    Near near;
  };
  std::shared_ptr<Lazy> lazy_ = std::make_shared<Lazy>();
};

/// Request counters that never stand still while the system runs (the Kubernetes API server's:
/// its own clients renew leases all the time): a sum over a whole job of their rate, narrowed by
/// none but `labels` and with a `label` matcher that accepts one of `values`, is never 0. (Why
/// stands beside the fact in exporters.yml, as where it was read does.)
struct ExporterBusy {
  std::vector<std::string> names;
  std::vector<std::string> labels; ///< the labels a matcher or a by list may name
  std::string label;               ///< the label whose matcher must accept one of `values` ("verb")
  std::vector<std::string> values; ///< the requests that never stop ("GET", "PUT")
};

/// Counters whose series, over every value of one label, add up to time that never stops passing
/// (node_exporter's node_cpu_seconds_total: each tick of a CPU is counted in one of its modes): their
/// rate summed over every value of `label` is above 0.
struct ExporterWhole {
  std::vector<std::string> names;
  std::string label; ///< the label whose values split the whole ("mode")
  std::string how;   ///< why the sum is above 0, said in findings
  /// The most one series grows a second (a CPU's time in one mode, about 1), 0 where not said;
  /// `each` says why, in findings.
  double at_most = 0;
  std::string each;
};

/// Two metrics of which one is, series by series (the same labels), a part of the other: at most it
/// and never negative (node_exporter's node_filesystem_avail_bytes of node_filesystem_size_bytes,
/// both statfs(2)'s blocks: f_bavail <= f_blocks). part / whole then lies between 0 and 1.
struct ExporterPart {
  std::string part, whole; ///< the full names (a pair's `prefixes` in the file make a part per prefix)
  std::string how; ///< what makes it a part, said in findings ("statfs's available blocks are some of its blocks")
  std::string zero_whole; ///< where the whole is 0, so that part / whole is 0 / 0, NaN; "" when never
  /// Where the part is below 0, never below minus the whole (FreeBSD's f_bavail, its free blocks less
  /// root's reserve, which is some of its blocks); "" when never.
  std::string negative;
};

/// A family of metrics named by one prefix on every one of which the exporter writes the same
/// labels (kube-state-metrics' kube_deployment_*: namespace and deployment, which its store adds to
/// every metric of the resource).
struct ExporterFamily {
  const Exporter* exporter = nullptr;
  std::string prefix;
  std::vector<std::string> labels;
  /// Labels of `labels` that tell apart the several things of one target the exporter writes a
  /// series for, with what they are ("CPU": node_exporter's cpu): a match that leaves one out
  /// meets several series of a target in a group.
  std::vector<std::pair<std::string, std::string>> apart;
  /// Labels of `apart` that tell series apart only among those with one value of another label
  /// (kube-state-metrics' namespace, among the pods of one name): said only where the match
  /// compares that label or a matcher fixes it.
  std::vector<std::pair<std::string, std::string>> within;
  /// Sets of labels that, each fixed to one value (an equality matcher, or a label the match
  /// compares), pick one of those series on a target whatever `apart` says (kube-state-metrics'
  /// container_id, one container's).
  std::vector<std::vector<std::string>> pins;
};

struct Exporter {
  std::string name;    ///< as its users call it ("node_exporter", "Alertmanager")
  std::string source;  ///< its repository
  std::string version; ///< the release whose source the facts were read from ("1.9.1")
  /// Each metric lists every label the exporter writes on it: one of the exporter's labels that a
  /// metric does not list is one its series never carry.
  bool closed = false;
  std::vector<ExporterMetric> metrics;
  ExporterRenames renamed;
  ExporterGauges gauges;
  std::string prefix;            ///< every metric of its own is named so ("node_"); "" when not known
  std::vector<std::string> jobs; ///< the job names scrape configs conventionally give it
  /// The exporters under whose jobs names of its prefix are served too (node_exporter's textfile
  /// collector, for the scripts that name their series smartctl_*): such a selector is no wrong job.
  std::vector<std::string> shared_with;
  /// Why one target serves each of its series in a cluster (Ceph's active mgr; a standby's
  /// /metrics is empty): a job's several instances do not write the same series. "" when not so.
  std::string one_target;
  std::vector<ExporterFamily> families; ///< labels every metric of a name prefix carries
  ExporterServed served;                ///< every name its releases served; empty when not known
  std::vector<ExporterPart> parts;      ///< metrics that are parts of others
  ExporterBusy busy;                    ///< request counters that never stand still
  ExporterWhole adds_up;                ///< counters whose series add up to time that always passes
  /// The metrics its source writes as counters (CounterValue) of a quantity that only grows
  /// (operations, seconds spent): read raw, their value depends on when the process started.
  std::vector<std::string> counters;
  /// Name patterns with one `*` whose every name its source writes as such a counter
  /// (ClickHouseErrorMetric_*: ClickHouse's count of each error code since it started).
  std::vector<std::string> counter_patterns;
  /// Counts it passes on untyped from the system it reads (`counters.untyped_from`, whose
  /// documentation describes each as a number of events since it started: MySQL's Slow_queries).
  std::vector<std::string> counters_untyped;
  std::string counters_untyped_from; ///< "MySQL's SHOW GLOBAL STATUS"
  /// What its counters count since and until, where not the process's start ("PostgreSQL's
  /// statistics were last reset", "PostgreSQL's statistics are reset": they outlive a restart).
  std::string counters_since = "the process started";
  std::string counters_until = "the process restarts";
  /// Whether its counters start anew only in a new series (kube-state-metrics' restart counts: a new
  /// pod, a new uid), so that no series of one ever falls.
  bool counters_new_series = false;
  /// Whether `series` is one of `counters_untyped`: a count by the read system's documentation.
  bool counts_untyped(std::string_view series) const {
    return std::find(counters_untyped.begin(), counters_untyped.end(), series) != counters_untyped.end();
  }
  /// The labels it writes on some of `metrics` and that no target label is named like (not
  /// target_label_too), sorted: a closed exporter's metric that does not list one lacks it.
  std::vector<std::string> labels;
};

/// A change at least this many years old at renames_as_of is one no deployment is expected to
/// predate: a deployment that has not upgraded in that long is rare, while a change of the last
/// year or two may still be ahead of one that upgrades with its distribution or chart.
inline constexpr int kOldChangeYears = 3;

/// The exporters' facts, looked up by series name.
class Exporters {
public:
  std::deque<Exporter> exporters; ///< a deque: metrics point to their exporter
  /// The date ("YYYY-MM-DD") the renames were last checked: their ages are counted to it, never
  /// to the clock, so that a finding is the same on every day.
  std::string renames_as_of;

  /// The whole years from the release of `e`'s renames to renames_as_of; -1 when it has none.
  int rename_age(const Exporter& e) const;
  /// The whole years from `date` ("YYYY-MM-DD") to renames_as_of; -1 when either is no date.
  int age(std::string_view date) const;
  /// Whether `s` is a date written "YYYY-MM-DD", as age() reads one.
  static bool is_day(std::string_view s);

  /// The metric a series name is, or nullptr.
  const ExporterMetric* find(std::string_view series) const;
  /// A series name an exporter renamed: the exporter and what replaced it ("" when not renamed).
  struct Rename {
    const Exporter* exporter = nullptr;
    std::string now;
  };
  Rename renamed(std::string_view series) const;
  /// renamed(series), then what renamed its replacement in a later release, and so on to the name
  /// served now (wmi_X: windows_X in windows_exporter 0.13.0, windows_X_total in 0.16.0); empty
  /// when not renamed.
  std::vector<Rename> renames(std::string_view series) const;
  /// Whether `series` is of an exporter's prefix whose `served` list does not hold it.
  bool never_served(std::string_view series) const;
  /// A series name that replaced renamed ones: its exporter, and whether only the releases since
  /// the renames serve it (not older_too).
  struct Replacement {
    const Exporter* exporter = nullptr;
    bool newer_only = false;
  };
  Replacement replacement(std::string_view series) const;
  /// renamed(series) or replacement(series) finds it: one lookup, for every selector.
  bool in_renames(std::string_view series) const;
  /// The exporter that writes `series` as a gauge (its `gauges`), or nullptr.
  const Exporter* gauge(std::string_view series) const;
  /// The exporter that writes `series` as 1 on every series (its gauges' `always_one`), or nullptr.
  const Exporter* always_one(std::string_view series) const;
  /// The exporter that writes `series` as a Unix time (its gauges' `timestamps`), or nullptr.
  const Exporter* timestamp(std::string_view series) const;
  /// The timestamp of the last success beside `series`, the timestamp of the last attempt
  /// (gauges' attempt_dates), with its exporter; nullptr when it is not one.
  const std::pair<std::string, std::string>* attempt_date(std::string_view series, const Exporter** by) const;
  /// The exporter that writes `series` as 0 or 1 (its gauges' `zero_or_one`), or nullptr.
  const Exporter* zero_or_one(std::string_view series) const;
  /// The exporter whose source writes `series` as a counter (its `counters`), or nullptr.
  const Exporter* counter(std::string_view series) const;
  /// The exporter whose members write `series` as 1 on one of them and 0 on the others (its
  /// gauges' `one_in_cluster`), or nullptr.
  const Exporter* one_in_cluster(std::string_view series) const;
  /// The exporter that writes `series` only while the state its name says holds (its gauges'
  /// `present_while`), or nullptr.
  const Exporter* present_while(std::string_view series) const;
  /// The exporter that passes `series` on untyped, a level by its source's documentation.
  const Exporter* untyped(std::string_view series) const;
  /// The exporter that passes the series of `metric` whose `label` is `value` on untyped, a level
  /// by its source's documentation (its gauges' `untyped_by_label`), or nullptr.
  const Exporter* untyped_level(std::string_view metric, std::string_view label, std::string_view value) const;
  /// A name of an exporter's prefix that none of its releases served (`served`), and the one it
  /// is a slip of: a letter away (one edit, two letters swapped), the same words in another
  /// order, a base unit's suffix or _timestamp_seconds added or left out (before _total,
  /// _bucket, _count, _sum), _total left off, or one word changed in a long name (`word_slips`). Not for a name the
  /// exporter renamed (renamed()) nor one of its users' own prefixes.
  struct Misspelt {
    const Exporter* exporter = nullptr;
    std::string near;
    std::string how; ///< "one letter away", "the same words in another order", "the same name without _bytes"
  };
  Misspelt misspelt(std::string_view series) const;
  /// The fact that `part` is, series by series, a part of `whole`, or nullptr.
  const ExporterPart* part_of(std::string_view part, std::string_view whole) const;
  /// The family `series` belongs to (the longest prefix of an exporter's `families`), or nullptr;
  /// nullptr too for a name none of the exporter's releases served (when `served` is known).
  const ExporterFamily* family(std::string_view series) const;
  /// The exporter whose own metrics are named like `series` (its prefix), or nullptr.
  const Exporter* by_prefix(std::string_view series) const;
  /// The exporter whose `busy` lists `series`, or nullptr.
  const Exporter* busy(std::string_view series) const;
  /// The fact of the exporter whose `adds_up` lists `series`, or nullptr.
  const ExporterWhole* adds_up(std::string_view series) const;
  /// The exporter conventionally scraped under `job`, or nullptr.
  const Exporter* by_job(std::string_view job) const;
  /// Rebuilds the index and each exporter's `labels`; load_exporters() calls it.
  void reindex();

private:
  /// The served name that `series` is with a base unit's suffix or _timestamp_seconds added or left
  /// out, or _total left off (misspelt()).
  static Misspelt unit_slip(const Exporter& e, std::string_view series);
  /// The served name that `series` is with one word changed, neither the first nor the last, in a
  /// name of six words or more, under a prefix whose `word_slips` says why (misspelt()).
  static Misspelt word_slip(const Exporter& e, std::string_view series);
  /// For a name that exporters list as a gauge or a counter, the first exporter (in the file's
  /// order, as the lookups' loops go) that lists it in each kind of list: a lookup is one hash
  /// find, not a scan of every exporter's lists (hundreds of names, for every selector).
  struct Listed {
    const Exporter* gauge = nullptr; ///< any of gauges' lists
    const Exporter* always_one = nullptr;
    const Exporter* timestamp = nullptr;
    const Exporter* zero_or_one = nullptr;
    const Exporter* untyped = nullptr;
    const Exporter* one_in_cluster = nullptr;
    const Exporter* present_while = nullptr;
    const Exporter* counter = nullptr; ///< counters' names and untyped counts
  };
  const Listed* lists(std::string_view series) const;
  std::unordered_map<std::string, Listed, util::StringHash, std::equal_to<>> listed_;
  std::unordered_map<std::string, const ExporterMetric*, util::StringHash, std::equal_to<>> by_name_;
  std::unordered_map<std::string, Rename, util::StringHash, std::equal_to<>> old_names_;
  std::unordered_map<std::string, Replacement, util::StringHash, std::equal_to<>> new_names_;
  std::unordered_set<std::string, util::StringHash, std::equal_to<>> all_names_; ///< old and new
  std::vector<std::string> prefixes_;                                            ///< old and new
};

/// Reads exporters.yml text; problems are appended to `diags`.
Exporters load_exporters(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);
/// The facts compiled into the binary (rules/exporters.yml).
const Exporters& exporters();

} // namespace nsmon::catalog
