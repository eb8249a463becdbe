#!/usr/bin/env bash
# Writes nsmon's man page with help2man: the top-level --help, then a SUBCOMMANDS section with the
# --help of every subcommand, found by walking the SUBCOMMANDS lists of the help texts themselves.
# Usage: cmake/man.sh NSMON OUTPUT
set -euo pipefail
nsmon=$1
out=$2
inc=$(mktemp)
trap 'rm -f "$inc"' EXIT

# Subcommand names listed in a help text (CLI11: a "SUBCOMMANDS:" heading, then "  name  help").
subcommands() { awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}'; }

# roff: a backslash is \e; a line starting with . or ' must not be taken as a request.
roff() { sed -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"; }

section() {
  local -a path=("$@")
  local help
  help=$(NO_COLOR=1 COLUMNS=80 "$nsmon" "${path[@]}" --help)
  printf '.SS "nsmon %s"\n.nf\n' "${path[*]}"
  roff <<<"$help"
  printf '.fi\n'
  local sub
  for sub in $(subcommands <<<"$help"); do section "${path[@]}" "$sub"; done
}

{
  echo '[SUBCOMMANDS]'
  for sub in $(NO_COLOR=1 "$nsmon" --help | subcommands); do section "$sub"; done
  cat <<'ROFF'
[FILES]
.TP
.I $XDG_CONFIG_HOME/nsmon/config.yml
Settings (default \fI~/.config/nsmon/config.yml\fR); see \fBnsmon config show \-\-help\fR.
.TP
.I /usr/share/nsmon/
The default metric catalog (built into the binary as well), the corrected alert rules and
prometheus.yml, and the dashboard templates.
[SEE ALSO]
\fBnsmon explain\fR \fICHECK\fR prints the page of a check (the id in brackets at the end of a
finding); \fBnsmon explain\fR alone lists them.
.PP
The reference, from the same \-\-help texts as this page: \fIdocs/README.md\fR in nsmon's
source, one page per subcommand (examples, how each is tested), \fIdocs/configuration.md\fR,
\fIdocs/exit\-codes.md\fR, \fIdocs/ci.md\fR (GitHub Actions, GitLab CI, pre\-commit) and
\fIdocs/checks/\fR.
ROFF
} >"$inc"

help2man --no-info --locale=C.UTF-8 --section 1 --include "$inc" \
  --name "monitor the Neurosymbolic Object Detection application through Prometheus and Grafana" \
  --output "$out.tmp" "$nsmon"
mv "$out.tmp" "$out"
