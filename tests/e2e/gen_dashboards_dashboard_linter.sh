#!/usr/bin/env bash
# The dashboards gen-dashboards writes pass grafana/dashboard-linter (`lint --strict`, every rule
# of its newest version) with the .lint it writes beside them: checked by dashboard_linter.py, an
# oracle of the linter's rules (the linter cannot be installed offline), on a fresh run over the
# repository's templates and on the committed dashboards/. Then that the oracle catches what the
# linter would: a job variable without allValue `.+`, a selector without `job=~"$job"`, the
# dashboards without their .lint, and a .lint whose entries are misspelt or excuse nothing.
source "$(dirname "$0")/lib.sh"
/usr/bin/python3 -c 'import yaml' 2>/dev/null || { echo "python3-yaml missing: skipped"; exit 77; }
# The oracle runs many times here on mostly the same expressions: one cache of their trees for all.
oracle() { /usr/bin/python3 "$SRC/tests/e2e/dashboard_linter.py" --cache "$TMP/promql-ast.json" "$NSMON" "$@"; }

"$NSMON" gen-dashboards --templates "$SRC/templates" --out "$TMP/out" >/dev/null
[ -f "$TMP/out/.lint" ] || fail "gen-dashboards wrote no .lint"
# passes WHAT DIR: the oracle passes DIR's dashboards (else the first of what it says).
passes() {
  oracle "$2"/*.json >"$TMP/oracle.out" || fail "$1 do not pass dashboard-linter: $(head -20 "$TMP/oracle.out")"
}
passes "the generated dashboards" "$TMP/out"
passes "dashboards/ (run nsmon gen-dashboards)" "$SRC/dashboards"
# Every panel type, and --importable's __inputs and current data source.
for c in every-panel-type importable-provisioning; do passes "golden $c" "$SRC/tests/golden/dashboards/$c/expected"; done

# The golden case linter-exceptions breaks dashboard-linter's rules where nsmon warns (a
# single-value job variable, instance="$instance", a query without instance=~"$instance"): the
# oracle finds those and nothing else, so every other selector without the matchers is excused by
# the generated .lint (ALERTS, in a dashboard with the variables and in one without).
oracle "$SRC/tests/golden/dashboards/linter-exceptions/expected"/*.json >"$TMP/oracle.out" &&
  fail "the oracle passes the golden case linter-exceptions"
sed -n "s/^\(\[[a-z-]*\] Dashboard '[^']*'\(, panel '[^']*'\)\?\).*/\1/p" "$TMP/oracle.out" | sort -u >"$TMP/got"
printf '%s\n' "[target-instance-rule] Dashboard 'Scraped', panel 'Alerts or errors'" \
  "[target-instance-rule] Dashboard 'Scraped', panel 'Single-value matcher'" \
  "[template-job-rule] Dashboard 'Scraped'" >"$TMP/want"
diff -u "$TMP/want" "$TMP/got" || fail "the oracle on linter-exceptions: $(cat "$TMP/oracle.out")"

# expect_failure WHAT PATTERN DIR: the oracle fails on DIR's dashboards, saying PATTERN.
expect_failure() {
  local what=$1 pattern=$2 dir=$3
  if oracle "$dir"/*.json >"$TMP/oracle.out"; then fail "the oracle passes $what"; fi
  grep -qF -- "$pattern" "$TMP/oracle.out" || fail "the oracle on $what does not say '$pattern': $(cat "$TMP/oracle.out")"
}
fresh() { rm -rf "$TMP/case" && cp -r "$TMP/out" "$TMP/case"; }

fresh
/usr/bin/python3 - "$TMP/case/nsmon-training.json" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))
for v in d["templating"]["list"]:
    if v["name"] == "job":
        del v["allValue"]
json.dump(d, open(sys.argv[1], "w"), indent=2)
EOF
expect_failure "a job variable without allValue" \
  "[template-job-rule] Dashboard 'Training Overview' job template allValue should be '.+', is currently ''" "$TMP/case"

fresh
sed -i 's/, instance=~\\"\$instance\\"//' "$TMP/case/nsmon-system.json"
expect_failure "selectors without instance=~\"\$instance\"" "[target-instance-rule] Dashboard 'System Resources'" "$TMP/case"

fresh
rm "$TMP/case/.lint"
expect_failure "the dashboards without their .lint" "[template-job-rule] Dashboard 'SLOs of neurosymbolic-app' is missing the job template" "$TMP/case"

fresh
sed -i 's/targetidx:/targetIdx:/' "$TMP/case/.lint"
expect_failure "a .lint with targetIdx" "unknown key 'targetIdx'" "$TMP/case"

fresh
cat >>"$TMP/case/.lint" <<'EOF'
warnings:
  panel-units-rule:
    reason: every panel has a unit
EOF
expect_failure "a .lint rule that excuses nothing" "warnings.panel-units-rule the whole rule excuses nothing" "$TMP/case"

# A .lint that gen-dashboards did not write is the user's: it is left as it is, and said so.
mkdir "$TMP/own" && printf 'exclusions:\n  panel-units-rule:\n    reason: mine\n' >"$TMP/own/.lint"
"$NSMON" gen-dashboards --templates "$SRC/templates" --out "$TMP/own" >"$TMP/gen.out" || fail "gen-dashboards failed"
grep -qF "left $TMP/own/.lint alone" "$TMP/gen.out" || fail "no word of the .lint left alone: $(cat "$TMP/gen.out")"
grep -q "reason: mine" "$TMP/own/.lint" || fail "gen-dashboards replaced a .lint it did not write"
echo "ok: the dashboards pass the dashboard-linter oracle, which finds what nsmon warns of and 5 breakages"
