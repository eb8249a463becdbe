#include "nsmon/rules/config.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <re2/re2.h>
#include <set>

#include "nsmon/core/yaml.hpp"
#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/rules/config_validate.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules {

namespace {

const std::vector<std::string> kTopLevel = {
    "global",  "runtime",      "alerting",    "rule_files", "scrape_config_files", "scrape_configs", "storage",
    "tracing", "remote_write", "remote_read", "otlp"};
const std::vector<std::string> kGlobal = {"scrape_interval",
                                          "scrape_timeout",
                                          "scrape_protocols",
                                          "evaluation_interval",
                                          "rule_query_offset",
                                          "query_log_file",
                                          "scrape_failure_log_file",
                                          "external_labels",
                                          "body_size_limit",
                                          "sample_limit",
                                          "target_limit",
                                          "label_limit",
                                          "label_name_length_limit",
                                          "label_value_length_limit",
                                          "keep_dropped_targets",
                                          "metric_name_validation_scheme",
                                          "metric_name_escaping_scheme",
                                          "scrape_native_histograms",
                                          "convert_classic_histograms_to_nhcb",
                                          "always_scrape_classic_histograms",
                                          "extra_scrape_metrics"};
// Fields of Prometheus's HTTP client configuration, inlined in scrape and Alertmanager configs.
const std::vector<std::string> kHttpClient = {
    "basic_auth",       "authorization", "oauth2",      "bearer_token",           "bearer_token_file",
    "tls_config",       "proxy_url",     "no_proxy",    "proxy_from_environment", "proxy_connect_header",
    "follow_redirects", "enable_http2",  "http_headers"};
const std::vector<std::string> kScrape = {"job_name",
                                          "honor_labels",
                                          "honor_timestamps",
                                          "track_timestamps_staleness",
                                          "params",
                                          "scrape_interval",
                                          "scrape_timeout",
                                          "scrape_protocols",
                                          "fallback_scrape_protocol",
                                          "scrape_native_histograms",
                                          "always_scrape_classic_histograms",
                                          "convert_classic_histograms_to_nhcb",
                                          "scrape_failure_log_file",
                                          "metrics_path",
                                          "scheme",
                                          "enable_compression",
                                          "body_size_limit",
                                          "sample_limit",
                                          "target_limit",
                                          "label_limit",
                                          "label_name_length_limit",
                                          "label_value_length_limit",
                                          "native_histogram_bucket_limit",
                                          "native_histogram_min_bucket_factor",
                                          "keep_dropped_targets",
                                          "metric_name_validation_scheme",
                                          "metric_name_escaping_scheme",
                                          "extra_scrape_metrics",
                                          "relabel_configs",
                                          "metric_relabel_configs",
                                          "static_configs"};
const std::vector<std::string> kAlerting = {"alert_relabel_configs", "alertmanagers"};
const std::vector<std::string> kAlertmanager = {
    "sigv4",       "scheme",          "path_prefix",           "timeout",
    "api_version", "relabel_configs", "alert_relabel_configs", "static_configs"};
const std::vector<std::string> kStatic = {"targets", "labels"};
const std::vector<std::string> kRelabel = {"source_labels", "separator",   "target_label", "regex",
                                           "modulus",       "replacement", "action"};

std::vector<std::string> plus(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool is_sd_key(const std::string& k) { return detail::ConfigValidator::known_sd_key(k); }

class ConfigLoader {
public:
  ConfigLoader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags)
      : y_(src, diags), v_(y_), diags_(diags) {}

  Config run() {
    Config cfg;
    cfg.path = y_.source().path();
    auto root = y_.parse(yaml::Dialect::v2); // read with yaml.v2, as Prometheus does
    if (!root || root->is_null()) return cfg;
    cfg.disabled = disabled_entries(y_.source(), read_disable_comments(y_.source(), diags_));
    if (!y_.check_mapping(*root, kTopLevel, "the configuration")) return cfg;
    cfg.alerting_span = y_.span(*root);
    if (auto g = (*root)["global"]; g && !g.is_null() && y_.check_mapping(g, kGlobal, "global")) {
      if (auto d = duration(g, "scrape_interval")) cfg.scrape_interval_ms = *d;
      if (auto d = duration(g, "scrape_timeout")) cfg.scrape_timeout_ms = *d;
      else if (!g["scrape_timeout"] && cfg.scrape_interval_ms < cfg.scrape_timeout_ms)
        cfg.scrape_timeout_ms = cfg.scrape_interval_ms; // Prometheus lowers the default timeout
      if (auto d = duration(g, "evaluation_interval")) cfg.evaluation_interval_ms = *d;
      check_timeout(g, cfg.scrape_interval_ms, cfg.scrape_timeout_ms, "");
      // External label names follow the global validation scheme (UTF-8 unless legacy).
      cfg.external_labels =
          labels(g["external_labels"], "external_labels", detail::ConfigValidator::legacy_names(yaml::Node(), g));
      global_ = g;
      v_.global(g);
    }
    if (auto a = (*root)["alerting"]; a && !a.is_null()) alerting(a, cfg);
    if (auto r = (*root)["rule_files"]; r && !r.is_null()) {
      if (!r.is_sequence()) y_.report(r, "yaml/type", "rule_files must be a list of file names or globs");
      else
        for (const auto& f : r)
          if (f.is_scalar()) cfg.rule_files.push_back(text(f));
          else y_.report(f, "yaml/type", "rule_files entries must be strings");
      v_.file_patterns(r, "rule file");
    }
    if (auto s = (*root)["scrape_configs"]; s && !s.is_null()) {
      if (!s.is_sequence()) y_.report(s, "yaml/type", "scrape_configs must be a list");
      else
        for (const auto& j : s) job(j, cfg);
    }
    for (const char* k : {"storage", "tracing", "runtime", "otlp"})
      if (auto n = (*root)[k]; n && !n.is_null() && !n.is_map())
        y_.report(n, "yaml/type", std::string(k) + " must be a mapping");
    for (const char* k : {"remote_write", "remote_read", "scrape_config_files"})
      if (auto n = (*root)[k]; n && !n.is_null() && !n.is_sequence())
        y_.report(n, "yaml/type", std::string(k) + " must be a list");
    v_.file_patterns((*root)["scrape_config_files"], "scrape config file");
    imported_jobs((*root)["scrape_config_files"], cfg);
    v_.remote_write((*root)["remote_write"]);
    v_.remote_read((*root)["remote_read"]);
    v_.storage((*root)["storage"]);
    v_.tracing((*root)["tracing"]);
    v_.otlp((*root)["otlp"], (*root)["global"]);
    v_.runtime((*root)["runtime"]);
    v_.scalar_types(*root);
    return cfg;
  }

private:
  core::Located text(const yaml::Node& n) { return y_.located(n); }

  std::optional<std::int64_t> duration(const yaml::Node& parent, const char* key) {
    auto n = parent[key];
    if (!n || n.is_null()) return std::nullopt;
    if (n.is_scalar())
      if (auto ms = text::parse_duration(n.scalar())) return ms;
    y_.report(n, "config/duration",
              std::string("not a valid duration string for ") + key + ": \"" +
                  (n.is_scalar() ? std::string(n.scalar()) : std::string("?")) + "\"");
    return std::nullopt;
  }

  // Prometheus's words: "global scrape timeout greater than scrape interval", "scrape timeout greater
  // than scrape interval for scrape config with job name ..."; `job` is empty for global.
  void check_timeout(const yaml::Node& at, std::int64_t interval, std::int64_t timeout, const std::string& job) {
    if (timeout > interval) {
      auto n = at["scrape_timeout"] ? at["scrape_timeout"] : at;
      y_.report(n, "config/scrape-timeout",
                std::string(job.empty() ? "global " : "") + "scrape timeout " + text::format_duration(timeout) +
                    " greater than scrape interval " + text::format_duration(interval) +
                    (job.empty() ? "" : " for scrape config with job name \"" + job + "\"") +
                    ": Prometheus refuses to load this");
    }
  }

  std::vector<KeyValue> labels(const yaml::Node& n, const std::string& what, bool legacy) {
    std::vector<KeyValue> out;
    if (!n || n.is_null()) return out;
    if (!n.is_map()) {
      y_.report(n, "yaml/type", what + " must be a mapping of label names to values");
      return out;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.is_scalar() || !it->second.is_scalar()) {
        y_.report(it->first, "yaml/type", what + " entries must be name: string");
        continue;
      }
      KeyValue kv{text(it->first), text(it->second)};
      if (!seen.insert(kv.key.value).second)
        y_.report(it->first, "yaml/duplicate-key", "duplicate label '" + kv.key.value + "' in " + what);
      else if (!detail::valid_label_name(kv.key.value, legacy))
        y_.report(it->first, "config/label-name", text::go::quote(kv.key.value) + " is not a valid label name");
      else if (!text::go::valid_utf8(kv.value.value))
        y_.report(it->second, "config/invalid-value", text::go::quote(kv.value.value) + " is not a valid label value");
      out.push_back(std::move(kv));
    }
    return out;
  }

