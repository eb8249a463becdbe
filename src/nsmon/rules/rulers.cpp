#include "nsmon/rules/rulers.hpp"

#include <array>
#include <utility>

namespace nsmon::rules {

namespace {

constexpr std::array<std::pair<Schema, std::string_view>, 5> kNames = {{{Schema::automatic, "auto"},
                                                                        {Schema::prometheus, "prometheus"},
                                                                        {Schema::thanos, "thanos"},
                                                                        {Schema::mimir, "mimir"},
                                                                        {Schema::loki, "loki"}}};

// The group fields only one other ruler reads (Loki's ruler has none of its own).
constexpr std::array<std::pair<std::string_view, Schema>, 4> kGroupFields = {{
    {"partial_response_strategy", Schema::thanos},
    {"source_tenants", Schema::mimir},
    {"evaluation_delay", Schema::mimir},
    {"align_evaluation_time_on_interval", Schema::mimir},
}};

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
  case Schema::automatic:
  case Schema::prometheus: break;
  }
  return "Prometheus";
}

std::optional<Schema> ruler_of_group_field(std::string_view field) {
  for (const auto& [name, ruler] : kGroupFields)
    if (name == field) return ruler;
  return std::nullopt;
}

std::vector<std::string_view> group_fields(Schema ruler) {
  std::vector<std::string_view> out;
  for (const auto& [name, r] : kGroupFields)
    if (r == ruler) out.push_back(name);
  return out;
}

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

} // namespace nsmon::rules
