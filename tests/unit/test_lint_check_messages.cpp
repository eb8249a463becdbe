// What a check's finding says, at which severity and where: slow groups, template labels, absent(),
// policy, disable comments, counters, impossible values, format placeholders and le. The bad and
// clean case of every check: test_lint_checks.cpp.
#include <catch2/catch.hpp>
#include <tuple>

#include "nsmon/lint/lint.hpp"
#include "test_lint_checks_support.hpp"
#include "test_lint_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::checks;

TEST_CASE("a group evaluated less often than every 5m: what it does to the rules it has", "[lint][checks]") {
  auto found = testing::lint_findings(
      "r.yml",
      "groups:\n- name: g\n  interval: 10m\n  rules:\n  - alert: A\n    expr: up == 0\n"
      "- name: h\n  interval: 5m\n  rules: []\n- name: e\n  interval: 10m\n  rules: []\n"
      "- name: r\n  interval: 10m\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n",
      "alerts/group-interval");
  // g: its alert is late, nothing recorded goes stale; e: no rule, no effect; r: records only.
  REQUIRE(found.size() == 2);
  CHECK(found[0].span.line == 3);
  CHECK(found[0].message == "group g is evaluated every 10m: its alerts see a problem up to that late (a shorter "
                            "one not at all)");
  CHECK(found[1].message ==
        "group r is evaluated every 10m: the series it records are older than the 5m lookback between evaluations");
}

