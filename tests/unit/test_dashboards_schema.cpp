// The repository's templates rendered in memory: every dashboard validates against Grafana's JSON
// Schema (tests/data/grafana-schema/, the dashboard schema and, per panel, its options and field
// config, as ../shared/grafana-schema/validate.py does), the layout fills the 24-column grid with
// no overlaps and no gaps, and grafana/dashboard-linter's rules hold on the JSON itself.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <valijson/adapters/nlohmann_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/dashboards/checks.hpp"
#include "nsmon/dashboards/loader.hpp"
#include "nsmon/dashboards/render.hpp"
#include "nsmon/dashboards/rule_facts.hpp"
#include "nsmon/lint/recorded.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/slo/spec.hpp"

using namespace nsmon;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

const fs::path kSource = NSMON_SOURCE_DIR;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// validate.py accepts a oneOf matched by several alternatives (the table's cell options have no
// discriminator): read every oneOf as anyOf.
void one_of_as_any_of(json& j) {
  if (j.is_object()) {
    if (j.contains("oneOf")) {
      j["anyOf"] = j["oneOf"];
      j.erase("oneOf");
    }
    for (auto& [k, v] : j.items()) one_of_as_any_of(v);
  } else if (j.is_array()) {
    for (auto& v : j) one_of_as_any_of(v);
  }
}

struct SchemaValidator {
  json doc;
  valijson::Schema schema;
  explicit SchemaValidator(json d) : doc(std::move(d)) {
    one_of_as_any_of(doc);
    valijson::SchemaParser parser(valijson::SchemaParser::kDraft7);
    valijson::adapters::NlohmannJsonAdapter adapter(doc);
    parser.populateSchema(adapter, schema);
  }
  // Errors as "path: message" lines; empty when the value is valid.
  std::string errors(const json& value, const std::string& where) const {
    valijson::Validator v;
    valijson::ValidationResults results;
    valijson::adapters::NlohmannJsonAdapter target(value);
    if (v.validate(schema, target, &results)) return {};
    std::string out;
    valijson::ValidationResults::Error e;
    while (results.popError(e)) {
      std::string path;
      for (const auto& c : e.context) path += c;
      out += where + " " + path + ": " + e.description + "\n";
    }
    return out;
  }
};

json load_schema(const std::string& name) {
  return json::parse(slurp(kSource / "tests/data/grafana-schema" / (name + ".jsonschema.json")));
}

// A validator for one definition of a panel schema file, its other definitions still reachable.
std::unique_ptr<SchemaValidator> definition(const std::string& file, const std::string& name) {
  json s = load_schema(file);
  if (!s["definitions"].contains(name)) return nullptr;
  return std::make_unique<SchemaValidator>(json{{"definitions", s["definitions"]}, {"$ref", "#/definitions/" + name}});
}

struct Validators {
  SchemaValidator dashboard{load_schema("dashboard")};
  SchemaValidator prometheus{load_schema("prometheus")};
  std::map<std::string, std::unique_ptr<SchemaValidator>> options, field_config;
  Validators() {
    for (const char* t : {"timeseries", "stat", "gauge", "bargauge", "table", "heatmap"}) {
      options[t] = definition(t, "Options");
      field_config[t] = definition(t, "FieldConfig");
    }
  }
};

const Validators& validators() {
  static Validators v;
  return v;
}

// Every panel, rows' nested panels included, with its path.
std::vector<std::pair<std::string, json>> all_panels(const json& d) {
  std::vector<std::pair<std::string, json>> out;
  for (std::size_t i = 0; i < d["panels"].size(); ++i) {
    const json& p = d["panels"][i];
    out.emplace_back("panels/" + std::to_string(i), p);
    if (p["type"] == "row")
      for (std::size_t j = 0; j < p["panels"].size(); ++j)
        out.emplace_back("panels/" + std::to_string(i) + "/panels/" + std::to_string(j), p["panels"][j]);
  }
  return out;
}

