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
