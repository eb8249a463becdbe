#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "nsmon/labels/labels.hpp"

namespace nsmon::promql {

struct Function;

/// A byte range [start, end) in the parsed expression.
struct PosRange {
  std::size_t start = 0;
  std::size_t end = 0;
};

/// Value types, as Prometheus names them internally ("vector") and in messages ("instant vector").
enum class ValueType : std::uint8_t { none, scalar, vector, matrix, string };
const char* to_string(ValueType t);
const char* documented_name(ValueType t);

enum class NodeKind : std::uint8_t {
  number_literal,
  string_literal,
  vector_selector,
  matrix_selector,
  subquery,
  paren,
  unary,
  binary,
  aggregate,
  call,
  duration, ///< a duration expression (experimental): `[5m + step()]`, `offset (1h * 2)`
};
const char* to_string(NodeKind k);

enum class BinaryOp : std::uint8_t {
  add,
  sub,
  mul,
  div,
  mod,
  pow,
  atan2,
  eql,
  neq,
  gtr,
  lss,
  gte,
  lte,
  trim_upper,
  trim_lower,
  land,
  lor,
  lunless,
};
const char* to_string(BinaryOp op);
bool is_comparison(BinaryOp op);
bool is_set_operator(BinaryOp op);

enum class AggregateOp : std::uint8_t {
  sum,
  avg,
  count,
  min,
  max,
  group,
  stddev,
  stdvar,
  topk,
  bottomk,
  count_values,
  quantile,
  limitk,
  limit_ratio,
};
const char* to_string(AggregateOp op);
/// topk, bottomk, count_values, quantile, limitk, limit_ratio take a parameter.
bool takes_parameter(AggregateOp op);
/// limitk and limit_ratio need --enable-feature=promql-experimental-functions.
bool is_experimental(AggregateOp op);

enum class UnaryOp : std::uint8_t { plus, minus };
using labels::MatchOp;
using labels::to_string;
enum class DurationOp : std::uint8_t { add, sub, mul, div, mod, pow, step, range, min_of, max_of };
const char* to_string(DurationOp op);
enum class Cardinality : std::uint8_t { one_to_one, many_to_one, one_to_many, many_to_many };
const char* to_string(Cardinality c);
/// The @ modifier: none, a timestamp, `@ start()` or `@ end()`.
enum class AtKind : std::uint8_t { none, timestamp, start, end };

/// Base of all expression nodes. `type` is the node's value type (none for a call to an
/// unknown function); `range` is its byte range in the input.
struct Expr {
  NodeKind kind;
  ValueType type = ValueType::none;
  PosRange range;

