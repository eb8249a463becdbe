// The API answer reader: series, samples and the rest of the answer as nlohmann::json reads
// them, with the text split at every byte boundary; shapes it does not understand are errors.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <random>

#include "nsmon/promapi/reader.hpp"

using namespace nsmon::promapi;
using nlohmann::json;

namespace {

struct Read {
  Reply reply;
  std::vector<Series> series;
  std::string data;
};

Read read(std::string_view text, std::size_t cut) {
  Read r;
  ReaderOptions o;
  o.on_series = [&](const Series& s) { r.series.push_back(s); };
  o.data_sink = [&](std::string_view b) { r.data += b; };
  ReplyReader reader(o);
  reader.feed(text.substr(0, cut));
  reader.feed(text.substr(cut));
  reader.finish();
  r.reply = reader.reply();
  return r;
}

// What nlohmann sees in data.result, in the reader's terms (labels sorted for comparison).
std::vector<Series> expected_series(const json& doc) {
  std::vector<Series> out;
  const json& result = doc["data"]["result"];
  auto sample = [](const json& pair) { return Sample{pair[0].get<double>(), pair[1].get<std::string>(), false}; };
  if (result.is_array() && !result.empty() && result[0].is_number()) {
    out.push_back({{}, {sample(result)}});
    return out;
  }
  for (const auto& el : result) {
    Series s;
    for (const auto& [k, v] : el["metric"].items()) s.labels.emplace_back(k, v.get<std::string>());
    if (el.contains("value")) s.samples.push_back(sample(el["value"]));
    if (el.contains("values"))
      for (const auto& p : el["values"]) s.samples.push_back(sample(p));
    out.push_back(std::move(s));
  }
  return out;
}

void check_same(const std::string& text) {
  json doc = json::parse(text);
  std::vector<Series> want = expected_series(doc);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    INFO("split at " << cut);
    Read r = read(text, cut);
    REQUIRE(r.reply.status == doc["status"].get<std::string>());
    REQUIRE(r.reply.result_type == doc["data"]["resultType"].get<std::string>());
    REQUIRE(json::parse(r.data) == doc["data"]);
    REQUIRE(r.series.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
      auto labels = r.series[i].labels;
      std::sort(labels.begin(), labels.end());
      REQUIRE(labels == want[i].labels);
      REQUIRE(r.series[i].samples.size() == want[i].samples.size());
      for (std::size_t k = 0; k < want[i].samples.size(); ++k) {
        REQUIRE(r.series[i].samples[k].t == want[i].samples[k].t);
        REQUIRE(r.series[i].samples[k].value == want[i].samples[k].value);
      }
    }
  }
}

std::string error_text(std::string_view text) {
  try {
    read(text, text.size() / 2);
  } catch (const DecodeError& e) {
    return e.what();
  }
  return "";
}

} // namespace

TEST_CASE("reader: a matrix answer, series by series", "[promapi]") {
  json doc = {{"status", "success"}, {"data", {{"resultType", "matrix"}, {"result", json::array()}}}};
  for (int s = 0; s < 4; ++s) {
    json el = {{"metric",
                {{"__name__", "inference_time_seconds_bucket"},
                 {"le", s == 3 ? "+Inf" : std::to_string(s)},
                 {"job", "neuro\"symbolic\\app\n"},
                 {"zone", "é😀"}}},
               {"values", json::array()}};
    for (int k = 0; k < 5; ++k)
      el["values"].push_back({1714564800.125 + k * 15, k == 2 ? "NaN" : k == 3 ? "+Inf" : std::to_string(k * 0.25)});
    doc["data"]["result"].push_back(el);
  }
  doc["warnings"] = {"the query hit the series limit"};
  std::string text = doc.dump();
  check_same(text);
  check_same(doc.dump(2)); // whitespace everywhere
  Read r = read(text, 0);
  REQUIRE(r.reply.warnings == std::vector<std::string>{"the query hit the series limit"});
  REQUIRE(r.series[0].labels.front().first == "__name__"); // the server's order is kept
}

TEST_CASE("reader: vector, scalar and string answers", "[promapi]") {
  check_same(R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1714564800,"1"]},)"
             R"({"metric":{"job":"a"},"value":[1714564800.5,"-2e-3"]}]},"infos":["PromQL info: x"]})");
  check_same(R"({"status":"success","data":{"resultType":"scalar","result":[1714564800.001,"42"]}})");
  check_same(R"({"status":"success","data":{"resultType":"string","result":[1714564800,"hello"]}})");
  // VictoriaMetrics adds fields of its own; they are skipped.
  check_same(R"({"status":"success","isPartial":false,"data":{"resultType":"vector","result":[{"metric":{"a":"b"},)"
             R"("value":[1,"2"],"extra":{"x":[1,{"y":null}]}}],"stats":{"seriesFetched":"1"}}})");
  Read r = read(
      R"({"status":"success","data":{"resultType":"vector","result":[]},"infos":["i1"],"warnings":["w1","w2"]})", 5);
  CHECK(r.reply.infos == std::vector<std::string>{"i1"});
  CHECK(r.reply.warnings == std::vector<std::string>{"w1", "w2"});
}

