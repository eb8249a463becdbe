// Alerts in the JSON of Alertmanager's API (POST /api/v2/alerts), checked as the API and
// types.Alert.Validate check them.
#include <nlohmann/json.hpp>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/alertmanager/matchers.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/text/time.hpp"

namespace nsmon::alertmanager {

namespace {

[[noreturn]] void fail(const std::string& name, std::size_t index, const std::string& what) {
  throw Error(name + ": alert " + std::to_string(index) + ": " + what);
}

labels::Labels label_set(const nlohmann::json& j, const std::string& name, std::size_t index, const char* field) {
  labels::Labels out;
  if (j.is_null()) return out;
  if (!j.is_object()) fail(name, index, std::string(field) + " must be an object of strings");
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string()) fail(name, index, std::string(field) + "." + k + " must be a string");
    if (!is_label_name(k)) fail(name, index, "invalid label name \"" + k + "\" in " + field);
    out.emplace_back(k, v.get<std::string>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<std::int64_t> time_of(const nlohmann::json& j, const std::string& name, std::size_t index,
                                    const char* field) {
  if (!j.contains(field) || j[field].is_null()) return std::nullopt;
  const auto& v = j[field];
  auto ms = v.is_string() ? text::parse_rfc3339_ms(v.get<std::string>()) : std::nullopt;
  if (!ms) fail(name, index, std::string(field) + " is not an RFC 3339 time: " + v.dump());
  // The API's zero time (0001-01-01T00:00:00Z) means "not given".
  if (*ms == -62135596800000) return std::nullopt;
  return ms;
}

} // namespace

std::vector<Alert> parse_alerts(std::string_view text, const std::string& name, std::int64_t now_ms) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // The byte nlohmann stopped at, as line:col.
    std::size_t at = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
    std::size_t line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    std::size_t nl = text.rfind('\n', at == 0 ? 0 : at - 1);
    std::size_t col = nl == std::string_view::npos || at == 0 ? at + 1 : at - nl;
    std::string what = e.what();
    if (auto colon = what.rfind(": "); colon != std::string::npos) what = what.substr(colon + 2);
    throw Error(name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not JSON: " + what);
  }
  if (!doc.is_array()) throw Error(name + ": expected a JSON array of alerts, as POST /api/v2/alerts takes");
  std::vector<Alert> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& j = doc[i];
    if (!j.is_object()) fail(name, i, "not a JSON object");
    Alert a;
    a.labels = label_set(j.value("labels", nlohmann::json()), name, i, "labels");
    if (a.labels.empty()) fail(name, i, "at least one label pair required");
    a.annotations = label_set(j.value("annotations", nlohmann::json()), name, i, "annotations");
    for (const auto& [k, v] : a.labels)
      if (!text::go::valid_utf8(v)) fail(name, i, "invalid label value for " + k + ": not valid UTF-8");
    // The API's defaults: no startsAt is the end when there is one, else now.
    a.ends_at_ms = time_of(j, name, i, "endsAt");
    a.starts_at_ms = time_of(j, name, i, "startsAt").value_or(a.ends_at_ms.value_or(now_ms));
    if (a.ends_at_ms && *a.ends_at_ms < a.starts_at_ms) fail(name, i, "start time must be before end time");
    if (j.contains("generatorURL") && j["generatorURL"].is_string())
      a.generator_url = j["generatorURL"].get<std::string>();
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace nsmon::alertmanager
