#pragma once
#include <string>

#include "nsmon/promql/ast.hpp"

namespace nsmon::promql {

/// The tree as JSON: one object per node with "node" (kind), "type" (value type), "start" and
/// "end" (byte range) and the node's fields; keys in a fixed order. `indent` 0 writes one line.
/// Works without recursion; indentation stops growing past 64 levels.
std::string to_json(const Expr& e, int indent = 2);

/// The tree as indented text, one node per line: kind, value type, byte range and fields.
std::string to_text_tree(const Expr& e);

} // namespace nsmon::promql
