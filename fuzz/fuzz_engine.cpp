// libFuzzer target for the PromQL engine: any bytes parsed as an expression (every feature flag
// on) and, when they parse, evaluated over a small fixed store at an instant and over a short
// range (floats, classic and native histograms). Besides crashes and sanitizer reports it checks the engine's promises:
// a result is a value or an error, never both; the work is bounded (max_samples, and subqueries of absurd step counts
// are refused by the same budget); a range query answers with a matrix; subquery steps reused between instants
// (Options::reuse_subqueries) answer, annotate and fail as fresh ones.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_engine
//   python3 fuzz/promql_seeds.py /tmp/promql-seeds
//   build/fuzz/fuzz/fuzz_engine -dict=fuzz/fuzz_promql.dict /tmp/engine-corpus /tmp/promql-seeds
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nsmon/engine/engine.hpp"
#include "nsmon/engine/notation.hpp"
#include "nsmon/promql/parser.hpp"

namespace {

using namespace nsmon;

void check(bool ok) {
  if (!ok) std::abort();
}

const engine::Storage& store() {
  static const engine::Storage s = [] {
    engine::Storage st;
    const engine::Labels series[] = {
        {{"__name__", "up"}, {"instance", "a"}, {"job", "x"}},
        {{"__name__", "up"}, {"instance", "b"}, {"job", "x"}},
        {{"__name__", "req_total"}, {"code", "200"}, {"job", "x"}},
        {{"__name__", "req_total"}, {"code", "500"}, {"job", "y"}},
        {{"__name__", "lat_bucket"}, {"le", "0.1"}},
        {{"__name__", "lat_bucket"}, {"le", "1"}},
        {{"__name__", "lat_bucket"}, {"le", "+Inf"}},
        {{"__name__", "g"}},
    };
    double k = 1;
    for (const auto& ls : series) {
      for (std::int64_t t = 0; t <= 600'000; t += 30'000) {
        double v = k * static_cast<double>(t / 30'000);
        if (t == 300'000 && k == 2) v = engine::stale_nan();
        if (t == 450'000 && k == 8) v = std::nan("");
        st.add(ls, t, v);
      }
      k += 1;
    }
    // Native histograms: a counter with a reset, a gauge, custom buckets, and a series that
    // turns from floats to histograms.
    const std::pair<engine::Labels, const char*> histograms[] = {
        {{{"__name__", "h"}},
         "{{schema:0 count:4 sum:3 z_bucket:1 z_bucket_w:0.01 buckets:[1 2] n_buckets:[1]}}+"
         "{{schema:1 count:3 sum:2 buckets:[1 2]}}x9 {{count:1 sum:1 buckets:[1]}}x10"},
        {{{"__name__", "hg"}},
         "{{count:5 sum:-2 counter_reset_hint:gauge n_buckets:[2 3]}}-"
         "{{count:1 sum:1 counter_reset_hint:gauge n_buckets:[1]}}x20"},
        {{{"__name__", "nhcb"}},
         "{{schema:-53 count:3 sum:4 custom_values:[0.5 2] buckets:[1 1 1]}}x10 "
         "{{schema:-53 count:4 sum:4 custom_values:[1 2] buckets:[2 1 1]}}x10"},
        {{{"__name__", "mix"}}, "1 2 3 {{count:1 sum:1 buckets:[1]}}x5 stale 4 5"},
    };
    for (const auto& [ls, text] : histograms) {
      auto r = engine::parse_values(text);
      check(!r.error);
      for (std::size_t i = 0; i < r.values.size(); ++i) {
        const auto t = static_cast<std::int64_t>(i) * 30'000;
        if (i < r.histograms.size() && r.histograms[i].h) st.add(ls, t, r.histograms[i].h);
        else if (r.values[i]) st.add(ls, t, *r.values[i]);
      }
    }
    return st;
  }();
  return s;
}

// One result as text: error, value, annotations (NaNs and histograms included).
std::string show(const engine::Result& r) {
  std::string out = r.error ? "error: " + *r.error + "\n" : "";
  out += std::to_string(static_cast<int>(r.value.type)) + " " + engine::format_value(r.value.scalar) + "\n";
  for (const auto& x : r.value.vector)
    out += engine::to_string(x.labels) + " " + (x.h ? engine::test_expression(*x.h) : engine::format_value(x.v)) + "\n";
  for (const auto& w : r.warnings) out += "warning: " + w + "\n";
  for (const auto& i : r.infos) out += "info: " + i + "\n";
  return out;
}

void check_result(const engine::Result& r) {
  if (r.error) {
    check(!r.error->empty());
    check(r.value.type == promql::ValueType::none);
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  promql::ParseOptions all;
  all.experimental_functions = all.duration_expressions = all.extended_range_selectors = all.binop_fill_modifiers =
      true;
  auto parsed = promql::parse(input, all);
  if (!parsed.ok()) return 0;
  engine::Options options;
  options.max_samples = 20'000;
  check_result(engine::instant(*parsed.expr(), store(), 300'000, options));
  options.delayed_name_removal = true;
  check_result(engine::instant(*parsed.expr(), store(), 300'000, options));
  options.delayed_name_removal = false;
  auto r = engine::range(*parsed.expr(), store(), 0, 600'000, 60'000, options);
  check_result(r);
  if (!r.error) check(r.value.type == promql::ValueType::matrix);
  // Reused subquery steps: a store of this input's own (the memo keeps steps by node, and this
  // tree dies with the input), queried at successive instants as test-rules does.
  engine::Storage local;
  for (const auto& [ls, s] : store().all())
    for (const auto& p : s.points) p.h ? local.add(ls, p.t, p.h) : local.add(ls, p.t, p.v);
  engine::Options reuse = options;
  reuse.reuse_subqueries = true;
  for (std::int64_t t = 240'000; t <= 300'000; t += 30'000)
    check(show(engine::instant(*parsed.expr(), local, t, reuse)) ==
          show(engine::instant(*parsed.expr(), store(), t, options)));
  return 0;
}
