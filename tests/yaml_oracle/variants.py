#!/usr/bin/env python3
"""Generated prometheus.yml variants for the yaml.v2 differential (differential.sh v2): every
place where yaml.v2 reads a file differently from yaml.v3 or from a naive reader — YAML 1.1
scalars (booleans, octal, hex, binary, underscores, timestamps, floats, out-of-range integers,
explicit tags), keys that look like other types, merge keys before and after explicit keys, merge
lists, nested merges, duplicates — each written into the fields of a real prometheus.yml shape.
Deterministic: the same files on every run. Usage: variants.py OUT_DIR (prints the count)."""
import os
import sys

SCALARS = [
    "yes", "No", "ON", "off", "y", "n", "true", "False", "TRUE", "'true'", '"yes"',
    "0x1F", "0X1f", "0o17", "0O17", "017", "08", "0b101", "-0b11", "+0b11", "1_000", "_1", "1__0",
    "+5", "-5", "-0", "0", "00", "0x", "0o", "-0x10",
    "1e3", "1E+3", "1.5", "1.", ".5", "-.5", "+.5e-3", "1.5e", "1.2.3", "1e999", "-1e999", "1e-999",
    ".inf", "-.Inf", "+.INF", ".NaN", ".nan", ".NAN", ".Nan", "inf", "NaN",
    "2001-12-14", "2001-02-30", "2000-02-29", "1900-02-29", "2001-12-14T21:59:43.10-05:00",
    "2001-12-14t21:59:43Z", "2001-12-14 21:59:43.10", "2001-12-14 21:59:43 +5", "2001-1-2", "20011-12-14",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
    "18446744073709551615", "18446744073709551616", "0xFFFFFFFFFFFFFFFF", "99999999999999999999",
    "~", "null", "NULL", "Null", "nULL", "''", '""',
    "!!str 1", "!!str yes", "!!int '12'", "!!int 0x10", "!!float 1", "!!float '2.5'", "!!int abc",
    "!!bool yes", "!!bool maybe", "!!null ~", "!!null x", "!!timestamp 2001-12-14", "!!binary aGVsbG8=",
    "!custom 7", "! 7", "<<", "=", "10s", "1m30s", "-", "+", ".", "0.0.0.0:9090",
]

# Fields of each yaml.v2 type in prometheus.yml, and a free-form one (labels).
FIELDS = [
    ("global", "scrape_interval"),
    ("job", "honor_labels"),
    ("job", "sample_limit"),
    ("job", "scrape_timeout"),
    ("job", "enable_http2"),
    ("labels", "team"),
]


def scalar_file(field, value):
    where, name = field
    if where == "global":
        return f"global:\n  {name}: {value}\nscrape_configs:\n  - job_name: a\n"
    if where == "labels":
        return (f"scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['x:1']\n"
                f"        labels:\n          {name}: {value}\n")
    return f"scrape_configs:\n  - job_name: a\n    {name}: {value}\n"


KEYS = ["yes", "on", "y", "1", "0x1", "~", "null", "''", "'yes'", "2001-12-14", "1.5", "!!str on", "? k"]

MERGES = {
    # The explicit key before the merge: yaml.v2 lets the merged value win, yaml.v3 the explicit one.
    "before": """defaults: &d
  scrape_interval: 30s
  honor_labels: true
scrape_configs:
  - job_name: a
    scrape_interval: 10s
    <<: *d
""",
    "after": """defaults: &d
  scrape_interval: 30s
scrape_configs:
  - <<: *d
    job_name: a
    scrape_interval: 10s
""",
    "list": """a: &a {scrape_interval: 1s, sample_limit: 1}
b: &b {scrape_interval: 2s, body_size_limit: 2MB}
scrape_configs:
  - job_name: x
    <<: [*a, *b]
""",
    "list-then-key": """a: &a {scrape_interval: 1s}
b: &b {scrape_interval: 2s}
scrape_configs:
  - job_name: x
    <<: [*b, *a]
    scrape_interval: 5s
""",
    "key-then-list": """a: &a {scrape_interval: 1s}
b: &b {scrape_interval: 2s}
scrape_configs:
  - job_name: x
    scrape_interval: 5s
    <<: [*b, *a]
""",
    "nested": """base: &base {scrape_interval: 1s, scrape_timeout: 1s}
mid: &mid
  <<: *base
  scrape_interval: 3s
scrape_configs:
  - job_name: x
    scrape_timeout: 2s
    <<: *mid
""",
    "labels": """common: &common
  team: a
  env: prod
scrape_configs:
  - job_name: x
    static_configs:
      - targets: ['h:1']
        labels:
          env: dev
          <<: *common
""",
    "inline": """scrape_configs:
  - {job_name: x, scrape_interval: 1s, <<: {scrape_interval: 2s, sample_limit: 3}}
""",
    "duplicate": """scrape_configs:
  - job_name: x
    scrape_interval: 1s
    scrape_interval: 2s
""",
    "duplicate-after-merge": """d: &d {scrape_interval: 1s}
scrape_configs:
  - job_name: x
    <<: *d
    job_name: y
""",
    "merge-scalar": """d: &d 5
scrape_configs:
  - job_name: x
    <<: *d
""",
    "merge-list-scalar": """d: &d {a: 1}
scrape_configs:
  - job_name: x
    <<: [*d, 5]
""",
    "merge-quoted": """scrape_configs:
  - job_name: x
    "<<": {a: 1}
""",
    "merge-tagged": """scrape_configs:
  - job_name: x
    !!merge <<: {scrape_interval: 1s}
    scrape_interval: 2s
""",
    "merge-null": """scrape_configs:
  - job_name: x
    <<:
""",
    "alias-key": """k: &k job_name
scrape_configs:
  - *k : x
""",
    "alertmanager": """route: &r
  receiver: a
  group_wait: 10s
  continue: yes
receivers:
  - name: a
  - name: b
    webhook_configs:
      - url: http://127.0.0.1:1/
        send_resolved: On
        max_alerts: 0x10
inhibit_rules:
  - source_matchers: [a="1"]
    target_matchers: [b="2"]
    equal: [x]
""",
}


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    files = {}
    for i, value in enumerate(SCALARS):
        for field in FIELDS:
            files[f"scalar-{i:03d}-{field[1]}.yml"] = scalar_file(field, value)
    for i, key in enumerate(KEYS):
        files[f"key-{i:02d}.yml"] = f"scrape_configs:\n  - job_name: a\n    {key}: 1\n"
        files[f"label-key-{i:02d}.yml"] = (
            f"global:\n  external_labels:\n    {key}: v\n    other: w\n")
    for name, text in MERGES.items():
        files[f"merge-{name}.yml"] = text
        files[f"merge-{name}-crlf.yml"] = text.replace("\n", "\r\n")
        files[f"merge-{name}-bom.yml"] = "\ufeff" + text
    for name, text in files.items():
        with open(os.path.join(out, name), "w", encoding="utf-8", newline="") as f:
            f.write(text)
    print(len(files))


if __name__ == "__main__":
    main()
