#pragma once
// Label matcher regexes as Prometheus's parser reads them (Go's regexp). Matching a value is the
// label model's (labels::matches).
#include <string>
#include <string_view>

namespace nsmon::promql {

struct Matcher;
/// Whether a matcher accepts the empty label value, that is a series without the label (regex
/// verdicts cached per thread, as the parser's checks use them).
bool matches_empty(const Matcher& m);

} // namespace nsmon::promql
