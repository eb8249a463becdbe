// libFuzzer target for the streaming decoder of Prometheus API answers (promapi::ReplyReader on
// promapi::JsonTokenizer): any bytes, fed whole and in pieces whose sizes come from the input.
// Invariants: no crash; the pieces give exactly what the whole gives (accepted or not, the same
// series and the same raw `data` bytes); the tokenizer accepts exactly what nlohmann accepts;
// accepted `data` bytes are themselves valid JSON. (A NUL byte is always rejected; nlohmann takes it
// for the end of the input.)
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_promapi
//   mkdir -p /tmp/promapi-corpus && build/fuzz/fuzz/fuzz_promapi /tmp/promapi-corpus fuzz/corpus/promapi
#include <cstdint>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "nsmon/promapi/reader.hpp"

namespace {

struct Outcome {
  bool ok = false;
  std::string series; ///< every series, flattened
  std::string data;
};

Outcome decode(std::string_view text, std::size_t piece) {
  Outcome o;
  nsmon::promapi::ReaderOptions ro;
  ro.limits.max_depth = 64;
  ro.limits.max_string = 1 << 16;
  ro.data_sink = [&](std::string_view b) { o.data += b; };
  ro.on_series = [&](const nsmon::promapi::Series& s) {
    for (const auto& [k, v] : s.labels) o.series += k + "=" + v + ";";
    for (const auto& p : s.samples) o.series += std::to_string(p.t) + ":" + p.value + ";";
    o.series += "\n";
  };
  nsmon::promapi::ReplyReader reader(ro);
  try {
    for (std::size_t i = 0; i < text.size(); i += piece) reader.feed(text.substr(i, piece));
    reader.finish();
    o.ok = true;
  } catch (const nsmon::promapi::DecodeError& e) {
    if (e.offset > text.size()) std::abort();
  }
  return o;
}

// Only the tokenizer: does it accept?
struct Null final : nsmon::promapi::JsonHandler {
  void begin_object() override {}
  void key(std::string_view) override {}
  void end_object() override {}
  void begin_array() override {}
  void end_array() override {}
  void string(std::string_view) override {}
  void number(std::string_view) override {}
  void literal(std::string_view) override {}
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t piece = 1 + data[0] % 7;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Outcome whole = decode(text, text.size() + 1);
  Outcome split = decode(text, piece);
  if (whole.ok != split.ok) std::abort();
  if (whole.ok && (whole.series != split.series || whole.data != split.data)) std::abort();
  if (whole.ok && !whole.data.empty() && !nlohmann::json::accept(whole.data)) std::abort();

  Null null;
  nsmon::promapi::JsonTokenizer tok(null, {100000, std::size_t(-1)});
  bool ours = true;
  try {
    tok.feed(text);
    tok.finish();
  } catch (const nsmon::promapi::DecodeError&) {
    ours = false;
  }
  // nlohmann stops at a NUL byte as if the input ended there; a NUL is never valid JSON.
  const bool reference = text.find('\0') == std::string_view::npos && nlohmann::json::accept(text);
  if (ours != reference) std::abort();
  return 0;
}