  void relabels(const yaml::Node& n, const std::string& what, const std::string& empty_message, bool legacy = false) {
    if (!n || n.is_null()) return;
    if (!n.is_sequence()) {
      y_.report(n, "yaml/type", what + " must be a list");
      return;
    }
    for (const auto& r : n)
      if (!r.is_null()) y_.check_mapping(r, kRelabel, "a relabel config");
    v_.relabels(n, empty_message, legacy);
  }

  // The relabel rules as the lint model needs them (the validator reports what is wrong with them).
  std::vector<RelabelRule> relabel_rules(const yaml::Node& list) {
    std::vector<RelabelRule> out;
    if (!list || !list.is_sequence()) return out;
    for (const auto& n : list) {
      if (!n.is_map()) continue;
      RelabelRule r;
      r.span = y_.span(n);
      auto scalar = [&](const char* key, std::string& into) {
        if (auto v = n[key]; v && v.is_scalar()) into = v.scalar();
      };
      scalar("action", r.action);
      for (char& c : r.action) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      scalar("regex", r.regex);
      scalar("target_label", r.target_label);
      scalar("replacement", r.replacement);
      if (auto v = n["source_labels"]; v && v.is_sequence())
        for (const auto& l : v)
          if (l.is_scalar()) r.source_labels.push_back(std::string(l.scalar()));
      RE2::Options opts;
      opts.set_log_errors(false);
      auto re = std::make_shared<const RE2>("^(?:" + r.regex + ")$", opts);
      r.matches = [re](std::string_view s) { return re->ok() && RE2::FullMatch(s, *re); };
      out.push_back(std::move(r));
    }
    return out;
  }

