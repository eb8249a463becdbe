"""What the Alertmanager e2e tests share (routes_alertmanager.sh, routes_prometheus.sh,
dispatch_alertmanager.sh, routes_alertmanager_shapes.sh): a free loopback port, a webhook server
that records which receiver (the URL path) got which firing alert (its labels), or every request's
path and body; an Alertmanager on loopback, the wait for its flushes, and the comparison of what it
delivered with nsmon's prediction."""
import json, socket, subprocess, sys, threading, time, urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def start_webhook_sink():
    """Starts the server on a free port; returns (server, got, lock), got holding a
    (receiver, labels) pair per notified firing alert, appended under lock."""
    got, lock = [], threading.Lock()

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with lock:
                for a in body["alerts"]:
                    if a["status"] == "firing":
                        got.append((self.path.strip("/"), a["labels"]))
            self.send_response(200); self.end_headers()

        def log_message(self, *a): pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, got, lock


def start_recording_sink():
    """Starts a server on a free port that answers every POST with 200 and records it; returns
    (server, posts, lock), posts holding a (path, body bytes) pair per request, under lock."""
    posts, lock = [], threading.Lock()

    class Sink(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                posts.append((self.path, body))
            self.send_response(200); self.send_header("Content-Type", "application/json"); self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *a): pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Sink)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, posts, lock


def start_alertmanager(config, tmp):
    """Starts prometheus-alertmanager on `config` on a free loopback port (storage and log in
    `tmp`, no gossip), its external URL its own address; returns (process, url) once it is ready.
    A free port can be taken by a parallel test before the bind: another is tried, up to 5 times."""
    for attempt in range(5):
        url = f"http://127.0.0.1:{free_port()}"
        am = subprocess.Popen(["prometheus-alertmanager", f"--config.file={config}", f"--storage.path={tmp}/am{attempt}",
                               f"--web.listen-address={url[len('http://'):]}", "--cluster.listen-address=",
                               f"--web.external-url={url}", "--log.level=error"],
                              stdout=subprocess.DEVNULL, stderr=open(f"{tmp}/am.log", "w"))
        for _ in range(200):
            if am.poll() is not None:
                break
            try:
                urllib.request.urlopen(f"{url}/-/ready", timeout=1)
                return am, url
            except Exception:
                time.sleep(0.05)
        am.kill(); am.wait()
    sys.exit("Alertmanager did not start: " + open(f"{tmp}/am.log").read()[-500:])


def post_alerts(url, alerts):
    """POSTs `alerts` to Alertmanager's /api/v2/alerts; an answer other than 200 raises."""
    req = urllib.request.Request(f"{url}/api/v2/alerts", data=json.dumps(alerts).encode(),
                                 headers={"Content-Type": "application/json"})
    urllib.request.urlopen(req, timeout=5).read()


def wait_for_flushes(posts, lock, group_wait, quiet=1.5):
    """Waits past group_wait (seconds) for the first flushes, then until no request has come for
    `quiet` seconds."""
    time.sleep(group_wait + 1)
    seen, since = -1, time.time()
    while time.time() - since < quiet:
        with lock:
            n = len(posts)
        if n != seen:
            seen, since = n, time.time()
        time.sleep(0.1)


class Comparison:
    """nsmon's prediction against what Alertmanager did, counted per kind; each difference printed."""

    def __init__(self):
        self.failures, self.counts = 0, {}

    def __call__(self, kind, what, expected, actual):
        ok = expected == actual
        c = self.counts.setdefault(kind, [0, 0]); c[0] += ok; c[1] += 1
        if not ok:
            self.failures += 1
            print(f"DIFF {kind}: {what}\n  nsmon:        {expected!r}\n  Alertmanager: {actual!r}")

    def total(self):
        return sum(c[1] for c in self.counts.values())

    def report(self, title):
        """Prints N/N agree per kind and in all under `title`."""
        for kind, (ok, total) in self.counts.items():
            print(f"{kind}: {ok}/{total} agree")
        print(f"{title}: {self.total() - self.failures}/{self.total()} agree")


def compare_webhooks(compare, pred, posts):
    """Each webhook body nsmon predicts (routes test --alerts --format json) against the one posted
    to its receiver's path with the same groupKey, byte for byte; a post nsmon does not predict is
    a difference too. `posts`: (path, body bytes) pairs; only the receivers' paths count."""
    receivers = {g["receiver"] for g in pred["groups"]}
    hooks = sorted((p, b.decode()) for p, b in posts if p.strip("/") in receivers)
    expected = sorted(("/" + g["receiver"], n["fields"]["body"]["text"]) for g in pred["groups"]
                      for n in g["notifications"] if n["integration"] == "webhook")
    def key(body): return json.loads(body)["groupKey"]
    for p, b in expected:
        match = [x for x in hooks if x[0] == p and key(x[1]) == key(b)]
        compare("webhook", f"{p} {key(b)}", b, match[0][1] if match else None)
    for p, b in hooks:
        if not any(x[0] == p and key(x[1]) == key(b) for x in expected):
            compare("webhook", f"{p} (nsmon predicts no notification)", None, b)
    return hooks
