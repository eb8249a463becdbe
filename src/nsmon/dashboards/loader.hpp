#pragma once
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/dashboards/model.hpp"

namespace nsmon::dashboards {

/// Shared panels by name (templates/panels/<name>.yml), reused with `- use: <name>`.
using Library = std::map<std::string, Panel>;

/// The panel types nsmon renders (Grafana 12's core panels); `row` is written as `rows:`.
const std::vector<std::string>& panel_types();

/// Loads a shared panel file: one panel mapping. Problems go to `diags` with file:line:col.
std::optional<Panel> load_panel_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

/// Loads a dashboard template; `use:` entries are resolved in `library` (copied into the rows).
/// Structure problems (YAML, unknown fields, wrong types, unknown panel types, bad uids) go to
/// `diags` with file:line:col; the result holds whatever was valid. Never throws for bad content.
Template load_template(const core::SourceFile& src, const Library& library, std::vector<core::Diagnostic>& diags);

/// Whether `uid` is a usable dashboard uid and file name: 1 to 40 of [A-Za-z0-9_-].
bool valid_uid(const std::string& uid);

} // namespace nsmon::dashboards
