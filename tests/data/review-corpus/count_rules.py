#!/usr/bin/python3
"""Count the alerting and recording rules in Prometheus rule files.

Reads plain rule files (`groups:` at the top), PrometheusRule and VMRule manifests and Google Cloud
Managed Service for Prometheus' Rules, ClusterRules and GlobalRules and OpenShift's AlertingRule (`spec.groups`),
ConfigMaps with a rule file in their data and Helm values with rule groups (kube-prometheus-stack's,
the prometheus chart's; in a Flux HelmRelease too; a prometheus-blackbox-exporter HelmRelease's
prometheusRule.rules), including multi-document files and `kind: List`. Prints alert, record, whether rule groups were
found, and the path, one line a file, then the totals.

    python3 count_rules.py $(find . -name '*.yml' -o -name '*.yaml')
"""
import sys

import yaml


def chart_groups(values):
    """kube-prometheus-stack's additionalPrometheusRulesMap (else additionalPrometheusRules) and the
    prometheus chart's serverFiles and openstack-helm's conf.prometheus.rules, as lint-rules reads
    them; None when the values hold none."""
    if not isinstance(values, dict):
        return None
    entries = []
    if isinstance(values.get("additionalPrometheusRulesMap"), dict):
        entries += values["additionalPrometheusRulesMap"].values()
    elif isinstance(values.get("additionalPrometheusRules"), list):
        entries += values["additionalPrometheusRules"]
    if isinstance(values.get("serverFiles"), dict):
        entries += values["serverFiles"].values()
    conf = values.get("conf")
    prometheus = conf.get("prometheus") if isinstance(conf, dict) else None
    if isinstance(prometheus, dict) and isinstance(prometheus.get("rules"), dict):
        entries += prometheus["rules"].values()  # openstack-helm's prometheus chart
    held = [e["groups"] for e in entries if isinstance(e, dict) and isinstance(e.get("groups"), list)]
    return [g for gs in held for g in gs] if held else None


def blackbox_group(spec):
    """prometheus-blackbox-exporter's prometheusRule.rules (when enabled), one group, as lint-rules
    reads a HelmRelease of the chart; None otherwise."""
    chart = ((spec.get("chart") or {}).get("spec") or {}).get("chart") or (spec.get("chartRef") or {}).get("name")
    rule = (spec.get("values") or {}).get("prometheusRule")
    if not (isinstance(chart, str) and "blackbox-exporter" in chart and isinstance(rule, dict)
            and rule.get("enabled") is True and isinstance(rule.get("rules"), list)):
        return None
    return [{"name": "prometheus-blackbox-exporter", "rules": rule["rules"]}]


def groups_of(doc):
    if not isinstance(doc, dict):
        return None
    if isinstance(doc.get("groups"), list):
        return doc["groups"]
    spec = doc.get("spec")
    gmp = doc.get("kind") in ("Rules", "ClusterRules", "GlobalRules") and str(
        doc.get("apiVersion", "")).startswith("monitoring.googleapis.com/")
    openshift = doc.get("kind") == "AlertingRule" and str(doc.get("apiVersion", "")).startswith("monitoring.openshift.io/")
    if (doc.get("kind") in ("PrometheusRule", "VMRule") or gmp or openshift) and isinstance(spec, dict) and isinstance(spec.get("groups"), list):
        return spec["groups"]
    if doc.get("kind") == "ConfigMap" and isinstance(doc.get("data"), dict):
        # A rule file in the data (lint-rules reads those written as literal blocks).
        held = [yaml.safe_load(v) for v in doc["data"].values()
                if isinstance(v, str) and (v.startswith("groups:") or "\ngroups:" in v)]
        held = [h["groups"] for h in held if isinstance(h, dict) and isinstance(h.get("groups"), list)]
        return [g for gs in held for g in gs] if held else None
    if doc.get("kind") == "HelmRelease" and isinstance(spec, dict):
        held = chart_groups(spec.get("values"))
        return held if held is not None else blackbox_group(spec)
    if "apiVersion" not in doc and "kind" not in doc:
        return chart_groups(doc)
    return None


def count_text(text):
    a = r = 0
    ok = False
    for doc in yaml.safe_load_all(text):
        if isinstance(doc, dict) and doc.get("kind") == "List":
            docs = doc.get("items") or []
        else:
            docs = [doc]
        for d in docs:
            gs = groups_of(d)
            if gs is None:
                continue
            ok = True
            for g in gs:
                for rule in g.get("rules") or []:
                    if "alert" in rule:
                        a += 1
                    elif "record" in rule:
                        r += 1
    return ok, a, r


if __name__ == "__main__":
    ta = tr = 0
    for p in sys.argv[1:]:
        with open(p, encoding="utf-8") as f:
            ok, a, r = count_text(f.read())
        print(f"{a}\t{r}\t{'ok' if ok else 'NO-GROUPS'}\t{p}")
        ta += a
        tr += r
    print(f"{ta}\t{tr}\tTOTAL")
