#!/usr/bin/env bash
# What promql/syntax's help says, against Prometheus 2.42: one rule that does not parse makes the
# whole file refused. A live Prometheus loaded with a good file keeps its rules when the file is
# replaced by one whose second rule does not parse (the reload fails, the new first rule never
# loads), a Prometheus started with that file exits with an error, and nsmon's finding says so.
source "$(dirname "$0")/lib.sh"
command -v prometheus >/dev/null || exit 77
trap 'kill_leftovers; rm -rf "$TMP"' EXIT

cat >"$TMP/rules.yml" <<'EOF'
groups:
  - name: g
    rules:
      - alert: Before
        expr: up == 0
EOF
cat >"$TMP/prom.yml" <<EOF
rule_files: [$TMP/rules.yml]
EOF
start_peer prometheus -/ready prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/data" \
  --web.enable-lifecycle --web.listen-address=127.0.0.1:{port}
PROM="http://127.0.0.1:$peer_port"
curl -fsS "$PROM/api/v1/rules" | grep -q '"name":"Before"' || fail "Prometheus did not load the good file"

cat >"$TMP/broken.yml" <<'EOF'
groups:
  - name: g
    rules:
      - alert: After
        expr: up == 1
      - alert: Broken
        expr: sum(up) by
EOF
cp "$TMP/broken.yml" "$TMP/rules.yml"
code=$(curl -sS -o "$TMP/reload" -w '%{http_code}' -X POST "$PROM/-/reload")
[ "$code" != 200 ] || fail "the reload of a file with an unparsable rule succeeded"
grep -q 'failed to reload config' "$TMP/reload" || fail "reload answered: $(cat "$TMP/reload")"
curl -fsS "$PROM/api/v1/rules" >"$TMP/after"
grep -q '"name":"Before"' "$TMP/after" || fail "the rules loaded before were dropped: $(cat "$TMP/after")"
! grep -q '"name":"After"' "$TMP/after" || fail "a rule of the refused file was loaded"

# A start with the file fails.
rc=0
timeout 60 prometheus --config.file="$TMP/prom.yml" --storage.tsdb.path="$TMP/data2" \
  --web.listen-address=127.0.0.1:"$(free_port)" >"$TMP/start.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -ne 124 ] || fail "Prometheus started with the file (exit $rc): $(tail -3 "$TMP/start.log")"

rc=0
"$NSMON" --catalog none lint-rules "$TMP/broken.yml" >"$TMP/out" 2>&1 || rc=$?
[ "$rc" -eq 1 ] || fail "lint-rules exited $rc: $(cat "$TMP/out")"
grep -q '\[promql/syntax\]' "$TMP/out" || fail "no promql/syntax finding: $(cat "$TMP/out")"
grep -q 'Prometheus refuses the whole file (a reload fails and keeps the rules it had; a start fails)' "$TMP/out" ||
  fail "the help does not say the file is refused: $(cat "$TMP/out")"
echo ok
