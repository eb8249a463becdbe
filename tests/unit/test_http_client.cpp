// The libcurl client against tests/support/fault_server.py: every failure's kind and sentence,
// retries, redirects, credentials, the POST-to-GET fallback, TLS and the masked trace.
#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../support/fault_server.hpp"
#include "nsmon/http/client.hpp"

using namespace nsmon;
using namespace nsmon::http;
using nsmon::testing::FaultServer;
using nsmon::testing::recorded_header;
using Clock = std::chrono::steady_clock;

namespace {

long ms_since(Clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

Request get(const std::string& url, long timeout_ms = 3000) {
  Request r;
  r.url = url;
  r.timeout_ms = timeout_ms;
  r.connect_timeout_ms = 1000;
  return r;
}

ClientOptions quick(int retries = 0) {
  ClientOptions o;
  o.retries = retries;
  o.retry_backoff_ms = 100;
  return o;
}

// Sends and expects a TransportError; returns it (kind and message are checked by the caller).
TransportError failure(Client& c, const Request& r) {
  try {
    Response resp = c.send(r);
    FAIL("no failure; status " << resp.status);
  } catch (const TransportError& e) {
    return e;
  }
  throw std::logic_error("unreachable");
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

struct TempFile {
  explicit TempFile(const std::string& content) {
    char tmpl[] = "/tmp/nsmon-http-XXXXXX";
    int fd = ::mkstemp(tmpl);
    REQUIRE(fd >= 0);
    REQUIRE(::write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()));
    ::close(fd);
    path = tmpl;
  }
  ~TempFile() { std::filesystem::remove(path); }
  std::string path;
};

} // namespace

TEST_CASE("http client: a refused connection is retried for reads, then one sentence") {
  int port = testing::closed_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/api/v1/query";
  std::vector<std::string> trace;
  ClientOptions o = quick(2);
  o.trace = [&](const std::string& line) { trace.push_back(line); };
  auto c = make_curl_client(o);
  auto t0 = Clock::now();
  TransportError e = failure(*c, get(url + "?query=up"));
  CHECK(e.failure == Failure::connect);
  CHECK(std::string(e.what()) == "cannot connect to " + url + ": connection refused (3 attempts)");
  CHECK(ms_since(t0) >= 300); // 100 ms + 200 ms of backoff
  CHECK(std::count_if(trace.begin(), trace.end(), [](const std::string& l) { return contains(l, "retrying in"); }) ==
        2);

  // A POST that is not marked idempotent is sent once.
  Request post = get(url);
  post.method = "POST";
  e = failure(*c, post);
  CHECK(std::string(e.what()) == "cannot connect to " + url + ": connection refused");
}

TEST_CASE("http client: a server that never answers hits the total timeout") {
  FaultServer s;
  auto c = make_curl_client(quick(2));
  auto t0 = Clock::now();
  TransportError e = failure(*c, get(s.url("hang/api/v1/query"), 700));
  CHECK(e.failure == Failure::timeout);
  CHECK(std::string(e.what()) == "no complete answer from " + s.url("hang/api/v1/query") +
                                     " within the total timeout of 700 ms (0 bytes received)");
  CHECK(ms_since(t0) < 3000);
  CHECK(s.requests().size() == 1); // a timeout is not retried
}

TEST_CASE("http client: a slow drip hits the total timeout too") {
  FaultServer s;
  auto c = make_curl_client(quick());
  auto t0 = Clock::now();
  TransportError e = failure(*c, get(s.url("drip,ms=50/x"), 1000));
  CHECK(e.failure == Failure::timeout);
  CHECK(contains(e.what(), "within the total timeout of 1 s ("));
  CHECK_FALSE(contains(e.what(), "(0 bytes"));
  CHECK(ms_since(t0) < 3000);
}

TEST_CASE("http client: a connection that is never accepted hits the connect timeout") {
  // A listening socket whose accept queue is full: the kernel drops further connection attempts.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  REQUIRE(::listen(fd, 0) == 0);
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  std::vector<int> fillers;
  for (int i = 0; i < 8; ++i) {
    int f = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    (void)::connect(f, reinterpret_cast<sockaddr*>(&addr), sizeof addr); // non-blocking: in progress
    fillers.push_back(f);
  }
  std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/api/v1/query";
  auto c = make_curl_client(quick());
  Request r = get(url, 5000);
  r.connect_timeout_ms = 300;
  try {
    Response resp = c->send(r);
    FAIL("answered " << resp.status);
  } catch (const TransportError& e) {
    if (e.failure == Failure::connect_timeout) {
      CHECK(std::string(e.what()) ==
            "cannot connect to " + url + ": no connection within the connect timeout of 300 ms");
    } else {
      // Some kernels (gVisor) accept into the queue anyway: then the total timeout, and nothing
      // else, is what ends it.
      WARN("the kernel did not drop the connection attempt: " << e.what());
      CHECK(e.failure == Failure::timeout);
      CHECK(contains(e.what(), "within the total timeout of 5 s"));
    }
  }
  for (int f : fillers) ::close(f);
  ::close(fd);
}

TEST_CASE("http client: an HTTP error status is a response, with the body kept") {
  FaultServer s;
  auto c = make_curl_client(quick(2));
  Request r = get(s.url("error,code=422,type=bad_data,msg=parse%20error/api/v1/query"));
  bool streamed = false;
  r.on_body = [&](std::string_view) { return streamed = true; };
  Response resp = c->send(r);
  CHECK(resp.status == 422);
  CHECK(resp.content_type == "application/json");
  CHECK(contains(resp.body, R"("errorType": "bad_data")"));
  CHECK(contains(resp.body, R"("error": "parse error")"));
  CHECK_FALSE(streamed); // only 2xx bodies go to on_body
  resp = c->send(get(s.url("error,code=500/api/v1/query")));
  CHECK(resp.status == 500);
  CHECK(s.requests().size() == 2); // 500 is not retried
}

TEST_CASE("http client: 503 is retried for reads only, Retry-After honoured") {
  FaultServer s;
  auto c = make_curl_client(quick(2));
  Response resp = c->send(get(s.url("flaky,fail=2,id=a/api/v1/query")));
  CHECK(resp.status == 200);
  CHECK(s.requests().size() == 3);

  // Retries run out: the last 503 is the answer.
  resp = c->send(get(s.url("flaky,fail=5,id=b/api/v1/query")));
  CHECK(resp.status == 503);
  CHECK(contains(resp.body, "try again (3)"));

  // A POST not marked idempotent is not sent twice; one marked so is.
  Request post = get(s.url("flaky,fail=1,id=c/api/v1/query"));
  post.method = "POST";
  post.body = "query=up";
  CHECK(c->send(post).status == 503);
  CHECK(c->send(post).status == 200);
  post.url = s.url("flaky,fail=1,id=d/api/v1/query");
  post.idempotent = true;
  CHECK(c->send(post).status == 200);

  auto t0 = Clock::now();
  CHECK(c->send(get(s.url("flaky,fail=1,id=e,retry_after=1/x"))).status == 200);
  CHECK(ms_since(t0) >= 1000);
  // No retry that cannot finish within the total timeout.
  // No retry that cannot finish within the total timeout: the 503 comes back at once instead of
  // after the 3 s the server asked for (the margin is for a loaded machine, not a goal).
  t0 = Clock::now();
  auto before = s.requests().size();
  CHECK(c->send(get(s.url("flaky,fail=1,id=f,retry_after=3/x"), 1000)).status == 503);
  CHECK(ms_since(t0) < 2500);
  CHECK(s.requests().size() == before + 1);
}

TEST_CASE("http client: bodies that break off or never come") {
  FaultServer s;
  auto c = make_curl_client(quick(2));
  TransportError e = failure(*c, get(s.url("truncated,length=1000/api/v1/query")));
  CHECK(e.failure == Failure::truncated);
  CHECK(std::string(e.what()) == "the answer from " + s.url("truncated,length=1000/api/v1/query") +
                                     " was cut short: the connection closed after 100 of 1000 bytes");
  CHECK(s.requests().size() == 1); // a partial answer is not retried

  // The status line alone: curl takes it for a whole, empty 200, which a metrics page of no series
  // would be (a detector exiting as it answers).
  e = failure(*c, get(s.url("headcut/metrics")));
  CHECK(e.failure == Failure::truncated);
  CHECK(std::string(e.what()) ==
        "the answer from " + s.url("headcut/metrics") + " was cut short: the connection closed in its headers");

  e = failure(*c, get(s.url("close/x")));
  CHECK(e.failure == Failure::truncated);
  CHECK(std::string(e.what()) == s.url("close/x") + " closed the connection without answering (3 attempts)");
}

TEST_CASE("http client: a body over max_bytes, kept or streamed") {
  FaultServer s;
  auto c = make_curl_client(quick());
  Request r = get(s.url("huge,bytes=200000/api/v1/query"));
  r.max_bytes = 10000;
  TransportError e = failure(*c, r);
  CHECK(e.failure == Failure::too_large);
  CHECK(std::string(e.what()) ==
        "the answer from " + s.url("huge,bytes=200000/api/v1/query") + " is larger than the limit of 10000 bytes");
  std::size_t streamed = 0;
  r.on_body = [&](std::string_view chunk) {
    streamed += chunk.size();
    return true;
  };
  CHECK(failure(*c, r).failure == Failure::too_large);
  CHECK(streamed <= 10000);
  r.max_bytes = 0;
  streamed = 0;
  Response resp = c->send(r);
  CHECK(resp.status == 200);
  CHECK(resp.body.empty());
  CHECK(streamed >= 200000);
}

TEST_CASE("http client: a reader that stops the transfer is told apart") {
  FaultServer s;
  auto c = make_curl_client(quick(2));
  Request r = get(s.url("huge,bytes=100000/api/v1/query"));
  r.on_body = [](std::string_view) { return false; };
  TransportError e = failure(*c, r);
  CHECK(e.failure == Failure::aborted);
  CHECK(s.requests().size() == 1);
}

TEST_CASE("http client: redirects are followed within the limit") {
  FaultServer s;
  auto c = make_curl_client(quick());
  Response resp = c->send(get(s.url("redirect,to=ok/api/v1/labels?x=1")));
  CHECK(resp.status == 200);
  CHECK(resp.url == s.url("ok/api/v1/labels?x=1"));
  CHECK(contains(resp.body, "__name__"));

  TransportError e = failure(*c, get(s.url("loop/x")));
  CHECK(e.failure == Failure::redirects);
  CHECK(std::string(e.what()) == "more than 5 redirects, the last from " + s.url("loop/x") + " to " + s.url("loop/x"));
  CHECK(s.requests().size() == 2 + 6);

  ClientOptions none = quick();
  none.max_redirects = 0;
  CHECK(make_curl_client(none)->send(get(s.url("loop/x"))).status == 302);
}

TEST_CASE("http client: credentials, tenant and headers, none of them to another host") {
  FaultServer s;
  TempFile token("  tok-3f9a1c77e2\n");
  ClientOptions o = quick();
  o.bearer_token_file = token.path;
  o.tenant = "team-a";
  o.headers = {{"X-Extra", "1"}, {"X-Api-Key", "k-55aa"}};
  std::vector<std::string> trace;
  o.trace = [&](const std::string& line) { trace.push_back(line); };
  auto c = make_curl_client(o);
  // Same origin: everything sent, also after a redirect.
  CHECK(c->send(get(s.url("redirect/api/v1/query"))).status == 200);
  // Another host (localhost is not 127.0.0.1): the secrets stay behind, the rest goes.
  CHECK(c->send(get(s.url("redirect,host=localhost/api/v1/query"))).status == 200);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 4);
  for (int i : {0, 1, 2}) {
    CHECK(recorded_header(reqs[i], "Authorization") == "Bearer tok-3f9a1c77e2");
    CHECK(recorded_header(reqs[i], "X-Api-Key") == "k-55aa");
  }
  CHECK(recorded_header(reqs[3], "Authorization").empty());
  CHECK(recorded_header(reqs[3], "X-Api-Key").empty());
  for (int i : {0, 1, 2, 3}) {
    CHECK(recorded_header(reqs[i], "X-Scope-OrgID") == "team-a");
    CHECK(recorded_header(reqs[i], "X-Extra") == "1");
  }
  // The trace shows the headers, never the secrets.
  std::string all;
  for (const auto& l : trace) all += l + "\n";
  CHECK(contains(all, "> Authorization: Bearer ***"));
  CHECK(contains(all, "> X-Api-Key: ***"));
  CHECK(contains(all, "> X-Scope-OrgID: team-a"));
  CHECK(contains(all, "< HTTP/1.1 302 Found"));
  CHECK(contains(all, "* redirected to another host: credentials are not sent there"));
  CHECK(contains(all, "* 200 OK, "));
  CHECK_FALSE(contains(all, "tok-3f9a1c77e2"));
  CHECK_FALSE(contains(all, "k-55aa"));
}

