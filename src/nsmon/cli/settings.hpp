#pragma once
#include <string>

#include "nsmon/config/settings.hpp"
#include "nsmon/http/client.hpp"

namespace CLI {
class App;
}

namespace nsmon::cli {

/// The config file nsmon reads ($XDG_CONFIG_HOME/nsmon/config.yml or ~/.config/nsmon/config.yml);
/// "" when neither XDG_CONFIG_HOME nor HOME is set.
std::string config_path();

/// The effective settings: config file, then NSMON_* variables, then the global flags (--color),
/// loaded once. A broken config file is reported with positions (secrets masked) and ends the
/// program with exit code 2; a bad NSMON_* value is a UsageError.
const config::Settings& settings();

/// settings() with the flags `cmd` was given on top: for `query`, --server, --bearer-token-file,
/// --username, --password-file, --tenant, --timeout and --format (those it defines and were given).
/// This is the one call a subcommand needs for its server, auth and format.
config::Settings settings_for(const CLI::App& cmd);

/// How to authenticate to the Prometheus server, from the effective settings: the bearer token
/// file, basic auth (the password stays in its variable) and the tenant. `query` and `watch
/// --prometheus` both connect with it, so a server is reached the same way from either.
http::ClientOptions server_auth(const config::Settings& s);

/// Called once the command line is parsed (app.cpp) for a subcommand that reads settings: loads
/// them and makes the effective --color and --catalog the global ones.
void apply_settings(CLI::App& app);

} // namespace nsmon::cli
