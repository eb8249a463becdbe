"""What the Alertmanager e2e tests share (routes_alertmanager.sh, routes_prometheus.sh): a free
loopback port, and a webhook server that records which receiver (the URL path) got which firing
alert (its labels)."""
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
