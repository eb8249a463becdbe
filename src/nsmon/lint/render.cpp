#include "nsmon/lint/render.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nsmon/util/parallel.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::lint {

namespace {

using json = nlohmann::ordered_json;

// The message with its suggestion on a second line, for formats that have no field for it.
std::string message_with_help(const core::Diagnostic& d) {
  return d.suggestion.empty() ? d.message : d.message + "\nhelp: " + d.suggestion;
}

const char* sarif_level(core::Severity s) {
  switch (s) {
  case core::Severity::error: return "error";
  case core::Severity::warning: return "warning";
  case core::Severity::info: return "note";
  }
  return "error";
}

// A file path as a URI reference: relative paths stay relative (GitHub resolves them against the
// repository), absolute ones become file:// URIs; bytes outside the unreserved set are escaped.
std::string to_uri(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    bool keep = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' || c == '.' ||
                c == '_' || c == '~' || c == '/';
    if (keep) out += c;
    else out += {'%', hex[u >> 4], hex[u & 15]};
  }
  return out;
}

// 1-based column in Unicode code points of the 1-based byte column `col` of `line`.
int code_point_column(std::string_view line, int col) {
  int cp = 1;
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(col) && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++cp;
  if (static_cast<std::size_t>(col) > line.size() + 1) cp += col - static_cast<int>(line.size()) - 1;
  return cp;
}

std::string effective_severity(const CheckInfo& c, const Policy& policy) {
  std::string id(c.id);
  if (policy.disabled.count(id)) return "off";
  auto it = policy.severity_override.find(id);
  return core::to_string(it != policy.severity_override.end() ? it->second : c.severity);
}

} // namespace

