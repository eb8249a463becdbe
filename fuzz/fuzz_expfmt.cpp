// libFuzzer target for the exposition parser: any bytes, both formats, streaming and owning
// model. Besides crashes and sanitizer reports it checks the parser's promises: positions are
// 1-based, every handed-out name is well-formed and points into the input, every view is
// readable, label values are valid UTF-8, and the model agrees with the stream.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_expfmt
//   mkdir -p /tmp/expfmt-corpus && build/fuzz/fuzz/fuzz_expfmt /tmp/expfmt-corpus tests/data/expfmt
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nsmon/expfmt/model.hpp"
#include "nsmon/expfmt/scan.hpp"

namespace {

using namespace nsmon::expfmt;

void check(bool ok) {
  if (!ok) std::abort();
}

struct Checker final : Handler {
  std::string_view input;
  std::size_t families = 0, samples = 0;
  bool inside(std::string_view s) const {
    return s.data() >= input.data() && s.data() + s.size() <= input.data() + input.size();
  }
  std::uint64_t sink = 0;
  void touch(std::string_view s) {
    for (char c : s) sink += static_cast<unsigned char>(c); // ASan: every view must be readable
  }
  void on_family(const FamilyView& f) override {
    ++families;
    check(scan::is_metric_name(f.name) && inside(f.name));
    check(f.line >= 1);
    touch(f.help);
    touch(f.unit);
  }
  void on_sample(const SampleView& s) override {
    ++samples;
    check(families > 0);
    check(scan::is_metric_name(s.name) && inside(s.name));
    check(s.name.size() == s.family.size() + s.suffix.size());
    check(s.name.substr(0, s.family.size()) == s.family);
    for (const auto& l : s.labels) {
      check(scan::is_label_name(l.name) && inside(l.name));
      check(scan::utf8_invalid_at(l.value) == std::string_view::npos);
      touch(l.value);
    }
    if (s.exemplar)
      for (const auto& l : s.exemplar->labels) touch(l.value);
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (Format f : {Format::text, Format::openmetrics}) {
    Checker c;
    c.input = text;
    Options o;
    o.max_errors = 50;
    const ParseSummary sum = parse(text, f, c, o);
    check(sum.families == c.families && sum.samples == c.samples);
    check(sum.errors.size() <= o.max_errors);
    for (const auto& e : sum.errors) check(e.line >= 1 && e.column >= 1 && !e.message.empty());

    // The owning model sees exactly what the stream saw.
    const Exposition e = parse_all(text, f, o);
    check(e.families.size() == c.families && e.sample_count() == c.samples);
    check(e.errors.size() == sum.errors.size());
  }
  return 0;
}
