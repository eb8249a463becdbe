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
# measure VAR NAME CMD...: runs CMD 3 times (output in $work/out), prints NAME with the best wall
# time (s) and the peak RSS (KiB) of that run, and sets VAR_t and VAR_m; a run that does not exit 0
# ends the benchmark with its output, so a tool that fails can never look fast.
measure() {
  local var=$1 name=$2 best="" mem="" t m; shift 2
  for _ in 1 2 3; do
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/out" 2>&1; then
      echo "$name failed:" >&2
      tail -n 30 "$work/out" >&2
      exit 1
    fi
    read -r t m < <(tail -n 1 "$work/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t mem=$m; fi
  done
  printf '%-40s %8.3f s %10d KiB\n' "$name" "$best" "$mem"
  eval "${var}_t=$best ${var}_m=$mem"
}
