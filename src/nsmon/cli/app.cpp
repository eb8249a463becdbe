#include "nsmon/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <iterator>
#include <sstream>

#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/core/error.hpp"
#include "nsmon/core/exit_codes.hpp"
#include "nsmon/core/terminal.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::cli {

// Each subcommand's options and run, defined in its cmd_*.cpp.
Run define_query(CLI::App& cmd);
Run define_lint_rules(CLI::App& cmd);
Run define_backtest(CLI::App& cmd);
Run define_lint_metrics(CLI::App& cmd);
Run define_lint_alertmanager(CLI::App& cmd);
Run define_test_rules(CLI::App& cmd);
Run define_routes(CLI::App& cmd);
Run define_slo(CLI::App& cmd);
Run define_gen_dashboards(CLI::App& cmd);
Run define_watch(CLI::App& cmd);
Run define_catalog(CLI::App& cmd);
Run define_promql(CLI::App& cmd);
Run define_config(CLI::App& cmd);
Run define_completion(CLI::App& cmd);
Run define_explain(CLI::App& cmd);

namespace {

// The subcommands, in the order 'nsmon --help' lists them (ninja's table of subtools).
const Command kCommands[] = {
    {"query", "Query Prometheus or a compatible backend (instant, range, series, alerts, ...)", define_query},
    {"lint-rules", "Check alert/recording rules and prometheus.yml against the metric catalog, offline",
     define_lint_rules},
    {"backtest", "How often alerting rules would have fired over a past range, from a server's history",
     define_backtest},
    {"lint-metrics", "Check one scrape (file or URL) against the metric catalog and promtool's naming rules",
     define_lint_metrics},
    {"lint-alertmanager", "Check an alertmanager.yml: structure as Alertmanager loads it, receivers, matchers, secrets",
     define_lint_alertmanager},
    {"test-rules", "Run rule unit tests (promtool test rules' format) on nsmon's PromQL engine", define_test_rules},
    {"routes", "Where alerts go in an alertmanager.yml: test label sets or a cases file, show the tree", define_routes},
    {"slo", "SLOs to multi-window, multi-burn-rate rules and the unit tests that prove them", define_slo},
    {"gen-dashboards", "Render Grafana dashboards from templates/ into dashboards/", define_gen_dashboards},
    {"watch", "Run the detector and show live training and inference stats", define_watch},
    {"catalog", "Show the metric catalog: every metric, its type, unit, labels and origin", define_catalog},
    {"promql", "Check, format and inspect PromQL expressions (Prometheus 3.x syntax)", define_promql},
    {"config", "Show nsmon's settings (config file, NSMON_* variables, flags)", define_config},
    {"explain", "What a check catches and why, how to silence it, and a bad and a good example", define_explain, false},
    {"completion", "Print the shell completion script for bash, zsh or fish", define_completion, false},
};

// The first word that is not an option (or a global option's value): the subcommand's name, if
// the command line has one.
const std::string* subcommand_word(const std::vector<std::string>& args) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--") return nullptr;
    if (args[i] == "--catalog" || args[i] == "--color") {
      ++i;
      continue;
    }
    if (!args[i].empty() && args[i][0] != '-') return &args[i];
  }
  return nullptr;
}

// An unknown subcommand is named, with the nearest known one, before CLI11 sees it (it would say
// "A subcommand is required", or print the top-level help for `nsmon typo --help`); so is an
// unknown option before it (`--colour never` would make "never" the subcommand).
void check_subcommand(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a.empty() || a[0] != '-') break;
    const std::string name = a.substr(0, a.find('='));
    if (name == "--catalog" || name == "--color" || name == "-h" || name == "--help" || name == "--version" ||
        name == "--")
      continue;
    std::string hint = util::did_you_mean(name, {"--catalog", "--color", "--help", "--version"});
    throw UsageError("unknown option '" + name + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                     "; 'nsmon --help' lists the options");
  }
  const std::string* word = subcommand_word(args);
  if (!word) return;
  std::vector<std::string> names;
  for (const auto& c : kCommands) {
    if (*word == c.name) return;
    names.emplace_back(c.name);
  }
  std::string hint = util::did_you_mean(*word, names);
  throw UsageError("unknown subcommand '" + *word + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                   "; 'nsmon --help' lists them");
}

