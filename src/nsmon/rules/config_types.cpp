// Scalar types of prometheus.yml's fields as Go's yaml.v2 decodes them into Prometheus's config
// structs: `honor_labels: maybe` or `sample_limit: "100"` do not load ("cannot unmarshal !!str
// `maybe` into bool"), while yaml.v2's YAML 1.1 booleans (`yes`, `On`, `n`) and integers
// (`0x10`, `1_000`, octal `0755`) do.
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <string_view>

#include "nsmon/rules/config_validate.hpp"

namespace nsmon::rules::detail {

namespace {

enum class Want : std::uint8_t { boolean, int_, int64, uint, uint64 };

struct Field {
  std::string_view name;
  Want want;
};

// Fields whose name has one scalar type wherever it appears in Prometheus 3's config (scrape
// configs, the HTTP client, remote write/read, service discovery, tracing, otlp, runtime).
// clang-format off
constexpr std::array kFields = {
  Field{"all_tenants", Want::boolean}, Field{"allow_stale", Want::boolean},
  Field{"always_scrape_classic_histograms", Want::boolean}, Field{"capacity", Want::int_},
  Field{"convert_classic_histograms_to_nhcb", Want::boolean}, Field{"convert_histograms_to_nhcb", Want::boolean},
  Field{"enable_compression", Want::boolean}, Field{"enable_http2", Want::boolean},
  Field{"filter_external_labels", Want::boolean}, Field{"follow_redirects", Want::boolean},
  Field{"gogc", Want::int_}, Field{"honor_labels", Want::boolean}, Field{"honor_timestamps", Want::boolean},
  Field{"include_parameters", Want::boolean}, Field{"insecure", Want::boolean},
  Field{"insecure_skip_verify", Want::boolean}, Field{"keep_dropped_targets", Want::uint},
  Field{"keep_identifying_resource_attributes", Want::boolean}, Field{"label_limit", Want::uint},
  Field{"label_name_length_limit", Want::uint}, Field{"label_value_length_limit", Want::uint},
  Field{"match_first_network", Want::boolean}, Field{"max_exemplars", Want::int64},
  Field{"max_samples_per_send", Want::int_}, Field{"max_shards", Want::int_}, Field{"min_shards", Want::int_},
  Field{"modulus", Want::uint64}, Field{"native_histogram_bucket_limit", Want::uint},
  Field{"own_namespace", Want::boolean}, Field{"port", Want::int_},
  Field{"promote_all_resource_attributes", Want::boolean}, Field{"proxy_from_environment", Want::boolean},
  Field{"read_recent", Want::boolean}, Field{"round_robin_dns", Want::boolean},
  Field{"sample_limit", Want::uint}, Field{"scrape_classic_histograms", Want::boolean},
  Field{"scrape_native_histograms", Want::boolean}, Field{"send_exemplars", Want::boolean},
  Field{"send_native_histograms", Want::boolean}, Field{"target_limit", Want::uint},
  Field{"track_timestamps_staleness", Want::boolean},
};
// clang-format on

// Maps whose keys are names chosen by the user (labels, headers, parameters): not typed fields.
constexpr std::array<std::string_view, 9> kFreeForm = {"labels",    "external_labels", "params",
                                                       "headers",   "http_headers",    "proxy_connect_header",
                                                       "node_meta", "tags_filter",     "attributes"};

const char* go_type(Want w) {
  switch (w) {
  case Want::boolean: return "bool";
  case Want::int_: return "int";
  case Want::int64: return "int64";
  case Want::uint: return "uint";
  case Want::uint64: return "uint64";
  }
  return "";
}

bool is_v2_bool(std::string_view s) {
  for (std::string_view b : {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
                             "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})
    if (s == b) return true;
  return false;
}

// yaml.v2's integer forms: an optional sign, then decimal, 0x hex, 0b binary or a leading-0 octal,
// underscores anywhere after the first digit.
bool is_v2_int(std::string_view s, bool& negative) {
  negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  auto digits = [](std::string_view d, auto ok) {
    bool any = false;
    for (char c : d) {
      if (c == '_' && any) continue;
      if (!ok(static_cast<unsigned char>(c))) return false;
      any = true;
    }
    return any;
  };
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) return digits(s.substr(2), ::isxdigit);
  if (s.size() > 2 && s[0] == '0' && s[1] == 'b')
    return digits(s.substr(2), [](int c) { return c == '0' || c == '1'; });
  if (s.size() > 1 && s[0] == '0') return digits(s.substr(1), [](int c) { return c >= '0' && c <= '7'; });
  return digits(s, ::isdigit);
}

// The tag yaml.v2 resolves a plain scalar to, as its error messages name it.
std::string_view v2_tag(std::string_view s) {
  bool negative = false;
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return "!!null";
  if (is_v2_bool(s)) return "!!bool";
  if (is_v2_int(s, negative)) return "!!int";
  std::string_view f = s;
  if (!f.empty() && (f[0] == '-' || f[0] == '+')) f.remove_prefix(1);
  if (f == ".inf" || f == ".Inf" || f == ".INF" || f == ".nan" || f == ".NaN" || f == ".NAN") return "!!float";
  bool digit = false, ok = !f.empty();
  for (char c : f) {
    digit = digit || std::isdigit(static_cast<unsigned char>(c));
    ok = ok && (std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '-' ||
                c == '+' || c == '_');
  }
  return ok && digit ? "!!float" : "!!str";
}

} // namespace

std::optional<bool> v2_bool(const yaml::Node& n) {
  if (!n || !n.IsScalar() || n.Style() != yaml::ScalarStyle::plain || !is_v2_bool(n.Scalar())) return std::nullopt;
  char c = n.Scalar()[0];
  return c == 'y' || c == 'Y' || c == 't' || c == 'T' || n.Scalar() == "on" || n.Scalar() == "On" || n.Scalar() == "ON";
}

void ConfigValidator::scalar_types(const yaml::Node& root) {
  // Iterative walk (any depth): each typed field's value against its type.
  std::vector<yaml::Node> stack{root};
  while (!stack.empty()) {
    yaml::Node n = stack.back();
    stack.pop_back();
    if (n.IsSequence()) {
      for (const auto& e : n) stack.push_back(e);
      continue;
    }
    if (!n.IsMap()) continue;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.IsScalar()) continue;
      const std::string& key = it->first.Scalar();
      const yaml::Node& v = it->second;
      if (std::find(kFreeForm.begin(), kFreeForm.end(), key) == kFreeForm.end()) stack.push_back(v);
      auto f = std::find_if(kFields.begin(), kFields.end(), [&](const Field& x) { return x.name == key; });
      if (f == kFields.end() || !v || v.IsNull()) continue;
      std::string_view tag = !v.IsScalar()                           ? (v.IsMap() ? "!!map" : "!!seq")
                             : v.Style() != yaml::ScalarStyle::plain ? "!!str"
                             : v.Tag() == "!!str" || v.Tag() == "!"  ? "!!str"
                                                                     : v2_tag(v.Scalar());
      // yaml.v2 stores a float into an integer field truncated (`1.5` is 1, `09` is 9), but not
      // .inf or .nan, and not a negative number into an unsigned one.
      bool negative = v.IsScalar() && !v.Scalar().empty() && v.Scalar()[0] == '-';
      bool unsigned_field = f->want == Want::uint || f->want == Want::uint64;
      bool infinite = tag == "!!float" && v.Scalar().find_first_of("iInN") != std::string::npos; // .inf, .nan
      bool ok = f->want == Want::boolean
                    ? tag == "!!bool"
                    : (tag == "!!int" || (tag == "!!float" && !infinite)) && !(negative && unsigned_field);
      if (ok || tag == "!!null") continue;
      std::string shown = v.IsScalar() ? " `" + v.Scalar() + "`" : "";
      report(y_, v, "yaml/type",
             "cannot unmarshal " + std::string(tag) + shown + " into " + go_type(f->want) + " (" + key + ")");
    }
  }
}

} // namespace nsmon::rules::detail
