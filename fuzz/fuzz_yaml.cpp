// libFuzzer target: nsmon's YAML parser. Any input must parse or fail cleanly, with positions
// and value offsets inside the text; and where yaml-cpp 0.7 reads the input, nsmon must build the
// same tree (kinds, values, tags, key order, the mark of every node) or fail on purpose (the
// differences listed in tests/unit/test_core_yaml_differential.cpp). Where both fail, they must fail
// at the same place.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "nsmon/core/yaml_tree.hpp"
#include "test_yaml_compare.hpp"

namespace {

using nsmon::yaml::Node;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "fuzz_yaml: %s\n", what.c_str());
  __builtin_trap();
}

// Positions must lie inside the text, and every byte of a scalar's value must map into it.
// Aliases share nodes, so the tree can be exponentially large: visit at most `budget` nodes.
void check_node(const nsmon::yaml::Document& doc, const Node& n, std::size_t size, long& budget) {
  if (--budget < 0) return;
  auto m = n.Mark();
  if (!m.is_null() && (m.pos < 0 || static_cast<std::size_t>(m.pos) > size || m.line < 0 || m.column < 0))
    finding("mark outside the text");
  if (n.IsScalar()) {
    auto offsets = doc.value_offsets(n);
    if (offsets.size() != n.Scalar().size()) finding("value_offsets has the wrong size");
    for (std::size_t i = 0; i < offsets.size(); ++i) {
      if (offsets[i] >= size) finding("value offset outside the text");
      if (i > 0 && offsets[i] < offsets[i - 1]) finding("value offsets go backwards");
    }
  }
  for (auto it = n.begin(); it != n.end(); ++it) {
    if (n.IsMap()) {
      check_node(doc, it->first, size, budget);
      check_node(doc, it->second, size, budget);
    } else {
      check_node(doc, *it, size, budget);
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = nsmon::yaml::parse(text);
  if (doc) {
    long budget = 100000;
    check_node(doc, doc.root(), size, budget);
  }

  // The differential half: small inputs (yaml-cpp is slow), UTF-8 text without a byte order mark.
  if (size > 1 << 16 || text.rfind("\xEF\xBB\xBF", 0) == 0) return 0;
  if (!doc && nsmon::yaml_compare::encoding_error(doc.error()->message)) return 0;
  YAML::Node y;
  bool y_ok = false, y_deep = false;
  YAML::Mark y_mark;
  std::string y_msg;
  try {
    y = YAML::Load(text);
    y_ok = true;
  } catch (const YAML::DeepRecursion& e) {
    y_deep = true;
    y_mark = e.mark;
  } catch (const YAML::Exception& e) {
    y_mark = e.mark;
    y_msg = e.msg;
  }
  // yaml-cpp keeps a merge key `<<` as an ordinary key; nsmon resolves it as Go's yaml.v3 does
  // (difference 7 of test_core_yaml_differential.cpp): trees with one are not comparable here.
  const bool merges = text.find("<<") != std::string::npos;
  if (y_ok && doc) {
    std::string d = merges ? "" : nsmon::yaml_compare::Comparer().compare(y, doc.root());
    if (!d.empty()) finding("trees differ at " + d);
  } else if (y_ok) {
    if (!nsmon::yaml_compare::deliberate_error(doc.error()->message))
      finding("yaml-cpp reads it, nsmon fails: " + doc.error()->message);
  } else if (doc) {
    if (!y_deep && !nsmon::yaml_compare::deliberate_acceptance(y_msg))
      finding("nsmon reads it, yaml-cpp fails: " + y_msg);
  } else if (!y_deep && !nsmon::yaml_compare::deliberate_error(doc.error()->message)) {
    const auto& e = *doc.error();
    if (e.line != y_mark.line || e.column != y_mark.column)
      finding("errors at different places: yaml-cpp " + std::to_string(y_mark.line) + ":" +
              std::to_string(y_mark.column) + " " + y_msg + ", nsmon " + std::to_string(e.line) + ":" +
              std::to_string(e.column) + " " + e.message);
  }
  return 0;
}