TEST_CASE("http client: basic auth with the password from a file or the environment") {
  FaultServer s;
  TempFile pw("pa55-w0rd-file\n");
  ClientOptions o = quick();
  o.username = "alice";
  o.password_file = pw.path;
  CHECK(make_curl_client(o)->send(get(s.url("ok/x"))).status == 200);
  ::setenv("NSMON_TEST_HTTP_PW", "pa55-w0rd-env", 1);
  o.password_file.clear();
  o.password_env = "NSMON_TEST_HTTP_PW";
  std::vector<std::string> trace;
  o.trace = [&](const std::string& line) { trace.push_back(line); };
  CHECK(make_curl_client(o)->send(get(s.url("ok/x"))).status == 200);
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 2);
  CHECK(recorded_header(reqs[0], "Authorization") == "Basic YWxpY2U6cGE1NS13MHJkLWZpbGU="); // alice:pa55-w0rd-file
  CHECK(recorded_header(reqs[1], "Authorization") == "Basic YWxpY2U6cGE1NS13MHJkLWVudg==");
  for (const auto& r : reqs) CHECK_FALSE(contains(r.dump(), "pa55")); // never in the URL or body
  for (const auto& l : trace) {
    CHECK_FALSE(contains(l, "pa55"));
    CHECK_FALSE(contains(l, "YWxpY2U6cGE1NS13MHJkLWVudg=="));
  }
  ::unsetenv("NSMON_TEST_HTTP_PW");
}

