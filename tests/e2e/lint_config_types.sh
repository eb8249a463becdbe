#!/usr/bin/env bash
# prometheus.yml's typed scalar fields as yaml.v2 decodes them, differential against promtool
# check config --syntax-only (2.42): 10 fields (bools and integers, signed and unsigned, in a job,
# a tls_config, a relabel rule, an SD config, remote write/read) times 24 values (YAML 1.1
# booleans, quoted strings, hex/octal/binary/underscored integers, floats, .inf, lists, maps,
# null). Both must load or refuse each file alike. promtool's answers are stored in
# tests/e2e/peers/lint_config_types.json (tests/support/peer.py).
source "$(dirname "$0")/lib.sh"
mkdir "$TMP/cases"
/usr/bin/python3 - "$TMP/cases" <<'EOF_PY'
import sys
out = sys.argv[1]
fields = {
    "honor_labels": ("job", "honor_labels: {}"),
    "sample_limit": ("job", "sample_limit: {}"),
    "label_limit": ("job", "label_limit: {}"),
    "enable_http2": ("job", "enable_http2: {}"),
    "follow_redirects": ("job", "follow_redirects: {}"),
    "insecure_skip_verify": ("job", "tls_config:\n      insecure_skip_verify: {}"),
    "modulus": ("job", "relabel_configs:\n      - source_labels: [a]\n        action: hashmod\n"
                       "        target_label: b\n        modulus: {}"),
    "port": ("job", "dns_sd_configs:\n      - names: [x.example]\n        type: A\n        port: {}"),
    "send_exemplars": ("rw", "send_exemplars: {}"),
    "read_recent": ("rr", "read_recent: {}"),
}
values = ["true", "yes", "On", "n", "OFF", '"true"', "'yes'", "maybe", "1", "0", "0x10", "1_000", "0755", "-1",
          "+3", "1.5", "1e3", '"5"', "[]", "{}", "~", ".inf", "0b101", "09"]
i = 0
for f, (where, line) in fields.items():
    for v in values:
        body = "scrape_configs:\n  - job_name: a\n    static_configs:\n      - targets: ['localhost:9090']\n"
        l = line.format(v)
        if where == "job":
            body += "    " + l + "\n"
        elif where == "rw":
            body += "remote_write:\n  - url: http://localhost:9090/w\n    " + l + "\n"
        else:
            body += "remote_read:\n  - url: http://localhost:9090/r\n    " + l + "\n"
        open(f"{out}/{i:03d}_{f}.yml", "w").write(body)
        i += 1
EOF_PY
# All of promtool's answers in one process; nsmon's runs (one --config each) on every core.
cases=("$TMP"/cases/*.yml)
for f in "${cases[@]}"; do printf '\t\tpromtool\tcheck\tconfig\t--syntax-only\t%s\n' "$f"; done |
  /usr/bin/python3 "$SRC/tests/e2e/peer_batch.py" --store "$SRC/tests/e2e/peers/lint_config_types.json" "$TMP/promtool"
/usr/bin/python3 "$SRC/tests/e2e/run_each.py" "$TMP/nsmon" "$NSMON" lint-rules --config {} --catalog none --format text -- "${cases[@]}"
n=0 agree=0 refused=0
for f in "${cases[@]}"; do
  n=$((n + 1))
  p=loads
  [ "$(<"$TMP/promtool/$n.rc")" -eq 0 ] || p=refuses
  [ "$(<"$TMP/nsmon/$n.rc")" -le 1 ] || fail "${f##*/}: nsmon exited $(<"$TMP/nsmon/$n.rc"): $(<"$TMP/nsmon/$n.err")"
  out=$(<"$TMP/nsmon/$n.out")
  s=loads
  [[ $out == *': error:'* ]] && s=refuses
  if [ "$p" = "$s" ]; then
    agree=$((agree + 1))
    [ "$p" = refuses ] && refused=$((refused + 1))
  else
    echo "DISAGREE ${f##*/}: promtool $p, nsmon $s: $(cat "$TMP/promtool/$n".{out,err} | grep -m1 'line') / $(grep -m1 error: <<<"$out")" >&2
  fi
done
echo "$n files: both load or both refuse $agree ($refused refused by both)"
[ "$agree" -eq "$n" ] || fail "$((n - agree)) disagreements with promtool"
[ "$refused" -ge 50 ] || fail "too few refused cases: the comparison proves little"
