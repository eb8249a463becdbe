#pragma once
// The Alertmanager versions nsmon knows and the configuration fields each added, so that a file
// is checked against the version it will run on: a field newer than that version is refused (as
// that Alertmanager refuses it), and no advice names a field it lacks.
#include <optional>
#include <string>
#include <string_view>

namespace nsmon::alertmanager {

/// An Alertmanager release, by its minor version (0.25 is 25).
struct Version {
  int minor = 25;
  // Spelled out: clang-tidy 14 misreads a defaulted operator<=> (modernize-use-nullptr).
  friend constexpr bool operator==(Version a, Version b) { return a.minor == b.minor; }
  friend constexpr bool operator<(Version a, Version b) { return a.minor < b.minor; }
  friend constexpr bool operator<=(Version a, Version b) { return a.minor <= b.minor; }
  friend constexpr bool operator>(Version a, Version b) { return a.minor > b.minor; }
  std::string str() const { return "0." + std::to_string(minor); }
};

/// Debian 12's Alertmanager, the one nsmon's differential tests run: the default target.
inline constexpr Version kDefaultVersion{25};
/// The oldest and the newest version whose fields nsmon knows.
inline constexpr Version kOldestVersion{25};
inline constexpr Version kNewestVersion{34};

/// "0.25", "0.25.0", "v0.28.1" or "latest" (the newest nsmon knows); nullopt for anything else
/// or a version outside [kOldestVersion, kNewestVersion].
std::optional<Version> parse_version(std::string_view s);

/// The version that added `field` to `where` ("top", "global", "route", "inhibit_rule",
/// "receiver", "http_config", a notifier kind such as "webhook_configs", "email_configs.threading");
/// kOldestVersion for a field that older versions already had.
Version field_since(std::string_view where, std::string_view field);

/// The version from which Alertmanager prints a URL field that is a secret as <secret> (its type
/// is SecretURL); before it the field was a plain URL, printed in full with its password by amtool
/// config show and /api/v2/status: webhook_configs' url before 0.26. kOldestVersion for the others.
Version secret_since(std::string_view where, std::string_view field);

} // namespace nsmon::alertmanager
