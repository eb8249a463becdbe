#include "nsmon/dashboards/loader.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "nsmon/core/yaml.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::dashboards {

using core::YamlReader;
using yaml::Node;

const std::vector<std::string>& panel_types() {
  static const std::vector<std::string> types = {"bargauge", "gauge", "heatmap", "stat", "table", "timeseries"};
  return types;
}

bool valid_uid(const std::string& uid) {
  if (uid.empty() || uid.size() > 40) return false;
  return std::all_of(uid.begin(), uid.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; });
}

namespace {

// Reads one file's nodes into the model; every problem is positioned through the YamlReader.
class Reader {
public:
  Reader(YamlReader& r) : r_(r) {}

  // A string field, with where each of its bytes is in the file (PromQL and legends need it).
  bool text(const Node& n, std::string_view what, core::Located& out) {
    if (!r_.string(n, what)) return false;
    out = r_.located(n);
    return true;
  }

  std::optional<int> size(const Node& n, std::string_view what, int lo, int hi) {
    auto v = r_.number(n, what);
    if (!v) return std::nullopt;
    if (*v != std::floor(*v) || *v < lo || *v > hi) {
      r_.report(n, "yaml/type",
                std::string(what) + " must be a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return std::nullopt;
    }
    return static_cast<int>(*v);
  }

  void panel_type(const Node& n, core::Located& out) {
    if (!text(n, "panel type", out)) return;
    const auto& types = panel_types();
    if (std::find(types.begin(), types.end(), out.value) != types.end()) return;
    if (out.value == "graph" || out.value == "singlestat") {
      r_.report(n, "dashboards/panel-type",
                "panel type '" + out.value + "' was removed from Grafana (deprecated since 7, gone in 11)",
                out.value == "graph" ? "use timeseries" : "use stat");
    } else if (out.value == "row") {
      r_.report(n, "dashboards/panel-type", "rows are written as `rows:`, not as a panel type");
    } else {
      std::string hint = util::did_you_mean(out.value, types);
      r_.report(n, "dashboards/panel-type",
                "unknown panel type '" + out.value + "' (types: " + util::join(types, ", ") + ")",
                hint.empty() ? "" : "did you mean '" + hint + "'?");
    }
    out.value.clear();
  }

  void queries(const Node& n, Panel& p) {
    if (!n.is_sequence() || n.size() == 0) {
      r_.report(n, "yaml/type", "queries must be a list of {expr, legend} mappings");
      return;
    }
    for (const auto& item : n) {
      if (!r_.check_mapping(item, {"expr", "legend", "instant", "format", "across"}, "a query")) continue;
      Query q;
      if (!item["expr"]) r_.report(item, "dashboards/missing-field", "a query needs expr");
      else text(item["expr"], "expr", q.expr);
      if (item["legend"]) text(item["legend"], "legend", q.legend);
      if (item["instant"])
        if (auto b = r_.boolean(item["instant"], "instant")) q.instant = *b;
      if (item["format"]) {
        auto f = r_.string(item["format"], "format");
        if (f && *f != "heatmap" && *f != "time_series")
          r_.report(item["format"], "yaml/type", "format must be heatmap (a histogram's buckets) or time_series");
        else if (f) q.buckets = *f == "heatmap";
      }
      if (Node across = item["across"]) {
        if (!across.is_map())
          r_.report(across, "yaml/type", "across must map labels to what aggregating across them means");
        else
          for (auto it = across.begin(); it != across.end(); ++it) {
            core::Located label, meaning;
            if (text(it->first, "label", label) && text(it->second, "meaning", meaning))
              q.across.emplace_back(std::move(label), std::move(meaning));
          }
      }
      p.queries.push_back(std::move(q));
    }
  }

  void thresholds(const Node& n, Panel& p) {
    if (!n.is_sequence()) {
      r_.report(n, "yaml/type", "thresholds must be a list of {value, color} mappings");
      return;
    }
    bool first = true;
    for (const auto& item : n) {
      bool is_first = first;
      first = false;
      if (!r_.check_mapping(item, {"value", "color"}, "a threshold")) continue;
      auto c = item["color"] ? r_.string(item["color"], "color") : std::nullopt;
      if (!item["color"]) r_.report(item, "dashboards/missing-field", "a threshold needs a color");
      // The first step may leave out its value: the colour below every other step.
      if (!item["value"] && c && is_first) {
        p.base_color = *c;
        continue;
      }
      auto v = item["value"] ? r_.number(item["value"], "value") : std::nullopt;
      if (!item["value"])
        r_.report(item, "dashboards/missing-field", "a threshold needs a value (only the first may leave it out)");
      if (!v || !c) continue;
      if (!p.thresholds.empty() && *v <= p.thresholds.back().value)
        r_.report(item["value"], "dashboards/thresholds", "thresholds must be in increasing order of value");
      p.thresholds.push_back({*v, *c});
    }
  }

  // The fields of a panel; `use` entries only carry placement (width, height).
  void panel(const Node& n, Panel& p) {
    static const std::vector<std::string> fields = {
        "type",       "title", "description", "unit",  "datasource", "decimals", "min", "max",
        "thresholds", "width", "height",      "stack", "reduce",     "queries",  "slo", "slo_ratio"};
    if (!r_.check_mapping(n, fields, "a panel")) return;
    p.span = r_.span(n);
    // A panel without a title is dashboards/title-description's (checks.cpp), said once.
    for (const char* required : {"type", "queries"})
      if (!n[required]) r_.report(n, "dashboards/missing-field", std::string("a panel needs ") + required);
    if (n["type"]) panel_type(n["type"], p.type);
    if (n["title"]) text(n["title"], "title", p.title);
    if (n["description"]) text(n["description"], "description", p.description);
    if (n["unit"]) text(n["unit"], "unit", p.unit);
    if (n["datasource"]) text(n["datasource"], "datasource", p.datasource);
    if (n["decimals"])
      if (auto v = size(n["decimals"], "decimals", 0, 10)) p.decimals = *v;
    if (n["min"]) p.min = r_.number(n["min"], "min");
    if (n["max"]) p.max = r_.number(n["max"], "max");
    if (n["thresholds"]) thresholds(n["thresholds"], p);
    if (n["slo"]) text(n["slo"], "slo", p.slo);
    if (n["slo_ratio"]) {
      auto s = r_.string(n["slo_ratio"], "slo_ratio");
      if (s && *s != "good" && *s != "errors" && *s != "latency")
        r_.report(n["slo_ratio"], "yaml/type",
                  "slo_ratio must be good (the SLI), errors (the error ratio) or latency (latencies, against the "
                  "SLO's bound)");
      else if (s) {
        p.slo_errors = *s == "errors";
        p.slo_latency = *s == "latency";
      }
    }
    placement(n, p);
    if (n["stack"]) {
      auto s = r_.string(n["stack"], "stack");
      if (s && *s != "none" && *s != "normal" && *s != "percent")
        r_.report(n["stack"], "yaml/type", "stack must be none, normal or percent");
      else if (s && *s != "none") p.stack = *s;
    }
    if (n["reduce"]) {
      static const std::vector<std::string> reducers = {"lastNotNull", "last", "mean", "max", "min", "sum", "count"};
      auto s = r_.string(n["reduce"], "reduce");
      if (s && std::find(reducers.begin(), reducers.end(), *s) == reducers.end())
        r_.report(n["reduce"], "yaml/type", "reduce must be one of " + util::join(reducers, ", "));
      else if (s) p.reduce = *s;
    }
    if (n["queries"]) queries(n["queries"], p);
  }

  void placement(const Node& n, Panel& p) {
    if (n["width"])
      if (auto v = size(n["width"], "width", 1, 24)) p.width = *v;
    if (n["height"])
      if (auto v = size(n["height"], "height", 1, 50)) p.height = *v;
  }

  void row(const Node& n, const Library& library, Template& t) {
    if (!r_.check_mapping(n, {"title", "collapsed", "panels"}, "a row")) return;
    Row row;
    if (!n["title"]) r_.report(n, "dashboards/missing-field", "a row needs a title");
    else text(n["title"], "title", row.title);
    if (n["collapsed"])
      if (auto b = r_.boolean(n["collapsed"], "collapsed")) row.collapsed = *b;
    Node panels = n["panels"];
    if (!panels || !panels.is_sequence() || panels.size() == 0) {
      r_.report(panels ? panels : n, "dashboards/missing-field", "a row needs a list of panels");
      return;
    }
    for (const auto& item : panels) {
      if (item.is_map() && item["use"]) {
        use(item, library, row);
        continue;
      }
      Panel p;
      panel(item, p);
      row.panels.push_back(std::move(p));
    }
    t.rows.push_back(std::move(row));
  }

  void use(const Node& n, const Library& library, Row& row) {
    if (!r_.check_mapping(n, {"use", "width", "height"}, "a `use` entry")) return;
    auto name = r_.string(n["use"], "use");
    if (!name) return;
    auto it = library.find(*name);
    if (it == library.end()) {
      std::vector<std::string> names;
      for (const auto& [k, v] : library) names.push_back(k);
      std::string hint = util::did_you_mean(*name, names);
      r_.report(n["use"], "dashboards/unknown-panel",
                "no shared panel '" + *name + "' (templates/panels/" + *name + ".yml)",
                hint.empty() ? "" : "did you mean '" + hint + "'?");
      return;
    }
    Panel p = it->second;
    p.used = *name;
    p.span = r_.span(n);
    placement(n, p);
    row.panels.push_back(std::move(p));
  }

  void variable(const Node& n, Template& t) {
    Variable v;
    if (n.is_scalar()) {
      text(n, "variable", v.name);
      static const std::vector<std::string> builtin = {"datasource", "instance", "job", "model"};
      if (std::find(builtin.begin(), builtin.end(), v.name.value) == builtin.end()) {
        std::string hint = util::did_you_mean(v.name.value, builtin);
        r_.report(n, "dashboards/variable",
                  "'" + v.name.value + "' is no built-in variable (" + util::join(builtin, ", ") +
                      "); define it as {name, query}",
                  hint.empty() ? "" : "did you mean '" + hint + "'?");
        return;
      }
      v.type = v.name.value == "datasource" ? "datasource" : "query";
      t.variables.push_back(std::move(v));
      return;
    }
    if (!r_.check_mapping(n, {"name", "type", "label", "query", "multi", "include_all"}, "a variable")) return;
    if (!n["name"] || !n["query"]) {
      r_.report(n, "dashboards/missing-field", "a variable needs name and query");
      return;
    }
    if (!text(n["name"], "name", v.name)) return;
    if (v.name.value.empty() || std::isdigit(static_cast<unsigned char>(v.name.value[0])) ||
        !std::all_of(v.name.value.begin(), v.name.value.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; })) {
      r_.report(n["name"], "dashboards/variable", "variable name '" + v.name.value + "' is not [A-Za-z_][A-Za-z0-9_]*");
      return;
    }
    text(n["query"], "query", v.query);
    if (n["label"])
      if (auto s = r_.string(n["label"], "label")) v.label = *s;
    if (n["type"]) {
      auto s = r_.string(n["type"], "type");
      if (s && *s != "query" && *s != "custom" && *s != "interval")
        r_.report(n["type"], "dashboards/variable", "variable type must be query, custom or interval");
      else if (s) v.type = *s;
    }
    if (n["multi"])
      if (auto b = r_.boolean(n["multi"], "multi")) v.multi = *b;
    if (n["include_all"])
      if (auto b = r_.boolean(n["include_all"], "include_all")) v.include_all = *b;
    t.variables.push_back(std::move(v));
  }

