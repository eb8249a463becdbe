#include <algorithm>
#include <array>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <re2/re2.h>

#include "nsmon/gotemplate/value.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::gotemplate::detail {

Value Value::label_map(labels::Labels pairs) {
  std::sort(pairs.begin(), pairs.end());
  Value v;
  v.kind = Kind::labels;
  v.labels = std::make_shared<const labels::Labels>(std::move(pairs));
  return v;
}

std::string type_name(const Value& v) {
  switch (v.kind) {
  case Value::Kind::nil: return "<nil>";
  case Value::Kind::boolean: return "bool";
  case Value::Kind::integer: return "int";
  case Value::Kind::floating: return "float64";
  case Value::Kind::string: return "string";
  case Value::Kind::html: return "template.HTML";
  case Value::Kind::labels: return "map[string]string";
  case Value::Kind::any_map: return "map[string]interface {}";
  case Value::Kind::sample: return "*template.sample";
  case Value::Kind::samples: return "template.queryResult";
  case Value::Kind::time: return "*time.Time";
  case Value::Kind::duration: return "*time.Duration";
  case Value::Kind::kv: return "template.KV";
  case Value::Kind::list:
  case Value::Kind::object: return v.s;
  case Value::Kind::go_time: return "time.Time";
  case Value::Kind::data:
    return "struct { Labels map[string]string; ExternalLabels map[string]string; ExternalURL string; Value "
           "interface {} }";
  }
  return "?";
}

bool truth(const Value& v) {
  switch (v.kind) {
  case Value::Kind::nil: return false;
  case Value::Kind::boolean: return v.b;
  case Value::Kind::integer: return v.i != 0;
  case Value::Kind::floating: return v.f != 0;
  case Value::Kind::string:
  case Value::Kind::html: return !v.s.empty();
  case Value::Kind::labels: return !v.labels->empty();
  case Value::Kind::any_map: return !v.any_map->empty();
  case Value::Kind::sample: return v.sample != nullptr;
  case Value::Kind::samples: return !v.samples->empty();
  case Value::Kind::kv: return !v.labels->empty();
  case Value::Kind::list: return !v.list->empty();
  default: return true;
  }
}

namespace {

// Shortest round-trip digits and decimal exponent of a finite, non-zero |v|: v = 0.d1d2... x 10^dp.
void shortest(double v, std::string& digits, int& dp) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, std::fabs(v), std::chars_format::scientific);
  std::string_view s(buf, static_cast<std::size_t>(r.ptr - buf));
  std::size_t e = s.find('e');
  digits.clear();
  for (char c : s.substr(0, e))
    if (c != '.') digits += c;
  dp = std::atoi(std::string(s.substr(e + 1)).c_str()) + 1;
}

// NaN and infinities as strconv formats them.
std::string special(double v) {
  if (std::isnan(v)) return "NaN";
  return v > 0 ? "+Inf" : "-Inf";
}

// Go time.Time.String() ("2006-01-02 15:04:05.999999999 -0700 MST") of a millisecond timestamp
// and what it keeps beyond it. A time at offset 0 is in UTC ("+0000 UTC"); any other offset is
// the zone time.Parse makes for it, which has no name: the offset is printed twice.
std::string format_time(std::int64_t ms, TimeAsWritten w = {}) {
  std::int64_t local = ms + std::int64_t{w.offset_s} * 1000;
  std::int64_t secs = local >= 0 ? local / 1000 : -((-local + 999) / 1000);
  std::int64_t nanos = (local - secs * 1000) * 1000000 + w.sub_ms_ns;
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  std::string out = buf;
  if (nanos) {
    char f[16];
    std::snprintf(f, sizeof f, ".%09d", static_cast<int>(nanos));
    std::string fs = f;
    while (fs.back() == '0') fs.pop_back();
    out += fs;
  }
  if (w.offset_s == 0) return out + " +0000 UTC";
  int minutes = std::abs(w.offset_s) / 60;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d%02d", w.offset_s < 0 ? '-' : '+', minutes / 60, minutes % 60);
  return out + " " + zone + " " + zone;
}

