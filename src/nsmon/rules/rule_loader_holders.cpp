// Where a document keeps its rule groups: a plain rule file's `groups`, a Kubernetes manifest's
// spec (PrometheusRule, VMRule, Google's Rules), a Helm chart's values or a ConfigMap that embeds a
// rule file, or Blackbox's; and the documents that hold none, said as such (a bare list of rules,
// another kind of file).
#include <algorithm>
#include <string>
#include <vector>

#include "nsmon/core/yaml.hpp"
#include "nsmon/rules/loader.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

// A file that is a list of rules, or of groups, with no `groups:` above it: projects ship such
// lists as snippets to paste into a group (Flower's example alerts). Prometheus decodes a rule
// file into rulefmt.RuleGroups, a mapping, and refuses it ("cannot unmarshal !!seq into
// rulefmt.RuleGroups"), so none of its rules runs; nor does lint-rules read them. Said with what
// the list holds, as "must be a mapping" does not tell why. Whether it reported.
bool Loader::bare_list(const yaml::Node& root) {
  std::size_t rules = 0, groups = 0, items = 0;
  for (const auto& item : root) {
    ++items;
    if (!item.is_map()) continue;
    if (item["alert"] || item["record"]) ++rules;
    else if (item["name"] && item["rules"]) ++groups;
  }
  if (items == 0 || (rules != items && groups != items)) return false;
  const bool of_rules = rules == items;
  auto n = [](std::size_t k, const char* what) { return std::to_string(k) + " " + what + (k == 1 ? "" : "s"); };
  y_.report(root, "yaml/type",
            "the file is a bare list of " + (of_rules ? n(rules, "rule") : n(groups, "rule group")) +
                ", not a mapping with groups: Prometheus refuses it (cannot unmarshal !!seq into "
                "rulefmt.RuleGroups), so none of its rules is loaded; lint-rules reads none of them either",
            of_rules ? "put the list in a group: groups:, then - name: NAME and rules: above it, indented"
                     : "put groups: above the list, indented");
  return true;
}

// A mapping of several keys, none a rule file's: another tool's YAML (a Helm chart's values.yaml,
// a docker-compose file) that a directory walk met, not a misspelt rule file. One finding
// instead of one per key (kube-prometheus-stack's values.yaml has 33). Whether it reported.
bool Loader::not_rules(const yaml::Node& root) {
  if (root.is_sequence()) return bare_list(root);
  if (!root.is_map() || root["groups"] || root["namespace"]) return false;
  // The other files of a monitoring repository, each named with the command that reads it.
  const char* what = nullptr;
  const char* fix = nullptr;
  if (root["tests"] && (root["rule_files"] || root["evaluation_interval"]))
    what = "a rule test file (tests:)",
    fix = "run it with nsmon test-rules (or promtool test rules), and lint the rule files it names";
  else if (root["scrape_configs"] || root["rule_files"])
    what = "a Prometheus configuration (scrape_configs:, rule_files:)",
    fix = "pass it as nsmon lint-rules --config FILE, which lints the rule files it names";
  else if (root["route"] && root["receivers"])
    what = "an Alertmanager configuration (route:, receivers:)", fix = "lint it with nsmon lint-alertmanager FILE";
  if (what) {
    y_.report(root.begin()->first, "yaml/unknown-field",
              std::string("the file is ") + what + ", not a rule file; Prometheus refuses it as one", fix);
    return true;
  }
  std::vector<std::string> keys;
  for (const auto& kv : root)
    if (kv.first.is_scalar()) keys.emplace_back(kv.first.scalar());
  constexpr std::size_t kNamed = 4;
  if (keys.size() < 3) return false;
  std::string named =
      util::join(std::vector<std::string>(keys.begin(), keys.begin() + std::min(kNamed, keys.size())), ", ");
  if (keys.size() > kNamed) named += ", ...";
  y_.report(root.begin()->first, "yaml/unknown-field",
            "the file is no rule file: no groups:, and none of its " + std::to_string(keys.size()) +
                " top-level fields (" + named + ") is a rule file's; Prometheus refuses it",
            "pass only rule files (a directory is read whole: its other YAML files too)");
  return true;
}

