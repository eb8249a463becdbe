#include "nsmon/core/yaml_v2.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "nsmon/text/ascii.hpp"

namespace nsmon::core::yaml_v2 {

namespace {

using text::is_digit;

// strconv.ParseUint(s, 0, 64): 0x/0o/0b prefixes (either case), a leading 0 for octal; no sign.
std::optional<std::uint64_t> parse_uint(std::string_view s) {
  int base = 10;
  if (s.size() > 1 && s[0] == '0') {
    char p = static_cast<char>(s[1] | 0x20);
    base = p == 'x' ? 16 : p == 'o' ? 8 : p == 'b' ? 2 : 8;
    s.remove_prefix(base == 8 && p != 'o' ? 1 : 2);
  }
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    char l = static_cast<char>(c | 0x20);
    int d = is_digit(c) ? c - '0' : l >= 'a' && l <= 'f' ? l - 'a' + 10 : 99;
    if (d >= base || v > (UINT64_MAX - static_cast<std::uint64_t>(d)) / static_cast<std::uint64_t>(base))
      return std::nullopt;
    v = v * static_cast<std::uint64_t>(base) + static_cast<std::uint64_t>(d);
  }
  return v;
}

// yaml.v2's yamlStyleFloat: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?
bool yaml_style_float(std::string_view s) {
  std::size_t i = 0, n = s.size();
  auto digits = [&] {
    std::size_t start = i;
    while (i < n && is_digit(s[i])) ++i;
    return i > start;
  };
  if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  } else {
    if (!digits()) return false;
    if (i < n && s[i] == '.') ++i, digits();
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '-' || s[i] == '+')) ++i;
    if (!digits()) return false;
  }
  return i == n;
}

// strconv.ParseFloat on text of that form: out of range (to infinity) is an error.
std::optional<double> parse_float(std::string_view s) {
  std::string text(s);
  errno = 0;
  double v = std::strtod(text.c_str(), nullptr);
  if (errno == ERANGE && std::isinf(v)) return std::nullopt;
  return v;
}

// yaml.v2's parseTimestamp: "2006-1-2", "2006-1-2T15:4:5.999999999Z07:00" (or 't'), or
// "2006-1-2 15:4:5.999999999", with Go's range checks.
bool is_timestamp(std::string_view s) {
  std::size_t i = 0;
  auto num = [&](std::size_t min, std::size_t max, int& v) {
    std::size_t start = i;
    v = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < max) v = v * 10 + (s[i++] - '0');
    return i - start >= min;
  };
  auto lit = [&](char c) { return i < s.size() && s[i] == c ? (++i, true) : false; };
  int year = 0, month = 0, day = 0, h = 0, m = 0, sec = 0;
  if (!num(4, 4, year) || !lit('-') || !num(1, 2, month) || !lit('-') || !num(1, 2, day)) return false;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] + (month == 2 && leap)) return false;
  if (i == s.size()) return true;
  char sep = s[i++];
  if (sep != 'T' && sep != 't' && sep != ' ') return false;
  if (!num(1, 2, h) || !lit(':') || !num(1, 2, m) || !lit(':') || !num(1, 2, sec)) return false;
  if (h > 23 || m > 59 || sec > 59) return false;
  if (i + 1 < s.size() && s[i] == '.' && is_digit(s[i + 1])) {
    int frac = 0;
    ++i;
    num(1, 9, frac);
  }
  if (sep == ' ') return i == s.size();
  if (lit('Z')) return i == s.size();
  int zh = 0, zm = 0;
  if (!lit('+') && !lit('-')) return false;
  return num(2, 2, zh) && lit(':') && num(2, 2, zm) && zh <= 24 && zm <= 60 && i == s.size();
}

