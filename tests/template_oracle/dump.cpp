// nsmon's side of the template differential: the same corpus, data and query answers as
// main.go, expanded by nsmon::gotemplate::expand_alert_template, each result Go-quoted on a line.
#include <iostream>
#include <string>

#include "nsmon/gotemplate/eval.hpp"
#include "nsmon/text/go.hpp"
#include "nsmon/util/strings.hpp"

int main() {
  using namespace nsmon::gotemplate;
  TemplateData data;
  data.labels = {{"job", "api"}, {"instance", "host-1.example.com:9090"}, {"severity", "critical"}};
  data.external_labels = {{"cluster", "eu"}};
  data.external_url = "http://prom.example.com/prefix";
  QueryFn query = [](std::string_view expr) {
    QueryAnswer a;
    if (expr == "fail") a.error = "query failed";
    else
      a.samples = {{{{"__name__", "up"}, {"job", "b"}, {"instance", "x:1"}}, 0},
                   {{{"__name__", "up"}, {"job", "a"}, {"instance", "y:2"}}, 1.5}};
    return a;
  };
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::size_t tab = line.find('\t');
    data.value = std::stod(line.substr(0, tab));
    std::string text;
    for (std::size_t i = tab + 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'n') {
        text += '\n';
        ++i;
      } else {
        text += line[i];
      }
    }
    std::cout << nsmon::text::go::quote(expand_alert_template("A", text, data, query).text) << '\n';
  }
}