  // `relabeled`: the job has relabel_configs, which may rewrite __address__ (a blackbox exporter's
  // URLs as targets); Prometheus checks the addresses only without them (checkStaticTargets).
  std::vector<core::Located> static_targets(const yaml::Node& n, std::vector<KeyValue>* labels_out, bool relabeled) {
    std::vector<core::Located> out;
    if (!n || n.is_null()) return out;
    if (!n.is_sequence()) {
      y_.report(n, "yaml/type", "static_configs must be a list");
      return out;
    }
    for (const auto& sc : n) {
      if (sc.is_null()) {
        httpconfig::report(y_, sc, "config/empty-section", "empty or null section in static_configs");
        continue;
      }
      if (!y_.check_mapping(sc, kStatic, "a static config")) continue;
      if (auto t = sc["targets"]; t && !t.is_null()) {
        if (!t.is_sequence()) {
          y_.report(t, "yaml/type", "targets must be a list of host:port");
          continue;
        }
        for (const auto& target : t) {
          if (!target.is_scalar()) {
            y_.report(target, "yaml/type", "a target must be a host:port string");
            continue;
          }
          if (!relabeled) check_target(target);
          out.push_back(text(target));
        }
      }
      // Target groups read label names with common/model's scheme, UTF-8 in Prometheus 3.
      auto l = labels(sc["labels"], "target labels", false);
      if (labels_out) labels_out->insert(labels_out->end(), l.begin(), l.end());
    }
    return out;
  }

  static bool has_relabels(const yaml::Node& m) {
    auto r = m["relabel_configs"];
    return r && r.is_sequence() && r.size() > 0;
  }