TEST_CASE("template-label-lost: lists the labels $labels has, not the alert's", "[lint][checks]") {
  // Prometheus fills $labels from the expression's sample alone; the rule's labels (severity) and
  // alertname come after the templates run, so they are not among what the result has
  // (review9a: "(it has: alertname, namespace, severity)" on a sum(), proofs/review9a.test.yml).
  auto message = [](const std::string& expr, const std::string& annotations) {
    std::vector<core::Diagnostic> diags;
    run(alert(expr, "", annotations), false, &diags);
    for (const auto& d : diags)
      if (d.check == "labels/template-label-lost") return d.message;
    return std::string();
  };
  CHECK(message("sum by (cluster) (rate(errors_total[5m])) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (cluster) keeps "
        "only cluster (it has: cluster)");
  CHECK(message("sum(rate(errors_total[5m])) > 0", "summary: \"{{ $labels.cluster }}\", description: d") ==
        "annotation \"summary\" uses $labels.cluster, but the expression's result has no cluster label: sum() keeps "
        "no label");
  CHECK(message("sum without (instance) (rate(errors_total{job=\"app\"}[5m])) > 0",
                "summary: \"{{ $labels.instance }}\", description: d") ==
        "annotation \"summary\" uses $labels.instance, but the expression's result has no instance label: sum without "
        "(instance) removes it (it has: error_type, job, stage, and labels not known here)");
  // The sample's metric name is in $labels where the result keeps it: count by (__name__), then
  // label_replace (review10a: OSISM's PrometheusTimeseriesCardinality said "(it has: name)",
  // proofs/review10a-cardinality.test.yml prints LABELS = map[__name__:foo name:foo]).
  CHECK(message("label_replace(count by (__name__) ({__name__=~\".+\"}), \"name\", \"$1\", \"__name__\", \"(.+)\") > "
                "10000",
                "summary: \"{{ $labels.instance }}\", description: d") ==
        "annotation \"summary\" uses $labels.instance, but the expression's result has no instance label: count by "
        "(__name__) keeps only __name__ (it has: __name__, name)");
  // And not where it does not: sort() of a sum, timestamp() (promtool 2.42 prints map[a:1] for
  // both, proofs/review10a-cardinality.test.yml).
  CHECK(message("sort(sum by (job) (rate(errors_total[5m]))) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (job) keeps "
        "only job (it has: job)");
  CHECK(message("timestamp(sum by (job) (errors_total)) > 0", "summary: \"{{ $labels.dc }}\", description: d") ==
        "annotation \"summary\" uses $labels.dc, but the expression's result has no dc label: sum by (job) keeps "
        "only job (it has: job)");
}

TEST_CASE("absent() without for: said of series a missed scrape or a target's leaving removes", "[lint][checks]") {
  auto message = [](const std::string& expr) {
    std::vector<core::Diagnostic> diags;
    run(alert(expr), false, &diags);
    for (const auto& d : diags)
      if (d.check == "alerts/absent-without-for") return d.message;
    return std::string();
  };
  CHECK(message("absent(images_processed_total)") ==
        "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)");
  // rate() needs two samples: a 2m range holds two at a 1m scrape, one after a missed scrape.
  CHECK(message("absent(sum(rate(images_processed_total[2m])))") ==
        "absent() without 'for': a single missed scrape fires the alert (it marks the series stale)");
  // up is written for every scrape, failed or not: it goes only with the target.
  CHECK(message("absent(up{job=\"neurosymbolic-app\"})") ==
        "absent() without 'for': a target that leaves service discovery for one evaluation (a rollout, a "
        "rescheduled pod) fires the alert");
  // Nothing makes vector(1) absent; absent_over_time's range already waits as a for: would.
  CHECK(message("absent(vector(1))").empty());
  CHECK(message("absent_over_time(images_processed_total[10m])").empty());
  // A range of three scrape intervals or more skips the staleness marker and keeps samples past
  // a missed scrape, as absent_over_time's does (proofs/review29-hermes.test.yml).
  CHECK(message("absent(last_over_time(hermes_cron_export_timestamp[2h]))").empty());
  CHECK(message("absent(sum(rate(images_processed_total[5m])))").empty());
  CHECK(message("absent(max_over_time(up{job=\"a\"}[10m:1m]))").empty());
}

TEST_CASE("for-outlasts-condition: a for: as long as an uptime comparison holds", "[lint][checks]") {
  auto found = [](const std::string& expr, const std::string& wait) {
    std::vector<std::string> out;
    for (const auto& d :
         testing::lint_findings("r.yml",
                                "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: " + expr + "\n    for: " + wait +
                                    "\n    labels: {severity: info}\n    annotations: {summary: s, "
                                    "description: d}\n",
                                "alerts/for-outlasts-condition"))
      out.push_back(d.message);
    return out;
  };
  // Meshtastic's MeshtasticNodeRestarted (proofs/for-outlasts-condition.test.yml).
  CHECK(found("meshtastic_uptime_seconds < 600", "10m") ==
        std::vector<std::string>{
            "for: 10m is at least as long as meshtastic_uptime_seconds < 600 holds after a restart (600 s): by the "
            "time the alert would fire the clock has passed the threshold, so a single restart resolves while pending; "
            "it fires only for restarts less than 600 s apart, or a sample that lags behind"});
  CHECK(found("apache_uptime_seconds_total / 60 < 5", "5m").size() == 1);
  CHECK(found("(time() - process_start_time_seconds) < 300 and up == 1", "10m").size() == 1);
  CHECK(found("300 > time() - node_boot_time_seconds", "5m").size() == 1);
  CHECK(found("x_uptime_seconds <= 60 unless y > 0", "1m").size() == 1);
  // A shorter for:; an uptime without a unit; an aggregation over many processes; an or; the
  // right of unless; a clock compared from below; not a start: quiet.
  CHECK(found("meshtastic_uptime_seconds < 600", "5m").empty());
  CHECK(found("mysql_global_status_uptime < 60", "1m").empty());
  CHECK(found("count(time() - kube_pod_start_time < 30) > 5", "5m").empty());
  CHECK(found("x_uptime_seconds < 60 or y > 0", "5m").empty());
  CHECK(found("y > 0 unless x_uptime_seconds < 60", "5m").empty());
  CHECK(found("x_uptime_seconds > 60", "5m").empty());
  CHECK(found("time() - last_success_timestamp_seconds < 60", "5m").empty());
}

TEST_CASE("a slow group whose alerts keep firing between evaluations is info, not a fault", "[lint][checks]") {
  // The group's alerts/group-interval finding: its severity and message.
  auto finding = [](const std::string& rules) {
    auto found = testing::lint_findings("r.yml", "groups:\n- name: g\n  interval: 10m\n  rules:\n" + rules,
                                        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  const std::string alert = "  - alert: A\n    expr: up == 0\n";
  // keep_firing_for at least the interval: the author chose the cadence (pint's clean case).
  auto [severity, message] = finding(alert + "    keep_firing_for: 15m\n");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group g is evaluated every 10m: its alerts see a problem up to that late (a shorter one not "
                   "at all); keep_firing_for holds its alerts between evaluations");
  // Shorter than the interval, or one alert without it: still a warning.
  CHECK(finding(alert + "    keep_firing_for: 5m\n").first == core::Severity::warning);
  CHECK(finding(alert + "    keep_firing_for: 10m\n  - alert: B\n    expr: up == 0\n").first ==
        core::Severity::warning);
  // A group that also records: its series go stale whatever the alerts do.
  CHECK(finding(alert + "    keep_firing_for: 10m\n  - record: job:up:sum\n    expr: sum by (job) (up)\n").first ==
        core::Severity::warning);
}

// Arch Linux's fastly group: evaluated every 60m, its one alert reads max_over_time(...[2h]),
// so an estimate above 1 for 10m between two evaluations is seen at the next one
// (tests/data/review-corpus, review9b; proofs/review9b-1h.test.yml): "a shorter one not at all"
// is false of it.
TEST_CASE("a slow group whose alerts read ranges as long as the interval sees short problems", "[lint][checks]") {
  auto finding = [](const std::string& rules) {
    auto found = testing::lint_findings("r.yml", "groups:\n- name: g\n  interval: 60m\n  rules:\n" + rules,
                                        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  auto [severity, message] = finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group g is evaluated every 1h: its alerts see a problem up to that late; its alerts read ranges "
                   "that bridge the gaps");
  // A range as long as the interval reaches back to the evaluation before.
  CHECK(finding("  - alert: A\n    expr: increase(errors_total[1h]) > 0\n").first == core::Severity::info);
  // A shorter range, an instant selector beside the range, a subquery: a short problem may fall
  // between two evaluations.
  for (const char* expr : {"max_over_time(cost[30m]) > 1", "max_over_time(cost[2h]) > 1 and up == 1",
                           "max_over_time((cost > 1)[2h:1m])", "vector(1)"}) {
    INFO(expr);
    auto [sev, msg] = finding(std::string("  - alert: A\n    expr: ") + expr + "\n");
    CHECK(sev == core::Severity::warning);
    CHECK(msg == "group g is evaluated every 1h: its alerts see a problem up to that late (a shorter one not at all)");
  }
  // One alert that reads ranges and one that keeps firing: info; one of neither: a warning.
  CHECK(finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n  - alert: B\n    expr: up == 0\n"
                "    keep_firing_for: 1h\n") ==
        std::pair{core::Severity::info,
                  std::string("group g is evaluated every 1h: its alerts see a problem up to that late (a shorter "
                              "one not at all); each of its alerts reads ranges that bridge the gaps or keeps "
                              "firing between evaluations")});
  CHECK(finding("  - alert: A\n    expr: max_over_time(cost[2h]) > 1\n  - alert: B\n    expr: up == 0\n").first ==
        core::Severity::warning);
}

// oscaromeu/home-ops' Discogs group (tests/data/review-corpus, review25): vmalert gives a type:
// vlogs group's LogsQL the time filter _time:<interval>, so each evaluation reads every log since
// the one before (VictoriaMetrics docs/victorialogs/vmalert.md): "a shorter one not at all" is false.
TEST_CASE("a slow type: vlogs group reads every log of its interval", "[lint][checks]") {
  auto finding = [](const std::string& expr) {
    auto found = testing::lint_findings("r.yml",
                                        "groups:\n- name: g\n  type: vlogs\n  interval: 15m\n  rules:\n"
                                        "  - alert: A\n    expr: '" +
                                            expr + "'\n",
                                        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  auto [severity, message] = finding("error | stats count() as n | filter n:>0");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group g is evaluated every 15m: its alerts see a problem up to that late; its alerts read ranges "
                   "that bridge the gaps");
  // A time filter of its own may be shorter than the interval: still a warning.
  CHECK(finding("_time:5m error | stats count() as n | filter n:>0") ==
        std::pair{core::Severity::warning,
                  std::string("group g is evaluated every 15m: its alerts see a problem up to that late (a shorter "
                              "one not at all)")});
}

// slo-exporter records a 4w increase every 15m and reads it only as last_over_time(...[30m]), as
// its comment says it must (tests/data/review-corpus, review8b; proofs/review8b-interval.test.yml).
TEST_CASE("a slow group whose series every reader reads over a longer range is info", "[lint][checks]") {
  auto finding = [](const std::string& range) {
    auto found = testing::lint_findings(
        "r.yml",
        "groups:\n- name: sparse\n  interval: 15m\n  rules:\n  - record: slo:x:sparse\n    expr: sum(x)\n"
        "- name: dense\n  interval: 3m\n  rules:\n  - record: slo:x\n    expr: last_over_time(slo:x:sparse" +
            range + ")\n",
        "alerts/group-interval");
    REQUIRE(found.size() == 1);
    return std::pair{found[0].severity, found[0].message};
  };
  auto [severity, message] = finding("[30m]");
  CHECK(severity == core::Severity::info);
  CHECK(message == "group sparse is evaluated every 15m: the series it records are older than the 5m lookback "
                   "between evaluations; the rules that read its series read ranges that bridge the gaps");
  // A range no longer than the interval may fall between two evaluations; an instant selector does.
  CHECK(finding("[15m]").first == core::Severity::warning);
  CHECK(finding("[30m]) + slo:x:sparse * (0").first == core::Severity::warning);
}

TEST_CASE("findings point into the expression, block scalars included", "[lint][checks]") {
  std::vector<core::Diagnostic> diags;
  run("  - alert: A\n    expr: |\n      sum(rate(errors_total[5m]))\n        > on() group_left\n      trainig_loss\n"
      "    labels: {severity: warning}\n    annotations: {summary: s, description: d}\n",
      false, &diags);
  REQUIRE(diags.size() == 1);
  CHECK(diags[0].check == "catalog/unknown-metric");
  CHECK(diags[0].span.line == 9);
  CHECK(diags[0].span.col == 7);
  CHECK(diags[0].span.len == 12);
  CHECK(diags[0].suggestion == "did you mean training_loss?");
  CHECK(diags[0].rule == "A");
  CHECK(diags[0].group == "g");
}

TEST_CASE("policy/annotations: one finding per alert, naming what it lacks and why", "[lint][checks]") {
  auto finding = [](const std::string& annotations, const std::string& labels = "severity: warning",
                    std::vector<std::string> required = {"summary", "description"}) {
    std::vector<core::Diagnostic> diags;
    core::SourceFile src("r.yml", "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: 'cpu_usage_percent > 90'\n"
                                  "    labels: {" +
                                      labels + "}\n" +
                                      (annotations.empty() ? "" : "    annotations: {" + annotations + "}\n"));
    lint::Input in;
    in.rule_files.push_back(rules::load_rule_file(src, diags));
    lint::Options opt;
    opt.catalog = &catalog::embedded();
    opt.policy.required_annotations = std::move(required);
    diags = lint::run(in, opt);
    // A misspelt key is alerts/misspelt-annotation's finding (test_lint_checks.cpp): not this test's.
    std::erase_if(diags, [](const core::Diagnostic& d) { return d.check == "alerts/misspelt-annotation"; });
    REQUIRE(diags.size() == 1);
    CHECK(diags[0].check == "policy/annotations");
    return std::pair{diags[0].message, diags[0].suggestion};
  };
  SECTION("both missing") {
    auto [msg, fix] = finding("");
    CHECK(msg == "alert A has no summary and description annotations");
    CHECK(fix.empty());
  }
  SECTION("kubernetes-mixin's message annotation, before 2020") {
    auto [msg, fix] = finding("message: m, runbook_url: u");
    CHECK(msg == "alert A has no summary and description annotations: it has the older message annotation "
                 "(kubernetes-mixin's convention until 2020)");
    CHECK(fix == "rename message to description and add summary");
  }
  SECTION("message beside a description") {
    auto [msg, fix] = finding("message: m, description: d");
    CHECK(msg == "alert A has no summary annotation: it has the older message annotation "
                 "(kubernetes-mixin's convention until 2020)");
    CHECK(fix == "rename message to summary");
  }
  SECTION("the texts written as labels") {
    auto [msg, fix] = finding("", "severity: warning, summary: s, description: d");
    CHECK(msg == "alert A has no summary and description annotations: summary and description are labels here");
    CHECK(fix.rfind("move summary and description from labels to annotations", 0) == 0);
  }
  SECTION("a misspelt name of a required annotation the team reads (dashboard)") {
    auto [msg, fix] = finding("summary: s, description: d, dashbord: u", "severity: warning",
                              {"summary", "description", "dashboard"});
    CHECK(msg == "alert A has no dashboard annotation: dashbord looks like a misspelling of dashboard");
    CHECK(fix == "rename dashbord to dashboard");
  }
  SECTION("a typo of a name templates read is alerts/misspelt-annotation's, said once") {
    // cloudalchemy's descritpion: that finding says why description is missing; summary's lack is this one's.
    auto [msg, fix] = finding("descritpion: d");
    CHECK(msg == "alert A has no summary annotation");
    CHECK(fix.empty());
  }
  SECTION("an annotation written with no text is empty, not missing") {
    auto [msg, fix] = finding("description: ''");
    CHECK(msg == "alert A has no summary annotation, and an empty description annotation");
    CHECK(finding("summary: '', description: ''").first == "alert A has empty summary and description annotations");
  }
  SECTION("another annotation whose name starts like a missing one is not a misspelling") {
    auto [msg, fix] = finding("summary_zh: s, description: d");
    CHECK(msg == "alert A has no summary annotation");
    CHECK(fix.empty());
  }
}

TEST_CASE("nsmon disable comments and the policy silence checks", "[lint][checks]") {
  CHECK(run("  # nsmon disable units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"), false).empty());
  std::string second = alert("cpu_usage_percent > 0.8");
  second.replace(second.find("alert: A"), 8, "alert: B");
  CHECK(run(alert("cpu_usage_percent > 0.9") + "  # nsmon disable units/percent-as-ratio\n" + second, false) ==
        std::vector<std::string>{"units/percent-as-ratio"});
}

TEST_CASE("a disable comment naming no check is reported where it is, with the nearest id", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  CHECK(run("  # nsmon disable units/percent-as-ratios, promql/rate-on-gauge\n" + alert("cpu_usage_percent > 0.9"),
            false, &all) == std::vector<std::string>{"rules/unknown-disable", "units/percent-as-ratio"});
  REQUIRE(!all.empty());
  CHECK(all[0].span.line == 5);
  CHECK(all[0].span.col == 19);
  CHECK(all[0].span.len == static_cast<int>(std::string("units/percent-as-ratios").size()));
  CHECK(all[0].suggestion == "did you mean units/percent-as-ratio?");
  // A known id, after a comma: nothing to say.
  CHECK(run("  # nsmon disable promql/rate-on-gauge,units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"), false)
            .empty());
}

TEST_CASE("a disable comment naming another command's check, or this check itself, silences nothing",
          "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  // lint-metrics' check: a check nsmon has, but no rule file ever has its finding.
  CHECK(run("  # nsmon disable metrics/reserved-suffix\n" + alert("cpu_usage_percent > 0.9"), false, &all) ==
        std::vector<std::string>{"rules/unknown-disable", "units/percent-as-ratio"});
  REQUIRE(!all.empty());
  CHECK(all[0].message ==
        "'# nsmon disable' names metrics/reserved-suffix, a check of nsmon lint-metrics, not of lint-rules: it "
        "silences nothing here");
  // The check of these comments cannot be silenced by one: its finding would hide itself.
  CHECK(run("  # nsmon disable rules/unknown-disable, units/percent-as-ratio\n" + alert("cpu_usage_percent > 0.9"),
            false, &all) == std::vector<std::string>{"rules/unknown-disable"});
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "'# nsmon disable' cannot silence rules/unknown-disable, the check of these comments");
  CHECK(all[0].span.col == 19);
}

TEST_CASE("removed-label names the step that removed the label, under histogram_quantile", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("max by (model) (histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[10m])))) > 2"),
      false, &all);
  REQUIRE(all.size() == 1);
  CHECK(std::string(all[0].check.id()) == "labels/removed-label");
  CHECK(all[0].message == "by (model): the aggregated series have no model, sum by (le) keeps only le");
  // le itself: histogram_quantile() took it off, not the sum that kept it.
  run(alert("max by (le) (histogram_quantile(0.95, sum by (le) (rate(inference_time_seconds_bucket[10m])))) > 2"),
      false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "by (le): the aggregated series have no le, histogram_quantile() removes it");
  // on (x) of a side an aggregation took x off: it matches only the other side's series without x.
  run(alert("node_load1 * on (cluster) group_right (job) group by (device) (node_network_up) > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "on (cluster): the right side has no cluster, group by (device) keeps only device: it "
                          "matches only the left side's series without cluster");
  run(alert("sum(node_load1) * on (cluster) sum(node_load5) > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "on (cluster): neither side has cluster (left: sum() keeps no label; right: sum() keeps no "
                          "label): '*' matches its series as if cluster were not listed");
}

TEST_CASE("counter-raw: a counter by the catalog, a counter by its name only", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("errors_total > 5"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("errors_total is a counter:") == 0);
  // Another exporter's _total: a counter by convention only (TiKV's tikv_worker_pending_task_total
  // is a gauge).
  run(alert("node_edac_uncorrectable_errors_total > 5"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/counter-raw"));
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("node_edac_uncorrectable_errors_total is named like a counter: if it is one") == 0);
}

// gardener 66335a1 (tests/data/shipped-bugs): a histogram's or summary's count above 0 as the
// alert's whole condition holds from the first observation until the process restarts. Beside
// another condition it is a guard; a _total is as often a gauge (minio_cluster_drive_offline_total).
TEST_CASE("counter-raw: a histogram's count above 0 as the whole alert", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto counter_raw = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/counter-raw"); });
    return all.size();
  };
  // node_ is another exporter's prefix in the embedded catalog: these names stand for
  // etcdbr_restoration_duration_seconds_count and its kin.
  REQUIRE(counter_raw("node_restoration_duration_seconds_count{succeeded=\"false\"} > 0") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("node_restoration_duration_seconds_count is named like a histogram's or summary's "
                            "count or sum") == 0);
  CHECK(counter_raw("0 < sum by (job) (node_restore_duration_seconds_sum)") == 1);
  CHECK(counter_raw("(node_restore_duration_seconds_count != 0)") == 1);
  // A guard beside another condition, a number of now, a _total by its name, rate() of it: quiet.
  CHECK(counter_raw("node_restore_duration_seconds_count > 0 and rate(node_restore_duration_seconds_sum[5m]) / "
                    "rate(node_restore_duration_seconds_count[5m]) > 5") == 0);
  CHECK(counter_raw("node_stat_activity_count > 0") == 0);
  CHECK(counter_raw("node_cluster_drive_offline_total > 0") == 0);
  CHECK(counter_raw("rate(node_restore_duration_seconds_count[5m]) > 0") == 0);
  CHECK(counter_raw("node_restore_duration_seconds_count == 0") == 0);
}

// review14: another exporter's _total named for a state things are in now, or selected by one,
// counts them now (a gauge named _total): no guess that it is a counter. A counter of events
// (queued: a past participle) and a state the catalog's counter is selected by stay reported.
TEST_CASE("counter-raw: a _total named or selected for a state now is no counter by its name", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto counter_raw = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/counter-raw"); });
    return all.size();
  };
  // node_ is another exporter's prefix in the embedded catalog: these names stand for
  // cnpg_backends_waiting_total, tikv_worker_pending_task_total and bullmq_jobs_total.
  CHECK(counter_raw("sum by (instance) (node_backends_waiting_total) > 10") == 0);
  CHECK(counter_raw("node_worker_pending_task_total > 100") == 0);
  CHECK(counter_raw("sum(node_jobs_total{state=\"waiting\"}) > 20") == 0);
  CHECK(counter_raw("node_backends_waiting_total / node_backends_total > 0.5") == 0);
  CHECK(counter_raw("sum(node_jobs_total{state=\"failed\"}) > 20") == 1);
  CHECK(counter_raw("node_jobs_queued_total > 100") == 1);
  CHECK(counter_raw("node_backends_total / node_requests_total > 0.5") == 1);
  CHECK(counter_raw("errors_total{status=\"pending\"} > 5") == 1);
}

// review10b: aerospike-prometheus-exporter writes aerospike_latencies_read_ms_bucket as the last
// latency slice's operations per second per le, not cumulative counters; only the catalog knows a
// _bucket series is a histogram's.
TEST_CASE("histogram-quantile-rate: buckets by the catalog, buckets by their name only", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto found = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all,
                  [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/histogram-quantile-rate"); });
    return all.size();
  };
  REQUIRE(found("histogram_quantile(0.9, inference_time_seconds_bucket) > 1") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("histogram_quantile over the raw cumulative inference_time_seconds_bucket counters") == 0);
  REQUIRE(found("histogram_quantile(0.95, aerospike_latencies_read_ms_bucket{job=\"aerospike\"}) > 2") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message ==
        "histogram_quantile over the raw aerospike_latencies_read_ms_bucket, with no rate() and no sum by (le), "
        "named like a histogram's cumulative buckets: if they are, the answer covers the whole lifetime of the "
        "process, not recent observations");
  REQUIRE(found("histogram_quantile(0.95, sum by (le) (aerospike_latencies_read_ms_bucket)) > 2") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("histogram_quantile over the raw aerospike_latencies_read_ms_bucket, named like") == 0);
  // The expression rates the same histogram elsewhere (Thanos's latency alerts before 4dc1684):
  // its author takes the series for counters.
  REQUIRE(found("histogram_quantile(0.99, sum by (job, le) (http_request_duration_seconds_bucket)) > 90 and sum by "
                "(job) (rate(http_request_duration_seconds_count[5m])) > 0") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("histogram_quantile over the raw cumulative http_request_duration_seconds_bucket counters "
                            "(the expression rates the same histogram elsewhere)") == 0);
  // Another histogram's rate says nothing of this one.
  REQUIRE(found("histogram_quantile(0.99, sum by (le) (aerospike_latencies_read_ms_bucket)) > 2 and "
                "rate(aerospike_latencies_read_ms_count_total[5m]) > 0") == 1);
  CHECK(all[0].severity == core::Severity::info);
}

// awesome-prometheus-alerts 97a31f3 (tests/data/shipped-bugs): index time over index count, raw.
TEST_CASE("counter-raw: a ratio of two raw counters", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("disk_read_bytes_total / disk_write_bytes_total > 2"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/counter-raw"));
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message.find("disk_read_bytes_total and disk_write_bytes_total are counters: dividing their raw values "
                            "gives the average since they began counting") == 0);
  run(alert("sum(failed_predictions_total) / sum(predictions_total) > 0.05"), false, &all);
  CHECK(all.size() == 1);
  // Other exporters' names: a guess, at info.
  run(alert("node_disk_read_time_seconds_total / node_disk_reads_completed_total > 0.01"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("are named like counters: if they are, dividing") != std::string::npos);
  // Their rates: no finding; a counter over a gauge is not this.
  run(alert("rate(disk_read_bytes_total[5m]) / rate(disk_write_bytes_total[5m]) > 2"), false, &all);
  CHECK(all.empty());
  run(alert("sum(errors_total) / count(up) > 5"), false, &all);
  CHECK(all.empty());
}

// Istio's mixin (review13, nlamirault/monitoring-mixins): istio_requests_total{5xx} /
// istio_requests_total, no sum: one-to-one matching pairs each 5xx series with itself, so the
// ratio is 1, not an average since the start (proofs/review13.test.yml).
TEST_CASE("a series divided by itself is 1: always-true, no since-start average", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto lint_expr = [&](const std::string& expr) { // istio_ is not in the catalog: its findings aside
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check.id().starts_with("catalog/"); });
  };
  lint_expr("(istio_requests_total{response_code=~\"5.*\"} / istio_requests_total{}) > 0.05");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/always-true"));
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message ==
        "each series of istio_requests_total on the left is also on the right, with the same labels, so one-to-one "
        "matching divides it by itself: the ratio is 1; this comparison with 0.05 is always true: it removes only "
        "series at 0 (0 / 0 is NaN)");
  // A counter of the catalog read raw: no "average since they began counting" (promql/counter-raw)
  // for a series over itself.
  lint_expr("disk_read_bytes_total{job=\"a\"} / disk_read_bytes_total > 0.5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/always-true"));
  // Through rate(), the same pairs; 1 never passes < 0.1.
  lint_expr("rate(node_cpu_seconds_total{mode=\"idle\"}[5m]) / rate(node_cpu_seconds_total[5m]) < 0.1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.find("divides it by itself: the ratio is 1; this comparison with 0.1 can never be true") !=
        std::string::npos);
  // Over itself times 100 (a percentage written the wrong way round): 0.01, as main's scaled whole.
  lint_expr("rate(node_cpu_seconds_total{mode=\"idle\"}[5m]) / (rate(node_cpu_seconds_total[5m]) * 100) > 5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.find("the divisor is the series times 100, so the quotient is 0.01;") != std::string::npos);
  // The ratio to itself times 100: one value, said as one ("its values lie in always 100" before).
  lint_expr("increase(grpc_server_handled_total{grpc_code!=\"OK\"}[5m]) / increase(grpc_server_handled_total[5m]) * "
            "100 > 110");
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/impossible"));
  CHECK(all[0].message.rfind("its value is always 100; this comparison with 110 can never be true", 0) == 0);
  // Summed by job, the part over the whole: a real ratio, nothing to say.
  lint_expr("sum by (job) (rate(istio_requests_total{response_code=~\"5.*\"}[5m])) / sum by (job) "
            "(rate(istio_requests_total[5m])) > 0.05");
  CHECK(all.empty());
}

// A raw counter inside arithmetic still grows with the process's uptime (review: node_exporter's
// receive plus transmit bytes over the link's speed, compared with 0.8).
TEST_CASE("counter-raw: a raw counter through arithmetic", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  auto found = [&](const std::string& expr) {
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& d) { return d.check != core::CheckId("promql/counter-raw"); });
    return all.size();
  };
  // The catalog's counter, divided by a number and multiplied: a fact, a warning.
  REQUIRE(found("errors_total / 60 * 100 > 5") == 1);
  CHECK(all[0].severity == core::Severity::warning);
  CHECK(all[0].message == "this side reads errors_total raw, and errors_total is a counter: its raw value only grows, "
                          "so this comparison depends on when the process started");
  // Other exporters' names, summed and over a series that is no counter: a guess, at info.
  REQUIRE(found("(node_network_receive_bytes_total + node_network_transmit_bytes_total) / node_network_speed_bytes > "
                "0.8") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message == "this side reads node_network_receive_bytes_total raw, and node_network_receive_bytes_total "
                          "is named like a counter: if it is one, its raw value is a total since it began counting (a "
                          "process's, host's or device's start), so this comparison depends on that start");
  // A ratio of two raw counters times 100: the mean since the start.
  REQUIRE(found("sum(failed_predictions_total) / sum(predictions_total) * 100 > 5") == 1);
  CHECK(all[0].message.find("failed_predictions_total and predictions_total are counters: dividing their raw values") ==
        0);
  // A part of one counter over its whole (review10b: aerospike's CPU utilisation since boot).
  REQUIRE(found("sum by (instance) (node_cpu_seconds_total{mode!=\"idle\"}) / on (instance) group_left sum by "
                "(instance) (node_cpu_seconds_total) * 100 > 70") == 1);
  CHECK(all[0].severity == core::Severity::info);
  CHECK(all[0].message.find("both sides of '/' read node_cpu_seconds_total raw, and node_cpu_seconds_total is named "
                            "like a counter: if it is one, dividing their raw values gives the average since") == 0);
  // What is no raw counter: a difference of two (a lag), a count of series, a number over a
  // counter, rates, a counter over a count.
  CHECK(found("kafka_log_end_offset_total - kafka_consumer_offset_total > 1000") == 0);
  CHECK(found("count(errors_total) > 5") == 0);
  CHECK(found("count by (job) (node_edac_uncorrectable_errors_total) > 5") == 0);
  CHECK(found("100 / errors_total > 5") == 0);
  CHECK(found("rate(errors_total[5m]) * 60 > 5") == 0);
  CHECK(found("sum(errors_total) / count(up) * 100 > 5") == 0);
  // An uptime counter compared raw is a restart detector (awesome-prometheus-alerts' ApacheRestart).
  CHECK(found("apache_uptime_seconds_total / 60 < 1") == 0);
  CHECK(found("apache_uptime_seconds_total < 60") == 0);
  // Another exporter's counter through arithmetic compared with 0: not reported, as plain.
  CHECK(found("node_edac_uncorrectable_errors_total * 2 > 0") == 0);
}

