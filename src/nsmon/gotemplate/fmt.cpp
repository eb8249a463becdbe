// Go's builtins that are about values rather than Prometheus: comparisons, index, len, and
// fmt.Sprintf's verbs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "nsmon/gotemplate/value.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::gotemplate::detail {

namespace {

enum class Basic { invalid, boolean, integer, floating, string, other };

Basic basic(const Value& v) {
  switch (v.kind) {
  case Value::Kind::boolean: return Basic::boolean;
  case Value::Kind::integer: return Basic::integer;
  case Value::Kind::floating: return Basic::floating;
  case Value::Kind::string: return Basic::string;
  case Value::Kind::nil: return Basic::invalid;
  default: return Basic::other;
  }
}

} // namespace

CallResult compare(std::string_view name, const std::vector<Value>& args) {
  auto err = [](const char* e) { return CallResult{Value{}, std::string(e)}; };
  auto ok = [](bool b) { return CallResult{Value::boolean(b), std::nullopt}; };
  const Value& a = args[0];
  if (name == "eq" || name == "ne") {
    if (args.size() < 2) return err("missing argument for comparison");
    Basic ka = basic(a);
    for (std::size_t i = 1; i < args.size(); ++i) {
      const Value& b = args[i];
      Basic kb = basic(b);
      bool truth = false;
      if (ka != kb) {
        if (ka != Basic::invalid && kb != Basic::invalid) return err("incompatible types for comparison");
      } else {
        switch (ka) {
        case Basic::boolean: truth = a.b == b.b; break;
        case Basic::integer: truth = a.i == b.i; break;
        case Basic::floating: truth = a.f == b.f; break;
        case Basic::string: truth = a.s == b.s; break;
        case Basic::invalid: truth = true; break;
        case Basic::other:
          if (a.kind != b.kind || a.kind == Value::Kind::labels || a.kind == Value::Kind::any_map ||
              a.kind == Value::Kind::samples)
            return err("invalid type for comparison");
          truth = a.sample == b.sample && a.i == b.i;
          break;
        }
      }
      if (name == "ne") return ok(!truth);
      if (truth) return ok(true);
    }
    return ok(false);
  }
  const Value& b = args[1];
  Basic ka = basic(a), kb = basic(b);
  if (ka == Basic::invalid || ka == Basic::other || ka == Basic::boolean || kb == Basic::invalid ||
      kb == Basic::other || kb == Basic::boolean)
    return err(ka != kb && ka != Basic::boolean && kb != Basic::boolean && ka != Basic::other && kb != Basic::other &&
                       ka != Basic::invalid && kb != Basic::invalid
                   ? "incompatible types for comparison"
                   : "invalid type for comparison");
  if (ka != kb) return err("incompatible types for comparison");
  bool less = false, equal = false;
  switch (ka) {
  case Basic::integer: less = a.i < b.i, equal = a.i == b.i; break;
  case Basic::floating: less = a.f < b.f, equal = a.f == b.f; break;
  default: less = a.s < b.s, equal = a.s == b.s; break;
  }
  if (name == "lt") return ok(less);
  if (name == "le") return ok(less || equal);
  if (name == "gt") return ok(!less && !equal);
  return ok(!less);
}

CallResult builtin_len(const Value& v) {
  switch (v.kind) {
  case Value::Kind::string:
  case Value::Kind::html: return {Value::integer(static_cast<std::int64_t>(v.s.size())), std::nullopt};
  case Value::Kind::labels:
  case Value::Kind::kv: return {Value::integer(static_cast<std::int64_t>(v.labels->size())), std::nullopt};
  case Value::Kind::list: return {Value::integer(static_cast<std::int64_t>(v.list->size())), std::nullopt};
  case Value::Kind::any_map: return {Value::integer(static_cast<std::int64_t>(v.any_map->size())), std::nullopt};
  case Value::Kind::samples: return {Value::integer(static_cast<std::int64_t>(v.samples->size())), std::nullopt};
  case Value::Kind::nil: return {Value{}, "reflect: call of reflect.Value.Type on zero Value"};
  default: return {Value{}, "len of type " + type_name(v)};
  }
}