// A ConfigMap's data values that hold a rule file (a Prometheus mounts it as one). A literal
// block scalar (`alerts.yml: |`) stands in the file line for line: its lines are read as the rule
// file they are, every position the file's own (embedded_). Any other (quoted, folded, an alias,
// an explicit indentation, several documents) is text whose lines are not the rule file's: named,
// not read, in what a run that read no rule says (" with rule groups in data.alerts.yml, not
// linted").
std::string Loader::embedded_rules(const yaml::Node& root) {
  auto data = root["data"];
  if (!data || !data.is_map()) return "";
  const std::string_view text = y_.source().text();
  std::string unread;
  for (auto it = data.begin(); it != data.end(); ++it) {
    const yaml::Node& value = it->second;
    if (!it->first.is_scalar() || !value.is_scalar()) continue;
    const std::string_view v = value.scalar();
    if (!util::starts_with(v, "groups:") && v.find("\ngroups:") == std::string_view::npos) continue;
    const core::Located at = y_.located(value);
    const auto pos = static_cast<std::size_t>(std::max(0, value.mark().pos));
    const std::size_t header_end = std::min(text.find('\n', pos), text.size());
    const std::string_view header = text.substr(pos, header_end - pos); // "|-", "|2", "| # rules"
    const std::string_view indicator = header.substr(0, header.find_first_of(" \t#"));
    // A rule file of several documents (Prometheus reads the first) has its `---` indented here,
    // where it is no document marker: read alone, the block would be another YAML.
    const bool as_written = value.style() == yaml::ScalarStyle::literal && !at.anchor_line &&
                            indicator.find_first_of("123456789") == std::string_view::npos &&
                            core::document_ranges(v).size() <= 1;
    if (!as_written) {
      if (unread.empty()) unread = " with rule groups in data." + std::string(it->first.scalar()) + ", not linted";
      continue;
    }
    const std::size_t last = at.file_offset(v.size() - 1);
    embedded_.emplace_back(std::min(header_end + 1, text.size()), std::min(text.find('\n', last), text.size()));
  }
  return unread;
}

// The rule files of a Helm chart's values (a values.yaml, or a Flux HelmRelease's spec.values) that
// the chart writes out unchanged (toYaml, no tpl): kube-prometheus-stack makes a PrometheusRule of
// each additionalPrometheusRulesMap entry's groups (or, when that map is not given, of each
// additionalPrometheusRules entry's), victoria-metrics-k8s-stack a VMRule of each
// additionalVictoriaMetricsMap entry's; the prometheus chart writes each serverFiles entry as a
// file (alerting_rules.yml, recording_rules.yml) its Prometheus loads, and openstack-helm's
// prometheus chart each conf.prometheus.rules entry.
std::vector<Loader::Holder> Loader::chart_rule_files(const yaml::Node& values) {
  std::vector<Holder> out;
  if (!values || !values.is_map()) return out;
  // kube-prometheus-stack's groups become a PrometheusRule: Helm reads the values with yaml.v2
  // and writes them out with toYaml, so a boolean among them stays one (Group::crd).
  auto take = [&](const yaml::Node& entry, bool vmrule, bool crd) {
    if (entry.is_map() && entry["groups"]) out.push_back(Holder{entry, vmrule, nullptr, crd});
  };
  if (auto map = values["additionalPrometheusRulesMap"]; map && map.is_map())
    for (const auto& kv : map) take(kv.second, false, true);
  else if (auto list = values["additionalPrometheusRules"]; list && list.is_sequence())
    for (const auto& entry : list) take(entry, false, true);
  if (auto map = values["additionalVictoriaMetricsMap"]; map && map.is_map())
    for (const auto& kv : map) take(kv.second, true, false);
  if (auto files = values["serverFiles"]; files && files.is_map())
    for (const auto& kv : files) take(kv.second, false, false);
  // openstack-helm's prometheus chart writes each conf.prometheus.rules entry out (toYaml) as the
  // rule file `<key>.rules` its Prometheus loads.
  if (auto conf = values["conf"]; conf && conf.is_map())
    if (auto prometheus = conf["prometheus"]; prometheus && prometheus.is_map())
      if (auto files = prometheus["rules"]; files && files.is_map())
        for (const auto& kv : files) take(kv.second, false, false);
  return out;
}

