// What Alertmanager's notification templates compute with (template/template.go): template.Data,
// Alert, KV and Pairs as Go values, and the methods of their types.
#include <algorithm>
#include <array>

#include "nsmon/gotemplate/value.hpp"

namespace nsmon::gotemplate::detail {

Value Value::kv(labels::Labels pairs) {
  Value v = label_map(std::move(pairs));
  v.kind = Kind::kv;
  return v;
}

Value Value::list_of(std::string type, std::vector<Value> items) {
  Value v;
  v.kind = Kind::list;
  v.s = std::move(type);
  v.list = std::make_shared<const std::vector<Value>>(std::move(items));
  return v;
}

Value Value::object(std::string type, AnyMap fields) {
  Value v;
  v.kind = Kind::object;
  v.s = std::move(type);
  v.any_map = std::make_shared<const AnyMap>(std::move(fields));
  return v;
}

namespace {

using P = Param;
// clang-format off
const std::array kMethods = {
    Method{"template.KV", "SortedPairs", {}}, Method{"template.KV", "Names", {}},
    Method{"template.KV", "Values", {}}, Method{"template.KV", "Remove", {P::strings}},
    Method{"template.Pairs", "Names", {}}, Method{"template.Pairs", "Values", {}},
    Method{"template.Alerts", "Firing", {}}, Method{"template.Alerts", "Resolved", {}},
    Method{"time.Time", "Unix", {}}, Method{"time.Time", "UnixMilli", {}},
};
// clang-format on

Value go_time(std::int64_t ms, TimeAsWritten written) {
  Value v;
  v.kind = Value::Kind::go_time;
  v.i = ms;
  v.written = written;
  return v;
}

// KV.SortedPairs: alertname first, then the other names sorted.
std::vector<Value> sorted_pairs(const labels::Labels& kv) {
  std::vector<Value> out;
  auto pair = [](const std::string& n, const std::string& v) {
    return Value::object("template.Pair", {{"Name", Value::string(n)}, {"Value", Value::string(v)}});
  };
  for (const auto& [k, v] : kv)
    if (k == "alertname") out.push_back(pair(k, v));
  for (const auto& [k, v] : kv)
    if (k != "alertname") out.push_back(pair(k, v));
  return out;
}

Value strings_of(const std::vector<Value>& pairs, std::size_t field) {
  std::vector<Value> out;
  for (const Value& p : pairs) out.push_back((*p.any_map)[field].second);
  return Value::list_of("[]string", std::move(out));
}

} // namespace

const Method* find_method(const Value& recv, std::string_view name) {
  if (recv.kind != Value::Kind::kv && recv.kind != Value::Kind::list && recv.kind != Value::Kind::go_time)
    return nullptr;
  std::string type = type_name(recv);
  for (const Method& m : kMethods)
    if (m.type == type && m.name == name) return &m;
  return nullptr;
}

CallResult call_method(const Method& m, const Value& recv, const std::vector<Value>& args) {
  std::string_view n = m.name;
  if (m.type == "template.KV") {
    std::vector<Value> pairs = sorted_pairs(*recv.labels);
    if (n == "SortedPairs") return {Value::list_of("template.Pairs", std::move(pairs)), std::nullopt};
    if (n == "Names" || n == "Values") return {strings_of(pairs, n == "Names" ? 0 : 1), std::nullopt};
    labels::Labels rest;
    for (const auto& pair : *recv.labels)
      if (std::none_of(args[0].list->begin(), args[0].list->end(), [&](const Value& x) { return x.s == pair.first; }))
        rest.push_back(pair);
    return {Value::kv(std::move(rest)), std::nullopt};
  }
  if (m.type == "template.Pairs") return {strings_of(*recv.list, n == "Names" ? 0 : 1), std::nullopt};
  if (m.type == "template.Alerts") {
    std::vector<Value> out;
    for (const Value& a : *recv.list)
      if ((*a.any_map)[0].second.s == (n == "Firing" ? "firing" : "resolved")) out.push_back(a);
    return {Value::list_of("[]template.Alert", std::move(out)), std::nullopt};
  }
  // time.Time
  std::int64_t secs = recv.i >= 0 ? recv.i / 1000 : -((-recv.i + 999) / 1000);
  return {Value::integer(n == "Unix" ? secs : recv.i), std::nullopt};
}

Value notification_value(const NotificationData& d) {
  std::vector<Value> alerts;
  for (const NotificationAlert& a : d.alerts)
    alerts.push_back(Value::object("template.Alert", {{"Status", Value::string(a.status)},
                                                      {"Labels", Value::kv(a.labels)},
                                                      {"Annotations", Value::kv(a.annotations)},
                                                      {"StartsAt", go_time(a.starts_at_ms, a.starts_at_written)},
                                                      {"EndsAt", go_time(a.ends_at_ms, a.ends_at_written)},
                                                      {"GeneratorURL", Value::string(a.generator_url)},
                                                      {"Fingerprint", Value::string(a.fingerprint)}}));
  return Value::object("*template.Data", {{"Receiver", Value::string(d.receiver)},
                                          {"Status", Value::string(d.status)},
                                          {"Alerts", Value::list_of("template.Alerts", std::move(alerts))},
                                          {"GroupLabels", Value::kv(d.group_labels)},
                                          {"CommonLabels", Value::kv(d.common_labels)},
                                          {"CommonAnnotations", Value::kv(d.common_annotations)},
                                          {"ExternalURL", Value::string(d.external_url)}});
}

} // namespace nsmon::gotemplate::detail
