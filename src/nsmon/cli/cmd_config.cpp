#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli {

namespace {

using json = nlohmann::ordered_json;

struct ConfigShowOptions {
  std::string format = "text";
};

// Where a value came from, as `config show` prints it.
std::string origin(const config::Value& v) {
  if (v.origin == config::Origin::default_value) return "default";
  return std::string(config::to_string(v.origin)) + " " + v.where;
}

int run_config_show(const ConfigShowOptions& o) {
  const config::Settings& s = settings();
  std::string path = config_path();
  std::error_code ec;
  bool exists = !path.empty() && std::filesystem::exists(path, ec);
  if (o.format == "json") {
    json out;
    out["config_file"] = {{"path", path.empty() ? json(nullptr) : json(path)}, {"exists", exists}};
    json list = json::object();
    for (const auto& k : config::keys()) {
      const config::Value& v = s.get(k.name);
      std::string shown = s.shown(k.name);
      list[k.name] = {{"value", shown.empty() ? json(nullptr) : json(shown)},
                      {"origin", config::to_string(v.origin)},
                      {"where", v.where.empty() ? json(nullptr) : json(v.where)},
                      {"env", k.env}};
    }
    out["settings"] = list;
    std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kOk;
  }
  std::cout << "config file: " << (path.empty() ? "(none: neither XDG_CONFIG_HOME nor HOME is set)" : path)
            << (path.empty() || exists ? "" : " (not found: defaults apply)") << "\n";
  std::vector<std::vector<std::string>> rows = {{"SETTING", "VALUE", "ORIGIN"}};
  for (const auto& k : config::keys()) {
    std::string shown = s.shown(k.name);
    rows.push_back({k.name, shown.empty() ? "(not set)" : shown, origin(s.get(k.name))});
  }
  std::cout << util::render_table(rows);
  return kOk;
}

std::string help() {
  std::string h = R"(Settings come from, strongest first: flags, NSMON_* environment variables, the config file,
defaults. The config file is $XDG_CONFIG_HOME/nsmon/config.yml (~/.config/nsmon/config.yml when
XDG_CONFIG_HOME is not set); every key is optional:

  server: http://prometheus.example:9090     # query's --server
  bearer_token_file: ~/.config/nsmon/token    # secrets only as file references
  basic_auth:
    username: alice
    password_file: ~/.config/nsmon/password
  tenant: team-a                              # X-Scope-OrgID
  timeout: 30s
  color: auto                                 # auto, always, never
  catalog: ~/catalogs/detector.yml            # instead of the built-in catalog
  format:
    query: table                              # table, json, jsonl, csv
    lint: github                              # text, json, github, sarif (lint-rules, lint-metrics)

Relative paths are taken from the config file's directory. Unknown keys, bad values and inline
secrets (password:, bearer_token:, a password in the URL) are errors with file:line:col (exit 2).

Environment variables:
)";
  for (const auto& k : config::keys()) {
    std::string var = k.env;
    h += "  " + var + std::string(var.size() < 32 ? 32 - var.size() : 1, ' ') + k.name + "\n";
  }
  return h;
}

} // namespace

Run define_config(CLI::App& cmd) {
  cmd.require_subcommand(1);
  auto o = std::make_shared<ConfigShowOptions>();
  auto* show = cmd.add_subcommand("show", "Print every effective setting with its origin; secrets masked");
  show->add_option("--format", o->format, "Output format")->check(CLI::IsMember({"text", "json"}))->default_str("text");
  show->footer(help() + "\n" + exit_codes_help({kOk, kUsage}));
  cmd.footer(help() + "\n" + exit_codes_help({kOk, kUsage}));
  return [o](const Context&) { return run_config_show(*o); };
}

} // namespace nsmon::cli
