#include "nsmon/promql/functions.hpp"

#include <algorithm>

namespace nsmon::promql {

namespace {

constexpr ValueType S = ValueType::scalar;
constexpr ValueType V = ValueType::vector;
constexpr ValueType M = ValueType::matrix;
constexpr ValueType Str = ValueType::string;

constexpr Function fn(std::string_view name, std::initializer_list<ValueType> args, ValueType ret = V, int variadic = 0,
                      bool experimental = false) {
  Function f;
  f.name = name;
  for (ValueType t : args) f.arg_buffer[f.arg_count++] = t;
  f.variadic = variadic;
  f.return_type = ret;
  f.experimental = experimental;
  return f;
}

constexpr bool kExperimental = true;

// Sorted by name for binary search.
constexpr Function kFunctions[] = {
    fn("abs", {V}),
    fn("absent", {V}),
    fn("absent_over_time", {M}),
    fn("acos", {V}),
    fn("acosh", {V}),
    fn("asin", {V}),
    fn("asinh", {V}),
    fn("atan", {V}),
    fn("atanh", {V}),
    fn("avg_over_time", {M}),
    fn("ceil", {V}),
    fn("changes", {M}),
    fn("clamp", {V, S, S}),
    fn("clamp_max", {V, S}),
    fn("clamp_min", {V, S}),
    fn("cos", {V}),
    fn("cosh", {V}),
    fn("count_over_time", {M}),
    fn("day_of_month", {V}, V, 1),
    fn("day_of_week", {V}, V, 1),
    fn("day_of_year", {V}, V, 1),
    fn("days_in_month", {V}, V, 1),
    fn("deg", {V}),
    fn("delta", {M}),
    fn("deriv", {M}),
    fn("double_exponential_smoothing", {M, S, S}, V, 0, kExperimental),
    fn("end", {}, S, 0, kExperimental),
    fn("exp", {V}),
    fn("first_over_time", {M}),
    fn("floor", {V}),
    fn("histogram_avg", {V}),
    fn("histogram_count", {V}),
    fn("histogram_fraction", {S, S, V}),
    fn("histogram_quantile", {S, V}),
    fn("histogram_quantiles", {V, Str, S, S}, V, 9, kExperimental),
    fn("histogram_stddev", {V}),
    fn("histogram_stdvar", {V}),
    fn("histogram_sum", {V}),
    fn("hour", {V}, V, 1),
    fn("idelta", {M}),
    fn("increase", {M}),
    fn("info", {V, V}, V, 1, kExperimental),
    fn("irate", {M}),
    fn("label_join", {V, Str, Str, Str}, V, -1),
    fn("label_replace", {V, Str, Str, Str, Str}),
    fn("last_over_time", {M}),
    fn("ln", {V}),
    fn("log10", {V}),
    fn("log2", {V}),
    fn("mad_over_time", {M}, V, 0, kExperimental),
    fn("max_of", {S, S}, S, 0, kExperimental),
    fn("max_over_time", {M}),
    fn("min_of", {S, S}, S, 0, kExperimental),
    fn("min_over_time", {M}),
    fn("minute", {V}, V, 1),
    fn("month", {V}, V, 1),
    fn("pi", {}, S),
    fn("predict_linear", {M, S}),
    fn("present_over_time", {M}),
    fn("quantile_over_time", {S, M}),
    fn("rad", {V}),
    fn("range", {}, S, 0, kExperimental),
    fn("rate", {M}),
    fn("resets", {M}),
    fn("round", {V, S}, V, 1),
    fn("scalar", {V}, S),
    fn("sgn", {V}),
    fn("sin", {V}),
    fn("sinh", {V}),
    fn("sort", {V}),
    fn("sort_by_label", {V, Str}, V, -1, kExperimental),
    fn("sort_by_label_desc", {V, Str}, V, -1, kExperimental),
    fn("sort_desc", {V}),
    fn("sqrt", {V}),
    fn("start", {}, S, 0, kExperimental),
    fn("start_timestamp", {V}, V, 0, kExperimental),
    fn("stddev_over_time", {M}),
    fn("stdvar_over_time", {M}),
    fn("step", {}, S, 0, kExperimental),
    fn("sum_over_time", {M}),
    fn("tan", {V}),
    fn("tanh", {V}),
    fn("time", {}, S),
    fn("timestamp", {V}),
    fn("ts_of_first_over_time", {M}, V, 0, kExperimental),
    fn("ts_of_last_over_time", {M}, V, 0, kExperimental),
    fn("ts_of_max_over_time", {M}, V, 0, kExperimental),
    fn("ts_of_min_over_time", {M}, V, 0, kExperimental),
    fn("vector", {S}),
    fn("year", {V}, V, 1),
};

} // namespace

const Function* find_function(std::string_view name) {
  auto it = std::lower_bound(std::begin(kFunctions), std::end(kFunctions), name,
                             [](const Function& f, std::string_view n) { return f.name < n; });
  return it != std::end(kFunctions) && it->name == name ? &*it : nullptr;
}

std::span<const Function> all_functions() { return kFunctions; }

} // namespace nsmon::promql
