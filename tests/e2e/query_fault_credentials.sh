#!/usr/bin/env bash
# Credentials reach the server (Authorization, X-Scope-OrgID, --header) but never another host after
# a redirect, never the URL, and never stdout, stderr or the --verbose trace.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/fault_server.bash"
start_fault_server
no_secret() { # no_secret TEXT...: none of them in stdout or stderr
  local s
  for s in "$@"; do grep -qF -- "$s" "$TMP/out" "$TMP/err" && fail "'$s' was printed; stderr: $err"; done
  return 0
}
# Bearer token from a file, tenant, a secret-looking extra header; redirected to localhost (another
# origin than 127.0.0.1): the tenant follows, the secrets do not.
printf 'tok-e2e-91c3\n' >"$TMP/token"
run query up --server "$FAULT/redirect,host=localhost" --bearer-token-file "$TMP/token" --tenant team-a \
  --header 'X-Api-Key: key-e2e-5d0f' --header 'X-Trace: visible' --verbose --format json
expect_rc 0
expect_out '"resultType": "vector"' # the server's bytes, verbatim
expect_err "> Authorization: Bearer ***"
expect_err "> X-Api-Key: ***"
expect_err "> X-Scope-OrgID: team-a"
expect_err "redirected to another host: credentials are not sent there"
no_secret tok-e2e-91c3 key-e2e-5d0f
check_requests '
assert len(r) == 2, r
assert r[0]["path"].startswith("/redirect") and r[1]["path"] == "/ok/api/v1/query", r
assert h(0)["authorization"] == "Bearer tok-e2e-91c3", h(0)
assert h(0)["x-api-key"] == "key-e2e-5d0f", h(0)
assert "authorization" not in h(1) and "x-api-key" not in h(1), h(1)
assert h(0)["x-scope-orgid"] == "team-a" and h(1)["x-scope-orgid"] == "team-a", r
assert h(1)["x-trace"] == "visible", h(1)
assert "tok-e2e" not in json.dumps([x["path"] + x["query"] + x["body"] for x in r]), r'
fault_reset
# Same host, same port: the token is sent again after the redirect.
run query labels --server "$FAULT/redirect" --bearer-token-file "$TMP/token"
expect_rc 0
check_requests 'assert len(r) == 2 and h(1)["authorization"] == "Bearer tok-e2e-91c3", r'
fault_reset
# Basic auth, password from the environment: sent, never shown (nor its base64 form).
NSMON_E2E_PW=pw-e2e-77aa run query up --server "$FAULT/ok" --username alice --password-env NSMON_E2E_PW --verbose --format json
expect_rc 0
expect_err "> Authorization: Basic ***"
no_secret pw-e2e-77aa "$(printf 'alice:pw-e2e-77aa' | base64)"
check_requests '
import base64
assert h(0)["authorization"] == "Basic " + base64.b64encode(b"alice:pw-e2e-77aa").decode(), h(0)
assert "pw-e2e" not in json.dumps([x["path"] + x["query"] + x["body"] for x in r]), r'
fault_reset
# Basic auth, password from a file, through a redirect to another origin: dropped there.
printf 'pw-file-3e21\n' >"$TMP/password"
run query up --server "$FAULT/redirect,host=localhost" --username bob --password-file "$TMP/password" --verbose --format json
expect_rc 0
no_secret pw-file-3e21 "$(printf 'bob:pw-file-3e21' | base64)"
check_requests '
import base64
assert h(0)["authorization"] == "Basic " + base64.b64encode(b"bob:pw-file-3e21").decode(), h(0)
assert len(r) == 2 and "authorization" not in h(1), r'
# A failing request does not show the secrets either.
run query up --server "$FAULT/error,code=401,type=unauthorized,msg=bad%20token" --bearer-token-file "$TMP/token" --verbose
expect_rc 1
expect_err "HTTP 401 Unauthorized: unauthorized: bad token"
no_secret tok-e2e-91c3
# Credentials that cannot be read stop before the network.
fault_reset
run query up --server "$FAULT/ok" --bearer-token-file "$TMP/missing"
expect_rc 2
expect_err "bearer token file"
run query up --server "$FAULT/ok" --username alice --password-env NSMON_E2E_UNSET
expect_rc 2
expect_err "NSMON_E2E_UNSET"
check_requests 'assert r == [], r'
echo ok