// validate.py's rules: the dashboard without the export-only keys, then per panel its options,
// its fieldConfig.defaults.custom and its Prometheus targets.
std::string schema_errors(json d) {
  const Validators& v = validators();
  for (const char* k : {"__inputs", "__requires", "__elements"}) d.erase(k);
  std::string out = v.dashboard.errors(d, "(root)");
  for (const auto& [path, p] : all_panels(d)) {
    std::string type = p.value("type", "");
    if (auto it = v.options.find(type); it != v.options.end() && it->second && p.contains("options"))
      out += it->second->errors(p["options"], path + "/options");
    if (auto it = v.field_config.find(type); it != v.field_config.end() && it->second && p.contains("fieldConfig") &&
                                             p["fieldConfig"]["defaults"].contains("custom"))
      out += it->second->errors(p["fieldConfig"]["defaults"]["custom"], path + "/fieldConfig/defaults/custom");
    if (p.contains("targets"))
      for (std::size_t k = 0; k < p["targets"].size(); ++k)
        out += v.prometheus.errors(p["targets"][k], path + "/targets/" + std::to_string(k));
  }
  return out;
}

// The repository's templates, loaded, checked and rendered.
struct Rendered {
  core::SourceSet sources;
  std::vector<core::Diagnostic> diags;
  std::vector<dashboards::Template> templates;
  std::map<std::string, json> dashboards; ///< uid -> JSON
};

const Rendered& repo(bool importable = false) {
  static std::map<bool, std::unique_ptr<Rendered>> cache;
  auto& slot = cache[importable];
  if (slot) return *slot;
  slot = std::make_unique<Rendered>();
  Rendered& r = *slot;
  dashboards::Library lib;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kSource / "templates/panels")) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files)
    if (auto p = dashboards::load_panel_file(r.sources.add(f.string(), slurp(f)), r.diags)) lib[f.stem().string()] = *p;
  files.clear();
  for (const auto& e : fs::directory_iterator(kSource / "templates"))
    if (e.path().extension() == ".yml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    r.templates.push_back(dashboards::load_template(r.sources.add(f.string(), slurp(f)), lib, r.diags));
    // The recording rules the template reads (the SLO dashboard: rules/slo_rules.yml).
    std::vector<rules::RuleFile> rule_files;
    for (const auto& rf : r.templates.back().rules) {
      fs::path path = f.parent_path() / rf.value;
      REQUIRE(fs::exists(path));
      rule_files.push_back(rules::load_rule_file(r.sources.add(path.string(), slurp(path)), r.diags));
    }
    // The alerts and SLOs its descriptions and thresholds name (as gen-dashboards reads them).
    dashboards::RuleFacts facts = dashboards::rule_facts(rule_files);
    for (const auto& sf : r.templates.back().slos) {
      fs::path path = f.parent_path() / sf.value;
      REQUIRE(fs::exists(path));
      std::vector<core::Diagnostic> spec_notes; // slo generate's to give (gen-dashboards keeps only errors)
      for (const auto& spec :
           slo::load_specs(r.sources.add(path.string(), slurp(path)), catalog::embedded(), spec_notes))
        for (const auto& s : spec.slos)
          facts.slos[s.name] = {s.objective, s.window_ms,
                                s.kind == slo::Slo::Kind::latency ? std::optional<double>(std::stod(s.le))
                                                                  : std::nullopt};
      for (const auto& d : spec_notes) CHECK(d.severity != core::Severity::error);
    }
    dashboards::check(r.templates.back(), catalog::embedded(), lint::recorded_metrics(rule_files, catalog::embedded()),
                      facts, r.diags);
    dashboards::RenderOptions o;
    o.importable = importable;
    r.dashboards[r.templates.back().uid.value] = json::parse(dashboards::render(r.templates.back(), o));
  }
  return r;
}

} // namespace