// A Flux HelmRelease of prometheus-community's prometheus-blackbox-exporter chart (spec.chart's
// chart, or the name of the source spec.chartRef names, says blackbox-exporter): with
// prometheusRule.enabled, its template writes prometheusRule.rules out with toYaml as the rules of
// one group named after the chart (templates/prometheusrule.yaml). A holder without a node when not.
Loader::Holder Loader::blackbox_rules(const yaml::Node& spec) {
  auto chart = spec["chart"] && spec["chart"].is_map() && spec["chart"]["spec"].is_map()
                   ? spec["chart"]["spec"]["chart"]
               : spec["chartRef"] && spec["chartRef"].is_map() ? spec["chartRef"]["name"]
                                                               : yaml::Node();
  auto values = spec["values"];
  if (!chart || !chart.is_scalar() || chart.scalar().find("blackbox-exporter") == std::string_view::npos || !values ||
      !values.is_map())
    return {};
  auto rule = values["prometheusRule"];
  if (!rule || !rule.is_map() || !rule["enabled"] || !rule["enabled"].is_scalar() ||
      rule["enabled"].scalar() != "true" || !rule["rules"] || !rule["rules"].is_sequence())
    return {};
  return Holder{rule, false, nullptr, true, {}, "prometheus-blackbox-exporter"};
}

// The mappings that hold `groups`: the root of a rule file, the spec of a PrometheusRule manifest
// (monitoring.coreos.com/v1, as the Prometheus Operator reads it, or monitoring.rhobs/v1, as Red
// Hat's Observability Operator, its fork, reads the same spec), or the rule files of a chart's
// values (chart_rule_files). Other Kubernetes objects (a file of several documents often has
// Services and ConfigMaps too) hold no rules.
std::vector<Loader::Holder> Loader::groups_holders(const yaml::Node& root) {
  if (!is_manifest(root)) {
    if (root.is_map() && !root["groups"] && !root["namespace"])
      if (auto held = chart_rule_files(root); !held.empty()) {
        plain_ = false;
        return held;
      }
    // mimirtool's, cortextool's and lokitool's rule files name the ruler's namespace at the top;
    // Prometheus and Thanos Ruler refuse the field.
    const Schema schema = options_.schema;
    const bool namespaced = schema == Schema::automatic || schema == Schema::mimir || schema == Schema::loki;
    if (not_rules(root)) return {};
    if (!y_.check_mapping(
            root, namespaced ? std::vector<std::string>{"groups", "namespace"} : std::vector<std::string>{"groups"},
            "a rule file"))
      return {};
    if (auto ns = root["namespace"]; namespaced && ns) {
      if (!ns.is_scalar()) y_.report(ns, "yaml/type", "'namespace' must be a string");
      else if (schema == Schema::automatic)
        add(key_span(root, "namespace"), "rules/other-ruler",
            "'namespace' is a field of mimirtool's, cortextool's and lokitool's rule files: the file is read as "
            "they read it; Prometheus and promtool refuse this file (field namespace not found in type "
            "rulefmt.RuleGroups)")
            .suggestion = "--rule-schema mimir or loki says the file is for those tools (no note); --rule-schema "
                          "prometheus makes the field an error";
    }
    return {Holder{root}};
  }
  // `kubectl get prometheusrules -o yaml` writes a List, and so does kube-prometheus-stack's
  // template of its additional rules: its items are the objects (a List in a List is not read).
  std::vector<Holder> out;
  if (auto kind = root["kind"]; kind && kind.is_scalar() && kind.scalar() == "List") {
    if (auto items = root["items"]; items && items.is_sequence())
      for (const auto& item : items)
        if (is_manifest(item) && !(item["kind"].is_scalar() && item["kind"].scalar() == "List"))
          manifest_holders(item, out);
    return out;
  }
  manifest_holders(root, out);
  return out;
}

