#include "nsmon/promql/json.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <vector>

#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/text/go.hpp"

// GCC 12 reports a false -Wrestrict for `"literal" + std::string` at -O2 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace nsmon::promql {

namespace {

std::string str(std::string_view s) {
  return nlohmann::json(std::string(s)).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Shortest round-trip form ("1", "0.5", "1e+21"); JSON has no NaN or infinities, so those are strings.
std::string num(double v) {
  if (std::isnan(v) || std::isinf(v)) return str(text::go::format_float(v));
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, p) : "0";
}

std::string labels(const std::vector<std::string>& l) {
  std::string out = "[";
  for (std::size_t i = 0; i < l.size(); ++i) out += (i ? ", " : "") + str(l[i]);
  return out + "]";
}

std::string at_value(const TimeModifiers& m) {
  switch (m.at) {
  case AtKind::timestamp: return num(static_cast<double>(m.at_ms) / 1000.0);
  case AtKind::start: return str("start()");
  case AtKind::end: return str("end()");
  case AtKind::none: break;
  }
  return "null";
}

std::string offset_value(const TimeModifiers& m) {
  if (m.offset_expr) return str(print(*m.offset_expr));
  if (m.offset_ns == 0) return "null";
  return str((m.offset_ns < 0 ? "-" : "") + format_duration(m.offset_ns < 0 ? -m.offset_ns : m.offset_ns));
}

// A field is either a ready JSON value or a child node.
struct Field {
  std::string key;
  std::string value;
  const Expr* node = nullptr;
  std::vector<const Expr*> list; ///< for "args"
  bool is_list = false;
};

std::vector<Field> fields_of(const Expr& e) {
  std::vector<Field> f;
  auto val = [&](std::string k, std::string v) { f.push_back({std::move(k), std::move(v), nullptr, {}, false}); };
  auto child = [&](std::string k, const Expr* n) {
    if (n) f.push_back({std::move(k), {}, n, {}, false});
    else val(std::move(k), "null");
  };
  switch (e.kind) {
  case NodeKind::number_literal:
    val("value", num(e.as<NumberLiteral>().value));
    val("duration", e.as<NumberLiteral>().duration ? "true" : "false");
    break;
  case NodeKind::string_literal: val("value", str(e.as<StringLiteral>().value)); break;
  case NodeKind::vector_selector: {
    const auto& vs = e.as<VectorSelector>();
    val("name", str(vs.name));
    std::string ms = "[";
    for (std::size_t i = 0; i < vs.matchers.size(); ++i) {
      const auto& m = vs.matchers[i];
      ms += (i ? ", " : "") + std::string("{\"name\": ") + str(m.name) + ", \"op\": " + str(to_string(m.op)) +
            ", \"value\": " + str(m.value) + ", \"start\": " + std::to_string(m.range.start) +
            ", \"end\": " + std::to_string(m.range.end) + "}";
    }
    val("matchers", ms + "]");
    val("offset", offset_value(vs.modifiers));
    val("at", at_value(vs.modifiers));
    val("anchored", vs.anchored ? "true" : "false");
    val("smoothed", vs.smoothed ? "true" : "false");
    break;
  }
  case NodeKind::matrix_selector: {
    const auto& m = e.as<MatrixSelector>();
    val("range", str(m.range_expr ? print(*m.range_expr) : format_duration(m.range_ns)));
    child("selector", m.selector);
    break;
  }
  case NodeKind::subquery: {
    const auto& s = e.as<SubqueryExpr>();
    val("range", str(s.range_expr ? print(*s.range_expr) : format_duration(s.range_ns)));
    val("step", s.step_expr ? str(print(*s.step_expr)) : s.step_ns ? str(format_duration(s.step_ns)) : "null");
    val("offset", offset_value(s.modifiers));
    val("at", at_value(s.modifiers));
    child("expr", s.expr);
    break;
  }
  case NodeKind::paren: child("expr", e.as<ParenExpr>().expr); break;
  case NodeKind::unary:
    val("op", str(e.as<UnaryExpr>().op == UnaryOp::minus ? "-" : "+"));
    child("expr", e.as<UnaryExpr>().expr);
    break;
  case NodeKind::binary: {
    const auto& b = e.as<BinaryExpr>();
    val("op", str(to_string(b.op)));
    val("bool", b.return_bool ? "true" : "false");
    if (const VectorMatching* vm = b.matching()) {
      std::string m = "{\"card\": " + str(to_string(vm->card)) + ", \"on\": " + (vm->on ? "true" : "false") +
                      ", \"labels\": " + labels(vm->labels) + ", \"include\": " + labels(vm->include) +
                      ", \"fill_left\": " + (vm->fill_lhs ? num(*vm->fill_lhs) : "null") +
                      ", \"fill_right\": " + (vm->fill_rhs ? num(*vm->fill_rhs) : "null") + "}";
      val("matching", m);
    } else {
      val("matching", "null");
    }
    child("lhs", b.lhs);
    child("rhs", b.rhs);
    break;
  }
  case NodeKind::aggregate: {
    const auto& a = e.as<AggregateExpr>();
    val("op", str(to_string(a.op)));
    val("grouping", labels(a.grouping));
    val("without", a.without ? "true" : "false");
    child("param", a.param);
    child("expr", a.expr);
    break;
  }
  case NodeKind::call: {
    const auto& c = e.as<Call>();
    val("function", str(c.name));
    Field args{"args", {}, nullptr, {}, true};
    for (const Expr* a : c.args) args.list.push_back(a);
    f.push_back(std::move(args));
    break;
  }
  case NodeKind::duration: {
    const auto& d = e.as<DurationExpr>();
    val("op", str(to_string(d.op)));
    val("text", str(print(d)));
    break;
  }
  }
  return f;
}

} // namespace

