#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/gotemplate/eval.hpp"

// The values a template computes with, typed as Go types them (what `printf` and the error
// messages name), their printing as Go's fmt prints them, and the functions Prometheus and Go
// give templates. Internal to the evaluator (eval.cpp, funcs.cpp).

namespace nsmon::gotemplate::detail {

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
    kv,       ///< Alertmanager's template.KV (map[string]string with methods), in `labels`
    list,     ///< a slice, in `list`; `s` is its Go type ("[]string", "template.Alerts", ...)
    object,   ///< a Go struct, its fields in declaration order in `any_map`; `s` is its type
    go_time,  ///< time.Time, `i` in milliseconds since the epoch and `written` (Alertmanager's StartsAt)
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
  std::shared_ptr<const std::vector<Value>> list;
  const TemplateData* data = nullptr;
  TimeAsWritten written; ///< go_time: its nanoseconds below `i` and its offset

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
  static Value of_sample(std::shared_ptr<const TemplateSample> v) {
    return make(Kind::sample, [&](Value& x) { x.sample = std::move(v); });
  }
  static Value label_map(labels::Labels pairs);
  static Value kv(labels::Labels pairs);
  static Value list_of(std::string type, std::vector<Value> items);
  static Value object(std::string type, AnyMap fields);

private:
  template <class F> static Value make(Kind k, F set) {
    Value v;
    v.kind = k;
    set(v);
    return v;
  }
};

/// What rules/alerting.go puts before an alert's template (one line: Go's column of an error in
/// the template's first line counts it).
constexpr std::string_view kAlertPreamble = "{{$labels := .Labels}}{{$externalLabels := .ExternalLabels}}"
                                            "{{$externalURL := .ExternalURL}}{{$value := .Value}}";

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

/// html/template's escaping of text and attribute values (htmlEscaper: also '+' and NUL);
/// text/template's `html` function leaves '+' alone.
std::string html_escape_text(std::string_view s, bool escape_plus = true);
/// html/template's URL escaping: `normalize` keeps reserved characters and valid %XX escapes.
std::string url_escape(std::string_view s, bool normalize);

/// The parameters a function declares, as Go's reflection checks arguments against them.
enum class Param { string, number, any, sample, samples, strings };

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
  bool alertmanager = false; ///< Alertmanager's functions (its title is cases.Title)
};

/// A method of a value's Go type (template.KV's SortedPairs, Remove, ...; template.Alerts' Firing).
struct Method {
  std::string_view type; ///< the receiver's type_name
  std::string_view name;
  std::vector<Param> params;
};

/// The method `name` of `recv`'s type, or nullptr.
const Method* find_method(const Value& recv, std::string_view name);

/// Calls a method with arguments already checked against its parameters.
CallResult call_method(const Method& m, const Value& recv, const std::vector<Value>& args);

/// Alertmanager's notification data as a value: *template.Data.
Value notification_value(const NotificationData& data);

/// Calls a function other than and/or (which the executor short-circuits), with arguments already
/// checked against its parameters.
CallResult call_function(const Function& fn, std::vector<Value>& args, const Env& env);

} // namespace nsmon::gotemplate::detail
