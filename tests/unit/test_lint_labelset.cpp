// lint::LabelSet: the sorted label names of an inferred Shape, as std::set<std::string> kept them.
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

#include "nsmon/lint/infer.hpp"

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
