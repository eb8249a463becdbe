#include "nsmon/report/render.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "nsmon/core/check_docs.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/text/percent.hpp"
#include "nsmon/util/parallel.hpp"

namespace nsmon::report {

namespace {

using json = nlohmann::ordered_json;

// Every JSON text of a report is nlohmann's dump, so escaping and invalid UTF-8 are handled alike.
std::string dump(const json& j) { return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace); }

// A dumped value placed `pad` deeper: JSON strings hold no raw line break, so each one starts a line.
std::string indented(const std::string& text, const std::string& pad) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

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
  return (!path.empty() && path[0] == '/' ? "file://" : "") + text::percent_encode(path, "/");
}

// 1-based column in Unicode code points of the 1-based byte column `col` of `line`.
int code_point_column(std::string_view line, int col) {
  int cp = 1;
  for (std::size_t i = 0; i + 1 < static_cast<std::size_t>(col) && i < line.size(); ++i)
    if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++cp;
  if (static_cast<std::size_t>(col) > line.size() + 1) cp += col - static_cast<int>(line.size()) - 1;
  return cp;
}

// A string as dump() writes it. ASCII is escaped here, as nlohmann escapes it (a control
// character as \uXXXX unless it has a short form), without the value and the serializer nlohmann
// builds for each string; text with other bytes goes through nlohmann, which also replaces
// invalid UTF-8. Runs of characters that stand for themselves are copied whole.
void append_json_string(std::string& out, std::string_view s) {
  // The bytes that stand for themselves in a JSON string: printable ASCII but '"' and '\\'.
  static constexpr auto kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
  }();
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (kPlain[static_cast<unsigned char>(c)]) continue;
    if (static_cast<unsigned char>(c) >= 0x80) {
      out.resize(start);
      out += dump(json(std::string(s)));
      return;
    }
    out.append(s.substr(run, i - run));
    run = i + 1;
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\b': out += "\\b"; break;
    case '\f': out += "\\f"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default: {
      std::array<char, 8> u{};
      std::snprintf(u.data(), u.size(), "\\u%04x", static_cast<unsigned>(c));
      out += u.data();
    }
    }
  }
  out.append(s.substr(run));
  out += '"';
}

// A finding as dump(2) lays it out inside the findings array, written field by field. Building,
// dumping and re-indenting a json tree per finding was 15% of the instructions of `--format json`
// on 10,000 rules.
void append_finding_json(std::string& out, const core::Diagnostic& d) {
  // Each field but the last ends with a comma.
  const bool located = d.span.line > 0;
  auto key = [&](const char* name) { out.append("      \"").append(name).append("\": "); };
  auto number = [&](const char* name, int n) {
    key(name);
    out.append(located ? std::to_string(n) : "null").append(",\n");
  };
  auto str = [&](const char* name, std::string_view s, bool null_if_empty = false, bool last = false) {
    key(name);
    if (null_if_empty && s.empty()) out += "null";
    else append_json_string(out, s);
    out += last ? "\n" : ",\n";
  };
  out += "{\n";
  str("file", d.span.file.str());
  number("line", d.span.line);
  number("column", std::max(d.span.col, 1));
  str("severity", core::to_string(d.severity));
  str("check", d.check.id());
  str("message", d.message);
  str("rule", d.rule, true);
  str("group", d.group, true);
  str("suggestion", d.suggestion, true, true);
  out += "    }";
}

// SARIF's rules: the lint checks (what a code-scanning tool lists for nsmon), then the other
// checks of the table the findings cite (ruletest/failed, dashboards/...), in id order.
std::vector<core::CheckInfo> sarif_rules(const std::set<std::string_view>& cited) {
  std::vector<core::CheckInfo> rules = core::checks_in(core::CheckSection::lint);
  for (const auto& c : core::kChecks)
    if (c.section != core::CheckSection::lint && cited.count(c.id)) rules.push_back(c);
  return rules;
}

