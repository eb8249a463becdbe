// Well-known exporters' times (rules/exporters.yml, gauges' timestamps and attempt_dates): a Unix
// time compared with a small number, and the time of an attempt read where the alert speaks of
// success. Each bad case has a correct twin that must stay quiet.
#include <catch2/catch.hpp>

#include "test_lint_exporters_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::exporters;

TEST_CASE("exporters: an exporter's Unix time kept above a number before 2001", "[exporters][lint]") {
  // CloudNativePG's "Epoch of the last time WAL archiving failed" (-1 before any) compared with 1:
  // from the first failure on, for good (onedr0p home-ops 72eac51).
  auto f = lint_one("cnpg_pg_stat_archiver_last_failed_time > 1");
  REQUIRE(where(f) == V{"units/timestamp-threshold 5:12"});
  CHECK(f.at(0).message ==
        "cnpg_pg_stat_archiver_last_failed_time is a Unix time (CloudNativePG 1.30.0 writes it as one), and every "
        "time since 2001 is above 1e9: `> 1` passes it from the first time it is set, and the alert fires from then "
        "on, for good");
  CHECK(where(lint_one("0 <= max by (pod) (cnpg_pg_stat_archiver_last_archived_time)")) ==
        V{"units/timestamp-threshold 5:12"});
  // Its age, its change, a guard beside another condition, "never yet", a recent time, a name alike
  // that no fact makes a time (a _time may be a duration), and a recording rule: quiet.
  CHECK(where(lint_one("time() - cnpg_pg_stat_archiver_last_archived_time > 3600")).empty());
  CHECK(where(lint_one("delta(cnpg_pg_stat_archiver_last_failed_time[5m]) > 0")).empty());
  CHECK(where(lint_one("time() - cnpg_pg_stat_archiver_last_failed_time < 300 and "
                       "cnpg_pg_stat_archiver_last_failed_time > 0"))
            .empty());
  CHECK(where(lint_one("cnpg_pg_stat_archiver_last_archived_time < 0")).empty());
  CHECK(where(lint_one("cnpg_pg_stat_archiver_last_failed_time > 1.7e9")).empty());
  CHECK(where(lint_one("cnpg_pg_stat_archiver_last_failed_time > time() - 300")).empty());
  CHECK(where(lint_one("pg_stat_archiver_last_failed_time > 1")).empty());
  CHECK(where(lint_text("groups:\n- name: g\n  rules:\n  - record: pod:archive_failed:filter\n"
                        "    expr: cnpg_pg_stat_archiver_last_failed_time > 0\n"))
            .empty());
  // kube-state-metrics' Kubernetes times (cronjob.go: float64(LastSuccessfulTime.Unix())): GOV.UK's
  // monitoring-config compared one with 180000 seconds, meaning its age (a96f806).
  CHECK(where(lint_one("kube_cronjob_status_last_successful_time{cronjob=\"x\"} > 180000")) ==
        V{"units/timestamp-threshold 5:12"});
  CHECK(where(lint_one("time() - kube_cronjob_status_last_successful_time{cronjob=\"x\"} > 180000")).empty());
  CHECK(where(lint_one("time() - kube_job_status_start_time > 3600")).empty());
}

TEST_CASE("exporters: cert-manager's expiry times", "[exporters][lint]") {
  CHECK(where(lint_one("certmanager_certificate_expiration_timestamp_seconds > 604800")) ==
        V{"units/timestamp-threshold 5:12"});
  CHECK(where(lint_one("certmanager_certificate_expiration_timestamp_seconds - time() < 7 * 86400")).empty());
  CHECK(where(lint_one("certmanager_certificate_ready_status{condition=\"False\"} == 1")).empty());
  CHECK(where(lint_one("increase(certmanager_http_acme_client_request_count{status=\"429\"}[5m]) > 0")).empty());
}

