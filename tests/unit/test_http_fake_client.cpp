// The fake client keeps the real client's contract, so tests written against it hold for libcurl.
#include <catch2/catch.hpp>

#include "nsmon/http/fake_client.hpp"

using namespace nsmon::http;

TEST_CASE("fake client: replies in turn, records requests, unknown URLs get 404") {
  FakeClient c;
  c.on("/api/v1/query", {503, "application/json", R"({"status":"error"})", {}, {}});
  c.on("/api/v1/query", {200, "application/json", R"({"status":"success"})", {}, {}});
  Request r;
  r.url = "http://fake/api/v1/query?query=up";
  CHECK(c.send(r).status == 503);
  CHECK(c.send(r).body == R"({"status":"success"})");
  CHECK(c.send(r).status == 200); // the last reply repeats
  r.url = "http://fake/api/v1/labels";
  CHECK(c.send(r).status == 404);
  REQUIRE(c.requests().size() == 4);
  CHECK(c.requests()[0].url == "http://fake/api/v1/query?query=up");
}

TEST_CASE("fake client: FormSender's fallback runs on it") {
  FakeClient c;
  c.on("/nopost", {405, "text/plain", "no", {}, {}});
  c.on("/nopost", {200, "application/json", "{}", {}, {}});
  FormSender s(c);
  Request base;
  base.url = "http://fake/nopost";
  CHECK(s.send(base, {{"query", "a b"}}).status == 200);
  REQUIRE(c.requests().size() == 2);
  CHECK(c.requests()[0].method == "POST");
  CHECK(c.requests()[0].body == "query=a%20b");
  CHECK(c.requests()[0].idempotent);
  CHECK(c.requests()[1].method == "GET");
  CHECK(c.requests()[1].url == "http://fake/nopost?query=a%20b");
}

TEST_CASE("fake client: streaming in pieces, limits, aborts and failures") {
  FakeClient c;
  c.set_chunk_size(3);
  c.on("/ok", {200, "application/json", "0123456789", {}, {}});
  c.on("/err", {422, "application/json", "{\"error\":\"x\"}", {}, {}});
  c.on("/down", {0, "", "", Failure::connect, "cannot connect to http://fake/down: connection refused"});
  Request r;
  r.url = "http://fake/ok";
  std::vector<std::string> pieces;
  r.on_body = [&](std::string_view p) {
    pieces.emplace_back(p);
    return true;
  };
  Response resp = c.send(r);
  CHECK(resp.body.empty());
  CHECK(pieces == std::vector<std::string>{"012", "345", "678", "9"});
  r.url = "http://fake/err"; // not 2xx: kept in the body, not streamed
  CHECK(c.send(r).body == "{\"error\":\"x\"}");
  CHECK(pieces.size() == 4);

  r.url = "http://fake/ok";
  r.max_bytes = 5;
  try {
    c.send(r);
    FAIL("no limit");
  } catch (const TransportError& e) {
    CHECK(e.failure == Failure::too_large);
  }
  r.max_bytes = 0;
  r.on_body = [](std::string_view) { return false; };
  try {
    c.send(r);
    FAIL("no abort");
  } catch (const TransportError& e) {
    CHECK(e.failure == Failure::aborted);
  }
  r.url = "http://fake/down";
  try {
    c.send(r);
    FAIL("no failure");
  } catch (const TransportError& e) {
    CHECK(e.failure == Failure::connect);
    CHECK(std::string(e.what()) == "cannot connect to http://fake/down: connection refused");
  }
}
