#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "nsmon/rules/config.hpp"
#include "nsmon/util/files.hpp"
#include "test_places.hpp"

using namespace nsmon;

namespace {
struct Loaded {
  rules::Config cfg;
  std::vector<core::Diagnostic> diags;
};

Loaded load(const std::string& text, const std::string& path = "prometheus.yml") {
  core::SourceFile src(path, text);
  Loaded l;
  l.cfg = rules::load_config(src, l.diags);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const std::vector<core::Diagnostic>& diags) {
  return testing::places_with_severity(diags);
}
using V = std::vector<std::string>;
} // namespace

TEST_CASE("the seeds' and the corrected prometheus.yml", "[config]") {
  for (const char* rel : {"/tests/data/seed/prometheus.yml", "/rules/prometheus.yml"}) {
    std::string path = std::string(NSMON_SOURCE_DIR) + rel;
    auto l = load(util::read_file(path), path);
    INFO(rel);
    CHECK(l.diags.empty());
    CHECK(l.cfg.scrape_interval_ms == 15000);
    CHECK(l.cfg.evaluation_interval_ms == 15000);
    REQUIRE(l.cfg.jobs.size() == 3);
    CHECK(l.cfg.jobs[0].name.value == "neurosymbolic-app");
    CHECK(l.cfg.jobs[0].interval_ms == 15000);
    CHECK(l.cfg.jobs[0].labels.size() == 2);
    CHECK(l.cfg.external_labels.size() == 2);
    std::vector<core::Diagnostic> diags;
    auto files = rules::resolve_rule_files(l.cfg, diags);
    CHECK(diags.empty());
    // The corrected config also loads the SLO rules, which the SLO dashboard reads.
    REQUIRE(files.size() == (std::string(rel) == "/rules/prometheus.yml" ? 2u : 1u));
    CHECK(std::filesystem::path(files[0]).filename() == "alert_rules.yml");
    if (files.size() == 2) CHECK(std::filesystem::path(files[1]).filename() == "slo_rules.yml");
  }
  // The seeds leave the Alertmanager list empty; the corrected config names one.
  auto seed = load(util::read_file(std::string(NSMON_SOURCE_DIR) + "/tests/data/seed/prometheus.yml"));
  CHECK(seed.cfg.alertmanager_targets.empty());
  auto fixed = load(util::read_file(std::string(NSMON_SOURCE_DIR) + "/rules/prometheus.yml"));
  CHECK(fixed.cfg.alertmanager_targets.size() == 1);
}

