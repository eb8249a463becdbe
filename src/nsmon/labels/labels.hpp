#pragma once
// labels/: the one label model: `Labels` (a label set sorted by name; `get`, `set`), `Matcher` and
// `MatchOp`, `matches` as Prometheus or Alertmanager reads a matcher's regex (`Dialect`:
// Prometheus's `^(?s:re)$` and Go 1.22's `(?<name>re)`, Alertmanager 0.25's `^(?:re)$`), the one
// per-thread cache of compiled matcher regexes (`regex`, also label_replace's and lint's value
// ranges).
//
// One label model for every folder that holds or matches labels (the engine, Alertmanager's
// routing, lint, watch): a label set, a matcher, and the matching of a value with one cache of
// compiled regexes.
#include <cstdint>
#include <optional>
#include <re2/stringpiece.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace re2 {
class RE2;
}

namespace nsmon::labels {

/// A label set sorted by name, without duplicate names.
using Labels = std::vector<std::pair<std::string, std::string>>;

/// Whether a name is a valid metric name in the classic (Prometheus 2.x) character set.
bool is_legacy_metric_name(std::string_view s);
/// Whether a name is a valid label name in the classic (Prometheus 2.x) character set.
bool is_legacy_label_name(std::string_view s);

/// The value of `name` in `ls`, or "" when absent.
const std::string& get(const Labels& ls, std::string_view name);
/// Sets `name` to `value`, keeping `ls` sorted (an existing value is replaced).
void set(Labels& ls, std::string name, std::string value);

enum class MatchOp : std::uint8_t { equal, not_equal, regex, not_regex };
/// "=", "!=", "=~" or "!~".
const char* to_string(MatchOp op);

struct Matcher {
  std::string name;
  MatchOp op = MatchOp::equal;
  std::string value;
};

/// Who reads a matcher's regex. Prometheus anchors it as ^(?s:re)$ ('.' matches a newline) and,
/// built with Go 1.22+, accepts (?<name>re); Alertmanager 0.25 anchors it as ^(?:re)$.
enum class Dialect : std::uint8_t { prometheus, alertmanager };

/// Whether `m` accepts `value` (a missing label is the empty value). A regex that does not
/// compile matches nothing.
bool matches(const Matcher& m, std::string_view value, Dialect d);
/// Whether every matcher accepts its label's value in `ls`.
bool matches(const std::vector<Matcher>& ms, const Labels& ls, Dialect d);

/// A matcher's regex compiled and anchored as `d` reads it (check ok()); compiled once per thread
/// and pattern, as rule files and routing trees repeat the same few patterns.
const re2::RE2& regex(std::string_view pattern, Dialect d);

/// Why Go's regexp refuses `pattern` as written (no anchors), in Go's words ("error parsing
/// regexp: missing closing ): `(a`"), or nullopt when it compiles. The one wording of every regex
/// error nsmon prints, whoever reads the pattern.
std::optional<std::string> go_regex_error(std::string_view pattern);

/// Why the reader `d` refuses a matcher's regex (anchored as it anchors it: `)(` is fine), worded
/// by go_regex_error on the pattern as the user wrote it; nullopt when it compiles.
std::optional<std::string> regex_error(std::string_view pattern, Dialect d);

/// `tmpl` expanded as Go's Regexp.Expand: $1, ${1}, $name, ${name} become the submatch `groups` of
/// `re` (group 0 the whole match; an unmatched or unknown group is empty), $$ a '$'. label_replace's
/// replacement and the templates' reReplaceAll.
std::string expand(std::string_view tmpl, const re2::RE2& re, const std::vector<re2::StringPiece>& groups);

/// label_replace's new value for a label whose value is `value`: `replacement` expanded as Go's
/// Regexp.ExpandString ($1, ${1}, $name, ${name}, $$) with the groups of `re` (regex(), anchored)
/// matching all of it; nullopt where `re` does not match. The engine's label_replace, and lint's
/// reading of one.
std::optional<std::string> replaced(const re2::RE2& re, std::string_view value, std::string_view replacement);

/// The RE2 spelling of a Go regexp: `(?<name>re)` becomes `(?P<name>re)`. Go rejects `\C`, which
/// RE2 reads as "any byte": `any_byte_escape`, when given, says whether the pattern has one.
std::string to_re2_pattern(std::string_view go_pattern, bool* any_byte_escape = nullptr);

} // namespace nsmon::labels