// yaml.v2's resolve() of a plain scalar's text (tag "" or an explicit resolvable one).
Resolved resolve_text(std::string_view in, bool timestamps) {
  Resolved r{"!!str"};
  if (in.empty() || in == "~" || in == "null" || in == "Null" || in == "NULL") return {"!!null"};
  for (std::string_view t : {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"})
    if (in == t) return {"!!bool", true};
  for (std::string_view f : {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"})
    if (in == f) return {"!!bool", false};
  auto number = [](double v) { return Resolved{"!!float", false, false, 0, 0, v}; };
  if (auto special = special_float(in)) return number(*special);
  char c = in[0];
  if (c == '.') {
    if (yaml_style_float(in))
      if (auto f = parse_float(in)) return number(*f);
    return r;
  }
  if (!is_digit(c) && c != '-' && c != '+') return r;
  if (timestamps && is_timestamp(in)) return {"!!timestamp"};
  std::string plain;
  for (char ch : in)
    if (ch != '_') plain += ch;
  std::string_view digits = plain;
  bool negative = digits[0] == '-';
  if (digits[0] == '-' || digits[0] == '+') digits.remove_prefix(1);
  if (auto u = parse_uint(digits)) {
    if (!negative && *u <= static_cast<std::uint64_t>(INT64_MAX))
      return {"!!int", false, false, static_cast<std::int64_t>(*u)};
    if (negative && *u <= static_cast<std::uint64_t>(INT64_MAX) + 1)
      return {"!!int", false, false, static_cast<std::int64_t>(0 - *u)};
    if (!negative && plain[0] != '+') return {"!!int", false, true, 0, *u}; // ParseUint: no sign
  }
  if (yaml_style_float(plain))
    if (auto f = parse_float(plain)) return number(*f);
  return r;
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

std::optional<double> special_float(std::string_view plain) {
  for (std::string_view x : {".nan", ".NaN", ".NAN"})
    if (plain == x) return std::numeric_limits<double>::quiet_NaN();
  for (std::string_view x : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"})
    if (plain == x) return std::numeric_limits<double>::infinity();
  for (std::string_view x : {"-.inf", "-.Inf", "-.INF"})
    if (plain == x) return -std::numeric_limits<double>::infinity();
  return std::nullopt;
}

Resolved resolve(const yaml::Node& n) {
  if (!n || n.is_null()) return {"!!null"};
  if (n.is_map()) return {"!!map"};
  if (n.is_sequence()) return {"!!seq"};
  const std::string& t = n.tag();
  if (t == "?") return resolve_text(n.scalar(), true); // plain, untagged
  constexpr std::string_view kPrefix = "tag:yaml.org,2002:";
  std::string_view want =
      std::string_view(t).substr(0, kPrefix.size()) == kPrefix ? std::string_view(t).substr(kPrefix.size()) : "";
  // Quoted scalars, !!str, !!binary and tags yaml.v2 does not resolve (custom ones) are text.
  if (want != "bool" && want != "int" && want != "float" && want != "null" && want != "timestamp") return {"!!str"};
  Resolved r = resolve_text(n.scalar(), want == "timestamp");
  if (r.tag.substr(2) == want) return r;
  if (want == "float" && r.tag == "!!int") { // !!float 1 is the float 1
    r.number = r.is_unsigned ? static_cast<double>(r.uinteger) : static_cast<double>(r.integer);
    r.tag = "!!float";
    return r;
  }
  r.refused_tag = want == "bool"    ? "!!bool"
                  : want == "int"   ? "!!int"
                  : want == "float" ? "!!float"
                  : want == "null"  ? "!!null"
                                    : "!!timestamp";
  return r;
}

std::string_view tag(const yaml::Node& n) { return resolve(n).tag; }

std::optional<bool> to_bool(const yaml::Node& n) {
  Resolved r = resolve(n);
  if (r.tag != "!!bool") return std::nullopt;
  return r.boolean;
}

// Whether a resolved !!int or !!float decodes into an integer field (yaml.v2's decoder.scalar):
// in range, finite, not negative for an unsigned one.
bool fits(const Resolved& r, bool unsigned_field) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (r.tag == "!!int") return unsigned_field ? r.is_unsigned || r.integer >= 0 : !r.is_unsigned;
  if (r.tag != "!!float" || !std::isfinite(r.number)) return false;
  return unsigned_field ? r.number >= 0 && r.number < 2 * kTwo63 : r.number >= -kTwo63 && r.number < kTwo63;
}

void check_scalars(YamlReader& y, const yaml::Node& root, std::span<const Field> fields,
                   std::span<const std::string_view> free_form) {
  struct Item {
    yaml::Node node;
    bool free_form; ///< inside a map of names chosen by the user: its keys are no fields
  };
  std::vector<Item> stack{{root, false}};
  // Aliases and merges reach a node more than once: each collection is walked once, each value
  // checked once per field name (an alias bomb stays linear, a merged value is reported once).
  std::set<std::pair<int, bool>> walked;
  std::set<std::pair<int, std::string_view>> checked;
  while (!stack.empty()) {
    auto [n, in_free_form] = stack.back();
    stack.pop_back();
    if (!walked.insert({n.mark().pos, in_free_form}).second && !n.mark().is_null()) continue;
    if (n.is_scalar()) {
      if (Resolved r = resolve(n); !r.refused_tag.empty())
        y.report(n, "yaml/type",
                 "cannot decode " + std::string(r.tag) + " `" + std::string(n.scalar()) + "` as a " +
                     std::string(r.refused_tag));
      continue;
    }
    if (n.is_sequence()) {
      for (std::size_t i = 0; i < n.size(); ++i) stack.push_back({n.at(i), in_free_form});
      continue;
    }
    if (!n.is_map()) continue;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!it->first.is_scalar()) continue;
      stack.push_back({it->first, true}); // a key's own tag (`!!int name:`) is checked too
      const std::string key(it->first.scalar());
      const yaml::Node& v = it->second;
      bool free = std::find(free_form.begin(), free_form.end(), key) != free_form.end();
      stack.push_back({v, in_free_form || free});
      if (in_free_form) continue;
      auto f = std::find_if(fields.begin(), fields.end(), [&](const Field& x) { return x.name == key; });
      if (f == fields.end() || v.is_null() || !v) continue;
      if (!checked.insert({v.mark().pos, f->name}).second) continue;
      Resolved r = resolve(v);
      if (!r.refused_tag.empty()) continue; // reported as the scalar's own error
      bool ok =
          f->type == Type::boolean ? r.tag == "!!bool" : fits(r, f->type == Type::uint || f->type == Type::uint64);
      if (ok || r.tag == "!!null") continue;
      std::string shown = v.is_scalar() ? " `" + std::string(v.scalar()) + "`" : "";
      y.report(v, "yaml/type",
               "cannot unmarshal " + std::string(r.tag) + shown + " into " + go_type(f->type) + " (" + key + ")");
    }
  }
}

} // namespace nsmon::core::yaml_v2