// A part over its whole scaled in the divisor (a / (b * 100), a percentage written the wrong way
// round) is at most 0.01 (proofs/part-over-scaled-whole.test.yml).
// The findings of one check on an alert of `expr`.
static std::vector<core::Diagnostic> findings_of(core::CheckId check, const std::string& expr) {
  std::vector<core::Diagnostic> all;
  run(alert(expr), false, &all);
  std::erase_if(all, [&](const core::Diagnostic& d) { return d.check != check; });
  return all;
}

TEST_CASE("impossible: a part over its whole times a number", "[lint][checks]") {
  auto impossible = [](const std::string& expr) { return findings_of("promql/impossible", expr).size(); };
  const std::string part = "sum(rate(x_total{code=~\"5..\"}[5m]))";
  auto all = findings_of("promql/impossible", part + " / (sum(rate(x_total[5m])) * 100) > 5");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "a ratio of some of the series of x_total to all of them is between 0 and 1, and the divisor "
                          "is the whole times 100, so the quotient is between 0 and 0.01; this comparison with 5 can "
                          "never be true: the expression never returns anything");
  CHECK(impossible(part + " / (100 * sum(rate(x_total[5m]))) > 0.05") == 1);
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * 100) > 0.005") == 0);
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * 0.01) > 5") == 0); // at most 100
  CHECK(impossible(part + " / (sum(rate(x_total[5m])) * -1) > 5") == 0);   // no bound claimed
}

