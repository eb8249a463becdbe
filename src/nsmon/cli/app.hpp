#pragma once
// cli/: `app.cpp`: the subcommand table (one `Command` row each: name, help, `define`) and `main`;
// one file per subcommand (`cmd_*.cpp`: its options and `int run(const Context&)`); `report.*`: the
// one report pipeline (`--format`/`--fail-on`, `finish()`, which renders with `report/`);
// `common.*`: global options, the catalog, feature flags, duration options, `print_error`; the
// effective settings (`settings.*`: config file + `NSMON_*` + flags; `server_auth`: how `query` and
// `watch --prometheus` authenticate to a server); shell completions generated from the CLI11 tree
// (`completion.*`); where default inputs are found, here or installed (`defaults.*`); the only
// place that prints; it returns the codes the policy gives (`core/exit_codes.hpp` for a failure,
// `report::exit_code` for a report).

namespace nsmon::cli {

/// The whole command line: parses, dispatches to a subcommand, maps failures to exit codes.
int main(int argc, char** argv);

} // namespace nsmon::cli
