// util/files: whole-file reading, mapped input, atomic writes (one file, or all or nothing).
#include <catch2/catch.hpp>
#include <filesystem>
#include <unistd.h>

#include "nsmon/core/error.hpp"
#include "nsmon/util/files.hpp"

using namespace nsmon;
namespace fs = std::filesystem;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/nsmon-files-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

std::size_t entries(const fs::path& dir) {
  return static_cast<std::size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

} // namespace

TEST_CASE("read_file: the whole file in one string, with room for `spare` bytes after it", "[util]") {
  TempDir d;
  std::string big;
  for (int i = 0; big.size() < 300000; ++i) big += "line " + std::to_string(i) + "\n";
  util::write_file_atomic((d.path / "big").string(), big);
  std::string read = util::read_file((d.path / "big").string(), 32);
  CHECK(read == big);
  CHECK(read.capacity() >= big.size() + 32);
  util::write_file_atomic((d.path / "empty").string(), "");
  CHECK(util::read_file((d.path / "empty").string()).empty());
  // Not a regular file: no size to go by, read to the end.
  std::string status = util::read_file("/proc/self/status");
  CHECK(status.rfind("Name:", 0) == 0);
  CHECK(status.back() == '\n');
  CHECK_THROWS_WITH(util::read_file(d.path.string()), Catch::Contains("is a directory"));
}

TEST_CASE("InputText: a mapped file, text in memory, errors worded like read_file", "[util]") {
  TempDir d;
  util::write_file_atomic((d.path / "a.txt").string(), "hello\n");
  util::InputText mapped((d.path / "a.txt").string());
  CHECK(mapped.view() == "hello\n");
  util::write_file_atomic((d.path / "empty").string(), "");
  CHECK(util::InputText((d.path / "empty").string()).view().empty());
  CHECK(util::InputText::of("in memory")->view() == "in memory");
  CHECK_THROWS_AS(util::InputText((d.path / "missing").string()), Error);
  CHECK_THROWS_WITH(util::InputText(d.path.string()), Catch::Contains("is a directory"));
}

TEST_CASE("write_files_atomic: every file or none", "[util]") {
  TempDir d;
  const std::string a = (d.path / "a.json").string(), b = (d.path / "b.json").string();
  util::write_files_atomic({{a, "A1"}, {b, "B1"}});
  CHECK(util::read_file(a) == "A1");
  CHECK(util::read_file(b) == "B1");
  // The second file cannot be written (its directory does not exist): the first keeps its old
  // text and no temporary file is left behind.
  const std::string bad = (d.path / "no-such-dir" / "c.json").string();
  CHECK_THROWS_AS(util::write_files_atomic({{a, "A2"}, {bad, "C"}}), Error);
  CHECK(util::read_file(a) == "A1");
  CHECK(entries(d.path) == 2);
  util::write_files_atomic({});
  CHECK(entries(d.path) == 2);
}
