// Times and steps as nsmon query takes them: RFC 3339, Unix seconds, relative to now.
#include <catch2/catch.hpp>

#include "nsmon/promapi/api.hpp"
#include "nsmon/promapi/time.hpp"

using namespace nsmon::promapi;

TEST_CASE("parse_time: RFC 3339", "[promapi]") {
  const double now = 2000000000;
  CHECK(parse_time("1970-01-01T00:00:00Z", now) == 0.0);
  CHECK(parse_time("2024-05-01T12:00:00Z", now) == 1714564800.0);
  CHECK(parse_time("2024-05-01T14:00:00+02:00", now) == 1714564800.0);
  CHECK(parse_time("2024-05-01T11:30:00-00:30", now) == 1714564800.0);
  CHECK(parse_time("2024-05-01T12:00:00.25Z", now) == 1714564800.25);
  CHECK(parse_time("2024-02-29T00:00:00Z", now) == 1709164800.0); // leap day
  CHECK(parse_time("1969-12-31T23:59:59Z", now) == -1.0);
  for (const char* bad : {"2023-02-29T00:00:00Z", "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z",
                          "2024-05-01T12:00:60Z", "2024-05-01 12:00:00Z", "2024-05-01T12:00:00", "2024-05-01",
                          "2024-05-01T12:00:00.Z", "2024-05-01T12:00:00Zjunk", "2024-5-01T12:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad, now).has_value());
  }
}

TEST_CASE("parse_time: Unix seconds and relative times", "[promapi]") {
  const double now = 1714564800.5;
  CHECK(parse_time("1714564800", now) == 1714564800.0);
  CHECK(parse_time("1714564800.125", now) == 1714564800.125);
  CHECK(parse_time("now", now) == now);
  CHECK(parse_time(" now ", now) == now);
  CHECK(parse_time("now-1h", now) == now - 3600);
  CHECK(parse_time("now+5m", now) == now + 300);
  CHECK(parse_time("-15m", now) == now - 900);
  CHECK(parse_time("now-1h30m", now) == now - 5400);
  CHECK(parse_time("now-500ms", now) == now - 0.5);
  CHECK(parse_time("-15", now) == -15.0);
  for (const char* bad : {"", "yesterday", "now-", "now-1x", "-1h-", "+1h", "now*2", "1e999", "nan", "inf", "0x10"}) {
    INFO(bad);
    CHECK_FALSE(parse_time(bad, now).has_value());
  }
}

TEST_CASE("steps: given and default (promtool's range/250, at least 1s)", "[promapi]") {
  CHECK(parse_step("15s") == 15.0);
  CHECK(parse_step("1m30s") == 90.0);
  CHECK(parse_step("0.5") == 0.5);
  CHECK(parse_step("30") == 30.0);
  CHECK_FALSE(parse_step("0").has_value());
  CHECK_FALSE(parse_step("-5s").has_value());
  CHECK_FALSE(parse_step("fast").has_value());
  CHECK(default_step(0, 3600) == 14.0);
  CHECK(default_step(0, 86400) == 345.0);
  CHECK(default_step(0, 60) == 1.0);
  CHECK(default_step(0, 0) == 1.0);
  CHECK(format_time(1714564800.5) == "1714564800.5");
  CHECK(format_time(1714564800.0004) == "1714564800");
  CHECK(format_time(1714564800.1239) == "1714564800.124");
}

TEST_CASE("API calls: URLs keep the server's path prefix, parameters are form-encoded", "[promapi]") {
  CHECK(api_url("http://h:9090", "query") == "http://h:9090/api/v1/query");
  CHECK(api_url("http://h/prometheus/", "query") == "http://h/prometheus/api/v1/query");
  CHECK(nsmon::http::form_encode(instant_query("sum(rate(x{a=\"b c\"}[5m]))", 1714564800.0).params) ==
        "query=sum%28rate%28x%7Ba%3D%22b%20c%22%7D%5B5m%5D%29%29&time=1714564800");
  CHECK(nsmon::http::form_encode(series({"up", "{job=~\"a.*\"}"}, std::nullopt, 10.0).params) ==
        "match%5B%5D=up&match%5B%5D=%7Bjob%3D~%22a.%2A%22%7D&end=10");
  CHECK(label_values("job", {}, std::nullopt, std::nullopt).path == "label/job/values");
  CHECK(range_query("up", 0, 3600, 14).params.back().second == "14");
  CHECK(valid_server_url("http://localhost:9090"));
  CHECK(valid_server_url("https://user:pw@mimir.example/prometheus"));
  CHECK_FALSE(valid_server_url("localhost:9090"));
  CHECK_FALSE(valid_server_url("http://"));
  CHECK_FALSE(valid_server_url("http://h/?x=1"));
}
