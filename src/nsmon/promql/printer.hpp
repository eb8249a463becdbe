#pragma once
#include <string>

#include "nsmon/promql/ast.hpp"

namespace nsmon::promql {

/// Canonical PromQL for a checked tree, in the form Prometheus's Expr.String() writes (single
/// spaces around binary operators, sorted matchers, durations like "1h30m"). Parsing the output
/// gives the same tree. Works without recursion.
std::string print(const Expr& e);

/// A label name as written in a grouping or matching list: bare when it lexes back as a label,
/// otherwise quoted.
std::string format_label_name(std::string_view name);

/// A selector alone, without offset, @ or range: name{matchers} as the HTTP API's match[] and a
/// query of its series take it (matchers sorted, as print() writes them).
std::string print_selector(const VectorSelector& vs);

/// A matcher as written inside a selector's braces: job="a", "my.label"=~"x|y".
std::string format_matcher(const labels::Matcher& m);

/// A duration in nanoseconds as PromQL: "5m", "1h30m"; a number of seconds when it is not a
/// whole number of milliseconds.
std::string format_duration(std::int64_t ns);

} // namespace nsmon::promql
