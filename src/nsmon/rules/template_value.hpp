#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/rules/template_eval.hpp"

// The values a template computes with, typed as Go types them (what `printf` and the error
// messages name), their printing as Go's fmt prints them, and the functions Prometheus and Go
// give templates. Internal to the evaluator (template_eval.cpp, template_funcs.cpp).

namespace nsmon::rules::tmpl {

struct Value;
using AnyMap = std::vector<std::pair<std::string, Value>>; ///< map[string]interface{}, sorted by key
using Samples = std::vector<std::shared_ptr<const TemplateSample>>;

struct Value {
  enum class Kind {
    nil,      ///< an invalid reflect.Value: Go prints "<no value>"
    boolean,  ///< bool
    integer,  ///< int (number constants without '.', 'e')
    floating, ///< float64
    string,   ///< string
    html,     ///< html/template.HTML (safeHtml)
    labels,   ///< map[string]string
    any_map,  ///< map[string]interface{} (args)
    sample,   ///< *template.sample
    samples,  ///< template.queryResult
    time,     ///< *time.Time, `i` in milliseconds since the epoch (model.Time)
    duration, ///< *time.Duration, `i` in nanoseconds
    data,     ///< the alert's template data (a Go struct)
  };
  Kind kind = Kind::nil;
  bool b = false;
  std::int64_t i = 0;
  double f = 0;
  std::string s;
  std::shared_ptr<const labels::Labels> labels; ///< sorted by name
  std::shared_ptr<const AnyMap> any_map;
  std::shared_ptr<const TemplateSample> sample; ///< may be null: a nil *sample
  std::shared_ptr<const Samples> samples;
  const TemplateData* data = nullptr;

  static Value boolean(bool v) {
    return make(Kind::boolean, [&](Value& x) { x.b = v; });
  }
  static Value integer(std::int64_t v) {
    return make(Kind::integer, [&](Value& x) { x.i = v; });
  }
  static Value floating(double v) {
    return make(Kind::floating, [&](Value& x) { x.f = v; });
  }
  static Value string(std::string v, Kind k = Kind::string) {
    return make(k, [&](Value& x) { x.s = std::move(v); });
  }
  static Value label_map(labels::Labels pairs);

private:
  template <class F> static Value make(Kind k, F set) {
    Value v;
    v.kind = k;
    set(v);
    return v;
  }
};

/// The Go type name: "float64", "map[string]string", "*template.sample", ...
std::string type_name(const Value& v);
/// Go's truth: false, 0, "", empty maps and slices, nil are false.
bool truth(const Value& v);
/// fmt.Sprint of one value (%v); nil is "<nil>".
std::string sprint_one(const Value& v);
/// What an action prints: a nil value is "<no value>", everything else fmt.Sprint.
std::string print_action(const Value& v);
/// fmt.Sprint / fmt.Sprintln of several values (spaces as Go puts them).
std::string sprint(const std::vector<Value>& args);
std::string sprintln(const std::vector<Value>& args);
/// fmt.Sprintf with Go's verbs, flags and its %!verb(type=value) complaints.
std::string sprintf(std::string_view format, const std::vector<Value>& args);
/// strconv.FormatFloat(v, 'g', -1, 64) as %v prints a float64: "1e+06", "0.1", "+Inf", "NaN".
std::string format_float_v(double v);

/// The parameters a function declares, as Go's reflection checks arguments against them.
enum class Param { string, number, any, sample, samples };

struct Function {
  std::string_view name;
  std::vector<Param> params;
  bool variadic = false; ///< the last parameter repeats (...interface{})
};

/// Prometheus's template functions and Go's builtins; nullptr for an unknown name.
const Function* find_function(std::string_view name);

/// What a function call gives: a value, or the error Go reports as "error calling NAME: ...".
struct CallResult {
  Value value;
  std::optional<std::string> error;
};

struct Env {
  const TemplateData* data = nullptr;
  const QueryFn* query = nullptr;
};

/// Calls a function other than and/or (which the executor short-circuits), with arguments already
/// checked against its parameters.
CallResult call_function(const Function& fn, std::vector<Value>& args, const Env& env);

} // namespace nsmon::rules::tmpl