  void dashboard(const Node& root, const Library& library, Template& t) {
    static const std::vector<std::string> fields = {"uid",       "title", "description", "tags", "refresh",    "time",
                                                    "variables", "rules", "slos",        "rows", "annotations"};
    if (!r_.check_mapping(root, fields, "a dashboard template")) return;
    for (const char* required : {"uid", "title", "rows"})
      if (!root[required]) r_.report(root, "dashboards/missing-field", std::string("a dashboard needs ") + required);
    if (root["uid"] && text(root["uid"], "uid", t.uid) && !valid_uid(t.uid.value)) {
      r_.report(root["uid"], "dashboards/uid",
                "uid '" + t.uid.value + "' is not 1 to 40 letters, digits, '-' or '_' (it names the output file)");
      t.uid.value.clear();
    }
    if (root["title"]) text(root["title"], "title", t.title);
    if (root["description"]) text(root["description"], "description", t.description);
    if (root["tags"])
      if (auto tags = r_.strings(root["tags"], "tags")) t.tags = *tags;
    if (root["refresh"])
      if (auto s = r_.string(root["refresh"], "refresh")) t.refresh = *s;
    if (Node time = root["time"]; time && r_.check_mapping(time, {"from", "to"}, "time")) {
      if (time["from"])
        if (auto s = r_.string(time["from"], "from")) t.time_from = *s;
      if (time["to"])
        if (auto s = r_.string(time["to"], "to")) t.time_to = *s;
    }
    t.variables_span = r_.span(root["variables"] ? root["variables"] : root);
    if (Node vars = root["variables"]) {
      if (!vars.is_sequence()) r_.report(vars, "yaml/type", "variables must be a list");
      else
        for (const auto& v : vars) variable(v, t);
    }
    if (Node files = root["rules"]) {
      if (!files.is_sequence()) r_.report(files, "yaml/type", "rules must be a list of rule files");
      else
        for (const auto& f : files)
          if (core::Located file; text(f, "rule file", file)) t.rules.push_back(std::move(file));
    }
    if (Node files = root["slos"]) {
      if (!files.is_sequence()) r_.report(files, "yaml/type", "slos must be a list of SLO spec files");
      else
        for (const auto& f : files)
          if (core::Located file; text(f, "SLO spec file", file)) t.slos.push_back(std::move(file));
    }
    if (Node rows = root["rows"]) {
      if (!rows.is_sequence() || rows.size() == 0) r_.report(rows, "yaml/type", "rows must be a list of rows");
      else
        for (const auto& r : rows) row(r, library, t);
    }
    if (Node list = root["annotations"]) {
      if (!list.is_sequence()) r_.report(list, "yaml/type", "annotations must be a list of {name, expr, title}");
      else
        for (const auto& a : list) annotation(a, t);
    }
  }

