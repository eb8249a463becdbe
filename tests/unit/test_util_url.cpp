// util/url: the one masking of credentials in URLs (messages, traces, config show).
#include <catch2/catch.hpp>

#include "nsmon/util/url.hpp"

using namespace nsmon;

TEST_CASE("redact_url masks userinfo and secret query parameters", "[util]") {
  CHECK(util::redact_url("http://127.0.0.1:9090/api/v1/query") == "http://127.0.0.1:9090/api/v1/query");
  CHECK(util::redact_url("https://admin:hunter22@prom.example/prometheus") == "https://***@prom.example/prometheus");
  CHECK(util::redact_url("https://token@prom.example") == "https://***@prom.example");
  CHECK(util::redact_url("http://h/q?query=up&password=hunter22&time=1") == "http://h/q?query=up&password=***&time=1");
  CHECK(util::redact_url("http://h/q?access_token=abc&API_KEY=def#frag") ==
        "http://h/q?access_token=***&API_KEY=***#frag");
  CHECK(util::redact_url("http://h/q?query=a%40b&x") == "http://h/q?query=a%40b&x");
  // An @ in the path or query is no userinfo.
  CHECK(util::redact_url("http://h/a@b?c=d@e") == "http://h/a@b?c=d@e");
  CHECK(util::redact_url("/api/v1/query?pwd=x") == "/api/v1/query?pwd=***");
}

TEST_CASE("secret names: headers and query parameters that carry credentials", "[util]") {
  for (const char* name : {"Authorization", "X-API-Key", "access_token", "Cookie", "password", "X-Auth-Token"})
    CHECK(util::is_secret_name(name));
  for (const char* name : {"query", "time", "Accept", "X-Scope-OrgID", "step"}) CHECK_FALSE(util::is_secret_name(name));
}
