// nsmon_yaml_differential: nsmon's side of the YAML differential (tests/yaml_oracle/differential.sh).
// For each file named on the command line it prints the path, a tab, then nsmon's reading of it
// (yaml_dump.hpp): as yaml.v3 reads rule files, or with -v2 first as yaml.v2 reads prometheus.yml.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include "yaml_dump.hpp"

int main(int argc, char** argv) {
  bool v2 = argc > 1 && std::string(argv[1]) == "-v2";
  for (int i = v2 ? 2 : 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::cout << argv[i] << '\t' << (in ? nsmon_yaml_dump::reading(text, v2) : "error: cannot read") << '\n';
  }
  return 0;
}
