// lint::Inference: shapes of every node of the trees it ran on, and LabelSet, the sorted label
// names of a Shape (as std::set<std::string> kept them).
#include <catch2/catch.hpp>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "nsmon/lint/infer.hpp"
#include "nsmon/promql/parser.hpp"

using namespace nsmon;

namespace {
std::vector<std::string> names(const lint::LabelSet& s) { return {s.begin(), s.end()}; }
} // namespace

TEST_CASE("LabelSet: sorted and unique, as std::set", "[lint]") {
  const std::vector<std::string> in = {"job", "instance", "__name__", "le", "job", "model", "instance", "a", "z"};
  lint::LabelSet s(in.begin(), in.end());
  std::set<std::string> oracle(in.begin(), in.end());
  CHECK(names(s) == std::vector<std::string>(oracle.begin(), oracle.end()));
  CHECK(s.size() == oracle.size());
  s.insert(std::string("m"));
  oracle.insert("m");
  CHECK(s.erase("le") == 1);
  CHECK(s.erase("le") == 0);
  oracle.erase("le");
  CHECK(names(s) == std::vector<std::string>(oracle.begin(), oracle.end()));
  CHECK(s.count("job") == 1);
  CHECK(s.count("jo") == 0);
  CHECK(s.count("") == 0);
}

TEST_CASE("LabelSet: erasing while iterating, equality, clear", "[lint]") {
  const std::vector<std::string> in = {"c", "a", "b", "d"};
  lint::LabelSet s(in.begin(), in.end()), t;
  for (auto it = s.begin(); it != s.end();) it = (*it == "b" || *it == "d") ? s.erase(it) : std::next(it);
  CHECK(names(s) == std::vector<std::string>{"a", "c"});
  t.insert("c");
  t.insert("a");
  CHECK(s == t);
  t.insert("b");
  CHECK_FALSE(s == t);
  s.clear();
  CHECK(s.empty());
  CHECK(s.begin() == s.end());
}

TEST_CASE("Inference: every node of every tree it ran on keeps its shape", "[lint]") {
  const std::map<std::string, lint::RecordedMetric> recorded;
  lint::Inference inf(catalog::embedded(), nullptr, recorded);
  auto a = promql::parse("sum by (stage) (rate(errors_total[5m]))");
  auto b = promql::parse("training_loss > 1");
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  const promql::Expr* rate = a.expr()->as<promql::AggregateExpr>().expr;
  lint::Shape sa = inf.run(*a.expr());
  CHECK(names(sa.labels) == std::vector<std::string>{"stage"});
  lint::Shape sb = inf.run(*b.expr());
  CHECK(sb.filters);
  // After the second run, the first tree's nodes still have theirs; another tree's nodes none.
  CHECK(inf.at(a.expr()).labels == sa.labels);
  CHECK(inf.at(rate).labels.count("error_type") == 1);
  CHECK(inf.at(rate).labels.count("__name__") == 0);
  CHECK(inf.at(b.expr()).filters);
  auto c = promql::parse("up");
  CHECK(inf.at(c.expr()).labels.empty());
  CHECK_FALSE(inf.at(c.expr()).labels_known);
  // A tree run twice: the same shapes.
  CHECK(inf.run(*a.expr()).labels == sa.labels);
  CHECK(inf.at(rate).labels.count("error_type") == 1);
}

// Every node's shape starts from reset(), in a place an earlier rule's shape had: a field it left
// as it was would carry that rule's labels, units or reasons into this one.
TEST_CASE("Shape::reset: every field as a default Shape has it", "[lint]") {
  lint::Shape s;
  s.labels_known = s.targets_open = s.filters = s.aggregated = true;
  s.lo_open = s.hi_open = s.count_like = s.nan_aggregated = s.nan_inf = true;
  s.labels.insert("a"), s.maybe.insert("a");
  s.dropped.emplace("a", "x"), s.removed.emplace("a", "x"), s.several.emplace("a", "x"), s.joined.emplace("a", "x");
  s.lacking.emplace("a", lint::Lacking{"x", 0.0, true});
  s.values.emplace("a", std::vector<std::string>{"v"});
  s.kind = lint::ValueKind::counter;
  s.unit = s.bucket_unit = s.unit_of = s.closed_by = s.nan = s.empty = "x";
  s.set_range(0, 1, lint::RangeReason(promql::BinaryOp::gtr, 0));
  s.nan_at = {1, 2};
  s.reset();
  const lint::Shape d;
  CHECK(s.labels_known == d.labels_known);
  CHECK(s.targets_open == d.targets_open);
  CHECK(s.filters == d.filters);
  CHECK(s.aggregated == d.aggregated);
  CHECK(s.lo_open == d.lo_open);
  CHECK(s.hi_open == d.hi_open);
  CHECK(s.count_like == d.count_like);
  CHECK(s.nan_aggregated == d.nan_aggregated);
  CHECK(s.nan_inf == d.nan_inf);
  CHECK(s.labels.empty());
  CHECK(s.maybe.empty());
  CHECK(s.dropped.empty());
  CHECK(s.removed.empty());
  CHECK(s.several.empty());
  CHECK(s.joined.empty());
  CHECK(s.lacking.empty());
  CHECK(s.values.empty());
  CHECK(s.kind == d.kind);
  for (const std::string* text : {&s.unit, &s.bucket_unit, &s.unit_of, &s.closed_by, &s.nan, &s.empty})
    CHECK(text->empty());
  CHECK(s.lo == d.lo);
  CHECK(s.hi == d.hi);
  CHECK(s.range_of.empty());
  CHECK_FALSE(s.range_of.comparison);
  CHECK(s.nan_at.start == d.nan_at.start);
  CHECK(s.nan_at.end == d.nan_at.end);
}

