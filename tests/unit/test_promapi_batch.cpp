// promapi::Batch: each distinct call sent once per run, answers in the callers' order, at most
// `concurrency` requests in flight, and no request started after the first failure.
#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <thread>

#include "nsmon/http/fake_client.hpp"
#include "nsmon/promapi/batch.hpp"

using namespace nsmon;
using namespace nsmon::promapi;

namespace {

const char* kVector = R"({"status":"success","data":{"resultType":"vector","result":[)"
                      R"({"metric":{"__name__":"up","job":"a"},"value":[1,"1"]}]}})";

SendCall fake_sender(http::FakeClient& client, http::FormSender& sender) {
  return [&](const Call& c, const ReaderOptions& ro) {
    return perform(sender, client, "http://127.0.0.1:9", c, http::Request{}, ro);
  };
}

} // namespace

TEST_CASE("batch: a call asked twice is sent once, its answer kept whole") {
  http::FakeClient client;
  client.on("/api/v1/query", {200, "application/json", kVector});
  client.on("/api/v1/labels", {200, "application/json", R"({"status":"success","data":["job","le"]})"});
  http::FormSender sender(client);
  Batch batch(fake_sender(client, sender), 1);
  auto a = batch.fetch({instant_query("up", 1), Call{"labels", {}, false}, instant_query("up", 1)});
  REQUIRE(a.size() == 3);
  CHECK(a[0] == a[2]);
  CHECK(a[0]->ok());
  REQUIRE(a[0]->result.size() == 1);
  CHECK(a[0]->result[0].labels[1].second == "a");
  CHECK(a[1]->data == R"(["job","le"])");
  // Asked again in a later fetch: from the run's cache.
  auto again = batch.fetch(instant_query("up", 1));
  CHECK(again == a[0]);
  CHECK(client.requests().size() == 2);
  CHECK(batch.requests() == 2);
  // Another time is another question.
  batch.fetch(instant_query("up", 2));
  CHECK(batch.requests() == 3);
}

TEST_CASE("batch: an error answer is an answer, a transport failure ends the batch") {
  http::FakeClient client;
  client.on("/api/v1/query",
            {400, "application/json", R"({"status":"error","errorType":"bad_data","error":"parse error"})"});
  http::FormSender sender(client);
  Batch batch(fake_sender(client, sender), 1);
  auto a = batch.fetch(instant_query("up{", 1));
  CHECK_FALSE(a->ok());
  CHECK(a->reply.error == "parse error");

  http::FakeClient down;
  http::FakeClient::Reply refused;
  refused.failure = http::Failure::connect;
  refused.message = "connection refused";
  down.on("/api/v1/", refused);
  http::FormSender down_sender(down);
  Batch b(fake_sender(down, down_sender), 1);
  std::vector<Call> many;
  for (int i = 0; i < 50; ++i) many.push_back(instant_query("up", i));
  CHECK_THROWS_AS(b.fetch(many), http::TransportError);
  CHECK(down.requests().size() == 1); // not one per call
}

TEST_CASE("batch: at most concurrency requests in flight, all answered in order") {
  std::atomic<int> in_flight{0}, most{0};
  SendCall slow = [&](const Call& c, const ReaderOptions& ro) {
    int now = ++in_flight;
    for (int m = most; now > m && !most.compare_exchange_weak(m, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ro.data_sink(c.params[0].second);
    --in_flight;
    Answer a;
    a.http_status = 200;
    a.reply.status = "success";
    return a;
  };
  Batch batch(slow, 4);
  std::vector<Call> calls;
  for (int i = 0; i < 40; ++i) calls.push_back(instant_query("q" + std::to_string(i), 1));
  auto a = batch.fetch(calls);
  for (int i = 0; i < 40; ++i) CHECK(a[i]->data == "q" + std::to_string(i));
  CHECK(most <= 4);
  CHECK(most >= 2);
  CHECK(batch.requests() == 40);
}