// The subcommand CLI11 was parsing when it failed: the deepest one parsed.
const CLI::App* deepest(const CLI::App& app) {
  const CLI::App* at = &app;
  for (bool down = true; down;) {
    down = false;
    for (const CLI::App* sub : at->get_subcommands())
      if (sub->parsed()) {
        at = sub;
        down = true;
        break;
      }
  }
  return at;
}

std::string command_path(const CLI::App* at) {
  std::string path;
  for (; at; at = at->get_parent()) path = at->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

// The nearest name: the only one that starts with `word` (`slo gen`), else a small edit away.
std::string nearest(const std::string& word, const std::vector<std::string>& names) {
  std::string prefixed;
  int count = 0;
  for (const auto& n : names)
    if (n.size() > word.size() && n.compare(0, word.size(), word) == 0) prefixed = n, ++count;
  return count == 1 ? prefixed : util::did_you_mean(word, names);
}

// A CLI11 error in nsmon's words where a typo is likely: an option or a subcommand the command
// does not have, with the nearest one and the help page to read.
std::string parse_error_text(const CLI::App& app, const CLI::ParseError& e, const std::vector<std::string>& args) {
  const CLI::App* at = deepest(app);
  const std::string path = command_path(at);
  const std::string what = e.what();
  std::vector<std::string> subs;
  for (const CLI::App* sub : at->get_subcommands({})) subs.push_back(sub->get_name());
  const std::string expected = "not expected: ";
  if (auto p = what.find(expected); p != std::string::npos) {
    // CLI11 lists every word it did not take ("up --formt" for `query --formt json up`): a
    // misspelt option among them is the cause, the words after it only its fallout.
    std::istringstream listed(what.substr(p + expected.size()));
    const std::vector<std::string> words{std::istream_iterator<std::string>(listed), {}};
    auto option = std::find_if(words.begin(), words.end(), [](const std::string& w) { return w.starts_with('-'); });
    std::string word = option != words.end() ? *option : words.empty() ? std::string() : words.front();
    if (!word.empty() && word[0] == '-') {
      std::vector<std::string> names;
      for (const CLI::App* a = at; a; a = a->get_parent())
        for (const CLI::Option* o : a->get_options())
          for (const auto& l : o->get_lnames()) names.push_back("--" + l);
      const std::string name = word.substr(0, word.find('='));
      std::string hint = nearest(name, names);
      return "unknown option '" + name + "' for " + path + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
             "; '" + path + " --help' lists its options";
    }
    // `nsmon query instant up`, promtool's order: the verb was read as the expression.
    if (auto verb = std::find(args.begin(), args.end(), word);
        path == "nsmon query" && verb != args.begin() && (verb[-1] == "instant" || verb[-1] == "range"))
      return "nsmon query takes the expression itself, with no '" + verb[-1] + "' before it: nsmon query '" + word +
             "' (an instant query), nsmon query '" + word + "' --since 1h (a range query); '" + path +
             " --help' says more";
    if (!subs.empty()) {
      std::string hint = nearest(word, subs);
      return "unknown subcommand '" + word + "' of " + path + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
             "; '" + path + " --help' lists them";
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) && !subs.empty() && at->get_subcommands().empty()) {
    // `nsmon catalog lst`: the word after the command, if any, is the typo.
    // The root command's name is not among the arguments: nothing follows it to look at.
    auto it = std::find(args.begin(), args.end(), at->get_name());
    std::string word;
    for (it = it == args.end() ? it : it + 1; it < args.end() && word.empty(); ++it)
      if (!it->empty() && (*it)[0] != '-') word = *it;
    if (!word.empty()) {
      std::string hint = nearest(word, subs);
      return "unknown subcommand '" + word + "' of " + path + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
             "; '" + path + " --help' lists them";
    }
    return path + " needs a subcommand: " + util::join(subs, ", ") + "; '" + path + " --help' says more";
  }
  return what + "\nRun '" + path + " --help' for usage.";
}

// A repeatable option takes one value each time it is given, in every command: CLI11 lets a
// vector option take every word after it, so `test-rules --run REGEX tests.yml` read the file as
// a second regex and ran nothing.
void one_value_per_option(CLI::App& app) {
  for (CLI::Option* opt : app.get_options([](const CLI::Option* o) { return o->nonpositional(); }))
    opt->allow_extra_args(false);
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) one_value_per_option(*sub);
}

} // namespace

