#!/usr/bin/env bash
# Set-up shared by the Quick start commands: installs the Debian packages nsmon needs (only
# those missing), then configures and builds a CMake preset: `dev` into build/ unless
# NSMON_PRESET names another (CI: asan, into build/asan).
# Usage: [NSMON_PRESET=asan] bash .ci/bootstrap.sh [extra cmake --build args]
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config git golang-go golang-gopkg-yaml.v3-dev golang-gopkg-yaml.v2-dev
  libcli11-dev nlohmann-json3-dev libyaml-cpp-dev catch2 libcurl4-openssl-dev libre2-dev libvalijson-dev
  prometheus victoria-metrics prometheus-node-exporter prometheus-alertmanager python3-prometheus-client python3-yaml
  curl tmux procps help2man dpkg-dev file openssl zsh fish tzdata
  clang clang-format clang-tidy libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "nsmon: installing missing Debian packages: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  # Package scripts must not start the distribution's own prometheus/node-exporter/alertmanager services.
  own_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    "${sudo_cmd[@]}" sh -c 'printf "#!/bin/sh\nexit 101\n" > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d'
    own_policy=1
  fi
  "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  [ "$own_policy" -eq 0 ] || "${sudo_cmd[@]}" rm -f /usr/sbin/policy-rc.d
fi

jobs=$(nproc 2>/dev/null || echo 2)
preset=${NSMON_PRESET:-dev}
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j"$jobs" "$@"
