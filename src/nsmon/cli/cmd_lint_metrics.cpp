#include <CLI/CLI.hpp>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <algorithm>
#include <cstring>
#include <set>
#include <iostream>
#include <nlohmann/json.hpp>

#include "nsmon/cli/common.hpp"
#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/http/client.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/lint/metrics_checks.hpp"
#include "nsmon/lint/render.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli {

namespace {

struct LintMetricsOptions {
  std::string input = "http://127.0.0.1:8000/metrics";
  std::string format = "text";
  std::string fail_on = "warning";
  std::string input_format = "auto";
  std::vector<std::string> disable;
  bool no_catalog = false;
  bool no_naming = false;
  bool list_checks = false;
  double timeout = 10;
};

/// The largest scrape read from a URL (a detector's is ~30 KB; 22 MB is a very big node).
constexpr std::size_t kMaxBytes = 512u << 20;

bool is_url(const std::string& s) { return util::starts_with(s, "http://") || util::starts_with(s, "https://"); }

// Credentials in a URL (http://user:secret@host) never reach the output.
std::string redact(const std::string& url) {
  auto start = url.find("://") + 3;
  auto at = url.find('@', start), slash = url.find('/', start);
  if (at == std::string::npos || (slash != std::string::npos && at > slash)) return url;
  return url.substr(0, start) + "***@" + url.substr(at + 1);
}

/// A file or standard input mapped into memory when it is a regular file (a 22 MB scrape is
/// then checked without being copied), read into a string otherwise (pipes).
class InputText {
public:
  InputText() = default;
  explicit InputText(const std::string& path) {
    int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
      void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (p != MAP_FAILED) {
        map_ = p;
        size_ = static_cast<std::size_t>(st.st_size);
      }
    }
    if (fd > 0) ::close(fd);
    // Errors (no such file, a directory, a pipe) are left to read_file, which words them.
    if (!map_) owned_ = util::read_file(path == "-" ? "/dev/stdin" : path);
  }
  ~InputText() {
    if (map_) ::munmap(map_, size_);
  }
  InputText(const InputText&) = delete;
  InputText& operator=(const InputText&) = delete;
  std::string_view view() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : owned_; }
  void assign(std::string s) { owned_ = std::move(s); }

private:
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string owned_;
};

struct Input {
  std::string name; ///< what findings are attributed to
  std::unique_ptr<InputText> text;
  expfmt::Format format = expfmt::Format::text;
};

Input read_input(const LintMetricsOptions& o) {
  Input in;
  if (is_url(o.input)) {
    in.name = redact(o.input);
    http::Request req;
    req.url = o.input;
    req.timeout_ms = static_cast<long>(o.timeout * 1000);
    req.connect_timeout_ms = std::min(req.timeout_ms, 5000L);
    req.max_bytes = kMaxBytes;
    // Like Prometheus: OpenMetrics preferred, the text format accepted.
    std::string accept = o.input_format == "text"          ? "text/plain;version=0.0.4"
                         : o.input_format == "openmetrics" ? "application/openmetrics-text;version=1.0.0"
                                                           : "application/openmetrics-text;version=1.0.0,"
                                                             "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
    req.headers.push_back({"Accept", accept});
    http::Response resp;
    try {
      resp = http::make_curl_client()->send(req);
    } catch (const http::TransportError& e) {
      throw Error(e.what()); // one sentence naming the URL (http::TransportError)
    }
    if (resp.status != 200)
      throw Error(in.name + " answered HTTP " + std::to_string(resp.status) + " instead of 200");
    in.text = std::make_unique<InputText>();
    in.text->assign(std::move(resp.body));
    // The server's answer decides (a text-only exporter answers text to an OpenMetrics request).
    in.format = expfmt::format_from_content_type(resp.content_type);
    return in;
  }
  in.name = o.input == "-" ? "<stdin>" : o.input;
  in.text = std::make_unique<InputText>(o.input);
  in.format = o.input_format == "auto"          ? lint::sniff_format(in.text->view())
              : o.input_format == "openmetrics" ? expfmt::Format::openmetrics
                                                : expfmt::Format::text;
  return in;
}