TEST_CASE("http client: unusable credentials are refused before any request, without their contents") {
  TempFile empty("\n \n");
  TempFile two("line-one-secret\nline-two\n");
  auto message = [](const ClientOptions& o) -> std::string {
    try {
      make_curl_client(o);
    } catch (const Error& e) {
      return e.what();
    }
    return "accepted";
  };
  ClientOptions o;
  o.bearer_token_file = "/nonexistent/token";
  CHECK(contains(message(o), "bearer token file: cannot read /nonexistent/token"));
  o.bearer_token_file = empty.path;
  CHECK(message(o) == "bearer token file " + empty.path + " is empty");
  o.bearer_token_file = two.path;
  CHECK(message(o) == "bearer token file " + two.path + " holds more than one line");
  o.username = "bob";
  o.password_env = "X";
  CHECK_THROWS_AS(make_curl_client(o), UsageError); // bearer and basic
  o.bearer_token_file.clear();
  ::unsetenv("NSMON_TEST_HTTP_UNSET");
  o.password_env = "NSMON_TEST_HTTP_UNSET";
  CHECK(message(o) == "the environment variable NSMON_TEST_HTTP_UNSET (basic auth password) is not set or empty");
  o.password_file = two.path;
  CHECK_THROWS_AS(make_curl_client(o), UsageError); // file and variable
  o = {};
  o.password_file = two.path;
  CHECK_THROWS_AS(make_curl_client(o), UsageError); // no username
  o = {};
  o.ca_file = "/nonexistent/ca.pem";
  CHECK(contains(message(o), "cannot read the CA file /nonexistent/ca.pem"));
  o = {};
  o.headers = {{"X-Bad", "a\r\nb"}};
  CHECK_THROWS_AS(make_curl_client(o), UsageError);
}