std::string plural(long long n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void describe_files(Report& report, int files, int rules) {
  report.scope = plural(files, "file", "files") + " (" + plural(rules, "rule", "rules") + ")";
  report.facts = {{"files", files}, {"rules", rules}};
}

Counts count(const std::vector<core::Diagnostic>& findings) {
  Counts c;
  for (const auto& d : findings) {
    if (d.severity == core::Severity::error) ++c.errors;
    else if (d.severity == core::Severity::warning) ++c.warnings;
    else ++c.infos;
  }
  return c;
}

std::string summary_line(const Report& report) {
  std::string where = report.scope.empty() ? "" : " in " + report.scope;
  if (report.findings.empty()) return "no problems found" + where;
  Counts c = count(report.findings);
  return plural(c.errors, "error", "errors") + ", " + plural(c.warnings, "warning", "warnings") + ", " +
         std::to_string(c.infos) + " info" + where;
}

void write_text(std::ostream& out, const Report& report, const core::SourceSet& sources, bool color) {
  // Rendered in steps of 1,024 findings on several threads, each step's text apart, written in order.
  std::vector<std::string> parts(util::step_count(report.findings.size(), 1024));
  util::parallel_steps(report.findings.size(), 1024, [&](std::size_t b, std::size_t e, std::size_t k) {
    for (std::size_t i = b; i < e; ++i) core::append_text(parts[k], report.findings[i], sources, color);
  });
  for (const auto& p : parts) out << p;
  out << summary_line(report) << '\n';
}

std::string render_text(const Report& report, const core::SourceSet& sources, bool color) {
  std::ostringstream out;
  write_text(out, report, sources, color);
  return std::move(out).str();
}

namespace {
// A JSON string as nlohmann's dump writes it (which renders the ones that need escaping, so that
// escaping and invalid UTF-8 are handled as everywhere else).
void json_string(std::ostream& out, const std::string& s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) out << '"' << s << '"';
  else out << json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void json_string_or_null(std::ostream& out, const std::string& s) {
  if (s.empty()) out << "null";
  else json_string(out, s);
}

void json_finding(std::ostream& out, const core::Diagnostic& d) {
  out << "    {\n      \"file\": ";
  json_string(out, d.span.file);
  out << ",\n      \"line\": ";
  if (d.span.line > 0) out << d.span.line << ",\n      \"column\": " << std::max(d.span.col, 1);
  else out << "null,\n      \"column\": null";
  out << ",\n      \"severity\": \"" << core::to_string(d.severity) << "\",\n      \"check\": ";
  json_string(out, d.check);
  out << ",\n      \"message\": ";
  json_string(out, d.message);
  out << ",\n      \"rule\": ";
  json_string_or_null(out, d.rule);
  out << ",\n      \"group\": ";
  json_string_or_null(out, d.group);
  out << ",\n      \"suggestion\": ";
  json_string_or_null(out, d.suggestion);
  out << "\n    }";
}
} // namespace

void write_json(std::ostream& out, const Report& report) {
  // Written as it goes, in the layout of nlohmann's dump(2), without a tree of every finding; the
  // findings rendered in steps of 1,024 on several threads, each step's text apart, in order.
  out << "{\n  \"findings\": [";
  std::vector<std::ostringstream> parts(util::step_count(report.findings.size(), 1024));
  util::parallel_steps(report.findings.size(), 1024, [&](std::size_t b, std::size_t e, std::size_t k) {
    for (std::size_t i = b; i < e; ++i) {
      parts[k] << (i == 0 ? "\n" : ",\n");
      json_finding(parts[k], report.findings[i]);
    }
  });
  for (const auto& p : parts) out << p.view();
  out << (report.findings.empty() ? "],\n" : "\n  ],\n");
  Counts c = count(report.findings);
  out << "  \"summary\": {\n    \"errors\": " << c.errors << ",\n    \"warnings\": " << c.warnings
      << ",\n    \"info\": " << c.infos;
  for (const auto& f : report.facts) {
    out << ",\n    ";
    json_string(out, f.key);
    out << ": ";
    if (const auto* n = std::get_if<long long>(&f.value)) out << *n;
    else json_string(out, std::get<std::string>(f.value));
  }
  out << "\n  }\n}\n";
}

std::string render_json(const Report& report) {
  std::ostringstream out;
  write_json(out, report);
  return std::move(out).str();
}

std::string github_escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string github_escape_property(std::string_view s) {
  std::string out;
  for (char c : github_escape_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string render_github(const Report& report) {
  std::string out;
  for (const auto& d : report.findings) {
    const char* level = d.severity == core::Severity::error     ? "error"
                        : d.severity == core::Severity::warning ? "warning"
                                                                : "notice";
    std::string props = "file=" + github_escape_property(d.span.file.str());
    if (d.span.line > 0)
      props += ",line=" + std::to_string(d.span.line) + ",col=" + std::to_string(std::max(d.span.col, 1));
    if (!d.check.empty()) props += ",title=" + github_escape_property(d.check);
    out += std::string("::") + level + " " + props + "::" + github_escape_data(message_with_help(d)) + "\n";
  }
  return out + summary_line(report) + "\n";
}

std::string render_sarif(const Report& report, const core::SourceSet& sources) {
  json rules = json::array();
  for (const auto& c : checks())
    rules.push_back({{"id", c.id},
                     {"shortDescription", {{"text", c.summary}}},
                     {"defaultConfiguration", {{"level", sarif_level(c.severity)}}}});
  json results = json::array();
  for (const auto& d : report.findings) {
    json r;
    r["ruleId"] = d.check;
    if (const CheckInfo* c = find_check(d.check)) r["ruleIndex"] = static_cast<std::size_t>(c - checks().data());
    r["level"] = sarif_level(d.severity);
    r["message"] = {{"text", message_with_help(d)}};
    json physical = {{"artifactLocation", {{"uri", to_uri(d.span.file.str())}}}};
    if (d.span.line > 0) {
      const core::SourceFile* src = sources.find(d.span.file);
      std::string_view line = src ? src->line(d.span.line) : std::string_view();
      int col = std::max(d.span.col, 1);
      json region = {{"startLine", d.span.line}, {"startColumn", code_point_column(line, col)}};
      if (d.span.len > 0) region["endColumn"] = code_point_column(line, col + d.span.len);
      physical["region"] = std::move(region);
    }
    r["locations"] = json::array({{{"physicalLocation", std::move(physical)}}});
    results.push_back(std::move(r));
  }
  json driver = {{"name", "nsmon"}, {"version", NSMON_VERSION}, {"rules", std::move(rules)}};
  json run = {
      {"tool", {{"driver", std::move(driver)}}}, {"columnKind", "unicodeCodePoints"}, {"results", std::move(results)}};
  json doc = {
      {"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemata/sarif-schema-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({std::move(run)})}};
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string render_checks_table(const Policy& policy, std::string_view prefix) {
  std::vector<std::vector<std::string>> rows = {{"CHECK", "SEVERITY", "SUMMARY"}};
  for (const auto& c : checks())
    if (c.id.substr(0, prefix.size()) == prefix)
      rows.push_back({std::string(c.id), effective_severity(c, policy), std::string(c.summary)});
  return util::render_table(rows);
}

std::string render_checks_json(const Policy& policy, std::string_view prefix) {
  json arr = json::array();
  for (const auto& c : checks())
    if (c.id.substr(0, prefix.size()) == prefix)
      arr.push_back({{"id", c.id}, {"severity", effective_severity(c, policy)}, {"summary", c.summary}});
  return arr.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace nsmon::lint
