// What an expression means (lint::Inference): which labels its result carries, with which values,
// whether it can be empty or NaN, through every operator. Each class of bug has a case that must
// report it, at its position, and a correct twin that must not.
#include <catch2/catch.hpp>

#include "nsmon/lint/lint.hpp"

using namespace nsmon;

namespace {

struct Case {
  const char* name;
  std::string rules;                 ///< a whole rule file
  std::vector<std::string> expected; ///< "check line:col", in report order
  const char* config = nullptr;      ///< prometheus.yml, when the case needs one
  bool no_catalog = false;           ///< --catalog none
  bool severity = false;             ///< "check line:col severity"
};

// Global 15s; the application's job every minute; node every 15s.
const char* kConfig = R"(global: {scrape_interval: 15s, evaluation_interval: 15s}
alerting:
  alertmanagers: [{static_configs: [{targets: ['localhost:9093']}]}]
scrape_configs:
  - job_name: neurosymbolic-app
    scrape_interval: 1m
    static_configs: [{targets: ['localhost:8000']}]
  - job_name: node
    static_configs: [{targets: ['localhost:9100']}]
)";

// One alert A with `expr` (single-quoted YAML) and an annotation `summary`; the expression starts
// at line 5, column 11; the summary's text at line 6, column 30.
std::string alert(const std::string& expr, const std::string& summary = "s") {
  return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n    annotations: {summary: '" +
         summary + "'}\n";
}

// The findings of the checks under test: the catalog's and the policy's are left out (the cases
// use other exporters' names, and no severity label).
std::vector<std::string> lint(const Case& c) {
  core::SourceFile rules_src("r.yml", c.rules);
  core::SourceFile cfg_src("p.yml", c.config ? c.config : "");
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  in.rule_files.push_back(rules::load_rule_file(rules_src, diags));
  if (c.config) in.config = rules::load_config(cfg_src, diags);
  lint::Options opt;
  opt.catalog = c.no_catalog ? &catalog::none() : &catalog::embedded();
  lint::drop_disjoint_duplicates(diags, in, opt); // as lint-rules does with the loader's findings
  auto found = lint::run(in, opt);
  diags.insert(diags.end(), found.begin(), found.end());
  core::sort_diagnostics(diags);
  std::vector<std::string> out;
  for (const auto& d : diags) {
    std::string id(d.check.id());
    if (id.rfind("policy/", 0) == 0 || id.rfind("catalog/", 0) == 0) continue;
    out.push_back(id + " " + std::to_string(d.span.line) + ":" + std::to_string(d.span.col) +
                  (c.severity ? std::string(" ") + core::to_string(d.severity) : ""));
  }
  return out;
}

void run_cases(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    INFO(c.name << "\n" << c.rules);
    CHECK(lint(c) == c.expected);
  }
}

using V = std::vector<std::string>;

} // namespace

