// nsmon_yaml_dump: nsmon's side of the YAML differential (tests/yaml_oracle/differential.sh). For
// each file named on the command line it prints the path, a tab, then "error: ..." if nsmon
// refuses the file (a syntax error or a duplicate key, as Go's yaml.v3 refuses them) or the
// document's tree — merge keys resolved, as loaders see it — in the canonical JSON that
// tests/yaml_oracle/main.go prints for yaml.v3.
#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "nsmon/core/yaml_tree.hpp"

namespace {

using nsmon::yaml::Node;
using nsmon::yaml::NodeType;

// As main.go's quote: '"', '\\' and bytes below 0x20 escaped, every other byte as is.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      const char* hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[u >> 4];
      out += hex[u & 15];
    } else {
      out += c;
    }
  }
  return out + '"';
}

std::string dump(const Node& n);

// As main.go's key: a scalar's text, "<...>" around the dump of anything else.
std::string key(const Node& n) { return n.IsScalar() ? n.Scalar() : "<" + dump(n) + ">"; }

std::string dump(const Node& n) {
  switch (n.Type()) {
  case NodeType::Undefined:
  case NodeType::Null: return "null";
  case NodeType::Scalar: return quote(n.Scalar());
  case NodeType::Sequence: {
    std::string out = "[";
    for (const auto& item : n) out += (out.size() > 1 ? "," : "") + dump(item);
    return out + "]";
  }
  case NodeType::Map: {
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& e : n) entries.emplace_back(key(e.first), dump(e.second));
    std::sort(entries.begin(), entries.end());
    std::string out = "{";
    for (const auto& [k, v] : entries) out += (out.size() > 1 ? "," : "") + quote(k) + ":" + v;
    return out + "}";
  }
  }
  return "null";
}

std::string read(const char* path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::string("error: cannot read ") + path;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto doc = nsmon::yaml::parse(text);
  if (!doc) {
    const auto& e = *doc.error();
    return "error: " + std::to_string(e.line + 1) + ":" + std::to_string(e.column + 1) + " " + e.message;
  }
  if (!doc.duplicates().empty()) {
    const auto& d = doc.duplicates().front();
    return "error: " + std::to_string(d.key.Mark().line + 1) + ":" + std::to_string(d.key.Mark().column + 1) +
           " duplicate key " + key(d.key);
  }
  return dump(doc.root());
}

} // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) std::cout << argv[i] << '\t' << read(argv[i]) << '\n';
  return 0;
}
