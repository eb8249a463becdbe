#include "nsmon/core/yaml_v2.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace nsmon::core::yaml_v2 {

namespace {

bool is_bool(std::string_view s) {
  for (std::string_view b : {"y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
                             "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"})
    if (s == b) return true;
  return false;
}

// yaml.v2's integer forms: an optional sign, then decimal, 0x hex, 0b binary or a leading-0 octal,
// underscores after the first digit.
bool is_int(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
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

bool is_float(std::string_view s) {
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
  for (std::string_view special : {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN"})
    if (s == special) return true;
  bool digit = false;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) digit = true;
    else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+' && c != '_') return false;
  }
  return digit;
}

const char* go_type(Type t) {
  switch (t) {
  case Type::boolean: return "bool";
  case Type::int_: return "int";
  case Type::int64: return "int64";
  case Type::uint: return "uint";
  case Type::uint64: return "uint64";
  }
  return "";
}

} // namespace

std::string_view tag(const yaml::Node& n) {
  if (!n || n.IsNull()) return "!!null";
  if (n.IsMap()) return "!!map";
  if (n.IsSequence()) return "!!seq";
  if (n.Style() != yaml::ScalarStyle::plain || n.Tag() == "!!str") return "!!str";
  const std::string& s = n.Scalar();
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return "!!null";
  if (is_bool(s)) return "!!bool";
  if (is_int(s)) return "!!int";
  if (is_float(s)) return "!!float";
  return "!!str";
}

std::optional<bool> to_bool(const yaml::Node& n) {
  if (tag(n) != "!!bool") return std::nullopt;
  const std::string& s = n.Scalar();
  return s[0] == 'y' || s[0] == 'Y' || s[0] == 't' || s[0] == 'T' || s == "on" || s == "On" || s == "ON";
}

void check_scalars(YamlReader& y, const yaml::Node& root, std::span<const Field> fields,
                   std::span<const std::string_view> free_form) {
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
      if (std::find(free_form.begin(), free_form.end(), key) == free_form.end()) stack.push_back(v);
      auto f = std::find_if(fields.begin(), fields.end(), [&](const Field& x) { return x.name == key; });
      if (f == fields.end()) continue;
      std::string_view t = tag(v);
      bool negative = v.IsScalar() && !v.Scalar().empty() && v.Scalar()[0] == '-';
      bool finite = t == "!!float" && v.Scalar().find_first_of("iInN") == std::string::npos; // not .inf/.nan
      bool unsigned_field = f->type == Type::uint || f->type == Type::uint64;
      bool ok = t == "!!null" ||
                (f->type == Type::boolean ? t == "!!bool" : (t == "!!int" || finite) && !(negative && unsigned_field));
      if (ok) continue;
      std::string shown = v.IsScalar() ? " `" + v.Scalar() + "`" : "";
      y.report(v, "yaml/type",
               "cannot unmarshal " + std::string(t) + shown + " into " + go_type(f->type) + " (" + key + ")");
    }
  }
}

} // namespace nsmon::core::yaml_v2
