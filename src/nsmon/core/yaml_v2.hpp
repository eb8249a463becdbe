#pragma once
// Scalars as Go's yaml.v2 decodes them into typed struct fields: prometheus.yml and
// alertmanager.yml are read with it. YAML 1.1 booleans (`yes`, `On`, `n`) and integers (`0x10`,
// `1_000`, octal `0755`) load; a quoted "true" or `maybe` for a bool does not ("cannot unmarshal
// !!str `maybe` into bool"); a float goes into an integer field truncated, but not .inf/.nan and
// not a negative number into an unsigned one.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "nsmon/core/yaml.hpp"

namespace nsmon::core::yaml_v2 {

enum class Type : std::uint8_t { boolean, int_, int64, uint, uint64 };

struct Field {
  std::string_view name;
  Type type;
};

/// A node as yaml.v2 resolves it (its resolve.go): the tag, as its errors name it (!!null,
/// !!bool, !!int, !!float, !!timestamp, !!str for quoted scalars and any other text, !!map,
/// !!seq) and the value of a boolean or a number.
struct Resolved {
  std::string_view tag;
  bool boolean = false;
  bool is_unsigned = false; ///< an !!int above INT64_MAX: its value is `uinteger`
  std::int64_t integer = 0;
  std::uint64_t uinteger = 0;
  double number = 0; ///< !!float
  /// An explicit tag the text does not fit (`!!int abc`): yaml.v2 refuses the document
  /// ("cannot decode !!str `abc` as a !!int"); `tag` is then what the text resolves to.
  std::string_view refused_tag;
};
Resolved resolve(const yaml::Node& n);

/// YAML's special floats, which yaml.v2 and yaml.v3 resolve alike: .inf, +.Inf, -.INF, .nan, ...;
/// nullopt for any other text (`inf` and `nan` are strings).
std::optional<double> special_float(std::string_view plain);

/// resolve(n).tag.
std::string_view tag(const yaml::Node& n);

/// A YAML 1.1 boolean, or nullopt for any other value.
std::optional<bool> to_bool(const yaml::Node& n);

/// Walks `root` (iteratively, any depth) and reports, as yaml/type, each field named in `fields`
/// whose value does not decode into its type, and each scalar whose explicit tag its text does
/// not fit. Names under a key of `free_form` (labels, headers: chosen by the user) are not fields.
void check_scalars(YamlReader& y, const yaml::Node& root, std::span<const Field> fields,
                   std::span<const std::string_view> free_form);

} // namespace nsmon::core::yaml_v2