TEST_CASE("label flow: a template reads a label the result cannot carry", "[lint][label-flow]") {
  run_cases({
      {"without (job)", alert("sum without (job) (foo) > 0", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      {"without (job), twin", alert("sum without (pod) (foo) > 0", "{{ $labels.job }}"), V{}},
      {"on (instance) keeps only instance", alert("a / on (instance) b > 1", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      {"on (instance), twin", alert("a / on (instance, job) b > 1", "{{ $labels.job }}"), V{}},
      {"ignoring (job) removes job", alert("x * ignoring (job) y > 1", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      {"ignoring (job), twin", alert("x * ignoring (job) y > 1", "{{ $labels.instance }}"), V{}},
      {"one side of or lacks the label", alert("foo > 1 or sum(bar) > 2", "{{ $labels.instance }}"),
       V{"labels/template-label-lost 6:40"}},
      {"both sides of or have it", alert("foo > 1 or sum by (instance) (bar) > 2", "{{ $labels.instance }}"), V{}},
      {"a group_left label dropped by a later on ()",
       alert("(a * on (instance) group_left (node) b) / on (instance) c > 1", "{{ $labels.node }}"),
       V{"labels/copied-label-dropped 5:12", "labels/template-label-lost 6:40"}},
      {"a group_left label kept", alert("(a * on (instance) group_left (node) b) > 1", "{{ $labels.node }}"), V{}},
  });
}

// A template's dot inside {{range}} and {{with}} is the element (a query's sample), not the alert.
TEST_CASE("label flow: a template reads a query's labels, not the alert's", "[lint][label-flow]") {
  run_cases({
      {"the alert's label, gone", alert("sum(foo) > 1", "{{ .Labels.host }}"), V{"labels/template-label-lost 6:40"}},
      {"a query's sample in range",
       alert("sum(foo) > 1", "{{ range query \"up\" }}{{ .Labels.host }}{{ .Value }}{{ end }}"), V{}},
      // with binds the dot to the query's result, a list: .Labels of it fails the expansion (proofs/
      // template-types.test.yml), but no label of the alert is read.
      {"a query's result in with", alert("sum(foo) > 1", "{{ with query \"up\" }}{{ .Labels.host }}{{ end }}"),
       V{"rules/template 6:60"}},
      {"the alert's label in a range, through $labels",
       alert("sum(foo) > 1", "{{ range query \"up\" }}{{ $labels.host }}{{ end }}"),
       V{"labels/template-label-lost 6:62"}},
  });
}

// A side of `or` that the comparison after it always removes brings no series, so no label is lost.
TEST_CASE("label flow: a fallback that a later comparison removes", "[lint][label-flow]") {
  run_cases({
      {"or vector(0) before > 0", alert("(sum by (job) (foo) or vector(0)) > 0", "{{ $labels.job }}"), V{}},
      {"or vector(1) before > 0", alert("(sum by (job) (foo) or vector(1)) > 0", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      {"or 0 * absent(x) before >= 4",
       alert("(count by (job) (foo == 0) or 0 * absent(foo)) >= 4", "{{ $labels.job }}"), V{}},
      {"or 0 * absent(x) before < 4", alert("(count by (job) (foo == 0) or 0 * absent(foo)) < 4", "{{ $labels.job }}"),
       V{"alerts/absent-without-for 4:12", "labels/template-label-lost 6:40"}},
      {"a chain of or, the middle side removed",
       alert("4 <= (sum by (job) (a) or vector(0) or sum by (job) (b))", "{{ $labels.job }}"), V{}},
      // pint's alerts_template bug-049: a side of open labels or vector(0), which == 0 lets through
      // (tests/data/pint-cases/proofs/or-side-without-label.test.yml).
      {"an open side or vector(0) before == 0", alert("(foo or on () vector(0)) == 0", "{{ $labels.colo }}"),
       V{"labels/template-label-lost 6:40"}},
      {"an open side or vector(0) before > 0", alert("(foo or on () vector(0)) > 0", "{{ $labels.colo }}"), V{}},
      {"two open sides", alert("foo == 0 or bar == 0", "{{ $labels.colo }}"), V{}},
      // A comparison binds tighter than or: the fallback is (vector(0) > 0), which is always empty
      // (proofs/info-conditions.test.yml).
      {"or vector(0) > 0 unparenthesised", alert("sum by (job) (foo) > 1 or vector(0) > 0", "{{ $labels.job }}"), V{}},
      {"an open side and a sum without the label", alert("foo > 1 or sum(bar) > 1", "{{ $labels.colo }}"),
       V{"labels/template-label-lost 6:40"}},
      // The fallback's value through a function that maps one number to one (clamp_min(0, 0) is
      // 0, which > 1 removes; proofs/fallback-through-functions.test.yml).
      {"or vector(0) through clamp_min before > 1",
       alert("clamp_min(sum by (job) (foo) or vector(0), 0) > 1", "{{ $labels.job }}"), V{}},
      {"or vector(0) through abs before > 1", alert("abs(sum by (job) (foo) or vector(0)) > 1", "{{ $labels.job }}"),
       V{}},
      {"or vector(3) through clamp_max(..., 5) before > 1",
       alert("clamp_max(sum by (job) (foo) or vector(3), 5) > 1", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      {"or vector(-3) through abs before > 1", alert("abs(sum by (job) (foo) or vector(-3)) > 1", "{{ $labels.job }}"),
       V{"labels/template-label-lost 6:40"}},
      // A fallback the divisor can never meet (every series of it has job) is not in the result, nor
      // are the other labels it lacks (wikimedia operations-alerts c0fc5e4^: $labels.site).
      {"a fallback no match meets, its other labels",
       alert("(sum by (job, site) (rate(a{job=\"x\"}[5m])) or on () vector(0)) / sum by (job, site) "
             "(rate(b{job=\"x\"}[5m])) > 0.02",
             "{{ $labels.site }}"),
       V{"labels/impossible-match 5:12"}},
      {"a fallback the divisor may meet",
       alert("(sum by (site) (rate(a[5m])) or on () vector(0)) / sum by (site) "
             "(rate(b[5m])) > 0.02",
             "{{ $labels.site }}"),
       V{"labels/template-label-lost 6:40"}},
  });
}

// Several rules may record one name, each with its own labels (ScyllaDB's by: instance, by:
// cluster): a label one of them keeps may be there. A rule may also add series to a scraped
// metric's name (it reads the name it writes): the name is not the rule's alone.
TEST_CASE("label flow: names recorded by several rules, or scraped too", "[lint][label-flow]") {
  const std::string by = "groups:\n- name: g\n  rules:\n"
                         "  - record: x:lat:p95\n    expr: sum by (instance) (x)\n    labels: {by: instance}\n"
                         "  - record: x:lat:p95\n    expr: sum(x)\n    labels: {by: cluster}\n";
  const std::string none = "groups:\n- name: g\n  rules:\n"
                           "  - record: x:lat:p95\n    expr: sum by (dc) (x)\n    labels: {by: dc}\n"
                           "  - record: x:lat:p95\n    expr: sum(x)\n    labels: {by: cluster}\n";
  auto alert_on = [](const std::string& expr, const std::string& summary) {
    return "  - alert: A\n    expr: '" + expr + "'\n    annotations: {summary: '" + summary + "'}\n";
  };
  const std::string vpa =
      "groups:\n- name: g\n  rules:\n"
      "  - record: foo\n    expr: label_replace(sum by (pod) (foo{job=\"a\"}), \"job\", \"vpa\", \"\", \"\")\n"
      "  - record: pod:foo:sum\n    expr: sum by (pod) (foo)\n";
  run_cases({
      {"the rule that keeps instance", by + alert_on("x:lat:p95{by=\"instance\"} > 1", "{{ $labels.instance }}"), V{}},
      {"rules that keep none", none + alert_on("x:lat:p95{by=\"dc\"} > 1", "{{ $labels.instance }}"),
       V{"labels/template-label-lost 12:40"}},
      {"a scraped name a rule adds to", vpa + alert_on("sum by (container) (foo) > 1", "s"),
       V{"rules/record-naming 4:13"}},
      {"a name only a rule writes", vpa + alert_on("sum by (container) (pod:foo:sum) > 1", "s"),
       V{"rules/record-naming 4:13", "labels/removed-label 9:12"}},
  });
}

// A regex that lists values (job=~"api|web") gives a recording rule's series those values only:
// a selector of its output that wants another selects nothing
// (tests/data/pint-cases/proofs/recorded-regex-values.test.yml).
TEST_CASE("label flow: a recorded label's values listed by a regex", "[lint][label-flow]") {
  auto rules = [](const std::string& matcher, const std::string& read) {
    return "groups:\n- name: g\n  rules:\n  - record: job:requests:rate5m\n"
           "    expr: 'sum by (job) (rate(requests_total{job=~\"" +
           matcher + "\"}[5m]))'\n  - alert: A\n    expr: 'job:requests:rate5m{" + read + "} > 1'\n";
  };
  run_cases({
      {"another value", rules("api|web", "job=\"db\""), V{"promql/impossible 7:12"}},
      {"a regex of other values", rules("(api|web)", "job=~\"db|cache\""), V{"promql/impossible 7:12"}},
      {"a listed value", rules("api|web", "job=\"web\""), V{}},
      {"a regex sharing a value", rules("api|web", "job=~\"db|web\""), V{}},
      {"an escaped dot", rules("prod\\\\.eu|dev", "job=\"prod.eu\""), V{}},
      {"a list with the empty value", rules("api|", "job=\"db\""), V{}},
      {"a pattern, not a list", rules("api.*", "job=\"db\""), V{}},
  });
}

// A series recorded by the rules of another directory may reach the alert's Prometheus by
// federation (Gardener: a cache Prometheus records, the garden's reads with the seed label).
TEST_CASE("label flow: a series recorded in another directory", "[lint][label-flow]") {
  auto lint_two = [](const char* recording_path, const char* alert_path) {
    core::SourceFile rec(recording_path, "groups:\n- name: r\n  rules:\n"
                                         "  - record: ns:restarts:max\n    expr: max by (namespace) (restarts)\n");
    core::SourceFile alert(alert_path,
                           "groups:\n- name: a\n  rules:\n  - alert: A\n"
                           "    expr: ns:restarts:max > 5\n    annotations: {summary: '{{ $labels.seed }}'}\n");
    std::vector<core::Diagnostic> diags;
    lint::Input in;
    in.rule_files.push_back(rules::load_rule_file(rec, diags));
    in.rule_files.push_back(rules::load_rule_file(alert, diags));
    lint::Options opt;
    opt.catalog = &catalog::embedded();
    std::vector<std::string> out;
    for (const auto& d : lint::run(in, opt))
      if (d.check.id() == "labels/template-label-lost") out.push_back(d.span.file.str());
    return out;
  };
  CHECK(lint_two("rules/recording.yml", "rules/alerts.yml") == V{"rules/alerts.yml"});
  CHECK(lint_two("r.yml", "a.yml") == V{"a.yml"});
  CHECK(lint_two("cache/recording.yml", "garden/alerts.yml").empty());
  // Nor what a rule of the reading directory records from it (rhobs' telemeter rules: by (_id) of
  // series OpenShift clusters record and send with _id).
  auto lint_chain = [](const char* recording_path, const char* chain_path) {
    core::SourceFile rec(recording_path, "groups:\n- name: r\n  rules:\n"
                                         "  - record: ns:restarts:max\n    expr: max by (namespace) (restarts)\n");
    core::SourceFile chain(chain_path,
                           "groups:\n- name: a\n  rules:\n  - record: seed:restarts:max\n"
                           "    expr: max by (seed) (ns:restarts:max)\n  - alert: A\n"
                           "    expr: seed:restarts:max > 5\n    annotations: {summary: '{{ $labels.seed }}'}\n");
    std::vector<core::Diagnostic> diags;
    lint::Input in;
    in.rule_files.push_back(rules::load_rule_file(rec, diags));
    in.rule_files.push_back(rules::load_rule_file(chain, diags));
    lint::Options opt;
    opt.catalog = &catalog::embedded();
    std::vector<std::string> out;
    for (const auto& d : lint::run(in, opt))
      if (d.check.id().starts_with("labels/")) out.push_back(std::string(d.check.id()));
    return out;
  };
  CHECK(lint_chain("rules/recording.yml", "rules/alerts.yml") ==
        V{"labels/removed-label", "labels/template-label-lost"});
  CHECK(lint_chain("cache/recording.yml", "garden/alerts.yml").empty());
}

// The values a recording rule's labels give its series are those of the copy at hand: another file
// may record the name with others (slo-exporter's generator writes a file of thresholds per SLO
// domain; its example-domain.yaml is one), so a matcher for another value is impossible only in
// the rules' own file (tests/data/review-corpus, review8b).
TEST_CASE("label flow: a recorded value read in another file", "[lint][label-flow]") {
  const std::string rec = "groups:\n- name: r\n  rules:\n  - record: slo:threshold\n    expr: \"0.9\"\n"
                          "    labels: {slo_domain: example-domain}\n";
  const std::string reader = "groups:\n- name: a\n  rules:\n  - alert: A\n"
                             "    expr: 'x > on (slo_domain) slo:threshold{slo_domain=~\"slo-exporter.+\"}'\n"
                             "    annotations: {summary: s}\n";
  auto lint_files = [](const std::vector<std::pair<const char*, std::string>>& files) {
    std::vector<core::SourceFile> sources;
    for (const auto& [path, text] : files) sources.emplace_back(path, text);
    std::vector<core::Diagnostic> diags;
    lint::Input in;
    for (const auto& src : sources) in.rule_files.push_back(rules::load_rule_file(src, diags));
    lint::Options opt;
    opt.catalog = &catalog::none();
    std::vector<std::string> out;
    for (const auto& d : lint::run(in, opt))
      if (d.check.id() == "promql/impossible") out.push_back(d.span.file.str());
    return out;
  };
  CHECK(lint_files({{"rules/example-domain.yaml", rec}, {"rules/reader.yaml", reader}}).empty());
  // The rules and their reader in one file: the file holds every value the name takes.
  const std::string both = rec + reader.substr(reader.find("- name: a"));
  CHECK(lint_files({{"rules/one.yaml", both}}) == V{"rules/one.yaml"});
}

// without (x) of series without x removes nothing; by (x) of them groups by nothing.
TEST_CASE("label flow: without of a label already gone is a no-op", "[lint][label-flow]") {
  run_cases({
      {"without (job) twice", alert("max without (job) (sum without (job) (foo)) > 1"), V{}},
      {"by (job) after without (job)", alert("max by (job) (sum without (job) (foo)) > 1"),
       V{"labels/removed-label 5:12"}},
  });
}

TEST_CASE("label flow: joins that can never match, labels lost in a join", "[lint][label-flow]") {
  run_cases({
      {"on (instance) against a sum without it", alert("foo / on (instance) sum(bar) > 1"),
       V{"labels/impossible-match 5:12"}},
      {"on (instance) against a sum by it", alert("foo / on (instance) sum by (instance) (bar) > 1"), V{}},
      // An or's fallback without a label every series of the other side has (pint's promql_impossible
      // bug-008, tests/data/pint-cases/proofs/or-fallback-unmatched.test.yml); not for the target's
      // labels, which a name recorded elsewhere may lack; both sides with fallbacks match.
      {"an or's fallback without the label the other side has",
       alert("max by (region) (x{region=~\"a|b\"} or vector(0)) / sum by (region) (y{region=~\"a|b\"}) < 0.9"),
       V{"labels/impossible-match 5:12"}},
      {"an or's fallback against a side with no label",
       alert("max by (region) (x{region=~\"a|b\"} or vector(0)) / sum(y) < 0.9"), V{}},
      {"an or's fallback against the target's labels", alert("(foo or vector(0)) / bar > 0"), V{}},
      // Unless every selector of the other side gives the target label a value (wikimedia
      // operations-alerts c0fc5e4^); one selector that does not leaves it open.
      {"an or's fallback against an instance every selector gives",
       alert("(sum by (instance) (foo) or on () vector(0)) / sum by (instance) (bar{instance=~\"cr.*\"}) > 0"),
       V{"labels/impossible-match 5:12"}},
      {"an or's fallback against an instance one selector leaves open",
       alert("(sum by (instance) (foo) or on () vector(0)) / sum by (instance) (bar{instance=~\"cr.*\"} or baz) > 0"),
       V{}},
      {"an or's fallback against an instance a matcher may leave empty",
       alert("(sum by (instance) (foo) or on () vector(0)) / sum by (instance) (bar{instance=~\"cr.*|\"}) > 0"), V{}},
      {"an or's fallback of sides that never match: one finding",
       alert("max by (region, zone) (x{region=~\"a|b\", zone=\"z\"} or vector(0)) / "
             "sum by (region, team) (y{region=~\"a|b\", team=\"t\"}) < 0.9"),
       V{"labels/impossible-match 5:12"}},
      {"fallbacks on both sides",
       alert("max by (region) (x{region=~\"a|b\"} or vector(0)) / max by (region) (y{region=~\"a|b\"} or vector(1)) < "
             "0.9"),
       V{}},
      {"by (cluster) over an aggregation that removed it", alert("sum by (cluster) (sum without (cluster) (foo)) > 1"),
       V{"labels/removed-label 5:12"}},
      {"by (cluster) over an aggregation that kept it", alert("sum by (cluster) (sum without (pod) (foo)) > 1"), V{}},
      // pint's promql_impossible bug-015, bug-028 (tests/data/pint-cases/proofs/on-removed-label.test.yml).
      {"on (cluster) of two sums without it", alert("sum(bar) * on (cluster) sum(foo) > 1"),
       V{"labels/removed-label 5:12"}},
      {"on (cluster) against a group by of other labels",
       alert("foo * on (cluster) group_right (tier) group by (animal) (bar) > 1"), V{"labels/removed-label 5:12"}},
      {"on (cluster) of two sums by it", alert("sum by (cluster) (bar) * on (cluster) sum by (cluster) (foo) > 1"),
       V{}},
      // bug-016: a group_left (err) keeps the left side's closed label set, and adds err.
      {"by (cluster) over a join of a sum without it",
       alert("sum by (cluster) (sum by (instance) (foo) * on (instance) group_left (err) bar) > 1"),
       V{"labels/removed-label 5:12"}},
      {"by (err) over a join that copied it",
       alert("sum by (err) (sum by (instance) (foo) * on (instance) group_left (err) bar) > 1"), V{}},
      {"group_left (job) from a side without job",
       alert("foo * on (instance) group_left (job) sum by (instance) (bar) > 1"),
       V{"labels/copied-label-absent 5:12 warning"}, nullptr, false, true},
      {"group_left (job) from a side with job",
       alert("foo * on (instance) group_left (job) sum by (instance, job) (bar) > 1"), V{}},
      {"group_left (job) from a side whose job is empty",
       alert("foo * on (instance) group_left (job) bar{job=\"\"} > 1"), V{"labels/copied-label-absent 5:12"}},
      // OpenShift's managed-cluster-config: neither side has the label, so there is none to lose
      // (a later join copies it from a side that has it), but the join adds none: info.
      {"group_left (job) where neither side has job",
       alert("max by (instance) (foo) * on (instance) group_left (job) sum by (instance) (bar) > 1"),
       V{"labels/copied-label-absent 5:12 info"}, nullptr, false, true},
      {"group_left (job) where neither side has job, then from a side with it",
       alert("max by (instance) (foo) * on (instance) group_left (job) max by (instance) (bar) * on (instance) "
             "group_left (job) max by (instance, job) (baz) > 1"),
       V{"labels/copied-label-absent 5:12 info"}, nullptr, false, true},
  });
}

// One-to-one matching takes one series per match group on each side; Prometheus fails the
// evaluation when a side holds two (proofs: tests/data/shipped-bugs/proofs).
TEST_CASE("label flow: one-to-one matches whose side holds several series per group", "[lint][label-flow]") {
  run_cases({
      {"a regex of several codes, ignoring (code)",
       alert("x{code=~\"5..\"} / ignoring (code) sum without (code) (x) > 0.5"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the codes summed first", alert("sum without (code) (x{code=~\"5..\"}) / sum without (code) (x) > 0.5"), V{}},
      {"a by list finer than on ()",
       alert("max by (namespace, pod, container) (a) * on (namespace, pod) max by (namespace, pod) (b) > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the same with group_left",
       alert("max by (namespace, pod, container) (a) * on (namespace, pod) group_left max by (namespace, pod) (b) > 1"),
       V{}},
      {"a container pinned by a matcher",
       alert("max by (namespace, pod, container) (a{container=\"app\"}) * on (namespace, pod) max by (namespace, pod) "
             "(b) > 1"),
       V{}},
      {"job beside instance names where a series comes from",
       alert("sum by (instance, job) (a) / on (instance) sum by (instance) (b) > 1"), V{}},
      {"several jobs, one per instance (Thanos' ThanosReceiveNoUpload)",
       alert("(up{job=~\"thanos-receive.*\"} - 1) + on (instance) (sum by (instance) (increase(u_total[3h])) == 0)"),
       V{}},
      {"a job's instances on (job)", alert("up / on (job) count by (job) (up) < 0.5"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a job's instances on the right", alert("count by (job) (up) / on (job) up > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a job's instances summed", alert("sum by (job) (up) / on (job) count by (job) (up) < 0.5"), V{}},
      // alertmanager 069d48e (tests/data/shipped-bugs/proofs/alertmanager-069d48e.before.fails.test.yml).
      {"a service's instances on (service)",
       alert("alertmanager_cluster_members != on (service) count by (service) (alertmanager_cluster_members)"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the same with group_left",
       alert(
           "alertmanager_cluster_members < on (service) group_left count by (service) (alertmanager_cluster_members)"),
       V{}},
      {"a service's instances on (service, instance)",
       alert("a != on (service, instance) count by (service, instance) (a)"), V{}},
      {"the other side may have the label too", alert("x{code=~\"5..\"} / on (handler) y > 1"), V{}},
      {"and ignores cardinality", alert("x{code=~\"5..\"} > 1 and ignoring (code) sum without (code) (x)"), V{}},
      {"on () against one series", alert("sum without (pod) (x{tier=~\".*tier1.*\"}) < on () count(y) * 0.4"),
       V{"labels/duplicate-match-group 5:12"}},
  });
}

// group_left's "one" side (group_right's left) takes at most one series per match group: two fail
// the evaluation, "many-to-many matching not allowed" (paas-cf 5bab342,
// tests/data/shipped-bugs/proofs/paas-cf-5bab342.before.fails.test.yml).
TEST_CASE("label flow: the one side of group_left reads the many side's series", "[lint][label-flow]") {
  // paas-cf's two recording rules of one per-router metric, after the alert (its line stays 5).
  const std::string records = "  - record: router:routes:delta5m\n    expr: delta(routes[5m])\n"
                              "  - record: router:routes:mean5m\n    expr: avg_over_time(routes[5m])\n";
  run_cases({
      {"two recording rules of one metric on () (paas-cf 5bab342)",
       alert("100 * min_over_time(router:routes:delta5m[30m]) / on () group_left () router:routes:mean5m < -20") +
           records,
       V{"labels/duplicate-match-group 5:12"}, nullptr, true},
      {"the same metric itself", alert("rate(routes[5m]) / on () group_left () routes > 1"),
       V{"labels/duplicate-match-group 5:12"}, nullptr, true},
      {"group_right's one side is the left",
       alert("router:routes:mean5m / on () group_right () router:routes:delta5m > 1") + records,
       V{"labels/duplicate-match-group 5:12"}, nullptr, true},
      {"on (job) leaves instance out", alert("rate(routes[5m]) / on (job) group_left () routes > 1"),
       V{"labels/duplicate-match-group 5:12"}, nullptr, true},
      {"the one side summed",
       alert("router:routes:delta5m / on () group_left () sum(router:routes:mean5m) < -0.2") + records, V{}, nullptr,
       true},
      {"the one side pinned to one instance",
       alert("router:routes:delta5m / on () group_left () router:routes:mean5m{instance=\"a:9100\"} < -0.2") + records,
       V{}, nullptr, true},
      {"both pinned to one instance",
       alert("rate(routes{instance=\"a\"}[5m]) / on () group_left () routes{instance=\"a\"} > 1"), V{}, nullptr, true},
      // GitLab's runbooks (tests/data/review-corpus): the primary against its replicas.
      {"a filter keeps one of them on the one side",
       alert("(x and is_replica == 0) - ignoring (instance) group_right () (x and is_replica == 1) > 1"), V{}, nullptr,
       true},
      {"matched on instance", alert("rate(routes[5m]) / on (instance) group_left () routes > 1"), V{}, nullptr, true},
      {"another metric on the one side", alert("rate(routes[5m]) / on () group_left () routes_limit > 1"), V{}, nullptr,
       true},
      {"an info join", alert("a * on (namespace, pod) group_left (owner) max by (namespace, pod, owner) (o) > 1"), V{},
       nullptr, true},
  });
}

// A one-to-one match of a job's instances against one per job, one instance pinned.
TEST_CASE("label flow: a pinned instance is one series per job", "[lint][label-flow]") {
  run_cases({
      {"one instance of up", alert("up{instance=\"a:9100\"} / on (job) count by (job) (up) < 0.5"), V{}},
      {"every instance of up", alert("up / on (job) count by (job) (up) < 0.5"),
       V{"labels/duplicate-match-group 5:12"}},
  });
}

// A label a group_left copied, dropped again by a later operator (pint's "orphaned label").
TEST_CASE("label flow: a join's label dropped by a later operator", "[lint][label-flow]") {
  const std::string join = "(a * on (instance) group_left (version) max by (instance, version) (info))";
  run_cases({
      {"one-to-one on () without it", alert(join + " / on (instance) b > 1"), V{"labels/copied-label-dropped 5:12"}},
      {"one-to-one on () with it", alert(join + " / on (instance, version) b > 1"), V{}},
      {"ignoring it", alert(join + " / ignoring (version) b > 1"), V{"labels/copied-label-dropped 5:12"}},
      {"group_left keeps the left side's labels", alert(join + " / on (instance) group_left b > 1"), V{}},
      {"the right side of and", alert("b > 1 and on (instance) " + join), V{"labels/copied-label-dropped 5:12"}},
      {"and matching on it", alert("b > 1 and on (instance, version) " + join), V{}},
      {"the right side of or", alert("(b or " + join + ") > 1"), V{}},
      {"the one side of another group_left", alert("b * on (instance) group_left () " + join + " > 1"),
       V{"labels/copied-label-dropped 5:12"}},
      {"copied again", alert("b * on (instance) group_left (version) " + join + " > 1"), V{}},
  });
}

// The series a recording rule writes carry the labels its expression leaves and those its rule
// sets; a name no rule records is read from nowhere.
TEST_CASE("label flow: selectors of recording rules' series", "[lint][label-flow]") {
  const std::string rec =
      "groups:\n- name: r\n  rules:\n  - record: job:x:rate5m\n    expr: sum by (job) (rate(x[5m]))\n"
      "    labels: {team: web}\n";
  auto reads = [&](const std::string& expr) {
    return rec + "  - alert: A\n    expr: '" + expr + "'\n    annotations: {summary: s}\n";
  };
  // The alert's expression starts at line 8, column 12.
  run_cases({
      {"a label its by () drops", reads("job:x:rate5m{instance=\"a\"} > 1"), V{"promql/impossible 8:12"}},
      {"a label its by () keeps", reads("job:x:rate5m{job=\"a\"} > 1"), V{}},
      {"a label it may lack", reads("job:x:rate5m{instance=\"\"} > 1"), V{}},
      {"a value its rule does not set", reads("job:x:rate5m{team=\"db\"} > 1"), V{"promql/impossible 8:12"}},
      {"the value its rule sets", reads("job:x:rate5m{team=~\"web|db\"} > 1"), V{}},
  });
  // With --catalog none only a near miss of a name the files record is a finding, once per name.
  Case typo{"a typo of a recorded name", reads("job:x:rate1m > 1 or job:x:rate1m < 0"),
            V{"rules/undefined-recording-rule 8:12"}};
  typo.no_catalog = true;
  Case elsewhere{"a name recorded elsewhere", reads("instance:y:ratio > 1"), V{}};
  elsewhere.no_catalog = true;
  Case catalog{"the catalog knows every name", reads("instance:y:ratio > 1"), V{"rules/undefined-recording-rule 8:12"}};
  Case sibling{"a sibling of a name its file records", reads("cluster:x_total:rate5m > 1"), V{}};
  sibling.rules = "groups:\n- name: r\n  rules:\n  - record: cluster:x:sum_rate5m\n    expr: sum(rate(x_total[5m]))\n"
                  "  - alert: A\n    expr: 'cluster:x_total:rate5m > 1'\n    annotations: {summary: s}\n";
  sibling.expected = V{"rules/undefined-recording-rule 7:12"};
  sibling.no_catalog = true;
  Case chain{"the input of a chain its file records", "", V{}};
  chain.rules = "groups:\n- name: r\n  rules:\n  - record: cluster:x:rate5m:avg_over_time\n"
                "    expr: avg_over_time(cluster:x:rate5m[1h])\n";
  chain.no_catalog = true;
  // The rule that reads a name records its sibling from it (telemeter's L:M:vcpu_hours from
  // L:M:max): a chain, not a typo of the name it writes.
  Case derived{"a sibling the reading rule records from it", "", V{}};
  derived.rules = "groups:\n- name: r\n  rules:\n  - record: cluster:x:vcpu_hours\n"
                  "    expr: max by (id) (sum_over_time(cluster:x:max[1h:5m]))\n";
  derived.no_catalog = true;
  // A name without a colon may be any exporter's: only one a letter or two from a name its file
  // records is a typo, and not where that name's rule reads it (it records the series anew).
  const std::string plain = "groups:\n- name: r\n  rules:\n  - record: wlatencya\n"
                            "    expr: sum by (instance) (rate(w_sum[1m]))\n  - alert: A\n    expr: '";
  Case plain_typo{"a letter from a plain name its file records", plain + "wlatencypa > 1'\n",
                  V{"rules/record-naming 4:13", "rules/undefined-recording-rule 7:12"}};
  plain_typo.no_catalog = true;
  Case exporter{"an exporter's name beside a plain recorded name", plain + "w_sum > 1'\n",
                V{"rules/record-naming 4:13"}};
  exporter.no_catalog = true;
  Case anew{"a plain name recorded anew",
            "groups:\n- name: r\n  rules:\n  - record: _w_info\n"
            "    expr: w_info\n  - alert: A\n    expr: 'w_info > 1'\n",
            V{"rules/record-naming 4:13"}};
  anew.no_catalog = true;
  run_cases({typo, elsewhere, catalog, sibling, chain, derived, plain_typo, exporter, anew});
}

TEST_CASE("label flow: expressions that never return, or never remove, anything", "[lint][label-flow]") {
  run_cases({
      {"group () is always 1", alert("group(vector(0)) > 0"), V{"promql/always-true 5:12"}},
      {"a sum can be 0", alert("sum(foo) > 0"), V{}},
      {"unless a series with no labels", alert("x > 1 unless vector(0)"), V{"labels/impossible-match 5:12"}},
      {"unless on the labels both have", alert("x > 1 unless on (instance) y"), V{}},
      {"and a series with no labels", alert("x > 1 and vector(1)"), V{"labels/impossible-match 5:12"}},
      {"and on ()", alert("x > 1 and on () vector(1)"), V{}},
      {"a matcher that refuses every value", alert("foo{job!~\".*\"} > 1"), V{"promql/impossible 5:12"}},
      {"a matcher that wants a value", alert("foo{job!~\".+\"} > 1"), V{}},
      {"one label, two values", alert("foo{job=\"a\", job=\"b\"} > 1"), V{"promql/impossible 5:12"}},
      {"count () is at least 1", alert("count(up) < 1"), V{"promql/impossible 5:12"}},
      {"count () under a threshold", alert("count(up) < 3"), V{}},
      {"count () > 0 is an idiom", alert("count(up == 0) > 0"), V{}},
      {"a counter's rate is never negative", alert("rate(errors_total[5m]) < 0"), V{"promql/impossible 5:12"}},
      {"a counter's rate above a threshold", alert("rate(errors_total[5m]) > 0.5"), V{}},
      // Failures over all of one family, by their names, lie in [0, 1] (issue 59 class 8).
      {"failures among all compared with 5", alert("sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) > 5"),
       V{"promql/impossible 5:12"}},
      {"operation_failures of operations", alert("rate(op_failures_total[5m]) / rate(ops_total[5m]) >= 1.5"),
       V{"promql/impossible 5:12"}},
      {"failures among all in percent", alert("sum(rate(jobs_failed_total[5m])) / sum(rate(jobs_total[5m])) * 100 > 5"),
       V{}},
      {"errors over another family", alert("sum(rate(jobs_errors_total[5m])) / sum(rate(requests_total[5m])) > 5"),
       V{}},
      // gitlab-com/runbooks 3114f72: only a histogram's _bucket series carry le.
      {"le on a counter", alert("rate(jobs_failed_total{le=\"+Inf\"}[5m]) > 1"), V{"promql/impossible 5:17"}},
      {"le on a histogram's _count", alert("x_seconds_count{le=~\".+\"} > 1"), V{"promql/impossible 5:12"}},
      {"le on a bucket", alert("rate(x_seconds_bucket{le=\"+Inf\"}[5m]) > 1"), V{}},
      {"le that may be absent", alert("x_seconds_count{le=~\"|1\"} > 1"), V{}},
  });
  Case recorded{"le on a recorded name", alert("job:x_seconds_count:rate5m{le=\"1\"} > 1"), V{}};
  recorded.no_catalog = true;
  run_cases({recorded});
}

TEST_CASE("label flow: NaN spread by an aggregation", "[lint][label-flow]") {
  run_cases({
      {"sum of per-series ratios", alert("sum(rate(e_total[5m]) / rate(t_total[5m])) > 0.1"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"the ratio of sums", alert("sum(rate(e_total[5m])) / sum(rate(t_total[5m])) > 0.1"), V{}},
      {"the denominator kept above 0", alert("sum(rate(e_total[5m]) / (rate(t_total[5m]) > 0)) > 0.1"), V{}},
      {"avg of quantiles of idle histograms", alert("avg(histogram_quantile(0.9, rate(x_seconds_bucket[5m]))) > 1"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"max of quantiles passes NaN only when all are",
       alert("max(histogram_quantile(0.9, rate(x_seconds_bucket[5m]))) > 1"), V{}},
      // A divisor that can be 0: x / 0 is +Inf or -Inf, 0 / 0 and x % 0 NaN (issue 59 class 8).
      {"a divisor of values nothing is known of is not suspected", alert("sum(foo / bar) > 1"), V{}},
      // Most divisors are sizes and capacities, never 0; a limit its exporter reports as 0 for
      // "no limit" is the one kind the review of strangers' rules found meeting 0.
      {"a pool's limit is 0 when there is none",
       alert("avg(sum by (pod) (go_sql_dbstats_connections_open) / sum by (pod) (go_sql_dbstats_connections_max_open)) "
             "> 0.7"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a container's memory limit is 0 when it has none",
       alert("sum(container_memory_working_set_bytes / container_spec_memory_limit_bytes) > 0.9"),
       V{"promql/nan-in-aggregation 5:12"}},
      {"a memory limit kept above 0",
       alert("sum(container_memory_working_set_bytes / (container_spec_memory_limit_bytes > 0)) > 0.9"), V{}},
      {"a usage over an unlimited container's 0 passes >",
       alert("(sum by (name) (container_memory_working_set_bytes) / sum by (name) "
             "(container_spec_memory_limit_bytes) * 100) > 80"),
       V{"promql/division-by-zero 5:13"}},
      {"a sum of the limits kept above 0 is above 0",
       alert("(sum by (name) (container_memory_working_set_bytes) / sum by (name) "
             "(container_spec_memory_limit_bytes > 0) * 100) > 80"),
       V{}},
      {"below a threshold +Inf passes nothing",
       alert("container_memory_working_set_bytes / container_spec_memory_limit_bytes < 0.1"), V{}},
      {"a filesystem's size is not suspected",
       alert("sum(node_filesystem_avail_bytes / node_filesystem_size_bytes) > 0.9"), V{}},
      {"a remainder by 0", alert("avg(foo % 0) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a division by 0", alert("sum(foo / 0) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a clamp that lets 0 through", alert("sum(foo / clamp_min(bar, 0)) > 1"), V{"promql/nan-in-aggregation 5:12"}},
      {"a divisor kept from 0 by != 0", alert("sum(foo / (bar != 0)) > 1"), V{}},
      {"a divisor kept from 0 by clamp_min", alert("sum(foo / clamp_min(bar, 1)) > 1"), V{}},
      {"a divisor kept below 0", alert("sum(foo / (bar < 0)) > 1"), V{}},
      {"a division by a number", alert("sum(foo / 2) > 1"), V{}},
      {"min passes NaN only when all are", alert("min(foo / bar) > 1"), V{}},
      {"a division of recorded series by a divisor that can be 0",
       "groups:\n- name: g\n  rules:\n  - record: job:foo:ratio\n    expr: foo / clamp_min(bar, 0)\n  - alert: A\n    "
       "expr: "
       "sum(job:foo:ratio) > 1\n",
       V{"promql/nan-in-aggregation 7:11"}},
  });
}

TEST_CASE("label flow: constant alerts, and results a rule cannot use", "[lint][label-flow]") {
  const std::string rec = "groups:\n- name: g\n  rules:\n  - record: x:time:seconds\n    expr: ";
  run_cases({
      {"vector(0) always fires", alert("vector(0)"), V{"alerts/no-comparison 5:11"}},
      {"the vector(1) heartbeat is meant to", alert("vector(1)"), V{}},
      {"a number always fires", alert("1"), V{"alerts/no-comparison 5:11"}},
      {"a scalar comparison always fires", alert("scalar(up) > bool 1"), V{"alerts/no-comparison 5:11"}},
      {"a string never evaluates", alert("\"down\""), V{"promql/syntax 5:11"}},
      {"a range vector never evaluates", alert("up[5m]"), V{"promql/syntax 5:11"}},
      {"a recording rule of a string", rec + "'\"x\"'\n", V{"promql/syntax 5:11"}},
      {"a recording rule of a scalar records one series", rec + "time()\n", V{}},
  });
}

TEST_CASE("label flow: queries written in a template", "[lint][label-flow]") {
  run_cases({
      {"a label of a sum", alert("up == 0", "{{ range query \"sum(up)\" }}{{ .Labels.instance }}{{ end }}"),
       V{"labels/template-label-lost 6:67"}},
      {"a label the sum keeps",
       alert("up == 0", "{{ range query \"sum by (instance) (up)\" }}{{ .Labels.instance }}{{ end }}"), V{}},
      {"first | label of vector()", alert("up == 0", "{{ query \"vector(1)\" | first | label \"job\" }}"),
       V{"labels/template-label-lost 6:67"}},
      {"a query that does not parse", alert("up == 0", "{{ query \"up xxx\" | first | value }}"),
       V{"rules/template 6:38"}},
      {"a format no argument mends",
       alert("up == 0", "{{ with printf \"sum(up{job=\\\"%s\\\"}) by(\" .Labels.job | query }}{{ end }}"),
       V{"rules/template 6:44"}},
      {"a verb where a duration goes", alert("up == 0", "{{ with printf \"rate(x[%s])\" .Labels.w | query }}{{ end }}"),
       V{}},
      {"%q where a label value goes (it writes a quoted string)",
       alert("up == 0", "{{ with printf \"sum(up{instance=%q})\" .Labels.instance | query }}{{ end }}"), V{}},
      {"a verb where a label goes",
       alert("up == 0", "{{ range printf \"sum by (%s) (up)\" \"pod\" | query }}{{ .Labels.pod }}{{ end }}"), V{}},
  });
}

// Each fault's effect in Prometheus 2.42: tests/data/shipped-bugs/proofs/template-types.test.yml.
TEST_CASE("label flow: template functions given a value of the wrong type", "[lint][label-flow]") {
  run_cases({
      {"printf of a float format", alert("up == 0", "{{ printf $value \"%.2f\" }}"), V{"rules/template 6:39"}},
      {"first of $value", alert("up == 0", "{{ $value | first }}"), V{"rules/template 6:41"}},
      {"label of $value", alert("up == 0", "{{ $value | label \"instance\" }}"), V{"rules/template 6:47"}},
      {"humanize of a word", alert("up == 0", "{{ \"abc\" | humanize }}"), V{"rules/template 6:40"}},
      {"humanize of a sample", alert("up == 0", "{{ query \"up\" | first | humanize }}"), V{"rules/template 6:53"}},
      {"gt of a float and an int", alert("up == 0", "{{ if gt $value 80 }}high{{ end }}"), V{"rules/template 6:35"}},
      {"%s of $value", alert("up == 0", "{{ $value | printf \"%s\" }}"), V{"rules/template 6:29"}},
      {"%f of a label", alert("up == 0", "{{ printf \"%.2f\" $labels.instance }}"), V{"rules/template 6:29"}},
      {"a verb without its argument", alert("up == 0", "{{ printf \"%s on %s\" $labels.instance }}"),
       V{"rules/template 6:29"}},
      // Clean: what no type decides.
      {"humanize of a number string", alert("up == 0", "{{ \"1234\" | humanize }}"), V{}},
      {"humanize of a label, which may be a number", alert("up == 0", "{{ $labels.instance | humanize }}"), V{}},
      {"humanize of a label read by index", alert("up == 0", "{{ index $labels \"instance\" | humanize }}"), V{}},
      {"humanize of a query's label, which may be a number",
       alert("up == 0", "{{ query \"up\" | first | label \"job\" | humanize }}"), V{}},
      {"a query's value", alert("up == 0", "{{ with query \"up\" }}{{ . | first | value | humanize }}{{ end }}"), V{}},
      {"gt of two floats", alert("up == 0", "{{ if gt $value 80.0 }}high{{ end }}"), V{}},
      {"verbs of their types", alert("up == 0", "{{ printf \"%.2f %s %v %d%%\" $value $labels.job $value 5 }}"), V{}},
      {"a fault in a branch the probe does not take: not seen",
       alert("up == 0", "{{ if eq $labels.job \"x\" }}{{ $value | first }}{{ end }}"), V{}},
  });
}

TEST_CASE("label flow: Grafana variables in a rule's matchers", "[lint][label-flow]") {
  run_cases({
      {"a regex of $var", alert("up{pod=~\"$pod\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"${var} with a format", alert("up{pod=\"${pod:raw}\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"[[var]]", alert("up{pod!~\"[[pod]]\"} == 0"), V{"rules/grafana-variable 5:15"}},
      {"end anchors are no variables", alert("up{job=~\"(a$)|b\", x=\"$\", y=~\"\\\\$1\", z=~\"a\\\\$pod\"} == 0"),
       V{}},
  });
}

TEST_CASE("label flow: format placeholders left unexpanded in a rule's matchers", "[lint][label-flow]") {
  run_cases({
      // gitlab-com/runbooks 9841c00: the generator's jsonnet format was not applied.
      {"jsonnet's %(name)s", alert("rate(x_total{shard=\"%(shard)s\"}[1m]) > 1"), V{"rules/format-placeholder 5:25"}},
      {"in a regex", alert("x{shard=~\"a|%(shard)s\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"negated: removes nothing", alert("x{shard!=\"%(shard)d\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"a bare printf verb", alert("x{pod=~\"%s-.*\"} > 1"), V{"rules/format-placeholder 5:14"}},
      {"a metric name of __name__", alert("{__name__=\"%(metric)s\"} > 1"), V{"rules/format-placeholder 5:13"}},
      {"percent signs and percent-encoding are no formats",
       alert("x{a=\"100%\", b=~\".*%2F.*\", c=\"%%s\", d=\"%(x)\", e=\"%sql\", f=\"%()s\"} > 1"), V{}},
  });
}

TEST_CASE("label flow: $labels.x near a label the rule has", "[lint][label-flow]") {
  run_cases({
      {"a plural the aggregation removes", alert("sum by (namespace) (x) > 1", "{{ $labels.namespaces }}"),
       V{"labels/template-label-lost 6:40"}},
      {"interface where the matchers say device", alert("x{device=\"eth0\"} > 1", "{{ $labels.interface }}"),
       V{"labels/template-label-typo 6:40"}},
      {"a plural of a label more of the group's templates read",
       "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 1\n    annotations: {summary: "
       "'{{ $labels.pods }}'}\n  - alert: B\n    expr: y > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n"
       "  - alert: C\n    expr: z > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n",
       V{"labels/template-label-typo 6:40"}},
      {"the singular as many templates read as the plural",
       "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: x > 1\n    annotations: {summary: "
       "'{{ $labels.pods }}'}\n  - alert: B\n    expr: y > 1\n    annotations: {summary: '{{ $labels.pod }}'}\n",
       V{}},
      // kube-prometheus a2d273b: kube-state-metrics writes namespace on every kube_deployment_* series.
      {"a plural of a label kube-state-metrics writes on the family",
       alert("kube_deployment_status_observed_generation != kube_deployment_metadata_generation",
             "{{ $labels.namespaces }}"),
       V{"labels/template-label-typo 6:40"}},
      {"a plural of a label other metrics' series may lack",
       alert("kube_deploymentx_y > 1", "{{ $labels.namespaces }}"), V{}},
      {"a label nothing resembles", alert("x{device=\"eth0\"} > 1", "{{ $labels.status }}"), V{}},
      {"a plural the expression names", alert("x{pods=\"a\", pod=\"b\"} > 1", "{{ $labels.pods }}"), V{}},
  });
}

// Prometheus fills $labels from the expression's sample, before it adds the rule's labels and
// alertname (tests/data/review-corpus/proofs/template-rule-label-*.test.yml): sapcc's
// service: '{{ $labels.service }}' over sum by (initiator_project_id, ...) expanded empty (2015b53^).
TEST_CASE("label flow: $labels.x of a label only the rule sets", "[lint][label-flow]") {
  auto rule = [](const std::string& expr, const std::string& labels, const std::string& summary) {
    return "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n    labels: {" + labels +
           "}\n    annotations: {summary: '" + summary + "'}\n";
  };
  run_cases({
      {"the rule's severity, summed away", rule("sum by (job) (x) > 1", "severity: page", "{{ $labels.severity }}"),
       V{"labels/template-label-lost 7:40"}},
      {"a label that reads itself", rule("sum by (job) (x) > 1", "service: \"{{ $labels.service }}\"", "s"),
       V{"labels/template-label-lost 6:35"}},
      {"alertname", rule("sum(x) > 1", "severity: page", "{{ $labels.alertname }}"),
       V{"labels/template-label-lost 7:40"}},
      {"kept by the aggregation", rule("sum by (severity) (x) > 1", "severity: page", "{{ $labels.severity }}"), V{}},
      {"a raw selector's series may carry it", rule("x > 1", "severity: page", "{{ $labels.severity }}"), V{}},
      {"under a test of the label itself",
       rule("sum by (job) (x) > 1", "severity: page", "{{ if $labels.severity }}{{ $labels.severity }}{{ end }}"), V{}},
  });
}

// openshift/cluster-logging-operator shipped "on $labels.hostname host" (5cef4c5^): every alert
// read those words (tests/data/shipped-bugs/proofs/cluster-logging-operator-5cef4c5.*.test.yml).
TEST_CASE("label flow: $labels.x and $value written outside {{ }}", "[lint][label-flow]") {
  run_cases({
      {"a label as text", alert("x > 1", "disk full on $labels.hostname host"), V{"rules/template-text 6:42"}},
      {"$value as text, after an action", alert("x > 1", "{{ $labels.job }} at $value%"),
       V{"rules/template-text 6:50"}},
      {"in an action", alert("x > 1", "disk full on {{ $labels.hostname }} host"), V{}},
      {"helm's escaped braces: the text is a template's source", alert("x > 1", "on {{\"{{\"}} $labels.pod {{\"}}\"}}"),
       V{}},
      {"a price and a word", alert("x > 1", "costs $5 in $values and $labels"), V{}},
  });
}

TEST_CASE("label flow: ALERTS of no rule, alerts with no comparison", "[lint][label-flow]") {
  const std::string b = "  - alert: B\n    expr: up == 0\n";
  const std::string down = "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_up) == 0\n";
  const std::string up = "  - record: node:ceph_node:up\n    expr: max by (node) (ceph_up)\n";
  run_cases({
      {"ALERTS of no rule", alert("ALERTS{alertname=\"Bb\"} == 1") + b, V{"alerts/undefined-alert 5:19"}},
      {"ALERTS of a rule", alert("ALERTS{alertname=\"B\"} == 1") + b, V{}},
      {"and is no comparison",
       alert("quantile_over_time(0.9, foo[5m]) and on (instance) rate(a_total[5m]) + "
             "rate(b_total[5m])"),
       V{"alerts/no-comparison 5:11"}},
      {"a comparison under and", alert("quantile_over_time(0.9, foo[5m]) and on (instance) rate(a_total[5m]) > 1"),
       V{}},
      // Issue 56: where a selector's matchers are the condition and its series are passed on,
      // the alert is right; where the series exist whatever the state, it fires for all of them.
      {"an info series picked by its state", alert("foo_resource_info{ready!=\"True\"}"), V{}},
      {"an info series relabelled", alert("label_replace(foo_info{pause=\"true\"}, \"c\", \"$0\", \"name\", \".+\")"),
       V{}},
      {"ALERTS of a firing alert", alert("ALERTS{alertname=\"B\", alertstate=\"firing\"}") + b, V{}},
      {"a count of ALERTS", alert("count(count by (seed) (ALERTS{alertname=\"B\", alertstate=\"firing\"}))") + b, V{}},
      {"the failed outcomes of a counter", alert("max_over_time(x_count{op=\"t\", status!=\"success\"}[15m])"), V{}},
      {"an info series or absent", alert("foo_info{ready!=\"True\"} or absent(foo_info)"),
       V{"alerts/absent-without-for 4:12"}},
      {"a state series of kube-state-metrics", alert("kube_pod_status_phase{phase=\"Failed\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series picked by its place", alert("kube_pod_info{namespace=\"prod\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series asked for a label only", alert("foo_info{ready!=\"\"}"), V{"alerts/no-comparison 5:11"}},
      // l="" keeps the series without l: the pods without a team (proofs/info-conditions.test.yml).
      {"an info series picked by a label it lacks", alert("kube_pod_labels{label_team=\"\"}"), V{}},
      {"an annotations series picked by one it lacks", alert("kube_namespace_annotations{annotation_owner=~\"\"}"),
       V{}},
      {"a series not an info one, picked by a label it lacks", alert("foo{team=\"\"}"), V{"alerts/no-comparison 5:11"}},
      // Arithmetic passes on the series, and the condition, of the side whose labels it keeps.
      {"an info series picked by its state, joined",
       alert("node_os_info{id!=\"debian\"} * on (instance) group_left (nodename) node_uname_info"), V{}},
      {"an info series picked by its state, joined on the right",
       alert("node_uname_info * on (instance) group_right (nodename) node_os_info{id!=\"debian\"}"), V{}},
      {"a counter joined to the namespaces of one team",
       alert("contour_httpproxy_invalid_total * on (namespace) group_left (label_team) "
             "kube_namespace_labels{label_team=\"neco\"}"),
       V{"alerts/no-comparison 5:11"}},
      {"a ratio of two states' counts",
       alert("sum by (shard) (jobs{stage=\"pull\"}) / sum by (shard) (jobs{stage=\"run\"})"),
       V{"alerts/no-comparison 5:11"}},
      {"an info series scaled", alert("foo_info{ready!=\"True\"} * 100"), V{}},
      {"a rate of the failed outcomes", alert("rate(x_total{code!=\"200\"}[5m])"), V{"alerts/no-comparison 5:11"}},
      // gitlab-com's runbooks' PostgreSQL_SplitBrain (df4f1cf): bool keeps every group, 0 too.
      {"a bool comparison over a filter", alert("count(pg_replication_is_replica == 0) by (environment) > bool 1"),
       V{"alerts/no-comparison 5:11"}},
      {"a bool comparison", alert("sum by (cluster) (lag_seconds{role=\"replica\"}) >bool 0"),
       V{"alerts/no-comparison 5:11"}},
      {"bool under a comparison", alert("sum by (cluster) (up == bool 0) > 1"), V{}},
      {"a bool comparison every filtered value passes", alert("(foo > 1) > bool 1"), V{"promql/always-true 5:12"}},
      // Issue 59: a recorded series whose every rule filters (`== 0`, unless) exists only while
      // that condition holds, so an alert that passes it on compares (a CephNodeDown that reads a
      // recorded `... == 0`); one rule that does not filter records series whatever the state.
      {"a recording whose rule compares", alert("node:ceph_node:down") + down, V{}},
      {"a recording whose rule keeps what unless leaves",
       alert("node:ceph_node:down") +
           "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_osd_metadata) unless on (node) "
           "kube_node_info\n",
       V{}},
      {"a recording whose rule compares nothing", alert("node:ceph_node:up") + up, V{"alerts/no-comparison 5:11"}},
      {"a name recorded by a rule that compares and one that does not",
       alert("node:ceph_node:down") + down +
           "  - record: node:ceph_node:down\n    expr: max by (node) (ceph_mon_up)\n    labels: {daemon: mon}\n",
       V{"alerts/no-comparison 5:11"}},
  });
}

// ceph-mixins' CephMonQuorumLost (a3fec5e, a shipped-bugs case) counted kube-state-metrics'
// phase series of the monitors: failed ones have a Running series too, valued 0.
TEST_CASE("label flow: count() of kube-state-metrics' state series", "[lint][label-flow]") {
  run_cases({
      {"a count of a state compared",
       alert("count by (namespace) (kube_pod_status_phase{pod=~\"mon-.*\", phase=\"Running\"}) < 2"),
       V{"promql/count-of-states 5:12"}},
      {"a count of a condition compared the other way round",
       alert("2 > count(kube_node_status_condition{condition=\"Ready\", status=\"true\"})"),
       V{"promql/count-of-states 5:16"}},
      // Counted, the series that hold are none when none holds (alerts/count-never-zero); added up, 0.
      {"a count of the series that hold", alert("count(kube_pod_status_phase{phase=\"Running\"} == 1) < 2"),
       V{"alerts/count-never-zero 5:12"}},
      {"a sum of the state series", alert("sum(kube_pod_status_phase{phase=\"Running\"}) < 2"), V{}},
      {"a count of every node, as a denominator",
       alert("count(kube_node_status_condition{condition=\"Ready\", status=\"true\"} == 1) / "
             "count(kube_node_status_condition{condition=\"Ready\", status=\"true\"}) < 0.9"),
       V{}},
      {"a count of a series that is not a state", alert("count(kube_pod_info{namespace=\"prod\"}) < 2"), V{}},
  });
}

// Thanos' mixin (8f50211, a shipped-bugs case) read time() - timestamp(heartbeat time): the age of
// the scrape, not of the heartbeat the value holds.
TEST_CASE("label flow: timestamp() of a series whose value is a time", "[lint][label-flow]") {
  run_cases({
      {"the age of a heartbeat's scrape",
       alert("time() - max by (job) (timestamp(thanos_sidecar_last_heartbeat_success_time_seconds)) >= 240"),
       V{"promql/timestamp-of-time 5:35"}},
      // Beyond the 5m lookback the age of a scrape is never seen either: both are said.
      {"the age of a creation time's scrape", alert("time() - timestamp(kube_pod_created) > 600"),
       V{"promql/impossible 5:12", "promql/timestamp-of-time 5:21"}},
      {"the age of the time the value holds",
       alert("time() - max by (job) (thanos_sidecar_last_heartbeat_success_time_seconds) >= 240"), V{}},
      {"a clock's skew reads the value too", alert("abs(timestamp(node_time_seconds) - node_time_seconds) > 1"), V{}},
      {"the value's age at the scrape", alert("timestamp(x_last_sync_timestamp) - x_last_sync_timestamp > 3600"), V{}},
      {"a duration's staleness", alert("time() - timestamp(job_duration_seconds) > 120"), V{}},
  });
}

TEST_CASE("label flow: the config's jobs and intervals", "[lint][label-flow]") {
  run_cases({
      {"a window under two samples of the only job that scrapes it", alert("rate(errors_total[90s]) > 1"),
       V{"config/rate-window 5:17"}, kConfig},
      {"a window of two samples of that job", alert("rate(errors_total[2m]) > 1"), V{}, kConfig},
      {"a job no scrape config has", alert("up{job=\"detector\"} == 0"), V{"config/unknown-job 5:15"}, kConfig},
      {"a job of the config", alert("up{job=\"node\"} == 0"), V{}, kConfig},
      {"no config: any job", alert("up{job=\"detector\"} == 0"), V{}},
  });
}

TEST_CASE("label flow: correct rules stay quiet", "[lint][label-flow]") {
  const std::string two_groups = "groups:\n- name: a\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n"
                                 "- name: b\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"b\"} == 0\n";
  const std::string same_twice = "groups:\n- name: a\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n"
                                 "- name: b\n  rules:\n  - alert: TargetDown\n    expr: up{job=\"a\"} == 0\n";
  run_cases({
      {"one alert name over disjoint selectors in two groups", two_groups, V{}},
      {"the same alert twice", same_twice, V{"rules/duplicate-rule 8:12"}},
      {"topk folded into one series", alert("min(topk(10, foo)) > 5000"), V{}},
      {"topk in an alert", alert("topk(10, foo) > 5000"), V{"alerts/topk 5:12"}},
      {"absent () as a filter", alert("up{job=\"x\"} == 0 and on () absent(foo)"), V{}},
      {"absent () as the alert", alert("absent(foo)"), V{"alerts/absent-without-for 4:12"}},
      // One judge of cost: a long range is named only above the cost model's floor.
      {"a daily baseline of a handful of series",
       alert("avg_over_time(sum(rate(errors_total[5m]))[1d:5m] offset 1h) > 1"), V{}},
      {"a 30d subquery over every image",
       alert("max(max_over_time(sum by (image_id) (detections_before_nms)[30d:])) > 1"),
       V{"rules/expensive-range 5:30"}},
  });
}

TEST_CASE("label flow: duplicates that never collide, groups of one, histogram forms", "[lint][label-flow]") {
  auto rules = [](const std::string& body) { return "groups:\n- name: g\n  rules:\n" + body; };
  auto rule = [](const std::string& kind, const std::string& name, const std::string& expr,
                 const std::string& labels = "") {
    return "  - " + kind + ": " + name + "\n    expr: '" + expr + "'\n" +
           (labels.empty() ? "" : "    labels: {" + labels + "}\n");
  };
  run_cases({
      // Alertmanager tells alerts apart by their labels: job on one result, never on the other.
      {"one alert name, a label only one result carries",
       rules(rule("alert", "Down", "up{job=\"s\"} == 0") +
             rule("alert", "Down", "sum by (instance) (up{job=\"s\"} > 0) unless sum by (instance) (foo)")),
       V{}},
      // Rules with other labels are other alerts; the pair with the same labels is told apart by
      // its mountpoint.
      {"other labels, then disjoint selectors",
       rules(rule("alert", "DiskFull", "avail{mountpoint=\"/data\"} < 35", "severity: warn") +
             rule("alert", "DiskFull", "avail{mountpoint=\"/data\"} < 25", "severity: error") +
             rule("alert", "DiskFull", "avail{mountpoint=\"/\"} < 20", "severity: error")),
       V{}},
      {"one condition split in two",
       rules(rule("alert", "Q", "queue_length > 0") + rule("alert", "Q", "queue_length == 0")), V{}},
      // mirceanton/home-ops' NodeMemoryHighUtilization: a ZFS node passes the join with the ARC
      // size, another only the unless of it (tests/data/review-corpus/proofs/review15.test.yml).
      {"one alert name, a join with G and an unless of G",
       rules(rule("alert", "M", "(1 - ((avail + on (instance) group_left () arc) / total)) * 100 > 90") +
             rule("alert", "M", "(1 - (avail / total)) * 100 > 90 unless on (instance) arc")),
       V{}},
      {"one alert name, a join with G and an unless of another",
       rules(rule("alert", "M", "(1 - ((avail + on (instance) group_left () arc) / total)) * 100 > 90") +
             rule("alert", "M", "(1 - (avail / total)) * 100 > 90 unless on (instance) swap")),
       V{"rules/duplicate-rule 6:12"}},
      {"overlapping conditions",
       rules(rule("alert", "Q", "queue_length > 0") + rule("alert", "Q", "queue_length > 10")),
       V{"rules/duplicate-rule 6:12"}},
      // Omnibus GitLab's WorkhorseHighErrorRate: the split is under the alert's threshold.
      {"one condition split in two, under arithmetic and a threshold",
       rules(rule("alert", "Q", "(queue_length < 10) * 100 > 50") +
             rule("alert", "Q", "(queue_length > 10) * 100 > 2000 and on () up")),
       V{}},
      {"a split under an aggregation is no split of its series",
       rules(rule("alert", "Q", "sum(queue_length < 10) > 50") + rule("alert", "Q", "sum(queue_length > 10) > 10")),
       V{"rules/duplicate-rule 6:12"}},
      {"the rule's own label is no separation",
       rules(rule("alert", "Q", "queue_length{severity=\"a\"} > 0", "severity: x") +
             rule("alert", "Q", "queue_length{severity=\"b\"} > 1", "severity: x")),
       V{"rules/duplicate-rule 7:12"}},
      // A histogram's classic and native forms: Prometheus stores one of them.
      {"classic and native forms of one histogram",
       rules(rule("record", "job:lat_seconds:p99",
                  "histogram_quantile(0.99, sum by (job, le) (rate(lat_seconds_bucket[1m])))") +
             rule("record", "job:lat_seconds:p99", "histogram_quantile(0.99, sum by (job) (rate(lat_seconds[1m])))")),
       V{}},
      {"a native histogram has no le", alert("histogram_quantile(0.9, sum by (job) (rate(lat_seconds[5m]))) > 1"), V{}},
      {"a classic histogram's le dropped",
       alert("histogram_quantile(0.9, sum by (job) (rate(lat_seconds_bucket[5m]))) > 1"),
       V{"promql/histogram-quantile-le 5:36"}},
      {"VictoriaMetrics buckets keep vmrange",
       alert("histogram_quantile(0.99, sum by (job, vmrange) (increase(q_bucket[5m]))) > 1"), V{}},
      // NaN spreads only where a group holds several series.
      {"NaN under sum by the recorded series' every label",
       rules(rule("record", "cluster:r:ratio",
                  "sum by (cluster) (rate(a_total[5m])) / sum by (cluster) (rate(b_total[5m]))") +
             rule("alert", "A", "sum by (cluster) (cluster:r:ratio) > 1")),
       V{}},
      {"NaN under sum of several series",
       rules(rule("record", "cluster:r:ratio",
                  "sum by (cluster) (rate(a_total[5m])) / sum by (cluster) (rate(b_total[5m]))") +
             rule("alert", "A", "sum(cluster:r:ratio) > 1")),
       V{"promql/nan-in-aggregation 7:12"}},
      // label_replace changes labels, not values: a sum of counters stays one.
      {"a recording rule that copies a scraped counter under its own name (Kubermatic's VPA rule)",
       rules(rule("record", "cpu_seconds_total",
                  "label_replace(sum by (pod) (cpu_seconds_total{job=\"cadvisor\"}), \"job\", \"vpa\", \"\", \"\")") +
             rule("alert", "A", "sum(rate(cpu_seconds_total{job=\"cadvisor\"}[5m])) > 1")),
       V{"rules/record-naming 4:13"}},
      {"rate of a recorded sum of counters, through label_replace",
       rules(
           rule("record", "job:errors:sum", "label_replace(sum by (job) (errors_total), \"team\", \"a\", \"\", \"\")") +
           rule("alert", "A", "rate(job:errors:sum[5m]) > 1")),
       V{"promql/sum-then-rate 7:12"}},
  });
}

// A template's label that only the "one" side of the join carries: the help says to copy it.
TEST_CASE("label flow: a template label the join did not copy", "[lint][label-flow]") {
  auto help = [](const std::string& expr) {
    core::SourceFile src("r.yml", alert(expr, "{{ $labels.version }}"));
    std::vector<core::Diagnostic> diags;
    lint::Input in;
    in.rule_files.push_back(rules::load_rule_file(src, diags));
    lint::Options opt;
    opt.catalog = &catalog::none();
    for (const auto& d : lint::run(in, opt))
      if (d.check.id() == "labels/template-label-lost") return d.suggestion;
    return std::string("no finding");
  };
  CHECK(
      help("sum by (instance) (rate(e_total[5m])) * on (instance) group_left max by (instance, version) (info) > 1") ==
      "the right side of group_left has version: copy it with group_left (version)");
  // Lost by the aggregation above the join: the join is not where it went.
  CHECK(help("sum by (node) (a * on (instance) group_left (node) max by (instance, node, version) (info)) > 1") ==
        "keep it in the aggregation, e.g. sum by (version, ...)");
}

// Strangers' files (issue 56's second corpus, tests/data/review-corpus: monitoring-mixins, SAP's
// helm-charts), linted as a mixed repository is: --catalog none. Each false class found there has
// its case, and a twin whose finding is true.
TEST_CASE("label flow: an or default that the later steps remove", "[lint][label-flow][strangers]") {
  run_cases({
      // etcd's mixin: the absent() side is 0 throughout, its increase 0, and >= 4 removes it.
      {"or 0 * absent(x) inside increase(...[15m:1m]) >= 4",
       alert("increase((max without (instance) (foo) or 0 * absent(foo))[15m:1m]) >= 4", "{{ $labels.job }}"),
       V{"alerts/absent-without-for 4:12"}, nullptr, true},
      {"the same with >= 0, which 0 passes",
       alert("increase((max without (instance) (foo) or 0 * absent(foo))[15m:1m]) >= 0", "{{ $labels.job }}"),
       V{"alerts/absent-without-for 4:12", "promql/always-true 5:12", "labels/template-label-lost 6:40"}, nullptr,
       true},
      // SAP's cronus: the defaults meet only each other in the division, 0/0 is NaN, > 0.8 drops it.
      {"or on() vector(0) on both sides of a division",
       alert("sum(foo{p=~\".+\"} or on() vector(0)) by (p) / sum(bar{p=~\".+\"} or on() vector(0)) by (p) > 0.8",
             "{{ $labels.p }}"),
       V{}, nullptr, true},
      {"or on() vector(1): 1/1 passes > 0.8",
       alert("sum(foo{p=~\".+\"} or on() vector(1)) by (p) / sum(bar{p=~\".+\"} or on() vector(1)) by (p) > 0.8",
             "{{ $labels.p }}"),
       V{"labels/template-label-lost 6:40"}, nullptr, true},
  });
}

TEST_CASE("strangers: an alert whose matchers are its condition", "[lint][label-flow][strangers]") {
  run_cases({
      {"an info series joined with and",
       alert("vrops_alert_info{alert_name=\"x\"} and on (h) maint{state!=\"in\"}", "s"), V{}, nullptr, true},
      {"NetApp Harvest's *_labels", alert("vol_labels{logical=\"true\"} and vol_labels{enforced=\"false\"}", "s"), V{},
       nullptr, true},
      {"a state picked with =, which may have a series per state", alert("ctl_status{state=\"DOWN\"}", "s"),
       V{"alerts/no-comparison 5:11 info"}, nullptr, true, true},
      {"a rate with no comparison", alert("rate(x[5m])", "s"), V{"alerts/no-comparison 5:11 warning"}, nullptr, true,
       true},
  });
}

TEST_CASE("strangers: one series per group, constant values", "[lint][label-flow][strangers]") {
  const std::string value =
      "groups:\n- name: g\n  rules:\n"
      "  - alert: A\n    expr: count by (a) (sum by (a) (x) > 1)\n    labels: {meta: '{{ $value }}'}\n"
      "  - alert: B\n    expr: sum by (a) (x) > 1\n    labels: {meta: '{{ $value }}'}\n";
  run_cases({
      {"$value of count by the same labels is always 1", value, V{"alerts/value-in-labels 9:24"}, nullptr, true},
      // Canonical's hardware observer: ipmi_sel_state_warning's value is the log entry's id.
      {"$value in a label named as an id: one alert per id is the design, said at info",
       "groups:\n- name: g\n  rules:\n"
       "  - alert: A\n    expr: sel_state_warning > 0\n    labels: {event_id: '{{ $value }}'}\n",
       V{"alerts/value-in-labels 6:28 info"}, nullptr, true, true},
      // DC/OS's Elastic_UP: elasticsearch_up is 0 or 1, so `!= 1` keeps the 0s: the label is
      // always "0" (tests/data/review-corpus/proofs/review11c.test.yml).
      {"$value of a health gauge compared != 1 is always 0",
       "groups:\n- name: g\n  rules:\n"
       "  - alert: A\n    expr: elasticsearch_up{job=\"es\"} != 1\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: B\n    expr: (up > 0)\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: C\n    expr: node_load1 != 1\n    labels: {value: '{{ $value }}'}\n"
       "  - alert: D\n    expr: mysql_up >= 0\n    labels: {value: '{{ $value }}'}\n",
       V{"alerts/value-in-labels 12:25", "alerts/value-in-labels 15:25"}, nullptr, true},
      // SAP's swift: whichever project tops, it matches sum()'s one series.
      {"topk(1) under ignoring its only label", alert("sum(a) - ignoring (p) topk(1, sum by (p) (b)) > 5", "s"), V{},
       nullptr, true},
      {"topk(1) whose series are the alert's", alert("topk(1, sum by (p) (b)) > 5", "s"), V{"alerts/topk 5:12"},
       nullptr, true},
      {"NaN where a group may hold one series",
       alert("sum by (job, instance) (rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      {"NaN where sum() folds every instance", alert("sum(rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // OpenShift's ClusterLogForwarderOutputErrorRate: a group keeps the pod, one target, so the
      // job and instance it leaves out tell none of its series apart.
      {"NaN where each group keeps the pod",
       alert("sum by (namespace, pod, error_kind) (irate(a_total[5m]) / on (namespace, pod) group_left "
             "irate(b_total[5m])) > 0.1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      // Canonical's PostgresqlHighRollbackRate: a group is one database of one target.
      {"NaN where each group keeps the instance and the label the selectors pick by",
       alert("sum by (datname, instance, datid) (rate(a_total{datid!=\"0\"}[5m]) / rate(b_total{datid!=\"0\"}[5m])) "
             "> 0.02",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      // Rook's NVMeoF latency: avg by (instance) over a gateway's bdevs, reviewed true.
      {"NaN where each group keeps the instance and leaves out the job",
       alert("avg by (instance) (rate(a_total[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // KubeSphere's etcd:etcd_disk_wal_fsync_duration:avg: node is the host of the instance, one
      // member per host (tests/data/review-corpus/proofs/review7b.test.yml).
      {"NaN where each group keeps the instance's host",
       alert("sum by (node) (label_replace(sum by (instance) (irate(a_sum[5m])) / sum by (instance) "
             "(irate(a_count[5m])), \"node\", \"$1\", \"instance\", \"(.*):.*\")) > 1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 info"}, nullptr, true, true},
      {"NaN where a group keeps a label made of more than the host",
       alert("sum by (node) (label_replace(sum by (instance) (irate(a_sum[5m])) / sum by (instance) "
             "(irate(a_count[5m])), \"node\", \"$1\", \"instance\", \"(.*)-[0-9]+:.*\")) > 1",
             "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      {"NaN where sum by (pod) folds a pod's several series",
       alert("sum by (pod) (rate(a_total{pod!=\"\",bdev!=\"\"}[5m]) / rate(b_total[5m])) > 1", "s"),
       V{"promql/nan-in-aggregation 5:12 warning"}, nullptr, true, true},
      // Open Data Hub's burn rates: a ratio recorded by (ns) with a fixed component label, summed
      // by (ns) again. The component left out has one value: a group is one recorded series
      // (tests/data/review-corpus/proofs/review15.test.yml).
      {"NaN where the group leaves out only a label the recording rule fixes",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (ns) (ns:x:ratio{component=\"dsp\"}) > 1\n"
       "  - alert: B\n    expr: sum by (ns) (ns:x:ratio) > 1\n",
       V{}, nullptr, true, true},
      // The dashboard's burn rate shares its name with the pipelines' ones, which lack route:
      // route=~"rhods-dashboard" reads the dashboard's one series only.
      {"NaN of a name two rules record, where the matchers read one rule's series",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum(rate(a_total[5m])) / sum(rate(b_total[5m]))\n    labels: {route: r}\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (route) (ns:x:ratio{route=~\"r\"}) > 1\n",
       V{}, nullptr, true, true},
      {"NaN of a name two rules record, both read",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum(rate(a_total[5m])) / sum(rate(b_total[5m]))\n    labels: {route: r}\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (route) (ns:x:ratio) > 1\n",
       V{"promql/nan-in-aggregation 11:11 warning"}, nullptr, true, true},
      {"NaN where the group leaves out the recorded ratio's own label",
       "groups:\n- name: g\n  rules:\n"
       "  - record: ns:x:ratio\n    expr: sum by (ns) (rate(a_total[5m])) / sum by (ns) (rate(b_total[5m]))\n"
       "    labels: {component: dsp}\n"
       "  - alert: A\n    expr: sum by (component) (ns:x:ratio) > 1\n",
       V{"promql/nan-in-aggregation 8:11 warning"}, nullptr, true, true},
  });
}

TEST_CASE("strangers: rules of one name whose series never meet", "[lint][label-flow][strangers]") {
  const std::string dup =
      "groups:\n- name: g\n  rules:\n"
      "  - record: job:reasons:set\n    expr: label_replace(a, \"reason\", \"offline\", \"\", \".*\")\n"
      "  - record: job:reasons:set\n    expr: label_replace(b, \"reason\", \"dp\", \"\", \".*\")\n"
      "  - record: job:size:mul\n    expr: case_one * x\n"
      "  - record: job:size:mul\n    expr: case_two * x\n"
      "  - alert: E\n    expr: sum by (h) (rate(r{h=\"/q\"}[5m])) > 1\n"
      "  - alert: E\n    expr: sum by (h) (rate(r{h!=\"/q\"}[5m])) > 1\n"
      "  - alert: F\n    expr: sum by (h) (rate(r{h=\"/q\"}[5m])) > 1\n"
      "  - alert: F\n    expr: sum by (h) (rate(r{h!=\"/z\"}[5m])) > 2\n";
  run_cases(
      {{"label_replace constants, = against !=, other metrics", dup,
        V{"rules/duplicate-rule 10:13 info", "rules/copied-alert 16:12 warning", "rules/duplicate-rule 18:12 warning"},
        nullptr, true, true}});
}

// A recorded name without a colon may be an exporter's too (Prometheus reserves colons for
// recording rules): under --catalog none, what its rule's results lack says nothing of the rest.
TEST_CASE("strangers: a recorded name without a colon may be scraped too", "[lint][label-flow][strangers]") {
  const std::string rules = "groups:\n- name: g\n  rules:\n"
                            "  - record: foo_by_pod\n    expr: sum by (pod) (foo)\n"
                            "  - record: pod:foo:sum\n    expr: sum by (pod) (foo)\n"
                            "  - alert: A\n    expr: sum by (container) (foo_by_pod) > 1\n"
                            "  - alert: B\n    expr: sum by (container) (pod:foo:sum) > 1\n";
  run_cases({{"only the colon name is the rule's alone", rules,
              V{"rules/record-naming 4:13", "labels/removed-label 11:11"}, nullptr, true}});
}

// Strangers' files (issue 56, the third review: GitLab's runbooks).
TEST_CASE("label flow: a Thanos Ruler's group reads its series through the querier", "[lint][label-flow]") {
  // The ruler's own recorded series carry its external labels (GitLab's monitor="global").
  const std::string thanos = "groups:\n- name: g\n  partial_response_strategy: warn\n  rules:\n"
                             "  - record: job:x:rate5m\n    expr: sum by (job) (rate(x[5m]))\n"
                             "    labels: {team: web}\n"
                             "  - alert: A\n    expr: 'job:x:rate5m{monitor=\"global\", team=\"db\"} > 1'\n";
  std::string prometheus = thanos;
  prometheus.replace(prometheus.find("  partial_response_strategy: warn\n"), 34, "");
  run_cases({
      {"a Thanos Ruler's group", thanos, V{"rules/other-ruler 3:3"}},
      {"a Prometheus group", prometheus, V{"promql/impossible 8:12"}},
  });
}

TEST_CASE("label flow: a comparison that removes only NaN", "[lint][label-flow]") {
  run_cases({
      {">= 0 of a ratio of rates keeps the NaN out", alert("sum(rate(a_total[5m])) / sum(rate(b_total[5m])) >= 0"),
       V{}},
      {">= 0 of a rate removes nothing", alert("sum(rate(a_total[5m])) >= 0"), V{"promql/always-true 5:12"}},
  });
}

// An alert sets its own alertname: the alerts it reads, told apart by theirs, collide
// (kube-prometheus-5a7662e's proof).
TEST_CASE("label flow: an alert that keeps the alertname of the alerts it reads", "[lint][label-flow]") {
  run_cases({
      {"ALERTS of every name",
       alert("ALERTS{severity=\"info\"} == 1 unless on (namespace) ALERTS{severity=\"critical\"}"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"a by list that keeps alertname", alert("count by (alertname, namespace) (ALERTS) > 1"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"counted by namespace", alert("count by (namespace) (ALERTS{severity=\"info\"}) > 0"), V{}},
      {"one alert's series", alert("ALERTS{alertname=\"KubePodCrashLooping\", alertstate=\"firing\"}"),
       V{"alerts/undefined-alert 5:19"}},
      {"on the right side of and", alert("up == 0 and on (instance) ALERTS{alertstate=\"firing\"}"), V{}},
  });
}

// NaN is unequal to every value and orders with none (gitlab-com-runbooks-5bee5bb's proof).
TEST_CASE("label flow: a comparison with NaN", "[lint][label-flow]") {
  const std::string ratio = "sum(rate(a_total[5m])) / sum(rate(b_total[5m]))";
  run_cases({
      {"!= NaN removes nothing", alert("(" + ratio + " != NaN) < 0.9"), V{"promql/always-true 5:13"}},
      {"NaN on the left", alert("(NaN != " + ratio + ") < 0.9"), V{"promql/always-true 5:13"}},
      {"== NaN keeps nothing", alert(ratio + " == NaN"), V{"promql/impossible 5:12"}},
      {"> NaN keeps nothing", alert(ratio + " > nan"), V{"promql/impossible 5:12"}},
      {"a bool comparison returns every series", alert("(" + ratio + " != bool NaN) == 1"), V{}},
      {"x == x drops the NaN samples", alert("(" + ratio + " == " + ratio + ") < 0.9"), V{}},
  });
}

TEST_CASE("label flow: NaN in an aggregation whose values nothing reads", "[lint][label-flow]") {
  run_cases({
      {"the right side of unless", alert("up > 1 unless on (job) sum by (job) (rate(e_total[5m]) / rate(t_total[5m]))"),
       V{}},
      {"a comparison on the right side of and",
       alert("up > 1 and on (job) sum by (job) (rate(e_total[5m]) / rate(t_total[5m])) > 0.5"),
       V{"promql/nan-in-aggregation 5:32"}},
  });
}

TEST_CASE("label flow: the actions of a range over a query that does not parse", "[lint][label-flow]") {
  run_cases({
      // The expansion fails at the query; .labels (no field of a sample) is never reached.
      {"after the query", alert("up == 0", "{{ range query \"up xxx\" }}{{ .labels.x }}{{ end }}"),
       V{"rules/template 6:44"}},
      {"over a query that parses", alert("up == 0", "{{ range query \"up\" }}{{ .labels.x }}{{ end }}"),
       V{"rules/template 6:61"}},
  });
}

TEST_CASE("duplicate-rule: selectors and labels that keep two rules apart", "[lint][label-flow]") {
  const std::string head = "groups:\n- name: g\n  rules:\n";
  auto rec = [](const std::string& expr) { return "  - record: instance_mode:x:rate1m\n    expr: '" + expr + "'\n"; };
  auto alert_q = [](const std::string& expr) { return "  - alert: Q\n    expr: '" + expr + "'\n"; };
  Case apart{"mode=\"iowait\" and mode!=\"iowait\" under sum without (cpu)",
             head + rec("sum without (cpu) (rate(x{mode!=\"iowait\"}[1m]))") +
                 rec("sum without (cpu) (deriv(x{mode=\"iowait\"}[1m]) > 0)"),
             V{}};
  Case overlap{"mode=\"iowait\" and mode!=\"idle\"",
               head + rec("sum without (cpu) (rate(x{mode!=\"idle\"}[1m]))") +
                   rec("sum without (cpu) (deriv(x{mode=\"iowait\"}[1m]) > 0)"),
               V{"rules/duplicate-rule 6:13 warning"}};
  // by (verb) against a sum of everything: they meet only where the series have no verb.
  Case by_verb{"sum () and sum by (verb) of one metric",
               head + alert_q("sum(rate(r_total[5m])) > 3") + alert_q("sum by (verb) (rate(r_total[5m])) > 10"),
               V{"rules/duplicate-rule 6:12 info"}};
  Case same{"sum () twice", head + alert_q("sum(rate(r_total[5m])) > 3") + alert_q("sum(rate(r_total[5m])) > 10"),
            V{"rules/duplicate-rule 6:12 warning"}};
  // One gate taken by one rule and refused by the other, or two gates no hour passes both: a
  // series is in one result at a time (proofs/duplicate-gates.test.yml).
  Case night{"a gate and its refusal",
             head + alert_q("rate(r_total[5m]) > 1 unless on () hour() >= 22") +
                 alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
             V{}};
  Case hours{"two gates of the hour that pass no hour both",
             head + alert_q("rate(r_total[5m]) > 1 and on () hour() < 22") +
                 alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
             V{}};
  Case late{"two gates of the hour that overlap",
            head + alert_q("rate(r_total[5m]) > 1 and on () hour() >= 20") +
                alert_q("rate(r_total[5m]) > 5 and on () hour() >= 22"),
            V{"rules/duplicate-rule 6:12 warning"}};
  Case other_keys{"a gate and its refusal on other labels",
                  head + alert_q("rate(r_total[5m]) > 1 unless on (job) up == 0") +
                      alert_q("rate(r_total[5m]) > 5 and on (instance) up == 0"),
                  V{"rules/duplicate-rule 6:12 info"}};
  for (Case* c : {&apart, &overlap, &by_verb, &same, &night, &hours, &late, &other_keys}) c->severity = true;
  run_cases({apart, overlap, by_verb, same, night, hours, late, other_keys});
}

namespace {
// --catalog none lint-rules of several files, given by path: the findings of one check.
std::vector<std::string> lint_files(const std::vector<std::pair<std::string, std::string>>& files,
                                    std::string_view check) {
  std::vector<core::SourceFile> sources;
  sources.reserve(files.size());
  for (const auto& [path, text] : files) sources.emplace_back(path, text);
  std::vector<core::Diagnostic> diags;
  lint::Input in;
  for (const auto& s : sources) in.rule_files.push_back(rules::load_rule_file(s, diags));
  lint::Options opt;
  opt.catalog = &catalog::none();
  auto found = lint::run(in, opt);
  std::vector<std::string> out;
  for (const auto& d : found)
    if (d.check.id() == check) out.push_back(d.span.file.str() + " " + std::to_string(d.span.line));
  return out;
}

// A file that records job:x:rate5m (by job, team="web"), and one with an alert A of `expr`.
const std::string records =
    "groups:\n- name: r\n  rules:\n  - record: job:x:rate5m\n    expr: sum by (job) (rate(x[5m]))\n"
    "    labels: {team: web}\n";
std::string reads(const std::string& expr) {
  return "groups:\n- name: a\n  rules:\n  - alert: A\n    expr: '" + expr + "'\n";
}
} // namespace

TEST_CASE("undefined-recording-rule: a near miss of another project's name", "[lint][label-flow]") {
  // A near miss of a name its own project records is a typo; of another project's, nothing.
  CHECK(lint_files({{"a/rules/r.yml", records}, {"a/alerts/a.yml", reads("job:x:rate1m > 1")}},
                   "rules/undefined-recording-rule") == V{"a/alerts/a.yml 5"});
  CHECK(lint_files({{"a/rules/r.yml", records}, {"b/alerts/a.yml", reads("job:x:rate1m > 1")}},
                   "rules/undefined-recording-rule")
            .empty());
}

TEST_CASE("label flow: the values of a series read through a Thanos querier", "[lint][label-flow]") {
  // Other servers' rules of the name may give it other values (GitLab's key metrics of each
  // service): type="web" is not refused because the rule here reads type="gitaly".
  const std::string thanos = "groups:\n- name: g\n  partial_response_strategy: warn\n  rules:\n"
                             "  - record: job:x:rate5m\n    expr: sum by (job, type) (rate(x{type=\"gitaly\"}[5m]))\n"
                             "  - alert: A\n    expr: 'job:x:rate5m{type=\"web\"} > 1'\n";
  std::string prometheus = thanos;
  prometheus.replace(prometheus.find("  partial_response_strategy: warn\n"), 34, "");
  CHECK(lint_files({{"a/r.yml", thanos}}, "promql/impossible").empty());
  CHECK(lint_files({{"a/r.yml", prometheus}}, "promql/impossible") == V{"a/r.yml 7"});
}

TEST_CASE("label flow: a name recorded in several directories, whatever the files' order", "[lint][label-flow]") {
  // Two servers' rules record job:x:rate5m: which labels its series carry is not known from
  // either, and the finding must not depend on which file comes first.
  const std::string alert_a = records + "  - alert: A\n    expr: 'job:x:rate5m{instance=\"a\"} > 1'\n";
  CHECK(lint_files({{"a/r.yml", alert_a}, {"b/r.yml", records}}, "promql/impossible").empty());
  CHECK(lint_files({{"b/r.yml", records}, {"a/r.yml", alert_a}}, "promql/impossible").empty());
  CHECK(lint_files({{"a/r.yml", alert_a}}, "promql/impossible") == V{"a/r.yml 8"});
}

TEST_CASE("label flow: units by the series' names", "[lint][label-flow]") {
  // A recording rule: the expression starts at line 5, column 11, as alert()'s does.
  auto record = [](const std::string& expr) {
    return "groups:\n- name: g\n  rules:\n  - record: instance:x:ratio\n    expr: '" + expr + "'\n";
  };
  const std::string mem = "node_memory_MemAvailable_bytes or (node_memory_MemFree_bytes + node_memory_Cached_bytes)";
  run_cases({
      // node_exporter 4bc1c020: `/` binds before `or`.
      {"bytes or a ratio of bytes", record("1 - (" + mem + " / node_memory_MemTotal_bytes)"),
       V{"units/mixed-or 5:17 warning"}, nullptr, true, true},
      {"the or parenthesised before the division", record("1 - ((" + mem + ") / node_memory_MemTotal_bytes)"), V{},
       nullptr, true, true},
      {"bytes or bytes", record("node_memory_MemAvailable_bytes or node_memory_MemFree_bytes"), V{}, nullptr, true,
       true},
      {"bytes or seconds", record("x_bytes or y_seconds"), V{"units/mixed-or 5:12 warning"}, nullptr, true, true},
      {"a ratio by its name or a quotient", record("x_ratio or a_bytes / b_bytes"), V{}, nullptr, true, true},
      {"a series whose name has no unit", record("x_bytes or y / z_bytes"), V{}, nullptr, true, true},
      // sapcc helm-charts c37a452: a name is no fact, so a condition at info.
      {"a percent by its name compared with a ratio", alert("limes_capacity_blocked_percent > 0.8"),
       V{"units/percent-as-ratio 5:12 info"}, nullptr, true, true},
      {"a percent by its name compared with a percentage", alert("limes_capacity_blocked_percent > 80"), V{}, nullptr,
       true, true},
      {"a percent scaled first", alert("x_used_percent * 100 > 66"), V{}, nullptr, true, true},
      // Of three _ratio series compared above 1 in strangers' rules, all three held percentages.
      {"a ratio by its name compared above 1 is not suspected", alert("activemq_store_usage_ratio > 70"), V{}, nullptr,
       true, true},
  });
}

TEST_CASE("label flow: branches of or that mirror each other", "[lint][label-flow]") {
  const std::string skew = "(x > 0.05 and deriv(x[5m]) >= 0) or (x < ";
  run_cases({
      // node_exporter 8b00b229: the mirror image of 0.05 is -0.05.
      {"a bound written twice where its negative was meant", alert(skew + "0.05 and deriv(x[5m]) <= 0)"),
       V{"promql/mirrored-threshold 5:49"}, nullptr, true},
      {"the bound mirrored", alert(skew + "-0.05 and deriv(x[5m]) <= 0)"), V{}, nullptr, true},
      // British summer time: March from the 25th, October before it; the branches test months too.
      {"branches that test other things",
       alert("(vector(1) and month() == 3 and day_of_month() >= 25) or (vector(1) and month() == 10 and "
             "day_of_month() < 25)"),
       V{}, nullptr, true},
      {"one test a side is no mirror", alert("x > 5 or x < 5"), V{}, nullptr, true},
  });
}

// Google Cloud Managed Service for Prometheus evaluates a Rules manifest scoped to its project,
// location, cluster and namespace (a ClusterRules manifest to all but the namespace): its operator
// adds an equality matcher on each to every selector and each as a label to every rule. So
// absent()'s result carries them, and so does every series a recording rule writes; $labels has
// them where the expression keeps them, not from the rule (proofs/review12.test.yml, GMPScope*).
TEST_CASE("strangers: Managed Service for Prometheus scopes every selector and result",
          "[lint][label-flow][strangers]") {
  auto gmp = [](const char* kind, const std::string& rules) {
    return std::string("apiVersion: monitoring.googleapis.com/v1\nkind: ") + kind +
           "\nmetadata: {name: x, namespace: shop}\nspec:\n  groups:\n  - name: g\n    rules:\n" + rules;
  };
  const std::string absent = "    - alert: A\n      expr: absent(up{job=\"web\"})\n      for: 5m\n"
                             "      annotations: {summary: 'web gone from {{ $labels.namespace }}'}\n";
  const std::string recorded = "    - record: job:up:sum\n      expr: sum by (job) (up)\n"
                               "    - alert: B\n      expr: job:up:sum == 0\n"
                               "      annotations: {summary: '{{ $labels.job }} down in {{ $labels.namespace }}'}\n";
  const std::string summed = "    - alert: C\n      expr: sum(up) == 0\n"
                             "      annotations: {summary: 'all down in {{ $labels.namespace }}'}\n";
  const std::string plain = "groups:\n- name: g\n  rules:\n";
  auto unindent = [](std::string s) {
    for (std::size_t at = 0; (at = s.find("    ", at)) != std::string::npos;) s.erase(at, 2), at += 2;
    return s;
  };
  run_cases({
      {"absent() in a Rules manifest carries its namespace", gmp("Rules", absent), V{}, nullptr, true},
      {"absent() in a plain rule file does not", plain + unindent(absent), V{"labels/template-label-lost 7:54"},
       nullptr, true},
      {"absent() in a ClusterRules manifest carries no namespace", gmp("ClusterRules", absent),
       V{"labels/template-label-lost 11:56"}, nullptr, true},
      {"a Rules manifest's recorded series carry its namespace", gmp("Rules", recorded), V{}, nullptr, true},
      {"a plain file's do not", plain + unindent(recorded), V{"labels/template-label-lost 8:66"}, nullptr, true},
      {"sum() keeps no label: the scope is the rule's label, not $labels'", gmp("Rules", summed),
       V{"labels/template-label-lost 10:54"}, nullptr, true},
  });
}
