#include <CLI/CLI.hpp>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/check_docs.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/util/files.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/table.hpp"

namespace nsmon::cli {

namespace {

using json = nlohmann::ordered_json;

struct Options {
  std::string id;
  std::string file;
  std::string format = "text";
};

const core::CheckInfo* find_check(std::string_view id) {
  for (const auto& c : core::kChecks)
    if (c.id == id) return &c;
  return nullptr;
}

// How to change the check's severity and silence it, for the command that reports it: written here
// once for every page, from what each command offers.
std::string severity_text(const core::CheckInfo& c, const std::string& command) {
  std::string id(c.id);
  std::string s = "Default severity: " + std::string(core::to_string(c.severity)) + ".";
  if (c.section == core::CheckSection::nsmon_files) return s + " It cannot be turned off or re-graded.";
  if (command == "lint-rules") {
    s += " A policy file (`--policy FILE`) changes it: `severity: {" + id + ": error}` (error, warning, info or off).";
    // `# nsmon disable` comments are read in the rule files and the prometheus.yml that load; a
    // file that does not parse, a file skipped, and the check of the comments themselves are
    // where no comment silences, as is a run that read no rule (no file of it is the one to say
    // so). explain_examples.py proves each sentence it gets.
    const bool by_comment =
        id != "yaml/syntax" && id != "rules/not-a-rule-file" && id != "rules/unknown-disable" && id != "rules/no-rules";
    if (by_comment)
      s += "\n\nOne occurrence: a `# nsmon disable " + id +
           "` comment on the rule or the prometheus.yml entry (before any content of the file: the whole "
           "file).";
    return s + "\n\nEvery occurrence: `--disable " + id + "`, or `disable: [" + id + "]` in the policy file.";
  }
  if (command == "lint-metrics") return s + " `--disable " + id + "` leaves it out of a run.";
  return s + " `nsmon " + command + "` has no switch for one check: `--fail-on` says which severities fail the run.";
}

json example_json(const core::DocExample& ex) {
  json files = json::object();
  for (const auto& [name, content] : ex.files) files[name] = content;
  return {{"command", ex.command}, {"files", std::move(files)}};
}

json explain_json(const core::CheckInfo& c, const core::CheckDoc* doc) {
  std::string command = doc ? core::check_command(*doc) : "";
  json j = {{"id", c.id},
            {"summary", c.summary},
            {"severity", core::to_string(c.severity)},
            {"command", command.empty() ? json(nullptr) : json(command)},
            {"page", core::check_page_path(c.id)}};
  if (!doc) return j;
  j["what"] = doc->what;
  j["why"] = doc->why;
  j["severity_and_silencing"] = severity_text(c, command);
  if (!doc->configuration.empty()) j["configuration"] = doc->configuration;
  j["related"] = doc->related;
  if (doc->bad) j["bad"] = example_json(*doc->bad);
  if (doc->good) j["good"] = example_json(*doc->good);
  if (!doc->transcript.empty()) j["transcript"] = doc->transcript;
  return j;
}

std::string explain_text(const core::CheckInfo& c, const core::CheckDoc& doc) {
  std::string out = "# " + std::string(c.id) + "\n\nIn short: " + std::string(c.summary) + ".\n\n" + doc.what + "\n\n";
  out += "## Why it matters\n\n" + doc.why + "\n\n";
  out += "## Severity and silencing\n\n" + severity_text(c, core::check_command(doc)) + "\n\n";
  if (!doc.configuration.empty()) out += "## Configuration\n\n" + doc.configuration + "\n\n";
  if (!doc.related_markdown.empty()) out += "## Related\n\n" + doc.related_markdown + "\n\n";
  if (doc.bad) out += "## Bad\n" + doc.bad->markdown;
  if (doc.good) out += "## Good\n" + doc.good->markdown;
  if (!doc.transcript.empty()) out += "## Transcript\n\n" + doc.transcript + "\n\n";
  return out + "Page: " + core::check_page_path(c.id) + "\n";
}

int run_list(const Options& o) {
  std::map<std::string, std::vector<std::vector<std::string>>> by_command;
  json list = json::array();
  for (const auto& c : core::kChecks) {
    auto doc = core::check_doc(c.id);
    std::string command = doc ? core::check_command(*doc) : "";
    list.push_back({{"id", c.id},
                    {"severity", core::to_string(c.severity)},
                    {"summary", c.summary},
                    {"command", command.empty() ? json(nullptr) : json(command)}});
    by_command[command.empty() ? "(no page yet)" : command].push_back(
        {"  " + std::string(c.id), std::string(core::to_string(c.severity)), std::string(c.summary)});
  }
  if (o.format == "json") {
    std::cout << list.dump(2) << "\n";
    return kOk;
  }
  for (auto& [command, rows] : by_command) {
    std::cout << command << " (" << rows.size() << ")\n" << util::render_table(rows) << "\n";
  }
  std::cout << "nsmon explain CHECK shows one: what it catches, why it matters, examples.\n";
  return kOk;
}

int run(const Options& o) {
  std::optional<core::CheckDoc> doc;
  std::string id = o.id;
  if (!o.file.empty()) {
    doc = core::parse_check_doc(util::read_file(o.file), o.file);
    if (!id.empty() && id != doc->id) throw UsageError(o.file + " is the page of " + doc->id + ", not of " + id);
    id = doc->id;
  }
  if (id.empty()) return run_list(o);
  const core::CheckInfo* c = find_check(id);
  if (!c) {
    std::vector<std::string> ids;
    for (const auto& check : core::kChecks) ids.emplace_back(check.id);
    std::string hint = util::did_you_mean(id, ids);
    // A name not found: 1, as in `catalog show` (the exit-code table).
    print_error("no check '" + id + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                "; nsmon explain lists them");
    return kFindings;
  }
  if (!doc) doc = core::check_doc(id);
  if (o.format == "json") {
    std::cout << explain_json(*c, doc ? &*doc : nullptr).dump(2) << "\n";
    return kOk;
  }
  if (!doc) {
    std::cout << c->id << " (" << core::to_string(c->severity) << "): " << c->summary << "\nNo page yet ("
              << core::check_page_path(c->id) << ").\n";
    return kOk;
  }
  std::cout << explain_text(*c, *doc);
  return kOk;
}

constexpr const char* kExplainHelp = R"(
Every check nsmon reports has a page: what it catches, why it matters, how to change its severity
and silence it, related checks, and a bad and a good example. The examples are proven: the test
suite runs every bad one and requires the check among the findings, and every good one and requires
it absent. --format json gives them as {"command": [...], "files": {name: content}}: write the
files into an empty directory and run nsmon there with the command's arguments.

  nsmon explain                          every check, by the command that reports it
  nsmon explain labels/template-label-lost
  nsmon explain promql/rate-on-gauge --format json
  nsmon explain --file docs/checks/promql/impossible.md   (a page being written))";

} // namespace

Run define_explain(CLI::App& cmd) {
  auto o = std::make_shared<Options>();
  cmd.add_option("CHECK", o->id, "A check id (family/name), as a finding names it in brackets");
  cmd.add_option("--file", o->file, "Explain from a page file instead of the built-in page (to proof a page)")
      ->option_text("FILE");
  cmd.add_option("--format", o->format, "Output format: text (Markdown) or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->default_str("text");
  cmd.footer(std::string(kExplainHelp) + "\n\n" + exit_codes_help({kOk, kFindings, kUsage}));
  return [o](const Context&) { return run(*o); };
}

} // namespace nsmon::cli
