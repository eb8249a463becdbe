#include "nsmon/config/settings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>
#include <stdexcept>

#include "nsmon/core/error.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::config {

const char* to_string(Origin o) {
  switch (o) {
  case Origin::default_value: return "default";
  case Origin::config_file: return "config";
  case Origin::environment: return "env";
  case Origin::flag: return "flag";
  }
  return "default";
}

const std::vector<Key>& keys() {
  static const std::vector<Key> all = {
      {"server",
       "NSMON_PROMETHEUS_URL",
       "--server",
       "query",
       "http://localhost:9090",
       Kind::url,
       {},
       "Prometheus (or compatible) base URL; a path prefix is kept"},
      {"bearer_token_file",
       "NSMON_BEARER_TOKEN_FILE",
       "--bearer-token-file",
       "query",
       "",
       Kind::path,
       {},
       "file holding the bearer token"},
      {"basic_auth.username",
       "NSMON_BASIC_AUTH_USERNAME",
       "--username",
       "query",
       "",
       Kind::text,
       {},
       "basic auth user name"},
      {"basic_auth.password_file",
       "NSMON_BASIC_AUTH_PASSWORD_FILE",
       "--password-file",
       "query",
       "",
       Kind::path,
       {},
       "file holding the basic auth password"},
      {"basic_auth.password",
       "NSMON_BASIC_AUTH_PASSWORD",
       "",
       "",
       "",
       Kind::secret,
       {},
       "basic auth password (environment only; never in the config file)"},
      {"tenant", "NSMON_TENANT", "--tenant", "query", "", Kind::text, {}, "tenant id sent as X-Scope-OrgID"},
      {"timeout", "NSMON_TIMEOUT", "--timeout", "query", "30s", Kind::duration, {}, "request timeout"},
      {"format.query",
       "NSMON_QUERY_FORMAT",
       "--format",
       "query",
       "",
       Kind::choice,
       {"table", "json", "jsonl", "csv"},
       "default output format of query"},
      {"format.lint",
       "NSMON_LINT_FORMAT",
       "--format",
       "lint",
       "text",
       Kind::choice,
       {"text", "json", "github", "sarif"},
       "default output format of lint-rules and lint-metrics"},
      {"lint.prometheus",
       "NSMON_LINT_PROMETHEUS_URL",
       "--prometheus",
       "lint-rules",
       "",
       Kind::url,
       {},
       "lint-rules also checks the rules' selectors against this server (off when empty)"},
      {"color",
       "NSMON_COLOR",
       "--color",
       "",
       "auto",
       Kind::choice,
       {"auto", "always", "never"},
       "colour: auto (a terminal, NO_COLOR honoured), always, never"},
      {"alertmanager.version",
       "NSMON_ALERTMANAGER_VERSION",
       "--alertmanager-version",
       "alertmanager",
       "0.25",
       Kind::text,
       {},
       "the Alertmanager version alertmanager.yml is checked for (0.25 to 0.34, or latest)"},
      {"test_rules.prometheus_version",
       "NSMON_PROMETHEUS_VERSION",
       "--prometheus-version",
       "test-rules",
       // Debian 12's Prometheus (2.42), whose promtool nsmon's differential tests run: every
       // version default is the peer Debian 12 packages (Alertmanager's is 0.25).
       "2",
       Kind::choice,
       {"2", "3", "both"},
       "the Prometheus version whose window semantics test-rules runs rules under (2, 3, or both)"},
      {"rule_schema",
       "NSMON_RULE_SCHEMA",
       "--rule-schema",
       "rules",
       "auto",
       Kind::choice,
       {"auto", "prometheus", "thanos", "mimir", "loki", "vmalert"},
       "the ruler whose format the rule files are in, for every command that reads them (auto: Prometheus's, and a "
       "group with "
       "another ruler's field is that ruler's; a LogQL expression is Loki's, a MetricsQL one vmalert's)"},
      {"catalog",
       "NSMON_CATALOG",
       "--catalog",
       "",
       "",
       Kind::path,
       {"none"},
       "metric catalog file (default: the built-in one; none: no catalog)"},
  };
  return all;
}

const Key* find_key(std::string_view name) {
  for (const auto& k : keys())
    if (name == k.name) return &k;
  return nullptr;
}

