#include "nsmon/cli/settings.hpp"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>

#include "nsmon/cli/common.hpp"
#include "nsmon/cli/report.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

const char* env(const char* name) { return std::getenv(name); }

std::optional<config::Settings>& cache() {
  static std::optional<config::Settings> s;
  return s;
}

// Defaults, then the config file (if there is one), then NSMON_* variables.
config::Settings load() {
  config::Settings s;
  std::string path = config_path();
  std::error_code ec;
  if (!path.empty() && std::filesystem::exists(path, ec)) {
    std::string text = util::read_file(path);
    core::SourceFile src(path, text);
    std::vector<core::Diagnostic> diags;
    config::Ranges hidden;
    const char* home = env("HOME");
    config::load_file(src, home ? home : "", s, diags, &hidden);
    // Lines are quoted from a copy in which whatever might be a secret is masked.
    core::SourceSet sources;
    sources.add(path, config::mask(std::move(text), hidden));
    check_loaded(std::move(diags), sources, "config file", path, core::Severity::info);
  }
  config::apply_environment(s, env);
  return s;
}

// Whether a setting's flag belongs to the subcommand `name` ("lint" covers lint-rules and lint-metrics,
// "rules" the commands that read rule files with --rule-schema).
// The connection settings of "query" also belong to the other subcommands that talk to a server
// (server.hpp), which define the same flags.
bool belongs(const config::Key& key, const std::string& name) {
  std::string_view command = key.command;
  const bool connection = command == "query" && std::string_view(key.name) != "format.query";
  return !command.empty() &&
         (name == command || (command == "lint" && util::starts_with(name, "lint-")) ||
          (command == "alertmanager" && (name == "lint-alertmanager" || name == "routes")) ||
          (command == "rules" && (name == "lint-rules" || name == "test-rules" || name == "backtest" ||
                                  name == "watch" || name == "lint-alertmanager")) ||
          (connection && (name == "lint-rules" || name == "backtest")));
}

// The last value of a flag given to `cmd` or one of its parents; nullopt when it was not given.
std::optional<std::string> given(const CLI::App& cmd, const std::string& flag) {
  for (const CLI::App* a = &cmd; a; a = a->get_parent()) {
    const CLI::Option* opt = a->get_option_no_throw(flag);
    if (opt && opt->count() > 0 && !opt->results().empty()) return opt->results().back();
  }
  return std::nullopt;
}

} // namespace

std::string config_path() { return config::default_path(env); }

const config::Settings& settings() {
  if (!cache()) cache() = load();
  return *cache();
}

config::Settings settings_for(const CLI::App& cmd) {
  config::Settings s = settings();
  for (const auto& key : config::keys()) {
    bool mine = false;
    for (const CLI::App* a = &cmd; a && a->get_parent(); a = a->get_parent())
      mine = mine || belongs(key, a->get_name());
    if (!mine) continue;
    // The subcommand checks its own flags' values, with its own messages.
    if (auto v = given(cmd, key.flag)) s.set(key.name, {*v, config::Origin::flag, key.flag});
  }
  return s;
}

http::ClientOptions server_auth(const config::Settings& s) {
  http::ClientOptions co;
  co.bearer_token_file = s.get("bearer_token_file").value;
  co.username = s.get("basic_auth.username").value;
  co.password_file = s.get("basic_auth.password_file").value;
  if (!s.get("basic_auth.password").value.empty()) co.password_env = "NSMON_BASIC_AUTH_PASSWORD";
  co.tenant = s.get("tenant").value;
  return co;
}

void apply_settings(CLI::App& app) {
  config::Settings s = load();
  // The global options: given, or from the environment or the config file.
  for (const char* name : {"color", "catalog"}) {
    const config::Key& key = *config::find_key(name);
    if (auto v = given(app, key.flag)) s.set(name, {*v, config::Origin::flag, key.flag});
  }
  global_options().color = s.get("color").value;
  global_options().catalog_path = s.get("catalog").value;
  cache() = std::move(s);
}

} // namespace nsmon::cli
