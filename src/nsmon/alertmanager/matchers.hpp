#pragma once
// Alertmanager's matcher syntax (the classic parser of 0.25, which amtool check-config uses):
// `name="value"`, `name=~"regex"`, `name!=value`, `name!~"regex"`; a line may hold several,
// comma-separated, optionally in braces. Regexes are anchored and compiled with RE2.
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/labels/labels.hpp"

namespace nsmon::alertmanager {

using labels::Matcher;
using labels::MatchOp;

/// The matchers of one `matchers:` entry, or the reason it does not parse (`error` non-empty).
struct ParsedMatchers {
  std::vector<Matcher> matchers;
  std::string error;
};

ParsedMatchers parse_matchers(std::string_view line);

/// A label name as Alertmanager's classic parser and match: keys take it: [a-zA-Z_][a-zA-Z0-9_]*.
bool is_label_name(std::string_view s);

} // namespace nsmon::alertmanager
