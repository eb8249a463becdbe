#include "nsmon/promql/ast.hpp"

#include <algorithm>
#include <array>
#include <memory_resource>

namespace nsmon::promql {

const char* to_string(ValueType t) {
  switch (t) {
  case ValueType::none: return "none";
  case ValueType::scalar: return "scalar";
  case ValueType::vector: return "vector";
  case ValueType::matrix: return "matrix";
  case ValueType::string: return "string";
  }
  return "none";
}

const char* documented_name(ValueType t) {
  switch (t) {
  case ValueType::vector: return "instant vector";
  case ValueType::matrix: return "range vector";
  default: return to_string(t);
  }
}

const char* to_string(NodeKind k) {
  switch (k) {
  case NodeKind::number_literal: return "NumberLiteral";
  case NodeKind::string_literal: return "StringLiteral";
  case NodeKind::vector_selector: return "VectorSelector";
  case NodeKind::matrix_selector: return "MatrixSelector";
  case NodeKind::subquery: return "SubqueryExpr";
  case NodeKind::paren: return "ParenExpr";
  case NodeKind::unary: return "UnaryExpr";
  case NodeKind::binary: return "BinaryExpr";
  case NodeKind::aggregate: return "AggregateExpr";
  case NodeKind::call: return "Call";
  case NodeKind::duration: return "DurationExpr";
  }
  return "?";
}

const char* to_string(BinaryOp op) {
  switch (op) {
  case BinaryOp::add: return "+";
  case BinaryOp::sub: return "-";
  case BinaryOp::mul: return "*";
  case BinaryOp::div: return "/";
  case BinaryOp::mod: return "%";
  case BinaryOp::pow: return "^";
  case BinaryOp::atan2: return "atan2";
  case BinaryOp::eql: return "==";
  case BinaryOp::neq: return "!=";
  case BinaryOp::gtr: return ">";
  case BinaryOp::lss: return "<";
  case BinaryOp::gte: return ">=";
  case BinaryOp::lte: return "<=";
  case BinaryOp::trim_upper: return "</";
  case BinaryOp::trim_lower: return ">/";
  case BinaryOp::land: return "and";
  case BinaryOp::lor: return "or";
  case BinaryOp::lunless: return "unless";
  }
  return "?";
}

bool is_comparison(BinaryOp op) {
  return op == BinaryOp::eql || op == BinaryOp::neq || op == BinaryOp::gtr || op == BinaryOp::lss ||
         op == BinaryOp::gte || op == BinaryOp::lte;
}

bool is_set_operator(BinaryOp op) { return op == BinaryOp::land || op == BinaryOp::lor || op == BinaryOp::lunless; }

const char* to_string(AggregateOp op) {
  switch (op) {
  case AggregateOp::sum: return "sum";
  case AggregateOp::avg: return "avg";
  case AggregateOp::count: return "count";
  case AggregateOp::min: return "min";
  case AggregateOp::max: return "max";
  case AggregateOp::group: return "group";
  case AggregateOp::stddev: return "stddev";
  case AggregateOp::stdvar: return "stdvar";
  case AggregateOp::topk: return "topk";
  case AggregateOp::bottomk: return "bottomk";
  case AggregateOp::count_values: return "count_values";
  case AggregateOp::quantile: return "quantile";
  case AggregateOp::limitk: return "limitk";
  case AggregateOp::limit_ratio: return "limit_ratio";
  }
  return "?";
}

bool takes_parameter(AggregateOp op) {
  return op == AggregateOp::topk || op == AggregateOp::bottomk || op == AggregateOp::count_values ||
         op == AggregateOp::quantile || op == AggregateOp::limitk || op == AggregateOp::limit_ratio;
}

bool is_experimental(AggregateOp op) { return op == AggregateOp::limitk || op == AggregateOp::limit_ratio; }

const char* to_string(DurationOp op) {
  switch (op) {
  case DurationOp::add: return "+";
  case DurationOp::sub: return "-";
  case DurationOp::mul: return "*";
  case DurationOp::div: return "/";
  case DurationOp::mod: return "%";
  case DurationOp::pow: return "^";
  case DurationOp::step: return "step";
  case DurationOp::range: return "range";
  case DurationOp::min_of: return "min_of";
  case DurationOp::max_of: return "max_of";
  }
  return "?";
}

const char* to_string(Cardinality c) {
  switch (c) {
  case Cardinality::one_to_one: return "one-to-one";
  case Cardinality::many_to_one: return "many-to-one";
  case Cardinality::one_to_many: return "one-to-many";
  case Cardinality::many_to_many: return "many-to-many";
  }
  return "?";
}

const VectorMatching* BinaryExpr::matching() const {
  static const VectorMatching one_to_one{};
  static const VectorMatching many_to_many{Cardinality::many_to_many, false, {}, {}, {}, {}, false};
  if (!lhs || !rhs || lhs->type != ValueType::vector || rhs->type != ValueType::vector) return nullptr;
  if (modifiers) return modifiers;
  return is_set_operator(op) ? &many_to_many : &one_to_one;
}

Arena::~Arena() {
  for (auto it = destructors_.rbegin(); it != destructors_.rend(); ++it) it->destroy(it->object);
}

void* Arena::allocate_block(std::size_t size) {
  // Blocks grow from 4 KiB to 1 MiB, so small expressions stay cheap and big ones need few.
  capacity_ =
      std::max<std::size_t>(size, std::min<std::size_t>(4096u << std::min<std::size_t>(blocks_.size(), 8), 1u << 20));
  blocks_.push_back(std::make_unique_for_overwrite<std::byte[]>(capacity_)); // every object is constructed in it
  used_ = size;
  return blocks_.back().get();
}

const std::string& metric_name(const VectorSelector& vs) {
  static const std::string none;
  if (!vs.name.empty()) return vs.name;
  for (const auto& m : vs.matchers)
    if (m.name == "__name__" && m.op == MatchOp::equal) return m.value;
  return none;
}

namespace {

// How many child slots a node has, and the i-th of them (null when empty, as an aggregation's
// missing parameter), in evaluation order (as Prometheus's Children(): an aggregation's
// expression comes before its parameter; duration expressions are not children).
std::size_t child_slots(const Expr& e) {
  switch (e.kind) {
  case NodeKind::aggregate:
  case NodeKind::binary: return 2;
  case NodeKind::call: return e.as<Call>().args.size();
  case NodeKind::subquery:
  case NodeKind::paren:
  case NodeKind::unary:
  case NodeKind::matrix_selector: return 1;
  default: return 0;
  }
}

const Expr* child_slot(const Expr& e, std::size_t i) {
  switch (e.kind) {
  case NodeKind::aggregate: return i == 0 ? e.as<AggregateExpr>().expr : e.as<AggregateExpr>().param;
  case NodeKind::binary: return i == 0 ? e.as<BinaryExpr>().lhs : e.as<BinaryExpr>().rhs;
  case NodeKind::call: return e.as<Call>().args[i];
  case NodeKind::subquery: return e.as<SubqueryExpr>().expr;
  case NodeKind::paren: return e.as<ParenExpr>().expr;
  case NodeKind::unary: return e.as<UnaryExpr>().expr;
  case NodeKind::matrix_selector: return e.as<MatrixSelector>().selector;
  default: return nullptr;
  }
}

} // namespace

void walk(const Expr& root, const Visitor& visit) {
  struct Frame {
    const Expr* node;
    std::size_t next;
  };
  // The stacks start in a buffer here (the linter walks every expression several times; most
  // are a few levels deep), and go on in the heap for deeper trees.
  std::array<std::byte, 1024> buffer;
  std::pmr::monotonic_buffer_resource memory(buffer.data(), buffer.size());
  std::pmr::vector<const Expr*> path(&memory);
  std::pmr::vector<Frame> stack(&memory);
  path.reserve(16);
  stack.reserve(16);
  if (!visit(root, path)) return;
  stack.push_back({&root, 0});
  path.push_back(&root);
  while (!stack.empty()) {
    Frame& f = stack.back();
    if (f.next == child_slots(*f.node)) {
      stack.pop_back();
      path.pop_back();
      continue;
    }
    const Expr* child = child_slot(*f.node, f.next++);
    if (child && visit(*child, path)) {
      stack.push_back({child, 0});
      path.push_back(child);
    }
  }
}

std::set<std::string> metric_names(const Expr& root) {
  std::set<std::string> out;
  walk(root, [&](const Expr& n, std::span<const Expr* const>) {
    if (n.kind == NodeKind::vector_selector)
      if (const std::string& name = metric_name(n.as<VectorSelector>()); !name.empty()) out.insert(name);
    return true;
  });
  return out;
}

} // namespace nsmon::promql
