// The table of check ids (core/checks.hpp) and the lists read from it.
#include <catch2/catch.hpp>
#include <string>
#include <type_traits>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/lint/lint.hpp"

using namespace nsmon;

namespace {

// "family/name", lower case, words joined by '-'.
bool well_formed(std::string_view id) {
  auto slash = id.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return false;
  for (std::size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i != slash + 1) || i == slash;
    if (!ok) return false;
  }
  return id.find('/', slash + 1) == std::string_view::npos;
}

} // namespace

TEST_CASE("check table: each id once, sorted as --list-checks prints them, each with a summary", "[checks]") {
  REQUIRE(!core::kChecks.empty());
  for (std::size_t i = 0; i < core::kChecks.size(); ++i) {
    const core::CheckInfo& c = core::kChecks[i];
    INFO(c.id);
    CHECK(well_formed(c.id));
    CHECK(!c.summary.empty());
    CHECK(c.summary.find('\n') == std::string_view::npos);
    if (i > 0) CHECK(core::kChecks[i - 1].id < c.id); // strictly increasing: sorted, no duplicates
  }
}

TEST_CASE("check table: lint-rules, gen-dashboards and nsmon's own files read their sections", "[checks]") {
  std::size_t lint = 0, dash = 0, own = 0;
  for (const auto& c : core::kChecks) {
    INFO(c.id);
    bool is_dashboards = std::string_view(c.id).starts_with("dashboards/");
    CHECK(is_dashboards == (c.section == core::CheckSection::dashboards));
    // --list-checks, SARIF, policy files and completions know exactly the lint section.
    const lint::CheckInfo* found = lint::find_check(c.id);
    CHECK((found != nullptr) == (c.section == core::CheckSection::lint));
    if (found) CHECK(found->severity == c.severity);
    lint += c.section == core::CheckSection::lint;
    dash += c.section == core::CheckSection::dashboards;
    own += c.section == core::CheckSection::nsmon_files;
  }
  CHECK(lint::checks().size() == lint);
  CHECK(dashboards::checks().size() == dash);
  CHECK(own > 0);
  for (std::size_t i = 1; i < lint::checks().size(); ++i) CHECK(lint::checks()[i - 1].id < lint::checks()[i].id);
}

TEST_CASE("CheckId: the table's row for a literal id", "[checks]") {
  constexpr core::CheckId gauge("promql/rate-on-gauge");
  static_assert(gauge.id() == "promql/rate-on-gauge");
  static_assert(gauge.severity() == core::Severity::warning);
  static_assert(core::CheckId("yaml/syntax").severity() == core::Severity::error);
  static_assert(core::CheckId("metrics/help").severity() == core::Severity::info);
  CHECK(gauge.info().summary == "rate/irate/increase over a gauge");
  CHECK(gauge == core::CheckId("promql/rate-on-gauge"));
  CHECK(gauge != core::CheckId("promql/counter-raw"));
  // Ordered as the table, which is id order (the order findings are sorted in).
  static_assert(core::CheckId("promql/counter-raw") < gauge);
  // Only the table makes one: never a string known at run time, so a finding's check is a row.
  static_assert(!std::is_constructible_v<core::CheckId, std::string>);
  static_assert(!std::is_convertible_v<std::string_view, core::CheckId>);
  // A misspelt id does not compile: core::CheckId("promql/rate-on-gaueg") fails with
  // "call to non-'constexpr' function ... unknown_check_id".
}

TEST_CASE("make_diagnostic: the check's id and default severity", "[checks]") {
  core::Diagnostic d = core::make_diagnostic("catalog/unknown-metric", {"r.yml", 3, 5, 7}, "m", "s");
  CHECK(d.severity == core::Severity::error);
  CHECK(d.check == "catalog/unknown-metric");
  CHECK(d.span.line == 3);
  CHECK(d.span.len == 7);
  CHECK(d.message == "m");
  CHECK(d.suggestion == "s");
  CHECK(core::make_diagnostic("alerts/topk", {}, "m").severity == core::Severity::warning);
  CHECK(core::make_diagnostic("rules/record-naming", {}, "m").severity == core::Severity::info);
}
