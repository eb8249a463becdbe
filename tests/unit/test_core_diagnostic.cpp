#include <algorithm>
#include <catch2/catch.hpp>
#include <random>
#include <tuple>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/util/strings.hpp"

using namespace nsmon;

TEST_CASE("compiler-style rendering with the source line and a caret", "[diagnostic]") {
  core::SourceSet sources;
  sources.add("rules.yml", "groups:\n  - name: a\n    expr: rate(x[5m])\n");
  core::Diagnostic d{core::Severity::warning, {"rules.yml", 3, 11, 4}, "promql/rate-on-gauge", "rate() on a gauge", ""};
  CHECK(core::render_text(d, sources, false) == "rules.yml:3:11: warning: rate() on a gauge [promql/rate-on-gauge]\n"
                                                "      expr: rate(x[5m])\n"
                                                "            ^~~~\n");
  d.suggestion = "use deriv()";
  CHECK(core::render_text(d, sources, false).find("  help: use deriv() (nsmon explain promql/rate-on-gauge)\n") !=
        std::string::npos);
  CHECK(core::render_text(d, sources, true).find("\033[") != std::string::npos);
}

// A block scalar's expression spans several lines: the caret line ends where the line shown does.
TEST_CASE("a span past its line is underlined to the line's end", "[diagnostic]") {
  core::SourceSet sources;
  sources.add("rules.yml", "    expr: |\n      sum(rate(x[5m]))\n        > 1\n");
  core::Diagnostic d{core::Severity::info, {"rules.yml", 1, 11, 40}, "rules/other-ruler", "not linted", ""};
  CHECK(core::render_text(d, sources, false) == "rules.yml:1:11: info: not linted [rules/other-ruler]\n"
                                                "      expr: |\n"
                                                "            ^\n");
}

TEST_CASE("a message's diff lines are red and green on a terminal, plain otherwise", "[diagnostic]") {
  core::SourceSet sources;
  core::Diagnostic d{
      core::Severity::error, {"t.yml", 0, 0, 0}, "ruletest/failed", "- first line\n    x\n    - a\n  + b\n", ""};
  // The check is named on the first line: after the diff it would stand alone like a line of it.
  CHECK(core::render_text(d, sources, false) ==
        "t.yml: error: - first line [ruletest/failed]\n    x\n    - a\n  + b\n");
  const std::string colored = core::render_text(d, sources, true);
  CHECK(colored.find("\033[31m    - a\033[0m\n\033[32m  + b\033[0m\n") != std::string::npos);
  CHECK(colored.find("\033[31m- first") == std::string::npos); // the first line is the message, not a diff
}

TEST_CASE("control characters in a quoted line cannot reach the terminal", "[diagnostic]") {
  core::SourceSet sources;
  sources.add("f", "a\033[2Jb\n");
  core::Diagnostic d{core::Severity::error, {"f", 1, 2, 1}, "yaml/syntax", "m", ""};
  CHECK(core::render_text(d, sources, false).find('\033') == std::string::npos);
  // Nor do binary bytes (invalid UTF-8) or C1 controls: each byte is a '?', the caret stays put.
  sources.add("g", "\xff\xfe x \xc2\x9b \xc3\xa9 \xe2\x82\n");
  core::Diagnostic e{core::Severity::error, {"g", 1, 4, 1}, "yaml/syntax", "m", ""};
  CHECK(core::render_text(e, sources, false) == "g:1:4: error: m [yaml/syntax]\n  ?? x ?? \xc3\xa9 ??\n     ^\n");
}

// review69's Dameng rules: a severity in Chinese. The column is in bytes, the caret is placed in
// the cells a terminal draws: two for each CJK character, none for a combining mark.
TEST_CASE("the caret stands under wide and combining characters as a terminal draws them", "[diagnostic]") {
  core::SourceSet sources;
  sources.add("r.yml", "    labels: {severity: 严重, team: db}\n\tx: \u00e9e\xcc\x81 y\n");
  core::Diagnostic d{core::Severity::warning, {"r.yml", 1, 24, 6}, "policy/severity", "m", ""};
  CHECK(core::render_text(d, sources, false) == "r.yml:1:24: warning: m [policy/severity]\n"
                                                "      labels: {severity: 严重, team: db}\n"
                                                "                         ^~~~\n");
  core::Diagnostic after{core::Severity::warning, {"r.yml", 1, 32, 4}, "policy/severity", "m", ""};
  CHECK(core::render_text(after, sources, false).ends_with("\n" + std::string(31, ' ') + "^~~~\n"));
  // A tab stays a tab; é (two bytes) and e with a combining acute (three) are one cell each.
  core::Diagnostic tab{core::Severity::warning, {"r.yml", 2, 11, 1}, "policy/severity", "m", ""};
  CHECK(core::render_text(tab, sources, false).ends_with("\n  \t      ^\n"));
}

TEST_CASE("source positions", "[source]") {
  core::SourceFile f("f", "ab\ncd\n\nef");
  CHECK(f.line_count() == 4);
  CHECK(f.line(2) == "cd");
  CHECK(f.line(3).empty());
  CHECK(f.line_col(0).line == 1);
  CHECK(f.line_col(4).line == 2);
  CHECK(f.line_col(4).col == 2);
  CHECK(f.offset(4, 2) == 8);
  // A final newline ends the last line, it starts none; an empty text is one empty line.
  CHECK(core::SourceFile("f", "a\nb\n").line_count() == 2);
  CHECK(core::SourceFile("f", "").line_count() == 1);
  core::SourceFile nl("f", "\n\n\n");
  CHECK(nl.line_count() == 3);
  CHECK(nl.line_col(2).line == 3);
}

