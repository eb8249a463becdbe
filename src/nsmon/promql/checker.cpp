// The type checker: Prometheus's checkAST, run without recursion. Each node is visited by a frame
// that resumes after each child, so that errors come out in exactly Prometheus's order.
#include <array>
#include <cstddef>
#include <memory_resource>
#include <vector>

#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/parser_impl.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::promql::detail {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

class Checker {
public:
  Checker(std::string_view input, std::vector<ParseError>& errors) : in_(input), errors_(errors) {}

  void run(Expr* root) {
    stack_.reserve(kStackDepth);
    stack_.push_back({root});
    while (!stack_.empty()) step();
  }

private:
  struct Frame {
    Expr* node;
    int stage = 0;
    std::size_t index = 0;
    ValueType lhs = ValueType::none;
  };

  void error(PosRange r, std::string msg) { errors_.push_back({r, std::move(msg)}); }

  // Visits a child; its type arrives in `result_` when this frame resumes.
  void visit(Expr* child) { stack_.push_back({child}); }

  void finish(const Frame& f) {
    result_ = f.node->type;
    stack_.pop_back();
  }

  // The operator's position: from the end of the left operand to the start of the right one,
  // without surrounding spaces (Prometheus's opRange).
  PosRange op_range(const BinaryExpr& b) const {
    PosRange r{b.lhs->range.end, b.rhs->range.start > 0 ? b.rhs->range.start - 1 : 0};
    while (r.start < in_.size() && is_space(in_[r.start])) ++r.start;
    while (r.end > 0 && r.end < in_.size() && is_space(in_[r.end])) --r.end;
    return r;
  }

  void expect(const Expr* e, ValueType got, ValueType want, const char* context) {
    if (got != want)
      error(e->range,
            std::string("expected type ") + documented_name(want) + " in " + context + ", got " + documented_name(got));
  }

  void step();
  void check_binary(BinaryExpr& b, ValueType lt, ValueType rt);
  bool check_call(Frame& f);
  void check_selector(VectorSelector& vs);

  std::string_view in_;
  std::vector<ParseError>& errors_;
  // The frames, in a buffer of the checker (on the caller's stack) for the first 32 levels: a file
  // of 10,000 rules checks 10,000 expressions, most a few levels deep.
  static constexpr std::size_t kStackDepth = 32;
  alignas(Frame) std::array<std::byte, kStackDepth * sizeof(Frame)> stack_buffer_;
  std::pmr::monotonic_buffer_resource stack_memory_{stack_buffer_.data(), stack_buffer_.size()};
  std::pmr::vector<Frame> stack_{&stack_memory_};
  ValueType result_ = ValueType::none;
};

void Checker::step() {
  Frame& f = stack_.back();
  Expr* n = f.node;
  switch (n->kind) {
  case NodeKind::number_literal:
  case NodeKind::string_literal: finish(f); return;
  case NodeKind::vector_selector:
    check_selector(n->as<VectorSelector>());
    finish(f);
    return;
  case NodeKind::matrix_selector:
    if (f.stage++ == 0) return visit(n->as<MatrixSelector>().selector);
    finish(f);
    return;
  case NodeKind::paren:
    if (f.stage++ == 0) return visit(n->as<ParenExpr>().expr);
    finish(f);
    return;
  case NodeKind::unary:
    if (f.stage++ == 0) return visit(n->as<UnaryExpr>().expr);
    if (result_ != ValueType::scalar && result_ != ValueType::vector)
      error(n->range, "unary expression only allowed on expressions of type scalar or instant vector, got " +
                          text::go::quote(documented_name(result_)));
    finish(f);
    return;
  case NodeKind::subquery:
    if (f.stage++ == 0) return visit(n->as<SubqueryExpr>().expr);
    if (result_ != ValueType::vector)
      error(n->range,
            std::string("subquery is only allowed on instant vector, got ") + to_string(result_) + " instead");
    finish(f);
    return;
  case NodeKind::aggregate: {
    auto& ag = n->as<AggregateExpr>();
    switch (f.stage++) {
    case 0: return visit(ag.expr);
    case 1:
      expect(ag.expr, result_, ValueType::vector, "aggregation expression");
      if (ag.param && takes_parameter(ag.op)) return visit(ag.param);
      break;
    case 2:
      expect(ag.param, result_, ag.op == AggregateOp::count_values ? ValueType::string : ValueType::scalar,
             "aggregation parameter");
      break;
    }
    finish(f);
    return;
  }
  case NodeKind::binary: {
    auto& b = n->as<BinaryExpr>();
    switch (f.stage++) {
    case 0: return visit(b.lhs);
    case 1: f.lhs = result_; return visit(b.rhs);
    default: check_binary(b, f.lhs, result_); break;
    }
    finish(f);
    return;
  }
  case NodeKind::call:
    if (check_call(f)) finish(f);
    return;
  case NodeKind::duration:
    error(n->range, "unknown node type: *parser.DurationExpr");
    finish(f);
    return;
  }
}

