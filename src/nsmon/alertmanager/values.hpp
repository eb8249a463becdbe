#pragma once
// The syntax of single values of alertmanager.yml that Alertmanager checks when it loads the file
// (host:port, time interval entries), and what makes a secret field's value a credential.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace nsmon::alertmanager::detail {

/// Go's net.SplitHostPort and config.go's HostPort ("port cannot be empty"): the error, or "".
std::string host_port_error(std::string_view s);

/// Whether a URL carries a credential: userinfo, a query parameter named like one (token, key,
/// secret, sig, password, auth), or a token-shaped path segment (16 or more letters, digits, - or
/// _, with both letters and digits: Slack's, Discord's and Teams' webhook tokens). A URL without
/// one (an in-cluster http://alert-receiver:8080/) hides nothing.
bool url_has_credential(std::string_view u);

/// Whether a key or token field's value looks issued, not typed: a password or secret is one
/// whatever it says, a key or token has a digit or 20 characters (opsgenie-key is a test value).
bool value_is_credential(std::string_view key, std::string_view v);

/// An entry of a time interval's weekdays, days_of_month, months or years ("monday:friday",
/// "-3:-1"), checked as timeinterval.go's UnmarshalYAML methods check it: Go's error, or "".
std::string time_range_error(std::string_view field, std::string_view value);

/// An entry of weekdays, days_of_month, months or years as the range it stands for (weekdays 0 =
/// sunday, months 1 = january), or nullopt when time_range_error has something to say.
std::optional<std::pair<int, int>> time_range(std::string_view field, std::string_view value);

/// A time range's "HH:MM" (00:00 to 24:00) in minutes, or nullopt when timeinterval.go refuses it.
std::optional<int> clock_minutes(std::string_view hhmm);

} // namespace nsmon::alertmanager::detail
