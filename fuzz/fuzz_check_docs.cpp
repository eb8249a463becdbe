// libFuzzer target: a check page (docs/checks/*.md, or `nsmon explain --file`): either read or
// refused with core::Error, never a crash; what it reads stays inside the example's directory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "nsmon/core/check_docs.hpp"
#include "nsmon/core/error.hpp"

namespace {
void check(const nsmon::core::DocExample& ex) {
  if (ex.command.empty()) __builtin_trap();
  for (const auto& [name, content] : ex.files)
    if (name.empty() || name.front() == '/' || name.starts_with("../")) __builtin_trap();
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    nsmon::core::CheckDoc doc = nsmon::core::parse_check_doc(text, "page.md");
    if (doc.bad) check(*doc.bad);
    if (doc.good) check(*doc.good);
  } catch (const nsmon::Error&) {
  }
  return 0;
}
