// libFuzzer target for what `nsmon watch` reads from the outside: a scrape (both formats) turned
// into a snapshot (with the names the missing series' causes are read from) and fed to the stats
// model twice (the second time as a later scrape, with every value changed), a Prometheus query
// answer, the command's output lines, and a scrape kept by watch --rules (twice, a failed scrape
// between, an assertion checked, the rule events and both --record formats rendered); every
// renderer runs on the results, the summary with the series found missing. Besides crashes and sanitizer reports it
// checks that rendered lines fit the width they were given and that sanitized output holds no control bytes.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_watch
//   mkdir -p /tmp/watch-corpus && build/fuzz/fuzz/fuzz_watch /tmp/watch-corpus tests/golden/metrics/*/
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>

#include "nsmon/http/fake_client.hpp"
#include "nsmon/watch/expected.hpp"
#include "nsmon/watch/format.hpp"
#include "nsmon/watch/record.hpp"
#include "nsmon/watch/render.hpp"
#include "nsmon/watch/rule_watch.hpp"
#include "nsmon/watch/source.hpp"
#include "nsmon/watch/stats.hpp"

namespace {

using namespace nsmon::watch;
using nsmon::ruletest::load_rules;

void check(bool ok) {
  if (!ok) std::abort();
}

void render_all(const Figures& f, const std::vector<MissingSeries>& missing = {}) {
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
  r.missing = missing;
  (void)summary_text(r, false);
  (void)summary_text(r, true, 40);
  (void)summary_json(r);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
  case 0: { // a scrape, then the same scrape later with other values
    for (auto format : {nsmon::expfmt::Format::text, nsmon::expfmt::Format::openmetrics}) {
      Snapshot first;
      parse_snapshot(input, format, scraped_names(), first);
      SeriesSeen seen;
      seen.add(first);
      for (const auto& m : seen.take_new_causes()) check(!m.cause.empty() && !missing_text(m).empty());
      Snapshot later = first;
      for (auto& [name, series] : later.samples)
        for (auto& x : series) x.value = x.value * 0.5 - 1;
      first.at = Clock::time_point{} + std::chrono::seconds(1);
      later.at = first.at + std::chrono::seconds(2);
      Model m(5);
      m.add(std::move(first));
      m.add(std::move(later));
      render_all(m.figures(), seen.missing());
    }
    break;
  }
  case 1: { // a Prometheus answer
    auto fake = std::make_shared<nsmon::http::FakeClient>();
    fake->on("/api/v1/query", {200, "application/json", std::string(input), {}, {}});
    ScrapeResult r = prometheus_source(fake, "http://fuzz", "", 1)->fetch();
    if (r.ok) {
      Model m;
      m.add(std::move(r.snapshot));
      render_all(m.figures());
    }
    break;
  }
  case 3: { // watch --rules: every sample of the scrape in the store
    static const auto loaded = load_rules({}, {"count({__name__=~\".+\"}) > 0", "sum(rate(x[1m]))"}, 1000);
    RuleWatchOptions o;
    o.start_ms = 1'000'000;
    o.max_bytes = 1u << 20;
    RuleWatch rw(*loaded, o);
    for (auto format : {nsmon::expfmt::Format::text, nsmon::expfmt::Format::openmetrics}) {
      std::vector<RuleEvent> events = rw.scraped(input, format, rw.status().start_ms + 1000);
      auto more = rw.scrape_failed(rw.status().start_ms + 2000);
      events.insert(events.end(), more.begin(), more.end());
      more = rw.scraped(input, format, rw.status().start_ms + 3000);
      events.insert(events.end(), more.begin(), more.end());
      for (const auto& e : events) {
        (void)rule_event_line(e, o.start_ms);
        (void)rule_event_json(e);
      }
    }
    (void)record_test(rw, 1000, "fuzz.yml");
    check(record_openmetrics(rw).ends_with("# EOF\n"));
    (void)rules_summary_text(rw.status(), true, o.start_ms + 5000);
    (void)rules_summary_json(rw.status());
    break;
  }
  case 2: { // a line the command wrote
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
