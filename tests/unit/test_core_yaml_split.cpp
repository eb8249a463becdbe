// yaml: a large text parsed in parts on several threads (yaml_split.hpp) is the Document the
// text parsed whole gives — trees, positions, value offsets, errors and duplicate keys — whether
// the parts join or the parser falls back to parsing it whole.
#include <catch2/catch.hpp>
#include <random>
#include <string>
#include <vector>

#include "nsmon/core/yaml_split.hpp"
#include "nsmon/core/yaml_tree.hpp"
#include "yaml_same.hpp"

using namespace nsmon;
using yaml::detail::parse_text;

namespace {

// A rule file of `groups` groups of `rules` rules, with `indent` columns before the groups' "-".
std::string rule_file(int groups, int rules, int indent = 2) {
  std::string pad(static_cast<std::size_t>(indent), ' ');
  std::string out = "groups:\n";
  for (int g = 0; g < groups; ++g) {
    out += pad + "- name: group_" + std::to_string(g) + "\n" + pad + "  interval: 30s\n" + pad + "  rules:\n";
    for (int r = 0; r < rules; ++r)
      out += pad + "    - alert: A" + std::to_string(r) + "\n" + pad + "      expr: rate(x_total{a=\"" +
             std::to_string(r) + "\"}[5m]) > 0.5\n" + pad + "      labels: {severity: warning}\n" + pad +
             "      annotations:\n" + pad + "        summary: \"Alert \\\"" + std::to_string(r) + "\\\" fired\"\n" +
             pad + "        description: |\n" + pad + "          Value {{ $value }}\n" + pad +
             "          on two lines\n";
  }
  return out;
}

// Parsed whole and in 2 to 5 parts: the same Document each time. Returns whether the text was
// cut at all (so that a test can say the parts were joined, not parsed whole again).
bool same_in_parts(const std::string& text, yaml::Dialect dialect = yaml::Dialect::v3) {
  const yaml::Document whole = parse_text(text, dialect, false, 1);
  bool cut = false;
  for (unsigned parts = 2; parts <= 5; ++parts) {
    INFO("parts: " << parts);
    CHECK(nsmon_yaml_same::difference(whole, parse_text(text, dialect, false, parts)).empty());
    cut = cut || yaml::detail::plan_split(text, parts).parts.size() > 1;
  }
  return cut;
}

} // namespace

TEST_CASE("yaml split: rule files parse in parts as whole", "[yaml][split]") {
  CHECK(same_in_parts(rule_file(40, 5)));
  CHECK(same_in_parts(rule_file(40, 5, 0))); // groups' "-" at column 0
  CHECK(same_in_parts(rule_file(1, 300)));   // one group: cut between its rules
  CHECK(same_in_parts(rule_file(40, 5), yaml::Dialect::v2));
  // A PrometheusRule manifest: spec.groups deeper.
  std::string manifest = "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: x}\nspec:\n  ";
  std::string body = rule_file(30, 5, 4);
  manifest += body.substr(0, body.find('\n') + 1) + body.substr(body.find('\n') + 1);
  CHECK(same_in_parts(manifest));
}

TEST_CASE("yaml split: what a part boundary may hold", "[yaml][split]") {
  std::string base = rule_file(40, 5);
  // Comments and blank lines between groups, CRLF line ends, a byte order mark, anchors and
  // aliases within a group, keys written twice inside groups and before the groups.
  std::string commented;
  for (std::size_t at = 0, next; at < base.size(); at = next) {
    next = base.find('\n', at) + 1;
    if (base.compare(at, 9, "  - name:") == 0) commented += "\n# next group\n   # indented comment\n\n";
    commented += base.substr(at, next - at);
  }
  CHECK(same_in_parts(commented));
  std::string crlf;
  for (char c : base) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  CHECK(same_in_parts(crlf));
  CHECK(same_in_parts("\xEF\xBB\xBF" + base));
  std::string anchors = base;
  for (std::size_t at = 0; (at = anchors.find("labels: {severity: warning}", at)) != std::string::npos; at += 10)
    anchors.replace(at, 27, "labels: &l {severity: warning}\n        x: *l");
  CHECK(same_in_parts(anchors));
  std::string dups = "foo: 1\nfoo: 2\n" + base;
  for (std::size_t at = 0; (at = dups.find("interval: 30s", at)) != std::string::npos; at += 30)
    dups.replace(at, 13, "interval: 30s\n    interval: 1m");
  CHECK(same_in_parts(dups));
  // Block scalars that keep their trailing blank lines, at the end of every group.
  std::string kept = base;
  const std::string record = "      - record: r\n        expr: |+\n          1\n\n\n";
  for (std::size_t at = 0; (at = kept.find("\n  - name:", at)) != std::string::npos; at += record.size() + 10)
    kept.insert(at + 1, record);
  CHECK(same_in_parts(kept));
  // Missing values and an empty entry at the end of a group; then what fuzz_yaml found: a missing
  // value at the end of a part, which yaml-cpp marks at the next token (the next part's "-").
  for (const std::string end : {"        for:\n", "      -\n", "      - alert# x!<tag:x> :\n"}) {
    std::string open = base;
    for (std::size_t at = 0; (at = open.find("\n  - name:", at)) != std::string::npos; at += end.size() + 10)
      open.insert(at + 1, end);
    CHECK(same_in_parts(open));
  }
  CHECK(same_in_parts("# Catalog checks: each rule has one planted bug has none.\ngroups:\n  - ne.\ngroups:\n  - name: "
                      "catalog\n    rules:\n      - alert# Prometheus "
                      "alerting rule!<tag:x> :\n  - name: training_alerts\n    interval: 30s\n    rules:\n      - "
                      "alert: TrainingLossHig# Alerting rules for the Neurosymbolic "));
}

