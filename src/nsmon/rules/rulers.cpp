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

// The fields only one other ruler reads, and for vmalert's the 1.N release that added each (git
// log -S of app/vmalert/config/config.go; every vmalert release is 1.x). vmalert reads a group's
// `limit` (1.78) and `labels` as Prometheus does, and not `query_offset`.
struct OtherField {
  std::string_view name;
  Schema ruler;
  int vmalert_minor = 0;
};
constexpr std::array<OtherField, 13> kGroupFields = {{
    {"partial_response_strategy", Schema::thanos},
    {"source_tenants", Schema::mimir},
    {"evaluation_delay", Schema::mimir},
    {"align_evaluation_time_on_interval", Schema::mimir},
    {"type", Schema::vmalert, 53},
    {"concurrency", Schema::vmalert, 37},
    {"params", Schema::vmalert, 70},
    {"headers", Schema::vmalert, 80},
    {"notifier_headers", Schema::vmalert, 91},
    {"eval_offset", Schema::vmalert, 94},
    {"eval_delay", Schema::vmalert, 95},
    {"eval_alignment", Schema::vmalert, 95},
    {"debug", Schema::vmalert, 82},
}};

// A rule's fields only vmalert reads.
constexpr std::array<OtherField, 2> kRuleFields = {{
    {"debug", Schema::vmalert, 82},
    {"update_entries_limit", Schema::vmalert, 86},
}};

template <class Table> const OtherField* find_field(const Table& table, std::string_view field) {
  for (const auto& f : table)
    if (f.name == field) return &f;
  return nullptr;
}

template <class Table> std::optional<Schema> ruler_of(const Table& table, std::string_view field) {
  const OtherField* f = find_field(table, field);
  return f ? std::optional<Schema>(f->ruler) : std::nullopt;
}

template <class Table> std::vector<std::string_view> fields_of(const Table& table, Schema ruler) {
  std::vector<std::string_view> out;
  for (const auto& f : table)
    if (f.ruler == ruler) out.push_back(f.name);
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
int vmalert_minor_since(std::string_view field, bool on_rule) {
  const OtherField* f = on_rule ? find_field(kRuleFields, field) : find_field(kGroupFields, field);
  return f ? f->vmalert_minor : 0;
}

namespace {

// Whether `follows` accepts the text after some `}` of `expr` (at the first non-blank, which
// may be the end), strings and comments skipped: what comes after a stream selector.
template <class Follows> bool after_selector(std::string_view expr, Follows follows) {
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
    if (follows(expr.substr(j))) return true;
  }
  return false;
}

} // namespace

bool looks_like_logql(std::string_view expr) {
  return after_selector(expr, [](std::string_view rest) {
    if (!rest.empty() && rest[0] == '|') return true;
    if (rest.size() < 2 || rest[0] != '!' || (rest[1] != '=' && rest[1] != '~')) return false;
    rest.remove_prefix(2);
    while (!rest.empty() && space(rest[0])) rest.remove_prefix(1);
    return !rest.empty() && (rest[0] == '"' || rest[0] == '`');
  });
}

bool has_logql_line_filter(std::string_view expr) {
  return after_selector(expr, [](std::string_view rest) {
    return rest.size() >= 2 && rest[0] == '|' && (rest[1] == '=' || rest[1] == '~');
  });
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
