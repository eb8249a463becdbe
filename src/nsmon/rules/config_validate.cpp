// The semantic checks of prometheus.yml's top-level sections that have no file of their own:
// global and scrape fields, alerting.alertmanagers, storage, tracing, otlp, runtime, file patterns.
// Service discovery, relabelling and remote write/read are config_sd.cpp, config_relabel.cpp and
// config_remote.cpp; the HTTP client is httpconfig/.

#include "nsmon/rules/config_validate.hpp"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

#include "nsmon/httpconfig/http_client.hpp"
#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

using namespace httpconfig;

namespace {

// clang-format off
const Names kTracing = {"client_type", "endpoint", "sampling_fraction", "insecure", "tls_config", "headers",
                        "compression", "timeout"};
const Names kStorage = {"tsdb", "exemplars"};
const Names kTsdb = {"out_of_order_time_window", "stale_series_compaction_threshold", "chunk_encoding", "retention"};
const Names kOtlp = {"promote_all_resource_attributes", "promote_resource_attributes", "ignore_resource_attributes",
                     "translation_strategy", "keep_identifying_resource_attributes", "convert_histograms_to_nhcb",
                     "promote_scope_metadata", "label_name_underscore_sanitization",
                     "label_name_preserve_multiple_underscores"};
// clang-format on

const std::vector<std::string_view> kScrapeProtocols = {
    "OpenMetricsText0.0.1", "OpenMetricsText1.0.0", "PrometheusProto", "PrometheusText0.0.4", "PrometheusText1.0.0"};

// Units of Prometheus's byte sizes (alecthomas/units Base2Bytes): 512MB, 1GiB, 1GB512MB.
// Hand-written: std::regex recurses per character, and a hostile value must not exhaust the stack.
bool is_byte_size(const std::string& s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t from = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    return i > from;
  };
  if (s.empty()) return false;
  while (i < s.size()) {
    if (!digits()) return false;
    if (i < s.size() && s[i] == '.' && (++i, !digits())) return false;
    if (i < s.size() && std::string_view("KMGTPE").find(s[i]) != std::string_view::npos) {
      ++i;
      if (i < s.size() && s[i] == 'i') ++i;
    }
    if (i >= s.size() || s[i] != 'B') return false;
    ++i;
  }
  return true;
}

// A glob only in the last path element (config.go's patRulePath).
bool is_file_pattern(const std::string& s) {
  auto star = s.find('*');
  return star == std::string::npos || s.find('/', star) == std::string::npos;
}

} // namespace

void ConfigValidator::fields(const yaml::Node& m, std::string_view path, const std::vector<std::string>& allowed) {
  httpconfig::fields(y_, m, path, allowed);
}

void ConfigValidator::tls(const yaml::Node& m, std::string_view path) { httpconfig::check_tls(y_, m, path); }

void ConfigValidator::alertmanager(const yaml::Node& am) {
  static const std::vector<Rule> rules = {
      {Kind::one_of, {"api_version"}, {"v2"}, "expected Alertmanager api version to be one of [v2] but got {}"},
      {Kind::one_of, {"scheme"}, {"http", "https"}, "unknown Alertmanager scheme {} (http or https)"},
  };
  if (am && am.is_map()) apply(y_, am, rules);
  http_client(am);
  if (am && am.is_map() && present(am, "sigv4") &&
      (present(am, "basic_auth") || present(am, "authorization") || present(am, "oauth2")))
    report(y_, get(am, "sigv4"), "config/conflict",
           "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured");
  service_discovery(am);
}

void ConfigValidator::http_client(const yaml::Node& m) { httpconfig::check_inline_http_client(y_, m); }

void ConfigValidator::global(const yaml::Node& g) { scrape_fields(g, {}, true); }