TEST_CASE("impossible: a bucket's le that is no number says why", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"0(\\\\.0)?\"}[5m])) > 1"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"0(\\.0)?\" is no number, and every bucket's "
                          "le is one (its upper bound): = compares text, =~ takes a regex");
  run(alert("sum(rate(prometheus_http_request_duration_seconds_bucket{le=\"5s\"}[5m])) > 1"), false, &all);
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"5s\" is no number, and every bucket's le is "
                          "one (its upper bound)");
}

TEST_CASE("impossible: le on a series that is not a bucket names the bucket", "[lint][checks]") {
  // The names are no catalog's: only promql/impossible is looked at.
  auto impossible = [](const std::string& expr) { return findings_of("promql/impossible", expr); };
  auto all = impossible("sum(rate(sidekiq_jobs_failed_total{le=\"+Inf\"}[5m])) > 1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le=\"+Inf\" wants an le label, and client "
                          "libraries write it only on a histogram's _bucket series (x_bucket): "
                          "sidekiq_jobs_failed_total, named as a counter, has none");
  all = impossible("sum(rate(job_duration_seconds_sum{le!=\"\"}[5m])) > 1");
  REQUIRE(all.size() == 1);
  CHECK(all[0].message == "this selector can never select a series: le!=\"\" wants an le label, and client "
                          "libraries write it only on a histogram's _bucket series (job_duration_seconds_bucket): "
                          "job_duration_seconds_sum has none");
  // A name the rules record keeps whatever its rule keeps, le included.
  std::string rules = "groups:\n- name: g\n  rules:\n  - record: job_duration_seconds_sum\n    expr: sum by (le) "
                      "(rate(job_duration_seconds_bucket[5m]))\n  - alert: A\n    expr: "
                      "job_duration_seconds_sum{le=\"1\"} > 1\n    labels: {severity: warning}\n    annotations: "
                      "{summary: s, description: d}\n";
  CHECK(testing::lint_findings("r.yml", rules, "promql/impossible").empty());
}