// The holders of one Kubernetes object, appended to `out`.
void Loader::manifest_holders(const yaml::Node& root, std::vector<Holder>& out) {
  auto kind = root["kind"];
  const std::string kind_name = kind && kind.is_scalar() ? std::string(kind.scalar()) : std::string();
  auto api = root["apiVersion"];
  auto api_is = [&](std::string_view prefix) {
    return api && api.is_scalar() && util::starts_with(api.scalar(), prefix);
  };
  // The VictoriaMetrics operator's VMRule holds vmalert's groups in spec.groups (its RuleGroup is
  // vmalert's group plus `tenant`, which it strips before vmalert's own validation).
  const bool vmrule = kind_name == "VMRule";
  // Google Cloud Managed Service for Prometheus (monitoring.googleapis.com/v1) holds Prometheus's
  // groups in the spec of Rules (one namespace's data), ClusterRules and GlobalRules: only name,
  // interval and rules, whose rules have no keep_firing_for (its CRDs' schema; the API server
  // prunes any other field).
  const bool gmp = (kind_name == "Rules" || kind_name == "ClusterRules" || kind_name == "GlobalRules") &&
                   api_is("monitoring.googleapis.com/");
  // OpenShift's AlertingRule holds Prometheus's groups of alerting rules in spec.groups, whose rules
  // have no record and no keep_firing_for; the cluster monitoring operator makes a PrometheusRule of it.
  const bool openshift = kind_name == "AlertingRule" && api_is("monitoring.openshift.io/");
  const NarrowSchema* narrow = gmp ? &kGmp : openshift ? &kOpenShiftAlertingRule : nullptr;
  if (kind_name == "HelmRelease" && api_is("helm.toolkit.fluxcd.io/"))
    if (auto spec = root["spec"]; spec && spec.is_map()) {
      if (auto held = chart_rule_files(spec["values"]); !held.empty()) {
        out.insert(out.end(), held.begin(), held.end());
        return;
      }
      if (auto held = blackbox_rules(spec); held.node) {
        out.push_back(std::move(held));
        return;
      }
    }
  // Objects that carry others to apply: an OpenShift Template's objects (oc process makes them),
  // Hive's SelectorSyncSet's and SyncSet's spec.resources (synced to the clusters it selects).
  // openshift/managed-cluster-config ships its PrometheusRules in both, one inside the other.
  yaml::Node carried;
  if (kind_name == "Template" && (api_is("template.openshift.io/") || api_is("v1"))) carried = root["objects"];
  else if ((kind_name == "SelectorSyncSet" || kind_name == "SyncSet") && api_is("hive.openshift.io/"))
    if (auto spec = root["spec"]; spec && spec.is_map()) carried = spec["resources"];
  if (carried && carried.is_sequence()) {
    for (const auto& item : carried)
      if (is_manifest(item)) manifest_holders(item, out);
    return;
  }
  if (!vmrule && !narrow && kind_name != "PrometheusRule") {
    const std::size_t embedded = embedded_.size();
    const std::string unread = kind_name == "ConfigMap" ? embedded_rules(root) : "";
    if (!kind_name.empty() && (embedded_.size() == embedded || !unread.empty()))
      other_objects_.push_back(kind_name + unread);
    return;
  }
  const std::string what = vmrule      ? "a VMRule"
                           : gmp       ? "a " + kind_name + " manifest"
                           : openshift ? "an OpenShift AlertingRule"
                                       : "a PrometheusRule";
  // `$schema` names the schema a manifest's own tooling checks it against and strips before it
  // applies it: every resource file of Red Hat's app-interface has one (rhobs/configuration's
  // PrometheusRules). It says nothing about the rules.
  if (!y_.check_mapping(root,
                        narrow ? std::vector<std::string>{"apiVersion", "kind", "metadata", "spec", "status", "$schema"}
                               : std::vector<std::string>{"apiVersion", "kind", "metadata", "spec", "$schema"},
                        what))
    return;
  if (vmrule && !api_is("operator.victoriametrics.com/"))
    y_.report(api ? api : kind, "rules/missing-field", "a VMRule's apiVersion is operator.victoriametrics.com/v1beta1");
  if (kind_name == "PrometheusRule" && !api_is("monitoring.coreos.com/") && !api_is("monitoring.rhobs/"))
    y_.report(api ? api : kind, "rules/missing-field",
              "a PrometheusRule's apiVersion is monitoring.coreos.com/v1 (monitoring.rhobs/v1 for the Observability "
              "Operator)");
  auto spec = root["spec"];
  if (!spec || spec.is_null()) return;
  if (!y_.check_mapping(spec, {"groups"}, what + "'s spec")) return;
  Holder& held = out.emplace_back(Holder{spec, vmrule, narrow, kind_name == "PrometheusRule"});
  if (gmp && kind_name != "GlobalRules") held.scope = {"project_id", "location", "cluster"};
  if (gmp && kind_name == "Rules") held.scope.emplace_back("namespace");
}

} // namespace nsmon::rules::detail