CallResult builtin_index(const std::vector<Value>& args) {
  Value item = args[0];
  if (item.kind == Value::Kind::nil) return {Value{}, "index of untyped nil"};
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& key = args[i];
    if (item.kind == Value::Kind::labels || item.kind == Value::Kind::kv || item.kind == Value::Kind::any_map) {
      if (key.kind != Value::Kind::string) return {Value{}, "value has type " + type_name(key) + "; should be string"};
      Value next = item.kind != Value::Kind::any_map ? Value::string("") : Value{};
      if (item.kind != Value::Kind::any_map) {
        for (const auto& [k, v] : *item.labels)
          if (k == key.s) next = Value::string(v);
      } else {
        for (const auto& [k, v] : *item.any_map)
          if (k == key.s) next = v;
      }
      item = next;
    } else if (item.kind == Value::Kind::list) {
      if (key.kind != Value::Kind::integer) return {Value{}, "cannot index slice/array with type " + type_name(key)};
      if (key.i < 0 || static_cast<std::size_t>(key.i) >= item.list->size())
        return {Value{}, "index out of range: " + std::to_string(key.i)};
      item = (*item.list)[static_cast<std::size_t>(key.i)];
    } else if (item.kind == Value::Kind::samples || item.kind == Value::Kind::string) {
      if (key.kind != Value::Kind::integer) return {Value{}, "cannot index slice/array with type " + type_name(key)};
      std::size_t n = item.kind == Value::Kind::string ? item.s.size() : item.samples->size();
      if (key.i < 0 || static_cast<std::size_t>(key.i) >= n)
        return {Value{}, "index out of range: " + std::to_string(key.i)};
      if (item.kind == Value::Kind::string) {
        item = Value::integer(static_cast<unsigned char>(item.s[static_cast<std::size_t>(key.i)]));
      } else {
        item = Value::of_sample((*item.samples)[static_cast<std::size_t>(key.i)]);
      }
    } else {
      return {Value{}, "can't index item of type " + type_name(item)};
    }
  }
  return {item, std::nullopt};
}

