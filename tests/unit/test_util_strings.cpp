// util/strings and text::parse_seconds: the helpers every flag parser uses; the one display width.
#include <algorithm>
#include <catch2/catch.hpp>
#include <set>

#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

using namespace nsmon;
using V = std::vector<std::string>;

TEST_CASE("split_lists: comma-separated and repeated flags, trimmed, empty items skipped", "[util]") {
  CHECK(util::split_lists({}).empty());
  CHECK(util::split_lists({""}).empty());
  CHECK(util::split_lists({"a"}) == V{"a"});
  CHECK(util::split_lists({"a, b", "c"}) == V{"a", "b", "c"});
  CHECK(util::split_lists({" a ,,b,", ",", "  "}) == V{"a", "b"});
}

TEST_CASE("join and concat: any range of strings, pieces in order", "[util]") {
  CHECK(util::join({"a", "b", "c"}, ", ") == "a, b, c");
  CHECK(util::join(std::vector<std::string>{}, ", ").empty());
  CHECK(util::join(std::set<std::string>{"z", "", "a"}, "|") == "|a|z"); // an empty first part still gets its separator
  CHECK(util::join(std::vector<std::string_view>{"x"}, ", ") == "x");
  CHECK(util::concat({}).empty());
  const std::string long_piece(100, 'x');
  CHECK(util::concat({"a ", long_piece, "", " b"}) == "a " + long_piece + " b");
}

TEST_CASE("parse_seconds: a Prometheus duration or plain seconds", "[util]") {
  CHECK(text::parse_seconds("500ms") == 0.5);
  CHECK(text::parse_seconds("2s") == 2);
  CHECK(text::parse_seconds("1h30m") == 5400);
  CHECK(text::parse_seconds("2") == 2);
  CHECK(text::parse_seconds("0.25") == 0.25);
  CHECK(text::parse_seconds(" 3 ") == 3);
  CHECK(text::parse_seconds("0") == 0);
  for (const char* bad : {"", "s", "1x", "-1", "+1", "1s2", "nan", "inf", "1.5s", "2 s"})
    CHECK_FALSE(text::parse_seconds(bad).has_value());
}

TEST_CASE("did_you_mean: the nearest name when it is a likely typo", "[util]") {
  V commands = {"query", "lint-rules", "lint-metrics", "gen-dashboards", "watch"};
  CHECK(util::did_you_mean("lint-rule", commands) == "lint-rules");
  CHECK(util::did_you_mean("querry", commands) == "query");
  CHECK(util::did_you_mean("completely-different", commands).empty());
  // Two neighbours swapped are one edit: a five-letter name allows one.
  CHECK(util::did_you_mean("modle", V{"model", "stage"}) == "model");
}

// lint-rules hands it the files' alert names as they come: unsorted, with repeats.
TEST_CASE("did_you_mean: of equally near names the first in order, whatever the candidates' order", "[util]") {
  for (const V& names :
       {V{"Alert1a", "Alert1b"}, V{"Alert1b", "Alert1a"}, V{"Alert1b", "Alert1b", "Alert1a", "Alert1a"}})
    CHECK(util::did_you_mean("Alert1x", names) == "Alert1a");
}

TEST_CASE("edit_distance: a swap of neighbours is one edit, the cap stops early", "[util]") {
  CHECK(util::edit_distance("modle", "model") == 1);
  CHECK(util::edit_distance("abcd", "badc") == 2);
  CHECK(util::edit_distance("kitten", "sitting") == 3);
  CHECK(util::edit_distance("", "abc") == 3);
  CHECK(util::edit_distance("ca", "abc") == 3); // a swap and an insertion: no edit after a swap
  CHECK(util::edit_distance("abcdefgh", "hgfedcba", 2) == 3);
  // Within the cap the distance is exact; past it, only "more than the cap" is promised.
  const char* words[] = {"model", "modle", "odel", "mdoel", "lemod", "stage", "status", "", "m", "mo"};
  for (const char* a : words)
    for (const char* b : words) {
      std::size_t capped = util::edit_distance(a, b, 2), full = util::edit_distance(a, b);
      CHECK((full <= 2 ? capped == full : capped > 2));
    }
}

TEST_CASE("FirstSeen: true only the first time a string is given, past its first 16 too", "[util]") {
  std::vector<std::string> keys;
  for (int i = 0; i < 40; ++i) keys.push_back("key" + std::to_string(i));
  util::FirstSeen first;
  for (const auto& k : keys) CHECK(first(k));
  for (const auto& k : keys) CHECK_FALSE(first(k)); // the first 16 compared, the rest in the set
  CHECK(first("key40"));
  util::FirstSeen few;
  CHECK(few(""));
  CHECK_FALSE(few(""));
  CHECK(few("a"));
}

TEST_CASE("count_byte and valid_utf8 on texts longer than their blocks", "[util]") {
  std::string s;
  for (int i = 0; i < 300; ++i) s += static_cast<char>(i % 7 == 0 ? '\n' : 'a' + i % 26);
  for (std::size_t n = 0; n <= s.size(); ++n) {
    std::string_view v(s.data(), n);
    CHECK(util::count_byte(v, '\n') == static_cast<std::size_t>(std::count(v.begin(), v.end(), '\n')));
  }
  CHECK(util::count_byte(std::string(200, 'x'), 'x') == 200);
  // A bad byte at every position of an ASCII text with a character of each length.
  const std::string good = s.substr(0, 100) + "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" + s.substr(0, 100);
  REQUIRE(text::go::valid_utf8(good));
  for (std::size_t p = 0; p < good.size(); ++p) {
    std::string bad = good;
    bad[p] = '\xFF';
    INFO(p);
    CHECK_FALSE(text::go::valid_utf8(bad));
    CHECK(text::go::valid_utf8(good.substr(0, p)) == ((static_cast<unsigned char>(good[p]) & 0xC0) != 0x80));
  }
}

TEST_CASE("width: one cell per code point, none for escape sequences and combining marks", "[util]") {
  using util::fmt::width;
  CHECK(width("abc") == 3);
  CHECK(width("ε ≤ 0.5 █") == 9);
  CHECK(width("\033[31mred\033[0m") == 3);
  CHECK(width("e\xCC\x81t\xC3\xA9") == 3); // "e" + U+0301 COMBINING ACUTE, "t", "é": three cells
  // A terminal draws CJK characters, Hangul and fullwidth forms in two cells.
  CHECK(width("严重") == 4);
  CHECK(width("a한b") == 4);
  CHECK(width("ＡＢ") == 4);
  CHECK(width("\xff\x80"
              "a") == 2); // a bad lead byte is a cell (printed as '?'), a stray continuation none
  CHECK(util::fmt::fit("严重严重", 4) == "严…");
  CHECK(util::fmt::fit("ab严重", 4) == "ab…");
  // Tables pad by the same width, so a column of combining text stays aligned.
  auto table = util::render_table({{"name", "x"}, {"e\xCC\x81", "1"}, {"ab", "2"}});
  CHECK(table.find("e\xCC\x81     1") != std::string::npos);
  CHECK(table.find("ab    2") != std::string::npos);
}

TEST_CASE("line_diff: the lines only in one text, the shared ones in order", "[util]") {
  CHECK(util::line_diff("a\nb\nc", "a\nc") == "  a\n- b\n  c");
  CHECK(util::line_diff("HighErrorRate", "[FIRING] HighErrorRate", "> ") ==
        "> - HighErrorRate\n> + [FIRING] HighErrorRate");
  CHECK(util::line_diff("x\ny", "x\ny") == "  x\n  y");
  CHECK(util::line_diff("", "a") == "- \n+ a");
}