TEST_CASE("config checks Prometheus would refuse or that misbehave", "[config]") {
  SECTION("scrape_timeout greater than scrape_interval, globally and per job") {
    auto l = load("global: {scrape_interval: 10s, scrape_timeout: 20s}\n"
                  "scrape_configs:\n- job_name: a\n  scrape_interval: 5s\n  scrape_timeout: 6s\n"
                  "  static_configs: [{targets: ['h:1']}]\n");
    CHECK(where(l.diags) == V{"1:48 error config/scrape-timeout", "5:19 error config/scrape-timeout"});
  }
  SECTION("merge keys apply in the order written, as yaml.v2 (Prometheus's reader) applies them") {
    // The merged interval (20s), written after the job's own, is the one Prometheus uses: no
    // timeout error (promtool 2.42 accepts this file); the job's own timeout, written after, wins.
    auto l = load("scrape_configs:\n- job_name: x\n  scrape_interval: 10s\n"
                  "  <<: {scrape_interval: 20s, scrape_timeout: 15s}\n  static_configs: [{targets: ['h:1']}]\n");
    CHECK(l.diags.empty());
    CHECK(l.cfg.jobs.at(0).interval_ms == 20000);
    auto after = load("scrape_configs:\n- job_name: x\n  <<: {scrape_interval: 20s, scrape_timeout: 15s}\n"
                      "  scrape_interval: 10s\n  static_configs: [{targets: ['h:1']}]\n");
    CHECK(where(after.diags) == V{"3:46 error config/scrape-timeout"});
  }
  SECTION("a job's interval below the global timeout lowers the default timeout") {
    auto l = load("scrape_configs:\n- job_name: a\n  scrape_interval: 5s\n  static_configs: [{targets: ['h:1']}]\n");
    CHECK(l.diags.empty());
    CHECK(l.cfg.jobs[0].timeout_ms == 5000);
  }
  SECTION("duplicate job names, targets with a scheme or without a port") {
    auto l = load("scrape_configs:\n- job_name: a\n  static_configs: [{targets: ['http://h:1/metrics', 'h']}]\n"
                  "- job_name: a\n  static_configs: [{targets: ['h:2']}]\n");
    CHECK(where(l.diags) ==
          V{"3:31 error config/target", "3:53 warning config/target", "4:13 error config/duplicate-job"});
  }
  SECTION("unknown fields with suggestions; service discovery and HTTP client fields are known") {
    auto l = load("global: {scrape_intervall: 1m}\nscrape_configs:\n- job_name: a\n  metric_path: /m\n"
                  "  kubernetes_sd_configs: [{role: pod}]\n  basic_auth: {username: u, password_file: /p}\n");
    CHECK(where(l.diags) == V{"1:10 error yaml/unknown-field", "4:3 error yaml/unknown-field"});
    CHECK(l.diags[1].suggestion == "did you mean 'metrics_path'?");
    REQUIRE(l.cfg.jobs.size() == 1); // reported, and still read for the other checks
    CHECK(l.cfg.jobs[0].has_service_discovery);
  }
  SECTION("bad durations and labels") {
    // External label names follow the global validation scheme: legacy here.
    auto l = load(
        "global: {scrape_interval: 15, metric_name_validation_scheme: legacy, external_labels: {'bad-name': x}}\n");
    CHECK(where(l.diags) == V{"1:27 error config/duration", "1:88 error config/label-name"});
    // Prometheus 3 validates UTF-8 names by default: dots, dashes and a leading __ are names; target
    // labels are always read that way (targetgroup uses common/model's scheme).
    auto utf8 = load("global: {external_labels: {'service.name': x, __tenant: y}}\n"
                     "scrape_configs:\n- job_name: a\n  metric_name_validation_scheme: legacy\n"
                     "  static_configs: [{targets: ['a:1'], labels: {'k8s.ns': x, __param_x: y}}]\n");
    CHECK(where(utf8.diags).empty());
    CHECK(where(load("global: {external_labels: {'': x}}\n").diags) == V{"1:28 error config/label-name"});
  }
  SECTION("missing rule files and globs that match nothing") {
    auto dir = std::filesystem::temp_directory_path() / "nsmon-config-test";
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "present.yml") << "groups: []\n";
    auto l = load("rule_files: ['present.yml', 'missing.yml', 'rules/*.yml', '*.yml']\n", (dir / "p.yml").string());
    std::vector<core::Diagnostic> diags;
    auto files = rules::resolve_rule_files(l.cfg, diags);
    core::sort_diagnostics(diags);
    CHECK(where(diags) == V{"1:29 error config/rule-file", "1:44 warning config/rule-file"});
    CHECK(files == std::vector<std::string>{(dir / "present.yml").string()}); // named twice, listed once
    std::filesystem::remove_all(dir);
  }
  SECTION("hostile input") {
    CHECK(!load("scrape_configs: " + std::string(20000, '[')).diags.empty());
    CHECK(!load("\x01\x02\xff: [").diags.empty());
    CHECK(!load("- a\n- b\n").diags.empty());
  }
}

