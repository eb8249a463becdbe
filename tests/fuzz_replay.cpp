// Replays fuzz inputs through a libFuzzer target's entry point without the fuzzer runtime: every
// file under the given directories (recursively) or given as a file is one input. Linked with each
// fuzz/fuzz_*.cpp by tests/CMakeLists.txt (fuzz_replay.<target> tests), so the corpora and every
// crash once found and saved there are run by ctest on each build, under ASan in CI.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace fs = std::filesystem;

namespace {
void run(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::fprintf(stderr, "replay %s (%zu bytes)\n", file.c_str(), bytes.size());
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
} // namespace

int main(int argc, char** argv) {
  std::size_t n = 0;
  for (int i = 1; i < argc; ++i) {
    fs::path p(argv[i]);
    if (fs::is_directory(p)) {
      std::vector<fs::path> files;
      for (const auto& e : fs::recursive_directory_iterator(p))
        if (e.is_regular_file()) files.push_back(e.path());
      std::sort(files.begin(), files.end());
      for (const auto& f : files) run(f), ++n;
    } else if (fs::is_regular_file(p)) {
      run(p), ++n;
    } else {
      std::fprintf(stderr, "fuzz_replay: no such file or directory: %s\n", argv[i]);
      return 2;
    }
  }
  // Also the empty input and a lone byte: the cases a target must handle first.
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(""), 0);
  LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>("\xff"), 1);
  std::printf("replayed %zu inputs\n", n + 2);
  return n > 0 ? 0 : 2;
}
