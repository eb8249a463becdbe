// The check pages' reader (core/check_docs): sections, examples, and the pages it refuses.
#include <catch2/catch.hpp>
#include <string>

#include "nsmon/core/check_docs.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/error.hpp"

using namespace nsmon;

namespace {

const char* kPage = R"(# promql/rate-on-gauge

rate() over a gauge.

## Why it matters

A gauge goes down.

## Related

- `promql/counter-raw`: the other way round.

## Bad

```console
$ nsmon lint-rules --catalog 'my catalog.yml' "rules.yml"
```

```yaml file=dir/rules.yml
groups:
## not a section: inside a code block
```

## Good

```console
$ nsmon lint-rules rules.yml
```

```yaml file=rules.yml
groups: []
```
)";

std::string error_of(const std::string& page) {
  try {
    core::parse_check_doc(page, "p.md");
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("check page: sections, command words and files are read as written", "[check_docs]") {
  core::CheckDoc doc = core::parse_check_doc(kPage, "p.md");
  CHECK(doc.id == "promql/rate-on-gauge");
  CHECK(doc.what == "rate() over a gauge.");
  CHECK(doc.why == "A gauge goes down.");
  CHECK(doc.related == std::vector<std::string>{"promql/counter-raw"});
  REQUIRE(doc.bad);
  CHECK(doc.bad->command == std::vector<std::string>{"lint-rules", "--catalog", "my catalog.yml", "rules.yml"});
  REQUIRE(doc.bad->files.size() == 1);
  CHECK(doc.bad->files[0].first == "dir/rules.yml");
  CHECK(doc.bad->files[0].second == "groups:\n## not a section: inside a code block\n");
  REQUIRE(doc.good);
  CHECK(doc.good->files[0].second == "groups: []\n");
}

TEST_CASE("check page: a page out of shape is refused with its line", "[check_docs]") {
  std::string page = kPage;
  CHECK(error_of("no heading\n") == "p.md:1: a page starts with `# family/name`");
  CHECK(error_of("# a/b\n\n## Bad\n\n```console\n$ nsmon x\n```\n").find("Why it matters") != std::string::npos);
  std::string unknown = page + "\n## Notes\n\ntext\n";
  CHECK(error_of(unknown).find("unknown section 'Notes'") != std::string::npos);
  std::string piped = page;
  piped.replace(piped.find("\"rules.yml\""), 11, "rules.yml | cat");
  CHECK(error_of(piped) == "p.md:16: the command must be one plain command (quote '|')");
  std::string escape = page;
  escape.replace(escape.find("file=dir/rules.yml"), 18, "file=../rules.yml");
  CHECK(error_of(escape).find("relative to its directory") != std::string::npos);
  std::string open = "# a/b\n\n## Why it matters\n\nx\n\n## Bad\n\n```console\n$ nsmon x\n";
  CHECK(error_of(open) == "p.md:9: a code block that is not closed");
  std::string bare = "# a/b\n\n## Why it matters\n\nx\n\n## Bad\n\n```console\n$ nsmon   \n```\n";
  CHECK(error_of(bare) == "p.md:10: the `$ nsmon` line runs no command");
  std::string two = "# a/b\n\n## Why it matters\n\nx\n\n## Bad\n\n```console\n$ nsmon x\n$ nsmon y\n```\n";
  CHECK(error_of(two) == "p.md:11: an example has one `$ nsmon` command line");
}

TEST_CASE("check page: every check has an embedded page, under the id of its path", "[check_docs]") {
  for (const auto& c : core::kChecks) {
    INFO(c.id);
    REQUIRE(!core::check_page(c.id).empty());
    auto doc = core::check_doc(c.id);
    REQUIRE(doc);
    CHECK(doc->id == c.id);
  }
  CHECK(core::check_page("no/such-check").empty());
  CHECK(core::check_page_path("promql/impossible") == "docs/checks/promql/impossible.md");
}