TEST_CASE("format-placeholder: says what the matcher does with the text", "[lint][checks]") {
  auto one = [](const std::string& expr) {
    std::vector<core::Diagnostic> all, found;
    run(alert(expr), false, &all);
    for (auto& d : all)
      if (d.check == "rules/format-placeholder") found.push_back(d);
    REQUIRE(found.size() == 1);
    return found[0].message;
  };
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard=\"%(shard)s\"}[5m])) > 1") ==
        "shard=\"%(shard)s\": %(shard)s is a jsonnet (or Python) format placeholder left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher compares shard with the "
        "text \"%(shard)s\", which no shard is written like: the selector selects nothing");
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard!~\"%(shard)s\"}[5m])) > 1") ==
        "shard!~\"%(shard)s\": %(shard)s is a jsonnet (or Python) format placeholder left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher reads it as the text "
        "\"%shards\", which no shard is written like: that part of the regex removes no series");
  CHECK(one("sum(rate(sidekiq_jobs_failed_total{shard!=\"%s\"}[5m])) > 1") ==
        "shard!=\"%s\": %s is a format verb (printf's, or jsonnet's % operator's) left unexpanded by whatever "
        "generated the rule, and Prometheus expands nothing in an expression; the matcher compares shard with the "
        "text \"%s\", which no shard is written like, and removes no series");
  // A file that has the placeholder outside its rules too is a template filled in when deployed.
  std::string manifest = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: r\n"
                         "  namespace: '%(namespace)s'\nspec:\n  groups:\n  - name: g\n    rules:\n    - alert: A\n"
                         "      expr: 'up{job=\"%(job)s\"} == 0'\n      labels: {severity: warning}\n"
                         "      annotations: {summary: s, description: d}\n";
  auto found = testing::lint_findings("r.yaml", manifest, "rules/format-placeholder");
  REQUIRE(found.size() == 1);
  CHECK(found[0].severity == core::Severity::info);
  CHECK(found[0].message.find("(the file has %(...) outside its rules too)") != std::string::npos);
}