void ConfigValidator::scrape_fields(const yaml::Node& job, const yaml::Node& global, bool is_global) {
  // The validation scheme is read by common/model (same words everywhere); the escaping scheme is
  // checked by config.go, which says where.
  const std::string escaping_message =
      std::string("unknown ") + (is_global ? "global" : "scrape config") +
      " name escaping method specified, must be one of 'allow-utf-8', 'underscores', 'dots', or 'values', got {}";
  const std::vector<Rule> rules = {
      {Kind::one_of, {"metric_name_validation_scheme"}, {"utf8", "legacy"}, "unrecognized ValidationScheme: {}"},
      {Kind::one_of,
       {"metric_name_escaping_scheme"},
       {"allow-utf-8", "underscores", "dots", "values"},
       escaping_message},
  };
  apply(y_, job, rules);
  // `scrape_protocols: []` is not the default (null) but an empty list, which Prometheus refuses.
  if (auto p = get(job, "scrape_protocols"); p && p.is_sequence() && p.size() == 0)
    report(y_, p, "config/invalid-value", "scrape_protocols cannot be empty");
  const std::string protocols =
      "[OpenMetricsText0.0.1 OpenMetricsText1.0.0 PrometheusProto PrometheusText0.0.4 PrometheusText1.0.0]";
  if (auto p = get(job, "scrape_protocols"); set(p) && p.is_sequence()) {
    std::set<std::string> seen;
    for (const auto& v : p) {
      if (!v.is_scalar()) continue;
      if (!contains(kScrapeProtocols, v.scalar()))
        report(y_, v, "config/invalid-value",
               "unknown scrape protocol " + std::string(v.scalar()) + ", supported: " + protocols);
      else if (!seen.insert(std::string(v.scalar())).second)
        report(y_, v, "config/invalid-value", "duplicated protocol in scrape_protocols: " + std::string(v.scalar()));
    }
  }
  if (auto f = get(job, "fallback_scrape_protocol"); set(f)) {
    if (!f.is_scalar()) report(y_, f, "yaml/type", "fallback_scrape_protocol must be a string");
    else if (!contains(kScrapeProtocols, f.scalar()))
      report(y_, f, "config/invalid-value",
             "invalid fallback_scrape_protocol: unknown scrape protocol " + std::string(f.scalar()) +
                 ", supported: " + protocols);
  }
  if (auto b = get(job, "body_size_limit"); set(b) && b.is_scalar() && !is_byte_size(std::string(b.scalar())))
    report(y_, b, "config/invalid-value",
           "units: unknown unit in " + std::string(b.scalar()) + " (write it as 100MB, 1GiB...)");
  // An escaping scheme that keeps UTF-8 names needs UTF-8 validation (the job's, else the global one).
  auto scheme = get(job, "metric_name_validation_scheme");
  if (!set(scheme)) scheme = get(global, "metric_name_validation_scheme");
  auto escaping = get(job, "metric_name_escaping_scheme");
  if (set(scheme) && scheme.is_scalar() && scheme.scalar() == "legacy" && set(escaping) && escaping.is_scalar() &&
      escaping.scalar() == "allow-utf-8")
    report(y_, escaping, "config/conflict", "utf8 metric names requested but validation scheme is not set to UTF8");
}

void ConfigValidator::storage(const yaml::Node& s) {
  if (!s || !s.is_map()) return;
  y_.check_mapping(s, kStorage, "storage");
  fields(s, "exemplars", {"max_exemplars"});
  fields(s, "tsdb", kTsdb);
  fields(s, "tsdb.retention", {"time", "size", "percentage"});
  fields(s, "tsdb.chunk_encoding", {"floats"});
  auto tsdb = get(s, "tsdb");
  if (!tsdb || !tsdb.is_map()) return;
  for (const char* f : {"retention.time", "out_of_order_time_window"})
    if (auto n = get(tsdb, f); set(n) && n.is_scalar() && !text::parse_duration(n.scalar()))
      report(y_, n, "config/duration", "not a valid duration string: \"" + std::string(n.scalar()) + "\"");
  if (auto n = get(tsdb, "retention.size"); set(n) && n.is_scalar() && !is_byte_size(std::string(n.scalar())))
    report(y_, n, "config/invalid-value",
           "'storage.tsdb.retention.size' must be a size greater than or equal to 0 "
           "(100MB, 1GiB...), got \"" +
               std::string(n.scalar()) + "\"");
  if (auto n = get(tsdb, "retention.percentage"); set(n) && n.is_scalar()) {
    const std::string text(n.scalar());
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (*end != '\0' || v < 0 || v > 100)
      report(y_, n, "config/invalid-value", "'storage.tsdb.retention.percentage' must be in the range [0, 100]");
  }
  if (auto n = get(tsdb, "chunk_encoding.floats"); n && n.is_scalar() && n.scalar() != "xor" && n.scalar() != "xor2")
    report(y_, n, "config/invalid-value",
           "'storage.tsdb.chunk_encoding.floats' must be 'xor' or 'xor2', or the field must be omitted entirely, "
           "got \"" +
               std::string(n.scalar()) + "\"");
}

