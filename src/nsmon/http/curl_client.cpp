#include <curl/curl.h>
#include <mutex>

#include "nsmon/http/client.hpp"

namespace nsmon::http {

namespace {

struct Transfer {
  const Request* req;
  Response* resp;
  std::size_t received = 0;
  bool too_large = false;
};

std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::size_t len = size * n;
  t->received += len;
  if (t->req->max_bytes && t->received > t->req->max_bytes) {
    t->too_large = true;
    return 0; // aborts the transfer
  }
  if (t->req->on_body) return t->req->on_body(std::string_view(data, len)) ? len : 0;
  t->resp->body.append(data, len);
  return len;
}

// URLs may carry credentials (https://user:secret@host); they never appear in messages.
std::string redact(const std::string& url) {
  auto scheme = url.find("://");
  auto start = scheme == std::string::npos ? 0 : scheme + 3;
  auto at = url.find('@', start);
  auto slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, start) + "***@" + url.substr(at + 1);
}

Failure classify(CURLcode rc) {
  switch (rc) {
  case CURLE_COULDNT_RESOLVE_HOST:
  case CURLE_COULDNT_RESOLVE_PROXY: return Failure::dns;
  case CURLE_COULDNT_CONNECT: return Failure::connect;
  case CURLE_OPERATION_TIMEDOUT: return Failure::timeout;
  case CURLE_SSL_CONNECT_ERROR:
  case CURLE_PEER_FAILED_VERIFICATION:
  case CURLE_SSL_CERTPROBLEM:
  case CURLE_SSL_CACERT_BADFILE: return Failure::tls;
  default: return Failure::protocol;
  }
}

class CurlClient final : public Client {
public:
  CurlClient() {
    static std::once_flag once;
    std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  }

  Response send(const Request& req) override {
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
    if (!h) throw TransportError(Failure::protocol, "cannot initialise libcurl");
    Response resp;
    Transfer t{&req, &resp};
    CURL* c = h.get();
    curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, req.connect_timeout_ms);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, req.timeout_ms);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "nsmon/" NSMON_VERSION);
    if (req.method == "POST") {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    } else if (req.method != "GET") {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, req.method.c_str());
    }
    curl_slist* headers = nullptr;
    for (const auto& [k, v] : req.headers) headers = curl_slist_append(headers, (k + ": " + v).c_str());
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> hold(headers, curl_slist_free_all);
    if (headers) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);

    CURLcode rc = curl_easy_perform(c);
    if (t.too_large)
      throw TransportError(Failure::too_large, "response from " + redact(req.url) + " is larger than the limit of " +
                                                   std::to_string(req.max_bytes) + " bytes");
    if (rc != CURLE_OK) throw TransportError(classify(rc), redact(req.url) + ": " + curl_easy_strerror(rc));
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
    char* ct = nullptr;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &ct) == CURLE_OK && ct) resp.content_type = ct;
    return resp;
  }
};

} // namespace

std::unique_ptr<Client> make_curl_client() { return std::make_unique<CurlClient>(); }

} // namespace nsmon::http
