#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promql/json.hpp"
#include "nsmon/promql/parser.hpp"
#include "nsmon/promql/printer.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

namespace {

struct PromqlOptions {
  std::string expr;
  bool expr_given = false;
  std::vector<std::string> features;
  std::string format = "json";
  bool each_line = false;
};

// The expression and the name to show in diagnostics: the argument, or all of stdin.
std::pair<std::string, std::string> read_expression(const PromqlOptions& o) {
  if (o.expr_given) return {"<expr>", o.expr};
  std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  if (std::cin.bad()) throw Error("cannot read the expression from standard input");
  return {"<stdin>", text};
}

// Parses into a report: no finding, or the first error (the one Prometheus reports). `src_out`:
// the expression's source, for further checks.
promql::ParseResult parse(const PromqlOptions& o, report::Report& report, core::SourceSet& sources,
                          const core::SourceFile** src_out = nullptr) {
  auto [name, text] = read_expression(o);
  const auto& src = sources.add(name, std::move(text));
  if (src_out) *src_out = &src;
  promql::ParseResult res = promql::parse(src.text(), parse_features(o.features));
  if (!res.ok()) report.findings.push_back(syntax_diagnostic(src, res.errors().front()));
  report.scope = name;
  return res;
}

// fmt and ast: the error like a compiler, on stderr; the output only for a valid expression.
std::optional<promql::ParseResult> parse_or_report(const PromqlOptions& o) {
  report::Report report;
  core::SourceSet sources;
  promql::ParseResult res = parse(o, report, sources);
  if (res.ok()) return res;
  print_diagnostics(report.findings, sources);
  return std::nullopt;
}

// --each-line: every non-empty line is an expression; invalid ones are reported as
// "LINE: <Prometheus's error>" on stdout (the format promtool users know).
int run_check_lines(const PromqlOptions& o) {
  auto [name, text] = read_expression(o);
  const promql::ParseOptions opts = parse_features(o.features);
  int rc = kOk;
  std::size_t line_no = 0, from = 0;
  while (from < text.size()) {
    std::size_t to = text.find('\n', from);
    if (to == std::string::npos) to = text.size();
    std::string_view line = std::string_view(text).substr(from, to - from);
    from = to + 1;
    ++line_no;
    if (line.empty()) continue;
    promql::ParseResult res = promql::parse(line, opts);
    if (!res.ok()) {
      std::cout << line_no << ": " << res.error_string() << "\n";
      rc = kFindings;
    }
  }
  return rc;
}

// check: a report like every checker's (--format); in text, silent when the expression is valid
// and nothing is found. The checks are query's (lint::check_expression, against the catalog), so
// an expression gets the same findings wherever it is checked.
int run_check(const PromqlOptions& o, const Context& ctx) {
  if (o.each_line) return run_check_lines(o);
  report::Report report;
  core::SourceSet sources;
  const core::SourceFile* src = nullptr;
  promql::ParseResult res = parse(o, report, sources, &src);
  if (res.ok())
    for (auto& d : lint::check_expression(*src, ctx.catalog(), parse_features(o.features)))
      report.findings.push_back(std::move(d));
  ReportOptions ro = ctx.report;
  ro.quiet_text = true;
  return finish(report, sources, ro);
}

// fmt and ast print an expression: one that does not parse is refused (exit 2), as query refuses
// it; only check reports it as its finding (exit 1).
int run_fmt(const PromqlOptions& o) {
  auto res = parse_or_report(o);
  if (!res) return kUsage;
  std::cout << promql::print(*res->expr()) << "\n";
  return kOk;
}

int run_ast(const PromqlOptions& o) {
  auto res = parse_or_report(o);
  if (!res) return kUsage;
  if (o.format == "text") {
    std::cout << promql::to_text_tree(*res->expr());
  } else {
    std::cout << promql::to_json(*res->expr()) << "\n";
  }
  return kOk;
}

void add_common(CLI::App* cmd, const std::shared_ptr<PromqlOptions>& o) {
  cmd->add_option("EXPR", o->expr,
                  "The PromQL expression (default: all of standard input); put -- before one that starts with '-'")
      ->each([o](const std::string&) { o->expr_given = true; });
  add_feature_option(*cmd, o->features);
}

} // namespace

Run define_promql(CLI::App& cmd) {
  cmd.require_subcommand(1);

  auto co = std::make_shared<PromqlOptions>();
  // Set before the subcommands, which take it over (CLI11): the codes of these commands alone.
  cmd.footer("\n" + exit_codes_help({kOk, kFindings, kUsage}));
  auto* check = cmd.add_subcommand(
      "check", "Validate an expression: print nothing and exit 0 if valid, the error and exit 1 if not; the "
               "catalog's warnings (the checks query makes) are shown, and count with --fail-on warning");
  add_common(check, co);
  check->add_flag("--each-line", co->each_line,
                  "Check each line as a separate expression; print 'LINE: error' for each invalid one");
  // A valid expression exits 0 unless asked otherwise: the catalog's findings are shown, and
  // --fail-on warning makes them count.
  add_report_options(*check, "error");

  auto fo = std::make_shared<PromqlOptions>();
  auto* fmt = cmd.add_subcommand("fmt", "Print an expression in canonical form");
  add_common(fmt, fo);

  auto ao = std::make_shared<PromqlOptions>();
  auto* ast = cmd.add_subcommand("ast", "Print the syntax tree of an expression, with value types and byte ranges");
  add_common(ast, ao);
  ast->add_option("--format", ao->format, "Output format")->check(CLI::IsMember({"json", "text"}))->default_str("json");

  return [check, fmt, co, fo, ao](const Context& ctx) {
    if (check->parsed()) return run_check(*co, ctx);
    return fmt->parsed() ? run_fmt(*fo) : run_ast(*ao);
  };
}

} // namespace nsmon::cli
