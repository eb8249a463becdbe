"""What the Alertmanager e2e tests share (routes_alertmanager.sh, routes_prometheus.sh,
dispatch_alertmanager.sh): a free loopback port, and a webhook server that records which receiver
(the URL path) got which firing alert (its labels), or every request's path and body."""
import json, socket, threading
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
