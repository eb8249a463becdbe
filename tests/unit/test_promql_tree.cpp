// The shape of parsed trees (precedence, associativity, what modifiers attach to), value types,
// byte ranges, and the traversal, JSON and text views that lint checks and tools build on.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "nsmon/promql/functions.hpp"
#include "nsmon/promql/json.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"

using namespace nsmon::promql;

namespace {

// A compact structural dump: (op lhs rhs), (- x), (sum by (a) x), (call f args...), selectors printed.
std::string sexpr(const Expr& e) {
  switch (e.kind) {
  case NodeKind::binary: {
    const auto& b = e.as<BinaryExpr>();
    return std::string("(") + to_string(b.op) + (b.return_bool ? " bool" : "") + " " + sexpr(*b.lhs) + " " +
           sexpr(*b.rhs) + ")";
  }
  case NodeKind::unary:
    return std::string("(") + (e.as<UnaryExpr>().op == UnaryOp::minus ? "-" : "+") + " " +
           sexpr(*e.as<UnaryExpr>().expr) + ")";
  case NodeKind::paren: return "(paren " + sexpr(*e.as<ParenExpr>().expr) + ")";
  case NodeKind::aggregate: {
    const auto& a = e.as<AggregateExpr>();
    std::string s = std::string("(") + to_string(a.op);
    if (a.param) s += " " + sexpr(*a.param);
    return s + " " + sexpr(*a.expr) + ")";
  }
  case NodeKind::call: {
    std::string s = "(call " + e.as<Call>().name;
    for (const Expr* a : e.as<Call>().args) s += " " + sexpr(*a);
    return s + ")";
  }
  case NodeKind::subquery: return "(subquery " + sexpr(*e.as<SubqueryExpr>().expr) + ")";
  case NodeKind::matrix_selector: return "(matrix " + sexpr(*e.as<MatrixSelector>().selector) + ")";
  default: return print(e);
  }
}

std::string tree(const std::string& input) {
  ParseResult r = parse(input);
  if (!r.ok()) return r.error_string();
  return sexpr(*r.expr());
}

const Expr& parsed(ParseResult& r) {
  REQUIRE(r.ok());
  return *r.expr();
}

} // namespace

TEST_CASE("promql tree: operator precedence and associativity", "[promql][tree]") {
  CHECK(tree("a or b and c") == "(or a (and b c))");
  CHECK(tree("a and b or c") == "(or (and a b) c)");
  CHECK(tree("a unless b and c") == "(and (unless a b) c)");
  CHECK(tree("a == b + c") == "(== a (+ b c))");
  CHECK(tree("a + b * c") == "(+ a (* b c))");
  CHECK(tree("a * b + c") == "(+ (* a b) c)");
  CHECK(tree("a - b - c") == "(- (- a b) c)");
  CHECK(tree("a / b * c % d") == "(% (* (/ a b) c) d)");
  CHECK(tree("a atan2 b * c") == "(* (atan2 a b) c)");
  CHECK(tree("a ^ b ^ c") == "(^ a (^ b c))");
  CHECK(tree("a * b ^ c") == "(* a (^ b c))");
  CHECK(tree("a > b < c") == "(< (> a b) c)");
  CHECK(tree("a </ b + c") == "(</ a (+ b c))");
  CHECK(tree("a or b == bool c") == "(or a (== bool b c))");
}

TEST_CASE("promql tree: unary minus binds like multiplication", "[promql][tree]") {
  CHECK(tree("-a ^ 2") == "(- (^ a 2))");
  CHECK(tree("-a * 2") == "(* (- a) 2)");
  CHECK(tree("-1 ^ 2") == "(- (^ 1 2))");
  CHECK(tree("-1 * 2") == "(* -1 2)"); // a negative literal
  CHECK(tree("2 * -a") == "(* 2 (- a))");
  CHECK(tree("a + -b") == "(+ a (- b))");
  CHECK(tree("- - a") == "(- (- a))");
  CHECK(tree("--1") == "1");
}

