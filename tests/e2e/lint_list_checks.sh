#!/usr/bin/env bash
# --list-checks: a table of every check id with its severity and summary; --format json gives an
# array; a policy shows its overrides ("off" for disabled checks).
source "$(dirname "$0")/lib.sh"
run lint-rules --list-checks
expect_rc 0
head -1 <<<"$out" | grep -qE '^CHECK +SEVERITY +SUMMARY$' || fail "no header: $(head -1 <<<"$out")"
for id in yaml/syntax rules/duration promql/rate-on-gauge catalog/unknown-metric config/scrape-timeout policy/severity; do
  grep -qE "^$id +(error|warning|info) +[a-z$]" <<<"$out" || fail "$id not listed"
done
rows=$(($(wc -l <<<"$out") - 1))
run lint-rules --list-checks --format json
expect_rc 0
/usr/bin/python3 - "$TMP/out" "$rows" <<'PY'
import json, sys
checks = json.load(open(sys.argv[1]))
assert len(checks) == int(sys.argv[2]), (len(checks), sys.argv[2])
ids = [c["id"] for c in checks]
assert ids == sorted(ids) and len(set(ids)) == len(ids)
for c in checks:
    assert list(c) == ["id", "severity", "summary"], c
    assert c["severity"] in ("error", "warning", "info"), c
PY
printf 'disable: [promql/regex-anchors]\nseverity: {rules/record-naming: error}\n' >"$TMP/policy.yml"
run lint-rules --list-checks --policy "$TMP/policy.yml"
expect_rc 0
grep -qE '^promql/regex-anchors +off ' <<<"$out" || fail "disabled check not shown as off"
grep -qE '^rules/record-naming +error ' <<<"$out" || fail "override not shown"
run lint-rules --list-checks --format sarif
expect_rc 2
