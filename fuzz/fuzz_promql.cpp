// libFuzzer target for the PromQL front end: any bytes, with default options and with every
// feature flag on. Besides crashes and sanitizer reports it checks the front end's promises:
// a result is either a tree or at least one error with a position inside the input, and a
// parsed tree prints to text that parses back to the same text (parse -> print -> parse). The
// input is read as MetricsQL too (promql/metricsql.hpp).
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_promql
//   mkdir -p /tmp/promql-corpus && python3 fuzz/promql_seeds.py /tmp/promql-seeds
//   build/fuzz/fuzz/fuzz_promql -dict=fuzz/fuzz_promql.dict /tmp/promql-corpus /tmp/promql-seeds
#include <cctype>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nsmon/promql/json.hpp"
#include "nsmon/promql/metricsql.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"

namespace {

using namespace nsmon::promql;

void check(bool ok) {
  if (!ok) std::abort();
}

void run(std::string_view input, const ParseOptions& opts) {
  ParseResult r = parse(input, opts);
  if (!r.ok()) {
    check(!r.errors().empty());
    for (const auto& e : r.errors()) check(e.range.start <= input.size() && !e.message.empty());
    check(!r.error_string().empty());
    return;
  }
  check(r.errors().empty());
  const Expr& e = *r.expr();
  check(e.range.start <= e.range.end && e.range.end <= input.size());
  std::string printed = print(e);
  ParseResult again = parse(printed, opts);
  check(again.ok());
  check(print(*again.expr()) == printed);
  check(again.expr()->type == e.type);
  std::size_t nodes = 0;
  walk(e, [&](const Expr& n, std::span<const Expr* const>) {
    check(n.range.end <= input.size());
    ++nodes;
    return true;
  });
  check(nodes > 0);
  check(!to_json(e).empty());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  run(input, ParseOptions{});
  ParseOptions all;
  all.experimental_functions = all.duration_expressions = all.extended_range_selectors = all.binop_fill_modifiers =
      true;
  run(input, all);
  // MetricsQL's reading of it: the extension it names is a word of the input (any case).
  MetricsqlReading m = read_metricsql(input);
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  check(m.extension.empty() || lower(input).find(lower(m.extension)) != std::string::npos);
  return 0;
}
