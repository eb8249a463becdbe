// nsmon query: the Prometheus HTTP API for people and scripts. Instant and range queries stream
// the answer series by series (promapi::ReplyReader) into the chosen output; the other verbs
// (series, labels, label-values, targets, rules, alerts, metadata, buildinfo) are small answers
// read whole.
#include "nsmon/cli/cmd_query.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <iostream>
#include <map>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/server.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/config/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/http/client.hpp"
#include "nsmon/lint/infer.hpp"
#include "nsmon/lint/lint.hpp"
#include "nsmon/promapi/api.hpp"
#include "nsmon/promapi/time.hpp"
#include "nsmon/util/strings.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::cli {

namespace {

using namespace query;

constexpr const char* kDefaultServer = "http://localhost:9090";

struct QueryOptions {
  // What to ask.
  std::string expr;
  std::string time, start, end, step, since;
  std::vector<std::string> matches;
  std::string label_name, metric, state, rule_type;
  // How to show it.
  std::string format; ///< "" = table on a terminal, json otherwise
  bool graph = false;
  std::string check;
  bool no_lint = false;
  std::vector<std::string> features;
  // Where and how to connect.
  ServerOptions conn;
};

// --- options ---------------------------------------------------------------------------------

void add_connection_options(CLI::App* c, QueryOptions& o) {
  add_server_options(c, o.conn, "--server",
                     "Prometheus-compatible server URL, path prefix allowed (default: $NSMON_PROMETHEUS_URL, else " +
                         std::string(kDefaultServer) + ")");
}

void add_format_option(CLI::App* c, QueryOptions& o) {
  c->add_option("-o,--format", o.format,
                "table (default on a terminal), json (the answer's data, verbatim, once it is complete; default "
                "otherwise), jsonl, csv (a column per label)")
      ->check(CLI::IsMember({"table", "json", "jsonl", "csv"}));
}

void add_range_options(CLI::App* c, QueryOptions& o) {
  c->add_option("--start", o.start, "Start time: RFC 3339, Unix seconds, or relative (now-1h, -15m)")
      ->option_text("TIME");
  c->add_option("--end", o.end, "End time (default: now when --start or --since is given)")->option_text("TIME");
}

// --- connection ------------------------------------------------------------------------------

Session connect(const QueryOptions& o) {
  ServerOptions conn = o.conn;
  if (conn.url.empty()) conn.url = kDefaultServer; // take_settings read NSMON_PROMETHEUS_URL
  return cli::connect(conn, "the server");
}

std::string resolve_format(const QueryOptions& o) {
  if (!o.format.empty()) return o.format;
  return core::is_terminal(1) ? "table" : "json";
}

// Server warnings and infos go to stderr; an error answer is explained there too (exit 1).
int report(const promapi::Answer& a) {
  for (const auto& w : a.reply.warnings) std::cerr << "nsmon: warning: the server says: " << w << "\n";
  for (const auto& i : a.reply.infos) std::cerr << "nsmon: info: the server says: " << i << "\n";
  if (a.reply.status != "error") return kOk;
  print_error("the server answered HTTP " + http::status_text(a.http_status) + ": " +
              (a.reply.error_type.empty() ? "" : a.reply.error_type + ": ") +
              (a.reply.error.empty() ? "(no message)" : a.reply.error));
  return kFindings;
}

// --- the expression before it is sent -------------------------------------------------------

struct ExprFacts {
  Unit unit = Unit::none; ///< the result's unit when the catalog tells it
  bool ordered = false;   ///< sort(), sort_desc(), ...: keep the server's order
};

// histogram_quantile(q, ... x_bucket ...) is in x's unit.
Unit quantile_unit(const promql::Expr& root, const catalog::Catalog& cat) {
  const promql::Expr* e = lint::unparen(&root);
  if (e->kind != promql::NodeKind::call || e->as<promql::Call>().name != "histogram_quantile" ||
      e->as<promql::Call>().args.size() < 2)
    return Unit::none;
  Unit u = Unit::none;
  promql::walk(*e->as<promql::Call>().args[1], [&](const promql::Expr& n, std::span<const promql::Expr* const>) {
    if (n.kind == promql::NodeKind::vector_selector && u == Unit::none) {
      auto ref = cat.resolve(promql::metric_name(n.as<promql::VectorSelector>()));
      if (ref && ref->metric && ref->suffix == "_bucket") u = parse_unit(ref->metric->unit);
    }
    return true;
  });
  return u;
}

// Parses the expression before any network: a syntax error is shown with its position and
// stops the run (a UsageError); the catalog's warnings go to stderr. --no-lint sends it as it is.
ExprFacts preflight(const QueryOptions& o) {
  ExprFacts facts;
  const promql::ParseOptions po = parse_features(o.features);
  promql::ParseResult res = promql::parse(o.expr, po);
  core::SourceSet sources;
  const core::SourceFile& src = sources.add("<query>", o.expr);
  if (!res.ok()) {
    if (o.no_lint) return facts;
    print_diagnostics({syntax_diagnostic(src, res.errors().front())}, sources);
    throw UsageError("the expression does not parse; nothing was sent (--no-lint sends it anyway)");
  }
  const catalog::Catalog& cat = load_catalog();
  std::map<std::string, lint::RecordedMetric> none;
  lint::Inference inf(cat, nullptr, none);
  facts.unit = parse_unit(inf.run(*res.expr()).unit);
  if (facts.unit == Unit::none) facts.unit = quantile_unit(*res.expr(), cat);
  const promql::Expr* root = lint::unparen(res.expr());
  facts.ordered = root->kind == promql::NodeKind::call && util::starts_with(root->as<promql::Call>().name, "sort");
  if (!o.no_lint) print_diagnostics(lint::check_expression(src, cat, po), sources);
  return facts;
}

// --- instant and range queries ---------------------------------------------------------------

struct CheckState {
  std::optional<Check> check;
  std::size_t total = 0, failed = 0;
  std::string first_failure;
  void see(const promapi::Series& s) {
    if (!check) return;
    for (const auto& p : s.samples) {
      ++total;
      double v = std::nan("");
      if (p.value == "+Inf") v = HUGE_VAL;
      else if (p.value == "-Inf") v = -HUGE_VAL;
      else std::from_chars(p.value.data(), p.value.data() + p.value.size(), v);
      if (check->holds(v)) continue;
      if (failed++ == 0) first_failure = series_name(s) + " = " + p.value;
    }
  }
  int result() const {
    if (!check) return kOk;
    std::string cond = check->op + " " + util::format_number(check->value);
    if (total == 0) {
      std::cerr << "nsmon: check failed: the query returned no values to compare with '" << cond << "'\n";
      return kFindings;
    }
    if (failed == 0) return kOk;
    std::cerr << "nsmon: check failed: " << failed << " of " << total << " values are not " << cond
              << " (first: " << first_failure << ")\n";
    return kFindings;
  }
};

int run_query(const QueryOptions& o) {
  if (util::trim(o.expr).empty()) throw UsageError("give a PromQL expression, or a verb (see 'nsmon query --help')");
  const std::string format = o.graph ? "table" : resolve_format(o);
  CheckState check;
  if (!o.check.empty()) check.check = parse_check(o.check);
  const double now = promapi::now_seconds();
  const bool range = !o.start.empty() || !o.since.empty();
  if (!range && (!o.end.empty() || !o.step.empty()))
    throw UsageError("--end and --step are for range queries: give --start or --since too");
  if (range && !o.time.empty()) throw UsageError("--time is for instant queries; use --start/--end for a range");
  if (!o.start.empty() && !o.since.empty()) throw UsageError("give --start or --since, not both");
  if (o.graph && !range) throw UsageError("--graph draws a range query: give --since or --start");
  if (o.graph && !o.format.empty() && o.format != "table")
    throw UsageError("--graph is a terminal chart; it takes no --format");

  promapi::Call call;
  double start = 0, end = 0, step = 0;
  if (range) {
    end = time_flag(o.end, "--end", now).value_or(now);
    if (!o.since.empty()) {
      auto d = promapi::parse_step(o.since);
      if (!d) throw UsageError("--since wants a duration such as 1h or 15m, not '" + o.since + "'");
      start = end - *d;
    } else {
      start = *time_flag(o.start, "--start", now);
    }
    if (end < start) throw UsageError("the range ends before it starts");
    step = promapi::default_step(start, end);
    if (!o.step.empty()) {
      auto s = promapi::parse_step(o.step);
      if (!s) throw UsageError("--step wants a duration such as 15s, or seconds, not '" + o.step + "'");
      step = *s;
    }
    if ((end - start) / step > 11000)
      throw UsageError("the range has more than 11,000 steps (Prometheus's limit); raise --step");
    call = promapi::range_query(o.expr, start, end, step);
  } else {
    call = promapi::instant_query(o.expr, time_flag(o.time, "--time", now));
  }

  const ExprFacts facts = preflight(o);
  Session session = connect(o);

  Out out;
  std::vector<promapi::Series> kept;
  std::optional<Spool> json;
  std::optional<CsvWriter> csv;
  promapi::ReaderOptions ro;
  if (format == "json") {
    json.emplace();
    ro.data_sink = [&](std::string_view b) { json->write(b); };
  }
  if (format == "csv") csv.emplace();
  // --format json passes data on as it is: the series are only read for --check.
  if (format != "json" || check.check)
    ro.on_series = [&](const promapi::Series& s) {
      check.see(s);
      if (csv) csv->add(s);
      else if (format == "jsonl") write_jsonl(out, s);
      else if (format == "table") kept.push_back(s);
    };
  const promapi::Answer answer = call_server(session, call, ro);
  if (json && answer.reply.has_data) {
    json->copy_to(out);
    out.write("\n");
  }
  if (csv) csv->finish(out);
  if (format == "table") {
    const catalog::Catalog& cat = load_catalog();
    if (!facts.ordered)
      std::stable_sort(kept.begin(), kept.end(), [](const promapi::Series& a, const promapi::Series& b) {
        auto la = a.labels, lb = b.labels;
        std::sort(la.begin(), la.end());
        std::sort(lb.begin(), lb.end());
        return la < lb;
      });
    if (answer.reply.status == "success" && kept.empty()) std::cerr << "nsmon: the query returned no series\n";
    else if (o.graph) {
      auto [h, w] = core::layout_size(1);
      out.write(render_graph(kept, start, end, step, cat, facts.unit, w, h,
                             core::use_color(core::parse_color_mode(global_options().color), 1)));
    } else if (!kept.empty()) {
      out.write(render(series_table(kept, range, cat, facts.unit), "table"));
    }
  }
  out.flush();
  int rc = report(answer);
  return rc != kOk ? rc : check.result();
}

// --- the other verbs -------------------------------------------------------------------------

int run_verb(const std::string& verb, const QueryOptions& o) {
  const std::string format = resolve_format(o);
  const double now = promapi::now_seconds();
  auto start = time_flag(o.start, "--start", now), end = time_flag(o.end, "--end", now);
  promapi::Call call;
  if (verb == "series") {
    if (o.matches.empty()) throw UsageError("series needs at least one --match selector, e.g. --match up");
    call = promapi::series(o.matches, start, end);
  } else if (verb == "labels") call = promapi::labels(o.matches, start, end);
  else if (verb == "label-values") call = promapi::label_values(o.label_name, o.matches, start, end);
  else if (verb == "targets") call = promapi::targets(o.state);
  else if (verb == "rules") call = promapi::rules(o.rule_type);
  else if (verb == "alerts") call = promapi::alerts();
  else if (verb == "metadata") call = promapi::metadata(o.metric);
  else call = promapi::buildinfo();
  Session session = connect(o);

  Out out;
  std::string data; // a verb's answer is small: written or read once it is all in
  promapi::ReaderOptions ro;
  ro.data_sink = [&](std::string_view b) { data.append(b); };
  const promapi::Answer answer = call_server(session, call, ro);
  if (format == "json" && answer.reply.has_data) out.write(data + "\n");
  if (format != "json" && answer.reply.has_data) {
    // The tokenizer has checked the text already; nlohmann builds the (small) tree.
    nlohmann::json parsed = nlohmann::json::parse(data, nullptr, false);
    if (format == "jsonl") {
      for (const auto& item : verb_items(verb, parsed))
        out.write(item.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
    } else {
      out.write(render(verb_table(verb, parsed, o.label_name), format));
    }
  }
  out.flush();
  return report(answer);
}

// What the command line did not give comes from NSMON_* and the config file (settings.hpp);
// the password itself stays in the environment.
void take_settings(const config::Settings& s, QueryOptions& o) {
  take_server_settings(s, o.conn);
  o.conn.url = s.get("server").value;
  o.format = s.get("format.query").value;
  if (o.graph && s.get("format.query").origin != config::Origin::flag) o.format.clear(); // --graph is a table
}

} // namespace

Run define_query(CLI::App& cmd) {
  auto o = std::make_shared<QueryOptions>();
  CLI::App* q = &cmd;
  q->footer(std::string("\nVerbs: series, labels, label-values, targets, rules, alerts, metadata, buildinfo "
                        "('nsmon query VERB --help').\n"
                        "An error answer of the server or a failed --check exits 1; an expression that does not\n"
                        "parse is a usage error. Server warnings and infos go to stderr.\n\n" +
                        exit_codes_help({kOk, kFindings, kUsage, kUnreachable})));
  q->add_option("EXPR", o->expr, "PromQL expression; put -- before one that starts with '-'");
  q->add_option("--time", o->time, "Evaluation time of an instant query (default: now)")->option_text("TIME");
  add_range_options(q, *o);
  q->add_option("--step", o->step, "Range query resolution (default: range/250, at least 1s)")->option_text("DURATION");
  q->add_option("--since", o->since, "Range query over the last DURATION (e.g. 1h): --start now-DURATION")
      ->option_text("DURATION");
  add_format_option(q, *o);
  q->add_flag("--graph", o->graph, "Draw a range query as a chart sized to the terminal");
  q->add_option("--check", o->check, "Exit 1 unless every value satisfies 'OP VALUE' (e.g. '< 1')")
      ->option_text("'OP VALUE'");
  q->add_flag("--no-lint", o->no_lint, "Send the expression without parsing and checking it first");
  q->add_option("--enable-feature", o->features, "PromQL feature flags for the pre-flight parse (as promql check)")
      ->option_text("NAME")
      ->allow_extra_args(false);
  add_connection_options(q, *o);
  q->require_subcommand(0, 1);

  struct Verb {
    const char* name;
    const char* help;
  };
  const Verb verbs[] = {
      {"series", "Series matching --match selectors"},
      {"labels", "Label names"},
      {"label-values", "Values of one label"},
      {"targets", "Scrape targets and their health"},
      {"rules", "Alerting and recording rules"},
      {"alerts", "Active alerts"},
      {"metadata", "Metric metadata (type, unit, help)"},
      {"buildinfo", "Server version and build"},
  };
  for (const Verb& v : verbs) {
    auto* c = q->add_subcommand(v.name, v.help);
    std::string name = v.name;
    if (name == "series" || name == "labels" || name == "label-values") {
      c->add_option("--match", o->matches, "Series selector (repeatable)")
          ->option_text("SELECTOR")
          ->allow_extra_args(false);
      add_range_options(c, *o);
    }
    if (name == "label-values") c->add_option("NAME", o->label_name, "Label name")->required();
    if (name == "metadata") c->add_option("METRIC", o->metric, "Only this metric");
    if (name == "targets")
      c->add_option("--state", o->state, "active, dropped or any")->check(CLI::IsMember({"active", "dropped", "any"}));
    if (name == "rules")
      c->add_option("--type", o->rule_type, "alert or record")->check(CLI::IsMember({"alert", "record"}));
    add_format_option(c, *o);
    add_connection_options(c, *o);
  }
  return [o, q](const Context& ctx) {
    take_settings(ctx.settings, *o);
    return &ctx.cmd == q ? run_query(*o) : run_verb(ctx.cmd.get_name(), *o);
  };
}

} // namespace nsmon::cli