TEST_CASE("http client: FormSender posts forms and falls back to GET for the session") {
  FaultServer s;
  auto c = make_curl_client(quick());
  FormSender post(*c);
  Response r = post.send(get(s.url("ok/api/v1/query")), {{"query", "sum(rate(x[5m]))"}, {"time", "1700000000"}});
  CHECK(r.status == 200);
  CHECK_FALSE(post.using_get());
  for (const char* mode : {"nopost", "nopost,code=501"}) {
    FormSender sender(*c);
    Request base = get(s.url(std::string(mode) + "/api/v1/query"));
    CHECK(sender.send(base, {{"query", "up{job=\"a b\"}"}}).status == 200);
    CHECK(sender.using_get());
    CHECK(sender.send(base, {{"query", "up"}}).status == 200);
  }
  auto reqs = s.requests();
  REQUIRE(reqs.size() == 7);
  CHECK(reqs[0]["method"] == "POST");
  CHECK(reqs[0]["body"] == "query=sum%28rate%28x%5B5m%5D%29%29&time=1700000000");
  CHECK(recorded_header(reqs[0], "Content-Type") == "application/x-www-form-urlencoded");
  CHECK(reqs[0]["query"] == "");
  for (int first : {1, 4}) {
    CHECK(reqs[first]["method"] == "POST");
    CHECK(reqs[first + 1]["method"] == "GET");
    CHECK(reqs[first + 1]["query"] == "query=up%7Bjob%3D%22a%20b%22%7D");
    CHECK(reqs[first + 2]["method"] == "GET"); // remembered: no second POST
    CHECK(reqs[first + 2]["query"] == "query=up");
  }
}

