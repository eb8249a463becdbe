#include "nsmon/cli/server.hpp"

#include <CLI/CLI.hpp>
#include <iostream>

#include "nsmon/cli/settings.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::cli {

namespace {

long duration_ms(const std::string& text, const char* flag) {
  auto ms = config::duration_ms(text);
  if (!ms)
    throw UsageError(std::string(flag) + " wants a duration such as 30s, 1m or 10 (seconds), not '" + text + "'");
  return static_cast<long>(*ms);
}

bool is_loopback(const std::string& url) {
  std::string_view host = url;
  host.remove_prefix(std::min(host.find("://") + 3, host.size()));
  host = host.substr(0, host.find('/'));
  if (auto at = host.rfind('@'); at != std::string_view::npos) host.remove_prefix(at + 1);
  return util::starts_with(host, "127.") || util::starts_with(host, "localhost") || util::starts_with(host, "[::1]");
}

} // namespace

void add_server_options(CLI::App* c, ServerOptions& o, const std::string& url_flag, const std::string& url_help) {
  const char* g = "Connection";
  // query named the server --server before the other commands named it --prometheus: each takes
  // both, so that a flag learnt on one command works on the next.
  const std::string other = url_flag == "--server" ? "--prometheus" : "--server";
  c->add_option(url_flag + "," + other, o.url, url_help)->option_text("URL")->group(g);
  c->add_option("--timeout", o.timeout, "Total time for each request, retries included (default 30s)")
      ->option_text("DURATION")
      ->group(g);
  c->add_option("--connect-timeout", o.connect_timeout, "Time to establish each connection (default 5s)")
      ->option_text("DURATION")
      ->group(g);
  c->add_option("--retries", o.retries, "Extra attempts on connection errors and 502/503/504 (default 2)")
      ->check(CLI::Range(0, 10))
      ->group(g);
  c->add_option("--max-bytes", o.max_bytes, "Fail when an answer is larger (default: no limit)")->group(g);
  c->add_option("--bearer-token-file", o.bearer_token_file, "Send 'Authorization: Bearer' with the file's token")
      ->option_text("FILE")
      ->group(g);
  c->add_option("--username", o.username, "Basic auth user name")->group(g);
  c->add_option("--password-file", o.password_file, "Basic auth password from a file")->option_text("FILE")->group(g);
  c->add_option("--password-env", o.password_env, "Basic auth password from this environment variable")
      ->option_text("VAR")
      ->group(g);
  c->add_option("--header", o.headers, "Extra request header 'Name: value' (repeatable)")
      ->option_text("'K: V'")
      ->allow_extra_args(false)
      ->group(g);
  c->add_option("--tenant", o.tenant, "Tenant ID sent as X-Scope-OrgID (Mimir, Cortex)")->group(g);
  c->add_option("--ca-file", o.ca_file, "CA bundle that verifies the server's certificate")
      ->option_text("FILE")
      ->group(g);
  c->add_option("--cert", o.cert_file, "Client certificate (PEM)")->option_text("FILE")->group(g);
  c->add_option("--key", o.key_file, "Client certificate's key (PEM)")->option_text("FILE")->group(g);
  c->add_flag("--insecure-skip-verify", o.insecure_skip_verify, "Do not verify the server's certificate")->group(g);
  c->add_flag("-v,--verbose", o.verbose, "Trace requests and answers on stderr (secrets masked)")->group(g);
}

void take_server_settings(const config::Settings& s, ServerOptions& o) {
  o.auth = server_auth(s);
  o.timeout = s.get("timeout").value;
}

Session connect(const ServerOptions& o, const std::string& url_flag) {
  Session s;
  s.server = o.url;
  if (!promapi::valid_server_url(s.server))
    throw UsageError(url_flag + " must be an http:// or https:// URL without query, not '" +
                     util::redact_url(s.server) + "'");
  http::ClientOptions co = o.auth;
  co.retries = o.retries;
  if (!o.password_env.empty()) co.password_env = o.password_env;
  for (const auto& h : o.headers) co.headers.push_back(http::parse_header(h));
  co.ca_file = o.ca_file;
  co.cert_file = o.cert_file;
  co.key_file = o.key_file;
  co.insecure_skip_verify = o.insecure_skip_verify;
  if (o.verbose) co.trace = [](const std::string& line) { std::cerr << line << '\n'; };
  s.base.timeout_ms = duration_ms(o.timeout, "--timeout");
  s.base.connect_timeout_ms = duration_ms(o.connect_timeout, "--connect-timeout");
  s.base.max_bytes = o.max_bytes;
  // On loopback, compression only costs CPU on both sides (a 22 MB answer takes Prometheus longer
  // to gzip than to send).
  if (is_loopback(s.server)) s.base.headers.emplace_back("Accept-Encoding", "identity");
  s.client = http::make_curl_client(co);
  s.sender = std::make_unique<http::FormSender>(*s.client);
  return s;
}

promapi::Answer call_server(Session& s, const promapi::Call& call, const promapi::ReaderOptions& ro) {
  try {
    return promapi::perform(*s.sender, *s.client, s.server, call, s.base, ro);
  } catch (const promapi::BadAnswer& e) {
    throw promapi::BadAnswer(std::string(e.what()) + " (from " + util::redact_url(s.server) + ")");
  }
}

} // namespace nsmon::cli