namespace {

std::size_t index_of(std::string_view name) {
  const auto& all = keys();
  for (std::size_t i = 0; i < all.size(); ++i)
    if (name == all[i].name) return i;
  throw std::out_of_range("no setting named " + std::string(name));
}

// The userinfo of a URL ("user:pass" in http://user:pass@host/), or "" when there is none.
std::string_view userinfo(std::string_view url) {
  auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  auto at = authority.rfind('@');
  return at == std::string_view::npos ? std::string_view() : authority.substr(0, at);
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

} // namespace

Settings::Settings() {
  for (const auto& k : keys()) values_.push_back({k.fallback, Origin::default_value, ""});
}

const Value& Settings::get(std::string_view name) const { return values_[index_of(name)]; }

void Settings::set(std::string_view name, Value value) { values_[index_of(name)] = std::move(value); }

std::string Settings::shown(std::string_view name) const {
  const Key& key = keys()[index_of(name)];
  const std::string& v = get(name).value;
  if (key.kind == Kind::secret) return v.empty() ? "" : "********";
  return key.kind == Kind::url ? util::redact_url(v) : v;
}

std::optional<std::int64_t> duration_ms(std::string_view value) {
  // A plain number is seconds, as every duration flag of nsmon takes them.
  std::optional<double> seconds = text::parse_seconds(value);
  if (!seconds || !(*seconds > 0) || *seconds > 1e9) return std::nullopt;
  return std::llround(*seconds * 1000);
}

std::string check_value(const Key& key, std::string_view value) {
  if (has_control(value)) return std::string(key.name) + " must not contain control characters or line breaks";
  std::string quoted = key.kind == Kind::secret ? std::string()
                       : key.kind == Kind::url  ? " '" + util::redact_url(std::string(value)) + "'"
                                                : " '" + std::string(value) + "'";
  switch (key.kind) {
  case Kind::url: {
    bool http = util::starts_with(value, "http://"), https = util::starts_with(value, "https://");
    std::string_view host = value.substr(value.find("://") == std::string_view::npos ? 0 : value.find("://") + 3);
    if ((!http && !https) || host.empty() || host[0] == '/')
      return std::string(key.name) + " must be an http:// or https:// URL with a host, not" + quoted;
    return "";
  }
  case Kind::duration:
    if (!duration_ms(value)) return std::string(key.name) + " must be a duration such as 30s or 1m30s, not" + quoted;
    return "";
  case Kind::choice:
    if (std::find(key.choices.begin(), key.choices.end(), value) == key.choices.end()) {
      std::string hint = util::did_you_mean(value, key.choices);
      return std::string(key.name) + " must be one of " + util::join(key.choices, ", ") + ", not" + quoted +
             (hint.empty() ? "" : " (did you mean '" + hint + "'?)");
    }
    return "";
  case Kind::path:
  case Kind::secret:
    if (value.empty()) return std::string(key.name) + " must not be empty";
    return "";
  case Kind::text: return "";
  }
  return "";
}

namespace {

// Keys that would hold a secret inline, with the file-reference key to use instead.
struct InlineSecret {
  const char* section;
  const char* name;
  const char* use;
};
constexpr InlineSecret kInlineSecrets[] = {
    {"", "bearer_token", "bearer_token_file"},    {"", "token", "bearer_token_file"},
    {"", "authorization", "bearer_token_file"},   {"", "credentials", "bearer_token_file"},
    {"", "password", "basic_auth.password_file"}, {"basic_auth", "password", "basic_auth.password_file"},
};

class Loader {
public:
  Loader(const core::SourceFile& src, std::string_view home, Settings& into, std::vector<core::Diagnostic>& diags,
         Ranges* hidden)
      : y_(src, diags), src_(src), home_(home), into_(into), diags_(diags), hidden_(hidden) {}

  void run() {
    std::size_t before = diags_.size();
    auto root = y_.parse();
    if (!root) {
      if (diags_.size() > before) hide_rest_of_line(diags_.back().span.line);
      return;
    }
    if (root->is_null()) return; // an empty file keeps every default
    section(*root, "");
  }

private:
  void section(const yaml::Node& map, const std::string& prefix) {
    std::vector<std::string> known, secrets;
    for (const auto& k : keys()) {
      std::string_view name = k.name;
      if (k.kind == Kind::secret || !util::starts_with(name, prefix)) continue;
      name.remove_prefix(prefix.size());
      std::string first(name.substr(0, name.find('.')));
      if (std::find(known.begin(), known.end(), first) == known.end()) known.push_back(first);
    }
    std::string section_name = prefix.empty() ? "" : prefix.substr(0, prefix.size() - 1);
    for (const auto& s : kInlineSecrets)
      if (section_name == s.section) secrets.emplace_back(s.name);
    std::vector<std::string> allowed = known;
    allowed.insert(allowed.end(), secrets.begin(), secrets.end());
    std::string what = prefix.empty() ? "the config file" : section_name;
    if (!map.is_map()) hide(map);
    if (!y_.check_mapping(map, allowed, what)) return;

    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      if (!it->first.is_scalar()) continue;
      const std::string name(it->first.scalar());
      if (!seen.insert(name).second) continue; // reported as a duplicate
      const yaml::Node& value = it->second;
      if (std::find(known.begin(), known.end(), name) == known.end()) {
        hide(value); // an unknown key may be a misspelt secret: never quote its value
        for (const auto& s : kInlineSecrets)
          if (section_name == s.section && name == s.name)
            y_.report(it->first, "config/inline-secret",
                      "secrets are not written in the config file: put it in a file and give the file's path with " +
                          std::string(s.use));
        continue;
      }
      if (find_key(prefix + name)) leaf(it->first, value, *find_key(prefix + name));
      else section(value, prefix + name + ".");
    }
  }