namespace {

struct Spec {
  std::string flags;
  int width = -1, prec = -1;
};

std::string format_one(char verb, const Spec& sp, const Value& v);

// Go's fmt writes a value the verb does not fit as %!verb(type=value), the value printed as %v
// with the verb's width and precision still set ("%!d(string=  foo)" for %5d, fmt's own tests). A
// query's result is a slice: the verb applies to each sample, between brackets
// ("[%!f(*template.sample=&{map[__na:up] 0.1235})]" for %.4f, "[]" when empty; promtool shows both).
std::string bad_verb(char verb, const Value& v, const Spec& sp = {}) {
  std::string shown;
  switch (v.kind) {
  case Value::Kind::nil: return std::string("%!") + verb + "(<nil>)";
  case Value::Kind::samples: {
    std::string out = "[";
    for (std::size_t i = 0; i < v.samples->size(); ++i) {
      out += (i ? " " : "") + bad_verb(verb, Value::of_sample((*v.samples)[i]), sp);
    }
    return out + "]";
  }
  case Value::Kind::sample: {
    if (!v.sample) {
      shown = "<nil>";
      break;
    }
    const Value labels = Value::label_map(v.sample->labels); // sorted, as fmt prints a map
    shown = "&{map[";
    for (std::size_t i = 0; i < labels.labels->size(); ++i)
      shown += (i ? " " : "") + format_one('v', sp, Value::string((*labels.labels)[i].first)) + ":" +
               format_one('v', sp, Value::string((*labels.labels)[i].second));
    shown += "] " + format_one('v', sp, Value::floating(v.sample->value)) + "}";
    break;
  }
  case Value::Kind::floating:
  case Value::Kind::integer:
  case Value::Kind::string:
  case Value::Kind::html:
  case Value::Kind::boolean: shown = format_one('v', sp, v); break;
  default: shown = sprint_one(v);
  }
  return std::string("%!") + verb + "(" + type_name(v) + "=" + shown + ")";
}

// %c of an integer: Go writes U+FFFD for what is not a code point.
std::string utf8(std::int64_t cp) {
  std::string out;
  text::go::append_utf8(out, cp < 0 || cp > 0x10FFFF ? text::go::kRuneError : static_cast<char32_t>(cp));
  return out;
}

// Pads to the width, counted in runes as Go counts it.
std::string pad(std::string s, const Spec& sp, bool zero_ok) {
  std::size_t runes = 0;
  for (char c : s) runes += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  if (sp.width < 0 || static_cast<int>(runes) >= sp.width) return s;
  auto n = static_cast<std::size_t>(sp.width) - runes;
  if (sp.flags.find('-') != std::string::npos) return s + std::string(n, ' ');
  if (zero_ok && sp.flags.find('0') != std::string::npos) {
    std::size_t sign = (!s.empty() && (s[0] == '-' || s[0] == '+' || s[0] == ' ')) ? 1 : 0;
    return s.insert(sign, std::string(n, '0'));
  }
  return std::string(n, ' ') + s;
}

std::string c_format(const Spec& sp, const char* length, char verb, auto value) {
  std::string f = "%" + sp.flags;
  if (sp.width >= 0) f += std::to_string(sp.width);
  if (sp.prec >= 0) f += "." + std::to_string(sp.prec);
  f += length;
  f += verb;
  int n = std::snprintf(nullptr, 0, f.c_str(), value);
  std::string out(static_cast<std::size_t>(n < 0 ? 0 : n), '\0');
  std::snprintf(out.data(), out.size() + 1, f.c_str(), value);
  return out;
}

std::string format_one(char verb, const Spec& sp, const Value& v) {
  if (verb == 'T') return pad(v.kind == Value::Kind::nil ? "<nil>" : type_name(v), sp, false);
  switch (v.kind) {
  case Value::Kind::floating: {
    if (verb == 'v') {
      if (sp.prec < 0 && sp.flags.find('#') == std::string::npos) {
        // %+v is Go's "plusV" (field names), not a sign.
        return pad(format_float_v(v.f), sp, true);
      }
      verb = 'g';
    }
    if (verb != 'e' && verb != 'E' && verb != 'f' && verb != 'F' && verb != 'g' && verb != 'G')
      return bad_verb(verb, v, sp);
    if (std::isnan(v.f) || std::isinf(v.f)) {
      // Go keeps the sign of an infinity, and a NaN gets one only when asked.
      bool plus = sp.flags.find('+') != std::string::npos;
      std::string s = std::isnan(v.f) ? (plus ? "+NaN" : "NaN") : v.f > 0 ? "+Inf" : "-Inf";
      Spec nz = sp;
      nz.flags.erase(std::remove(nz.flags.begin(), nz.flags.end(), '0'), nz.flags.end());
      return pad(s, nz, false);
    }
    if (verb == 'F') verb = 'f';
    return c_format(sp, "", verb, v.f);
  }
  case Value::Kind::integer:
    switch (verb) {
    case 'v':
    case 'd': return c_format(sp, "ll", 'd', static_cast<long long>(v.i));
    case 'x':
    case 'X':
    case 'o':
      if (v.i < 0) return "-" + c_format(sp, "ll", verb, static_cast<unsigned long long>(-v.i));
      return c_format(sp, "ll", verb, static_cast<unsigned long long>(v.i));
    case 'b': {
      std::string bits;
      auto u = static_cast<unsigned long long>(v.i < 0 ? -v.i : v.i);
      do bits.insert(bits.begin(), static_cast<char>('0' + (u & 1)));
      while (u >>= 1);
      return pad(v.i < 0 ? "-" + bits : bits, sp, true);
    }
    case 'c': return pad(utf8(v.i), sp, false);
    case 'U': {
      char b[32];
      std::snprintf(b, sizeof b, "U+%04llX", static_cast<unsigned long long>(v.i));
      return pad(b, sp, false);
    }
    case 'q': return "'" + std::string(1, static_cast<char>(v.i)) + "'";
    default: return bad_verb(verb, v, sp);
    }
  case Value::Kind::string:
  case Value::Kind::html: {
    std::string s = v.s;
    if (verb == 'v' || verb == 's') {
      // The precision counts runes.
      if (sp.prec >= 0) {
        std::size_t k = 0;
        for (int n = 0; k < s.size() && n <= sp.prec; ++k)
          if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80 && n++ == sp.prec) break;
        s.resize(std::min(k, s.size()));
      }
      return pad(s, sp, false);
    }
    if (verb == 'q') return pad(text::go::quote(s), sp, false);
    if (verb == 'x' || verb == 'X') {
      std::string out;
      char b[4];
      for (char c : s) {
        std::snprintf(b, sizeof b, verb == 'x' ? "%02x" : "%02X", static_cast<unsigned char>(c));
        out += b;
      }
      return pad(out, sp, false);
    }
    return bad_verb(verb, v, sp);
  }
  case Value::Kind::boolean:
    if (verb == 'v' || verb == 't') return pad(v.b ? "true" : "false", sp, false);
    return bad_verb(verb, v, sp);
  case Value::Kind::nil:
    if (verb == 'v') return pad("<nil>", sp, false);
    return bad_verb(verb, v, sp);
  default:
    if (verb == 'v' || verb == 's') return pad(sprint_one(v), sp, false);
    return bad_verb(verb, v, sp);
  }
}

} // namespace