// Go time.Duration.String(): "1h2m3.5s", "1.5ms", "0s".
std::string format_go_duration(std::int64_t ns) {
  if (ns == 0) return "0s";
  bool neg = ns < 0;
  std::uint64_t u = neg ? static_cast<std::uint64_t>(-(ns + 1)) + 1 : static_cast<std::uint64_t>(ns);
  auto frac = [](std::uint64_t whole, std::uint64_t part, int digits) {
    std::string s = std::to_string(whole);
    std::string p = std::to_string(part);
    p = std::string(static_cast<std::size_t>(digits) - p.size(), '0') + p;
    while (!p.empty() && p.back() == '0') p.pop_back();
    return p.empty() ? s : s + "." + p;
  };
  std::string out;
  if (u < 1000000000ULL) {
    if (u < 1000) out = std::to_string(u) + "ns";
    else if (u < 1000000) out = frac(u / 1000, u % 1000, 3) + "µs";
    else out = frac(u / 1000000, u % 1000000, 6) + "ms";
  } else {
    std::uint64_t h = u / 3600000000000ULL, rem = u % 3600000000000ULL;
    std::uint64_t m = rem / 60000000000ULL, sn = rem % 60000000000ULL;
    out = frac(sn / 1000000000ULL, sn % 1000000000ULL, 9) + "s";
    if (h || m) out = std::to_string(m) + "m" + out;
    if (h) out = std::to_string(h) + "h" + out;
  }
  return neg ? "-" + out : out;
}

} // namespace

std::string format_float_v(double v) {
  if (std::isnan(v) || std::isinf(v)) return special(v);
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  std::string d;
  int dp = 0;
  shortest(v, d, dp);
  std::string out = v < 0 ? "-" : "";
  int exp = dp - 1;
  if (exp < -4 || exp >= 6) {
    out += d.substr(0, 1);
    if (d.size() > 1) out += "." + d.substr(1);
    char e[16];
    std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', std::abs(exp));
    return out + e;
  }
  if (dp <= 0) return out + "0." + std::string(static_cast<std::size_t>(-dp), '0') + d;
  if (static_cast<std::size_t>(dp) >= d.size())
    return out + d + std::string(static_cast<std::size_t>(dp) - d.size(), '0');
  return out + d.substr(0, static_cast<std::size_t>(dp)) + "." + d.substr(static_cast<std::size_t>(dp));
}

std::string sprint_one(const Value& v) {
  switch (v.kind) {
  case Value::Kind::nil: return "<nil>";
  case Value::Kind::boolean: return v.b ? "true" : "false";
  case Value::Kind::integer: return std::to_string(v.i);
  case Value::Kind::floating: return format_float_v(v.f);
  case Value::Kind::string:
  case Value::Kind::html: return v.s;
  case Value::Kind::kv:
  case Value::Kind::labels: {
    std::string s = "map[";
    for (std::size_t i = 0; i < v.labels->size(); ++i)
      s += (i ? " " : "") + (*v.labels)[i].first + ":" + (*v.labels)[i].second;
    return s + "]";
  }
  case Value::Kind::any_map: {
    std::string s = "map[";
    for (std::size_t i = 0; i < v.any_map->size(); ++i)
      s += (i ? " " : "") + (*v.any_map)[i].first + ":" + sprint_one((*v.any_map)[i].second);
    return s + "]";
  }
  case Value::Kind::sample: {
    if (!v.sample) return "<nil>";
    Value l = Value::label_map(v.sample->labels);
    return "&{" + sprint_one(l) + " " + format_float_v(v.sample->value) + "}";
  }
  case Value::Kind::samples: {
    // Go prints the pointers' addresses; their contents are the stable part.
    std::string s = "[";
    for (std::size_t i = 0; i < v.samples->size(); ++i)
      s += (i ? " " : "") + sprint_one(Value::of_sample((*v.samples)[i]));
    return s + "]";
  }
  case Value::Kind::time: return format_time(v.i);
  case Value::Kind::go_time: return format_time(v.i, v.written);
  case Value::Kind::list:
  case Value::Kind::object: {
    std::string s = v.kind == Value::Kind::list ? "[" : "{";
    if (v.kind == Value::Kind::list)
      for (std::size_t i = 0; i < v.list->size(); ++i) s += (i ? " " : "") + sprint_one((*v.list)[i]);
    else
      for (std::size_t i = 0; i < v.any_map->size(); ++i) s += (i ? " " : "") + sprint_one((*v.any_map)[i].second);
    return s + (v.kind == Value::Kind::list ? "]" : "}");
  }
  case Value::Kind::duration: return format_go_duration(v.i);
  case Value::Kind::data: {
    const TemplateData& d = *v.data;
    return "{" + sprint_one(Value::label_map(d.labels)) + " " + sprint_one(Value::label_map(d.external_labels)) + " " +
           d.external_url + " " + format_float_v(d.value) + "}";
  }
  }
  return "";
}