TEST_CASE("Inference: a node that passes its child's result on shares its shape", "[lint]") {
  const std::map<std::string, lint::RecordedMetric> recorded;
  lint::Inference inf(catalog::embedded(), nullptr, recorded);
  auto a = promql::parse("(max_over_time(rate(errors_total[5m])[1h:5m]))");
  REQUIRE(a.ok());
  const auto* paren = a.expr();
  const auto* call = paren->as<promql::ParenExpr>().expr;
  const auto* subquery = call->as<promql::Call>().args[0];
  const auto* rate = subquery->as<promql::SubqueryExpr>().expr;
  const auto* range = rate->as<promql::Call>().args[0];
  const auto* selector = range->as<promql::MatrixSelector>().selector;
  const lint::Shape& root = inf.run(*paren);
  // The root's shape, handed back by reference: no copy of it. Parentheses, a subquery and a
  // range selector have their child's, not a copy of it.
  CHECK(&root == &inf.at(paren));
  CHECK(&inf.at(paren) == &inf.at(call));
  CHECK(&inf.at(subquery) == &inf.at(rate));
  CHECK(&inf.at(range) == &inf.at(selector));
  CHECK(&inf.at(call) != &inf.at(rate));
  CHECK(inf.at(range).kind == lint::ValueKind::counter);
  CHECK(inf.at(call).labels.count("error_type") == 1);
  // forget(): the shapes go, another tree's are made in their place.
  inf.forget();
  CHECK_FALSE(inf.at(paren).labels_known);
  CHECK(inf.at(paren).labels.empty());
  auto b = promql::parse("(training_loss)");
  REQUIRE(b.ok());
  CHECK(inf.run(*b.expr()).labels.count("model") == 1);
}

// What arithmetic leaves of a counter: the rate of a counter scaled, or joined with series that
// are 1 (gitlab-com-runbooks' `requests * on (ingress) group_left (stage) labels`), is the rate
// scaled, so the result is no gauge; of a name nothing types (no _total), nothing is known.
TEST_CASE("Inference: the kind of arithmetic's result", "[lint]") {
  const std::map<std::string, lint::RecordedMetric> recorded;
  lint::Inference inf(catalog::none(), nullptr, recorded);
  auto kind = [&](const char* expr) {
    auto p = promql::parse(expr);
    REQUIRE(p.ok());
    return inf.run(*p.expr()).kind;
  };
  using K = lint::ValueKind;
  CHECK(kind("x_total") == K::counter);
  CHECK(kind("x_total * 8") == K::counter);
  CHECK(kind("8 * x_total / 1000") == K::counter);
  CHECK(kind("x_total * on (ingress) group_left (stage) group by (ingress, stage) (y)") == K::counter);
  CHECK(kind("x_total * on (ingress) group_left (stage) (y == 1)") == K::counter);
  CHECK(kind("x * on (ingress) group_left (stage) group by (ingress, stage) (y)") == K::unknown);
  CHECK(kind("x_total * on (ingress) group_left (stage) y") == K::unknown);
  CHECK(kind("x_total * -1") == K::gauge);
  CHECK(kind("100 - x_total") == K::gauge);
  CHECK(kind("x_total / y_total") == K::gauge);
  CHECK(kind("x_total * rate(y_total[5m])") == K::gauge);
  CHECK(kind("x_total > bool 1") == K::gauge);
}
