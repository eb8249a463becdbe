#!/usr/bin/python3
"""A misbehaving HTTP server for nsmon's transport and `nsmon query` fault tests.

The first path segment picks the behaviour, with optional comma-separated parameters; the rest of
the path is what the client asked for, so a server URL with a path prefix works as is:

    http://127.0.0.1:PORT/hang/api/v1/query          accepts and never answers
    http://127.0.0.1:PORT/flaky,fail=2,id=t1/...     two 503s, then an answer

Modes (parameters and their defaults):
  ok                      200, a Prometheus success answer for the endpoint asked for
  hang                    reads the request, never answers (until the client goes away)
  error,code=500,type=internal,msg=...   Prometheus error JSON with that status
  flaky,fail=1,code=503,id=,retry_after= the first `fail` requests (per id) get `code`, then ok
  nopost,code=405         POST gets `code` (with Allow: GET), GET gets ok
  html,code=200           a proxy's HTML page (text/html)
  truncated,length=1000   declares Content-Length `length`, sends 100 bytes of JSON, closes
  close                   closes the connection without answering
  headcut                 sends its status line, then closes (a process exiting mid-answer)
  huge,bytes=1000000      a valid Prometheus answer of at least `bytes` bytes
  drip,ms=200             200, then one byte every `ms` milliseconds, forever
  loop                    302 to itself (a redirect loop)
  redirect,host=127.0.0.1,port=<own>,to=ok,code=302   redirect to http://host:port/to/<rest>
  junk                    200 application/json whose body is not JSON

Every request except /_requests is recorded: GET /_requests answers the JSON list of
{"method","path","query","headers","body"} (headers as [name, value] pairs, in order);
--record FILE also appends each one as a JSON line. POST /_reset clears the list.

Start: fault_server.py [--port N] [--port-file F] [--tls-cert C --tls-key K [--tls-client-ca CA]] [--max-life S]
The port (0: any free loopback port) is printed on stdout as one line, and written to --port-file.
The server exits by itself after --max-life seconds (default 300), so it never lingers.
"""
import argparse
import json
import os
import select
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
REQUESTS = []
COUNTERS = {}
ARGS = None


def params_of(segment):
    mode, _, rest = segment.partition(",")
    params = {}
    for kv in rest.split(",") if rest else []:
        k, _, v = kv.partition("=")
        params[k] = urllib.parse.unquote(v)
    return mode, params


def success(endpoint, query):
    now = time.time()
    if endpoint.endswith("/query_range"):
        data = {"resultType": "matrix", "result": [
            {"metric": {"__name__": "up", "job": "fault"}, "values": [[now - 30, "1"], [now - 15, "1"], [now, "1"]]}]}
    elif endpoint.endswith("/query"):
        data = {"resultType": "vector", "result": [{"metric": {"__name__": "up", "job": "fault"}, "value": [now, "1"]}]}
    elif endpoint.endswith("/labels"):
        data = ["__name__", "job"]
    elif "/label/" in endpoint:
        data = ["fault"]
    elif endpoint.endswith("/series"):
        data = [{"__name__": "up", "job": "fault"}]
    else:
        data = {}
    return json.dumps({"status": "success", "data": data}).encode()