std::string summary_line(const lint::Report& report, const Input& in, const lint::MetricsSummary& sum) {
  auto plural = [](std::size_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
  };
  std::string where = " in " + in.name + " (" + plural(sum.families, "family", "families") + ", " +
                      plural(sum.series, "series", "series") + ")";
  if (report.findings.empty()) return "no problems found" + where;
  lint::Counts c = lint::count(report.findings);
  return plural(static_cast<std::size_t>(c.errors), "error", "errors") + ", " +
         plural(static_cast<std::size_t>(c.warnings), "warning", "warnings") + ", " + std::to_string(c.infos) +
         " info" + where;
}

std::string render(const std::string& format, const lint::Report& report, const core::SourceSet& sources,
                   const Input& in, const lint::MetricsSummary& sum) {
  // The lint-rules renderers, with a summary about an exposition instead of rule files.
  const std::string ours = summary_line(report, in, sum) + "\n";
  if (format == "json") {
    // render_json's document ends with its "summary" object; ours replaces it (re-parsing the
    // whole document would cost more than the checks on a scrape with 100,000 findings).
    std::string out = lint::render_json(report);
    lint::Counts c = lint::count(report.findings);
    nlohmann::ordered_json summary = {{"errors", c.errors},       {"warnings", c.warnings}, {"info", c.infos},
                                      {"input", in.name},         {"format", expfmt::to_string(in.format)},
                                      {"families", sum.families}, {"series", sum.series}};
    const std::string key = "\n  \"summary\": ";
    std::size_t at = out.rfind(key);
    if (at == std::string::npos) throw Error("unexpected JSON from the lint renderer");
    std::string body;
    for (char ch : summary.dump(2)) {
      body += ch;
      if (ch == '\n') body += "  ";
    }
    return out.substr(0, at) + key + body + "\n}\n";
  }
  if (format == "sarif") return lint::render_sarif(report, sources);
  if (format == "github") {
    std::string out = lint::render_github(report);
    const std::string theirs = lint::summary_line(report) + "\n";
    if (util::ends_with(out, theirs)) out.resize(out.size() - theirs.size());
    return out + ours;
  }
  bool color = core::use_color(core::parse_color_mode(global_options().color), 1);
  std::string out;
  for (const auto& d : report.findings) out += core::render_text(d, sources, color);
  return out + ours;
}

bool fails(const std::vector<core::Diagnostic>& findings, const std::string& fail_on) {
  if (fail_on == "never") return false;
  core::Severity threshold = fail_on == "error"     ? core::Severity::error
                             : fail_on == "warning" ? core::Severity::warning
                                                    : core::Severity::info;
  return std::any_of(findings.begin(), findings.end(), [&](const auto& d) { return d.severity >= threshold; });
}

int list_checks(const std::string& format) {
  if (format != "text" && format != "json") throw UsageError("--list-checks prints text or json, not " + format);
  std::vector<std::vector<std::string>> rows = {{"CHECK", "SEVERITY", "SUMMARY"}};
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& c : lint::checks()) {
    if (!util::starts_with(c.id, "metrics/")) continue;
    rows.push_back({std::string(c.id), core::to_string(c.severity), std::string(c.summary)});
    arr.push_back({{"id", c.id}, {"severity", core::to_string(c.severity)}, {"summary", c.summary}});
  }
  std::cout << (format == "json" ? arr.dump(2) + "\n" : util::render_table(rows));
  return kOk;
}

int run_lint_metrics(const LintMetricsOptions& o) {
  if (o.list_checks) return list_checks(o.format);
  std::set<std::string> disabled;
  for (const auto& list : o.disable)
    for (std::size_t from = 0; from <= list.size();) {
      std::size_t to = std::min(list.find(',', from), list.size());
      std::string name(util::trim(std::string_view(list).substr(from, to - from)));
      from = to + 1;
      if (name.empty()) continue;
      if (!util::starts_with(name, "metrics/") || !lint::find_check(name))
        throw UsageError("unknown check '" + name + "' (nsmon lint-metrics --list-checks lists them)");
      disabled.insert(name);
    }
  if (o.no_catalog && o.no_naming) throw UsageError("--no-catalog and --no-naming leave nothing to check but syntax");

  lint::MetricsOptions options;
  options.catalog = o.no_catalog ? nullptr : &load_catalog();
  options.naming = !o.no_naming;
  Input in = read_input(o);

  lint::MetricsSummary sum;
  lint::Report report;
  report.findings = lint::check_metrics(in.text->view(), in.format, in.name, options, &sum);
  report.files = 1;
  std::erase_if(report.findings, [&](const auto& d) { return disabled.count(d.check) > 0; });

  core::SourceSet sources;
  sources.add(in.name, std::move(sum.quoted_lines));
  std::cout << render(o.format, report, sources, in, sum);
  std::cout.flush();
  return fails(report.findings, o.fail_on) ? kFindings : kOk;
}

