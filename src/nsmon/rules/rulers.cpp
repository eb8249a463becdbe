#include "nsmon/rules/rulers.hpp"

#include <array>
#include <utility>

namespace nsmon::rules {

namespace {

constexpr std::array<std::pair<Schema, std::string_view>, 6> kNames = {{{Schema::automatic, "auto"},
                                                                        {Schema::prometheus, "prometheus"},
                                                                        {Schema::thanos, "thanos"},
                                                                        {Schema::mimir, "mimir"},
                                                                        {Schema::loki, "loki"},
                                                                        {Schema::vmalert, "vmalert"}}};

// The group fields only one other ruler reads (Loki's ruler has none of its own). vmalert's, with
// the release that added each (git log -S of app/vmalert/config/config.go): type 1.53,
// concurrency 1.37, params 1.70, headers 1.80, debug 1.82, notifier_headers 1.91, eval_offset
// 1.94, eval_delay and eval_alignment 1.95. vmalert reads `limit` (1.78) and `labels` as
// Prometheus does, and not `query_offset`.
constexpr std::array<std::pair<std::string_view, Schema>, 13> kGroupFields = {{
    {"partial_response_strategy", Schema::thanos},
    {"source_tenants", Schema::mimir},
    {"evaluation_delay", Schema::mimir},
    {"align_evaluation_time_on_interval", Schema::mimir},
    {"type", Schema::vmalert},
    {"concurrency", Schema::vmalert},
    {"params", Schema::vmalert},
    {"headers", Schema::vmalert},
    {"notifier_headers", Schema::vmalert},
    {"eval_offset", Schema::vmalert},
    {"eval_delay", Schema::vmalert},
    {"eval_alignment", Schema::vmalert},
    {"debug", Schema::vmalert},
}};

// A rule's fields only vmalert reads: debug 1.82, update_entries_limit 1.86.
constexpr std::array<std::pair<std::string_view, Schema>, 2> kRuleFields = {{
    {"debug", Schema::vmalert},
    {"update_entries_limit", Schema::vmalert},
}};

template <class Table> std::optional<Schema> ruler_of(const Table& table, std::string_view field) {
  for (const auto& [name, ruler] : table)
    if (name == field) return ruler;
  return std::nullopt;
}

template <class Table> std::vector<std::string_view> fields_of(const Table& table, Schema ruler) {
  std::vector<std::string_view> out;
  for (const auto& [name, r] : table)
    if (r == ruler) out.push_back(name);
  return out;
}

bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

} // namespace

std::string_view to_string(Schema s) {
  for (const auto& [schema, name] : kNames)
    if (schema == s) return name;
  return "auto";
}

std::optional<Schema> parse_schema(std::string_view name) {
  for (const auto& [schema, n] : kNames)
    if (n == name) return schema;
  return std::nullopt;
}

std::string_view ruler_name(Schema s) {
  switch (s) {
  case Schema::thanos: return "Thanos Ruler";
  case Schema::mimir: return "Mimir ruler";
  case Schema::loki: return "Loki ruler";
  case Schema::vmalert: return "vmalert";
  case Schema::automatic:
  case Schema::prometheus: break;
  }
  return "Prometheus";
}

std::optional<Schema> ruler_of_group_field(std::string_view field) { return ruler_of(kGroupFields, field); }
std::vector<std::string_view> group_fields(Schema ruler) { return fields_of(kGroupFields, ruler); }
std::optional<Schema> ruler_of_rule_field(std::string_view field) { return ruler_of(kRuleFields, field); }
std::vector<std::string_view> rule_fields(Schema ruler) { return fields_of(kRuleFields, ruler); }

bool looks_like_logql(std::string_view expr) {
  const std::size_t n = expr.size();
  for (std::size_t i = 0; i < n; ++i) {
    const char c = expr[i];
    if (c == '"' || c == '\'' || c == '`') { // a string: skipped whole (`\` escapes but in raw strings)
      for (++i; i < n && expr[i] != c; ++i)
        if (expr[i] == '\\' && c != '`') ++i;
      continue;
    }
    if (c == '#') { // a comment, to the end of its line
      while (i < n && expr[i] != '\n') ++i;
      continue;
    }
    if (c != '}') continue;
    std::size_t j = i + 1;
    while (j < n && space(expr[j])) ++j;
    if (j < n && expr[j] == '|') return true;
    if (j + 1 < n && expr[j] == '!' && (expr[j + 1] == '=' || expr[j + 1] == '~')) {
      j += 2;
      while (j < n && space(expr[j])) ++j;
      if (j < n && (expr[j] == '"' || expr[j] == '`')) return true;
    }
  }
  return false;
}

std::string_view language_name(Language l) {
  switch (l) {
  case Language::logql: return "LogQL";
  case Language::metricsql: return "MetricsQL";
  case Language::graphite: return "Graphite";
  case Language::logsql: return "LogsQL";
  case Language::promql: break;
  }
  return "PromQL";
}

Language language_of(Schema ruler, std::string_view type, std::string_view expr, bool promql_ok,
                     MetricsqlVerdict metricsql, bool vmalert) {
  if (ruler == Schema::loki) return Language::logql;
  if (ruler == Schema::vmalert && type == "graphite") return Language::graphite;
  if (ruler == Schema::vmalert && type == "vlogs") return Language::logsql;
  if (promql_ok) return Language::promql;
  if (ruler == Schema::automatic && looks_like_logql(expr)) return Language::logql;
  const bool read = ruler == Schema::automatic || ruler == Schema::vmalert;
  if (read && metricsql.parses && (metricsql.named || vmalert || ruler == Schema::vmalert)) return Language::metricsql;
  return Language::promql;
}

} // namespace nsmon::rules
