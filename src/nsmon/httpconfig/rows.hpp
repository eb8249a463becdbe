#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/yaml.hpp"

// The checks of a Go config struct's Validate/UnmarshalYAML written as rows: which fields conflict,
// which are required, which values are allowed. common/config's HTTP client is written in them,
// and so are prometheus.yml's sections (rules/config_*.cpp).

namespace nsmon::httpconfig {

using Fields = std::vector<std::string_view>;
using Names = std::vector<std::string>;

/// The value at a dotted path ("basic_auth.username") of a mapping, or an undefined node.
yaml::Node get(const yaml::Node& m, std::string_view path);
/// Set as Go sees it after unmarshalling: not null, not "", not false, not an empty list or map.
bool set(const yaml::Node& n);
bool set(const yaml::Node& m, std::string_view path);
/// Given at all, as Go sees a pointer to a section: `oauth: {}` is given, `oauth:` (null) is not.
bool present(const yaml::Node& m, std::string_view path);
/// The scalar at `path`, or "".
std::string value(const yaml::Node& m, std::string_view path);

// One row of the declarative rules: what Prometheus's Validate/UnmarshalYAML functions check.
enum class Kind {
  at_most_one, ///< at most one of `a` set
  conflict,    ///< not any of `a` together with any of `b`
  required,    ///< one of `a` set
  exactly_one, ///< one of `a` set (message: "one of ..."), and at most one ("at most one of ...")
  one_of,      ///< the value of a[0], when set, is one of `b`; the value quoted replaces "{}" (else is appended)
  http_url,    ///< a[0], when set, is an http(s) URL with a host
  not_empty,   ///< a[0], when given (it has a default otherwise), is not empty: `server: ""` or `server:`
  each_match,  ///< each entry of the list a[0] matches the RE2 pattern b[0]; the entry replaces "{}"
};
struct Rule {
  Kind kind;
  Fields a;
  Fields b;
  std::string_view message;
  std::string_view when = {}; ///< the rule applies only when this field is set
};

/// Applies rule rows to the mapping `m`, reporting at the field that breaks them.
void apply(core::YamlReader& y, const yaml::Node& m, const std::vector<Rule>& rules);

/// y.report(), but a null value (`key:` or `-` with nothing after it) is reported at its key or
/// dash: the parser's mark of a null is where the next token starts, often the next line.
core::Diagnostic& report(core::YamlReader& y, const yaml::Node& at, core::CheckId check, std::string message);

/// The mapping at `path` of `m`, when set, has only `allowed` fields.
void fields(core::YamlReader& y, const yaml::Node& m, std::string_view path, const Names& allowed);

bool contains(const std::vector<std::string_view>& v, std::string_view s);
/// ASCII lower case.
std::string lower(std::string s);
/// `a` followed by `b`.
Names plus(Names a, const Names& b);
/// Why `u` is not an http(s) URL with a host, as Prometheus's SD configs require (url.Parse, then
/// scheme and host); "" when it is.
std::string http_url_problem(const std::string& u);

} // namespace nsmon::httpconfig