  void check_target(const yaml::Node& t) {
    const std::string s(t.scalar());
    if (s.find("://") != std::string::npos || s.find('/') != std::string::npos)
      y_.report(t, "config/target",
                "\"" + s +
                    "\" is not a valid hostname: a target is host:port (the scheme and path are set by 'scheme' and "
                    "'metrics_path')");
    else if (s.empty()) y_.report(t, "config/target", "empty target");
    else if (s.rfind(':') == std::string::npos || (s.front() == '[' && s.back() == ']')) {
      // Prometheus accepts a target without a port: the milder variant, a warning.
      auto& d = y_.report(t, "config/target",
                          "target \"" + s + "\" has no port; Prometheus will use the scheme's default (80/443)",
                          "write it as host:port");
      d.severity = core::Severity::warning;
    }
  }

  void alerting(const yaml::Node& a, Config& cfg) {
    cfg.alerting_span = y_.key_span(a, "alertmanagers");
    if (cfg.alerting_span.line == 0) cfg.alerting_span = y_.span(a);
    if (!y_.check_mapping(a, kAlerting, "alerting")) return;
    relabels(a["alert_relabel_configs"], "alert_relabel_configs", "empty or null alert relabeling rule");
    auto ams = a["alertmanagers"];
    if (!ams || ams.is_null()) return;
    if (!ams.is_sequence()) {
      y_.report(ams, "yaml/type", "alertmanagers must be a list");
      return;
    }
    for (const auto& am : ams) {
      if (!am.is_map()) {
        y_.report(am, "yaml/type", "an Alertmanager config must be a mapping");
        continue;
      }
      std::vector<std::string> allowed = plus(kAlertmanager, kHttpClient);
      for (auto it = am.begin(); it != am.end(); ++it)
        if (it->first.is_scalar() && is_sd_key(std::string(it->first.scalar()))) {
          allowed.push_back(std::string(it->first.scalar()));
          cfg.alertmanager_discovery = true;
        }
      if (!y_.check_mapping(am, allowed, "an Alertmanager config")) continue;
      relabels(am["relabel_configs"], "relabel_configs", "empty or null Alertmanager target relabeling rule");
      relabels(am["alert_relabel_configs"], "alert_relabel_configs",
               "empty or null Alertmanager alert relabeling rule");
      v_.alertmanager(am);
      auto targets = static_targets(am["static_configs"], nullptr, has_relabels(am));
      cfg.alertmanager_targets.insert(cfg.alertmanager_targets.end(), targets.begin(), targets.end());
    }
  }

  void job(const yaml::Node& j, Config& cfg) {
    if (j.is_null()) {
      httpconfig::report(y_, j, "config/empty-section", "empty or null scrape config section");
      return;
    }
    if (!j.is_map()) {
      y_.report(j, "yaml/type", "a scrape config must be a mapping");
      return;
    }
    ScrapeJob job;
    job.span = y_.span(j);
    std::vector<std::string> allowed = plus(kScrape, kHttpClient);
    for (auto it = j.begin(); it != j.end(); ++it)
      if (it->first.is_scalar() && is_sd_key(std::string(it->first.scalar()))) {
        allowed.push_back(std::string(it->first.scalar()));
        job.has_service_discovery = true;
      }
    if (!y_.check_mapping(j, allowed, "a scrape config")) return;
    if (auto n = j["job_name"]; n && n.is_scalar() && !n.scalar().empty()) job.name = text(n);
    else {
      y_.report(n ? n : j, "config/missing-field", "job_name is empty");
      job.name.span = job.span;
    }
    job.interval_ms = duration(j, "scrape_interval").value_or(cfg.scrape_interval_ms);
    auto timeout = duration(j, "scrape_timeout");
    job.timeout_ms = timeout ? *timeout : std::min(cfg.scrape_timeout_ms, job.interval_ms);
    check_timeout(j, job.interval_ms, job.timeout_ms, job.name.value);
    bool legacy = detail::ConfigValidator::legacy_names(j, global_);
    relabels(j["relabel_configs"], "relabel_configs", "empty or null target relabeling rule in scrape config", legacy);
    relabels(j["metric_relabel_configs"], "metric_relabel_configs",
             "empty or null metric relabeling rule in scrape config", legacy);
    v_.http_client(j);
    v_.service_discovery(j);
    v_.scrape_fields(j, global_);
    job.targets = static_targets(j["static_configs"], &job.labels, has_relabels(j));
    if (auto h = j["honor_labels"]; h && h.is_scalar()) job.honor_labels = core::yaml_v2::to_bool(h).value_or(false);
    if (auto sc = j["static_configs"]; sc && sc.is_sequence())
      for (const auto& g : sc) job.static_configs += g.is_map() ? 1 : 0;
    job.relabel_configs = relabel_rules(j["relabel_configs"]);
    job.metric_relabel_configs = relabel_rules(j["metric_relabel_configs"]);
    for (const auto& other : cfg.jobs)
      if (!job.name.value.empty() && other.name.value == job.name.value)
        add(job.name.span, "config/duplicate-job",
            "found multiple scrape configs with job name \"" + job.name.value + "\" (first at " +
                (other.name.span.file == job.name.span.file ? "line " : other.name.span.file.str() + ":") +
                std::to_string(other.name.span.line) + ")");
    cfg.jobs.push_back(std::move(job));
  }