TEST_CASE("yaml split: texts the parts cannot stand for are parsed whole", "[yaml][split]") {
  std::string base = rule_file(40, 5);
  const std::size_t last_group = base.rfind("  - name:");
  auto with = [&](std::size_t at, const std::string& s) { return base.substr(0, at) + s + base.substr(at); };
  // An alias in the last group to an anchor in the first.
  std::string alias = base;
  alias.replace(alias.find("interval: 30s"), 13, "interval: &i 30s");
  alias.replace(alias.rfind("interval: 30s"), 13, "interval: *i");
  CHECK(same_in_parts(alias));
  // A quoted scalar whose next lines look like groups.
  CHECK(same_in_parts(with(base.find("  - name: group_20"), "  - name: \"open\n  - name: x\n  - y\"\n")));
  // Content after the sequence, less indented; another document; a %TAG directive the later
  // groups' tags need; errors in a later part (syntax, bytes that are no UTF-8, a tab).
  CHECK(same_in_parts(base + "other: key\n"));
  CHECK(same_in_parts(with(last_group, "---\nsecond: document\n")));
  CHECK(same_in_parts("%TAG !e! tag:example.com,2000:\n---\n" + with(last_group, "  - !e!group {name: t}\n")));
  CHECK(same_in_parts(with(last_group, "  - name: [unclosed\n")));
  // A merge key: the keys it brings come after the map's own, and the next part's entries must
  // not join the merged map's sequence (fuzz_yaml).
  CHECK(same_in_parts("!\n\n<<:\n  tsdb:\n  - - chun<<:\n0 ge:\n  tsdb:\n  - - chuneeeeee"));
  CHECK(same_in_parts("!\n<<:\n ge:\n - -:\n ge:\n - -- e e"));
  // A key written twice before the cut: its second value's sequence is the one that continues.
  CHECK(same_in_parts("ge:\n - a\nge:\n - b\n - c\n"));
  CHECK(same_in_parts(with(last_group, "  - name: \xC3\x28\n")));
  CHECK(same_in_parts(with(last_group, "  - name: a\n\tb: c\n")));
  // Nesting that the last part holds alone, but not under the sequence and the map around it in
  // the whole (a level less: both hold it).
  for (int levels : {yaml::kMaxDepth - 1, yaml::kMaxDepth - 2}) {
    std::string deep = "  - " + std::string(static_cast<std::size_t>(levels), '[') +
                       std::string(static_cast<std::size_t>(levels), ']') + "\n";
    CHECK(static_cast<bool>(parse_text(base + deep, yaml::Dialect::v3, false, 1)) == (levels < yaml::kMaxDepth - 1));
    CHECK(same_in_parts(base + deep));
  }
}

TEST_CASE("yaml split: rule files changed at random parse in parts as whole", "[yaml][split]") {
  const std::string base = rule_file(8, 3);
  const std::vector<std::string> pieces = {"- ", "  - ", "\n  - x\n", ": ",    "\"",     "'",  "[", "]",
                                           "{",  "}",    "&a ",       "*a",    "#",      "\n", "|", ">",
                                           "  ", "\t",   "---\n",     "...\n", "!!str ", "? "};
  std::mt19937 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string text = base;
    for (int k = 0; k < 3; ++k) {
      std::size_t at = rng() % text.size();
      if (rng() % 3 == 0) text.erase(at, rng() % 8);
      else text.insert(at, pieces[rng() % pieces.size()]);
    }
    INFO("text: " << text);
    same_in_parts(text);
  }
}
