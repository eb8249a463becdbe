#!/usr/bin/env bash
# The YAML differential: nsmon's parser (nsmon_yaml_differential) against Go's yaml (yaml_oracle,
# built from Debian's Go libraries). Each file is either refused by both or read by both into the
# same tree (canonical dumps, merge keys resolved). Any other outcome fails, unless the file is
# listed in the set's known-differences file (path, why); a listed file that agrees fails too, so
# the lists stay exact.
#
# Usage: differential.sh NSMON_SIDE YAML_ORACLE SOURCE_DIR SET [INPUT_DIR...]   (exit 77: no oracle)
#   v3    rule files as Prometheus reads them (yaml.v3): the YAML test suite's single-document
#         cases and every YAML file of the repository; known_differences.tsv.
#   v2    prometheus.yml as Prometheus reads it (yaml.v2, nsmon's yaml::Dialect::v2 and yaml.v2's
#         types): the test suite, Prometheus's config corpus (tests/data/prometheus-config), every
#         prometheus.yml- or alertmanager.yml-like file of the repository and generated variants
#         (variants.py, shown as generated/NAME); known_differences_v2.tsv.
#   fuzz  every input of the INPUT_DIRs (the YAML fuzz targets' corpora), read both ways (shown as
#         v3:PATH and v2:PATH); known_differences_fuzz.tsv.
set -euo pipefail
side=$1 oracle=$2 src=$3 set=$4
shift 4
[ -x "$oracle" ] || { echo "yaml_oracle not built (apt-get install golang-go golang-gopkg-yaml.v3-dev golang-gopkg-yaml.v2-dev)"; exit 77; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$src"

repo_yaml() {
  find . -path ./build -prune -o -path './build-*' -prune -o -path ./tests/data/yaml-test-suite -prune -o \
    -path ./.git -prune -o \( -name '*.yml' -o -name '*.yaml' \) -type f -print | sed 's|^\./||' | sort
}

# run MODE PREFIX FILES: both sides on the files of FILES, as "PREFIX+path<TAB>dump" lines.
run() {
  local flag=() mode=$1 prefix=$2 list=$3
  [ "$mode" = v3 ] || flag=(-v2)
  xargs -d '\n' "$side" "${flag[@]}" <"$list" | sed "s|^$tmp/||; s|^|$prefix|" >>"$tmp/nsmon"
  xargs -d '\n' "$oracle" "${flag[@]}" <"$list" | sed "s|^$tmp/||; s|^|$prefix|" >>"$tmp/go"
}
: >"$tmp/nsmon"
: >"$tmp/go"
case $set in
v3)
  known=known_differences.tsv
  { find tests/data/yaml-test-suite -name '*.yaml' | sort; repo_yaml; } >"$tmp/files"
  run v3 "" "$tmp/files"
  ;;
v2)
  known=known_differences_v2.tsv
  mkdir "$tmp/generated"
  python3 "$here/variants.py" "$tmp/generated" >/dev/null
  {
    find tests/data/yaml-test-suite -name '*.yaml' | sort
    find tests/data/prometheus-config -name '*.yml' | sort
    # prometheus.yml- and alertmanager.yml-like: a top-level key of either file.
    repo_yaml | grep -v '^tests/data/prometheus-config/' |
      xargs -d '\n' grep -lE '^(global|scrape_configs|scrape_config_files|rule_files|alerting|remote_write|remote_read|storage|tracing|otlp|runtime|route|receivers|inhibit_rules|templates|time_intervals|mute_time_intervals):' || true
    find "$tmp/generated" -type f | sort
  } >"$tmp/files"
  run v2 "" "$tmp/files"
  ;;
fuzz)
  known=known_differences_fuzz.tsv
  for d in "$@"; do find "$d" -type f; done | sort -u >"$tmp/files"
  [ -s "$tmp/files" ] || { echo "no fuzz inputs given"; exit 2; }
  sed -i "s|^$src/||" "$tmp/files"
  run v3 v3: "$tmp/files"
  run v2 v2: "$tmp/files"
  ;;
*) echo "unknown set: $set"; exit 2 ;;
esac

listed=$(grep -v '^#' "$here/$known" | cut -f1 | sed '/^$/d' || true)
awk -F'\t' -v known="$listed" -v set="$set" -v list="$known" '
  BEGIN { n = split(known, k, "\n"); for (i = 1; i <= n; i++) listed[k[i]] = 1 }
  NR == FNR { ours[$1] = $2; next }
  {
    file = $1; theirs = $2; mine = ours[file]
    group = file ~ /^tests\/data\/yaml-test-suite\// ? "yaml test suite" : \
            file ~ /^tests\/data\/prometheus-config\// ? "config corpus" : \
            file ~ /^generated\// ? "generated variants" : \
            file ~ /^v3:/ ? "fuzz corpora as yaml.v3" : file ~ /^v2:/ ? "fuzz corpora as yaml.v2" : "repository"
    if (!(group in total)) order[++groups] = group
    total[group]++
    me_err = mine ~ /^error: /; go_err = theirs ~ /^error: /
    if (me_err == go_err) verdict[group]++
    agree = (me_err && go_err) || (!me_err && !go_err && mine == theirs)
    if (agree) {
      agreed[group]++
      if (file in listed) { print "STALE (now agrees, remove from " list "): " file; bad++ }
      next
    }
    what = me_err && !go_err ? "nsmon refuses, Go reads" : !me_err && go_err ? "nsmon reads, Go refuses" : "values differ"
    if (file in listed) { documented++; print "documented: " file " (" what ")"; next }
    bad++
    print "DIFFERENCE " file ": " what
    print "  nsmon: " substr(mine, 1, 300)
    print "  Go:    " substr(theirs, 1, 300)
  }
  END {
    print "---- " set " (Go yaml." (set == "v3" ? "v3" : set == "v2" ? "v2" : "v3 and yaml.v2") ")"
    for (i = 1; i <= groups; i++) {
      g = order[i]
      printf "%s: %d files, same verdict on %d, same verdict and tree on %d\n", g, total[g], verdict[g], agreed[g]
    }
    printf "%d documented differences (%s), %d undocumented\n", documented, list, bad
    exit bad > 0
  }' "$tmp/nsmon" "$tmp/go"
