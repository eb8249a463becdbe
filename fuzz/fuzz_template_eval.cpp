// libFuzzer target: the input as an alert template, expanded by nsmon's Go text/template
// evaluator with labels, a value and a `query` that answers samples. Hostile templates (deep
// nesting, recursion through define/template, huge ranges and outputs) must end in text or an
// error within the limits, never a crash or a hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "nsmon/gotemplate/eval.hpp"

using namespace nsmon::gotemplate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  TemplateData d;
  d.labels = {{"job", "api"}, {"instance", "host:9090"}, {"__value__", "7"}};
  d.external_labels = {{"cluster", "eu"}};
  d.external_url = "http://prom.example.com/prefix";
  d.value = size % 3 == 0 ? 1e6 : size % 3 == 1 ? -0.25 : 0;
  QueryFn query = [](std::string_view expr) {
    QueryAnswer a;
    if (expr.empty()) a.error = "empty query";
    for (std::size_t i = 0; i < expr.size() % 5; ++i) a.samples.push_back({{{"job", std::to_string(i)}}, double(i)});
    return a;
  };
  TemplateLimits limits;
  limits.max_steps = 20000;
  limits.max_output = 1 << 16;
  Expanded e = expand_template("fuzz", text, d, query, limits);
  if (e.error && e.error->rfind("error ", 0) != 0) __builtin_trap();
  if (!e.error && e.text.size() > limits.max_output) __builtin_trap();
  if (e.error && !e.text.empty()) __builtin_trap();
  Expanded a = expand_alert_template("A", text, d, query);
  if (a.error && a.text.rfind("<error expanding template: ", 0) != 0) __builtin_trap();
  return 0;
}
