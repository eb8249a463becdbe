"""Starting a test's servers (Prometheus, VictoriaMetrics, an exporter) on free loopback ports:
the one way the test scripts do it (tests/support/history.py, tests/e2e/*.py)."""

import socket
import subprocess
import time
import urllib.request


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def tail(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-5:])
    except OSError:
        return "(none)"


def start_server(make_cmd, ready_path, log, seconds=60):
    """Starts make_cmd(port) on a free loopback port, its output appended to the file `log`, and
    waits until http://127.0.0.1:PORT`ready_path` answers 2xx. A port can be taken by another test
    between free_port and the bind, so a server that exits before it is ready is started again on
    another port, 5 times at most. Returns (process, url); raises SystemExit with the log's tail."""
    for _ in range(5):
        port = free_port()
        with open(log, "a", encoding="utf-8") as out:
            proc = subprocess.Popen(make_cmd(port), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        end = time.time() + seconds
        while proc.poll() is None and time.time() < end:
            try:
                urllib.request.urlopen(url + ready_path, timeout=2).read()
                return proc, url
            except OSError:
                time.sleep(0.1)
        if proc.poll() is None:
            proc.kill()
            proc.wait()
            raise SystemExit(f"{make_cmd(port)[0]} did not answer {ready_path} within {seconds} s; its log: {tail(log)}")
    raise SystemExit(f"{make_cmd(0)[0]} did not stay up on a free port (5 tries); its log: {tail(log)}")
