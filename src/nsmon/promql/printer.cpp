#include "nsmon/promql/printer.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "nsmon/promql/functions.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"

// GCC 12 reports a false -Wrestrict for `"literal" + std::string` at -O2 (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace nsmon::promql {

namespace {

bool legacy_label_name(std::string_view s) {
  if (s.empty()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if ((a[i] | 0x20) != b[i]) return false;
  return true;
}

std::string format_labels(const std::vector<std::string>& labels) {
  std::string out;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ", ";
    out += format_label_name(labels[i]);
  }
  return out;
}

// After `offset`, arithmetic that is not in parentheses would be read back as arithmetic on the
// selector ("foo offset 1 - 2" is "(foo offset 1s) - 2"), so such offsets print in parentheses.
bool offset_needs_parens(const DurationExpr& e) {
  const DurationExpr* d = &e;
  for (;;) {
    bool arithmetic = d->op != DurationOp::step && d->op != DurationOp::range && d->op != DurationOp::min_of &&
                      d->op != DurationOp::max_of;
    if (d->wrapped || !arithmetic) return false;
    if (d->lhs) return true;
    if (!d->rhs || d->rhs->kind != NodeKind::duration) return false;
    d = &d->rhs->as<DurationExpr>();
  }
}

std::string format_modifiers(const TimeModifiers& m, bool anchored, bool smoothed, bool at_first) {
  std::string at;
  switch (m.at) {
  case AtKind::timestamp: at = " @ " + text::go::format_float3(static_cast<double>(m.at_ms) / 1000.0); break;
  case AtKind::start: at = " @ start()"; break;
  case AtKind::end: at = " @ end()"; break;
  case AtKind::none: break;
  }
  std::string ext = anchored ? " anchored" : smoothed ? " smoothed" : "";
  std::string offset;
  if (m.offset_expr) {
    offset =
        " offset " + (offset_needs_parens(*m.offset_expr) ? "(" + print(*m.offset_expr) + ")" : print(*m.offset_expr));
  } else if (m.offset_ns > 0) {
    offset = " offset " + format_duration(m.offset_ns);
  } else if (m.offset_ns < 0) {
    offset = " offset -" + format_duration(m.offset_ns == INT64_MIN ? INT64_MAX : -m.offset_ns);
  }
  return at_first ? at + ext + offset : ext + at + offset;
}

std::string format_vector_matching(const BinaryExpr& b) {
  const VectorMatching* vm = b.matching();
  if (!vm) return "";
  std::string out;
  bool grouped = vm->card == Cardinality::many_to_one || vm->card == Cardinality::one_to_many;
  if (!vm->labels.empty() || vm->on || grouped)
    out += std::string(vm->on ? " on (" : " ignoring (") + format_labels(vm->labels) + ")";
  if (grouped)
    out += std::string(vm->card == Cardinality::many_to_one ? " group_left (" : " group_right (") +
           format_labels(vm->include) + ")";
  if (vm->fill_lhs || vm->fill_rhs) {
    if (vm->fill_lhs && vm->fill_rhs && *vm->fill_lhs == *vm->fill_rhs) {
      out += " fill (" + text::go::format_float_v(*vm->fill_lhs) + ")";
    } else {
      if (vm->fill_lhs) out += " fill_left (" + text::go::format_float_v(*vm->fill_lhs) + ")";
      if (vm->fill_rhs) out += " fill_right (" + text::go::format_float_v(*vm->fill_rhs) + ")";
    }
  }
  return out;
}

std::string range_text(std::int64_t ns, const DurationExpr* expr) { return expr ? print(*expr) : format_duration(ns); }

bool is_plus_inf(const Expr& e) {
  return e.kind == NodeKind::number_literal && !e.as<NumberLiteral>().duration && e.as<NumberLiteral>().value > 0 &&
         std::isinf(e.as<NumberLiteral>().value);
}

struct Piece {
  const Expr* node = nullptr;
  std::string text;
};

// Pushes the parts of a node in reverse order onto the work stack.
void expand(const Expr& e, std::vector<Piece>& work) {
  auto text = [&](std::string s) { work.push_back({nullptr, std::move(s)}); };
  auto node = [&](const Expr* n) { work.push_back({n, {}}); };
  switch (e.kind) {
  case NodeKind::number_literal: {
    const auto& n = e.as<NumberLiteral>();
    if (n.duration) {
      std::int64_t ns = text::go::seconds_to_ns(n.value < 0 ? -n.value : n.value);
      text((n.value < 0 ? "-" : "") + format_duration(ns));
    } else {
      text(text::go::format_float(n.value));
    }
    return;
  }
  case NodeKind::string_literal: text(text::go::quote(e.as<StringLiteral>().value)); return;
  case NodeKind::vector_selector: {
    const auto& vs = e.as<VectorSelector>();
    std::vector<std::string> ms;
    for (const auto& m : vs.matchers) ms.push_back(format_matcher(m));
    std::sort(ms.begin(), ms.end());
    std::string out = vs.name;
    // An empty selector (valid only as info()'s second argument) prints as "{}", not as nothing.
    if (!ms.empty() || vs.name.empty()) {
      out += '{';
      for (std::size_t i = 0; i < ms.size(); ++i) out += (i ? "," : "") + ms[i];
      out += '}';
    }
    text(out + format_modifiers(vs.modifiers, vs.anchored, vs.smoothed, true));
    return;
  }
  case NodeKind::matrix_selector: {
    const auto& m = e.as<MatrixSelector>();
    if (m.selector->kind != NodeKind::vector_selector) {
      text("[" + range_text(m.range_ns, m.range_expr) + "]");
      node(m.selector);
      return;
    }
    const auto& vs = m.selector->as<VectorSelector>();
    std::vector<std::string> ms;
    for (const auto& x : vs.matchers) ms.push_back(format_matcher(x));
    std::sort(ms.begin(), ms.end());
    std::string out = vs.name;
    if (!ms.empty()) {
      out += '{';
      for (std::size_t i = 0; i < ms.size(); ++i) out += (i ? "," : "") + ms[i];
      out += '}';
    }
    out += "[" + range_text(m.range_ns, m.range_expr) + "]";
    text(out + format_modifiers(vs.modifiers, vs.anchored, vs.smoothed, false));
    return;
  }
  case NodeKind::subquery: {
    const auto& s = e.as<SubqueryExpr>();
    std::string step = s.step_expr ? print(*s.step_expr) : s.step_ns != 0 ? format_duration(s.step_ns) : "";
    text("[" + range_text(s.range_ns, s.range_expr) + ":" + step + "]" +
         format_modifiers(s.modifiers, false, false, true));
    node(s.expr);
    return;
  }
  case NodeKind::paren:
    text(")");
    node(e.as<ParenExpr>().expr);
    text("(");
    return;
  case NodeKind::unary:
    node(e.as<UnaryExpr>().expr);
    text(e.as<UnaryExpr>().op == UnaryOp::minus ? "-" : "+");
    return;
  case NodeKind::binary: {
    const auto& b = e.as<BinaryExpr>();
    node(b.rhs);
    text(std::string(" ") + to_string(b.op) + (b.return_bool ? " bool" : "") + format_vector_matching(b) + " ");
    // Inf prints as "+Inf", as in Prometheus (annotation positions in a re-printed query depend on
    // it), but before "^" that reads back as a unary plus: "+Inf ^ y" is "+(Inf ^ y)".
    if (b.op == BinaryOp::pow && is_plus_inf(*b.lhs)) text("Inf");
    else node(b.lhs);
    return;
  }
  case NodeKind::aggregate: {
    const auto& a = e.as<AggregateExpr>();
    std::string head = to_string(a.op);
    if (a.without) head += " without (" + format_labels(a.grouping) + ") ";
    else if (!a.grouping.empty()) head += " by (" + format_labels(a.grouping) + ") ";
    text(")");
    node(a.expr);
    if (a.param) {
      text(", ");
      node(a.param);
    }
    text(head + "(");
    return;
  }
  case NodeKind::call: {
    const auto& c = e.as<Call>();
    text(")");
    for (std::size_t i = c.args.size(); i-- > 0;) {
      node(c.args[i]);
      if (i > 0) text(", ");
    }
    text(c.name + "(");
    return;
  }
  case NodeKind::duration: {
    const auto& d = e.as<DurationExpr>();
    if (d.wrapped) text(")");
    switch (d.op) {
    case DurationOp::step: text("step()"); break;
    case DurationOp::range: text("range()"); break;
    case DurationOp::min_of:
    case DurationOp::max_of:
      text(")");
      node(d.rhs);
      text(", ");
      node(d.lhs);
      text(std::string(to_string(d.op)) + "(");
      break;
    default:
      if (!d.lhs) {
        node(d.rhs);
        if (d.op == DurationOp::sub) text("-");
      } else {
        node(d.rhs);
        text(std::string(" ") + to_string(d.op) + " ");
        node(d.lhs);
      }
      break;
    }
    if (d.wrapped) text("(");
    return;
  }
  }
}

} // namespace