TEST_CASE("regex-as-text: what = compares, and the matcher to write", "[lint][checks]") {
  const core::Diagnostic d = only_finding("avg(node_blocklist_length{namespace=\".*\"}) > 1");
  CHECK(d.severity == core::Severity::warning);
  CHECK(d.message == "namespace=\".*\" compares text: it selects only the series whose namespace is \".*\" itself, "
                     "not what the regex .* matches");
  CHECK(d.suggestion == "for a regex, write namespace=~\".*\"");
  // A glob is no regex either: not suggested as one (giantswarm 6b9c093).
  const core::Diagnostic glob = only_finding("avg(node_blocklist_length{container!=\"app.*|*-aws-*\"}) > 1");
  CHECK(glob.suggestion == "for a regex, write container!~ with a pattern Prometheus accepts: as written it is none "
                           "(error parsing regexp: missing argument to repetition operator: `*`)");
}

TEST_CASE("unnormalized-le: what Prometheus 3 stores, and the matcher that works on 2 and 3", "[lint][checks]") {
  auto le_finding = [](const std::string& expr) {
    std::vector<core::Diagnostic> all;
    run(alert(expr), false, &all);
    std::erase_if(all, [](const core::Diagnostic& x) { return x.check != "promql/unnormalized-le"; });
    REQUIRE(all.size() == 1);
    return all[0];
  };
  core::Diagnostic d = le_finding("sum(rate(apiserver_request_duration_seconds_bucket{le=\"1\"}[5m])) > 1");
  // Prometheus 3.0 (2024-11-14) is under three years old at exporters.yml's renames_as_of: a note.
  CHECK(d.severity == core::Severity::info);
  CHECK(d.message == "le=\"1\" selects no bucket on Prometheus 3, which stores le=\"1\" as le=\"1.0\" (Prometheus 2 "
                     "kept the exporter's text)");
  CHECK(d.suggestion == "write le=~\"1(\\\\.0)?\" for both, or le=\"1.0\" for Prometheus 3");
  d = le_finding("sum(rate(apiserver_request_duration_seconds_bucket{le!=\"1000000\"}[5m])) > 1");
  CHECK(d.message == "le!=\"1000000\" leaves out no bucket on Prometheus 3, which stores le=\"1000000\" as "
                     "le=\"1e+06\" (Prometheus 2 kept the exporter's text)");
  CHECK(d.suggestion == "write le!~\"1000000|1e\\\\+06\" for both, or le!=\"1e+06\" for Prometheus 3");
}

