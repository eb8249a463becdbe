#!/usr/bin/env bash
# The dashboards in the scenarios of tests/scenarios/scenarios.py before issue 57
# (tests/scenarios/before/): each group of panel tests of tests/scenarios/panels.yml (a scenario's,
# or one of the SLO block's) fails on them, with a panel that shows something else or is not there,
# but those of panels.yml's true_before:, which pass there too. That they pass on the repository's
# templates is dashboards_scenarios.sh (a test of its own, so that the two share the cores).
source "$(dirname "$0")/lib.sh"
scenario_files
# Before issue 57: every group fails, with a panel that shows something else (exit 1) or is
# not there (exit 2), on the templates and SLO rules of then, except those panels.yml lists in
# true_before:, which pass there too. The old templates' rules: and slos: name ../rules/.
true_before=" $(/usr/bin/python3 -c 'import sys, yaml; print(" ".join(yaml.safe_load(open(sys.argv[1]))["true_before"]))' \
  "$SRC/tests/scenarios/panels.yml") "
mkdir -p "$TMP/old"
cp -r "$SRC/tests/scenarios/before" "$TMP/old/templates"
ln -s "$SRC/rules" "$TMP/old/rules"
for f in "${files[@]}"; do
  name=$(basename "$f")
  sed -e "s|$SRC/templates/|$TMP/old/templates/|g" \
    -e "s|$SRC/rules/slo_rules.yml|$SRC/tests/scenarios/before/slo_rules.yml|" "$f" >"$TMP/old/$name"
  run test-rules "$TMP/old/$name"
  if [[ "$true_before" == *" ${name%.yml} "* ]]; then
    [ "$rc" -eq 0 ] || fail "$name is in true_before: but fails on the dashboards before issue 57: $out $err"
    continue
  fi
  [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ] || fail "$name passes on the dashboards before issue 57: $out"
  [[ "$out$err" == *"ruletest/failed"* || "$out$err" == *"no panel '"* ]] ||
    fail "$name: no failed panel on the old dashboards: $out $err"
done

echo "ok: each of ${#files[@]} scenario files fails on the dashboards before issue 57 but true_before's"
