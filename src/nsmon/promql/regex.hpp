#pragma once
// Label matcher regexes as Prometheus reads them (Go's regexp), for the code that must run them.
#include <string>
#include <string_view>

namespace nsmon::promql {

/// The RE2 spelling of a Go regexp (`(?<name>re)` becomes `(?P<name>re)`); Prometheus anchors
/// matchers, so callers match the whole value (RE2::FullMatch).
std::string to_re2_pattern(std::string_view go_pattern);

struct Matcher;
/// Whether a matcher accepts the empty label value, that is a series without the label (regex
/// verdicts cached per thread, as the parser's checks use them).
bool matches_empty(const Matcher& m);
/// Whether a matcher accepts a label value (regexes anchored and compiled once per thread).
bool matches(const Matcher& m, std::string_view value);

} // namespace nsmon::promql