TEST_CASE("http client: a proxy's HTML page comes back as it is") {
  FaultServer s;
  auto c = make_curl_client(quick());
  Response r = c->send(get(s.url("html/api/v1/query")));
  CHECK(r.status == 200);
  CHECK(r.content_type == "text/html; charset=utf-8");
  CHECK(r.body.rfind("<!DOCTYPE html>", 0) == 0);
}

TEST_CASE("http client: URL credentials never reach a message or the trace") {
  int port = testing::closed_port();
  std::vector<std::string> trace;
  ClientOptions o = quick();
  o.trace = [&](const std::string& line) { trace.push_back(line); };
  std::string url = "http://admin:hunter2-secret@127.0.0.1:" + std::to_string(port) + "/api/v1/query?password=p4ss-x";
  TransportError e = failure(*make_curl_client(o), get(url));
  CHECK(std::string(e.what()) ==
        "cannot connect to http://***@127.0.0.1:" + std::to_string(port) + "/api/v1/query: connection refused");
  for (const auto& l : trace) {
    CHECK_FALSE(contains(l, "hunter2"));
    CHECK_FALSE(contains(l, "p4ss-x"));
  }
  CHECK_FALSE(trace.empty());
}

TEST_CASE("http client: TLS with a CA file, without one, and skipping verification") {
  if (std::system("command -v openssl >/dev/null 2>&1") != 0) {
    WARN("openssl is not installed: TLS cases skipped");
    return;
  }
  char tmpl[] = "/tmp/nsmon-tls-XXXXXX";
  REQUIRE(::mkdtemp(tmpl));
  std::string dir = tmpl;
  std::string cert = dir + "/cert.pem", key = dir + "/key.pem";
  std::string cmd =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=127.0.0.1"
      " -addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  {
    FaultServer s({"--tls-cert", cert, "--tls-key", key});
    std::string url = s.url("ok/api/v1/query", "https");
    TransportError e = failure(*make_curl_client(quick()), get(url));
    CHECK(e.failure == Failure::tls_verify);
    CHECK(contains(e.what(), "cannot verify the TLS certificate of " + url + ": "));
    ClientOptions o = quick();
    o.ca_file = cert;
    CHECK(make_curl_client(o)->send(get(url)).status == 200);
    o = quick();
    o.insecure_skip_verify = true;
    CHECK(make_curl_client(o)->send(get(url)).status == 200);
    // Mutual TLS: the server wants a client certificate (self-signed, so it is its own CA).
    FaultServer mtls({"--tls-cert", cert, "--tls-key", key, "--tls-client-ca", cert});
    url = mtls.url("ok/x", "https");
    o = quick();
    o.ca_file = cert;
    e = failure(*make_curl_client(o), get(url));
    INFO(e.what());
    CHECK(e.failure == Failure::tls);
    CHECK(contains(e.what(), url));
    o.cert_file = cert;
    o.key_file = key;
    CHECK(make_curl_client(o)->send(get(url)).status == 200);
    // https to a plain HTTP server: a TLS failure that is not about the certificate (a CA file
    // is given so that a machine without a CA bundle fails the handshake, not the verification).
    FaultServer plain;
    o = quick();
    o.ca_file = cert;
    e = failure(*make_curl_client(o), get(plain.url("ok/x", "https")));
    CHECK(e.failure == Failure::tls);
    CHECK(contains(e.what(), "TLS failure with " + plain.url("ok/x", "https") + ": "));
  }
  std::filesystem::remove_all(dir);
}