// The checks the report's findings cite.
std::set<std::string_view> cited_checks(const Report& report) {
  std::set<std::string_view> cited;
  for (const auto& d : report.findings) cited.insert(d.check.id());
  return cited;
}

} // namespace

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

void write_json(std::ostream& out, const Report& report) {
  // Written as it goes, in the layout of nlohmann's dump(2) of the whole document, without a tree
  // of every finding; the findings rendered in steps of 1,024 on several threads, in order.
  out << "{\n  \"findings\": [";
  std::vector<std::string> parts(util::step_count(report.findings.size(), 1024));
  util::parallel_steps(report.findings.size(), 1024, [&](std::size_t b, std::size_t e, std::size_t k) {
    for (std::size_t i = b; i < e; ++i) {
      parts[k] += i == 0 ? "\n    " : ",\n    ";
      append_finding_json(parts[k], report.findings[i]);
    }
  });
  for (const auto& p : parts) out << p;
  out << (report.findings.empty() ? "],\n" : "\n  ],\n");
  Counts c = count(report.findings);
  json summary = {{"errors", c.errors}, {"warnings", c.warnings}, {"info", c.infos}};
  for (const auto& f : report.facts) std::visit([&](const auto& v) { summary[f.key] = v; }, f.value);
  out << "  \"summary\": " << indented(dump(summary), "  ");
  for (const auto& [key, value] : report.details)
    out << ",\n  " << json(key).dump() << ": " << indented(dump(value), "  ");
  out << "\n}\n";
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
    props += ",title=" + github_escape_property(d.check.id());
    out += std::string("::") + level + " " + props + "::" + github_escape_data(message_with_help(d)) + "\n";
  }
  return out + summary_line(report) + "\n";
}

std::string render_sarif(const Report& report, const core::SourceSet& sources) {
  const std::set<std::string_view> cited = cited_checks(report);
  const std::vector<core::CheckInfo> declared = sarif_rules(cited);
  json rules = json::array();
  for (const auto& c : declared) {
    json rule = {{"id", c.id},
                 {"shortDescription", {{"text", c.summary}}},
                 {"defaultConfiguration", {{"level", sarif_level(c.severity)}}}};
    // The check's page (nsmon explain): what code scanning shows under "Show more". The whole
    // page, with its examples, for the checks a result cites; what and why for the others, so that
    // a run with one finding stays tens of kilobytes, not half a megabyte.
    if (auto doc = core::check_doc(c.id)) {
      rule["help"] = {{"text", doc->what + "\n\n" + doc->why}};
      if (cited.count(c.id)) rule["help"]["markdown"] = doc->markdown;
      rule["helpUri"] = std::string(NSMON_REPOSITORY_URL) + "/blob/main/" + core::check_page_path(c.id);
    }
    rules.push_back(std::move(rule));
  }
  json results = json::array();
  for (const auto& d : report.findings) {
    json r;
    r["ruleId"] = std::string(d.check.id());
    auto c = std::find_if(declared.begin(), declared.end(), [&](const auto& rule) { return rule.id == d.check.id(); });
    if (c != declared.end()) r["ruleIndex"] = static_cast<std::size_t>(c - declared.begin());
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
  // A run that stopped: SARIF's way to say the results are not all there is (its appendix on
  // incomplete result sets): an unsuccessful invocation with the reason as an error notification.
  // An unreadable file is where it points.
  if (!report.stopped.empty()) {
    json note = {{"level", "error"}, {"message", {{"text", report.stopped}}}};
    if (!report.stopped_file.empty())
      note["locations"] =
          json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", to_uri(report.stopped_file)}}}}}}});
    run["invocations"] = json::array({{{"executionSuccessful", false},
                                       {"exitCode", report.stopped_exit_code},
                                       {"toolExecutionNotifications", json::array({std::move(note)})}}});
  }
  json doc = {
      {"$schema", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemata/sarif-schema-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs", json::array({std::move(run)})}};
  return dump(doc) + "\n";
}

} // namespace nsmon::report
