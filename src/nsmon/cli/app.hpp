#pragma once

namespace nsmon::cli {

/// The whole command line: parses, dispatches to a subcommand, maps failures to exit codes.
int main(int argc, char** argv);

} // namespace nsmon::cli
