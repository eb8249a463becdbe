#pragma once
// rules/: rule files and prometheus.yml → typed model with positions and promtool's structural
// checks (a rule file's rules read on several threads, each with a `YamlReader` made from the one
// that parsed it, the findings put back in file order); the semantic checks of Prometheus's config
// loader, one file per section as Prometheus's config package splits them (`config_validate.cpp`:
// global, scrape fields, alerting, storage, tracing, otlp, runtime; `config_sd.cpp`: service
// discovery kinds as rule rows; `config_relabel.cpp`; `config_remote.cpp`: remote write/read;
// `config_types.cpp`: typed scalars); the rulers besides Prometheus that read its rule format with
// fields of their own (`rulers.hpp`: Thanos Ruler, Mimir, Loki's LogQL); alert templates checked
// with `gotemplate/`, the HTTP client sections with `httpconfig/`. Why httpconfig/ is a room of its
// own: alertmanager.yml's http_config is the same common/config HTTPClientConfig, and alertmanager/
// must not depend on rules/ for it.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/core/yaml.hpp"
#include "nsmon/gotemplate/check.hpp"
#include "nsmon/rules/rulers.hpp"

namespace nsmon::rules {

struct Duration {
  std::int64_t ms = 0;
  core::Span span;
};

struct KeyValue {
  core::Located key;
  core::Located value;
  /// The value as a Go template (alerting rules' labels and annotations only), kept only when it
  /// has actions or errors: most values are plain text.
  std::shared_ptr<const gotemplate::TemplateInfo> template_info;
  /// The template's info, empty when none was kept.
  const gotemplate::TemplateInfo& tmpl() const;
};

struct Rule {
  enum class Kind { alert, record };
  Kind kind = Kind::alert;
  core::Located name; ///< the alert or record name
  core::Located expr;
  std::optional<Duration> for_;
  std::optional<Duration> keep_firing_for;
  std::vector<KeyValue> labels;
  std::vector<KeyValue> annotations;
  core::Span span;                ///< the rule's list item
  int last_line = 0;              ///< last line of the rule in the file
  std::set<std::string> disabled; ///< check ids silenced by `# nsmon disable` comments
  /// alert, record or expr written as a YAML alias (`expr: *e`). rulefmt decodes them into
  /// yaml.Node fields, and yaml.v3 hands such a field the alias node itself, whose value is its
  /// name: Prometheus evaluates `e`, not the anchored text. The rule holds what Prometheus reads;
  /// lint-rules reports each. Only in rule files (a ConfigMap's too): a PrometheusRule's, VMRule's
  /// or chart's aliases are resolved before any ruler sees them (kubectl, kustomize and Helm
  /// decode the YAML into JSON), and their rules hold the anchored text.
  struct AliasedField {
    std::string field; ///< "alert", "record" or "expr"
    core::Span at;     ///< the alias
    int anchor_line = 0;
  };
  std::vector<AliasedField> aliased;
  /// Fields written under a misspelt key (`annotation:` for annotations), reported as
  /// yaml/unknown-field: what is missing because of it is that finding's to say, not another's.
  std::set<std::string> misspelt;
  bool is_alert() const { return kind == Kind::alert; }
};

struct Group {
  core::Located name;
  std::optional<Duration> interval;
  std::optional<Duration> query_offset;
  std::optional<std::int64_t> limit;
  std::vector<KeyValue> labels;
  std::vector<Rule> rules;
  /// The labels the ruler adds to every selector as an equality matcher and to every rule's
  /// result, with values of its own: Google Cloud Managed Service for Prometheus scopes a
  /// ClusterRules manifest to project_id, location and cluster, a Rules manifest to its
  /// namespace too (its operator's scope(), rules_config.go). Empty for every other ruler.
  std::vector<std::string> scope;
  /// A PrometheusRule's group (or a chart's that it makes one of): the Kubernetes API server
  /// checks its values against the CRD's types, as a client's yaml.v2 reads them (YAML 1.1), and
  /// the loader reports what it refuses (rules/crd-type).
  bool crd = false;
  core::Span span;
  /// The ruler that reads the group (rulers.hpp): --rule-schema's, or under `auto` the one whose
  /// field the group has (a Thanos Ruler's group reads every series through the querier);
  /// `automatic` when nothing says.
  Schema ruler = Schema::automatic;
  /// Under `auto`: the first field of the group that only `ruler` reads (empty when none), or
  /// else of one of its rules (`ruler_field_on_rule`).
  core::Located ruler_field;
  bool ruler_field_on_rule = false;
  /// A vmalert group's field (or its rules') that the newest vmalert release added, and that
  /// release's minor number (rulers.hpp vmalert_minor_since): older vmalerts refuse the file.
  core::Located newest_vmalert_field;
  int newest_vmalert_minor = 0;
  /// vmalert's `type`: the language of the group's expressions (prometheus, which is MetricsQL,
  /// graphite or vlogs); empty when the group does not say.
  core::Located type;
};

/// The YAML documents after the first of a plain rule file. Prometheus decodes a rule file once
/// (rulefmt.Parse, yaml.v3's Decode): it loads the first document's groups and never reads the
/// rest. nsmon reads them all; lint-rules says what Prometheus leaves out.
struct LaterDocuments {
  core::Span at;             ///< where the second document starts (its `---` line)
  std::size_t documents = 0; ///< the documents from the second on
  std::size_t groups = 0;    ///< the groups read from them
  std::size_t rules = 0;     ///< and their rules
};

struct RuleFile {
  std::string path;
  const core::SourceFile* source = nullptr; ///< the text it was read from (must outlive the RuleFile)
  std::vector<Group> groups;
  std::set<std::string> disabled; ///< silenced for the whole file (comments before any content)
  /// A plain rule file of several documents (Kubernetes manifests are not: each PrometheusRule is
  /// its own object; nor is vmalert's file, as vmalert reads every document); its groups include
  /// theirs.
  std::optional<LaterDocuments> later_documents;
  /// The kinds of the file's Kubernetes objects that hold no rules (Deployment, ConfigMap, ...).
  std::vector<std::string> other_objects;
};

/// Reads a Prometheus rule file with promtool's structural checks (strict fields, types, required
/// fields, alert xor record, names, durations, recording-rule constraints, duplicate groups and rules).
/// Also reads the groups of PrometheusRule, VMRule, OpenShift AlertingRule and Google Managed Prometheus manifests
/// (spec.groups), the rule file a ConfigMap holds in its data as a literal block, the rule groups
/// of kube-prometheus-stack's, victoria-metrics-k8s-stack's and the prometheus chart's Helm values
/// (a values file or a Flux HelmRelease), the items of a `kind: List`, and files of several
/// documents (each document checked alone; other Kubernetes objects skipped and named in
/// `other_objects`; a plain rule file's later documents are read too, and recorded in
/// `later_documents`). Every position is the file's own.
/// Another ruler's group fields are read as `options.schema` says (rulers.hpp): under `auto`, one
/// rules/other-ruler info per ruler and file says Prometheus refuses the file.
/// Findings are appended to `diags`; whatever could be read is returned.
struct LoadOptions {
  Schema schema = Schema::automatic;
};
RuleFile load_rule_file(const core::SourceFile& src, std::vector<core::Diagnostic>& diags,
                        const LoadOptions& options = {});

} // namespace nsmon::rules