  template <class T> const T& as() const { return static_cast<const T&>(*this); }
  template <class T> T& as() { return static_cast<T&>(*this); }

protected:
  explicit Expr(NodeKind k) : kind(k) {}
};

struct NumberLiteral final : Expr {
  NumberLiteral() : Expr(NodeKind::number_literal) { type = ValueType::scalar; }
  double value = 0;
  bool duration = false; ///< written as a duration (`5m`); printed as one
};

struct StringLiteral final : Expr {
  StringLiteral() : Expr(NodeKind::string_literal) { type = ValueType::string; }
  std::string value; ///< unquoted
};

/// `[range]`, `offset` and step durations that are arithmetic (experimental duration expressions).
/// lhs/rhs are NumberLiteral or DurationExpr nodes; a unary minus has only rhs; step() and range()
/// have neither.
struct DurationExpr final : Expr {
  DurationExpr() : Expr(NodeKind::duration) { type = ValueType::scalar; }
  DurationOp op = DurationOp::add;
  Expr* lhs = nullptr;
  Expr* rhs = nullptr;
  bool wrapped = false; ///< written in parentheses
};

/// One label matcher, `name op "value"`; `range` covers it in the input.
/// A label matcher as written, with its position.
struct Matcher : labels::Matcher {
  PosRange range;
};

/// offset and @ modifiers, shared by vector selectors and subqueries.
struct TimeModifiers {
  std::int64_t offset_ns = 0;          ///< signed; 0 when none
  DurationExpr* offset_expr = nullptr; ///< set instead of offset_ns for duration expressions
  bool offset_unitless = false;        ///< written as a number of seconds (offset 300), not a duration
  AtKind at = AtKind::none;
  std::int64_t at_ms = 0; ///< for AtKind::timestamp, milliseconds since the epoch
};

struct VectorSelector final : Expr {
  VectorSelector() : Expr(NodeKind::vector_selector) { type = ValueType::vector; }
  std::string name;              ///< metric name written before the braces (may be empty)
  std::vector<Matcher> matchers; ///< matchers written inside the braces, in order
  TimeModifiers modifiers;
  bool anchored = false;
  bool smoothed = false;
  bool bypass_empty_matcher_check = false; ///< second argument of info()
};

struct MatrixSelector final : Expr {
  MatrixSelector() : Expr(NodeKind::matrix_selector) { type = ValueType::matrix; }
  Expr* selector = nullptr; ///< a VectorSelector
  std::int64_t range_ns = 0;
  DurationExpr* range_expr = nullptr;
  bool range_unitless = false; ///< written as a number of seconds ([300]), not a duration ([5m])
};

struct SubqueryExpr final : Expr {
  SubqueryExpr() : Expr(NodeKind::subquery) { type = ValueType::matrix; }
  Expr* expr = nullptr;
  std::int64_t range_ns = 0;
  DurationExpr* range_expr = nullptr;
  std::int64_t step_ns = 0; ///< 0: the default evaluation interval
  DurationExpr* step_expr = nullptr;
  bool range_unitless = false; ///< the range written as a number of seconds, like MatrixSelector's
  bool step_unitless = false;  ///< the step, likewise
  TimeModifiers modifiers;
};

struct ParenExpr final : Expr {
  ParenExpr() : Expr(NodeKind::paren) {}
  Expr* expr = nullptr;
};

struct UnaryExpr final : Expr {
  UnaryExpr() : Expr(NodeKind::unary) {}
  UnaryOp op = UnaryOp::minus;
  Expr* expr = nullptr;
};

/// Vector matching of a binary operation between two instant vectors.
struct VectorMatching {
  Cardinality card = Cardinality::one_to_one;
  bool on = false;                  ///< on(...) rather than ignoring(...)
  std::vector<std::string> labels;  ///< the on/ignoring labels
  std::vector<std::string> include; ///< group_left/group_right labels
  std::optional<double> fill_lhs;   ///< fill()/fill_left() value (experimental)
  std::optional<double> fill_rhs;   ///< fill()/fill_right() value (experimental)
  bool written = false;             ///< on/ignoring/group_*/fill appeared in the input
};

struct BinaryExpr final : Expr {
  BinaryExpr() : Expr(NodeKind::binary) {}
  BinaryOp op = BinaryOp::add;
  Expr* lhs = nullptr;
  Expr* rhs = nullptr;
  bool return_bool = false;
  /// Modifiers as written; nullptr when there were none.
  VectorMatching* modifiers = nullptr;
  /// The vector matching in effect (Prometheus's BinaryExpr.VectorMatching): null unless both
  /// operands are instant vectors; otherwise the written modifiers or the default (one-to-one,
  /// many-to-many for and/or/unless).
  const VectorMatching* matching() const;
};

struct AggregateExpr final : Expr {
  AggregateExpr() : Expr(NodeKind::aggregate) { type = ValueType::vector; }
  AggregateOp op = AggregateOp::sum;
  Expr* expr = nullptr;
  Expr* param = nullptr; ///< topk's k, quantile's φ, count_values' label, ...
  std::vector<std::string> grouping;
  bool without = false;
};

struct Call final : Expr {
  Call() : Expr(NodeKind::call) {}
  const Function* func = nullptr; ///< never null in a successfully parsed tree
  std::string name;
  std::vector<Expr*> args;
};

/// Owns the nodes of one parse; nodes point at each other with plain pointers, so a tree of any
/// depth is freed without recursion. Nodes are placed in large blocks (one allocation per many
/// nodes) and destroyed in reverse order of creation.
class Arena {
public:
  Arena() { destructors_.reserve(16); } // a rule's expression: ~6 (62,024 for 10,000 rules)
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  ~Arena();

  template <class T> T* make() {
    void* p = allocate(sizeof(T), alignof(T));
    T* obj = new (p) T();
    destructors_.push_back({obj, [](void* o) { static_cast<T*>(o)->~T(); }});
    return obj;
  }
  VectorMatching* make_matching() { return make<VectorMatching>(); }

private:
  void* allocate(std::size_t size, std::size_t align) {
    const std::size_t offset = (used_ + align - 1) & ~(align - 1);
    if (offset + size > capacity_) return allocate_block(size);
    used_ = offset + size;
    return blocks_.back().get() + offset;
  }
  void* allocate_block(std::size_t size); ///< at the start of a new block
  struct Destructor {
    void* object;
    void (*destroy)(void*);
  };
  std::vector<std::unique_ptr<std::byte[]>> blocks_;
  std::size_t used_ = 0;
  std::size_t capacity_ = 0;
  std::vector<Destructor> destructors_;
};

/// Depth-first pre-order traversal without recursion, children in evaluation order (as
/// Prometheus's Children(): an aggregation's expression before its parameter; duration
/// expressions are not children). `visit` gets each node and the path of its ancestors (root
/// first); returning false skips the node's children.
using Visitor = std::function<bool(const Expr& node, std::span<const Expr* const> path)>;
void walk(const Expr& root, const Visitor& visit);

/// The metric name a selector selects: its name, or an equality __name__ matcher; empty when it
/// pins none (`{job="x"}`, `{__name__=~"a|b"}`).
const std::string& metric_name(const VectorSelector& vs);

/// The metric names an expression's selectors pin (metric_name of each), once each, sorted; a
/// selector that pins none adds nothing.
std::set<std::string> metric_names(const Expr& root);

} // namespace nsmon::promql
