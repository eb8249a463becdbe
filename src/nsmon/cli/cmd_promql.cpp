#include <CLI/CLI.hpp>
#include <iostream>
#include <iterator>

#include "nsmon/cli/common.hpp"
#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/core/error.hpp"
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

// Parses; on failure prints the first error compiler-style and returns nullopt.
std::optional<promql::ParseResult> parse_or_report(const PromqlOptions& o) {
  auto [name, text] = read_expression(o);
  promql::ParseResult res = promql::parse(text, parse_features(o.features));
  if (res.ok()) return res;
  core::SourceSet sources;
  const auto& src = sources.add(name, text);
  const promql::ParseError& e = res.errors().front();
  core::LineCol lc = src.line_col(e.range.start);
  core::Diagnostic d;
  d.severity = core::Severity::error;
  d.span = {name, text.empty() ? 0 : lc.line, lc.col,
            static_cast<int>(e.range.end > e.range.start ? e.range.end - e.range.start : 1)};
  d.message = e.message;
  print_diagnostics({d}, sources);
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

int run_check(const PromqlOptions& o) {
  if (o.each_line) return run_check_lines(o);
  return parse_or_report(o) ? kOk : kFindings;
}

int run_fmt(const PromqlOptions& o) {
  auto res = parse_or_report(o);
  if (!res) return kFindings;
  std::cout << promql::print(*res->expr()) << "\n";
  return kOk;
}

int run_ast(const PromqlOptions& o) {
  auto res = parse_or_report(o);
  if (!res) return kFindings;
  if (o.format == "text") {
    std::cout << promql::to_text_tree(*res->expr());
  } else {
    std::cout << promql::to_json(*res->expr()) << "\n";
  }
  return kOk;
}

void add_common(CLI::App* cmd, const std::shared_ptr<PromqlOptions>& o) {
  cmd->add_option("EXPR", o->expr, "The PromQL expression (default: all of standard input); put -- before one that starts with '-'")
      ->each([o](const std::string&) { o->expr_given = true; });
  cmd->add_option("--enable-feature", o->features,
                  "Enable a Prometheus feature flag: promql-experimental-functions, promql-duration-expr, "
                  "promql-extended-range-selectors, promql-binop-fill-modifiers (comma-separated, repeatable)")
      ->option_text("NAME")
      ->allow_extra_args(false);
}

} // namespace

void add_promql(CLI::App& app) {
  auto* cmd = app.add_subcommand("promql", "Check, format and inspect PromQL expressions (Prometheus 3.x syntax)");
  cmd->require_subcommand(1);

  auto co = std::make_shared<PromqlOptions>();
  auto* check = cmd->add_subcommand(
      "check", "Validate an expression: print nothing and exit 0 if valid, print the error and exit 1 if not");
  add_common(check, co);
  check->add_flag("--each-line", co->each_line,
                  "Check each line as a separate expression; print 'LINE: error' for each invalid one");
  check->callback([co] { throw Exit{run_check(*co)}; });

  auto fo = std::make_shared<PromqlOptions>();
  auto* fmt = cmd->add_subcommand("fmt", "Print an expression in canonical form");
  add_common(fmt, fo);
  fmt->callback([fo] { throw Exit{run_fmt(*fo)}; });

  auto ao = std::make_shared<PromqlOptions>();
  auto* ast = cmd->add_subcommand("ast", "Print the syntax tree of an expression, with value types and byte ranges");
  add_common(ast, ao);
  ast->add_option("--format", ao->format, "Output format")->check(CLI::IsMember({"json", "text"}))->default_str("json");
  ast->callback([ao] { throw Exit{run_ast(*ao)}; });
}

} // namespace nsmon::cli