// Prometheus's loader rules, one row each: a config and the findings (line:col severity check),
// bad cases and the tricky clean ones next to them.
TEST_CASE("prometheus.yml semantic checks (relabel, HTTP client, SD, remote, storage, otlp)", "[config]") {
  struct Case {
    const char* name;
    const char* yaml;
    V want;
  };
  // clang-format off
  const std::vector<Case> cases = {
    {"relabel: regex compiled by RE2", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: abc(def\n        action: keep\n",
     {"4:16 error config/relabel"}},
    {"relabel: RE2 syntax accepted", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - regex: '(?i)foo|\\pL+'\n        action: drop\n", {}},
    {"relabel: default action replace needs target_label", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - source_labels: [x]\n", {"4:9 error config/relabel"}},
    {"relabel: hashmod without modulus", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [x], target_label: y, action: hashmod}\n", {"4:55 error config/relabel"}},
    {"relabel: labeldrop with a field", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {regex: x, separator: ',', action: labeldrop}\n", {"4:44 error config/relabel"}},
    {"relabel: labeldrop with the defaults written out", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {regex: x, separator: ';', replacement: $1, action: LabelDrop}\n", {}},
    {"relabel: keepequal with a regex", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], target_label: b, regex: x, action: keepequal}\n", {"4:65 error config/relabel"}},
    {"relabel: lowercase with a replacement", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], target_label: b, replacement: c, action: lowercase}\n", {"4:60 error config/relabel"}},
    {"relabel: target_label under the legacy scheme", "global:\n  metric_name_validation_scheme: legacy\nscrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], target_label: 'a.b'}\n      - {source_labels: [a], target_label: 'x_${1}_$2'}\n      - {source_labels: [a], target_label: '$1', action: hashmod, modulus: 2}\n      - {regex: 'k8s_(.+)', replacement: 'k8s.$1', action: labelmap}\n",
     {"6:44 error config/relabel", "8:44 error config/relabel", "9:42 error config/relabel"}},
    {"relabel: UTF-8 names by default (Prometheus 3)", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: [a], target_label: 'a.b'}\n      - {regex: 'k8s_(.+)', replacement: 'k8s.$1', action: labelmap}\n", {}},
    {"relabel: action null", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - action:\n", {"4:9 error config/relabel"}},
    {"relabel: empty entry, at its dash", "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      -\n", {"4:7 error config/empty-section"}},
    {"relabel: empty entry with a comment, at its dash, not the comment", "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      -   # later\n", {"4:7 error config/empty-section"}},
    {"scrape config: empty entry with a comment, at its dash", "scrape_configs:\n  - # none yet\n  - job_name: b\n", {"2:3 error config/empty-section"}},
    {"static config: empty entry, a comment line below", "scrape_configs:\n  - job_name: a\n    static_configs:\n      -\n      # later\n", {"4:7 error config/empty-section"}},
    {"http: bearer_token and bearer_token_file", "scrape_configs:\n  - job_name: a\n    bearer_token: x\n    bearer_token_file: f\n", {"4:24 error config/conflict"}},
    {"http: basic_auth and authorization", "scrape_configs:\n  - job_name: a\n    authorization: {credentials: x}\n    basic_auth: {username: u}\n", {"4:17 error config/conflict"}},
    {"http: oauth2 needs token_url", "scrape_configs:\n  - job_name: a\n    oauth2: {client_id: x}\n", {"3:13 error config/missing-field"}},
    {"http: tls cert without key", "scrape_configs:\n  - job_name: a\n    tls_config: {cert_file: c}\n", {"3:29 error config/missing-field"}},
    {"http: false proxy_from_environment is not set", "scrape_configs:\n  - job_name: a\n    proxy_url: http://p:3128\n    proxy_from_environment: false\n", {}},
    {"sd: unknown kind", "scrape_configs:\n  - job_name: a\n    consult_sd_configs: []\n", {"3:5 error yaml/unknown-field"}},
    {"sd: kubernetes role", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: vacation\n", {"4:15 error config/invalid-value"}},
    {"sd: kubernetes custom HTTP client without api_server", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n        tls_config: {insecure_skip_verify: true}\n", {"5:21 error config/missing-field"}},
    {"sd: kubernetes follow_redirects is no custom client", "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n      - role: pod\n        follow_redirects: false\n", {}},
    {"sd: outscale needs one secret", "scrape_configs:\n  - job_name: a\n    outscale_sd_configs:\n      - region: eu\n", {"4:9 error config/missing-field"}},
    {"sd: azure OAuth needs client_id", "scrape_configs:\n  - job_name: a\n    azure_sd_configs:\n      - {subscription_id: s, tenant_id: t, client_secret: c}\n", {"4:9 error config/missing-field"}},
    {"sd: azure ManagedIdentity needs no secret", "scrape_configs:\n  - job_name: a\n    azure_sd_configs:\n      - {subscription_id: s, authentication_method: ManagedIdentity}\n", {}},
    {"sd: misspelt field", "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n      - file: [a.json]\n", {"4:9 error config/missing-field", "4:9 error yaml/unknown-field"}},
    {"sd: HTTP client fields inlined where Prometheus inlines them", "scrape_configs:\n  - job_name: a\n    consul_sd_configs:\n      - {server: c:8500, basic_auth: {username: u}}\n    dns_sd_configs:\n      - {names: [a], basic_auth: {username: u}}\n", {"6:22 error yaml/unknown-field"}},
    {"alerting: api v1 is gone", "alerting:\n  alertmanagers:\n    - api_version: v1\n      static_configs: [{targets: ['am:9093']}]\n", {"3:20 error config/invalid-value"}},
    {"sd: http url scheme", "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: ftp://x\n", {"4:14 error config/invalid-value"}},
    {"sd: https is an http url, a url needs a host", "scrape_configs:\n  - job_name: a\n    http_sd_configs:\n      - url: https://x/sd\n      - url: http:///sd\n", {"5:14 error config/invalid-value"}},
    {"remote_write: url, queue bounds", "remote_write:\n  - url:\n  - url: http://a\n    queue_config: {min_shards: 100, max_shards: 10}\n", {"2:5 error config/missing-field", "4:32 error config/invalid-value"}},
    {"remote_write: duplicate names", "remote_write:\n  - {url: http://a, name: q}\n  - {url: http://b, name: q}\n", {"3:27 error config/duplicate-name"}},
    {"remote_write: reserved header, any case", "remote_write:\n  - url: http://a\n    headers: {Content-Type: x}\n", {"3:15 error config/invalid-value"}},
    {"remote_read: custom header", "remote_read:\n  - url: http://a\n    headers: {X-Scope-OrgID: t}\n", {}},
    {"storage: sizes and percentages", "storage:\n  tsdb:\n    retention: {size: 1GiB512MB, percentage: 100.5}\n", {"3:46 error config/invalid-value"}},
    {"otlp: promote_all with a list", "otlp:\n  promote_all_resource_attributes: true\n  promote_resource_attributes: [a]\n", {"3:32 error config/conflict"}},
    {"global: escaping allow-utf-8 under legacy", "global:\n  metric_name_validation_scheme: legacy\n  metric_name_escaping_scheme: allow-utf-8\n", {"3:32 error config/conflict"}},
    {"scrape: body_size_limit needs a unit", "scrape_configs:\n  - {job_name: a, body_size_limit: 100}\n", {"2:36 error config/invalid-value"}},
    {"rule_files: glob in a directory", "rule_files: ['a/*.yml', 'a/*/b.yml']\n", {"1:25 error config/invalid-value"}},
    {"fields: misspelt below the top level", "remote_write:\n  - url: http://a\n    queue_config: {max_shard: 3}\n    tls_config: {insecure_skip_verfy: true}\nstorage:\n  tsdb:\n    retention: {tim: 1d}\n",
     {"3:20 error yaml/unknown-field", "4:18 error yaml/unknown-field", "7:17 error yaml/unknown-field"}},
    {"http: authorization type basic, TLS version", "scrape_configs:\n  - job_name: a\n    authorization: {type: Basic, credentials: x}\n    tls_config: {min_version: TLS14}\n",
     {"3:27 error config/invalid-value", "4:31 error config/invalid-value"}},
    {"tracing: endpoint required", "tracing:\n  sampling_fraction: 1\n", {"2:3 error config/missing-field"}},
    {"scrape_protocols: an empty list is refused, null is the default", "global:\n  scrape_protocols: []\nscrape_configs:\n  - {job_name: a, scrape_protocols: }\n", {"2:21 error config/invalid-value"}},
    {"scrape: validation and escaping schemes of a job", "scrape_configs:\n  - job_name: a\n    metric_name_validation_scheme: Legacy\n    metric_name_escaping_scheme: dashes\n",
     {"3:36 error config/invalid-value", "4:34 error config/invalid-value"}},
    {"scrape: a legacy job escapes with underscores unless told", "global: {metric_name_escaping_scheme: dots}\nscrape_configs:\n  - {job_name: a, metric_name_validation_scheme: legacy}\n", {}},
    {"otlp: keeping UTF-8 names needs UTF-8 validation", "global: {metric_name_validation_scheme: legacy}\notlp: {translation_strategy: NoTranslation}\n", {"2:30 error config/conflict"}},
    {"otlp: escaping strategies are fine under legacy", "global: {metric_name_validation_scheme: legacy}\notlp: {translation_strategy: UnderscoreEscapingWithSuffixes}\n", {}},
    {"remote_write: one way to authenticate", "remote_write:\n  - url: http://a\n    basic_auth: {username: u}\n    sigv4: {region: eu}\n", {"4:12 error config/conflict"}},
    {"remote_write: azuread cloud and methods", "remote_write:\n  - url: http://a\n    azuread: {cloud: AzureMoon, sdk: {}, managed_identity: {}}\n  - url: http://b\n    azuread: {}\n",
     {"3:22 error config/invalid-value", "3:38 error config/conflict", "5:14 error config/missing-field"}},
    {"remote_write: azuread OAuth fields and UUIDs", "remote_write:\n  - url: http://a\n    azuread:\n      oauth: {client_id: not-a-uuid, tenant_id: t}\n",
     {"4:14 error config/missing-field", "4:26 error config/invalid-value"}},
    {"remote_write: azuread UUIDs in every form Go's uuid parses", "remote_write:\n  - url: http://a\n    azuread: {workload_identity: {client_id: '{6ba7b810-9dad-11d1-80b4-00c04fd430c8}', tenant_id: 6ba7b8109dad11d180b400c04fd430c8}}\n  - url: http://b\n    azuread: {managed_identity: {client_id: 'urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8'}, scope: 'https://x/.default'}\n", {}},
    {"alerting: sigv4 with basic_auth, null alert relabel rule", "alerting:\n  alertmanagers:\n    - basic_auth: {username: u}\n      sigv4: {region: eu}\n      alert_relabel_configs:\n        -\n      static_configs: [{targets: ['am:9093']}]\n",
     {"4:14 error config/conflict", "6:9 error config/empty-section"}},
    {"runtime: gogc only", "runtime:\n  gogc: 50\n  gomaxprocs: 2\n", {"3:3 error yaml/unknown-field"}},
    {"sd: each kind's required fields, values and conflicts (defaults kept: consul's server, DNS's SRV, STACKIT's region)", "scrape_configs:\n  - job_name: a\n    aws_sd_configs:\n      - region: eu\n      - {role: ec3}\n    consul_sd_configs:\n      - {server: \"\"}\n      - {services: [a]}\n      - {token: t, oauth2: {client_id: c, token_url: \"http://t\"}}\n    dns_sd_configs:\n      - {names: [a], type: a}\n      - {names: [a], type: TXT}\n      - {names: [_x._tcp], type: srv}\n    file_sd_configs:\n      - files: [a/*.json, \"a/*/b.yml\", b.txt, c.YAML]\n    gce_sd_configs:\n      - {zone: z}\n    dockerswarm_sd_configs:\n      - {host: \"unix:///var/run/docker.sock\", role: pods}\n    triton_sd_configs:\n      - {account: a, dns_suffix: d, endpoint: e, role: vm}\n    serverset_sd_configs:\n      - {servers: [zk], paths: [a/b, /c]}\n    kuma_sd_configs:\n      - {server: \"localhost:5676\"}\n      - {server: \"http://kuma:5676\"}\n    stackit_sd_configs:\n      - {project: p, region: \"\"}\n      - {project: p}\n",
     {"4:9 error config/missing-field", "5:16 error config/invalid-value", "7:18 error config/missing-field", "9:28 error config/conflict",
      "11:28 error config/missing-field", "12:28 error config/invalid-value", "15:27 error config/invalid-value", "15:40 error config/invalid-value",
      "17:9 error config/missing-field", "19:53 error config/invalid-value", "21:56 error config/invalid-value", "23:33 error config/invalid-value",
      "25:18 error config/invalid-value", "28:30 error config/missing-field"}},
    {"http: TLS *_ref and client cert/key pairs", "scrape_configs:\n  - job_name: a\n    tls_config: {ca: x, ca_ref: y, key_ref: k}\n", {"3:33 error config/conflict", "3:45 error config/missing-field"}},
    {"http: OAuth2 JWT bearer: certificate key and algorithm, not a secret", "scrape_configs:\n  - job_name: a\n    oauth2:\n      client_id: c\n      token_url: https://t\n      grant_type: urn:ietf:params:oauth:grant-type:jwt-bearer\n      client_secret: s\n      client_secret_file: f\n      signature_algorithm: HS256\n",
     {"9:28 error config/invalid-value"}},
    {"relabel: source_labels are label names", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      - {source_labels: ['', 'k8s.pod'], action: keep}\n", {"4:26 error config/label-name"}},
    {"http: http_headers, reserved in any case", "scrape_configs:\n  - job_name: a\n    http_headers:\n      x-amz-date: {values: [x]}\n      X-Tenant: {values: [t], file: [f]}\n",
     {"4:7 error config/invalid-value", "5:31 error yaml/unknown-field"}},
    {"targets: URLs are fine when relabel_configs rewrite the address (blackbox exporter)", "scrape_configs:\n  - job_name: blackbox\n    metrics_path: /probe\n    relabel_configs:\n      - {source_labels: [__address__], target_label: __param_target}\n      - {target_label: __address__, replacement: 'blackbox:9115'}\n    static_configs:\n      - targets: ['https://example.com/health', example.org]\n", {}},
    {"targets: a URL without relabel_configs", "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['https://example.com/health']\n", {"4:19 error config/target"}},
    {"tracing: no Authorization header", "tracing:\n  endpoint: otel:4317\n  headers: {authorization: x}\n", {"3:13 error config/invalid-value"}},
  };
  // clang-format on
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.yaml);
    auto l = load(c.yaml);
    CHECK(where(l.diags) == c.want);
  }
}

TEST_CASE("scrape_config_files: imported jobs join the config's, positioned in their file", "[config]") {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("nsmon-scrape-files-" + std::to_string(::getpid()));
  fs::create_directories(dir / "jobs");
  std::ofstream(dir / "jobs" / "a.yml") << "scrape_configs:\n  - job_name: a\n    scrape_timeout: 2m\n";
  std::ofstream(dir / "jobs" / "b.yml") << "scrape_configs:\n  - job_name: main\n";
  std::string main = (dir / "prometheus.yml").string();
  auto l = load("scrape_config_files: ['jobs/*.yml', jobs/a.yml]\nscrape_configs:\n  - job_name: main\n", main);
  V got;
  for (const auto& d : l.diags)
    got.push_back(fs::path(d.span.file.str()).filename().string() + ":" + std::to_string(d.span.line) + " " +
                  std::string(d.check.id()));
  // a.yml's timeout is over the global interval (1m); b.yml repeats job "main"; a.yml is read twice.
  CHECK(got ==
        V{"a.yml:3 config/scrape-timeout", "b.yml:2 config/duplicate-job", "prometheus.yml:1 config/duplicate-job"});
  REQUIRE(l.cfg.jobs.size() == 3);
  CHECK(l.cfg.jobs[1].name.value == "a");
  fs::remove_all(dir);
}

// Hostile input: every corpus file cut, with a line dropped or doubled, and with a byte swapped for
// one of YAML's indicators, must load without a crash and with findings inside the text (the
// prometheus.yml loader has no fuzz target of its own: fuzz_config reads nsmon's config file).
TEST_CASE("prometheus.yml loader on mutated corpus files", "[config]") {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(fs::path(NSMON_SOURCE_DIR) / "tests/data/prometheus-config"))
    if (e.path().extension() == ".yml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 200);
  const std::string indicators = ":-[]{}&*!|>'\"%@`#,? \t\n";
  std::size_t runs = 0;
  for (const auto& f : files) {
    const std::string text = util::read_file(f.string());
    std::vector<std::string> variants;
    for (std::size_t cut = 1; cut < 8; ++cut) variants.push_back(text.substr(0, text.size() * cut / 8));
    std::size_t line_start = 0;
    for (int n = 0; line_start < text.size(); ++n) {
      auto end = text.find('\n', line_start);
      end = end == std::string::npos ? text.size() : end + 1;
      if (n % 3 == 0) variants.push_back(text.substr(0, line_start) + text.substr(end));
      if (n % 3 == 1) variants.push_back(text.substr(0, end) + text.substr(line_start));
      line_start = end;
    }
    for (std::size_t i = 0; i < 16 && !text.empty(); ++i) {
      std::string v = text;
      v[(i * 7919) % v.size()] = indicators[i % indicators.size()];
      variants.push_back(std::move(v));
    }
    for (const auto& v : variants) {
      INFO(f.filename().string() << " variant:\n" << v);
      auto l = load(v, f.filename().string());
      core::SourceFile src(f.filename().string(), v);
      for (const auto& d : l.diags)
        if (d.span.file == f.filename().string()) CHECK((d.span.line >= 0 && d.span.line <= src.line_count() + 1));
      ++runs;
    }
  }
  CHECK(runs > 5000);
}

TEST_CASE("typed scalar fields as yaml.v2 decodes them", "[config]") {
  auto job = [](const std::string& field) {
    return load("scrape_configs:\n  - job_name: a\n    " + field + "\n    static_configs:\n      - targets: [h:1]\n");
  };
  // YAML 1.1 booleans load, and honor_labels is read as Prometheus reads it.
  for (const char* yes : {"true", "yes", "Yes", "On", "y", "TRUE"}) {
    auto l = job(std::string("honor_labels: ") + yes);
    CHECK(l.diags.empty());
    REQUIRE(l.cfg.jobs.size() == 1);
    CHECK(l.cfg.jobs[0].honor_labels);
  }
  for (const char* no : {"false", "no", "Off", "n"}) {
    auto l = job(std::string("honor_labels: ") + no);
    CHECK(l.diags.empty());
    CHECK_FALSE(l.cfg.jobs.at(0).honor_labels);
  }
  // A quoted "true" is a string; so is any other word; a number is not a bool.
  auto l = job("honor_labels: \"true\"");
  REQUIRE(l.diags.size() == 1);
  CHECK(l.diags[0].check == "yaml/type");
  CHECK(l.diags[0].message == "cannot unmarshal !!str `true` into bool (honor_labels)");
  CHECK(where(l.diags) == V{"3:19 error yaml/type"});
  CHECK_FALSE(l.cfg.jobs.at(0).honor_labels);
  CHECK(job("honor_labels: maybe").diags.size() == 1);
  CHECK(job("enable_http2: 1").diags.at(0).message == "cannot unmarshal !!int `1` into bool (enable_http2)");
  // Integers in every form yaml.v2 reads; floats truncated; not negative into unsigned, not .inf.
  for (const char* ok : {"100", "0x10", "1_000", "0755", "+3", "1.5", "1e3", "09", "0b101", "~"})
    CHECK(job(std::string("sample_limit: ") + ok).diags.empty());
  CHECK(job("sample_limit: -1").diags.at(0).message == "cannot unmarshal !!int `-1` into uint (sample_limit)");
  CHECK(job("sample_limit: .inf").diags.at(0).message == "cannot unmarshal !!float `.inf` into uint (sample_limit)");
  CHECK(job("sample_limit: \"5\"").diags.at(0).message == "cannot unmarshal !!str `5` into uint (sample_limit)");
  CHECK(job("sample_limit: [1]").diags.at(0).message == "cannot unmarshal !!seq into uint (sample_limit)");
  // A label or header named like a field is the user's name, not a typed field.
  CHECK(load("scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: [h:1]\n        labels: "
             "{honor_labels: maybe, sample_limit: lots}\n")
            .diags.empty());
  // DNS SD: a port of 0, in any form, is no port.
  auto dns = [](const std::string& port) {
    return load("scrape_configs:\n  - job_name: a\n    dns_sd_configs:\n      - names: [x.example]\n        type: A\n"
                "        port: " +
                port + "\n");
  };
  CHECK(dns("0").diags.at(0).message == "a port is required in DNS-SD configs for all record types except SRV");
  CHECK(dns("0x0").diags.size() == 1);
  CHECK(dns("0b101").diags.empty());
  CHECK(dns("9100").diags.empty());
}