constexpr const char* kHelp = R"(Input:
  FILE, '-' (standard input) or an http(s) URL to scrape (default: the detector's
  http://127.0.0.1:8000/metrics). The format is the text format 0.0.4 or OpenMetrics 1.0: from a
  URL by its Content-Type (OpenMetrics is asked for first, like Prometheus does; --input-format
  asks for one format only), from a file OpenMetrics when it ends with '# EOF' (--input-format
  forces one). The global --catalog FILE
  checks against another catalog.

Checks (--list-checks shows ids and severities):
  catalog   every catalog metric is there, nothing else is (external namespaces such as
            process_ and node_ excepted), with the catalog's TYPE, series, labels, label values
            and histogram buckets (le="1" and le="1.0" are the same bound), HELP and UNIT
  naming    the rules of 'promtool check metrics' with promtool's own wording: HELP, base
            units, _total, reserved suffixes and labels, types in names, ':', camelCase and
            abbreviated units (reported once per family, where promtool repeats them per sample)

Formats (--format): text, json, github, sarif, as for lint-rules.

Examples:
  nsmon lint-metrics                                   # the detector on localhost:8000
  nsmon lint-metrics http://127.0.0.1:9100/metrics --no-catalog
  curl -s localhost:8000/metrics | nsmon lint-metrics - --format github
  nsmon lint-metrics scrape.txt --fail-on error --disable metrics/no-help

Exit codes: 0 no finding at or above --fail-on, 1 findings at or above it, 2 usage error or
unreadable input (a file that cannot be read, a URL that cannot be scraped; a scrape that does
not parse is a finding, not an error).)";

} // namespace

void add_lint_metrics(CLI::App& app) {
  auto o = std::make_shared<LintMetricsOptions>();
  auto* cmd = app.add_subcommand(
      "lint-metrics", "Check one scrape (file or URL) against the metric catalog and promtool's naming rules");
  cmd->add_option("INPUT", o->input, "Exposition to check: FILE, URL or - (default: http://127.0.0.1:8000/metrics)");
  auto* format = cmd->add_option("--format", o->format, "Output format: text, json, github, sarif")
      ->check(CLI::IsMember({"text", "json", "github", "sarif"}))
      ->default_str("text");
  cmd->add_option("--fail-on", o->fail_on, "Exit 1 when a finding is at least this severe: error, warning, info, never")
      ->check(CLI::IsMember({"error", "warning", "info", "never"}))
      ->default_str("warning");
  cmd->add_option("--input-format", o->input_format, "Exposition format: auto, text, openmetrics")
      ->check(CLI::IsMember({"auto", "text", "openmetrics"}))
      ->default_str("auto");
  cmd->add_option("--disable", o->disable, "Checks to skip (comma-separated, repeatable)")
      ->option_text("CHECK")
      ->allow_extra_args(false);
  cmd->add_flag("--no-catalog", o->no_catalog, "Only syntax and promtool's naming rules (for other exporters)");
  cmd->add_flag("--no-naming", o->no_naming, "Only syntax and the catalog checks");
  cmd->add_option("--timeout", o->timeout, "Seconds to wait for a URL (default 10)")
      ->check(CLI::PositiveNumber)
      ->option_text("SECONDS");
  cmd->add_flag("--list-checks", o->list_checks, "List the metrics/* checks with their severity, then exit");
  cmd->footer(kHelp);
  cmd->callback([o, format] {
    // Without --format, the config file's or NSMON_LINT_FORMAT's (settings.hpp).
    if (format->count() == 0 && !o->list_checks) o->format = settings().get("format.lint").value;
    throw Exit{run_lint_metrics(*o)};
  });
}

} // namespace nsmon::cli
