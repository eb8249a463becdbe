#pragma once
// How every subcommand that talks to a Prometheus-compatible server reaches it: the same
// connection options (path prefix, timeouts, retries, auth, tenant, TLS, tracing), the same
// settings behind them and the same session. `query` names the URL --server; lint-rules and
// backtest name it --prometheus, as watch does.
#include <memory>
#include <string>
#include <vector>

#include "nsmon/http/client.hpp"
#include "nsmon/promapi/api.hpp"

namespace CLI {
class App;
}
namespace nsmon::config {
class Settings;
}

namespace nsmon::cli {

struct ServerOptions {
  std::string url; ///< empty: not given
  std::string timeout = "30s", connect_timeout = "5s";
  int retries = 2;
  std::size_t max_bytes = 0;
  // --bearer-token-file, --username, --password-file and --tenant reach the run through the
  // settings (settings_for): `auth` is what server_auth makes of them (take_server_settings).
  std::string bearer_token_file, username, password_file, password_env, tenant;
  http::ClientOptions auth;
  std::vector<std::string> headers;
  std::string ca_file, cert_file, key_file;
  bool insecure_skip_verify = false;
  bool verbose = false;
};

/// Adds the "Connection" options; `url_flag` ("--server", "--prometheus") takes the server's URL.
void add_server_options(CLI::App* c, ServerOptions& o, const std::string& url_flag, const std::string& url_help);

/// Auth, tenant and timeout from the effective settings (flags, NSMON_*, the config file).
void take_server_settings(const config::Settings& s, ServerOptions& o);

/// A connection to one server, made once per run.
struct Session {
  std::string server;
  std::unique_ptr<http::Client> client;
  std::unique_ptr<http::FormSender> sender;
  http::Request base;
};

/// Checks the options (UsageError naming `url_flag`) and makes the client; sends nothing.
Session connect(const ServerOptions& o, const std::string& url_flag);

/// Runs one call. A transport or decoding failure ends the command as a ServerError (cli::main
/// gives it its exit code); an answer that is not an API answer is named with its server.
promapi::Answer call_server(Session& s, const promapi::Call& call, const promapi::ReaderOptions& ro = {});

} // namespace nsmon::cli
