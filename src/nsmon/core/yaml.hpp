#pragma once
#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/checks.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::core {

/// A scalar of a YAML file with where it is: its value, its span, and where each byte of the value
/// is in the file, so that positions inside it (a PromQL expression, a template) point into the
/// user's YAML. Every loader's positioned strings are these (YamlReader::located).
struct Located {
  std::string value;
  Span span;
  bool plain = false; ///< unquoted in the YAML (so `no` may have been meant as a string)
  /// A value written as an alias (`expr: *e`) or read through one (`labels: *l`): the line of
  /// the anchored text, which stands elsewhere; 0 otherwise. Then `span` is the alias and every
  /// position inside the value is the alias's: a finding is about the rule that uses the value.
  int anchor_line = 0;
  /// Most values stand in the file byte for byte, from `base`; `offsets` is only filled for the
  /// others (escapes, folded lines, block scalars).
  std::size_t base = 0;
  std::vector<std::size_t> offsets;
  const SourceFile* source = nullptr; ///< the file; null for a value made by hand

  /// File offset of byte i of the value (i is clamped to the value); an alias's `*` for each
  /// byte of an aliased value.
  std::size_t file_offset(std::size_t i) const {
    if (value.empty() || anchor_line) return base;
    i = std::min(i, value.size() - 1);
    return offsets.empty() ? base + i : offsets[i];
  }
  /// The span of bytes [begin, end) of the value in the file; `span` for an empty value, an
  /// aliased one or one made by hand.
  Span at(std::size_t begin, std::size_t end) const;
  /// For a finding's message about an aliased value: " (the text of the anchor at line N)";
  /// empty for other values.
  std::string anchor_note() const;
};

/// Strict reading of YAML documents with every finding positioned in the user's file.
class YamlReader {
public:
  YamlReader(const SourceFile& src, std::vector<Diagnostic>& out) : src_(src), out_(out) {}
  /// A reader of the document `parsed` parsed, whose findings go to `out`: a loader reads parts
  /// of one document on several threads with one each (`parsed` and its findings unchanged
  /// meanwhile). The duplicate keys `parsed` reported are still not reported twice.
  YamlReader(const YamlReader& parsed, std::vector<Diagnostic>& out)
      : src_(parsed.src_), out_(out), doc_(parsed.doc_), parsed_(&parsed) {}

  /// Parses the whole file; a syntax error (or nesting too deep) becomes a diagnostic. The nodes
  /// stay valid while this reader lives. `dialect`: yaml::Dialect::v2 for the files Prometheus
  /// and Alertmanager read with yaml.v2 (prometheus.yml, alertmanager.yml).
  std::optional<yaml::Node> parse(yaml::Dialect dialect = yaml::Dialect::v3);

  /// Span of a node in the file (1-based); the length covers a scalar's text. An alias's is the
  /// anchored node's (where its content is written).
  Span span(const yaml::Node& n) const;
  /// Where a node is used: an alias's own `*name`, else span(n).
  Span use_span(const yaml::Node& n) const;
  /// Span of the key `key` of a mapping (where to point for "this field is not allowed").
  Span key_span(const yaml::Node& map, const std::string& key) const;

  /// Reports a finding of `check` at `at`, at the check's default severity. A duplicate key that
  /// parse() already reported is not reported twice (the earlier finding is returned; by a reader
  /// made from another, a copy of it). The result (valid until the next finding) lets a milder
  /// variant of a check lower its severity.
  Diagnostic& report(const yaml::Node& at, CheckId check, std::string message, std::string suggestion = {});

  /// Checks that `n` is a mapping whose keys are all in `allowed` and appear once.
  /// Reports unknown keys (with "did you mean") and duplicates; returns false if `n` is no mapping.
  bool check_mapping(const yaml::Node& n, const std::vector<std::string>& allowed, std::string_view what);

  /// A scalar with where it is (its value and the file offset of each of its bytes). An alias
  /// (`expr: *e`) is placed at the alias, with the anchored text's line (Located::anchor_line).
  Located located(const yaml::Node& scalar) const;
  /// A scalar inside a collection read through the alias `via` (`labels: *l`): placed at the
  /// alias, as an aliased scalar is, with the anchored collection's line. `via` undefined or no
  /// alias: located(scalar).
  Located located(const yaml::Node& scalar, const yaml::Node& via) const;
  /// An alias as Go's yaml.v3 hands it to a yaml.Node field (rulefmt's alert, record and expr):
  /// its name (`*e` reads "e"), placed on the name; through `via` as located(scalar, via).
  Located alias_name(const yaml::Node& alias, const yaml::Node& via = {}) const;
  /// A scalar read as a string; reports a type error (and returns nullopt) for maps, sequences, null.
  std::optional<std::string> string(const yaml::Node& n, std::string_view what);
  /// A scalar that must be a number.
  std::optional<double> number(const yaml::Node& n, std::string_view what);
  /// A scalar that must be true or false.
  std::optional<bool> boolean(const yaml::Node& n, std::string_view what);
  /// A sequence of strings.
  std::optional<std::vector<std::string>> strings(const yaml::Node& n, std::string_view what);

  /// For each byte of a scalar's decoded value, the byte offset in the file it came from, so that
  /// positions inside a value (a PromQL expression, a template) map back to the user's YAML —
  /// plain, quoted, literal (|) and folded (>) scalars alike.
  std::vector<std::size_t> value_offsets(const yaml::Node& scalar) const;

  const SourceFile& source() const { return src_; }

private:
  const SourceFile& src_;
  std::vector<Diagnostic>& out_;
  yaml::Document doc_;
  /// Line and column of each duplicate key parse() reported, and the index of its finding in out_.
  std::map<std::pair<int, int>, std::size_t> duplicate_at_;
  /// The reader this one was made from (whose duplicate_at_ and findings count), if any.
  const YamlReader* parsed_ = nullptr;
  std::optional<Diagnostic> folded_; ///< what report() returns for a duplicate key parsed_ reported
};

/// The byte ranges of the YAML documents in `text` that have content ("---" lines and "..."
/// lines at column 0 separate them, as YAML says); empty documents are left out.
std::vector<std::pair<std::size_t, std::size_t>> document_ranges(std::string_view text);

/// The documents of a file of several (kubectl-style manifests, Sloth's specs), each a copy of
/// the file with the others blanked out, so that every position is the file's own; one document
/// (or none): the file itself.
std::vector<SourceFile> documents(const SourceFile& src);

} // namespace nsmon::core
