// libFuzzer target for lint-rules --prometheus's reading of server answers (online::check): the
// input, cut at each "\n\n", is the body of the answers to the metric names, targets, metadata,
// recording rules, queries, series, labels and label values, in that order (the last part serves
// the rest), for a fixed rule file whose selectors ask every kind of question.
// Invariants: no crash; the run ends with findings or a ServerError (exit 3), nothing else.
//
//   cmake --preset fuzz && cmake --build build/fuzz --target fuzz_online
//   mkdir -p /tmp/online-corpus && build/fuzz/fuzz/fuzz_online /tmp/online-corpus fuzz/corpus/online
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/error.hpp"
#include "nsmon/http/fake_client.hpp"
#include "nsmon/online/checks.hpp"

namespace {

const char* kRules = R"(groups:
  - name: g
    rules:
      - record: job:errors:rate5m
        expr: sum by (job) (rate(errors_total{job="a"}[3s]))
      - alert: A
        expr: job:errors:rate5m > 1 and on() gpu_utilization_percent{device_id=~"0|1"} < 5
      - alert: B
        expr: rate(images_processed_total{status="failed"}[5m]) > 0 or absent(up{job!="x"})
)";

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> parts;
  for (std::size_t at = 0;;) {
    std::size_t cut = in.find("\n\n", at);
    parts.emplace_back(in.substr(at, cut == std::string_view::npos ? std::string_view::npos : cut - at));
    if (cut == std::string_view::npos) break;
    at = cut + 2;
  }
  nsmon::http::FakeClient client;
  const char* paths[] = {
      "label/__name__/values", "/targets", "/metadata", "/rules", "/query", "/series", "/labels", "/"};
  for (std::size_t i = 0; i < std::size(paths); ++i)
    client.on(paths[i], {200, "application/json", parts[std::min(i, parts.size() - 1)]});
  nsmon::http::FormSender sender(client);
  nsmon::promapi::Batch batch(
      [&](const nsmon::promapi::Call& c, const nsmon::promapi::ReaderOptions& ro) {
        return nsmon::promapi::perform(sender, client, "http://127.0.0.1:9", c, nsmon::http::Request{}, ro);
      },
      1); // the fake client serves one request at a time
  std::vector<nsmon::core::Diagnostic> diags;
  nsmon::core::SourceFile src("rules.yml", kRules);
  nsmon::rules::RuleFile file = nsmon::rules::load_rule_file(src, diags);
  nsmon::online::Options o;
  o.server = "http://127.0.0.1:9";
  o.now = 1700000000;
  nsmon::online::Summary summary;
  try {
    nsmon::online::check({file}, batch, o, summary);
  } catch (const nsmon::ServerError&) {
  }
  return 0;
}