  void leaf(const yaml::Node& key_node, const yaml::Node& n, const Key& key) {
    auto text = y_.string(n, key.name);
    if (!text) return;
    if (key.kind == Kind::url && userinfo(*text).find(':') != std::string_view::npos) {
      hide(n);
      y_.report(n, "config/inline-secret",
                "the server URL holds a password: put it in a file and give the file's path with "
                "basic_auth.password_file");
      return;
    }
    std::string problem = check_value(key, *text);
    if (!problem.empty()) {
      y_.report(n, "config/value", problem);
      return;
    }
    // A path setting's words (catalog: none) are no file names to resolve.
    bool word = std::find(key.choices.begin(), key.choices.end(), *text) != key.choices.end();
    std::string value = key.kind == Kind::path && !word ? resolve_path(*text) : *text;
    core::Span at = y_.span(key_node);
    into_.set(key.name,
              {value, Origin::config_file, src_.path() + ":" + std::to_string(at.line) + ":" + std::to_string(at.col)});
  }

  // A path in the config file is relative to the file's directory; `~/` is the home directory.
  std::string resolve_path(const std::string& p) const {
    namespace fs = std::filesystem;
    if (p == "~" || util::starts_with(p, "~/")) return home_.empty() ? p : std::string(home_) + p.substr(1);
    fs::path path(p);
    if (path.is_absolute()) return p;
    return (fs::path(src_.path()).parent_path() / path).lexically_normal().string();
  }

  void hide(const yaml::Node& n) {
    if (!hidden_) return;
    if (n.is_scalar()) {
      auto offsets = y_.value_offsets(n);
      for (std::size_t o : offsets) hidden_->push_back({o, o + 1});
      return;
    }
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (n.is_map()) hide(it->second);
      else hide(*it);
    }
  }

  // After a syntax error nothing is known about the line: mask it from its first ':' on.
  void hide_rest_of_line(int line) {
    if (!hidden_ || line < 1 || line > src_.line_count()) return;
    std::string_view text = src_.line(line);
    std::size_t start = src_.offset(line, 1);
    std::size_t colon = text.find(':');
    hidden_->push_back({start + (colon == std::string_view::npos ? 0 : colon + 1), start + text.size()});
  }

  core::YamlReader y_;
  const core::SourceFile& src_;
  std::string_view home_;
  Settings& into_;
  std::vector<core::Diagnostic>& diags_;
  Ranges* hidden_;
};

} // namespace

void load_file(const core::SourceFile& src, std::string_view home, Settings& into, std::vector<core::Diagnostic>& diags,
               Ranges* hidden) {
  Loader(src, home, into, diags, hidden).run();
}

std::string mask(std::string text, const Ranges& ranges) {
  for (const auto& [begin, end] : ranges)
    for (std::size_t i = begin; i < end && i < text.size(); ++i)
      if (text[i] != '\n' && text[i] != '\r') text[i] = '*';
  return text;
}

void apply_environment(Settings& s, const Getenv& getenv) {
  for (const auto& k : keys()) {
    const char* v = getenv(k.env);
    if (!v || !*v) continue;
    std::string problem = check_value(k, v);
    if (!problem.empty()) throw UsageError(std::string(k.env) + ": " + problem);
    s.set(k.name, {v, Origin::environment, k.env});
  }
}

void apply_flag(Settings& s, const Key& key, const std::string& value) {
  std::string problem = check_value(key, value);
  if (!problem.empty()) throw UsageError(std::string(key.flag) + ": " + problem);
  s.set(key.name, {value, Origin::flag, key.flag});
}

std::string default_path(const Getenv& getenv) {
  const char* xdg = getenv("XDG_CONFIG_HOME");
  if (xdg && xdg[0] == '/') return std::string(xdg) + "/nsmon/config.yml";
  const char* home = getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/nsmon/config.yml";
  return "";
}

} // namespace nsmon::config
