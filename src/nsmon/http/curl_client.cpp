#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <curl/curl.h>
#include <dlfcn.h>
#include <mutex>
#include <strings.h>
#include <thread>
#include <type_traits>
#include <unistd.h>

#include "nsmon/http/client.hpp"
#include "nsmon/http/redact.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::http {

namespace {

// libcurl is loaded when it is first used, not at start-up: binding it and its ~35 libraries
// would cost every command start-up time and memory, and most commands never talk HTTP.
// The libcurl functions nsmon calls: each is member NAME of Curl, loaded as symbol curl_NAME.
// clang-format off
#define NSMON_CURL_FUNCTIONS(X) \
  X(easy_init) X(easy_cleanup) X(easy_setopt) X(easy_getinfo) X(easy_perform) X(easy_strerror) \
  X(slist_append) X(slist_free_all) X(url) X(url_set) X(url_get) X(url_cleanup) X(free)
// clang-format on

struct Curl {
// NOLINTNEXTLINE(bugprone-macro-parentheses): the argument names a member, it cannot be parenthesised
#define NSMON_CURL_MEMBER(name) decltype(&::curl_##name) name;
  NSMON_CURL_FUNCTIONS(NSMON_CURL_MEMBER)
#undef NSMON_CURL_MEMBER
};

const Curl& curl() {
  static const Curl lib = [] {
    void* so = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!so) throw Error(std::string("cannot load libcurl: ") + dlerror());
    auto sym = [so](auto& fn, const char* name) {
      void* p = dlsym(so, name);
      if (!p) throw Error(std::string("libcurl has no ") + name);
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(p);
    };
    Curl c{};
#define NSMON_CURL_LOAD(name) sym(c.name, "curl_" #name);
    NSMON_CURL_FUNCTIONS(NSMON_CURL_LOAD)
#undef NSMON_CURL_LOAD
    decltype(&::curl_global_init) global_init = nullptr;
    sym(global_init, "curl_global_init");
    global_init(CURL_GLOBAL_DEFAULT);
    return c;
  }();
  return lib;
}

using Clock = std::chrono::steady_clock;
constexpr long kMaxPauseMs = 4000;

long ms_since(Clock::time_point t) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t).count());
}

// "5 s", "250 ms", "1.5 s".
std::string duration_text(long ms) {
  if (ms < 1000) return std::to_string(ms) + " ms";
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f s", static_cast<double>(ms) / 1000.0);
  return buf;
}

std::string base64(std::string_view in) {
  static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    unsigned v = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) v |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) v |= static_cast<unsigned char>(in[i + 2]);
    out += tab[(v >> 18) & 63];
    out += tab[(v >> 12) & 63];
    out += i + 1 < in.size() ? tab[(v >> 6) & 63] : '=';
    out += i + 2 < in.size() ? tab[v & 63] : '=';
  }
  return out;
}

// A credential read from a file: one line, surrounding white space dropped.
std::string read_secret_file(const std::string& path, const std::string& what) {
  std::string text;
  try {
    text = util::read_file(path);
  } catch (const Error& e) {
    throw Error(what + ": " + e.what());
  }
  std::string s(util::trim(text));
  if (s.empty()) throw Error(what + " " + path + " is empty");
  if (s.find_first_of("\r\n") != std::string::npos) throw Error(what + " " + path + " holds more than one line");
  return s;
}

void check_readable(const std::string& path, const std::string& what) {
  if (!path.empty() && ::access(path.c_str(), R_OK) != 0)
    throw Error("cannot read the " + what + " " + path + ": " + std::strerror(errno));
}

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

