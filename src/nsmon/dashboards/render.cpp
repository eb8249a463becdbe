#include "nsmon/dashboards/render.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "nsmon/dashboards/variables.hpp"

namespace nsmon::dashboards {

using nlohmann::json;

int default_width(const std::string& type) {
  if (type == "stat" || type == "gauge") return 6;
  if (type == "bargauge") return 8;
  if (type == "table") return 24;
  return 12;
}

int default_height(const std::string& type) { return type == "stat" || type == "gauge" ? 5 : 8; }

Layout layout(const Template& t) {
  Layout out;
  int y = 0;
  for (const auto& row : t.rows) {
    out.rows.push_back({0, y, 24, 1});
    int top = y + 1;
    std::vector<GridPos> placed(row.panels.size());
    // Lines: as many panels as fit in 24 columns, then stretched to fill them.
    std::size_t first = 0;
    while (first < row.panels.size()) {
      std::size_t last = first;
      int used = 0, height = 0;
      while (last < row.panels.size()) {
        const Panel& p = row.panels[last];
        int w = p.width ? p.width : default_width(p.type.value);
        if (last > first && used + w > 24) break;
        used += w;
        height = std::max(height, p.height ? p.height : default_height(p.type.value));
        placed[last].w = w;
        ++last;
      }
      // Spread the leftover columns over the line, left first, so that no gap remains.
      int spare = 24 - used, n = static_cast<int>(last - first), x = 0;
      for (std::size_t i = first; i < last; ++i) {
        int k = static_cast<int>(i - first);
        placed[i].w += spare / n + (k < spare % n ? 1 : 0);
        placed[i].x = x;
        placed[i].y = top;
        placed[i].h = height;
        x += placed[i].w;
      }
      top += height;
      first = last;
    }
    out.panels.push_back(std::move(placed));
    y = row.collapsed ? y + 1 : top;
  }
  return out;
}

namespace {

json number(double v) {
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) return static_cast<std::int64_t>(v);
  return v;
}

json datasource() { return {{"type", "prometheus"}, {"uid", "${datasource}"}}; }

json grid(const GridPos& g) { return {{"h", g.h}, {"w", g.w}, {"x", g.x}, {"y", g.y}}; }

json reduce(const Panel& p) { return {{"calcs", {p.reduce}}, {"fields", ""}, {"values", false}}; }

json legend(bool show) {
  return {{"calcs", json::array()}, {"displayMode", "list"}, {"placement", "bottom"}, {"showLegend", show}};
}

json options(const Panel& p) {
  const std::string& type = p.type.value;
  if (type == "timeseries") return {{"legend", legend(true)}, {"tooltip", {{"mode", "multi"}, {"sort", "desc"}}}};
  if (type == "stat")
    return {{"colorMode", "value"},
            {"graphMode", "area"},
            {"justifyMode", "auto"},
            {"orientation", "auto"},
            {"percentChangeColorMode", "standard"},
            {"reduceOptions", reduce(p)},
            {"showPercentChange", false},
            {"textMode", "auto"},
            {"wideLayout", true}};
  if (type == "gauge")
    return {{"minVizHeight", 75},
            {"minVizWidth", 75},
            {"orientation", "auto"},
            {"reduceOptions", reduce(p)},
            {"showThresholdLabels", false},
            {"showThresholdMarkers", true},
            {"sizing", "auto"}};
  if (type == "bargauge")
    return {{"displayMode", "gradient"},
            {"legend", legend(false)},
            {"maxVizHeight", 300},
            {"minVizHeight", 16},
            {"minVizWidth", 8},
            {"namePlacement", "auto"},
            {"orientation", "horizontal"},
            {"reduceOptions", reduce(p)},
            {"showUnfilled", true},
            {"sizing", "auto"},
            {"valueMode", "color"}};
  if (type == "table") return {{"cellHeight", "sm"}, {"frameIndex", 0}, {"showHeader", true}};
  // heatmap: Prometheus buckets as they are (no calculation), bucket bounds on the y axis.
  return {{"calculate", false},
          {"cellGap", 1},
          {"color",
           {{"exponent", 0.5},
            {"fill", "dark-orange"},
            {"mode", "scheme"},
            {"reverse", false},
            {"scale", "exponential"},
            {"scheme", "Oranges"},
            {"steps", 64}}},
          {"exemplars", {{"color", "rgba(255,0,255,0.7)"}}},
          {"filterValues", {{"le", 1e-9}}},
          {"legend", {{"show", true}}},
          {"rowsFrame", {{"layout", "auto"}}},
          {"showValue", "never"},
          {"tooltip", {{"mode", "single"}, {"showColorScale", false}, {"yHistogram", false}}},
          {"yAxis", {{"axisPlacement", "left"}, {"reverse", false}, {"unit", p.grafana_unit}}}};
}

json custom(const Panel& p) {
  const std::string& type = p.type.value;
  json hide = {{"legend", false}, {"tooltip", false}, {"viz", false}};
  if (type == "timeseries")
    return {{"axisPlacement", "auto"},
            {"drawStyle", "line"},
            {"fillOpacity", p.stack.empty() ? 10 : 30},
            {"gradientMode", "none"},
            {"hideFrom", hide},
            {"lineInterpolation", "linear"},
            {"lineWidth", 1},
            {"pointSize", 4},
            {"showPoints", "never"},
            {"spanNulls", false},
            {"stacking", {{"group", "A"}, {"mode", p.stack.empty() ? "none" : p.stack}}},
            // A graph's thresholds (an SLO's objective, the burn-rate alerts' factors) drawn as lines.
            {"thresholdsStyle", {{"mode", p.thresholds.empty() ? "off" : "line"}}}};
  if (type == "table") return {{"align", "auto"}, {"cellOptions", {{"type", "auto"}}}, {"inspect", false}};
  if (type == "heatmap") return {{"hideFrom", hide}, {"scaleDistribution", {{"type", "linear"}}}};
  return json::object();
}

json field_config(const Panel& p) {
  json steps = json::array({{{"color", shown_base_color(p)}, {"value", nullptr}}});
  for (const auto& t : p.thresholds) steps.push_back({{"color", t.color}, {"value", number(t.value)}});
  json defaults = {{"color", {{"mode", p.type.value == "timeseries" ? "palette-classic" : "thresholds"}}},
                   {"mappings", json::array()},
                   {"thresholds", {{"mode", "absolute"}, {"steps", steps}}}};
  if (p.type.value != "heatmap") defaults["unit"] = p.grafana_unit;
  if (p.decimals) defaults["decimals"] = number(*p.decimals);
  if (p.min) defaults["min"] = number(*p.min);
  if (p.max) defaults["max"] = number(*p.max);
  json c = custom(p);
  if (!c.empty()) defaults["custom"] = c;
  return {{"defaults", defaults}, {"overrides", json::array()}};
}

std::string ref_id(std::size_t i) {
  return i < 26 ? std::string(1, static_cast<char>('A' + i)) : "Q" + std::to_string(i);
}

json targets(const Panel& p) {
  json out = json::array();
  const std::string& type = p.type.value;
  for (std::size_t i = 0; i < p.queries.size(); ++i) {
    const Query& q = p.queries[i];
    bool instant = q.instant || type == "table";
    json t = {{"datasource", datasource()},
              {"editorMode", "code"},
              {"expr", q.expr.value},
              {"format", type == "table"                  ? "table"
                         : type == "heatmap" || q.buckets ? "heatmap"
                                                          : "time_series"},
              {"instant", instant},
              {"range", !instant},
              {"refId", ref_id(i)}};
    t["legendFormat"] = legend_format(q, type);
    out.push_back(std::move(t));
  }
  return out;
}

json panel(const Panel& p, int id, const GridPos& g) {
  json j = {{"datasource", datasource()},
            {"description", p.description.value},
            {"fieldConfig", field_config(p)},
            {"gridPos", grid(g)},
            {"id", id},
            {"options", options(p)},
            {"targets", targets(p)},
            {"title", p.title.value},
            {"type", p.type.value}};
  // A table of instant queries: one row per series, without the evaluation time column.
  if (p.type.value == "table")
    j["transformations"] = json::array({{{"id", "merge"}, {"options", json::object()}},
                                        {{"id", "organize"}, {"options", {{"excludeByName", {{"Time", true}}}}}}});
  return j;
}

json variable(const Variable& v, bool importable) {
  const std::string& name = v.name.value;
  if (v.type == "datasource") {
    json d = {{"hide", 0},
              {"includeAll", false},
              {"label", v.label.empty() ? "Data source" : v.label},
              {"multi", false},
              {"name", name},
              {"options", json::array()},
              {"query", "prometheus"},
              {"refresh", 1},
              {"regex", ""},
              {"type", "datasource"}};
    if (importable) d["current"] = {{"selected", false}, {"text", "${DS_PROMETHEUS}"}, {"value", "${DS_PROMETHEUS}"}};
    return d;
  }
  std::string query = v.query.value, label = v.label;
  if (query.empty()) {
    // The built-in variables: values of the target labels and of the model label.
    if (name == "job") query = "label_values(up, job)";
    else if (name == "instance") query = "label_values(up{job=~\"$job\"}, instance)";
    else query = "label_values({job=~\"$job\", model!=\"\"}, model)";
  }
  if (label.empty() && !name.empty())
    label = std::string(1, static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])))) + name.substr(1);
  json j = {{"hide", 0},     {"includeAll", v.include_all}, {"label", label}, {"multi", v.multi},
            {"name", name},  {"options", json::array()},    {"query", query}, {"skipUrlSync", false},
            {"type", v.type}};
  if (v.type == "query") {
    if (std::string all = all_value(v); !all.empty()) j["allValue"] = all;
    j["datasource"] = datasource();
    j["definition"] = query;
    j["refresh"] = 2;
    j["regex"] = "";
    j["sort"] = 1;
  }
  return j;
}