const catalog::Catalog& Context::catalog() const { return load_catalog(); }

bool Context::color(int fd) const { return core::use_color(core::parse_color_mode(global_options().color), fd); }

int main(int argc, char** argv) {
  CLI::App app{"nsmon — monitor the Neurosymbolic Object Detection application through Prometheus and Grafana.",
               "nsmon"};
  app.set_version_flag("--version", std::string("nsmon ") + NSMON_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer("\n" + exit_codes_help({kOk, kFindings, kUsage, kUnreachable, kAlertFired, kCannotRun, kInterrupted}) +
             "\nwatch passes on the command's status (128 + signal when it was killed).\n"
             "Run 'nsmon SUBCOMMAND --help' for a subcommand's options.");
  auto& g = global_options();
  app.add_option("--catalog", g.catalog_path,
                 "Metric catalog to use instead of the built-in one; 'none' for rules about other exporters only")
      ->option_text("FILE");
  app.add_option("--color", g.color, "Colour output: auto (default, honours NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");

  struct Defined {
    const Command* row;
    CLI::App* cmd;
    Run run;
  };
  std::vector<std::string> args(argv + 1, argv + argc);
  // Only the subcommand named gets its options (defining all of them was a third of the start-up
  // time); `completion` gets them all, its scripts list every option.
  const std::string* word = subcommand_word(args);
  const bool all = word && *word == "completion";
  std::vector<Defined> defined;
  for (const auto& c : kCommands) {
    CLI::App* sub = app.add_subcommand(c.name, c.help);
    if (all || (word && *word == c.name)) defined.push_back({&c, sub, c.define(*sub)});
  }
  one_value_per_option(app);
  // Before any subcommand runs: the config file and NSMON_* under the flags (--color, ...).
  app.parse_complete_callback([&] {
    for (const auto& d : defined)
      if (d.cmd->parsed() && d.row->reads_settings) apply_settings(app);
  });

  const std::vector<std::string> given = args;
  ReportOptions reporting; // the command's --format, once known (what it stops with)
  try {
    check_subcommand(args);
    std::reverse(args.begin(), args.end()); // CLI11 takes a reversed vector
    app.parse(args);
    for (const auto& d : defined) {
      if (!d.cmd->parsed()) continue;
      const CLI::App* inner = d.cmd;
      while (!inner->get_subcommands().empty()) inner = inner->get_subcommands().front();
      Context ctx{*inner, d.row->reads_settings ? settings_for(*inner) : config::Settings(), {}};
      ctx.report = reporting = report_options(*inner, ctx.settings, ctx.color(1));
      return d.run(ctx);
    }
    return kUsage; // require_subcommand(1) makes this unreachable
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error(parse_error_text(app, e, given));
    return kUsage;
  } catch (const Error& e) {
    print_error(e.what());
    report_stopped(e, exit_code_for(e), reporting);
    return exit_code_for(e);
  }
}

} // namespace nsmon::cli
