#include <algorithm>
#include <cstdlib>

#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/gotemplate/value.hpp"

namespace nsmon::gotemplate {

namespace {

// Go's execution errors that the types of the values decide (text/template's exec.go and funcs.go,
// Prometheus's convertToFloat). Others depend on the values: index out of range, first() of an
// empty result, a nil from a missing key.
constexpr std::string_view kTypeErrors[] = {
    "wrong type for value; expected ",
    "expected string; found ",
    "expected float; found ",
    "wrong number of args for ",
    "can't give argument to non-function ",
    "can't evaluate field ",
    "range can't iterate over ",
    "incompatible types for comparison",
    " to float", // humanize's "can't convert *template.sample to float"
    "strconv.ParseFloat: parsing \"",
};

// A string humanize could not parse, that is no label read as "1" nor an empty (missing) value.
bool type_error(std::string_view message) {
  if (message.find("strconv.ParseFloat: parsing \"\"") != std::string_view::npos) return false;
  return std::any_of(std::begin(kTypeErrors), std::end(kTypeErrors),
                     [&](std::string_view e) { return message.find(e) != std::string_view::npos; });
}

// The byte offset in `text` of Go's "LINE:COL" (COL counted from 0 on its line) in the template
// `preamble` + `text`, whose preamble has no newline.
std::optional<std::size_t> text_offset(std::string_view text, std::size_t preamble, std::size_t line, std::size_t col) {
  if (line == 1) return col >= preamble ? std::optional(col - preamble) : std::nullopt;
  std::size_t start = 0;
  for (std::size_t l = 1; l < line; ++l) {
    start = text.find('\n', start);
    if (start == std::string_view::npos) return std::nullopt;
    ++start;
  }
  return start + col <= text.size() ? std::optional(start + col) : std::nullopt;
}

} // namespace

std::optional<TypeFault> find_type_fault(std::string_view text, const std::vector<std::string>& label_names) {
  TemplateData data;
  for (const auto& name : label_names) labels::set(data.labels, name, "1");
  data.value = 1;
  QueryFn one_sample = [](std::string_view) { return QueryAnswer{{TemplateSample{{}, 1}}, std::nullopt}; };
  Expanded e = expand_alert_template("a", text, data, one_sample);
  if (e.error) {
    // "error executing template __alert_a: template: __alert_a:LINE:COL: executing "__alert_a" at <...>: ..."
    static constexpr std::string_view kAt = "template: __alert_a:", kExec = "executing \"__alert_a\" ";
    const std::string& err = *e.error;
    std::size_t at = err.find(kAt), exec = err.find(kExec);
    if (at == std::string::npos || exec == std::string::npos || !type_error(err)) return std::nullopt;
    char* end = nullptr;
    std::size_t line = std::strtoul(err.c_str() + at + kAt.size(), &end, 10);
    std::size_t col = *end == ':' ? std::strtoul(end + 1, &end, 10) : 0;
    return TypeFault{text_offset(text, detail::kAlertPreamble.size(), line, col), err.substr(exec + kExec.size())};
  }
  // Go's fmt complains in the text: "%!s(float64=1)", "%!s(MISSING)", "%!(EXTRA string=1)". A
  // "(<nil>)" is a missing value, which the alert's data may have.
  if (text.find("%!") != std::string_view::npos) return std::nullopt;
  for (std::size_t p = e.text.find("%!"); p != std::string::npos; p = e.text.find("%!", p + 2)) {
    std::size_t close = e.text.find(')', p);
    if (close == std::string::npos) break;
    std::string_view complaint = std::string_view(e.text).substr(p, close + 1 - p);
    if (complaint.find('(') == std::string_view::npos || complaint.find("<nil>") != std::string_view::npos) continue;
    // The value in it is the probe's: "%!s(float64=...)".
    std::string shown(complaint.substr(0, complaint.find('=') == std::string_view::npos ? complaint.size()
                                                                                        : complaint.find('=') + 1));
    return TypeFault{std::nullopt, shown.back() == '=' ? shown + "...)" : shown};
  }
  return std::nullopt;
}

} // namespace nsmon::gotemplate
