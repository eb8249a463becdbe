#pragma once
// nsmon's default inputs (rules/prometheus.yml, rules/alertmanager.yml, rules/slos.yml,
// templates/): in a clone of the repository they are in the current directory; installed, the
// package keeps them in <prefix>/share/nsmon beside <prefix>/bin/nsmon. One rule for every
// subcommand: the current directory's if it is there, else the installed one, saying so.
#include <optional>
#include <string>

namespace nsmon::cli {

/// The default input `relative` ("rules/alertmanager.yml"): itself if it exists here, else the
/// installed copy (with a note on stderr naming it), else nullopt.
std::optional<std::string> find_default(const std::string& relative);

/// As find_default, or a usage error: `what_to_give` ("nothing to lint: give rule files or
/// --config prometheus.yml"), then both places looked at.
std::string require_default(const std::string& relative, const std::string& what_to_give);

/// <prefix>/share/nsmon for the running binary at <prefix>/bin/nsmon.
std::string installed_data_dir();

} // namespace nsmon::cli
