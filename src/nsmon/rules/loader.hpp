// The rule file loader's parts, declared once and defined by theme in rule_file.cpp (the
// document and its groups' fields), rule_loader_groups.cpp (a group and the rulers' own fields)
// and rule_loader_rules.cpp (a rule; disable comments, duplicates). Not part of the API:
// rule_file.hpp's load_rule_file is.
#pragma once

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <unordered_map>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/gotemplate/check.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/rules/disable.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/text/duration.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::rules::detail {

// A rule manifest whose CRD has fewer fields than Prometheus's rule files: its API server drops
// the others without a word. What an unknown field is in, and the fields a rule may have.
struct NarrowSchema {
  const char* group; ///< "a ... rule group (the API server drops it)"
  const char* rule;
  /// The fields a rule keeps; an alerts-only CRD's also lists record, whose rule alerts_only refuses
  /// as a whole (one finding, not also a dropped field).
  std::vector<std::string> rule_fields;
  /// For a CRD that requires alert: what a rule without one is (the object is refused), else null.
  const char* alerts_only = nullptr;
};
// Google Managed Prometheus' Rules, ClusterRules and GlobalRules (monitoring.googleapis.com/v1).
inline const NarrowSchema kGmp{"a Google Managed Prometheus rule group (the API server drops it)",
                               "a Google Managed Prometheus rule (the API server drops it)",
                               {"alert", "record", "expr", "for", "labels", "annotations"}};
// OpenShift's AlertingRule (monitoring.openshift.io/v1): alerting rules only, `alert` required
// (openshift/api monitoring/v1's CRD manifest, 0000_50_monitoring_01_alertingrules.crd.yaml at 2d8af88c).
inline const NarrowSchema kOpenShiftAlertingRule{
    "an OpenShift AlertingRule's rule group (the API server drops it)",
    "an OpenShift AlertingRule's rule (the API server drops it)",
    {"alert", "record", "expr", "for", "labels", "annotations"},
    "an OpenShift AlertingRule holds alerting rules only: its CRD requires "
    "alert, so the API server refuses the object (a recording rule belongs "
    "in a PrometheusRule)"};

class Loader {
public:
  Loader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags, const LoadOptions& options)
      : y_(src, diags), diags_(diags), options_(options) {}
  /// A loader of parts of the document `parsed` parsed, whose findings go to `diags`.
  Loader(const core::YamlReader& parsed, std::vector<core::Diagnostic>& diags, const LoadOptions& options)
      : y_(parsed, diags), diags_(diags), options_(options) {}

  RuleFile run();

  /// After run(): the document parsed and is no Kubernetes object (a plain rule file, as
  /// Prometheus reads it).
  bool plain() const { return plain_; }

  /// After run(): the byte ranges of the rule files a ConfigMap of the document holds in its data
  /// as literal block scalars (`alerts.yml: |`), whose lines stand in the file as they are.
  const std::vector<std::pair<std::size_t, std::size_t>>& embedded() const { return embedded_; }

private:
  static bool is_manifest(const yaml::Node& root) { return root.is_map() && (root["apiVersion"] || root["kind"]); }

  // Where the document keeps its groups, and documents that hold none (rule_loader_holders.cpp).
  bool not_rules(const yaml::Node& root);
  bool bare_list(const yaml::Node& root);

  /// A mapping that holds `groups`, and whose groups they are.
  struct Holder {
    yaml::Node node;
    bool vmrule = false;                  ///< a VMRule's spec (the VictoriaMetrics operator's)
    const NarrowSchema* narrow = nullptr; ///< a Google Managed Prometheus or OpenShift AlertingRule spec's
    bool crd = false;                     ///< a PrometheusRule's spec, or groups a chart makes one of (Group::crd)
    std::vector<std::string> scope;       ///< the labels its kind scopes its groups to (Group::scope)
    /// The name of the one group a chart makes of the node's `rules` list (read_chart_group);
    /// "" when the node holds `groups`.
    std::string chart_group;
  };
  std::vector<Holder> groups_holders(const yaml::Node& root);

  void manifest_holders(const yaml::Node& root, std::vector<Holder>& out);

  static std::vector<Holder> chart_rule_files(const yaml::Node& values);
  static Holder blackbox_rules(const yaml::Node& spec);

  std::string embedded_rules(const yaml::Node& root);

  core::Diagnostic& add(core::Span span, core::CheckId check, std::string msg, std::string group = {},
                        std::string rule = {});

  // A rule's content read through an alias (`- *r`, `labels: *l`) is placed at the alias, the
  // outermost one: what is said about it is said about the rule that uses it (an alias of a
  // scalar, `expr: *e`, places itself).
  core::Located text(const yaml::Node& n) { return y_.located(n, via_); }
  core::Span span(const yaml::Node& n) const { return y_.use_span(via_ ? via_ : n); }
  core::Span key_span(const yaml::Node& map, const std::string& key) const;

  core::Located empty_at(const yaml::Node& key);

  std::optional<core::Located> string_field(const yaml::Node& parent, const char* key, const std::string& group,
                                            const std::string& rule);

  std::optional<Duration> duration_field(const yaml::Node& parent, const char* key, const std::string& group,
                                         const std::string& rule);

  std::vector<KeyValue> pairs(const yaml::Node& parent, const char* key, const std::string& group,
                              const std::string& rule);

  void check_label_names(const std::vector<KeyValue>& kvs, bool annotations, const std::string& group,
                         const std::string& rule);

  void newest_vmalert_field(const yaml::Node& n, Group& g);

  std::optional<Group> read_group(const yaml::Node& n, std::vector<yaml::Node>& rules_out);
  std::optional<Group> read_chart_group(const yaml::Node& n, std::string name, std::vector<yaml::Node>& rules_out);

  void ruler_fields(const yaml::Node& n, Group& g, const std::string& gname);

  void vmalert_refuses(core::Span at, const std::string& why, const std::string& gname);

  std::optional<std::int64_t> vmalert_integer(const yaml::Node& n, const char* key);

  void vmalert_fields(const yaml::Node& n, Group& g, const std::string& gname);

  void newer_fields(const yaml::Node& n, Schema ruler, const std::string& gname);

  std::optional<Rule> read_rule_of(const yaml::Node& r, const std::string& group, Schema ruler);

  std::optional<core::Located> node_field(const yaml::Node& parent, const char* key, Rule& r, const std::string& group,
                                          const std::string& rule);

  std::optional<Rule> read_rule(const yaml::Node& n, const std::string& group, Schema ruler);

  void crd_types(const yaml::Node& n, bool rule, const std::string& group);

  void check_templates(std::vector<KeyValue>& kvs, const char* what, const std::string& group, const std::string& rule,
                       gotemplate::Dialect dialect);

  void assign_last_lines(RuleFile& file);

  void read_disable_comments(RuleFile& file);

  Rule* rule_for_comment(const std::vector<Rule*>& all, int line, bool whole_line);

  void check_duplicate_rules(const RuleFile& file);

  core::YamlReader y_;
  std::vector<core::Diagnostic>& diags_;
  const LoadOptions& options_;
  bool plain_ = false;
  bool vmrule_ = false;                    ///< the group being read is a VMRule's (Holder::vmrule)
  const NarrowSchema* narrow_ = nullptr;   ///< the group or rule being read is such a manifest's (Holder::narrow)
  bool crd_ = false;                       ///< the group or rule being read is a PrometheusRule's (Holder::crd)
  bool applied_ = false;                   ///< it is a manifest's or chart's: its aliases arrive resolved
  std::vector<std::string> other_objects_; ///< the kinds of the Kubernetes objects that hold no rules
  std::vector<std::pair<std::size_t, std::size_t>> embedded_; ///< see embedded()
  yaml::Node via_; ///< the alias the content being read is read through, if any
};

} // namespace nsmon::rules::detail