TEST_CASE("exporters: a Unix time compared != a number before 2001", "[exporters][lint]") {
  // Every process's start time differs from 1 (jsonnet-libs 044d4f2: process_start_time_seconds != 1,
  // client_golang's "Start time of the process since unix epoch in seconds", paged for every process).
  auto f = lint_one("process_start_time_seconds != 1");
  REQUIRE(where(f) == V{"units/timestamp-threshold 5:12"});
  CHECK(f.at(0).message ==
        "process_start_time_seconds is a Unix time (client_golang 1.24.1 writes it as one), and every time since 2001 "
        "is above 1e9, so differs from 1: `!= 1` passes it from the first time it is set, and the alert fires from "
        "then on, for good");
  // CloudNativePG's instance manager keeps the last failed backup's time (0 before any, never
  // cleared): `> 0` holds from the first failure on (Malpractis home-ops b77a136).
  CHECK(where(lint_one("cnpg_collector_last_failed_backup_timestamp > 0")) == V{"units/timestamp-threshold 5:12"});
  CHECK(where(lint_one("cnpg_collector_last_failed_backup_timestamp != 0")) == V{"units/timestamp-threshold 5:12"});
  // "Never yet", its age, a restart seen as a change, a guard beside the age: quiet.
  CHECK(where(lint_one("cnpg_collector_last_available_backup_timestamp == 0")).empty());
  CHECK(where(lint_one("time() - process_start_time_seconds < 300")).empty());
  CHECK(where(lint_one("changes(process_start_time_seconds[1h]) > 2")).empty());
  CHECK(where(lint_one("(cnpg_collector_last_failed_backup_timestamp > 0) and "
                       "(time() - cnpg_collector_last_failed_backup_timestamp < 86400)"))
            .empty());
}

TEST_CASE("exporters: the time of the last attempt where the alert speaks of success", "[exporters][lint]") {
  // kube-state-metrics' last_schedule_time moves on at every run, failed or not: "has not run
  // successfully" read from it never fires for a CronJob failing every day (CowDogMoo 39cb214).
  const std::string age = "time() - kube_cronjob_status_last_schedule_time{cronjob=\"sync\"} > 90000";
  auto text = [&](const std::string& expr, const std::string& name, const std::string& summary) {
    return lint_text("groups:\n- name: g\n  rules:\n  - alert: " + name + "\n    expr: '" + expr +
                     "'\n    annotations:\n      summary: " + summary + "\n");
  };
  auto f = text(age, "SyncStale", "The sync CronJob has not run successfully in over 25 hours");
  REQUIRE(where(f) == V{"alerts/attempt-as-success 5:21"});
  CHECK(
      f.at(0).message ==
      "alert SyncStale speaks of success, but kube_cronjob_status_last_schedule_time is the time of the last attempt, "
      "whatever its outcome (kube-state-metrics 2.20.0), and the alert reads no time of a success: runs that fail "
      "move it on as well, so the alert never sees them fail");
  CHECK(f.at(0).suggestion == "read kube_cronjob_status_last_successful_time, the time of the last success");
  CHECK(where(text(age, "SyncNotSucceeded", "Sync is late")) == V{"alerts/attempt-as-success 5:21"});
  // The success's own time, both times compared, a text about scheduling or about running at all,
  // a recording rule: quiet.
  CHECK(where(text("time() - kube_cronjob_status_last_successful_time > 90000", "SyncStale",
                   "The sync CronJob has not run successfully in over 25 hours"))
            .empty());
  CHECK(where(text("kube_cronjob_status_last_schedule_time > kube_cronjob_status_last_successful_time",
                   "CronJobFailing", "The last run did not succeed"))
            .empty());
  CHECK(where(text(age, "SyncNotScheduled", "The sync CronJob was not successfully scheduled for 25 hours")).empty());
  CHECK(where(text(age, "SyncNotRunning", "The sync CronJob has not run in over 25 hours")).empty());
  CHECK(where(lint_text("groups:\n- name: g\n  rules:\n  - record: cronjob:last_success:age\n"
                        "    expr: time() - kube_cronjob_status_last_schedule_time\n"))
            .empty());
}