TEST_CASE("the repository's templates are clean and give the five dashboards of the seeds and the SLOs'") {
  const Rendered& r = repo();
  std::string found;
  for (const auto& d : r.diags)
    found += d.span.file.str() + ":" + std::to_string(d.span.line) + ": " + d.message + "\n";
  INFO(found);
  CHECK(r.diags.empty());
  std::vector<std::string> titles;
  for (const auto& [uid, d] : r.dashboards) titles.push_back(d["title"]);
  std::sort(titles.begin(), titles.end());
  CHECK(titles == std::vector<std::string>{"Error Dashboard", "Inference Performance", "Pipeline Monitoring",
                                           "SLOs of neurosymbolic-app", "System Resources", "Training Overview"});
}

TEST_CASE("every generated dashboard validates against Grafana's JSON Schema") {
  for (bool importable : {false, true})
    for (const auto& [uid, d] : repo(importable).dashboards) {
      INFO(uid << (importable ? " (--importable)" : ""));
      CHECK(schema_errors(d) == "");
    }
}

TEST_CASE("the schema validation finds real mistakes") {
  json d = repo().dashboards.begin()->second;
  CHECK(schema_errors(d).empty());
  json bad = d;
  bad["panels"][1]["gridPos"]["w"] = 25;
  CHECK(schema_errors(bad) != "");
  bad = d;
  bad["panels"][1]["datasource"] = "${DS_PROMETHEUS}";
  CHECK(schema_errors(bad) != "");
  bad = d;
  bad["refresh"] = false;
  CHECK(schema_errors(bad) != "");
  bad = d;
  bad["panels"][1]["options"].erase("legend");
  bad["panels"][1]["type"] = "timeseries";
  CHECK(schema_errors(bad) != "");
  bad = d;
  bad["panels"][1]["targets"][0]["useBackend"] = false;
  CHECK(schema_errors(bad) != "");
}

TEST_CASE("layout: rows on the 24-column grid, no overlaps, no gaps") {
  for (const auto& [uid, d] : repo().dashboards) {
    INFO(uid);
    // Visible cells: rows' title bars and the panels of expanded rows.
    std::map<std::pair<int, int>, int> cells;
    int bottom = 0;
    for (const auto& [path, p] : all_panels(d)) {
      if (path.find("/panels/") != std::string::npos) continue; // inside a collapsed row
      const json& g = p["gridPos"];
      int x = g["x"], y = g["y"], w = g["w"], h = g["h"];
      CHECK(x + w <= 24);
      for (int i = x; i < x + w; ++i)
        for (int j = y; j < y + h; ++j) CHECK(++cells[{i, j}] == 1);
      bottom = std::max(bottom, y + h);
    }
    // No gaps: every cell above the bottom is taken.
    CHECK(cells.size() == static_cast<std::size_t>(24 * bottom));
  }
}

TEST_CASE("layout: explicit widths, wrapping lines and stretched leftovers") {
  dashboards::Template t;
  dashboards::Row row;
  for (int w : {6, 6, 6, 8, 0}) {
    dashboards::Panel p;
    p.type.value = "stat";
    p.width = w;
    row.panels.push_back(p);
  }
  row.panels[3].height = 7;
  t.rows.push_back(row);
  t.rows.push_back(row);
  t.rows[0].collapsed = true;
  auto lay = dashboards::layout(t);
  // 6+6+6 fit, 8 does not: line one is 6,6,6 stretched to 8,8,8; line two 8 and 6 become 13 and 11.
  std::vector<int> widths, xs;
  for (const auto& g : lay.panels[0]) widths.push_back(g.w), xs.push_back(g.x);
  CHECK(widths == std::vector<int>{8, 8, 8, 13, 11});
  CHECK(xs == std::vector<int>{0, 8, 16, 0, 13});
  CHECK(lay.panels[0][3].y == 6);
  CHECK(lay.panels[0][4].h == 7); // as high as the highest in its line
  // The collapsed first row takes one grid row; the second starts right below it.
  CHECK(lay.rows[1].y == 1);
  CHECK(lay.panels[1][0].y == 2);
}