std::string sprintf(std::string_view format, const std::vector<Value>& args) {
  std::string out;
  std::size_t argi = 0;
  for (std::size_t i = 0; i < format.size(); ++i) {
    char c = format[i];
    if (c != '%') {
      out += c;
      continue;
    }
    Spec sp;
    ++i;
    while (i < format.size() && std::string_view("+-# 0").find(format[i]) != std::string_view::npos)
      sp.flags += format[i++];
    bool noverb = false;
    // A width or precision: digits (Go gives up past about 1e7: "%!(NOVERB)"), or '*' taking an
    // int argument ("%!(BADWIDTH)" / "%!(BADPREC)" when it is not one).
    auto number = [&](int& target, const char* bad) {
      if (i < format.size() && format[i] == '*') {
        ++i;
        if (argi < args.size() && args[argi].kind == Value::Kind::integer && std::llabs(args[argi].i) <= 1000000) {
          target = static_cast<int>(args[argi++].i);
          if (target < 0 && bad[6] == 'W') {
            sp.flags += '-';
            target = -target;
          } else if (target < 0) {
            target = -1;
          }
        } else {
          if (argi < args.size()) ++argi;
          out += bad;
          target = -1;
        }
        return;
      }
      if (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
        target = 0;
        while (i < format.size() && std::isdigit(static_cast<unsigned char>(format[i]))) {
          if (target > 1000000) {
            noverb = true;
            return;
          }
          target = target * 10 + (format[i++] - '0');
        }
      }
    };
    number(sp.width, "%!(BADWIDTH)");
    if (!noverb && i < format.size() && format[i] == '.') {
      ++i;
      sp.prec = 0;
      number(sp.prec, "%!(BADPREC)");
    }
    if (noverb || i >= format.size()) {
      out += "%!(NOVERB)";
      break;
    }
    char verb = format[i];
    if (verb == '%') {
      out += '%';
      continue;
    }
    if (argi >= args.size()) {
      out += std::string("%!") + verb + "(MISSING)";
      continue;
    }
    out += format_one(verb, sp, args[argi++]);
  }
  if (argi < args.size()) {
    out += "%!(EXTRA ";
    for (std::size_t k = argi; k < args.size(); ++k)
      out += (k > argi ? ", " : "") + type_name(args[k]) + "=" + sprint_one(args[k]);
    out += ")";
  }
  return out;
}

} // namespace nsmon::gotemplate::detail
