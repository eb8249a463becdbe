#!/usr/bin/env bash
# Hostile rule files (deep nesting, a 50 MB file, binary junk, NUL bytes, a truncated file) give
# findings or errors and an exit code of 1 or 2 — never a crash.
source "$(dirname "$0")/lib.sh"
no_crash() { [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || fail "$1: exit $rc (expected 1 or 2); stderr: ${err:0:300}"; }

/usr/bin/python3 -c 'print("groups: " + "[" * 200000)' >"$TMP/deep.yml"
run lint-rules "$TMP/deep.yml"
no_crash "deep nesting"
expect_out "[yaml/syntax]"

/usr/bin/python3 - "$TMP/big.yml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up == 0\n    annotations:\n      description: \"")
    f.write("x" * (50 * 1024 * 1024))
    f.write("\"\n")
PY
run lint-rules "$TMP/big.yml"
no_crash "50 MB file"

head -c 200000 /dev/urandom >"$TMP/junk.yml"
run lint-rules "$TMP/junk.yml"
no_crash "binary junk"

printf 'groups:\n- name: g\0\n  rules:\n  - alert: A\n    expr: up\0 == 0\n' >"$TMP/nul.yml"
run lint-rules "$TMP/nul.yml"
no_crash "NUL bytes"

head -c 700 "$SRC/rules/alert_rules.yml" >"$TMP/truncated.yml"
run lint-rules "$TMP/truncated.yml"
no_crash "truncated file"

# !!binary scalars decode to any bytes (here 0xff, not UTF-8) in keys, label names and values:
# every format stays valid UTF-8 and valid JSON, the bytes shown escaped.
printf 'groups:\n- name: g\n  !!binary "/w==": 1\n  rules:\n  - alert: A\n    expr: up == 0\n    labels:\n      !!binary "/w==": x\n      b: !!binary "/w=="\n' >"$TMP/binary.yml"
for format in text json github sarif; do
  run lint-rules --catalog none --format "$format" "$TMP/binary.yml"
  no_crash "!!binary bytes, --format $format"
  expect_rc 1
  /usr/bin/python3 -c 'import sys; sys.stdin.buffer.read().decode("utf-8")' <"$TMP/out" || fail "--format $format: not UTF-8"
done
run lint-rules --catalog none --format text "$TMP/binary.yml"
expect_out 'unknown field "\xff" in a rule group'
expect_out 'invalid label name: "\xff"'
for format in json sarif; do
  run lint-rules --catalog none --format "$format" "$TMP/binary.yml"
  /usr/bin/python3 -m json.tool <"$TMP/out" >/dev/null || fail "--format $format: not JSON"
done
