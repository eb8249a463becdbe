#include "nsmon/cli/app.hpp"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "nsmon/cli/common.hpp"
#include "nsmon/cli/exit_codes.hpp"
#include "nsmon/cli/settings.hpp"
#include "nsmon/core/error.hpp"

namespace nsmon::cli {

int main(int argc, char** argv) {
  CLI::App app{"nsmon — monitor the Neurosymbolic Object Detection application through Prometheus and Grafana.",
               "nsmon"};
  app.set_version_flag("--version", std::string("nsmon ") + NSMON_VERSION);
  app.require_subcommand(1);
  app.fallthrough();
  app.footer(std::string("\n") + kExitCodeHelp + "\nRun 'nsmon SUBCOMMAND --help' for a subcommand's options.");
  auto& g = global_options();
  app.add_option("--catalog", g.catalog_path, "Metric catalog to use instead of the built-in one")
      ->option_text("FILE");
  app.add_option("--color", g.color, "Colour output: auto (default, honours NO_COLOR), always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->option_text("WHEN");

  // One line per subcommand, like ninja's table of subtools.
  add_query(app);
  add_lint(app);
  add_lint_metrics(app);
  add_gen_dashboards(app);
  add_watch(app);
  add_catalog(app);
  add_promql(app);
  add_config(app);
  add_completion(app);
  // Before any subcommand runs: the config file and NSMON_* under the flags (--color, ...).
  app.parse_complete_callback([&app] { apply_settings(app); });

  // A planned subcommand ignores its arguments (main.cpp's caller may pass anything, e.g.
  // "watch -- cmd"): parse only up to its name, keeping --help, so the message below is shown.
  std::vector<std::string> args(argv + 1, argv + argc);
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--catalog" || args[i] == "--color") {
      ++i;
      continue;
    }
    if (args[i].empty() || args[i][0] == '-') continue;
    if (is_planned(args[i])) {
      bool help = std::find_if(args.begin() + static_cast<std::ptrdiff_t>(i), args.end(), [](const std::string& a) {
                    return a == "-h" || a == "--help";
                  }) != args.end();
      args.resize(i + 1);
      if (help) args.push_back("--help");
    }
    break;
  }
  std::reverse(args.begin(), args.end()); // CLI11 takes a reversed vector

  try {
    app.parse(args);
    return kOk;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "nsmon: error: " << e.what() << "\nRun 'nsmon --help' for usage.\n";
    return kUsage;
  } catch (const Exit& e) {
    return e.code;
  } catch (const UsageError& e) {
    std::cerr << "nsmon: error: " << e.what() << "\n";
    return kUsage;
  } catch (const Error& e) {
    std::cerr << "nsmon: error: " << e.what() << "\n";
    return kUsage;
  }
}

} // namespace nsmon::cli
