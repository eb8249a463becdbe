#!/usr/bin/env bash
# Builds the .deb with CPack from this build tree, unpacks it into a scratch root with dpkg -x and
# runs nsmon from there: --version, real subcommands on the installed catalog and rules, the
# installed bash completion, and the man page rendered with man -l.
# Usage: tests/package/deb.sh BUILD_DIR   (CTest: label package)
set -euo pipefail
build=$1
command -v dpkg-deb >/dev/null && command -v cpack >/dev/null || { echo "SKIP: no dpkg-deb or cpack"; exit 77; }
TMP=$(mktemp -d /tmp/nsmon-deb.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$TMP/out" >"$TMP/cpack.log" 2>&1 || { cat "$TMP/cpack.log"; fail "cpack"; }
deb=$(ls "$TMP"/out/*.deb)
echo "built $(basename "$deb") ($(du -k "$deb" | cut -f1) KiB)"

# The control fields: a maintainer, a description, and Depends on the runtime libraries.
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# libcurl4 always (nsmon loads it with dlopen); the packages of the libraries the binary links
# (the release preset links libstdc++, libgcc and RE2 statically: those are then not needed).
needed=(libcurl4)
while read -r so; do
  case $so in
  libc.so.6) needed+=(libc6) ;;
  libstdc++.so.6) needed+=(libstdc++6) ;;
  libre2.so.9) needed+=(libre2-9) ;;
  esac
done < <(objdump -p "$build/nsmon" | awk '$1 == "NEEDED" {print $2}')
((${#needed[@]} > 1)) || fail "objdump found no shared library nsmon needs"
for lib in "${needed[@]}"; do grep -q "\\b$lib\\b" <<<"$depends" || fail "Depends lacks $lib (nsmon links it)"; done
[ -n "$(dpkg-deb -f "$deb" Maintainer)" ] || fail "no Maintainer"
description=$(dpkg-deb -f "$deb" Description)
grep -q "Neurosymbolic Object Detection" <<<"$description" || fail "no Description"
! grep -q ";" <<<"$description" || fail "a CMake list in the Description: $description"

# Every file where Debian's tools look for it.
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$TMP/files"
for f in /usr/bin/nsmon /usr/share/bash-completion/completions/nsmon /usr/share/zsh/vendor-completions/_nsmon \
  /usr/share/fish/vendor_completions.d/nsmon.fish /usr/share/nsmon/catalog.yml \
  /usr/share/nsmon/rules/alert_rules.yml /usr/share/nsmon/rules/prometheus.yml /usr/share/nsmon/rules/alertmanager.yml \
  /usr/share/nsmon/rules/alertmanager_cases.yml /usr/share/nsmon/rules/slos.yml; do
  grep -qxF "$f" "$TMP/files" || fail "the package lacks $f"
done

# The dashboard templates the source tree has.
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
for t in "$src"/templates/*.yml; do
  [ -e "$t" ] || continue
  grep -qxF "/usr/share/nsmon/templates/$(basename "$t")" "$TMP/files" || fail "the package lacks templates/$(basename "$t")"
done

root=$TMP/root
dpkg -x "$deb" "$root"
nsmon=$root/usr/bin/nsmon
export XDG_CONFIG_HOME=$TMP/xdg NO_COLOR=1
[ "$("$nsmon" --version)" = "nsmon $(dpkg-deb -f "$deb" Version)" ] || fail "--version: $("$nsmon" --version)"
"$nsmon" --catalog "$root/usr/share/nsmon/catalog.yml" catalog list --stage system >"$TMP/list"
grep -q '^gpu_memory_allocated_bytes ' "$TMP/list" || fail "catalog list from the installed catalog: $(cat "$TMP/list")"
(cd "$root/usr/share/nsmon" && "$nsmon" lint-rules --config rules/prometheus.yml) >"$TMP/lint" ||
  fail "lint-rules on the installed rules: $(cat "$TMP/lint")"
# prometheus.yml, alert_rules.yml and slo_rules.yml (which the SLO dashboard reads): all installed.
grep -q "no problems found in 3 files" "$TMP/lint" || fail "lint-rules on the installed rules: $(cat "$TMP/lint")"

# Outside any repository each default input is the installed one, and nsmon says so (issue 39).
mkdir "$TMP/empty"
(
  cd "$TMP/empty"
  "$nsmon" lint-rules >"$TMP/d.out" 2>"$TMP/d.err" || fail "lint-rules from an empty directory: $(cat "$TMP/d.out" "$TMP/d.err")"
  grep -q "using the installed $root/usr/share/nsmon/rules/prometheus.yml" "$TMP/d.err" || fail "lint-rules: $(cat "$TMP/d.err")"
  rc=0
  "$nsmon" lint-alertmanager >"$TMP/d.out" 2>"$TMP/d.err" || rc=$?
  [ "$rc" -le 1 ] || fail "lint-alertmanager from an empty directory: exit $rc: $(cat "$TMP/d.err")"
  grep -q "using the installed $root/usr/share/nsmon/rules/alertmanager.yml" "$TMP/d.err" || fail "lint-alertmanager: $(cat "$TMP/d.err")"
  "$nsmon" routes test --cases "$root/usr/share/nsmon/rules/alertmanager_cases.yml" >"$TMP/d.out" 2>"$TMP/d.err" ||
    fail "routes test --cases from an empty directory: $(cat "$TMP/d.out" "$TMP/d.err")"
  "$nsmon" slo generate --out slo_rules.yml >"$TMP/d.out" 2>"$TMP/d.err" ||
    fail "slo generate from an empty directory: $(cat "$TMP/d.out" "$TMP/d.err")"
  grep -q "using the installed $root/usr/share/nsmon/rules/slos.yml" "$TMP/d.err" || fail "slo generate: $(cat "$TMP/d.err")"
  [ -s slo_rules.yml ] || fail "slo generate wrote no slo_rules.yml"
  "$nsmon" gen-dashboards --out dash >"$TMP/d.out" 2>"$TMP/d.err" ||
    fail "gen-dashboards from an empty directory: $(cat "$TMP/d.out" "$TMP/d.err")"
  grep -q "using the installed $root/usr/share/nsmon/templates" "$TMP/d.err" || fail "gen-dashboards: $(cat "$TMP/d.err")"
  ls dash/*.json >/dev/null || fail "gen-dashboards wrote no dashboard"
)

# The installed completion completes `nsmon catalog sh`.
got=$(bash --norc --noprofile -c 'source "$1"; COMP_WORDS=(nsmon catalog sh); COMP_CWORD=2; _nsmon; echo "${COMPREPLY[*]}"' \
  _ "$root/usr/share/bash-completion/completions/nsmon")
[ "$got" = show ] || fail "installed bash completion: '$got'"

# The man page covers every subcommand (unless this tree was configured without help2man).
page=$root/usr/share/man/man1/nsmon.1
if grep -q '^HELP2MAN:FILEPATH=.*NOTFOUND' "$build/CMakeCache.txt"; then
  echo "ok: $(basename "$deb") installs and runs (no help2man at configure time: no man page)"
  exit 0
fi
for sub in $(NO_COLOR=1 "$nsmon" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}'); do
  grep -q "^\\.SS \"nsmon $sub\"" "$page" || fail "the man page has no section for $sub"
done
if command -v man >/dev/null; then
  MANWIDTH=100 man -l "$page" >"$TMP/man.txt" 2>"$TMP/man.err" || fail "man -l: $(cat "$TMP/man.err")"
  grep -q "nsmon catalog show" "$TMP/man.txt" || fail "man -l does not render the subcommands"
  echo "man -l: $(wc -l <"$TMP/man.txt") lines"
else
  echo "man is not installed: the page was not rendered"
fi
echo "ok: $(basename "$deb") installs and runs"