void Checker::check_binary(BinaryExpr& b, ValueType lt, ValueType rt) {
  if (b.return_bool && !is_comparison(b.op))
    error(op_range(b), "bool modifier can only be used on comparison operators");
  if (is_comparison(b.op) && !b.return_bool && b.rhs->type == ValueType::scalar && b.lhs->type == ValueType::scalar)
    error(op_range(b), "comparisons between scalars must use BOOL modifier");
  VectorMatching defaults;
  VectorMatching& vm = b.modifiers ? *b.modifiers : defaults;
  if (is_set_operator(b.op) && vm.card == Cardinality::one_to_one) vm.card = Cardinality::many_to_many;
  for (const auto& l1 : vm.labels)
    for (const auto& l2 : vm.include)
      if (l1 == l2 && vm.on)
        error(op_range(b), "label " + text::go::quote(l1) + " must not occur in ON and GROUP clause at once");
  if (lt != ValueType::scalar && lt != ValueType::vector)
    error(b.lhs->range, "binary expression must contain only scalar and instant vector types");
  if (rt != ValueType::scalar && rt != ValueType::vector)
    error(b.rhs->range, "binary expression must contain only scalar and instant vector types");
  bool fill = vm.fill_lhs.has_value() || vm.fill_rhs.has_value();
  if (lt != ValueType::vector || rt != ValueType::vector) {
    if (!vm.labels.empty()) error(b.range, "vector matching only allowed between instant vectors");
    if (fill) error(b.range, "filling in missing series only allowed between instant vectors");
  } else if (is_set_operator(b.op)) {
    if (vm.card == Cardinality::one_to_many || vm.card == Cardinality::many_to_one)
      error(b.range, "no grouping allowed for " + text::go::quote(to_string(b.op)) + " operation");
    if (vm.card != Cardinality::many_to_many) error(b.range, "set operations must always be many-to-many");
    if (fill) error(b.range, "filling in missing series not allowed for set operators");
  }
  if ((lt == ValueType::scalar || rt == ValueType::scalar) && is_set_operator(b.op))
    error(b.range, "set operator " + text::go::quote(to_string(b.op)) + " not allowed in binary scalar expression");
}

// Returns true when the call is fully checked.
bool Checker::check_call(Frame& f) {
  auto& c = f.node->as<Call>();
  const Function& fn = *c.func;
  const auto types = fn.arg_types();
  const std::size_t nargs = types.size();
  if (f.stage == 0) {
    f.stage = 1;
    // The function's name quoted, for an error only: every call is checked, few are wrong.
    auto name = [&] { return text::go::quote(fn.name); };
    if (fn.variadic == 0) {
      if (nargs != c.args.size())
        error(c.range, "expected " + std::to_string(nargs) + " argument(s) in call to " + name() + ", got " +
                           std::to_string(c.args.size()));
    } else {
      std::size_t na = nargs - 1;
      if (na > c.args.size()) {
        error(c.range, "expected at least " + std::to_string(na) + " argument(s) in call to " + name() + ", got " +
                           std::to_string(c.args.size()));
      } else if (fn.variadic > 0 && na + static_cast<std::size_t>(fn.variadic) < c.args.size()) {
        error(c.range, "expected at most " + std::to_string(na + static_cast<std::size_t>(fn.variadic)) +
                           " argument(s) in call to " + name() + ", got " + std::to_string(c.args.size()));
      }
    }
    // info()'s second argument selects labels only: a selector without a metric name.
    if (fn.name == "info" && c.args.size() > 1) {
      Expr* sel = c.args[1];
      if (sel->type != ValueType::vector)
        error(c.range, std::string("expected type instant vector in call to function \"info\", got ") +
                           documented_name(sel->type));
      if (sel->kind == NodeKind::vector_selector && !sel->as<VectorSelector>().name.empty()) {
        error(sel->range, "expected label selectors only, got vector selector instead");
      } else if (sel->kind == NodeKind::vector_selector) {
        sel->as<VectorSelector>().bypass_empty_matcher_check = true;
      } else {
        error(sel->range, "expected label selectors only");
      }
    }
  } else {
    // Resumed after checking argument index-1.
    std::size_t i = f.index - 1;
    std::size_t t = i < nargs ? i : nargs - 1;
    if (result_ != types[t])
      error(c.args[i]->range, std::string("expected type ") + documented_name(types[t]) + " in call to function " +
                                  text::go::quote(fn.name) + ", got " + documented_name(result_));
  }
  if (f.index < c.args.size() && !(f.index >= nargs && fn.variadic == 0)) {
    visit(c.args[f.index++]);
    return false;
  }
  return true;
}

void Checker::check_selector(VectorSelector& vs) {
  if (!vs.name.empty()) {
    for (const auto& m : vs.matchers)
      if (m.name == "__name__")
        error(vs.range,
              "metric name must not be set twice: " + text::go::quote(vs.name) + " or " + text::go::quote(m.value));
    return;
  }
  if (vs.bypass_empty_matcher_check) return;
  for (const auto& m : vs.matchers)
    if (!matches_empty(m)) return;
  error(vs.range, "vector selector must contain at least one non-empty matcher");
}

} // namespace

void check_ast(Expr* root, std::string_view input, std::vector<ParseError>& errors) {
  Checker(input, errors).run(root);
}

} // namespace nsmon::promql::detail