TEST_CASE("promql tree: modifiers, ranges and subqueries attach to the nearest operand", "[promql][tree]") {
  CHECK(tree("a + b offset 5m") == "(+ a b offset 5m)");
  CHECK(tree("a offset 5m + b") == "(+ a offset 5m b)");
  CHECK(tree("a + b[5m:]") == "1:5: parse error: binary expression must contain only scalar and instant vector types");
  CHECK(tree("a + -b[5m:] ^ 2") == "1:6: parse error: binary expression must contain only scalar and instant vector "
                                   "types");
  CHECK(tree("(a + b)[5m:]") == "(subquery (paren (+ a b)))");
  CHECK(tree("rate(a[5m])") == "(call rate (matrix a))");
  CHECK(tree("-a[5m:]") == "1:1: parse error: unary expression only allowed on expressions of type scalar or "
                           "instant vector, got \"range vector\"");
  CHECK(tree("a offset -5m ^ 2") == "(^ a offset -5m 2)");
  CHECK(tree("a @ 5 + b") == "(+ a @ 5.000 b)");
  CHECK(tree("sum(a) by (x) + b") == "(+ (sum a) b)");
  CHECK(tree("topk(3, a) / b") == "(/ (topk 3 a) b)");
}

TEST_CASE("promql tree: keywords are metric names where Prometheus allows it", "[promql][tree]") {
  CHECK(tree("sum") == "sum");
  CHECK(tree("sum + on") == "1:9: parse error: unexpected end of input in grouping opts, expected \"(\"");
  CHECK(tree("by / offset") == "(/ by offset)");
  CHECK(tree("bool") == "1:1: parse error: unexpected <bool>");
  CHECK(tree("on") == "1:1: parse error: unexpected <on>");
  CHECK(tree("ignoring") == "1:1: parse error: unexpected <ignoring>");
  CHECK(tree("group_left") == "1:1: parse error: unexpected <group_left>");
  CHECK(tree("group_right") == "1:1: parse error: unexpected <group_right>");
  CHECK(tree("atan2") == "1:1: parse error: unexpected <op:atan2>");
  CHECK(tree("fill_left - fill") == "(- fill_left fill)");
  CHECK(tree("Sum") == "Sum");
}

TEST_CASE("promql tree: value types", "[promql][tree]") {
  auto type_of = [](const std::string& s, ParseOptions o = {}) {
    ParseResult r = parse(s, o);
    REQUIRE(r.ok());
    return r.expr()->type;
  };
  CHECK(type_of("1") == ValueType::scalar);
  CHECK(type_of("1 + 2 * 3") == ValueType::scalar);
  CHECK(type_of("\"s\"") == ValueType::string);
  CHECK(type_of("foo") == ValueType::vector);
  CHECK(type_of("foo[5m]") == ValueType::matrix);
  CHECK(type_of("foo[5m:]") == ValueType::matrix);
  CHECK(type_of("foo + 1") == ValueType::vector);
  CHECK(type_of("(1)") == ValueType::scalar);
  CHECK(type_of("-time()") == ValueType::scalar);
  CHECK(type_of("scalar(foo)") == ValueType::scalar);
  CHECK(type_of("sum(foo)") == ValueType::vector);
  CHECK(type_of("rate(foo[1m])") == ValueType::vector);
  CHECK(std::string(documented_name(ValueType::matrix)) == "range vector");
  CHECK(std::string(documented_name(ValueType::vector)) == "instant vector");
}

