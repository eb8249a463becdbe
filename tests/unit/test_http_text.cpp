// http/'s text helpers: form encoding, header parsing, masking of secrets.
#include <catch2/catch.hpp>

#include "nsmon/http/client.hpp"
#include "nsmon/http/redact.hpp"
#include "nsmon/text/percent.hpp"

using namespace nsmon;
using namespace nsmon::http;

TEST_CASE("percent_encode keeps the unreserved characters only, and what it is told to keep") {
  using text::percent_encode;
  CHECK(percent_encode("AZaz09-._~") == "AZaz09-._~");
  CHECK(percent_encode("a b+c&d=e/f?") == "a%20b%2Bc%26d%3De%2Ff%3F");
  CHECK(percent_encode("{job=\"x\"}[5m]") == "%7Bjob%3D%22x%22%7D%5B5m%5D");
  CHECK(percent_encode("é\n") == "%C3%A9%0A");
  CHECK(percent_encode(std::string("\0%", 2)) == "%00%25");
  CHECK(percent_encode("/a b/c", "/") == "/a%20b/c");
}

TEST_CASE("form_encode joins encoded pairs, repeated keys kept in order") {
  CHECK(form_encode({}).empty());
  CHECK(form_encode({{"query", "sum(rate(x[5m]))"}, {"time", "1700000000"}}) ==
        "query=sum%28rate%28x%5B5m%5D%29%29&time=1700000000");
  CHECK(form_encode({{"match[]", "up"}, {"match[]", "a{b=\"c\"}"}}) == "match%5B%5D=up&match%5B%5D=a%7Bb%3D%22c%22%7D");
}

TEST_CASE("parse_header splits and trims, and refuses what would break the request") {
  CHECK(parse_header("X-Scope-OrgID: team-a") == std::pair<std::string, std::string>{"X-Scope-OrgID", "team-a"});
  CHECK(parse_header("  Accept :  a: b  ") == std::pair<std::string, std::string>{"Accept", "a: b"});
  CHECK(parse_header("X-Empty:") == std::pair<std::string, std::string>{"X-Empty", ""});
  CHECK_THROWS_AS(parse_header("no colon here"), UsageError);
  CHECK_THROWS_AS(parse_header(": value"), UsageError);
  CHECK_THROWS_AS(parse_header("Bad Name: v"), UsageError);
  CHECK_THROWS_AS(parse_header("X-Injected: a\r\nHost: evil"), UsageError);
  // The value may be a secret: the message never shows it.
  try {
    parse_header("Authorization Bearer s3cr3t-token");
    FAIL("accepted");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("s3cr3t") == std::string::npos);
  }
  try {
    parse_header("X-Key: s3cr3t\nmore");
    FAIL("accepted");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("s3cr3t") == std::string::npos);
    CHECK(std::string(e.what()).find("X-Key") != std::string::npos);
  }
}

TEST_CASE("header lines and free text lose their secrets") {
  using namespace nsmon::http::detail;
  CHECK(mask_header_line("Authorization: Bearer abc.def") == "Authorization: Bearer ***");
  CHECK(mask_header_line("authorization: Basic dXNlcjpwdw==") == "authorization: Basic ***");
  CHECK(mask_header_line("Cookie: session=1") == "Cookie: ***");
  CHECK(mask_header_line("Set-Cookie: a=b; Path=/") == "Set-Cookie: ***");
  CHECK(mask_header_line("X-Api-Key: k") == "X-Api-Key: ***");
  CHECK(mask_header_line("X-Scope-OrgID: team-a") == "X-Scope-OrgID: team-a");
  CHECK(mask_header_line("Content-Type: application/json") == "Content-Type: application/json");
  CHECK(mask_secrets("token abcd1234 and abcd1234", {"abcd1234", "xy"}) == "token *** and ***");
  CHECK(message_url("http://u:p@h:1/api/v1/query?query=up") == "http://***@h:1/api/v1/query");
}

TEST_CASE("origin tells hosts, ports and schemes apart") {
  using nsmon::http::detail::origin;
  CHECK(origin("http://127.0.0.1:9090/a") == origin("HTTP://127.0.0.1:9090/b?c"));
  CHECK(origin("http://h/a") == origin("http://h:80/"));
  CHECK(origin("https://h/a") == origin("https://u:p@h:443"));
  CHECK(origin("http://h:9090/") != origin("http://h:9091/"));
  CHECK(origin("http://h/") != origin("https://h/"));
  CHECK(origin("http://localhost:1/") != origin("http://127.0.0.1:1/"));
  CHECK(origin("http://[::1]/") == "http://[::1]:80");
  CHECK(origin("http://[::1]:9/") == "http://[::1]:9");
}

TEST_CASE("status_text names the usual statuses") {
  CHECK(status_text(503) == "503 Service Unavailable");
  CHECK(status_text(422) == "422 Unprocessable Entity");
  CHECK(status_text(599) == "599");
}
