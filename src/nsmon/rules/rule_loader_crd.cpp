// A PrometheusRule's values against the types of its CRD's schema (prometheus-operator's
// monitoring.coreos.com_prometheusrules.yaml, kept in tests/data/prometheusrule-crd/). The
// Kubernetes API server validates the resource against that schema as clients send it: kubectl,
// Helm, Flux and Argo CD turn the manifest into JSON with sigs.k8s.io/yaml, which reads YAML with
// yaml.v2 (YAML 1.1: `yes`, `on` and `y` are booleans too). A value of another type makes the
// server refuse the whole resource, and none of its rules load; Prometheus's own loader (yaml.v3)
// and promtool read any scalar into a string field as its text, so they accept the same rules.
#include "nsmon/core/yaml_v2.hpp"
#include "nsmon/rules/loader.hpp"

namespace nsmon::rules::detail {

namespace {

// How the schema types a field of a group or a rule. `limit` (an integer) is left out: what the
// schema refuses there, Prometheus refuses too (read_group reports it).
enum class CrdType : std::uint8_t {
  string,
  duration,      ///< a string of the duration pattern, which Prometheus's parser shares
  int_or_string, ///< expr: x-kubernetes-int-or-string
  strings,       ///< labels, annotations: a map of strings
};
struct CrdField {
  std::string_view name;
  CrdType type;
};
constexpr CrdField kGroupFields[] = {{"name", CrdType::string},
                                     {"interval", CrdType::duration},
                                     {"query_offset", CrdType::duration},
                                     {"partial_response_strategy", CrdType::string},
                                     {"labels", CrdType::strings}};
constexpr CrdField kRuleFields[] = {{"alert", CrdType::string},
                                    {"record", CrdType::string},
                                    {"expr", CrdType::int_or_string},
                                    {"for", CrdType::duration},
                                    {"keep_firing_for", CrdType::duration},
                                    {"labels", CrdType::strings},
                                    {"annotations", CrdType::strings}};

// The JSON type a scalar is sent as: yaml.v2 resolves it into an interface{} (a timestamp stays
// text there), encoding/json writes it. An integral float is written as an integer (1.0 as 1);
// .inf and .nan are not written at all (the client fails with "unsupported value"), refused as
// surely. Empty for a string, for null (not checked) and for a text its explicit tag does not
// fit, which yaml.v3 refuses too (reported where Prometheus reads it).
std::string_view json_type(const yaml::Node& n) {
  const core::yaml_v2::Resolved r = core::yaml_v2::resolve(n);
  if (!r.refused_tag.empty() || r.tag == "!!null") return "";
  if (r.tag == "!!bool") return "a boolean";
  if (r.tag == "!!int") return "an integer";
  if (r.tag == "!!float")
    return std::isfinite(r.number) && r.number == std::floor(r.number) && std::fabs(r.number) < 1e21 ? "an integer"
                                                                                                     : "a number";
  return "";
}

} // namespace

// Each value of the group's (or rule's) fields whose type the schema refuses: an error.
void Loader::crd_types(const yaml::Node& n, bool rule, const std::string& group) {
  auto refused = [&](const yaml::Node& v, const std::string& what, CrdType type) {
    if (!v.is_scalar()) return; // a list or a mapping: Prometheus refuses it too (yaml/type)
    const std::string_view sent = json_type(v);
    if (sent.empty() || (type == CrdType::int_or_string && sent == "an integer")) return;
    const std::string written(v.scalar());
    // A duration Prometheus cannot parse either (`for: 5`) is rules/duration's to say.
    if (type == CrdType::duration && !text::parse_duration(written)) return;
    const bool yaml11 = sent == "a boolean" && written != "true" && written != "false" && written != "True" &&
                        written != "False" && written != "TRUE" && written != "FALSE";
    add(span(v), "rules/crd-type",
        what + " is " + written + ", which Kubernetes reads as " + std::string(sent) + (yaml11 ? " (YAML 1.1)" : "") +
            ": the PrometheusRule CRD takes " +
            (type == CrdType::int_or_string ? "an integer or a string" : "a string") +
            ", so the API server refuses the resource and none of its rules load",
        group)
        .suggestion = "quote it: " + text::go::quote(written);
  };
  for (const CrdField& f : rule ? std::span<const CrdField>(kRuleFields) : std::span<const CrdField>(kGroupFields)) {
    auto v = n[std::string(f.name)];
    if (!v) continue;
    if (f.type != CrdType::strings) {
      refused(v, std::string(f.name), f.type);
      continue;
    }
    if (!v.is_map()) continue;
    const std::string what = f.name == "labels" ? "label " : "annotation ";
    for (auto it = v.begin(); it != v.end(); ++it)
      if (it->first.is_scalar()) refused(it->second, what + text::go::quote(it->first.scalar()), f.type);
  }
}

} // namespace nsmon::rules::detail