std::string to_json(const Expr& root, int indent) {
  struct Piece {
    const Expr* node;
    int depth;
    std::string text;
  };
  auto nl = [&](int depth) {
    if (indent <= 0) return std::string();
    return "\n" + std::string(static_cast<std::size_t>(std::min(depth, 64) * indent), ' ');
  };
  const std::string sep = indent > 0 ? ": " : ":";
  std::string out;
  std::vector<Piece> work;
  work.push_back({&root, 0, {}});
  while (!work.empty()) {
    Piece p = std::move(work.back());
    work.pop_back();
    if (!p.node) {
      out += p.text;
      continue;
    }
    const Expr& e = *p.node;
    const int d = p.depth + 1;
    std::vector<Piece> parts;
    auto text = [&](std::string s) { parts.push_back({nullptr, 0, std::move(s)}); };
    text("{" + nl(d) + "\"node\"" + sep + str(to_string(e.kind)) + "," + nl(d) + "\"type\"" + sep +
         str(to_string(e.type)) + "," + nl(d) + "\"start\"" + sep + std::to_string(e.range.start) + "," + nl(d) +
         "\"end\"" + sep + std::to_string(e.range.end));
    for (auto& f : fields_of(e)) {
      text("," + nl(d) + str(f.key) + sep);
      if (f.is_list) {
        if (f.list.empty()) {
          text("[]");
          continue;
        }
        text("[");
        for (std::size_t i = 0; i < f.list.size(); ++i) {
          text((i ? "," : "") + nl(d + 1));
          parts.push_back({f.list[i], d + 1, {}});
        }
        text(nl(d) + "]");
      } else if (f.node) {
        parts.push_back({f.node, d, {}});
      } else {
        text(f.value);
      }
    }
    text(nl(p.depth) + "}");
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) work.push_back(std::move(*it));
  }
  return out;
}

std::string to_text_tree(const Expr& root) {
  std::string out;
  walk(root, [&](const Expr& e, std::span<const Expr* const> path) {
    out += std::string(std::min<std::size_t>(path.size(), 64) * 2, ' ');
    out += std::string(to_string(e.kind)) + " <" + documented_name(e.type) + "> " + std::to_string(e.range.start) +
           ".." + std::to_string(e.range.end);
    switch (e.kind) {
    case NodeKind::number_literal: out += " " + text::go::format_float(e.as<NumberLiteral>().value); break;
    case NodeKind::string_literal: out += " " + text::go::quote(e.as<StringLiteral>().value); break;
    case NodeKind::vector_selector:
    case NodeKind::matrix_selector:
    case NodeKind::duration: out += " " + print(e); break;
    case NodeKind::subquery: {
      const auto& s = e.as<SubqueryExpr>();
      out += " [" + (s.range_expr ? print(*s.range_expr) : format_duration(s.range_ns)) + ":" +
             (s.step_expr ? print(*s.step_expr)
              : s.step_ns ? format_duration(s.step_ns)
                          : "") +
             "]";
      break;
    }
    case NodeKind::unary: out += e.as<UnaryExpr>().op == UnaryOp::minus ? " -" : " +"; break;
    case NodeKind::binary: out += std::string(" ") + to_string(e.as<BinaryExpr>().op); break;
    case NodeKind::aggregate: out += std::string(" ") + to_string(e.as<AggregateExpr>().op); break;
    case NodeKind::call: out += " " + e.as<Call>().name + "()"; break;
    case NodeKind::paren: break;
    }
    out += "\n";
    return true;
  });
  return out;
}

} // namespace nsmon::promql