std::string print_selector(const VectorSelector& vs) {
  VectorSelector bare;
  bare.name = vs.name;
  bare.matchers = vs.matchers;
  return print(bare);
}

std::string format_matcher(const labels::Matcher& m) {
  // Matcher names are lexed as plain identifiers inside braces, so only legacy validity matters.
  std::string out = legacy_label_name(m.name) ? m.name : text::go::quote(m.name);
  out += to_string(m.op);
  out += text::go::quote(m.value);
  return out;
}

std::string format_label_name(std::string_view name) {
  // Legacy names print bare, except words the lexer would not read back as a label here.
  if (legacy_label_name(name) && !iequals(name, "without") && !iequals(name, "inf") && !iequals(name, "nan"))
    return std::string(name);
  return text::go::quote(name);
}

std::string format_duration(std::int64_t ns) {
  if (ns % 1000000 == 0) return text::format_duration(ns / 1000000);
  return text::go::format_float(static_cast<double>(ns) / 1e9);
}

std::string print(const Expr& root) {
  std::string out;
  std::vector<Piece> work;
  work.push_back({&root, {}});
  while (!work.empty()) {
    Piece p = std::move(work.back());
    work.pop_back();
    if (p.node) {
      expand(*p.node, work);
    } else {
      out += p.text;
    }
  }
  return out;
}

} // namespace nsmon::promql