def huge(size):
    head = b'{"status":"success","data":{"resultType":"vector","result":['
    tail = b']}}'
    parts, n, i = [head], len(head) + len(tail), 0
    while n < size:
        s = ('%s{"metric":{"__name__":"fault_series","i":"%d"},"value":[1700000000,"%d"]}' % (
            "," if i else "", i, i)).encode()
        parts.append(s)
        n += len(s)
        i += 1
    parts.append(tail)
    return b"".join(parts)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet
        pass

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_HEAD(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def send(self, code, body, ctype="application/json", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/_requests":
            with LOCK:
                return self.send(200, json.dumps(REQUESTS).encode())
        if url.path == "/_reset":
            with LOCK:
                REQUESTS.clear()
                COUNTERS.clear()
            return self.send(200, b"{}")
        record = {"method": self.command, "path": url.path, "query": url.query,
                  "headers": [[k, v] for k, v in self.headers.items()], "body": body.decode("utf-8", "replace")}
        with LOCK:
            REQUESTS.append(record)
            if ARGS.record:
                with open(ARGS.record, "a") as f:
                    f.write(json.dumps(record) + "\n")
        segment, _, rest = url.path.lstrip("/").partition("/")
        mode, p = params_of(segment)
        rest = "/" + rest
        query = urllib.parse.parse_qs(url.query or body.decode("utf-8", "replace"))
        getattr(self, "mode_" + mode, self.mode_unknown)(p, rest, url, query)

    def mode_unknown(self, p, rest, url, query):
        self.send(404, b"unknown fault mode\n", "text/plain")

    def mode_ok(self, p, rest, url, query):
        self.send(200, success(rest, query))

    def mode_junk(self, p, rest, url, query):
        self.send(200, b"this is not JSON at all\n")

    def mode_error(self, p, rest, url, query):
        body = {"status": "error", "errorType": p.get("type", "internal"), "error": p.get("msg", "fault server: internal error")}
        self.send(int(p.get("code", 500)), json.dumps(body).encode())

    def mode_flaky(self, p, rest, url, query):
        key = p.get("id", "")
        with LOCK:
            COUNTERS[key] = COUNTERS.get(key, 0) + 1
            n = COUNTERS[key]
        if n <= int(p.get("fail", 1)):
            headers = [("Retry-After", p["retry_after"])] if "retry_after" in p else []
            body = {"status": "error", "errorType": "unavailable", "error": "fault server: try again (%d)" % n}
            return self.send(int(p.get("code", 503)), json.dumps(body).encode(), headers=headers)
        self.mode_ok(p, rest, url, query)

    def mode_nopost(self, p, rest, url, query):
        if self.command == "POST":
            return self.send(int(p.get("code", 405)), b"method not allowed\n", "text/plain", [("Allow", "GET")])
        self.mode_ok(p, rest, url, query)

    def mode_html(self, p, rest, url, query):
        page = (b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
                b"<body><h1>Bad Gateway</h1><p>The proxy server received an invalid response.</p></body></html>\n")
        self.send(int(p.get("code", 200)), page, "text/html; charset=utf-8")

    def mode_truncated(self, p, rest, url, query):
        body = success(rest, query)[:100]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", p.get("length", "1000"))
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()
        self.hard_close()

    def mode_close(self, p, rest, url, query):
        self.hard_close()

    def mode_headcut(self, p, rest, url, query):
        self.wfile.write(b"HTTP/1.0 200 OK\r\n")
        self.wfile.flush()
        self.hard_close()

    def mode_huge(self, p, rest, url, query):
        self.send(200, huge(int(p.get("bytes", 1000000))))

    def mode_hang(self, p, rest, url, query):
        self.wait_for_client_to_leave(ARGS.max_life)
        self.hard_close()

    def mode_drip(self, p, rest, url, query):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "100000000")
        self.end_headers()
        self.wfile.flush()
        delay = int(p.get("ms", 200)) / 1000.0
        try:
            while True:
                self.wfile.write(b" ")
                self.wfile.flush()
                if self.wait_for_client_to_leave(delay):
                    break
        except OSError:
            pass
        self.hard_close()

    def mode_loop(self, p, rest, url, query):
        self.send(302, b"", "text/plain", [("Location", self.path)])

    def mode_redirect(self, p, rest, url, query):
        host = p.get("host", "127.0.0.1")
        port = p.get("port", str(self.server.server_address[1]))
        scheme = "https" if ARGS.tls_cert else "http"
        target = "%s://%s:%s/%s%s%s" % (scheme, host, port, p.get("to", "ok"), rest, "?" + url.query if url.query else "")
        self.send(int(p.get("code", 302)), b"", "text/plain", [("Location", target)])

    def wait_for_client_to_leave(self, seconds):
        """True when the client closed its end within `seconds`."""
        deadline = time.time() + seconds
        while time.time() < deadline:
            r, _, _ = select.select([self.connection], [], [], min(0.1, max(0, deadline - time.time())))
            if r:
                try:
                    if not self.connection.recv(1, socket.MSG_PEEK):
                        return True
                except OSError:
                    return True
                time.sleep(0.05)
        return False

    def hard_close(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that give up (timeouts, limits) are what these tests are about


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--port-file")
    ap.add_argument("--record")
    ap.add_argument("--tls-cert")
    ap.add_argument("--tls-key")
    ap.add_argument("--tls-client-ca")
    ap.add_argument("--max-life", type=float, default=300)
    ARGS = ap.parse_args()
    server = Server(("127.0.0.1", ARGS.port), Handler)
    if ARGS.tls_cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(ARGS.tls_cert, ARGS.tls_key)
        if ARGS.tls_client_ca:  # mutual TLS: a client certificate signed by this CA is required
            ctx.verify_mode = ssl.CERT_REQUIRED
            ctx.load_verify_locations(ARGS.tls_client_ca)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    port = server.server_address[1]
    if ARGS.port_file:
        tmp = ARGS.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.rename(tmp, ARGS.port_file)
    print(port, flush=True)
    threading.Timer(ARGS.max_life, lambda: os._exit(0)).start()
    server.serve_forever()


if __name__ == "__main__":
    main()
