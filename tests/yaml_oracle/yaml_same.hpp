#pragma once
// Whether two parses of one text gave the same Document — verdict, error, tree (types, tags,
// marks, where aliases are used, styles, values, where each byte of a value came from) and
// duplicate keys in order — for the tests and the fuzz target that compare a text parsed in
// parts with it parsed whole.
#include <string>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon_yaml_same {

using nsmon::yaml::Document;
using nsmon::yaml::Node;

inline std::string mark(const nsmon::yaml::Mark& m) {
  return std::to_string(m.line) + ":" + std::to_string(m.column) + "@" + std::to_string(m.pos);
}

// The first difference between two nodes, or "". Aliases share nodes: at most `budget` nodes.
inline std::string node_difference(const Document& da, const Node& a, const Document& db, const Node& b, long& budget) {
  if (--budget < 0) return "";
  std::string at = " at " + mark(a.mark());
  if (a.type() != b.type()) return "type" + at;
  if (mark(a.mark()) != mark(b.mark())) return "mark " + mark(b.mark()) + at;
  if (a.alias_at() != b.alias_at()) return "alias at " + std::to_string(b.alias_at()) + at;
  if (a.tag() != b.tag()) return "tag " + a.tag() + " / " + b.tag() + at;
  if (a.is_scalar()) {
    if (a.scalar() != b.scalar()) return "value" + at;
    if (a.style() != b.style()) return "style" + at;
    if (da.value_offsets(a) != db.value_offsets(b)) return "value offsets" + at;
  }
  if (a.size() != b.size()) return "size " + std::to_string(a.size()) + " / " + std::to_string(b.size()) + at;
  for (auto ia = a.begin(), ib = b.begin(); ia != a.end(); ++ia, ++ib) {
    std::string d = a.is_map() ? node_difference(da, ia->first, db, ib->first, budget) : "";
    if (d.empty())
      d = a.is_map() ? node_difference(da, ia->second, db, ib->second, budget)
                     : node_difference(da, *ia, db, *ib, budget);
    if (!d.empty()) return d;
  }
  return "";
}

/// The first difference between two Documents, or "" when they are the same.
inline std::string difference(const Document& a, const Document& b) {
  if (static_cast<bool>(a) != static_cast<bool>(b))
    return a ? "only the second failed: " + b.error()->message : "only the first failed: " + a.error()->message;
  if (!a) {
    const auto &ea = *a.error(), &eb = *b.error();
    if (ea.message != eb.message || ea.line != eb.line || ea.column != eb.column || ea.pos != eb.pos)
      return "errors differ: " + ea.message + " / " + eb.message;
    return "";
  }
  long budget = 1'000'000;
  if (auto d = node_difference(a, a.root(), b, b.root(), budget); !d.empty()) return d;
  const auto &ka = a.duplicates(), &kb = b.duplicates();
  if (ka.size() != kb.size()) return "duplicate keys: " + std::to_string(ka.size()) + " / " + std::to_string(kb.size());
  for (std::size_t i = 0; i < ka.size(); ++i)
    if (mark(ka[i].key.mark()) != mark(kb[i].key.mark()) || mark(ka[i].first.mark()) != mark(kb[i].first.mark()))
      return "duplicate key " + std::to_string(i) + " at " + mark(ka[i].key.mark()) + " / " + mark(kb[i].key.mark());
  return "";
}

} // namespace nsmon_yaml_same
