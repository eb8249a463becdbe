// libFuzzer target: the input as an alert label or annotation template through the checker that
// the rule loader runs (gotemplate::check_template): errors, label references (in actions and in
// the text between them), the queries a template writes out with what it reads from their
// samples, and $value printed per a unit of time. Every offset lies inside the input, and filling
// a query's printf verbs never crashes. Where an action may fault by type, the evaluator's probe
// (gotemplate::find_type_fault) runs too, and its offset lies inside the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "nsmon/gotemplate/check.hpp"
#include "nsmon/gotemplate/eval.hpp"

using namespace nsmon::gotemplate;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // Prometheus's dialect or vmalert's, by the input's length.
  TemplateInfo info = check_template(text, size % 2 ? Dialect::vmalert : Dialect::prometheus);
  auto inside = [&](std::size_t offset, std::size_t length) {
    if (offset > size || length > size - offset) __builtin_trap();
  };
  for (const auto& e : info.errors) inside(e.offset, 0);
  for (const auto& r : info.label_refs) inside(r.offset, r.length);
  for (const auto& r : info.text_refs) inside(r.offset, r.length);
  for (const auto& p : info.value_per_time)
    if (p.offset > size || text.find(p.written) == std::string::npos || p.seconds <= 0) __builtin_trap();
  for (const auto& q : info.queries) {
    inside(q.offset, q.length);
    for (const auto& r : q.label_refs) inside(r.offset, r.length);
    if (q.formatted) (void)fill_verbs(q.text, "x");
  }
  (void)fill_verbs(text, "1m");
  if (info.errors.empty() && info.may_fault) {
    std::vector<std::string> names;
    for (const auto& r : info.label_refs) names.push_back(r.name);
    if (auto f = find_type_fault(text, names); f && f->offset) inside(*f->offset, 0);
  }
  return 0;
}