TEST_CASE("reader: error answers and other endpoints' data", "[promapi]") {
  Read r =
      read(R"({"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"})", 17);
  CHECK(r.reply.status == "error");
  CHECK(r.reply.error_type == "bad_data");
  CHECK(r.reply.error == "invalid parameter \"query\": 1:5: parse error");
  CHECK_FALSE(r.reply.has_data);
  r = read(R"({"status":"success","data":["__name__","job","le"]})", 30);
  CHECK(r.data == R"(["__name__","job","le"])");
  CHECK(r.series.empty());
  r = read(
      R"({"status":"success","data":{"activeTargets":[{"labels":{"job":"x"},"health":"up"}],"droppedTargets":[]}})",
      40);
  CHECK(json::parse(r.data)["activeTargets"][0]["health"] == "up");
}

TEST_CASE("reader: answers that are not the API's are errors", "[promapi]") {
  CHECK(error_text(R"([1,2])") == "not a Prometheus API answer: the body is a JSON array, not an object");
  CHECK(error_text(R"({"data":{}})") == "not a Prometheus API answer: it has no \"status\"");
  CHECK(error_text(R"({"status":"maybe"})") == "not a Prometheus API answer: unknown status \"maybe\"");
  CHECK(error_text(R"({"status":"success","data":{"result":[{"metric":{},"value":[1]}]}})") ==
        "not a Prometheus API answer: a sample is not [time, value]");
  CHECK(error_text(R"({"status":"success","data":{"result":[{"metric":{},"value":["1","2"]}]}})") ==
        "not a Prometheus API answer: a sample's time is not a number");
  CHECK(error_text(R"({"status":"success","data":{"result":[{"metric":{},"value":[1e999,"2"]}]}})")
            .find("the number 1e999 is out of range") != std::string::npos);
  CHECK(error_text(R"({"status":"success","data":{"result":[{"metric":{},"value":[1,"2"]})")
            .find("the input ends in the middle of an array") != std::string::npos);
  CHECK(error_text(R"({"status":"success","data":[1],"data":[2]})") ==
        "not a Prometheus API answer: \"data\" appears twice");
  CHECK(error_text("<html><body>502 Bad Gateway</body></html>") ==
        "invalid JSON at byte 0: expected a value, found '<'");
}

TEST_CASE("reader: without on_series the answer is still checked and data passed on", "[promapi]") {
  const std::string text = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{"a":"b"},)"
                           R"("values":[[1714564800,"0.5"],[1714564815,"NaN"]]}]}})";
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    std::string data;
    ReaderOptions o;
    o.data_sink = [&](std::string_view b) { data += b; };
    ReplyReader reader(o);
    reader.feed(std::string_view(text).substr(0, cut));
    reader.feed(std::string_view(text).substr(cut));
    reader.finish();
    REQUIRE(json::parse(data) == json::parse(text)["data"]);
  }
  ReaderOptions o;
  ReplyReader reader(o);
  CHECK_THROWS_WITH(reader.feed(R"({"status":"success","data":{"result":[{"metric":{},"values":[[1,"2"],[3]]}]}})"),
                    "not a Prometheus API answer: a sample is not [time, value]");
}

TEST_CASE("reader: sample times are the doubles strtod reads", "[promapi]") {
  std::mt19937_64 rng(7);
  std::vector<std::string> times = {"0",
                                    "0.1",
                                    "1714564800",
                                    "1714564800.125",
                                    "999999999999999",
                                    "99999999999999.9",
                                    "1000000000000000",
                                    "0.000000000000001",
                                    "1714564800.1234567",
                                    "-1714564800.5"};
  for (int i = 0; i < 2000; ++i) {
    std::string t = std::to_string(rng() % 10000000000000000ULL);
    t.insert(rng() % t.size() + 1, ".");
    if (t.back() == '.') t += '5';
    times.push_back(t);
  }
  std::string text = R"({"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[)";
  for (std::size_t i = 0; i < times.size(); ++i) text += (i ? ",[" : "[") + times[i] + ",\"1\"]";
  text += "]}]}}";
  Read r = read(text, text.size() / 3);
  REQUIRE(r.series.size() == 1);
  REQUIRE(r.series[0].samples.size() == times.size());
  for (std::size_t i = 0; i < times.size(); ++i) {
    INFO(times[i]);
    REQUIRE(r.series[0].samples[i].t == std::strtod(times[i].c_str(), nullptr));
  }
}
