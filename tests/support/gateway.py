#!/usr/bin/python3
"""A multi-tenant query gateway in front of a Prometheus, for tests (neither Mimir nor Thanos is
packaged for Debian, so this stands in for what they change for a client):

  gateway.py UPSTREAM PORT LOG [--prefix /prometheus] [--tenant-header X-Scope-OrgID]

serves the Prometheus HTTP API under PREFIX only, answers 401 "no org id" (Mimir's words) to a
request without the tenant header, 404 to /api/v1/targets (a gateway has no scrape targets), and
forwards everything else to UPSTREAM's /api/v1 with the query parameters, minus `stats` (query
statistics stay the upstream's secret, as behind a query frontend). Each request is appended to
LOG as a JSON line {"method", "path", "tenant"}; /-/ready answers 200. Listens on 127.0.0.1 only; stops on SIGTERM.
"""
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

upstream, port, log = sys.argv[1].rstrip("/"), int(sys.argv[2]), sys.argv[3]
args = sys.argv[4:]
prefix = args[args.index("--prefix") + 1] if "--prefix" in args else "/prometheus"
tenant_header = args[args.index("--tenant-header") + 1] if "--tenant-header" in args else "X-Scope-OrgID"


class Gateway(BaseHTTPRequestHandler):
    def answer(self, code, body, ctype="application/json"):
        data = body.encode()
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self, method):
        url = urllib.parse.urlsplit(self.path)
        tenant = self.headers.get(tenant_header)
        with open(log, "a") as f:
            f.write(json.dumps({"method": method, "path": url.path, "tenant": tenant}) + "\n")
        if url.path == "/-/ready":
            return self.answer(200, "ready\n", "text/plain")
        if not url.path.startswith(prefix + "/api/v1/"):
            return self.answer(404, "404 page not found\n", "text/plain")
        if not tenant:
            return self.answer(401, "no org id\n", "text/plain")
        api = url.path[len(prefix):]
        if api == "/api/v1/targets":
            return self.answer(404, "404 page not found\n", "text/plain")
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)) if method == "POST" else b""
        strip = lambda q: urllib.parse.urlencode([(k, v) for k, v in urllib.parse.parse_qsl(q) if k != "stats"])
        query, body = strip(url.query), strip(body.decode()).encode()
        req = urllib.request.Request(upstream + api + ("?" + query if query else ""), method=method,
                                     data=body if method == "POST" else None)
        if method == "POST":
            req.add_header("Content-Type", "application/x-www-form-urlencoded")
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return self.answer(r.status, r.read().decode(), r.headers.get("Content-Type", "application/json"))
        except urllib.error.HTTPError as e:
            return self.answer(e.code, e.read().decode(), e.headers.get("Content-Type", "text/plain"))

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def log_message(self, *a):
        pass


ThreadingHTTPServer(("127.0.0.1", port), Gateway).serve_forever()
