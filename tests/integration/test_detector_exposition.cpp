// The simulated detector's /metrics carries every catalog metric with the right TYPE, HELP,
// labels and buckets — parsed with nsmon's exposition parser, in both formats it serves.
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <set>

#include "../support/harness.hpp"
#include "nsmon/catalog/catalog.hpp"
#include "nsmon/expfmt/model.hpp"
#include "nsmon/util/strings.hpp"

using namespace nsmon;
using catalog::MetricType;
using namespace nsmon::testing;

namespace {

// The family a catalog metric appears in, and its type there: prometheus_client writes counters
// and infos differently in the two formats.
std::pair<std::string, expfmt::MetricType> expected_family(const catalog::Metric& m, expfmt::Format f) {
  bool om = f == expfmt::Format::openmetrics;
  switch (m.type) {
  case MetricType::counter: return {om ? m.name.substr(0, m.name.size() - 6) : m.name, expfmt::MetricType::counter};
  case MetricType::info:
    return {om ? m.name : m.name + "_info", om ? expfmt::MetricType::info : expfmt::MetricType::gauge};
  case MetricType::histogram: return {m.name, expfmt::MetricType::histogram};
  case MetricType::summary: return {m.name, expfmt::MetricType::summary};
  case MetricType::gauge: return {m.name, expfmt::MetricType::gauge};
  }
  return {m.name, expfmt::MetricType::unknown};
}

void check_exposition(const std::string& body, expfmt::Format format) {
  auto expo = expfmt::parse_all(body, format);
  for (const auto& e : expo.errors) UNSCOPED_INFO("parse error " << e.line << ":" << e.column << ": " << e.message);
  CHECK(expo.errors.empty());
  if (format == expfmt::Format::openmetrics) CHECK(expo.eof);

  std::set<std::string> all_samples;
  for (const auto& f : expo.families)
    for (const auto& s : f.samples) all_samples.insert(s.name);

  const auto& cat = catalog::embedded();
  for (const auto& m : cat.metrics) {
    INFO("metric " << m.name << " (" << expfmt::to_string(format) << ")");
    auto [family_name, type] = expected_family(m, format);
    const expfmt::Family* fam = expo.find(family_name);
    REQUIRE(fam);
    CHECK(fam->type == type);
    CHECK(fam->help == m.help);
    REQUIRE(!fam->samples.empty());

    // Every series the catalog says is on the wire is there.
    for (const auto& wire : catalog::Catalog::wire_names(m)) CHECK(all_samples.count(wire) == 1);

    // Labels: exactly the catalog's (plus le / quantile), values within the fixed sets.
    std::set<std::string> want;
    for (const auto& l : m.labels) want.insert(l.name);
    for (const auto& s : fam->samples) {
      std::set<std::string> got;
      for (const auto& l : s.labels) {
        if (l.name == "le" || l.name == "quantile") continue;
        got.insert(l.name);
        const auto* spec = m.label(l.name);
        if (spec && !spec->values.empty())
          CHECK(std::find(spec->values.begin(), spec->values.end(), l.value) != spec->values.end());
      }
      CHECK(got == want);
    }

    // Buckets: the catalog's bounds plus +Inf, for every label set.
    if (m.type == MetricType::histogram) {
      std::map<std::string, std::vector<double>> per_series;
      for (const auto& s : fam->samples) {
        if (s.name != m.name + "_bucket") continue;
        std::string key;
        for (const auto& l : s.labels)
          if (l.name != "le") key += l.name + "=" + l.value + ",";
        const std::string* le = s.label("le");
        REQUIRE(le);
        per_series[key].push_back(*le == "+Inf" ? INFINITY : std::stod(*le));
      }
      REQUIRE(!per_series.empty());
      std::vector<double> want_bounds = m.buckets;
      want_bounds.push_back(INFINITY);
      for (const auto& [key, bounds] : per_series) {
        INFO("series {" << key << "}");
        CHECK(bounds == want_bounds);
      }
    }
  }
}

} // namespace

TEST_CASE("the simulated detector exports every catalog metric as the catalog says", "[integration][detector]") {
  Detector det({"--epochs", "2", "--images", "30", "--speed", "200", "--linger", "60", "--quiet"}, "/dev/null");
  REQUIRE(det.wait_ready());
  // Let the run finish (all 30 images counted) so that every code path, failures included, has
  // touched its metrics.
  auto images_done = [&] {
    auto body = http_get(det.metrics_url());
    if (!body) return false;
    auto expo = expfmt::parse_all(*body, expfmt::Format::text);
    const auto* f = expo.find("images_processed_total");
    double sum = 0;
    for (const auto& s : f ? f->samples : std::vector<expfmt::Sample>{}) sum += s.value;
    return sum == 30;
  };
  REQUIRE(wait_until(images_done, std::chrono::seconds(60)));
  auto text = http_get(det.metrics_url());
  REQUIRE(text);
  check_exposition(*text, expfmt::Format::text);
  auto om = http_get(det.metrics_url(), "application/openmetrics-text; version=1.0.0");
  REQUIRE(om);
  REQUIRE(om->find("# EOF") != std::string::npos);
  check_exposition(*om, expfmt::Format::openmetrics);
}