std::string host_of(const std::string& url) {
  std::string host;
  if (CURLU* u = curl().url()) {
    char* h = nullptr;
    if (curl().url_set(u, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
        curl().url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK)
      host = h;
    curl().free(h);
    curl().url_cleanup(u);
  }
  return host;
}

// One response as it arrives.
struct Transfer {
  const Request* req = nullptr;
  std::string* body = nullptr;
  long status = 0;
  std::size_t received = 0;  // body bytes, decoded
  std::size_t delivered = 0; // of which handed to on_body
  std::string retry_after;
  bool too_large = false;
  bool aborted = false;
  bool headers_ended = false; // the blank line that ends the last response's headers came
};

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) { // a new response: interim 1xx, redirect or final
    auto sp = line.find(' ');
    t->status = sp == std::string_view::npos ? 0 : std::atol(std::string(line.substr(sp + 1, 3)).c_str());
    t->retry_after.clear();
    t->headers_ended = false;
  } else if (line == "\r\n" || line == "\n") {
    t->headers_ended = true;
  } else if (line.size() > 12 && ::strncasecmp(line.data(), "retry-after:", 12) == 0) {
    t->retry_after = std::string(util::trim(line.substr(12)));
  }
  return size * n;
}

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  t->received += len;
  if (t->req->max_bytes && t->received > t->req->max_bytes) {
    t->too_large = true;
    return 0; // aborts the transfer
  }
  if (t->req->on_body && t->status >= 200 && t->status < 300) {
    if (!t->req->on_body(std::string_view(data, len))) {
      t->aborted = true;
      return 0;
    }
    t->delivered += len;
    return len;
  }
  t->body->append(data, len);
  return len;
}

// What one curl_easy_perform gave.
struct Outcome {
  CURLcode rc = CURLE_OK;
  Transfer t;
  Response resp;
  std::string redirect_url;
  std::string error; // curl's error buffer
  long os_errno = 0;
  curl_off_t downloaded = 0, content_length = -1;
};

class CurlClient final : public Client {
public:
  explicit CurlClient(const ClientOptions& o) : o_(o) {
    curl(); // loads libcurl and initialises it once
    load_credentials();
    for (const auto& [k, v] : o_.headers) parse_header(k + ": " + v); // validates
    if (!o_.tenant.empty()) parse_header("X-Scope-OrgID: " + o_.tenant);
    if (!o_.key_file.empty() && o_.cert_file.empty()) throw UsageError("a client key needs a client certificate");
    check_readable(o_.ca_file, "CA file");
    check_readable(o_.cert_file, "client certificate");
    check_readable(o_.key_file, "client key");
  }

  Response send(const Request& req) override;

private:
  void load_credentials();
  Outcome perform(const Request& req, const std::string& url, const std::string& method, bool send_secrets,
                  long left_ms, long connect_ms) const;
  bool pause(int attempt, const std::string& retry_after, const Request& req, Clock::time_point start,
             const std::string& why) const;
  std::string failure_message(Failure f, const Outcome& out, const std::string& url, long connect_ms,
                              long timeout_ms) const;
  void trace(const std::string& line) const {
    if (o_.trace) o_.trace(detail::mask_secrets(line, secrets_));
  }
  static int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user);

  ClientOptions o_;
  std::string authorization_; // the Authorization header value, or empty
  std::vector<std::string> secrets_;
};

void CurlClient::load_credentials() {
  bool basic = !o_.username.empty() || !o_.password_file.empty() || !o_.password_env.empty();
  if (!o_.bearer_token_file.empty() && basic) throw UsageError("use a bearer token or basic auth, not both");
  if (!o_.bearer_token_file.empty()) {
    std::string token = read_secret_file(o_.bearer_token_file, "bearer token file");
    authorization_ = "Bearer " + token;
    secrets_ = {token};
  }
  if (!basic) return;
  if (o_.username.empty()) throw UsageError("a basic auth password needs a username");
  if (o_.username.find_first_of(":\r\n") != std::string::npos)
    throw UsageError("a basic auth username cannot hold ':' or line breaks");
  if (o_.password_file.empty() == o_.password_env.empty())
    throw UsageError("basic auth needs the password from a file or from an environment variable (one of them)");
  std::string password;
  if (!o_.password_file.empty()) {
    password = read_secret_file(o_.password_file, "password file");
  } else {
    const char* v = std::getenv(o_.password_env.c_str());
    if (!v || !*v)
      throw Error("the environment variable " + o_.password_env + " (basic auth password) is not set or empty");
    password = v;
  }
  std::string encoded = base64(o_.username + ":" + password);
  authorization_ = "Basic " + encoded;
  secrets_ = {password, encoded};
}

int CurlClient::on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  const auto* self = static_cast<const CurlClient*>(user);
  std::string_view text(data, size);
  if (type != CURLINFO_HEADER_OUT && type != CURLINFO_HEADER_IN) return 0;
  const char* arrow = type == CURLINFO_HEADER_OUT ? "> " : "< ";
  bool first = true;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) {
      std::string shown;
      if (first && type == CURLINFO_HEADER_OUT) { // "GET /path?query HTTP/1.1": mask secret parameters
        auto a = line.find(' '), b = line.rfind(' ');
        shown = a != b ? std::string(line.substr(0, a + 1)) + util::redact_url(line.substr(a + 1, b - a - 1)) +
                             std::string(line.substr(b))
                       : std::string(line);
      } else {
        shown = detail::mask_header_line(line);
      }
      self->trace(arrow + shown);
    }
    first = false;
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return 0;
}

