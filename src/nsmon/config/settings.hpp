#pragma once
// config/: the settings model: keys, defaults, `NSMON_*` names, the config-file loader (positioned
// errors, inline secrets refused and masked), precedence; reads no file and no variable itself.
//
// nsmon's user settings: the config file ($XDG_CONFIG_HOME/nsmon/config.yml), NSMON_* variables
// and flags, each value with where it came from. Reads no file and no variable itself: the
// caller passes the text and a getenv-like function, so every rule here is testable.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::config {

/// Where an effective value came from, weakest first: flags > environment > config file > default.
enum class Origin { default_value, config_file, environment, flag };
/// "default", "config", "env", "flag".
const char* to_string(Origin o);

enum class Kind { text, url, path, duration, choice, secret };

/// One setting nsmon knows.
struct Key {
  const char* name;     ///< its key in the config file; "a.b" is key b of the mapping a
  const char* env;      ///< the NSMON_* variable that sets it
  const char* flag;     ///< the flag that sets it ("" if none)
  const char* command;  ///< the subcommand whose flag it is ("" for global flags)
  const char* fallback; ///< the default ("" means: the command decides)
  Kind kind;
  std::vector<std::string> choices; ///< Kind::choice: the values allowed; Kind::path: words that are no path
  const char* help;
};
/// Every setting, in the order `config show` lists them.
const std::vector<Key>& keys();
const Key* find_key(std::string_view name);

/// An effective value and its origin. `where` is the flag, the variable, or FILE:LINE:COL.
struct Value {
  std::string value;
  Origin origin = Origin::default_value;
  std::string where;
};

/// One value per key of keys(), starting from the defaults.
class Settings {
public:
  Settings();
  /// The value of a known key (throws std::out_of_range for an unknown one: a programming error).
  const Value& get(std::string_view name) const;
  /// Replaces a value; `value` must have passed check_value.
  void set(std::string_view name, Value value);
  /// The value as `config show` prints it: secrets masked, a password in a URL masked.
  std::string shown(std::string_view name) const;

private:
  std::vector<Value> values_;
};

/// A duration setting's value in milliseconds: a Prometheus duration ("30s", "1m30s") or a plain
/// number of seconds ("10", "2.5"); nullopt when it is neither or not positive.
std::optional<std::int64_t> duration_ms(std::string_view value);

/// Why `value` is not valid for `key` ("" when it is).
std::string check_value(const Key& key, std::string_view value);

/// Byte ranges [begin, end) of a config file that may hold secrets.
using Ranges = std::vector<std::pair<std::size_t, std::size_t>>;

/// Reads a config file into `into` (origin config_file). Unknown keys, inline secrets and bad
/// values are positioned errors; relative paths are taken from the file's directory and a
/// leading `~/` from `home`. `hidden` receives the ranges to mask before a line is quoted.
void load_file(const core::SourceFile& src, std::string_view home, Settings& into, std::vector<core::Diagnostic>& diags,
               Ranges* hidden = nullptr);

/// The text with every byte of `ranges` but line breaks replaced by '*' (positions unchanged).
std::string mask(std::string text, const Ranges& ranges);

using Getenv = std::function<const char*(const char*)>;

/// Applies the NSMON_* variables that are set and not empty. A bad value throws UsageError
/// naming the variable (and never quoting a secret one).
void apply_environment(Settings& s, const Getenv& getenv);

/// Applies a flag's value; throws UsageError when it is not valid.
void apply_flag(Settings& s, const Key& key, const std::string& value);

/// $XDG_CONFIG_HOME/nsmon/config.yml when XDG_CONFIG_HOME is an absolute path, else
/// $HOME/.config/nsmon/config.yml; "" when neither is set.
std::string default_path(const Getenv& getenv);

} // namespace nsmon::config
