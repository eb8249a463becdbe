#include "nsmon/alertmanager/templates.hpp"

#include <cstdlib>
#include <re2/re2.h>

#include "nsmon/alertmanager/notifiers.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/rules/template_parse.hpp"

namespace nsmon::alertmanager {

namespace {
// Go's parser has no nesting limit; nsmon stops at a depth no real template reaches.
constexpr std::size_t kMaxNesting = 1000;
} // namespace

std::string template_error(std::string_view text, std::string_view name) {
  auto parsed = rules::tmpl::parse(name, text, kMaxNesting, detail::known_template_function);
  return parsed.error.value_or("");
}

void check_template_file(const core::SourceFile& file, std::vector<core::Diagnostic>& diags) {
  std::string name = file.path();
  if (auto slash = name.rfind('/'); slash != std::string::npos) name.erase(0, slash + 1);
  std::string err = template_error(file.text(), name);
  if (err.empty()) return;
  // "template: NAME:LINE: message": point at LINE of the file.
  int line = 1;
  std::string prefix = "template: " + name + ":";
  if (err.rfind(prefix, 0) == 0) line = std::atoi(err.c_str() + prefix.size());
  diags.push_back(core::make_diagnostic("alertmanager/template", core::Span{file.path(), line == 0 ? 1 : line, 1, 0},
                                        err,
                                        "Alertmanager refuses to load a configuration whose templates do not parse"));
}

std::string placeholder(std::string_view value) {
  static const RE2 your(R"((?i)(^|[^a-z0-9])your[_-][a-z0-9_-]+)");
  static const RE2 example(R"((?i)(^|[@./])example\.(com|org|net)($|[:/>?#]))");
  static const RE2 change(R"((?i)^(changeme|change[_-]me|replace[_-]?me|password|todo|xxx+)$)");
  // xxx@xxx.com, .../XXXXXXXX: a run of x as a whole word.
  static const RE2 xs(R"((^|[^A-Za-z0-9])[xX]{3,}([^A-Za-z0-9]|$))");
  // '#<channel-name>', .../services/<webhook-id>, <team-X-key>: a name in angle brackets with a
  // - or _ (not Slack's <!here> or <@U123>, nor an HTML tag).
  static const RE2 angle(R"(<[A-Za-z][A-Za-z0-9]*[-_][A-Za-z0-9_-]*>)");
  // https://hooks.slack.com/services/API/KEY: the words where a URL's token goes.
  static const RE2 token_words(R"(^https?://[^/]+/.*/(API|KEY|TOKEN|SECRET)(/|$))");
  // api_key: opsgenie-key: the field's name where its value goes.
  static const RE2 named(R"((?i)^[a-z]+[-_](key|token|secret|password)$)");
  static const RE2 slack_bare(R"(^https?://hooks\.slack\.com/services/?$)");
  re2::StringPiece v(value.data(), value.size());
  if (RE2::PartialMatch(v, your)) return "it says \"your ...\"";
  if (RE2::PartialMatch(v, example)) return "example.com, .org and .net are reserved for documentation";
  if (RE2::FullMatch(v, change) || RE2::PartialMatch(v, xs)) return "a value to be replaced";
  if (value.find("{{") == std::string_view::npos && RE2::PartialMatch(v, angle)) return "a <name> to be filled in";
  if (RE2::PartialMatch(v, token_words)) return "words where the URL's token goes";
  if (RE2::PartialMatch(v, slack_bare)) return "a Slack webhook URL without its token";
  if (RE2::FullMatch(v, named)) return "a name where the value goes";
  return {};
}

} // namespace nsmon::alertmanager