json required_plugins(const Template& t) {
  static const std::map<std::string, std::string> names = {{"bargauge", "Bar gauge"}, {"gauge", "Gauge"},
                                                           {"heatmap", "Heatmap"},    {"stat", "Stat"},
                                                           {"table", "Table"},        {"timeseries", "Time series"}};
  json out =
      json::array({{{"id", "grafana"}, {"name", "Grafana"}, {"type", "grafana"}, {"version", kGrafanaVersion}},
                   {{"id", "prometheus"}, {"name", "Prometheus"}, {"type", "datasource"}, {"version", "1.0.0"}}});
  std::set<std::string> types;
  for (const auto& row : t.rows)
    for (const auto& p : row.panels) types.insert(p.type.value);
  for (const auto& type : types)
    if (auto it = names.find(type); it != names.end())
      out.push_back({{"id", type}, {"name", it->second}, {"type", "panel"}, {"version", ""}});
  return out;
}

} // namespace

std::string render(const Template& t, const RenderOptions& o) {
  Layout lay = layout(t);
  json panels = json::array();
  int id = 0;
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    const Row& row = t.rows[r];
    json children = json::array();
    json bar = {{"collapsed", row.collapsed},
                {"gridPos", grid(lay.rows[r])},
                {"id", ++id},
                {"title", row.title.value},
                {"type", "row"}};
    std::size_t at = panels.size();
    panels.push_back(nullptr);
    for (std::size_t i = 0; i < row.panels.size(); ++i) {
      json p = panel(row.panels[i], ++id, lay.panels[r][i]);
      (row.collapsed ? children : panels).push_back(std::move(p));
    }
    bar["panels"] = std::move(children);
    panels[at] = std::move(bar);
  }
  json vars = json::array();
  for (const auto& v : t.variables) vars.push_back(variable(v, o.importable));
  json d = {{"annotations",
             {{"list",
               {{{"builtIn", 1},
                 {"datasource", {{"type", "grafana"}, {"uid", "-- Grafana --"}}},
                 {"enable", true},
                 {"hide", true},
                 {"iconColor", "rgba(0, 211, 255, 1)"},
                 {"name", "Annotations & Alerts"},
                 {"type", "dashboard"}}}}}},
            {"description", t.description.value},
            {"editable", false}, // generated: edits belong in templates/, the UI would lose them
            {"fiscalYearStartMonth", 0},
            {"graphTooltip", 1},
            {"links", json::array()},
            {"panels", panels},
            {"refresh", t.refresh},
            {"schemaVersion", kSchemaVersion},
            {"tags", t.tags},
            {"templating", {{"list", vars}}},
            {"time", {{"from", t.time_from}, {"to", t.time_to}}},
            {"timepicker", json::object()},
            {"timezone", "browser"},
            {"title", t.title.value},
            {"uid", t.uid.value},
            {"version", 1}};
  // Each annotation's series are events on every graph: restarts, new versions. Evaluated every
  // minute, which the templates' `offset 1m` comparisons assume.
  for (const auto& a : t.annotations)
    d["annotations"]["list"].push_back({{"datasource", datasource()},
                                        {"enable", true},
                                        {"expr", a.query.expr.value},
                                        {"hide", false},
                                        {"iconColor", a.color},
                                        {"name", a.name.value},
                                        {"step", "1m"},
                                        {"titleFormat", a.query.legend.value},
                                        {"useValueForTime", false}});
  // The other dashboards of the template's first tag, one click away, with the time range and
  // the variables kept.
  if (!t.tags.empty())
    d["links"] =
        json::array({{{"asDropdown", true},
                      {"icon", "external link"},
                      {"includeVars", true},
                      {"keepTime", true},
                      {"tags", json::array({t.tags.front()})},
                      {"targetBlank", false},
                      {"title", "Dashboards"},
                      {"tooltip", "The " + t.tags.front() + " dashboards, with this time range and these variables"},
                      {"type", "dashboards"}}});
  if (o.importable) {
    d["__inputs"] = json::array({{{"description", "Prometheus scraping the detector"},
                                  {"label", "Prometheus"},
                                  {"name", "DS_PROMETHEUS"},
                                  {"pluginId", "prometheus"},
                                  {"pluginName", "Prometheus"},
                                  {"type", "datasource"}}});
    d["__requires"] = required_plugins(t);
  }
  return d.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_lint(const std::vector<Template>& templates) {
  // Why each rule has exceptions at all; each entry says why it is one.
  static const std::map<std::string, std::string, std::less<>> reasons = {
      {"target-instance-rule", "A query of series that carry no instance label cannot filter by $instance."},
      {"target-job-rule", "A query of series that carry no job label cannot filter by $job."},
      {"template-instance-rule", "A dashboard none of whose queries reads a series with an instance label has "
                                 "no instance variable."},
      {"template-job-rule", "A dashboard none of whose queries reads a series with a job label has no job variable."}};
  auto quote = [](const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); };
  std::map<std::string, std::vector<std::string>> entries; // by rule
  std::map<std::string, std::set<std::string>> seen;       // by rule: the dashboard, panel and query named
  for (const auto& t : templates)
    for (const auto& e : t.linter_exceptions) {
      std::string entry = "      - dashboard: " + quote(t.title.value) + "\n";
      if (!e.panel.empty()) entry += "        panel: " + quote(e.panel) + "\n";
      // yaml.v3 reads the field TargetIdx as `targetidx` (the lower-cased name: the struct has
      // json tags only); the documented `targetIdx` would be ignored and cover every query.
      if (e.target >= 0) entry += "        targetidx: \"" + std::to_string(e.target) + "\"\n";
      // Panels of one title in one dashboard are one entry: the linter cannot tell them apart.
      if (!seen[e.rule].insert(entry).second) continue;
      entries[e.rule].push_back(entry + "        reason: " + quote(e.reason) + "\n");
    }
  std::string out = "# grafana/dashboard-linter's exceptions for the dashboards of this directory\n"
                    "# (`dashboard-linter lint --strict DASHBOARD.json` reads the .lint beside it).\n"
                    "# " +
                    std::string(kLintMarker) +
                    " from the templates, where its checks found why:\n"
                    "# do not edit, regenerate.\n";
  if (entries.empty()) return out + "exclusions: {}\n";
  out += "exclusions:\n";
  for (const auto& [rule, list] : entries) {
    auto why = reasons.find(rule);
    out += "  " + rule + ":\n    reason: " + quote(why == reasons.end() ? rule : why->second) + "\n    entries:\n";
    for (const auto& e : list) out += e;
  }
  return out;
}

} // namespace nsmon::dashboards
