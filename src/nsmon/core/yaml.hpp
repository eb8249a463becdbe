#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::core {

/// Strict reading of YAML documents with every finding positioned in the user's file.
class YamlReader {
public:
  YamlReader(const SourceFile& src, std::vector<Diagnostic>& out) : src_(src), out_(out) {}

  /// Parses the whole file; a syntax error (or nesting too deep) becomes a diagnostic.
  std::optional<YAML::Node> parse();

  /// Span of a node in the file (1-based); the length covers a scalar's text.
  Span span(const YAML::Node& n) const;

  void error(const YAML::Node& at, std::string check, std::string message, std::string suggestion = {});
  void warning(const YAML::Node& at, std::string check, std::string message, std::string suggestion = {});

  /// Checks that `n` is a mapping whose keys are all in `allowed` and appear once.
  /// Reports unknown keys (with "did you mean") and duplicates; returns false if `n` is no mapping.
  bool check_mapping(const YAML::Node& n, const std::vector<std::string>& allowed, std::string_view what);

  /// A scalar read as a string; reports a type error (and returns nullopt) for maps, sequences, null.
  std::optional<std::string> string(const YAML::Node& n, std::string_view what);
  /// A scalar that must be a number.
  std::optional<double> number(const YAML::Node& n, std::string_view what);
  /// A scalar that must be true or false.
  std::optional<bool> boolean(const YAML::Node& n, std::string_view what);
  /// A sequence of strings.
  std::optional<std::vector<std::string>> strings(const YAML::Node& n, std::string_view what);

  const SourceFile& source() const { return src_; }

private:
  void add(Severity sev, const YAML::Node& at, std::string check, std::string message, std::string suggestion);
  const SourceFile& src_;
  std::vector<Diagnostic>& out_;
};

} // namespace nsmon::core
