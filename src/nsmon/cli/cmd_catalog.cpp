#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli {

namespace {

using json = nlohmann::ordered_json;
using catalog::Metric;

struct ListOptions {
  std::string stage;
  std::string format = "table";
  bool prometheus = false;
};

struct CatalogShowOptions {
  std::string name;
  std::string format = "text";
};

std::string label_summary(const catalog::Label& l) {
  std::string s = l.name;
  if (!l.values.empty()) s += "=" + util::join(l.values, "|");
  if (l.high_cardinality) s += "(high-cardinality)";
  return s;
}

json to_json(const Metric& m) {
  json labels = json::array();
  for (const auto& l : m.labels) {
    json jl = {{"name", l.name}, {"values", l.values}, {"high_cardinality", l.high_cardinality}};
    jl["help"] = l.help.empty() ? json(nullptr) : json(l.help);
    labels.push_back(jl);
  }
  json j = {{"name", m.name}, {"type", catalog::to_string(m.type)},
            {"unit", m.unit}, {"stage", m.stage},
            {"help", m.help}, {"labels", labels}};
  j["buckets"] = m.type == catalog::MetricType::histogram ? json(m.buckets) : json(nullptr);
  j["series"] = catalog::Catalog::wire_names(m);
  j["renamed_from"] = m.renamed_from;
  j["extension"] = m.extension.empty() ? json(nullptr) : json(m.extension);
  j["source"] = m.source;
  j["defined_at"] = {{"file", m.span.file.str()}, {"line", m.span.line}};
  return j;
}

int run_list(const ListOptions& o) {
  const auto& cat = load_catalog();
  static const std::vector<std::string> stages = {"training", "inference", "symbolic", "knowledge_graph",
                                                  "system",   "errors",    "app",      "prometheus"};
  if (!o.stage.empty() && std::find(stages.begin(), stages.end(), o.stage) == stages.end()) {
    std::string hint = util::did_you_mean(o.stage, stages);
    throw UsageError("unknown stage '" + o.stage + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                     "; stages: " + util::join(stages, ", "));
  }
  std::vector<const Metric*> shown;
  for (const auto* list : {&cat.metrics, &cat.prometheus_series})
    for (const auto& m : *list) {
      bool wanted = o.stage.empty() ? (!m.prometheus || o.prometheus) : m.stage == o.stage;
      if (wanted) shown.push_back(&m);
    }
  if (o.format == "json") {
    json arr = json::array();
    for (const auto* m : shown) arr.push_back(to_json(*m));
    std::cout << arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kOk;
  }
  std::vector<std::vector<std::string>> rows = {{"NAME", "TYPE", "UNIT", "STAGE", "LABELS"}};
  for (const auto* m : shown) {
    std::vector<std::string> labels;
    for (const auto& l : m->labels) labels.push_back(label_summary(l));
    rows.push_back({m->name, catalog::to_string(m->type), m->unit, m->stage, util::join(labels, " ")});
  }
  std::cout << util::render_table(rows);
  return kOk;
}

int run_catalog_show(const CatalogShowOptions& o) {
  const auto& cat = load_catalog();
  const Metric* m = cat.find(o.name);
  std::string note;
  if (!m) {
    if (auto ref = cat.resolve(o.name)) {
      m = ref->metric;
      note = o.name + " is a series of " + m->name;
    } else if (const Metric* r = cat.renamed_to(o.name)) {
      m = r;
      note = o.name + " was renamed to " + m->name;
    }
  }
  if (!m) {
    // `show` takes a metric (a family): suggest one, also for a misspelt series of it
    // (inference_time_second -> inference_time_seconds), else the metrics whose name holds what
    // was typed (inference_time).
    std::vector<std::string> families, holding;
    for (const auto& metric : cat.metrics) {
      families.push_back(metric.name);
      if (metric.name.find(o.name) != std::string::npos) holding.push_back(metric.name);
    }
    std::string hint = util::did_you_mean(o.name, families);
    if (hint.empty())
      if (auto ref = cat.resolve(util::did_you_mean(o.name, cat.all_series_names()))) hint = ref->metric->name;
    std::string message = "no metric '" + o.name + "' in the catalog";
    if (!hint.empty()) message += " (did you mean '" + hint + "'?)";
    else if (!holding.empty() && holding.size() <= 5)
      message += "; metrics whose name holds it: " + util::join(holding, ", ");
    else if (!holding.empty())
      message += "; " + std::to_string(holding.size()) + " metrics' names hold it (nsmon catalog list shows them)";
    print_error(message);
    return kFindings;
  }
  if (o.format == "json") {
    std::cout << to_json(*m).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    return kOk;
  }
  if (!note.empty()) std::cout << "(" << note << ")\n";
  std::cout << m->name << "\n";
  std::cout << "  type:    " << catalog::to_string(m->type) << "\n";
  std::cout << "  unit:    " << m->unit << "\n";
  std::cout << "  stage:   " << m->stage << "\n";
  std::cout << "  help:    " << m->help << "\n";
  std::cout << "  series:  " << util::join(catalog::Catalog::wire_names(*m), ", ") << "\n";
  if (!m->labels.empty()) {
    std::cout << "  labels:\n";
    for (const auto& l : m->labels) {
      std::cout << "    " << l.name;
      if (!l.values.empty()) std::cout << "  values: " << util::join(l.values, ", ");
      if (l.high_cardinality) std::cout << "  (high cardinality)";
      if (!l.help.empty()) std::cout << "  — " << l.help;
      std::cout << "\n";
    }
  }
  if (m->type == catalog::MetricType::histogram) {
    std::vector<std::string> b;
    for (double v : m->buckets) b.push_back(util::format_number(v));
    b.push_back("+Inf");
    std::cout << "  buckets: " << util::join(b, ", ") << "\n";
  }
  if (!m->renamed_from.empty()) std::cout << "  renamed from: " << util::join(m->renamed_from, ", ") << "\n";
  if (!m->extension.empty()) std::cout << "  extension: " << m->extension << "\n";
  if (!m->source.empty()) std::cout << "  source:  " << m->source << "\n";
  std::cout << "  defined: " << m->span.file.str() << ":" << m->span.line << "\n";
  return kOk;
}

} // namespace

Run define_catalog(CLI::App& cmd) {
  cmd.require_subcommand(1);

  auto lo = std::make_shared<ListOptions>();
  // Set before the subcommands, which take it over (CLI11): the codes of these commands alone.
  cmd.footer("\n" + exit_codes_help({kOk, kFindings, kUsage}));
  auto* list = cmd.add_subcommand("list", "List the catalog's metrics");
  list->add_option("--stage", lo->stage,
                   "Only metrics of this stage: training, inference, symbolic, knowledge_graph, system, errors, app, "
                   "prometheus");
  list->add_flag("--prometheus", lo->prometheus, "Also list the series Prometheus itself adds (up, ALERTS, ...)");
  list->add_option("--format", lo->format, "Output format")
      ->check(CLI::IsMember({"table", "json"}))
      ->default_str("table");

  auto so = std::make_shared<CatalogShowOptions>();
  auto* show = cmd.add_subcommand("show", "Show one metric: type, unit, labels, series on the wire, help, seed origin");
  show->add_option("NAME", so->name, "Metric name, a series name (h_bucket) or an old name")->required();
  show->add_option("--format", so->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");

  return [list, lo, so](const Context&) { return list->parsed() ? run_list(*lo) : run_catalog_show(*so); };
}

} // namespace nsmon::cli
