#include "nsmon/cli/app.hpp"

int main(int argc, char** argv) { return nsmon::cli::main(argc, argv); }
