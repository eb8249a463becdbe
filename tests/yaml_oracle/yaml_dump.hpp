#pragma once
// nsmon's side of the YAML differential, shared by nsmon_yaml_differential (dump.cpp) and the
// differential fuzz target (fuzz/fuzz_yaml.cpp): a text read as nsmon reads it, printed as
// "error: ..." if nsmon refuses it (a syntax error or a duplicate key, as Go's yaml refuses them)
// or as the document's tree — merge keys resolved, as loaders see it — in the canonical form that
// tests/yaml_oracle/main.go prints for yaml.v3, or, for the files read as yaml.v2
// (yaml::Dialect::v2: prometheus.yml, alertmanager.yml), with yaml.v2's types as v2.go prints them.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/yaml_tree.hpp"
#include "nsmon/core/yaml_v2.hpp"

namespace nsmon_yaml_dump {

using nsmon::yaml::Node;
using nsmon::yaml::NodeType;

// Aliases share nodes, so a tree can be exponentially large when printed: at most this many nodes
// are printed per document (reading() then answers "too large").
inline long budget = 0;

// As main.go's quote: '"', '\\' and bytes below 0x20 escaped, every other byte as is.
inline std::string quote(const std::string& s) {
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

inline std::string dump(const Node& n);

// As main.go's key: a scalar's text, "<...>" around the dump of anything else.
inline std::string key(const Node& n) { return n.is_scalar() ? std::string(n.scalar()) : "<" + dump(n) + ">"; }

inline std::string dump(const Node& n) {
  if (--budget < 0) return "";
  switch (n.type()) {
  case NodeType::undefined:
  case NodeType::null: return "null";
  case NodeType::scalar: return quote(std::string(n.scalar()));
  case NodeType::sequence: {
    std::string out = "[";
    for (const auto& item : n) out += (out.size() > 1 ? "," : "") + dump(item);
    return out + "]";
  }
  case NodeType::map: {
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

// A scalar whose explicit tag its text does not fit (`!!int abc`): yaml.v2 refuses the document,
// and nsmon's loaders report it (core/yaml_v2's check_scalars).
inline std::string refused;

// As v2.go's dumpV2: yaml.v2's types; map keys are their text.
inline std::string dump_v2(const Node& n) {
  if (--budget < 0) return "";
  switch (n.type()) {
  case NodeType::undefined:
  case NodeType::null: return "null";
  case NodeType::sequence: {
    std::string out = "[";
    for (const auto& item : n) out += (out.size() > 1 ? "," : "") + dump_v2(item);
    return out + "]";
  }
  case NodeType::map: {
    std::vector<std::string> entries;
    for (const auto& e : n) {
      dump_v2(e.first); // a key's explicit tag must fit its text too (`!!int name:` is refused)
      entries.push_back(quote(std::string(e.first.scalar())) + ":" + dump_v2(e.second));
    }
    std::sort(entries.begin(), entries.end());
    std::string out = "{";
    for (const auto& e : entries) out += (out.size() > 1 ? "," : "") + e;
    return out + "}";
  }
  case NodeType::scalar: break;
  }
  auto r = nsmon::core::yaml_v2::resolve(n);
  if (!r.refused_tag.empty() && refused.empty())
    refused = "error: " + std::to_string(n.mark().line + 1) + ":" + std::to_string(n.mark().column + 1) +
              " cannot decode " + std::string(r.tag) + " as a " + std::string(r.refused_tag);
  if (r.tag == "!!null") return "null";
  if (r.tag == "!!bool") return r.boolean ? "true" : "false";
  if (r.tag == "!!int") return r.is_unsigned ? std::to_string(r.uinteger) : std::to_string(r.integer);
  if (r.tag == "!!float") {
    if (std::isnan(r.number)) return ".nan";
    if (std::isinf(r.number)) return r.number > 0 ? ".inf" : "-.inf";
    char buf[64];
    auto res = std::to_chars(buf, buf + sizeof buf, r.number, std::chars_format::scientific);
    return std::string(buf, res.ptr);
  }
  return quote(std::string(n.scalar()));
}

/// The text read as nsmon reads it (Dialect::v2 if `v2`), printed as described above.
inline std::string reading(std::string_view text, bool v2) {
  auto doc = nsmon::yaml::parse(text, v2 ? nsmon::yaml::Dialect::v2 : nsmon::yaml::Dialect::v3);
  if (!doc) {
    const auto& e = *doc.error();
    return "error: " + std::to_string(e.line + 1) + ":" + std::to_string(e.column + 1) + " " + e.message;
  }
  if (!doc.duplicates().empty()) {
    const auto& d = doc.duplicates().front();
    return "error: " + std::to_string(d.key.mark().line + 1) + ":" + std::to_string(d.key.mark().column + 1) +
           " duplicate key " + key(d.key);
  }
  budget = 1000000;
  refused.clear();
  std::string tree = v2 ? dump_v2(doc.root()) : dump(doc.root());
  if (budget < 0) return "too large";
  return refused.empty() ? tree : refused;
}

} // namespace nsmon_yaml_dump