  void annotation(const Node& n, Template& t) {
    if (!r_.check_mapping(n, {"name", "expr", "title", "color"}, "an annotation")) return;
    Annotation a;
    a.span = r_.span(n);
    for (const char* required : {"name", "expr"})
      if (!n[required]) r_.report(n, "dashboards/missing-field", std::string("an annotation needs ") + required);
    if (n["name"]) text(n["name"], "name", a.name);
    if (n["expr"]) text(n["expr"], "expr", a.query.expr);
    if (n["title"]) text(n["title"], "title", a.query.legend);
    if (n["color"])
      if (auto c = r_.string(n["color"], "color")) a.color = *c;
    t.annotations.push_back(std::move(a));
  }

private:
  YamlReader& r_;
};

} // namespace

std::optional<Panel> load_panel_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  YamlReader r(src, diags);
  auto root = r.parse();
  if (!root) return std::nullopt;
  Panel p;
  Reader(r).panel(*root, p);
  return p;
}

Template load_template(const core::SourceFile& src, const Library& library, std::vector<core::Diagnostic>& diags) {
  Template t;
  t.path = src.path();
  YamlReader r(src, diags);
  auto root = r.parse();
  if (!root) return t;
  t.parsed = true;
  Reader(r).dashboard(*root, library, t);
  return t;
}

} // namespace nsmon::dashboards