  // scrape_config_files: each file a glob matches (globs in the file name only, relative to this
  // config) holds scrape_configs only; its jobs join this config's, positioned in that file.
  void imported_jobs(const yaml::Node& list, Config& cfg) {
    namespace fs = std::filesystem;
    if (!list || !list.is_sequence()) return;
    fs::path base = fs::path(cfg.path).parent_path();
    for (const auto& f : list) {
      if (!f.is_scalar() || f.scalar().empty()) continue;
      fs::path p(f.scalar());
      std::string pattern = (p.is_absolute() ? p : base / p).lexically_normal().string();
      for (const auto& m : util::glob(pattern)) {
        std::error_code ec;
        if (!fs::is_regular_file(m, ec)) continue;
        // A file read twice defines its jobs twice: say so where the second import is.
        auto canonical = fs::weakly_canonical(m, ec).string();
        if (!imported_.insert(ec ? m : canonical).second) {
          y_.report(f, "config/duplicate-job",
                    "\"" + m +
                        "\" is imported a second time: found multiple scrape configs with the job names it defines");
          continue;
        }
        core::SourceFile src(m, util::read_file(m));
        ConfigLoader(src, diags_).import_into(cfg, global_);
      }
    }
  }

  void import_into(Config& cfg, const yaml::Node& global) {
    auto root = y_.parse(yaml::Dialect::v2); // read with yaml.v2, as Prometheus does
    if (!root || root->is_null()) return;
    if (!y_.check_mapping(*root, {"scrape_configs"}, "a scrape config file")) return;
    global_ = global;
    auto s = (*root)["scrape_configs"];
    if (!s || s.is_null()) return;
    if (!s.is_sequence()) y_.report(s, "yaml/type", "scrape_configs must be a list");
    else
      for (const auto& j : s) job(j, cfg);
    v_.scalar_types(*root);
  }

  void add(core::Span at, core::CheckId check, std::string msg) {
    diags_.push_back(core::make_diagnostic(check, at, std::move(msg)));
  }

  core::YamlReader y_;
  detail::ConfigValidator v_;
  yaml::Node global_;
  std::set<std::string> imported_; ///< scrape_config_files read so far
  std::vector<core::Diagnostic>& diags_;
};

bool has_glob(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

} // namespace

Config load_config(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  return ConfigLoader(src, diags).run();
}

std::vector<std::string> resolve_rule_files(const Config& cfg, std::vector<core::Diagnostic>& diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  fs::path base = fs::path(cfg.path).parent_path();
  for (const auto& rf : cfg.rule_files) {
    fs::path p(rf.value);
    std::string pattern = (p.is_absolute() ? p : base / p).lexically_normal().string();
    if (!has_glob(rf.value)) {
      std::error_code ec;
      if (fs::is_regular_file(pattern, ec)) out.push_back(pattern);
      else
        diags.push_back(core::make_diagnostic(
            "config/rule-file", rf.span, "rule file \"" + rf.value + "\" does not exist (looked for " + pattern + ")"));
      continue;
    }
    auto matched = util::glob(pattern);
    out.insert(out.end(), matched.begin(), matched.end());
    if (matched.empty()) { // not an error for Prometheus: the milder variant, a warning
      auto d =
          core::make_diagnostic("config/rule-file", rf.span, "rule_files pattern \"" + rf.value + "\" matches no file");
      d.severity = core::Severity::warning;
      diags.push_back(std::move(d));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

} // namespace nsmon::rules
