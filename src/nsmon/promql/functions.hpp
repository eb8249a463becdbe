#pragma once
#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include "nsmon/promql/ast.hpp"

namespace nsmon::promql {

/// A PromQL function, as in Prometheus 3.x's promql/parser/functions.go.
struct Function {
  std::string_view name;
  std::array<ValueType, 5> arg_buffer{};
  std::size_t arg_count = 0;
  /// 0: exactly arg_count arguments; n > 0: the last argument type may repeat up to n more
  /// times beyond arg_count - 1; -1: unlimited repetitions.
  int variadic = 0;
  ValueType return_type = ValueType::vector;
  bool experimental = false; ///< needs --enable-feature=promql-experimental-functions

  std::span<const ValueType> arg_types() const { return {arg_buffer.data(), arg_count}; }
};

/// The function with this exact (case-sensitive) name, or nullptr.
const Function* find_function(std::string_view name);

/// All functions, sorted by name.
std::span<const Function> all_functions();

} // namespace nsmon::promql
