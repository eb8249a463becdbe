// Alerts in the JSON of Alertmanager's API (POST /api/v2/alerts), checked as the API and
// types.Alert.Validate check them.
#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "nsmon/alertmanager/dispatch.hpp"
#include "nsmon/alertmanager/matchers.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/text/time.hpp"

namespace nsmon::alertmanager {

namespace {

[[noreturn]] void fail(const std::string& name, std::size_t index, const std::string& what) {
  throw Error(name + ": alert " + std::to_string(index) + ": " + what);
}

// A label set of the API: an object of strings, null read as "" (Go's decoder). `drop_empty`: the
// labels whose value is empty are dropped before their names are checked, as the API's
// removeEmptyLabels does before Validate (api/v2/api.go); annotations keep theirs.
labels::Labels label_set(const nlohmann::json& j, const std::string& name, std::size_t index, const char* field,
                         bool drop_empty) {
  labels::Labels out;
  if (j.is_null()) return out;
  if (!j.is_object()) fail(name, index, std::string(field) + " must be an object of strings");
  for (const auto& [k, v] : j.items()) {
    if (!v.is_string() && !v.is_null()) fail(name, index, std::string(field) + "." + k + " must be a string");
    std::string value = v.is_null() ? std::string() : v.get<std::string>();
    if (drop_empty && value.empty()) continue;
    if (!is_label_name(k)) fail(name, index, "invalid label name \"" + k + "\" in " + field);
    out.emplace_back(k, std::move(value));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// A time of the API as Go's time.Time holds it: the millisecond, and what it keeps beyond it.
struct Time {
  std::int64_t ms = 0;
  TimeAsWritten written;
};

// What time.Parse keeps of an RFC 3339 text that parse_rfc3339_ms accepted: the fraction's
// digits below the millisecond (Go keeps nine digits in all, the rest dropped) and the offset.
TimeAsWritten as_written(std::string_view s) {
  TimeAsWritten w;
  if (s.size() > 19 && s[19] == '.') {
    int scale = 100000;
    for (std::size_t i = 20; i < s.size() && s[i] >= '0' && s[i] <= '9' && scale > 0; ++i)
      if (i >= 23) {
        w.sub_ms_ns += (s[i] - '0') * scale;
        scale /= 10;
      }
  }
  if (char sign = s.back() == 'Z' || s.back() == 'z' ? 'Z' : s[s.size() - 6]; sign == '+' || sign == '-') {
    auto two = [&](std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); };
    w.offset_s = (sign == '-' ? -1 : 1) * (two(s.size() - 5) * 3600 + two(s.size() - 2) * 60);
  }
  return w;
}

std::optional<Time> time_of(const nlohmann::json& j, const std::string& name, std::size_t index, const char* field) {
  if (!j.contains(field) || j[field].is_null()) return std::nullopt;
  const auto& v = j[field];
  auto ms = v.is_string() ? text::parse_rfc3339_ms(v.get<std::string>()) : std::nullopt;
  if (!ms) fail(name, index, std::string(field) + " is not an RFC 3339 time: " + v.dump());
  Time t{*ms, as_written(v.get<std::string>())};
  // The API's zero time (0001-01-01T00:00:00Z, at any offset) means "not given".
  if (t.ms == gotemplate::kGoZeroTimeMs && t.written.sub_ms_ns == 0) return std::nullopt;
  return t;
}

bool before(const Time& a, const Time& b) {
  return a.ms < b.ms || (a.ms == b.ms && a.written.sub_ms_ns < b.written.sub_ms_ns);
}

// Where nlohmann's parser stops on a text and why: a syntax error, or a number it cannot hold
// (1E999), which its out_of_range exception reports without a position. Reads, builds nothing.
class FirstError final : public nlohmann::json_sax<nlohmann::json> {
public:
  std::optional<std::size_t> at; ///< byte offset of the token at fault
  std::string what;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t position, const std::string& token, const nlohmann::json::exception& e) override {
    // nlohmann's words without its "[json.exception...] " and "parse error at line L, column C: "
    // prefixes and the token it echoes raw: the token is quoted instead (bytes as \xNN).
    what = e.what();
    if (auto cut = what.find("] "); cut != std::string::npos) what.erase(0, cut + 2);
    if (auto cut = what.find(": "); what.rfind("parse error", 0) == 0 && cut != std::string::npos)
      what.erase(0, cut + 2);
    if (auto last = what.find("; last read: "); last != std::string::npos) {
      std::string rest;
      if (auto expected = what.find("; expected ", last); expected != std::string::npos) rest = what.substr(expected);
      what = what.substr(0, last) + rest + " at " + text::go::quote(token);
    } else if (auto quote = what.find(" '"); quote != std::string::npos) {
      what = what.substr(0, quote + 1) + token; // "number overflow parsing 1E999"
    }
    // A syntax error stops at its last byte read; a number out of range after the number.
    at = e.id == 406 ? position - std::min(position, token.size()) : (position == 0 ? 0 : position - 1);
    return false;
  }
};

} // namespace

std::vector<Alert> parse_alerts(std::string_view text, const std::string& name, std::int64_t now_ms) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw Error(name + ": empty: expected a JSON array of alerts, as POST /api/v2/alerts takes");
  FirstError first;
  if (!nlohmann::json::sax_parse(text, &first)) {
    std::size_t at = std::min(first.at.value_or(0), text.size());
    std::size_t line =
        1 + static_cast<std::size_t>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
    std::size_t nl = at == 0 ? std::string_view::npos : text.rfind('\n', at - 1);
    std::size_t col = nl == std::string_view::npos ? at + 1 : at - nl;
    throw Error(name + ":" + std::to_string(line) + ":" + std::to_string(col) + ": not JSON: " + first.what);
  }
  const nlohmann::json doc = nlohmann::json::parse(text);
  if (!doc.is_array()) throw Error(name + ": expected a JSON array of alerts, as POST /api/v2/alerts takes");
  std::vector<Alert> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const auto& j = doc[i];
    if (!j.is_object()) fail(name, i, "not a JSON object");
    Alert a;
    a.labels = label_set(j.value("labels", nlohmann::json()), name, i, "labels", true);
    if (a.labels.empty()) fail(name, i, "at least one label pair required");
    a.annotations = label_set(j.value("annotations", nlohmann::json()), name, i, "annotations", false);
    for (const auto& [k, v] : a.labels)
      if (!text::go::valid_utf8(v)) fail(name, i, "invalid label value for " + k + ": not valid UTF-8");
    // The API's defaults: no startsAt is the end when there is one, else now.
    std::optional<Time> ends = time_of(j, name, i, "endsAt");
    Time starts = time_of(j, name, i, "startsAt").value_or(ends.value_or(Time{now_ms, {}}));
    if (ends && before(*ends, starts)) fail(name, i, "start time must be before end time");
    a.starts_at_ms = starts.ms;
    a.starts_at_written = starts.written;
    if (ends) {
      a.ends_at_ms = ends->ms;
      a.ends_at_written = ends->written;
    }
    if (j.contains("generatorURL") && j["generatorURL"].is_string())
      a.generator_url = j["generatorURL"].get<std::string>();
    out.push_back(std::move(a));
  }
  return out;
}

} // namespace nsmon::alertmanager