std::string print_action(const Value& v) {
  if (v.kind == Value::Kind::nil) return "<no value>";
  // text/template prints what a pointer points to.
  if (v.kind == Value::Kind::sample && v.sample) return sprint_one(v).substr(1);
  return sprint_one(v);
}

std::string sprint(const std::vector<Value>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    bool str = args[i].kind == Value::Kind::string || args[i].kind == Value::Kind::html;
    bool prev_str = i > 0 && (args[i - 1].kind == Value::Kind::string || args[i - 1].kind == Value::Kind::html);
    if (i > 0 && !str && !prev_str) out += ' ';
    out += sprint_one(args[i]);
  }
  return out;
}

std::string sprintln(const std::vector<Value>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) out += (i ? " " : "") + sprint_one(args[i]);
  return out + "\n";
}

std::string html_escape_text(std::string_view s, bool escape_plus) {
  std::string out;
  for (char c : s) {
    switch (c) {
    case '"': out += "&#34;"; break;
    case '\'': out += "&#39;"; break;
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '+': out += escape_plus ? "&#43;" : "+"; break;
    case '\0': out += "\xEF\xBF\xBD"; break;
    default: out += c;
    }
  }
  return out;
}

std::string url_escape(std::string_view s, bool normalize) {
  auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  std::string out;
  char buf[4];
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool keep =
        std::isalnum(static_cast<unsigned char>(c)) || std::string_view("-._~").find(c) != std::string_view::npos;
    if (normalize && std::string_view("!#$&*+,/:;=?@[]").find(c) != std::string_view::npos) keep = true;
    if (normalize && c == '%' && i + 2 < s.size() && hex(s[i + 1]) && hex(s[i + 2])) keep = true;
    if (static_cast<unsigned char>(c) >= 0x80) keep = false;
    if (keep) out += c;
    else {
      std::snprintf(buf, sizeof buf, "%%%02x", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

namespace {

// golang.org/x/text/cases.Title: each word's first letter upper-cased, the rest lower-cased
// (ASCII; a word is a run of letters, digits, ' and _).
std::string title_case(std::string_view s) {
  std::string out(s);
  bool start = true;
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    bool letter = std::isalnum(u) || c == '\'' || u >= 0x80 || c == '_';
    if (letter && u < 0x80) c = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
    start = !letter;
  }
  return out;
}

std::string js_escape(std::string_view s) {
  std::string out;
  char buf[8];
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
    case '\\': out += "\\\\"; break;
    case '\'': out += "\\'"; break;
    case '"': out += "\\\""; break;
    case '<': out += "\\u003C"; break;
    case '>': out += "\\u003E"; break;
    case '&': out += "\\u0026"; break;
    case '=': out += "\\u003D"; break;
    default:
      if (u < ' ') {
        std::snprintf(buf, sizeof buf, "\\u%04X", u);
        out += buf;
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::string query_escape(std::string_view s) {
  std::string out;
  char buf[4];
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '~') out += c;
    else if (c == ' ') out += '+';
    else {
      std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
      out += buf;
    }
  }
  return out;
}

// The string argument of html/js/urlquery/print: one string as it is, else fmt.Sprint.
std::string eval_args(const std::vector<Value>& args) {
  if (args.size() == 1 && args[0].kind == Value::Kind::string) return args[0].s;
  return sprint(args);
}

// Prometheus's ConvertToFloat: float64, int, string (strconv.ParseFloat), durations.
std::optional<double> to_float(const Value& v, std::string& err) {
  switch (v.kind) {
  case Value::Kind::floating: return v.f;
  case Value::Kind::integer: return static_cast<double>(v.i);
  case Value::Kind::duration: return static_cast<double>(v.i) / 1e9;
  case Value::Kind::string: {
    std::string s = v.s;
    std::string lower = s;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view l = lower;
    if (!l.empty() && (l[0] == '+' || l[0] == '-')) l.remove_prefix(1);
    bool word = l == "inf" || l == "infinity" || l == "nan";
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    bool alpha_ok = word || l.find_first_of("ghijklmnoqrstuvwyz") == std::string_view::npos;
    if (!s.empty() && end && *end == 0 && alpha_ok && !std::isspace(static_cast<unsigned char>(s[0]))) {
      if (std::isinf(d) && !word) {
        err = "strconv.ParseFloat: parsing " + text::go::quote(s) + ": value out of range";
        return std::nullopt;
      }
      return d;
    }
    err = "strconv.ParseFloat: parsing " + text::go::quote(s) + ": invalid syntax";
    return std::nullopt;
  }
  default: err = "can't convert " + type_name(v) + " to float"; return std::nullopt;
  }
}

std::string go_g4(double v) {
  if (std::isnan(v) || std::isinf(v)) return special(v);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string humanize(double v, bool base1024) {
  if (base1024) {
    if (std::fabs(v) <= 1 || std::isnan(v) || std::isinf(v)) return go_g4(v);
    static const char* const p[] = {"ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"};
    std::string prefix;
    for (const char* x : p) {
      if (std::fabs(v) < 1024) break;
      prefix = x;
      v /= 1024;
    }
    return go_g4(v) + prefix;
  }
  if (v == 0 || std::isnan(v) || std::isinf(v)) return go_g4(v);
  std::string prefix;
  if (std::fabs(v) >= 1) {
    static const char* const p[] = {"k", "M", "G", "T", "P", "E", "Z", "Y"};
    for (const char* x : p) {
      if (std::fabs(v) < 1000) break;
      prefix = x;
      v /= 1000;
    }
    return go_g4(v) + prefix;
  }
  static const char* const p[] = {"m", "u", "n", "p", "f", "a", "z", "y"};
  for (const char* x : p) {
    if (std::fabs(v) >= 1) break;
    prefix = x;
    v *= 1000;
  }
  return go_g4(v) + prefix;
}

std::string humanize_duration(double v) {
  if (std::isnan(v) || std::isinf(v)) return go_g4(v);
  if (v == 0) return go_g4(v) + "s";
  if (std::fabs(v) >= 1) {
    std::string sign = v < 0 ? "-" : "";
    v = std::fabs(v);
    auto iv = static_cast<std::int64_t>(v);
    std::int64_t s = iv % 60, m = iv / 60 % 60, h = iv / 3600 % 24, d = iv / 86400;
    auto n = [](std::int64_t x) { return std::to_string(x); };
    if (d) return sign + n(d) + "d " + n(h) + "h " + n(m) + "m " + n(s) + "s";
    if (h) return sign + n(h) + "h " + n(m) + "m " + n(s) + "s";
    if (m) return sign + n(m) + "m " + n(s) + "s";
    return sign + go_g4(v) + "s";
  }
  return humanize(v, false) + "s";
}

// Go's regexp ReplaceAllString: each match replaced by `repl` expanded (labels::expand), stepping
// as Go's replaceAll does: past the match, and at least one character (a UTF-8 sequence, not a byte).
std::string replace_all(const RE2& re, std::string_view src, std::string_view repl) {
  int groups = re.NumberOfCapturingGroups();
  std::vector<re2::StringPiece> m(static_cast<std::size_t>(groups) + 1);
  std::string out;
  std::size_t search = 0, last_end = 0;
  while (search <= src.size()) {
    if (!re.Match(src, search, src.size(), RE2::UNANCHORED, m.data(), groups + 1)) break;
    auto start = static_cast<std::size_t>(m[0].data() - src.data());
    std::size_t end = start + m[0].size();
    out.append(src.substr(last_end, start - last_end));
    // An empty match right after another match is not replaced.
    if (end > last_end || start == 0) out += labels::expand(repl, re, m);
    last_end = end;
    auto width = static_cast<std::size_t>(text::go::decode_rune(src.substr(search)).width);
    search = search + width > end ? search + width : search + 1 > end ? search + 1 : end;
  }
  out.append(src.substr(last_end));
  return out;
}

// regexp.MustCompile's panic names the pattern in backquotes when it can.
std::string go_backquote(std::string_view s) {
  bool ok = std::none_of(s.begin(), s.end(), [](char c) { return c == '`' || (c < ' ' && c != '\t') || c == 0x7f; });
  return ok ? "`" + std::string(s) + "`" : text::go::quote(s);
}

bool is_ip(std::string_view h) {
  if (h.find(':') != std::string_view::npos) return true;
  int dots = 0;
  for (char c : h) {
    if (c == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return dots == 3;
}

// net.SplitHostPort, reduced: "host:port" or "[v6]:port".
bool split_host_port(std::string_view hp, std::string& host, std::string& port) {
  std::size_t colon = hp.rfind(':');
  if (colon == std::string_view::npos) return false;
  std::string_view h = hp.substr(0, colon);
  if (!h.empty() && h.front() == '[') {
    if (h.back() != ']') return false;
    h = h.substr(1, h.size() - 2);
  } else if (h.find(':') != std::string_view::npos) {
    return false;
  }
  host = std::string(h);
  port = std::string(hp.substr(colon + 1));
  return true;
}

std::string title(std::string_view s) {
  std::string out(s);
  bool start = true;
  for (char& c : out) {
    auto u = static_cast<unsigned char>(c);
    bool letter = std::isalnum(u) || c == '\'' || u >= 0x80 || c == '_';
    if (letter && start && std::islower(u)) c = static_cast<char>(std::toupper(u));
    start = !letter;
  }
  return out;
}

using P = Param;
// clang-format off
const std::array kFunctions = {
    Function{"and", {P::any, P::any}, true}, Function{"or", {P::any, P::any}, true},
    Function{"not", {P::any}}, Function{"len", {P::any}}, Function{"index", {P::any, P::any}, true},
    Function{"slice", {P::any, P::any}, true}, Function{"call", {P::any, P::any}, true},
    Function{"print", {P::any}, true}, Function{"printf", {P::string, P::any}, true},
    Function{"println", {P::any}, true}, Function{"html", {P::any}, true}, Function{"js", {P::any}, true},
    Function{"urlquery", {P::any}, true},
    Function{"eq", {P::any, P::any}, true}, Function{"ne", {P::any, P::any}}, Function{"lt", {P::any, P::any}},
    Function{"le", {P::any, P::any}}, Function{"gt", {P::any, P::any}}, Function{"ge", {P::any, P::any}},
    Function{"query", {P::string}}, Function{"first", {P::samples}}, Function{"label", {P::string, P::sample}},
    Function{"value", {P::sample}}, Function{"strvalue", {P::sample}}, Function{"args", {P::any}, true},
    Function{"reReplaceAll", {P::string, P::string, P::string}}, Function{"safeHtml", {P::string}},
    Function{"match", {P::string, P::string}}, Function{"title", {P::string}}, Function{"toUpper", {P::string}},
    Function{"toLower", {P::string}}, Function{"graphLink", {P::string}}, Function{"tableLink", {P::string}},
    Function{"sortByLabel", {P::string, P::samples}}, Function{"stripPort", {P::string}},
    Function{"stripDomain", {P::string}}, Function{"humanize", {P::any}}, Function{"humanize1024", {P::any}},
    Function{"humanizeDuration", {P::any}}, Function{"humanizePercentage", {P::any}},
    Function{"humanizeTimestamp", {P::any}}, Function{"toTime", {P::any}}, Function{"toDuration", {P::any}},
    Function{"now", {}}, Function{"pathPrefix", {}}, Function{"externalURL", {}},
    Function{"parseDuration", {P::string}},
    Function{"join", {P::string, P::strings}}, Function{"stringSlice", {P::string}, true},
};
// clang-format on

} // namespace

const Function* find_function(std::string_view name) {
  for (const Function& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

CallResult compare(std::string_view name, const std::vector<Value>& args);
CallResult builtin_index(const std::vector<Value>& args);
CallResult builtin_len(const Value& v);

CallResult call_function(const Function& fn, std::vector<Value>& args, const Env& env) {
  std::string_view n = fn.name;
  auto str = [](std::string s) { return CallResult{Value::string(std::move(s)), std::nullopt}; };
  auto err = [](std::string e) { return CallResult{Value{}, std::move(e)}; };
  if (n == "eq" || n == "ne" || n == "lt" || n == "le" || n == "gt" || n == "ge") return compare(n, args);
  if (n == "not") return {Value::boolean(!truth(args[0])), std::nullopt};
  if (n == "len") return builtin_len(args[0]);
  if (n == "index") return builtin_index(args);
  if (n == "slice") return err("slice of " + type_name(args[0]) + " is not supported by nsmon");
  if (n == "print") return str(sprint(args));
  if (n == "println") return str(sprintln(args));
  if (n == "printf") {
    std::string format = args[0].s;
    args.erase(args.begin());
    return str(sprintf(format, args));
  }
  if (n == "html") return str(html_escape_text(eval_args(args), false));
  if (n == "js") return str(js_escape(eval_args(args)));
  if (n == "urlquery") return str(query_escape(eval_args(args)));
  if (n == "humanize" || n == "humanize1024" || n == "humanizeDuration" || n == "humanizePercentage" ||
      n == "humanizeTimestamp" || n == "toTime" || n == "toDuration") {
    std::string e;
    std::optional<double> v = to_float(args[0], e);
    if (!v) return err(e);
    if (n == "humanize") return str(humanize(*v, false));
    if (n == "humanize1024") return str(humanize(*v, true));
    if (n == "humanizeDuration") return str(humanize_duration(*v));
    if (n == "humanizePercentage") return str(go_g4(*v * 100) + "%");
    if (std::isnan(*v) || std::isinf(*v)) {
      if (n == "humanizeTimestamp") return str(go_g4(*v));
      return err("value is NaN or Inf");
    }
    double ns = *v * 1e9;
    if (ns >= 9.2233720368547758e18 || ns < -9.2233720368547758e18)
      return err(format_float_v(*v) + " cannot be represented as a nanoseconds timestamp since it overflows int64");
    Value t;
    t.kind = n == "toDuration" ? Value::Kind::duration : Value::Kind::time;
    // model.TimeFromUnixNano keeps milliseconds.
    t.i = n == "toDuration" ? static_cast<std::int64_t>(ns) : static_cast<std::int64_t>(ns) / 1000000;
    if (n == "humanizeTimestamp") return str(format_time(t.i));
    return {t, std::nullopt};
  }
  if (n == "toUpper" || n == "toLower") {
    std::string s = args[0].s;
    for (char& c : s)
      c = static_cast<char>(n == "toUpper" ? std::toupper(static_cast<unsigned char>(c))
                                           : std::tolower(static_cast<unsigned char>(c)));
    return str(s);
  }
  if (n == "title") return str(env.alertmanager ? title_case(args[0].s) : title(args[0].s));
  if (n == "join") {
    std::string out;
    for (std::size_t i = 0; i < args[1].list->size(); ++i) out += (i ? args[0].s : "") + (*args[1].list)[i].s;
    return str(out);
  }
  if (n == "stringSlice") return {Value::list_of("[]string", args), std::nullopt};
  if (n == "safeHtml") return {Value::string(args[0].s, Value::Kind::html), std::nullopt};
  if (n == "graphLink" || n == "tableLink")
    return str("/graph?g0.expr=" + query_escape(args[0].s) + "&g0.tab=" + (n == "graphLink" ? "0" : "1"));
  if (n == "match" || n == "reReplaceAll") {
    if (auto e = labels::go_regex_error(args[0].s))
      return err(n == "match" ? *e : "regexp: Compile(" + go_backquote(args[0].s) + "): " + *e);
    RE2::Options o;
    o.set_log_errors(false);
    RE2 re(labels::to_re2_pattern(args[0].s), o);
    if (n == "match") return {Value::boolean(RE2::PartialMatch(args[1].s, re)), std::nullopt};
    return str(replace_all(re, args[2].s, args[1].s));
  }
  if (n == "stripPort" || n == "stripDomain") {
    std::string host, port;
    bool split = split_host_port(args[0].s, host, port);
    if (n == "stripPort") return str(split ? host : args[0].s);
    if (!split) host = args[0].s;
    if (is_ip(host)) return str(args[0].s);
    host = host.substr(0, host.find('.'));
    if (!port.empty()) return str(host.find(':') != std::string::npos ? "[" + host + "]:" + port : host + ":" + port);
    return str(host);
  }
  if (n == "parseDuration") {
    auto ms = text::parse_duration(args[0].s);
    if (!ms) return err("not a valid duration string: " + text::go::quote(args[0].s));
    return {Value::floating(static_cast<double>(*ms) / 1000), std::nullopt};
  }
  if (n == "now") return {Value::floating(env.data->timestamp), std::nullopt};
  if (n == "externalURL") return str(env.data->external_url);
  if (n == "pathPrefix") {
    std::string_view u = env.data->external_url;
    std::size_t scheme = u.find("://");
    std::size_t path = scheme == std::string_view::npos ? 0 : u.find('/', scheme + 3);
    if (path == std::string_view::npos) return str("");
    std::string_view p = u.substr(path);
    return str(std::string(p.substr(0, p.find_first_of("?#"))));
  }
  if (n == "args") {
    auto m = std::make_shared<AnyMap>();
    for (std::size_t i = 0; i < args.size(); ++i) m->emplace_back("arg" + std::to_string(i), args[i]);
    std::sort(m->begin(), m->end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Value v;
    v.kind = Value::Kind::any_map;
    v.any_map = m;
    return {v, std::nullopt};
  }
  if (n == "query") {
    if (!env.query || !*env.query) return err("no query function");
    QueryAnswer a = (*env.query)(args[0].s);
    if (a.error) return err(*a.error);
    auto s = std::make_shared<Samples>();
    for (auto& smp : a.samples) s->push_back(std::make_shared<const TemplateSample>(std::move(smp)));
    Value v;
    v.kind = Value::Kind::samples;
    v.samples = s;
    return {v, std::nullopt};
  }
  if (n == "first") {
    if (args[0].samples->empty()) return err("first() called on vector with no elements");
    Value v;
    v.kind = Value::Kind::sample;
    v.sample = args[0].samples->front();
    return {v, std::nullopt};
  }
  if (n == "label" || n == "value" || n == "strvalue") {
    const Value& s = n == "label" ? args[1] : args[0];
    if (!s.sample) return err("runtime error: invalid memory address or nil pointer dereference");
    if (n == "value") return {Value::floating(s.sample->value), std::nullopt};
    std::string key = n == "label" ? args[0].s : "__value__";
    for (const auto& [k, v] : s.sample->labels)
      if (k == key) return str(v);
    return str("");
  }
  if (n == "sortByLabel") {
    auto s = std::make_shared<Samples>(*args[1].samples);
    std::string key = args[0].s;
    auto get = [&](const std::shared_ptr<const TemplateSample>& x) {
      for (const auto& [k, v] : x->labels)
        if (k == key) return v;
      return std::string();
    };
    std::stable_sort(s->begin(), s->end(), [&](const auto& a, const auto& b) { return get(a) < get(b); });
    Value v;
    v.kind = Value::Kind::samples;
    v.samples = s;
    return {v, std::nullopt};
  }
  return err("function " + std::string(n) + " not supported");
}

} // namespace nsmon::gotemplate::detail