Outcome CurlClient::perform(const Request& req, const std::string& url, const std::string& method, bool send_secrets,
                            long left_ms, long connect_ms) const {
  std::unique_ptr<CURL, decltype(Curl::easy_cleanup)> h(curl().easy_init(), curl().easy_cleanup);
  if (!h) throw TransportError(Failure::protocol, "cannot initialise libcurl");
  Outcome out;
  out.t.req = &req;
  out.t.body = &out.resp.body;
  char errbuf[CURL_ERROR_SIZE] = "";
  CURL* c = h.get();
  curl().easy_setopt(c, CURLOPT_URL, url.c_str());
  curl().easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl().easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl().easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl().easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
  curl().easy_setopt(c, CURLOPT_TIMEOUT_MS, left_ms);
  curl().easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
  curl().easy_setopt(c, CURLOPT_BUFFERSIZE, 512L * 1024); // large answers arrive in fewer, larger pieces
  curl().easy_setopt(c, CURLOPT_WRITEDATA, &out.t);
  curl().easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl().easy_setopt(c, CURLOPT_HEADERDATA, &out.t);
  curl().easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl().easy_setopt(c, CURLOPT_USERAGENT, "nsmon/" NSMON_VERSION);
  if (!o_.ca_file.empty()) curl().easy_setopt(c, CURLOPT_CAINFO, o_.ca_file.c_str());
  if (!o_.cert_file.empty()) curl().easy_setopt(c, CURLOPT_SSLCERT, o_.cert_file.c_str());
  if (!o_.key_file.empty()) curl().easy_setopt(c, CURLOPT_SSLKEY, o_.key_file.c_str());
  if (o_.insecure_skip_verify) {
    curl().easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl().easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (method == "POST") {
    curl().easy_setopt(c, CURLOPT_POST, 1L);
    curl().easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
    curl().easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
  } else if (method == "HEAD") {
    curl().easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (method != "GET") {
    curl().easy_setopt(c, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  // Credentials (ours and secret-looking headers of the caller) go to the first origin only.
  curl_slist* headers = curl().slist_append(nullptr, "Expect:"); // no 100-continue round trip
  auto add = [&](const std::string& k, const std::string& v) {
    if (send_secrets || !util::is_secret_name(k)) headers = curl().slist_append(headers, (k + ": " + v).c_str());
  };
  for (const auto& [k, v] : o_.headers) add(k, v);
  if (!o_.tenant.empty()) add("X-Scope-OrgID", o_.tenant);
  if (!authorization_.empty()) add("Authorization", authorization_);
  for (const auto& [k, v] : req.headers) add(k, v);
  std::unique_ptr<curl_slist, decltype(Curl::slist_free_all)> hold(headers, curl().slist_free_all);
  curl().easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  if (o_.trace) {
    curl().easy_setopt(c, CURLOPT_DEBUGFUNCTION, on_debug);
    curl().easy_setopt(c, CURLOPT_DEBUGDATA, this);
    curl().easy_setopt(c, CURLOPT_VERBOSE, 1L);
  }

  out.rc = curl().easy_perform(c);
  out.error = detail::mask_secrets(errbuf, secrets_);
  // A server that dies as it writes its headers (a process exiting between its status line and
  // the rest) leaves curl a status and no end of headers, which it takes for a whole, empty answer:
  // a metrics page of no series where the page was cut (nsmon watch then lost every figure).
  if (out.rc == CURLE_OK && out.t.status != 0 && !out.t.headers_ended) out.rc = CURLE_PARTIAL_FILE;
  curl().easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.resp.status);
  char* s = nullptr;
  if (curl().easy_getinfo(c, CURLINFO_CONTENT_TYPE, &s) == CURLE_OK && s) out.resp.content_type = s;
  s = nullptr;
  if (curl().easy_getinfo(c, CURLINFO_REDIRECT_URL, &s) == CURLE_OK && s) out.redirect_url = s;
  curl().easy_getinfo(c, CURLINFO_OS_ERRNO, &out.os_errno);
  curl().easy_getinfo(c, CURLINFO_SIZE_DOWNLOAD_T, &out.downloaded);
  curl().easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &out.content_length);
  out.resp.url = url;
  return out;
}

Failure classify(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY: return Failure::dns;
  case CURLE_COULDNT_CONNECT: return Failure::connect;
  case CURLE_OPERATION_TIMEDOUT: return Failure::timeout;
  case CURLE_PEER_FAILED_VERIFICATION:
  // No CA bundle to verify with (none installed, or --ca-file unreadable): still a verification failure.
  case CURLE_SSL_CACERT_BADFILE: return Failure::tls_verify;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CIPHER:
  case CURLE_SSL_ENGINE_NOTFOUND:
  case CURLE_SSL_ENGINE_SETFAILED:
  case CURLE_SSL_CRL_BADFILE:
  case CURLE_SSL_ISSUER_ERROR:
  case CURLE_SSL_SHUTDOWN_FAILED:
  case CURLE_USE_SSL_FAILED: return Failure::tls;
  case CURLE_PARTIAL_FILE:
  case CURLE_GOT_NOTHING:
  case CURLE_RECV_ERROR:
  case CURLE_SEND_ERROR: return Failure::truncated;
  case CURLE_TOO_MANY_REDIRECTS: return Failure::redirects;
  default: return Failure::protocol;
  }
}

std::string CurlClient::failure_message(Failure f, const Outcome& out, const std::string& url, long connect_ms,
                                        long timeout_ms) const {
  const std::string u = detail::message_url(url);
  const std::string detail = out.error.empty() ? curl().easy_strerror(out.rc) : out.error;
  switch (f) {
  case Failure::dns: return "cannot resolve the host name '" + host_of(url) + "' of " + u;
  case Failure::connect: {
    std::string why = out.os_errno == ECONNREFUSED ? "connection refused"
                      : out.os_errno != 0          ? std::string(std::strerror(static_cast<int>(out.os_errno)))
                                                   : detail;
    return "cannot connect to " + u + ": " + why;
  }
  case Failure::connect_timeout:
    return "cannot connect to " + u + ": no connection within the connect timeout of " + duration_text(connect_ms);
  case Failure::timeout:
    return "no complete answer from " + u + " within the total timeout of " + duration_text(timeout_ms) + " (" +
           std::to_string(out.downloaded) + " bytes received)";
  case Failure::tls_verify: return "cannot verify the TLS certificate of " + u + ": " + detail;
  case Failure::tls:
    if (classify(out.rc) == Failure::truncated) // see send(): refused after the handshake
      return "TLS failure with " + u + ": the server closed the connection before answering (" + detail +
             "); does it require a client certificate?";
    return "TLS failure with " + u + ": " + detail;
  case Failure::truncated:
    if (out.rc == CURLE_GOT_NOTHING) return u + " closed the connection without answering";
    if (out.rc == CURLE_SEND_ERROR) return "the connection to " + u + " broke while sending the request: " + detail;
    if (out.rc == CURLE_RECV_ERROR)
      return "the connection to " + u + " broke after " + std::to_string(out.downloaded) +
             " bytes of the answer: " + detail;
    if (!out.t.headers_ended) return "the answer from " + u + " was cut short: the connection closed in its headers";
    return "the answer from " + u + " was cut short: the connection closed after " + std::to_string(out.downloaded) +
           (out.content_length >= 0 ? " of " + std::to_string(out.content_length) : std::string()) + " bytes";
  case Failure::too_large:
    return "the answer from " + u + " is larger than the limit of " + std::to_string(out.t.req->max_bytes) + " bytes";
  case Failure::aborted: return "the reader stopped the transfer from " + u;
  case Failure::redirects:
    return "more than " + std::to_string(o_.max_redirects) + " redirects, the last from " + u + " to " +
           detail::message_url(out.redirect_url);
  case Failure::protocol: break;
  }
  return "request to " + u + " failed: " + detail;
}

bool CurlClient::pause(int attempt, const std::string& retry_after, const Request& req, Clock::time_point start,
                       const std::string& why) const {
  long wait = o_.retry_backoff_ms;
  for (int i = 1; i < attempt && wait < kMaxPauseMs; ++i) wait *= 2;
  if (!retry_after.empty() && retry_after.find_first_not_of("0123456789") == std::string::npos &&
      retry_after.size() < 6)
    wait = std::stol(retry_after) * 1000;
  wait = std::min(wait, kMaxPauseMs);
  // A retry that could not finish in the total timeout is not worth starting.
  if (req.timeout_ms > 0 && ms_since(start) + wait >= req.timeout_ms) return false;
  trace("* " + why + "; retrying in " + duration_text(wait));
  std::this_thread::sleep_for(std::chrono::milliseconds(wait));
  return true;
}

Response CurlClient::send(const Request& req) {
  const auto start = Clock::now();
  const bool limited = req.timeout_ms > 0;
  const bool retryable = req.idempotent || req.method == "GET" || req.method == "HEAD";
  const int attempts = 1 + (retryable ? std::max(0, o_.retries) : 0);
  const std::string first_origin = detail::origin(req.url);
  std::string url = req.url, method = req.method;
  Request hop = req; // the request as it goes: a 303 turns it into a GET
  bool send_secrets = true;
  int redirects = 0;
  for (int attempt = 1;;) {
    long left = limited ? req.timeout_ms - ms_since(start) : 0;
    if (limited && left <= 0) left = 1; // let curl report the timeout
    long connect_ms = req.connect_timeout_ms > 0 ? req.connect_timeout_ms : 0;
    if (limited && (connect_ms == 0 || connect_ms > left)) connect_ms = left;
    trace("* " + method + " " + util::redact_url(url) +
          (attempt > 1 ? " (attempt " + std::to_string(attempt) + " of " + std::to_string(attempts) + ")" : ""));
    const auto t0 = Clock::now();
    Outcome out = perform(hop, url, method, send_secrets, left, connect_ms);
    Failure f = out.t.too_large ? Failure::too_large : out.t.aborted ? Failure::aborted : classify(out.rc);
    // A TLS server that refuses the client (no or a wrong client certificate) closes the
    // connection after the handshake, with an alert or without: no HTTP answer ever starts.
    if (f == Failure::truncated && out.resp.status == 0 &&
        (out.error.find("SSL") != std::string::npos || detail::origin(url).rfind("https:", 0) == 0))
      f = Failure::tls;
    if (out.t.too_large || out.t.aborted || out.rc != CURLE_OK) {
      // A timeout before the total one ran out is the connect timeout.
      if (f == Failure::timeout && !(limited && ms_since(start) + 5 >= req.timeout_ms)) f = Failure::connect_timeout;
      std::string msg = failure_message(f, out, url, connect_ms, req.timeout_ms);
      trace("* failed after " + duration_text(ms_since(t0)) + ": " + msg);
      // Only what surely never reached the server's handler is sent again.
      bool again = out.t.delivered == 0 && (f == Failure::connect || f == Failure::connect_timeout ||
                                            (f == Failure::truncated && out.rc == CURLE_GOT_NOTHING));
      if (again && attempt < attempts && pause(attempt, "", req, start, msg)) {
        ++attempt;
        continue;
      }
      if (attempt > 1) msg += " (" + std::to_string(attempt) + " attempts)";
      throw TransportError(f, msg);
    }
    const long status = out.resp.status;
    trace("* " + status_text(status) + ", " + std::to_string(out.t.received) + " bytes in " +
          duration_text(ms_since(t0)));
    if (is_redirect(status) && !out.redirect_url.empty() && o_.max_redirects > 0) {
      if (++redirects > o_.max_redirects)
        throw TransportError(Failure::redirects,
                             failure_message(Failure::redirects, out, url, connect_ms, req.timeout_ms));
      if (status == 303 && method != "GET" && method != "HEAD") {
        method = "GET";
        hop.body.clear();
      }
      if (send_secrets && detail::origin(out.redirect_url) != first_origin) {
        send_secrets = false;
        trace("* redirected to another host: credentials are not sent there");
      }
      url = out.redirect_url;
      continue;
    }
    if ((status == 502 || status == 503 || status == 504) && attempt < attempts &&
        pause(attempt, out.t.retry_after, req, start, "server answered " + status_text(status))) {
      ++attempt;
      continue;
    }
    return std::move(out.resp);
  }
}

} // namespace

std::unique_ptr<Client> make_curl_client(const ClientOptions& options) { return std::make_unique<CurlClient>(options); }

std::unique_ptr<Client> make_curl_client() {
  ClientOptions o;
  o.retries = 0;
  return make_curl_client(o);
}

} // namespace nsmon::http
