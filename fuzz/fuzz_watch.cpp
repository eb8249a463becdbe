// libFuzzer target for what `nsmon watch` reads from the outside: a scrape (both formats) turned
// into a snapshot and fed to the stats model twice (the second time as a later scrape, with every
// value changed), a Prometheus query answer, and the command's output lines; every renderer runs
// on the results. Besides crashes and sanitizer reports it checks that rendered lines fit the
// width they were given and that sanitized output holds no control bytes.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_watch
//   mkdir -p /tmp/watch-corpus && build/fuzz/fuzz/fuzz_watch /tmp/watch-corpus tests/golden/metrics/*/
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nsmon/watch/format.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/source.hpp"
#include "nsmon/watch/stats.hpp"

namespace {

using namespace nsmon::watch;

void check(bool ok) {
  if (!ok) std::abort();
}

void render_all(const Figures& f) {
  ScrapeStatus s;
  s.state = ScrapeStatus::State::ok;
  s.ever_ok = true;
  s.target = "fuzz";
  (void)plain_line(f, s);
  (void)json_line(f, s);
  for (std::size_t width : {1u, 20u, 80u}) {
    BlockStyle st;
    st.width = width;
    st.height = 7;
    st.color = width == 80;
    for (const auto& line : status_block(f, s, st)) check(fmt::width(line) <= width);
  }
  RunSummary r;
  r.figures = f;
  r.have_figures = true;
  (void)summary_text(r, false);
  (void)summary_json(r);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
  case 0: { // a scrape, then the same scrape later with other values
    for (auto format : {nsmon::expfmt::Format::text, nsmon::expfmt::Format::openmetrics}) {
      Snapshot first;
      parse_snapshot(input, format, wanted_names(), first);
      Snapshot later = first;
      for (auto& [name, series] : later.samples)
        for (auto& x : series) x.value = x.value * 0.5 - 1;
      first.at = Clock::time_point{} + std::chrono::seconds(1);
      later.at = first.at + std::chrono::seconds(2);
      Model m(5);
      m.add(std::move(first));
      m.add(std::move(later));
      render_all(m.figures());
    }
    break;
  }
  case 1: { // a Prometheus answer
    Snapshot s;
    std::string error;
    if (snapshot_from_query(input, s, error)) {
      Model m;
      m.add(std::move(s));
      render_all(m.figures());
    }
    break;
  }
  default: { // a line the command wrote
    for (bool color : {false, true}) {
      std::string clean = fmt::sanitize(input, color);
      for (char c : clean) check(static_cast<unsigned char>(c) >= 0x20 || c == '\033');
      if (!color) check(clean.find('\033') == std::string::npos);
      check(fmt::width(fmt::fit(clean, 10)) <= 10);
    }
    break;
  }
  }
  return 0;
}