// pinano/traefik-pro-stack (review24): `X or on() vector(0) > 0.9`, a comparison that binds to the
// fallback alone and drops it, so X is returned unfiltered (proofs/review24-traefik.test.yml). The
// message names the precedence and the fix compares X.
TEST_CASE("no-comparison: a threshold written after an or's fallback compares only the fallback", "[lint][checks]") {
  std::vector<core::Diagnostic> all;
  run(alert("(redis_memory_used_bytes / redis_memory_max_bytes) or on() vector(0) > 0.85"), false, &all);
  std::erase_if(all, [](const core::Diagnostic& d) { return d.check.id().starts_with("catalog/"); });
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("alerts/no-comparison"));
  CHECK(all[0].message == "alert A compares nothing: 'or' binds looser than '>', so '> 0.85' compares only vector(0), "
                          "a side of the or of its own that never holds, and the alert fires for every series of "
                          "(redis_memory_used_bytes / redis_memory_max_bytes), whatever its value");
  CHECK(all[0].suggestion == "compare that side: `(redis_memory_used_bytes / redis_memory_max_bytes) > 0.85`");
  // The or grouped first is the dead fallback, another finding.
  run(alert("((redis_memory_used_bytes / redis_memory_max_bytes) or on() vector(0)) > 0.85"), false, &all);
  std::erase_if(all, [](const core::Diagnostic& d) { return d.check.id().starts_with("catalog/"); });
  REQUIRE(all.size() == 1);
  CHECK(all[0].check == core::CheckId("promql/fallback-removed"));
}