TEST_CASE("promql tree: byte ranges of nodes and matchers", "[promql][tree]") {
  ParseResult r = parse("sum by (job) (rate(http_requests_total{code=~\"5..\", job!=\"x\"}[5m] offset 1h))");
  const Expr& root = parsed(r);
  CHECK(root.range.start == 0);
  CHECK(root.range.end == r.input().size());
  const auto& call = root.as<AggregateExpr>().expr->as<Call>();
  CHECK(r.input().substr(call.range.start, call.range.end - call.range.start) ==
        "rate(http_requests_total{code=~\"5..\", job!=\"x\"}[5m] offset 1h)");
  const auto& ms = call.args[0]->as<MatrixSelector>();
  CHECK(r.input().substr(ms.range.start, ms.range.end - ms.range.start) ==
        "http_requests_total{code=~\"5..\", job!=\"x\"}[5m] offset 1h");
  const auto& vs = ms.selector->as<VectorSelector>();
  REQUIRE(vs.matchers.size() == 2);
  CHECK(r.input().substr(vs.matchers[0].range.start, vs.matchers[0].range.end - vs.matchers[0].range.start) ==
        "code=~\"5..\"");
  CHECK(r.input().substr(vs.matchers[1].range.start, vs.matchers[1].range.end - vs.matchers[1].range.start) ==
        "job!=\"x\"");
  CHECK(vs.modifiers.offset_ns == 3600LL * 1000000000);
  CHECK(ms.range_ns == 300LL * 1000000000);
}

TEST_CASE("promql tree: errors on later lines report line and column", "[promql][tree]") {
  ParseResult r = parse("sum(\n  rate(foo[5m])\n) by (job) +\n  bar{a=b}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error_string() == "4:9: parse error: unexpected identifier \"b\" in label matching, expected string");
  CHECK(r.errors().front().range.start == r.input().find("b}"));
  // Comments run to the end of the line only.
  CHECK(parse("foo # comment\n+ bar").ok());
  CHECK(parse("# comment only").error_string() == "1:1: parse error: no expression found in input");
  CHECK(parse("").error_string() == "unknown position: parse error: no expression found in input");
}

TEST_CASE("promql tree: vector matching as Prometheus keeps it", "[promql][tree]") {
  ParseResult r = parse("a + on(x, y) group_left(z) b");
  const auto& b = parsed(r).as<BinaryExpr>();
  REQUIRE(b.matching() != nullptr);
  CHECK(b.matching()->card == Cardinality::many_to_one);
  CHECK(b.matching()->on);
  CHECK(b.matching()->labels == std::vector<std::string>{"x", "y"});
  CHECK(b.matching()->include == std::vector<std::string>{"z"});

  ParseResult set = parse("a and b");
  REQUIRE(parsed(set).as<BinaryExpr>().matching() != nullptr);
  CHECK(parsed(set).as<BinaryExpr>().matching()->card == Cardinality::many_to_many);

  ParseResult scalar = parse("a + on() 1");
  CHECK(parsed(scalar).as<BinaryExpr>().matching() == nullptr);
  CHECK(print(parsed(scalar)) == "a + 1");
}

TEST_CASE("promql tree: walk visits every node in order with its path", "[promql][tree]") {
  ParseResult r = parse("sum(rate(a[5m])) + -b");
  std::vector<std::string> seen;
  std::size_t deepest = 0;
  walk(parsed(r), [&](const Expr& e, std::span<const Expr* const> path) {
    seen.push_back(to_string(e.kind));
    deepest = std::max(deepest, path.size());
    return true;
  });
  CHECK(seen == std::vector<std::string>{"BinaryExpr", "AggregateExpr", "Call", "MatrixSelector", "VectorSelector",
                                         "UnaryExpr", "VectorSelector"});
  CHECK(deepest == 4);

  // Returning false skips a subtree.
  seen.clear();
  walk(parsed(r), [&](const Expr& e, std::span<const Expr* const>) {
    seen.push_back(to_string(e.kind));
    return e.kind != NodeKind::aggregate;
  });
  CHECK(seen == std::vector<std::string>{"BinaryExpr", "AggregateExpr", "UnaryExpr", "VectorSelector"});
}

