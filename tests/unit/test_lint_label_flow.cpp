// What an expression means (lint::Inference): which labels its result carries, with which values,
// through templates, fallbacks, recording rules and joins. Each class of bug has a case that must
// report it, at its position, and a correct twin that must not. Values, templates' functions and
// the rest: test_lint_label_flow_values.cpp, test_lint_strangers.cpp; the harness:
// test_label_flow_support.hpp.
#include <catch2/catch.hpp>

#include "test_label_flow_support.hpp"

using namespace nsmon;
using namespace nsmon::testing::label_flow;

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
      {"or vector(0) before > 0", alert("(sum by (job) (foo) or vector(0)) > 0", "{{ $labels.job }}"),
       V{"promql/fallback-removed 5:12"}},
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
      {"an open side or vector(0) before > 0", alert("(foo or on () vector(0)) > 0", "{{ $labels.colo }}"),
       V{"promql/fallback-removed 5:12"}},
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
      // A side that keeps no label against one that keeps its by list, matched on every label: they
      // pair only series without the listed labels (tempo ea7bd7b^, the by on the divisor only).
      {"a sum without labels against a sum by labels",
       alert("avg(foo) / avg(foo offset 7d) by (cluster, namespace) > 1.4"), V{"labels/impossible-match 5:12"}},
      {"unless against a sum without labels", alert("sum by (namespace) (x) > 0 unless sum(y) > 5"),
       V{"labels/impossible-match 5:12"}},
      {"a sum by fewer labels against a sum by more", alert("sum by (namespace) (x) / sum by (namespace, pod) (y) > 1"),
       V{"labels/impossible-match 5:12"}},
      {"both sides by the same labels, in another order",
       alert("sum by (pod, namespace) (x) / sum by (namespace, pod) (y) > 1"), V{}},
      {"both sides by the same labels",
       alert("avg by (cluster, namespace) (foo) / avg by (cluster, namespace) (foo offset 7d) > 1.4"), V{}},
      {"both sides without labels", alert("sum(foo) / sum(bar) > 1"), V{}},
      {"a sum without labels against a sum by (cluster) only", alert("sum(foo) / sum by (cluster) (bar) > 1"), V{}},
      {"a sum without labels, matched on ()", alert("sum by (cluster) (foo) / on () group_left sum(bar) > 1"), V{}},
      {"a sum without labels, the by list ignored", alert("sum(foo) / ignoring (cluster) max by (cluster) (bar) > 1"),
       V{}},
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
      // tavon-ai/proteos (tests/data/review-corpus/proofs/review36-proteos.fails.test.yml): the
      // right side reads every code the left reads and the others.
      {"the same metric on the right with fewer matchers",
       alert("rate(x{code=~\"5..\"}[5m]) / on (instance) (rate(x[5m]) + 1e-9) > 0.05"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the same metric on the right, clamped",
       alert("rate(x{op=\"boot\",result=\"error\"}[5m]) / on (instance) clamp_min(rate(x{op=\"boot\"}[5m]), 1) > 0.2"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the same metric matched on the left's label too",
       alert("rate(x{code=~\"5..\"}[5m]) / on (instance, code) rate(x[5m]) > 0.05"), V{}},
      {"the same metric summed by the match on both sides",
       alert("sum by (instance) (rate(x{code=~\"5..\"}[5m])) / on (instance) sum by (instance) (rate(x[5m])) > 0.05"),
       V{}},
      {"the same metric, the right picking the same value",
       alert("rate(x{code=\"500\"}[5m]) / on (instance) rate(x{code=\"500\"}[5m]) > 0.05"), V{}},
      {"the same metric, the left picking a job", alert("rate(x{job=\"api\"}[5m]) / on (instance) rate(x[5m]) > 0.05"),
       V{}},
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
      // An exporter's fact (rules/exporters.yml's `apart`) says the label tells a target's things
      // apart, whatever the other side has (review-corpus proofs/apart-both-sides*.fails.test.yml).
      {"a host's CPUs on the right, the left's labels unknown",
       alert("node_memory_MemAvailable_bytes / on (instance) rate(node_cpu_seconds_total{mode=\"idle\"}[5m]) > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a host's filesystems on both sides",
       alert("node_filesystem_avail_bytes / on (instance) node_filesystem_size_bytes < 0.1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a host's filesystems matched on mountpoint",
       alert("node_filesystem_avail_bytes / on (instance, mountpoint) node_filesystem_size_bytes < 0.1"), V{}},
      {"a host's hwmon sensors", alert("node_load1 / on (instance) node_hwmon_temp_celsius > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a host's hwmon sensor picked",
       alert("node_load1 / on (instance) node_hwmon_temp_celsius{chip=\"platform_coretemp_0\", sensor=\"temp1\"} > 1"),
       V{}},
      {"a host's CPUs' softnet",
       alert("rate(node_softnet_dropped_total[5m]) / on (instance) rate(node_softnet_processed_total[5m]) > 0.01"),
       V{"labels/duplicate-match-group 5:12"}},
      {"softnet matched per CPU",
       alert("rate(node_softnet_dropped_total[5m]) / on (instance, cpu) rate(node_softnet_processed_total[5m]) > 0.01"),
       V{}},
      {"a host's CPUs' schedstat",
       alert("rate(node_schedstat_waiting_seconds_total[5m]) / on (instance) node_load1 > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"schedstat of one CPU",
       alert("rate(node_schedstat_waiting_seconds_total{cpu=\"0\"}[5m]) / on (instance) node_load1 > 1"), V{}},
      {"a CPU's interrupts",
       alert("rate(node_interrupts_total[5m]) / on (instance, cpu) rate(node_softnet_processed_total[5m]) > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"one interrupt of each CPU",
       alert("rate(node_interrupts_total{type=\"NET_RX\"}[5m]) / on (instance, cpu) "
             "rate(node_softnet_processed_total[5m]) > 1"),
       V{}},
      // thanos-receive-controller writes an error series per type, each set to 0 at start
      // (observatorium/thanos-receive-controller 9055827's example rules).
      {"a controller's error types",
       alert("rate(thanos_receive_controller_reconcile_errors_total[5m]) / on (namespace) "
             "rate(thanos_receive_controller_reconcile_attempts_total[5m]) > 0.1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"the error types grouped left",
       alert("rate(thanos_receive_controller_reconcile_errors_total[5m]) / on (namespace) group_left "
             "rate(thanos_receive_controller_reconcile_attempts_total[5m]) > 0.1"),
       V{}},
      // kube-state-metrics' node conditions and resources (proofs/apart-ksm-node*.fails.test.yml);
      // v1.x's kube_node_status_allocatable_cpu_cores has one series per node.
      {"a node's conditions", alert("kube_node_status_condition{status=\"true\"} * on (node) x > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a node's Ready condition",
       alert("kube_node_status_condition{condition=\"Ready\", status=\"true\"} * on (node) x > 1"), V{}},
      {"a node's resources", alert("x / on (node) kube_node_status_allocatable > 1"),
       V{"labels/duplicate-match-group 5:12"}},
      {"a node's cpu", alert("x / on (node) kube_node_status_allocatable{resource=\"cpu\"} > 1"), V{}},
      {"v1.x's one-resource name", alert("x / on (node) kube_node_status_allocatable_cpu_cores > 1"),
       V{"exporters/renamed-metric 5:26"}},
      {"a matcher picking the exporter's label may leave one",
       alert("kube_pod_container_resource_requests{container=~\"nb-.*\"} * on (namespace, pod) y > 1"), V{}},
      // A pod's name is unique only within its namespace.
      {"a pod of one name in two namespaces",
       alert("kube_pod_container_resource_requests{container=~\"nb-.*\"} * on (pod) y > 1"),
       V{"labels/duplicate-match-group 5:12"}},
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
      // review63: the copy read into another label, which the match then compares.
      {"read by label_replace, matched on",
       alert("label_replace(" + join + ", \"v\", \"$1\", \"version\", \"(.+)\") / on (v) c > 1"), V{}},
      {"read by label_replace, dropped",
       alert("label_replace(" + join + ", \"v\", \"$1\", \"version\", \"(.+)\") / on (instance) b > 1"),
       V{"labels/copied-label-dropped 5:12"}},
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

// by (__name__) splits series where the selector reads several names (gitpod 8b0f245's
// count({__name__!=""}) by (__name__), recorded), not where it names one metric (mine67's KubeAid
// f1f33152b: count by (__name__, schedule) (velero_backup_attempt_total{...}), an alert).
TEST_CASE("label flow: by (__name__) of one metric and of several", "[lint][label-flow]") {
  run_cases({
      {"one metric", alert("count by (__name__, schedule) (x{schedule=~\".*daily.*\"}) > 0"), V{}},
      {"several names", alert("count by (__name__) ({__name__=~\"pg_settings_.+\"}) > 0"),
       V{"alerts/duplicate-labelset 4:12"}},
      {"every name", alert("count by (__name__) ({__name__!=\"\"}) > 0"), V{"alerts/duplicate-labelset 4:12"}},
      // One metric under the names of its releases: a program serves one of them.
      {"an optional unit", alert("count by (__name__) ({__name__=~\"calls_duration(_seconds)?_count\"}) > 0"), V{}},
      {"a prefix added", alert("count by (__name__) ({__name__=~\"k6_http_reqs_total|http_reqs_total\"}) > 0"), V{}},
  });
}
