#!/usr/bin/python3
"""Writes a Prometheus rule file of N alerting rules over the catalog's metrics (default 10,000,
about 3.3 MB): realistic expressions (histogram quantiles, error ratios, gauges with thresholds),
labels and templated annotations. Deterministic."""
import random
import sys

EXPRS = [
    'histogram_quantile(0.95, sum by (le, model) (rate(inference_time_seconds_bucket{{model="m{i}"}}[5m]))) > {t}',
    'sum by (stage) (rate(errors_total{{stage="s{i}"}}[5m])) / sum by (stage) (rate(images_processed_total{{stage="s{i}"}}[5m])) > 0.{t}',
    'min by (model) (training_loss{{model="m{i}"}}) > {t}',
    'max by (instance) (cpu_usage_percent{{instance="host{i}:8000"}}) > 9{t}',
    'min by (instance) (memory_available_bytes{{instance="host{i}:8000"}}) < {t}e9',
    'sum by (instance, error_type) (rate(errors_total{{error_type="E{i}"}}[5m])) > 0.{t}',
]


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
    per_group = 100
    rnd = random.Random(1)
    out = ["groups:"]
    for i in range(n):
        if i % per_group == 0:
            out.append(f"  - name: group_{i // per_group}\n    interval: 30s\n    rules:")
        expr = rnd.choice(EXPRS).format(i=i, t=rnd.randint(1, 9))
        out.append(
            f"      - alert: Alert{i}\n        expr: {expr}\n        for: 5m\n        labels:\n"
            f"          severity: warning\n          team: ml\n        annotations:\n"
            f"          summary: \"Alert {i} fired\"\n"
            f"          description: \"Value {{{{ $value | humanize }}}} for {{{{ $labels.instance }}}}\"")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
