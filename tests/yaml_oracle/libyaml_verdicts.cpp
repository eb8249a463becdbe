// Test-only: libyaml's verdict on each file (the C library Go's yaml was ported from), for the
// measurement behind core/yaml.hpp's "why not libyaml" (tests/yaml_oracle/libyaml_compare.sh).
// Prints "FILE<TAB>ok" or "FILE<TAB>error: LINE:COL PROBLEM" for every argument; only the first
// document is read, as Go's yaml.Unmarshal reads it.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <yaml.h>

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i], std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    yaml_event_t event;
    bool ok = true, done = false;
    while (!done) {
      if (!yaml_parser_parse(&parser, &event)) {
        ok = false;
        break;
      }
      done = event.type == YAML_STREAM_END_EVENT || event.type == YAML_DOCUMENT_END_EVENT;
      yaml_event_delete(&event);
    }
    if (ok) std::printf("%s\tok\n", argv[i]);
    else
      std::printf("%s\terror: %zu:%zu %s\n", argv[i], parser.problem_mark.line + 1, parser.problem_mark.column + 1,
                  parser.problem ? parser.problem : "?");
    yaml_parser_delete(&parser);
  }
  return 0;
}
