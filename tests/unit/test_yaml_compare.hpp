#pragma once
// Compares a yaml-cpp tree with nsmon's (yaml::Node): kinds, scalar values, tags, key order and
// the mark of every node. Shared by the differential test (tests/unit/test_core_yaml_differential.cpp)
// and the fuzzer (fuzz/fuzz_yaml.cpp); both link yaml-cpp, nsmon itself does not.
#include <string>
#include <string_view>
#include <yaml-cpp/yaml.h>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::yaml_compare {

/// yaml-cpp turns the escapes \N and \_ into the single bytes 0x85 and 0xA0, which are not
/// UTF-8; nsmon gives U+0085 and U+00A0. Re-encode such stray bytes before comparing.
inline std::string normalize(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(s, i, n);
      i += n;
    } else {
      out += static_cast<char>(0xC0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3F));
      ++i;
    }
  }
  return out;
}

inline std::string mark_str(int line, int col, int pos) {
  return std::to_string(line) + ":" + std::to_string(col) + "@" + std::to_string(pos);
}

/// Walks both trees; returns "" if they agree, else where and how they differ. Aliases share
/// nodes, so a hostile document can be exponentially large as a tree: stop after `budget` nodes.
class Comparer {
public:
  explicit Comparer(long budget = 200000) : budget_(budget) {}

  std::string compare(const YAML::Node& y, const yaml::Node& o, const std::string& path = "/") {
    if (--budget_ < 0) return "";
    auto ym = y.Mark();
    auto om = o.Mark();
    if (ym.line != om.line || ym.column != om.column || ym.pos != om.pos)
      return path + ": mark " + mark_str(ym.line, ym.column, ym.pos) + " vs " + mark_str(om.line, om.column, om.pos);
    if (y.Tag() != o.Tag()) return path + ": tag '" + y.Tag() + "' vs '" + o.Tag() + "'";
    switch (y.Type()) {
    case YAML::NodeType::Undefined: return path + ": yaml-cpp node undefined";
    case YAML::NodeType::Null: return o.IsNull() ? "" : path + ": null vs " + kind(o);
    case YAML::NodeType::Scalar:
      if (!o.IsScalar()) return path + ": scalar vs " + kind(o);
      if (normalize(y.Scalar()) != o.Scalar()) return path + ": value '" + y.Scalar() + "' vs '" + o.Scalar() + "'";
      return "";
    case YAML::NodeType::Sequence: {
      if (!o.IsSequence()) return path + ": sequence vs " + kind(o);
      if (y.size() != o.size())
        return path + ": " + std::to_string(y.size()) + " vs " + std::to_string(o.size()) + " items";
      std::size_t i = 0;
      auto oi = o.begin();
      for (auto yi = y.begin(); yi != y.end(); ++yi, ++oi, ++i)
        if (auto d = compare(*yi, *oi, path + std::to_string(i) + "/"); !d.empty()) return d;
      return "";
    }
    case YAML::NodeType::Map: {
      if (!o.IsMap()) return path + ": map vs " + kind(o);
      if (y.size() != o.size())
        return path + ": " + std::to_string(y.size()) + " vs " + std::to_string(o.size()) + " entries";
      std::size_t i = 0;
      auto oi = o.begin();
      for (auto yi = y.begin(); yi != y.end(); ++yi, ++oi, ++i) {
        std::string p = path + "{" + std::to_string(i) + "}";
        if (auto d = compare(yi->first, oi->first, p + "key/"); !d.empty()) return d;
        if (auto d = compare(yi->second, oi->second, p + "/"); !d.empty()) return d;
      }
      return "";
    }
    }
    return "";
  }

private:
  static std::string kind(const yaml::Node& o) {
    switch (o.Type()) {
    case yaml::NodeType::Undefined: return "undefined";
    case yaml::NodeType::Null: return "null";
    case yaml::NodeType::Scalar: return "scalar";
    case yaml::NodeType::Sequence: return "sequence";
    case yaml::NodeType::Map: return "map";
    }
    return "?";
  }
  long budget_;
};

/// Errors for text that is not UTF-8 YAML text (yaml-cpp reads any bytes).
inline bool encoding_error(std::string_view message) {
  for (std::string_view m :
       {"NUL byte", "control character", "not valid UTF-8", "invalid UTF-8 sequence", "is not allowed in YAML"})
    if (message.find(m) != std::string_view::npos) return true;
  return false;
}

/// Errors that nsmon reports on purpose where yaml-cpp reads on (see test_core_yaml_differential.cpp).
inline bool deliberate_error(std::string_view message) {
  for (std::string_view m :
       {"unexpected content after the end of the document", "refers to a node that contains it", "nesting is too deep",
        "missing closing quote", "could not find expected ':'", "map merge requires",
        // Refused as Go's yaml.v3 refuses them (difference 10 of test_core_yaml_differential.cpp).
        "did not find expected node content", "did not find expected key", "(Go's yaml reads %YAML 1.1 only)",
        "unknown directive %", "names are made of letters, digits", "cannot be a key", "unknown escape character: /",
        "found a tab character where an indentation space is expected"})
    if (message.find(m) != std::string_view::npos) return true;
  return encoding_error(message);
}

/// yaml-cpp errors on text that Go's yaml.v3, and so nsmon, reads (libyaml's scanner): a comment
/// right after a directive's value (`%YAML 1.1#c`).
inline bool deliberate_acceptance(std::string_view yaml_cpp_message) {
  return yaml_cpp_message.find("bad YAML version") != std::string_view::npos;
}

} // namespace nsmon::yaml_compare