TEST_CASE("source positions: every line break found, across the scan's 16-byte blocks", "[source]") {
  // Texts of 0 to 70 bytes with a line break at every third byte from `phase`: the lines are
  // counted and each one starts where the text says.
  for (std::size_t size = 0; size <= 70; ++size)
    for (std::size_t phase = 0; phase < 3; ++phase) {
      std::string text(size, 'x');
      for (std::size_t i = phase; i < size; i += 3) text[i] = '\n';
      INFO(size << " " << phase);
      core::SourceFile f("f", text);
      std::vector<std::string_view> want;
      std::string_view rest = text;
      for (std::size_t nl; (nl = rest.find('\n')) != std::string_view::npos; rest.remove_prefix(nl + 1))
        want.push_back(rest.substr(0, nl));
      if (!rest.empty() || want.empty()) want.push_back(rest);
      REQUIRE(f.line_count() == static_cast<int>(want.size()));
      for (int l = 1; l <= f.line_count(); ++l) CHECK(f.line(l) == want[static_cast<std::size_t>(l - 1)]);
    }
}

TEST_CASE("did you mean", "[strings]") {
  std::vector<std::string> names = {"training_loss", "validation_map", "learning_rate"};
  CHECK(util::did_you_mean("trainig_loss", names) == "training_loss");
  CHECK(util::did_you_mean("learning_rat", names) == "learning_rate");
  CHECK(util::did_you_mean("cpu_usage_percent", names).empty());
  CHECK(util::did_you_mean("training_loss", names).empty());
  CHECK(util::format_number(0.1) == "0.1");
}

TEST_CASE("FilePath: one stored path per name, compared and ordered as the path", "[core]") {
  core::FilePath a("rules/a.yml"), a2(std::string("rules/a.yml")), b("rules/b.yml"), none;
  CHECK(a == a2);
  CHECK(&a.str() == &a2.str()); // the same stored string, not a copy
  CHECK(a != b);
  CHECK(a < b);
  CHECK_FALSE(b < a);
  CHECK(none.empty());
  CHECK(none == core::FilePath(""));
  core::Span s{a, 1, 2, 3};
  core::Span copy = s;
  CHECK(&copy.file.str() == &a.str());
  CHECK(static_cast<const std::string&>(copy.file) == "rules/a.yml");
}

TEST_CASE("SourceFile: the text without the parser's padding, lines and positions", "[core]") {
  core::SourceFile src("f.yml", "a: 1\r\nb: 2\nc");
  CHECK(src.text() == "a: 1\r\nb: 2\nc");
  CHECK(src.text().data()[src.text().size()] == '\0'); // the padding parse_in_place reads
  CHECK(src.line_count() == 3);
  CHECK(src.line(1) == "a: 1");
  CHECK(src.line(3) == "c");
  CHECK(src.line(4).empty());
  CHECK(src.offset(9, 1) == src.text().size());
  auto lc = src.line_col(1000);
  CHECK(lc.line == 3);
  CHECK(lc.col == 2);
}

TEST_CASE("sort_diagnostics: by file, line, column, check and message, equal ones in their order", "[diagnostic]") {
  std::mt19937 rng(7);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  std::vector<core::Diagnostic> diags;
  for (int i = 0; i < 2000; ++i) {
    core::Diagnostic d{core::Severity::warning,
                       {pick(2) ? "b.yml" : "a.yml", pick(5), pick(4), 1},
                       pick(2) ? core::CheckId("promql/rate-on-gauge") : core::CheckId("promql/syntax"),
                       "m" + std::to_string(pick(3)),
                       ""};
    d.rule = std::to_string(i); // tells equal ones apart
    diags.push_back(d);
  }
  auto expected = diags;
  std::stable_sort(expected.begin(), expected.end(), [](const core::Diagnostic& a, const core::Diagnostic& b) {
    return std::tie(a.span.file, a.span.line, a.span.col, a.check, a.message) <
           std::tie(b.span.file, b.span.line, b.span.col, b.check, b.message);
  });
  core::sort_diagnostics(diags);
  REQUIRE(diags.size() == expected.size());
  for (std::size_t i = 0; i < diags.size(); ++i) CHECK(diags[i].rule == expected[i].rule);
}

TEST_CASE("a message quoting binary input or a huge line reaches the terminal printable and cut", "[diagnostic]") {
  core::SourceSet sources;
  core::Diagnostic d{core::Severity::error,
                     {"t.yml", 0, 0, 0},
                     "ruletest/failed",
                     "got {job=\"\xff\x1b[2J\"}\n    + " + std::string(1000, 'x'),
                     ""};
  const std::string text = core::render_text(d, sources, false);
  CHECK(text.find('\033') == std::string::npos);
  CHECK(text.find('\xff') == std::string::npos);
  CHECK(text.find("got {job=\"??[2J\"} [ruletest/failed]\n") != std::string::npos);
  CHECK(text.find(std::string(394, 'x') + "... (606 more bytes)\n") != std::string::npos);
  CHECK(text.find(std::string(395, 'x')) == std::string::npos);
}