TEST_CASE("promql tree: walk gives an aggregation's expression before its parameter, and deep paths whole",
          "[promql][tree]") {
  ParseResult r = parse("topk(3, a) or count(b)");
  std::vector<std::string> seen;
  walk(parsed(r), [&](const Expr& e, std::span<const Expr* const>) {
    seen.push_back(to_string(e.kind));
    return true;
  });
  CHECK(seen == std::vector<std::string>{"BinaryExpr", "AggregateExpr", "VectorSelector", "NumberLiteral",
                                         "AggregateExpr", "VectorSelector"});
  // Deeper than the stacks' first buffer: every node, each with all its ancestors, root first.
  std::string deep = "a";
  for (int i = 0; i < 200; ++i) deep = "(" + deep + " + " + std::to_string(i) + ")";
  ParseResult d = parse(deep);
  std::size_t nodes = 0;
  bool paths_ok = true;
  walk(parsed(d), [&](const Expr& e, std::span<const Expr* const> path) {
    ++nodes;
    paths_ok = paths_ok && (path.empty() ? &e == &parsed(d) : path.front() == &parsed(d));
    for (std::size_t k = 1; k < path.size(); ++k) {
      // Each ancestor is a child of the one before it.
      bool child = false;
      walk(*path[k - 1], [&](const Expr& c, std::span<const Expr* const> p) {
        child = child || (&c == path[k] && p.size() == 1);
        return p.empty();
      });
      paths_ok = paths_ok && child;
    }
    return true;
  });
  CHECK(nodes == 200 * 3 + 1); // a paren, a binary and a number per level, and a
  CHECK(paths_ok);
}

TEST_CASE("promql tree: JSON dump", "[promql][json]") {
  ParseResult r = parse("topk by (job) (3, rate(foo{a=\"b\"}[5m] @ 100))");
  auto j = nlohmann::json::parse(to_json(parsed(r)));
  CHECK(j["node"] == "AggregateExpr");
  CHECK(j["op"] == "topk");
  CHECK(j["grouping"] == nlohmann::json::array({"job"}));
  CHECK(j["param"]["value"] == 3);
  CHECK(j["expr"]["node"] == "Call");
  CHECK(j["expr"]["function"] == "rate");
  const auto& ms = j["expr"]["args"][0];
  CHECK(ms["range"] == "5m");
  CHECK(ms["selector"]["name"] == "foo");
  CHECK(ms["selector"]["at"] == 100);
  CHECK(ms["selector"]["matchers"][0]["op"] == "=");
  CHECK(ms["selector"]["matchers"][0]["start"] == 27);
  // One-line form and fixed key order.
  ParseResult one = parse("1");
  std::string compact = to_json(parsed(one), 0);
  CHECK(compact ==
        "{\"node\":\"NumberLiteral\",\"type\":\"scalar\",\"start\":0,\"end\":1,\"value\":1,\"duration\":false}");
}

TEST_CASE("promql tree: text tree", "[promql][json]") {
  ParseResult r = parse("a + on(x) b");
  CHECK(to_text_tree(parsed(r)) == "BinaryExpr <instant vector> 0..11 +\n"
                                   "  VectorSelector <instant vector> 0..1 a\n"
                                   "  VectorSelector <instant vector> 10..11 b\n");
}

TEST_CASE("promql functions: table as in Prometheus 3.x", "[promql][functions]") {
  auto fns = all_functions();
  for (std::size_t i = 1; i < fns.size(); ++i) CHECK(fns[i - 1].name < fns[i].name);
  const Function* rate = find_function("rate");
  REQUIRE(rate);
  CHECK(rate->arg_types().size() == 1);
  CHECK(rate->arg_types()[0] == ValueType::matrix);
  CHECK(rate->return_type == ValueType::vector);
  CHECK_FALSE(rate->experimental);
  CHECK(find_function("Rate") == nullptr);
  CHECK(find_function("holt_winters") == nullptr);
  CHECK(find_function("label_join")->variadic == -1);
  CHECK(find_function("round")->variadic == 1);
  CHECK(find_function("histogram_quantiles")->variadic == 9);
  CHECK(find_function("scalar")->return_type == ValueType::scalar);
  for (const char* name : {"info", "sort_by_label", "double_exponential_smoothing", "mad_over_time", "step", "start",
                           "end", "range", "max_of", "min_of", "ts_of_max_over_time", "start_timestamp"})
    CHECK(find_function(name)->experimental);
  CHECK_FALSE(find_function("first_over_time")->experimental);
}