TEST_CASE("dashboard-linter rules hold on the generated JSON") {
  const json prom = {{"type", "prometheus"}, {"uid", "${datasource}"}};
  for (const auto& [uid, d] : repo().dashboards) {
    INFO(uid);
    CHECK(d["schemaVersion"] == dashboards::kSchemaVersion);
    CHECK(d["uid"] == uid);
    // template-datasource-rule, template-job-rule, template-instance-rule
    std::map<std::string, json> vars;
    for (const auto& v : d["templating"]["list"]) vars[v["name"]] = v;
    REQUIRE(vars.count("datasource"));
    CHECK(vars["datasource"]["type"] == "datasource");
    CHECK(vars["datasource"]["query"] == "prometheus");
    // The SLO dashboard reads only recording rules' aggregates and ALERTS: nothing for $job to select.
    const bool slo = d["uid"].get<std::string>().rfind("nsmon-slo", 0) == 0;
    for (const auto& [path, p] : all_panels(d))
      for (const auto& t : p.value("targets", json::array())) {
        std::string expr = t["expr"];
        if (slo) CHECK((expr.find("slo:") != std::string::npos || expr.find("ALERTS{") != std::string::npos));
      }
    for (const char* name : {"job", "instance"}) {
      if (slo) {
        CHECK(!vars.count(name));
        continue;
      }
      REQUIRE(vars.count(name));
      CHECK(vars[name]["type"] == "query");
      CHECK(vars[name]["datasource"] == prom);
      CHECK(vars[name]["multi"] == true);
      CHECK(vars[name]["includeAll"] == true);
    }
    for (const auto& [path, p] : all_panels(d)) {
      INFO(path << " " << p.value("title", ""));
      if (p["type"] == "row") continue;
      // panel-datasource-rule, target datasources, panel-title-description-rule, panel-units-rule
      CHECK(p["datasource"] == prom);
      CHECK(!p["title"].get<std::string>().empty());
      CHECK(!p["description"].get<std::string>().empty());
      std::string unit = p["type"] == "heatmap" ? p["options"]["yAxis"]["unit"] : p["fieldConfig"]["defaults"]["unit"];
      CHECK(dashboards::is_grafana_unit(unit));
      CHECK(std::set<std::string>{"timeseries", "stat", "gauge", "bargauge", "table", "heatmap"}.count(p["type"]));
      REQUIRE(!p["targets"].empty()); // panel-no-targets-rule
      for (const auto& t : p["targets"]) {
        CHECK(t["datasource"] == prom);
        std::string expr = t["expr"];
        // target-rate-interval-rule: every rate( and irate( window is $__rate_interval.
        for (const char* f : {"rate(", "irate("})
          for (std::size_t at = expr.find(f); at != std::string::npos; at = expr.find(f, at + 1)) {
            if (at > 0 && (std::isalnum(static_cast<unsigned char>(expr[at - 1])) || expr[at - 1] == '_')) continue;
            std::size_t open = expr.find('[', at), close = expr.find(']', at);
            REQUIRE(open != std::string::npos);
            CHECK(expr.substr(open, close - open + 1) == "[$__rate_interval]");
          }
        // target-counter-agg-rule: a _total counter is always inside rate( or increase(.
        for (std::size_t at = expr.find("_total"); at != std::string::npos; at = expr.find("_total", at + 1)) {
          std::size_t start = at;
          while (start > 0 && (std::isalnum(static_cast<unsigned char>(expr[start - 1])) || expr[start - 1] == '_'))
            --start;
          std::string before = expr.substr(0, start);
          auto ends = [&](const std::string& s) {
            return before.size() >= s.size() && before.compare(before.size() - s.size(), s.size(), s) == 0;
          };
          CHECK((ends("rate(") || ends("increase(")));
        }
      }
    }
  }
}

TEST_CASE("the committed dashboards/ is what the templates give") {
  for (const auto& [uid, d] : repo().dashboards) {
    INFO(uid);
    fs::path file = kSource / "dashboards" / (uid + ".json");
    REQUIRE(fs::exists(file));
    CHECK(json::parse(slurp(file)) == d);
  }
}
