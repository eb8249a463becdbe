# Shared by the benchmark scripts that start servers: source it after `cd` to the repository.
# bench_setup NAME: a scratch directory $work (removed on exit) and a list $pids of background
# processes that are stopped on exit; free_port prints a free TCP port on 127.0.0.1.
bench_setup() {
  work=$(mktemp -d "/tmp/nsmon-bench-$1.XXXXXX")
  pids=()
  trap bench_cleanup EXIT
}
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# expect_run LABEL RC ALLOWED PATTERN OUT: stops the benchmark unless a run ended with an exit code
# in ALLOWED (space-separated) and its output (file OUT) matches the extended regex PATTERN (an
# empty PATTERN: the exit code alone is the proof), so a tool that crashes or prints nothing can
# never look fast.
expect_run() {
  local label=$1 rc=$2 allowed=$3 pattern=$4 out=$5
  if [[ " $allowed " != *" $rc "* ]] || { [ -n "$pattern" ] && ! grep -qE -- "$pattern" "$out"; }; then
    echo "bench: $label failed (exit $rc, expected $allowed; output must match /$pattern/):" >&2
    tail -n 5 "$out" >&2
    exit 1
  fi
}