void ConfigValidator::tracing(const yaml::Node& t) {
  if (!t || !t.is_map()) return;
  y_.check_mapping(t, kTracing, "tracing");
  tls(t, "tls_config");
  if (auto c = get(t, "client_type"); set(c) && c.is_scalar() && c.scalar() != "grpc" && c.scalar() != "http")
    report(y_, c, "config/invalid-value",
           "expected tracing client type to be http or grpc, but got \"" + std::string(c.scalar()) + "\"");
  if (!set(t, "endpoint")) report(y_, t, "config/missing-field", "tracing endpoint must be set");
  if (auto c = get(t, "compression"); set(c) && c.is_scalar() && c.scalar() != "gzip")
    report(y_, c, "config/invalid-value",
           "invalid compression type " + std::string(c.scalar()) + " provided, valid options: gzip");
  check_headers(y_, get(t, "headers"), true);
}

void ConfigValidator::otlp(const yaml::Node& o, const yaml::Node& global) {
  if (!o || !o.is_map()) return;
  y_.check_mapping(o, kOtlp, "otlp");
  // Strategies that keep UTF-8 names need UTF-8 validation (config.go's Load).
  if (auto t = get(o, "translation_strategy");
      t && t.is_scalar() && (t.scalar() == "NoUTF8EscapingWithSuffixes" || t.scalar() == "NoTranslation") &&
      value(global, "metric_name_validation_scheme") == "legacy")
    report(y_, t, "config/conflict",
           "OTLP translation strategy \"" + std::string(t.scalar()) + "\" is not allowed when UTF8 is disabled");
  static const std::vector<Rule> rules = {
      {Kind::one_of,
       {"translation_strategy"},
       {"UnderscoreEscapingWithSuffixes", "UnderscoreEscapingWithoutSuffixes", "NoUTF8EscapingWithSuffixes",
        "NoTranslation"},
       "unsupported OTLP translation strategy"},
      {Kind::conflict,
       {"promote_all_resource_attributes"},
       {"promote_resource_attributes"},
       "'promote_all_resource_attributes' and 'promote_resource_attributes' cannot be configured simultaneously"},
  };
  apply(y_, o, rules);
  if (set(o, "ignore_resource_attributes") && !set(o, "promote_all_resource_attributes"))
    report(y_, get(o, "ignore_resource_attributes"), "config/conflict",
           "'ignore_resource_attributes' cannot be configured unless 'promote_all_resource_attributes' is true");
  for (const char* f : {"promote_resource_attributes", "ignore_resource_attributes"}) {
    auto list = get(o, f);
    if (!list || !list.is_sequence()) continue;
    std::set<std::string> seen;
    for (const auto& a : list) {
      if (!a.is_scalar()) continue;
      std::string v(util::trim(a.scalar()));
      std::string kind = f[0] == 'p' ? "promoted" : "ignored";
      if (v.empty())
        report(y_, a, "config/invalid-value",
               std::string("invalid '") + f + "': empty " + kind + " OTel resource attribute");
      else if (!seen.insert(v).second)
        report(y_, a, "config/invalid-value",
               std::string("invalid '") + f + "': duplicated " + kind + " OTel resource attribute \"" + v + "\"");
    }
  }
}

void ConfigValidator::runtime(const yaml::Node& r) {
  if (r && r.is_map()) y_.check_mapping(r, {"gogc"}, "runtime");
}

void ConfigValidator::file_patterns(const yaml::Node& list, const std::string& what) {
  if (!list || !list.is_sequence()) return;
  for (const auto& f : list)
    if (f.is_scalar() && !is_file_pattern(std::string(f.scalar())))
      report(y_, f, "config/invalid-value",
             "invalid " + what + " path \"" + std::string(f.scalar()) + "\" (a glob is allowed only in the file name)");
}

} // namespace nsmon::rules::detail
