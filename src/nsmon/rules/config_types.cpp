// prometheus.yml's typed scalar fields (core/yaml_v2: as Go's yaml.v2 decodes them into
// Prometheus's config structs).
#include <array>

#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/rules/config_validate.hpp"

namespace nsmon::rules::detail {

namespace {

using core::yaml_v2::Field;
using T = core::yaml_v2::Type;

// Fields whose name has one scalar type wherever it appears in Prometheus 3's config (scrape
// configs, the HTTP client, remote write/read, service discovery, tracing, otlp, runtime).
// clang-format off
constexpr std::array kFields = {
  Field{"all_tenants", T::boolean}, Field{"allow_stale", T::boolean},
  Field{"always_scrape_classic_histograms", T::boolean}, Field{"capacity", T::int_},
  Field{"convert_classic_histograms_to_nhcb", T::boolean}, Field{"convert_histograms_to_nhcb", T::boolean},
  Field{"enable_compression", T::boolean}, Field{"enable_http2", T::boolean},
  Field{"filter_external_labels", T::boolean}, Field{"follow_redirects", T::boolean},
  Field{"gogc", T::int_}, Field{"honor_labels", T::boolean}, Field{"honor_timestamps", T::boolean},
  Field{"include_parameters", T::boolean}, Field{"insecure", T::boolean},
  Field{"insecure_skip_verify", T::boolean}, Field{"keep_dropped_targets", T::uint},
  Field{"keep_identifying_resource_attributes", T::boolean}, Field{"label_limit", T::uint},
  Field{"label_name_length_limit", T::uint}, Field{"label_value_length_limit", T::uint},
  Field{"match_first_network", T::boolean}, Field{"max_exemplars", T::int64},
  Field{"max_samples_per_send", T::int_}, Field{"max_shards", T::int_}, Field{"min_shards", T::int_},
  Field{"modulus", T::uint64}, Field{"native_histogram_bucket_limit", T::uint},
  Field{"own_namespace", T::boolean}, Field{"port", T::int_},
  Field{"promote_all_resource_attributes", T::boolean}, Field{"proxy_from_environment", T::boolean},
  Field{"read_recent", T::boolean}, Field{"round_robin_dns", T::boolean},
  Field{"sample_limit", T::uint}, Field{"scrape_classic_histograms", T::boolean},
  Field{"scrape_native_histograms", T::boolean}, Field{"send_exemplars", T::boolean},
  Field{"send_native_histograms", T::boolean}, Field{"target_limit", T::uint},
  Field{"track_timestamps_staleness", T::boolean},
};
// clang-format on

// Maps whose keys are names chosen by the user (labels, headers, parameters): not typed fields.
constexpr std::array<std::string_view, 9> kFreeForm = {"labels",    "external_labels", "params",
                                                       "headers",   "http_headers",    "proxy_connect_header",
                                                       "node_meta", "tags_filter",     "attributes"};

} // namespace

void ConfigValidator::scalar_types(const yaml::Node& root) {
  core::yaml_v2::check_scalars(y_, root, kFields, kFreeForm);
}

} // namespace nsmon::rules::detail
