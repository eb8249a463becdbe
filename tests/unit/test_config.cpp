#include <catch2/catch.hpp>
#include <map>

#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "test_places.hpp"

using namespace nsmon;
using config::Origin;

namespace {

struct Loaded {
  config::Settings settings;
  std::vector<core::Diagnostic> diags;
  config::Ranges hidden;
  std::string text;
};

Loaded load(const std::string& text, const std::string& path = "/home/u/.config/nsmon/config.yml") {
  core::SourceFile src(path, text);
  Loaded l;
  l.text = text;
  config::load_file(src, "/home/u", l.settings, l.diags, &l.hidden);
  core::sort_diagnostics(l.diags);
  return l;
}

std::vector<std::string> where(const Loaded& l) { return testing::places(l.diags); }

// What a user sees on stderr for the findings: the compiler-style text with the masked lines.
std::string rendered(const Loaded& l) {
  core::SourceSet sources;
  sources.add("/home/u/.config/nsmon/config.yml", config::mask(l.text, l.hidden));
  std::string out;
  for (const auto& d : l.diags) out += core::render_text(d, sources, false);
  return out;
}

config::Getenv env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("config: defaults when there is no file, an empty one or only comments", "[config]") {
  for (const char* text : {"", "# nothing yet\n", "{}\n"}) {
    auto l = load(text);
    CHECK(l.diags.empty());
    CHECK(l.settings.get("server").value == "http://localhost:9090");
    CHECK(l.settings.get("server").origin == Origin::default_value);
    CHECK(l.settings.get("timeout").value == "30s");
    CHECK(l.settings.get("color").value == "auto");
    CHECK(l.settings.get("format.lint").value == "text");
    CHECK(l.settings.get("format.query").value.empty());
    CHECK(l.settings.get("bearer_token_file").value.empty());
  }
}

TEST_CASE("config: every key is read with the file, line and column it came from", "[config]") {
  auto l = load("server: https://prom.example/prometheus\n"
                "bearer_token_file: secrets/token\n"
                "tenant: team-a\n"
                "timeout: 1m30s\n"
                "color: never\n"
                "format:\n"
                "  query: csv\n"
                "  lint: github\n");
  REQUIRE(l.diags.empty());
  CHECK(l.settings.get("server").value == "https://prom.example/prometheus");
  CHECK(l.settings.get("server").origin == Origin::config_file);
  CHECK(l.settings.get("server").where == "/home/u/.config/nsmon/config.yml:1:1");
  // A relative path is taken from the config file's directory.
  CHECK(l.settings.get("bearer_token_file").value == "/home/u/.config/nsmon/secrets/token");
  CHECK(l.settings.get("tenant").value == "team-a");
  CHECK(l.settings.get("timeout").value == "1m30s");
  CHECK(l.settings.get("color").value == "never");
  CHECK(l.settings.get("format.query").value == "csv");
  CHECK(l.settings.get("format.query").where == "/home/u/.config/nsmon/config.yml:7:3");
  CHECK(l.settings.get("format.lint").value == "github");
}

TEST_CASE("config: basic auth is a user name and a password file, and ~ is the home directory", "[config]") {
  auto l = load("basic_auth:\n  username: alice\n  password_file: ~/pw.txt\ncatalog: ../cat.yml\n");
  REQUIRE(l.diags.empty());
  CHECK(l.settings.get("catalog").value == "/home/u/.config/cat.yml");
  CHECK(load("catalog: none\n").settings.get("catalog").value == "none"); // no catalog, not a file
  CHECK(l.settings.get("basic_auth.username").value == "alice");
  CHECK(l.settings.get("basic_auth.password_file").value == "/home/u/pw.txt");
  CHECK(l.settings.get("basic_auth.password_file").where == "/home/u/.config/nsmon/config.yml:3:3");
}

TEST_CASE("config: unknown keys are positioned errors with a suggestion", "[config]") {
  auto l = load("server: http://a:9090\nbearer_tokn_file: /t\nformat:\n  querry: json\n");
  CHECK(where(l) == V{"2:1 yaml/unknown-field", "4:3 yaml/unknown-field"});
  CHECK(l.diags[0].suggestion == "did you mean 'bearer_token_file'?");
  CHECK(l.diags[1].suggestion == "did you mean 'query'?");
  CHECK(l.settings.get("server").value == "http://a:9090"); // the valid keys are still read
}

TEST_CASE("config: bad values are positioned errors that name the key", "[config]") {
  auto l = load("timeout: 3O\ncolor: blue\nformat:\n  lint: xml\nserver: localhost:9090\nbearer_token_file: \"\"\n");
  CHECK(where(l) ==
        V{"1:10 config/value", "2:8 config/value", "4:9 config/value", "5:9 config/value", "6:20 config/value"});
  CHECK(l.diags[0].message == "timeout must be a duration such as 30s or 1m30s, not '3O'");
  CHECK(l.diags[1].message == "color must be one of auto, always, never, not 'blue'");
  CHECK(l.diags[2].message == "format.lint must be one of text, json, github, sarif, not 'xml'");
  CHECK(l.diags[3].message == "server must be an http:// or https:// URL with a host, not 'localhost:9090'");
  CHECK(l.diags[4].message == "bearer_token_file must not be empty");
  // None of them was taken.
  CHECK(l.settings.get("timeout").origin == Origin::default_value);
  CHECK(l.settings.get("color").value == "auto");
}

TEST_CASE("config: wrong shapes, duplicates and syntax errors", "[config]") {
  CHECK(where(load("- server\n")) == V{"1:1 yaml/type"});
  CHECK(where(load("basic_auth: alice\n")) == V{"1:13 yaml/type"});
  CHECK(where(load("server: [a, b]\n")) == V{"1:9 yaml/type"});
  CHECK(where(load("color: never\ncolor: always\n")) == V{"2:1 yaml/duplicate-key"});
  CHECK(load("color: never\ncolor: always\n").settings.get("color").value == "never");
  CHECK(where(load("tenant: \"unterminated\n")) == V{"2:1 yaml/syntax"});
  CHECK(where(load("tenant: \"a\\nb\"\n")) == V{"1:9 config/value"}); // a header value: no line breaks
}

TEST_CASE("config: inline secrets are refused and never quoted back", "[config]") {
  auto l = load("bearer_token: s3cr3t-t0ken\n"
                "basic_auth:\n"
                "  username: alice\n"
                "  password: hunter2-pass\n"
                "server: http://bob:pa55w0rd@prom:9090/\n"
                "passwrd: typo-s3cret\n");
  CHECK(where(l) == V{"1:1 config/inline-secret", "4:3 config/inline-secret", "5:9 config/inline-secret",
                      "6:1 yaml/unknown-field"});
  CHECK(l.diags[0].message.find("bearer_token_file") != std::string::npos);
  CHECK(l.diags[1].message.find("basic_auth.password_file") != std::string::npos);
  CHECK(l.diags[2].message.find("basic_auth.password_file") != std::string::npos);
  std::string out = rendered(l);
  CHECK(out.find("s3cr3t-t0ken") == std::string::npos);
  CHECK(out.find("hunter2-pass") == std::string::npos);
  CHECK(out.find("pa55w0rd") == std::string::npos);
  CHECK(out.find("typo-s3cret") == std::string::npos); // an unknown key may be a misspelt secret
  CHECK(out.find("config.yml:4:3: error:") != std::string::npos);
  CHECK(out.find("  password: ************") != std::string::npos); // the line, masked, positions kept
  std::string masked = config::mask(l.text, l.hidden);
  CHECK(masked.find("  username: alice\n") != std::string::npos); // known values are not masked
  CHECK(masked.find("server: http://bob:pa55w0rd@prom:9090/") == std::string::npos);
  CHECK(l.settings.get("server").origin == Origin::default_value);
}

TEST_CASE("config: a syntax error masks the rest of its line", "[config]") {
  auto l = load("tenant: a\ntoken: abc-secret: x\n");
  REQUIRE(where(l) == V{"2:18 yaml/syntax"});
  CHECK(rendered(l).find("abc-secret") == std::string::npos);
}

TEST_CASE("config: flags > environment > config file > defaults", "[config]") {
  auto l = load("color: never\ntenant: from-file\nformat:\n  lint: json\n");
  REQUIRE(l.diags.empty());
  config::Settings s = l.settings;
  config::apply_environment(s, env({{"NSMON_COLOR", "always"},
                                    {"NSMON_PROMETHEUS_URL", "http://env:9090"},
                                    {"NSMON_TENANT", ""}})); // empty: not set
  CHECK(s.get("color").value == "always");
  CHECK(s.get("color").origin == Origin::environment);
  CHECK(s.get("color").where == "NSMON_COLOR");
  CHECK(s.get("server").value == "http://env:9090");
  CHECK(s.get("tenant").value == "from-file");
  CHECK(s.get("tenant").origin == Origin::config_file);
  CHECK(s.get("format.lint").value == "json");
  CHECK(s.get("timeout").origin == Origin::default_value);
  config::apply_flag(s, *config::find_key("color"), "never");
  CHECK(s.get("color").value == "never");
  CHECK(s.get("color").origin == Origin::flag);
  CHECK(s.get("color").where == "--color");
  CHECK(config::to_string(s.get("color").origin) == std::string("flag"));
}

TEST_CASE("config: bad environment values and flags are usage errors naming the variable", "[config]") {
  config::Settings s;
  CHECK_THROWS_WITH(config::apply_environment(s, env({{"NSMON_TIMEOUT", "soon"}})),
                    "NSMON_TIMEOUT: timeout must be a duration such as 30s or 1m30s, not 'soon'");
  CHECK_THROWS_WITH(config::apply_environment(s, env({{"NSMON_QUERY_FORMAT", "yaml"}})),
                    Catch::Contains("NSMON_QUERY_FORMAT: format.query must be one of table, json, jsonl, csv"));
  CHECK_THROWS_AS(config::apply_flag(s, *config::find_key("server"), "ftp://x"), UsageError);
  // A password in a bad URL is not quoted back either.
  CHECK_THROWS_WITH(config::apply_environment(s, env({{"NSMON_PROMETHEUS_URL", "ftp://u:pa55@h/"}})),
                    "NSMON_PROMETHEUS_URL: server must be an http:// or https:// URL with a host, not "
                    "'ftp://***@h/'");
  // A secret's value is never quoted, even when it is wrong.
  try {
    config::apply_environment(s, env({{"NSMON_BASIC_AUTH_PASSWORD", "line1\nleaked"}}));
    FAIL("no error");
  } catch (const UsageError& e) {
    CHECK(std::string(e.what()).find("leaked") == std::string::npos);
    CHECK(std::string(e.what()).find("NSMON_BASIC_AUTH_PASSWORD") == 0);
  }
}

TEST_CASE("config: shown values mask secrets, file paths are shown", "[config]") {
  config::Settings s;
  config::apply_environment(s, env({{"NSMON_BASIC_AUTH_PASSWORD", "hunter2"},
                                    {"NSMON_PROMETHEUS_URL", "https://bob:pa55@prom.example:9090/p?x=1"},
                                    {"NSMON_BEARER_TOKEN_FILE", "/run/secrets/token"}}));
  CHECK(s.get("basic_auth.password").value == "hunter2"); // the value itself is there for the client
  CHECK(s.shown("basic_auth.password") == "********");
  CHECK(s.shown("server") == "https://***@prom.example:9090/p?x=1");
  CHECK(s.shown("bearer_token_file") == "/run/secrets/token");
  config::apply_flag(s, *config::find_key("server"), "http://user@host:9090");
  // util::redact_url, as in every message: a user part alone may be a token (https://TOKEN@host).
  CHECK(s.shown("server") == "http://***@host:9090");
  config::apply_flag(s, *config::find_key("server"), "http://host:9090/p?token=abc123&x=1");
  CHECK(s.shown("server") == "http://host:9090/p?token=***&x=1");
  CHECK(config::Settings().shown("basic_auth.password").empty());
}

TEST_CASE("config: durations are Prometheus durations or seconds", "[config]") {
  CHECK(config::duration_ms("1m30s") == 90000);
  CHECK(config::duration_ms("250ms") == 250);
  CHECK(config::duration_ms("10") == 10000);
  CHECK(config::duration_ms("2.5") == 2500);
  for (const char* bad : {"0", "0s", "-1", "soon", "", "1e99", "nan", "30 s"}) CHECK_FALSE(config::duration_ms(bad));
}

TEST_CASE("config: where the file is", "[config]") {
  CHECK(config::default_path(env({{"XDG_CONFIG_HOME", "/x/cfg"}, {"HOME", "/home/u"}})) == "/x/cfg/nsmon/config.yml");
  // A relative XDG_CONFIG_HOME is ignored, as the XDG base directory spec says.
  CHECK(config::default_path(env({{"XDG_CONFIG_HOME", "cfg"}, {"HOME", "/home/u"}})) ==
        "/home/u/.config/nsmon/config.yml");
  CHECK(config::default_path(env({{"HOME", "/home/u"}})) == "/home/u/.config/nsmon/config.yml");
  CHECK(config::default_path(env({})).empty());
}

TEST_CASE("config: every key has a variable, a known kind and a valid default", "[config]") {
  for (const auto& k : config::keys()) {
    INFO(k.name);
    CHECK(std::string(k.env).rfind("NSMON_", 0) == 0);
    if (*k.fallback) CHECK(config::check_value(k, k.fallback).empty());
    CHECK(config::find_key(k.name) == &k);
  }
  CHECK(config::find_key("nope") == nullptr);
  CHECK_THROWS_AS(config::Settings().get("nope"), std::out_of_range);
}
