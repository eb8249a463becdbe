#pragma once
#include <string>
#include <vector>

#include "nsmon/dashboards/model.hpp"

namespace nsmon::dashboards {

/// The dashboard schema version written: Grafana 12.0's (41). Grafana 12.0 and later read it
/// without migrating anything they would not migrate anyway; newer versions upgrade it on load.
constexpr int kSchemaVersion = 41;
/// The oldest Grafana the dashboards are written for (--importable's __requires).
constexpr const char* kGrafanaVersion = "12.0.0";

/// A place on Grafana's 24-column grid.
struct GridPos {
  int x = 0, y = 0, w = 24, h = 1;
};

/// The automatic layout: each row's title bar (w 24, h 1) and its panels, placed left to right in
/// lines that are stretched to fill all 24 columns, every panel of a line as high as the highest.
/// A collapsed row's panels are laid out below it but take no room from the rows after it.
struct Layout {
  std::vector<GridPos> rows;                ///< per row
  std::vector<std::vector<GridPos>> panels; ///< per row, per panel
};
Layout layout(const Template& t);

/// Default width and height of a panel type on the grid.
int default_width(const std::string& type);
int default_height(const std::string& type);

struct RenderOptions {
  bool importable = false; ///< add __inputs/__requires for import through Grafana's UI
};

/// The dashboard JSON of a checked template: keys sorted, two-space indent, trailing newline;
/// panel ids numbered from 1 in template order (rows included).
std::string render(const Template& t, const RenderOptions& options = {});

/// The line that marks a `.lint` as gen-dashboards' own, to be rewritten (and not one by hand).
constexpr const char* kLintMarker = "Written by nsmon gen-dashboards";

/// The `.lint` of grafana/dashboard-linter (YAML, read from the dashboard's directory) for the
/// dashboards of `templates`: their `linter_exceptions` (set by check()) as exclusions, grouped
/// by rule, each entry naming the dashboard by title (the panel by title, the query by index) with
/// its reason. `exclusions: {}` when there is none: the linter refuses a file without a document.
std::string render_lint(const std::vector<Template>& templates);

} // namespace nsmon::dashboards
