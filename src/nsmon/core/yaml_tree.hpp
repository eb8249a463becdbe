#pragma once
// A YAML parser for configuration files that builds a tree of nodes with their positions.
//
// What it accepts and refuses follows Go's yaml.v3, the library Prometheus reads rule files with
// (merge keys resolved, duplicate keys recorded, yaml.v3's directive, anchor and flow-entry
// rules); tests/yaml_oracle checks it against yaml.v3 itself, differences listed there.
// It began as a port of yaml-cpp 0.7:
// token for token (the same simple-key and indentation rules, the same
// marks for every node, the same scalar values), so that findings keep the line:column they had
// when nsmon used yaml-cpp; it is about 20 times faster because it scans a flat buffer and keeps
// the nodes in an arena. It is stricter than yaml-cpp where yaml-cpp silently accepts broken
// input: bytes that are not UTF-8 text, content after the end of the document, aliases that
// contain themselves. Its differences from Go's yaml are listed in tests/yaml_oracle/known_differences*.tsv.
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nsmon::yaml {

/// A position in the text: byte offset, line and column (bytes), all 0-based like YAML::Mark.
struct Mark {
  int pos = -1;
  int line = -1;
  int column = -1;
  bool is_null() const { return pos == -1 && line == -1 && column == -1; }
};

enum class NodeType : std::uint8_t { undefined, null, scalar, sequence, map };

/// How a scalar was written.
enum class ScalarStyle : std::uint8_t { plain, single_quoted, double_quoted, literal, folded };

namespace detail {
class Storage;

/// How a scalar was scanned, so that its value can be scanned again with the source offset of
/// every byte (Document::value_offsets): where the scan started and the scanner's settings.
struct ScanSpec {
  std::uint32_t pos = 0;
  int column = 0;
  int indent = 0;
  std::uint8_t chomp = 0;
  bool detect_indent = false;
  bool in_flow = false;
};

/// One node in a document's arena (56 bytes: a rule file has about 20 per rule). Maps keep key,
/// value, key, value... in `items`. A scalar's value is `chars`: the bytes in the document's
/// text where it stands there verbatim (most do), else a copy in the document's arena. An alias
/// (`*a`) is a copy of the anchored node's fields (its items and bytes shared) with `alias` set.
struct NodeData {
  NodeData() noexcept {} // sets the fields below without zeroing the struct first
  NodeType type = NodeType::null;
  ScalarStyle style = ScalarStyle::plain;
  bool open = false; ///< a collection still being parsed (an alias to it would be a cycle)
  Mark mark;
  const std::string* tag = nullptr;
  union {
    const char* chars = nullptr;  ///< scalars: the value's bytes
    const NodeData* const* items; ///< sequences and maps
  };
  std::uint32_t count = 0; ///< bytes of a scalar's value, items of a sequence, entries of a map
  ScanSpec scan;
  std::int32_t alias = -1; ///< an alias: the offset of its `*` in the text (in the padding after `scan`)
  std::string_view value() const {
    return type == NodeType::scalar ? std::string_view(chars, count) : std::string_view();
  }
};

const std::string& empty_string();
} // namespace detail

class Document;
/// Which Go yaml a document is read as: yaml.v3 (rule files) or yaml.v2 (prometheus.yml,
/// alertmanager.yml). They differ in how merge keys resolve (see parse).
enum class Dialect : std::uint8_t { v3, v2 };
namespace detail {
/// parse (borrow false) or parse_in_place (true). With `parts` above 1, a large text that ends in
/// a long block sequence is parsed in up to that many parts at once (yaml_split.hpp): the same
/// Document as with 1, which tests compare.
Document parse_text(std::string_view text, Dialect dialect, bool borrow, unsigned parts);
} // namespace detail

/// A node of a parsed document: a cheap handle (one pointer) into the document's arena, valid
/// while the Document lives. A default-constructed node, or a missing key, is undefined.
class Node {
public:
  class const_iterator;
  struct Entry;

  Node() = default;

  NodeType type() const { return data_ ? data_->type : NodeType::undefined; }
  bool is_defined() const { return data_ != nullptr; }
  bool is_null() const { return type() == NodeType::null; }
  bool is_scalar() const { return type() == NodeType::scalar; }
  bool is_sequence() const { return type() == NodeType::sequence; }
  bool is_map() const { return type() == NodeType::map; }
  explicit operator bool() const { return is_defined(); }
  bool operator!() const { return !is_defined(); }

  /// The value of a scalar; empty for other nodes. A view into the Document, valid while it lives.
  std::string_view scalar() const { return data_ ? data_->value() : std::string_view(); }
  /// "?" for plain scalars and untagged collections, "!" for quoted and block scalars, the
  /// resolved tag for tagged nodes ("tag:yaml.org,2002:str" for !!str), "" for null nodes.
  const std::string& tag() const { return data_ && data_->tag ? *data_->tag : detail::empty_string(); }
  /// Where the node starts (its tag or anchor if it has one); null for undefined nodes. An alias
  /// has the anchored node's mark (its content is written there).
  Mark mark() const { return data_ ? data_->mark : Mark{}; }
  /// An alias (`expr: *e`): the byte offset of its `*` in the text, where the anchored node is
  /// used (a finding about a rule that uses it belongs there); -1 for every other node.
  int alias_at() const { return data_ ? data_->alias : -1; }
  /// Scalars only: how the scalar was written.
  ScalarStyle style() const { return data_ ? data_->style : ScalarStyle::plain; }

  /// Entries of a map or items of a sequence; 0 for other nodes.
  std::size_t size() const { return data_ && (is_map() || is_sequence()) ? data_->count : 0; }
  /// The value of the first entry of a map whose key is a scalar equal to `key`; undefined if
  /// there is none or this is not a map.
  Node operator[](std::string_view key) const;
  /// Item `i` of a sequence; undefined if out of range or this is not a sequence.
  Node at(std::size_t i) const;

  /// Maps: entries (`it->first`, `it->second`) in file order, duplicates included.
  /// Sequences: the items (`*it` is the item).
  const_iterator begin() const;
  const_iterator end() const;

  /// Whether two handles refer to the same node (an alias refers to its anchored node).
  bool is(const Node& other) const;

private:
  friend class Document;
  friend Document detail::parse_text(std::string_view text, Dialect dialect, bool borrow, unsigned parts);
  explicit Node(const detail::NodeData* data) : data_(data) {}
  const detail::NodeData* data_ = nullptr;
};

/// What iterating a node yields: for a sequence the item itself; for a map, `first` and `second`.
struct Node::Entry : Node {
  Node first;
  Node second;
};

class Node::const_iterator {
public:
  using value_type = Entry;
  using difference_type = std::ptrdiff_t;
  using reference = const Entry&;
  using pointer = const Entry*;
  using iterator_category = std::forward_iterator_tag;

  const_iterator() = default;
  const Entry& operator*() const { return entry_; }
  const Entry* operator->() const { return &entry_; }
  const_iterator& operator++() {
    p_ += step_;
    load();
    return *this;
  }
  const_iterator operator++(int) {
    auto old = *this;
    ++*this;
    return old;
  }
  friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.p_ == b.p_; }
  friend bool operator!=(const const_iterator& a, const const_iterator& b) { return a.p_ != b.p_; }

private:
  friend class Node;
  const_iterator(const detail::NodeData* const* p, const detail::NodeData* const* end, int step)
      : p_(p), end_(end), step_(step) {
    load();
  }
  void load() {
    if (p_ == end_) return;
    if (step_ == 2) {
      entry_.first = Node(p_[0]);
      entry_.second = Node(p_[1]);
    } else {
      static_cast<Node&>(entry_) = Node(*p_);
    }
  }
  const detail::NodeData* const* p_ = nullptr;
  const detail::NodeData* const* end_ = nullptr;
  int step_ = 1;
  Entry entry_;
};

/// A syntax error: where (0-based, like YAML::Mark) and what, in plain words.
struct Error {
  int line = 0;
  int column = 0;
  std::size_t pos = 0;
  std::string message;
};

/// A parsed document: the root node, or the first error. Copies share the same nodes.
class Document {
public:
  Document() = default;
  /// True if the text parsed.
  explicit operator bool() const { return !error_; }
  const std::optional<Error>& error() const { return error_; }
  /// The root; a null node for an empty document; undefined after an error.
  Node root() const { return root_; }

  /// For each byte of a scalar's value, the offset in the parsed text of the byte it came from:
  /// an escape's bytes map to its backslash, a folded line break to the break. Empty for other
  /// nodes and for nodes of another document.
  std::vector<std::size_t> value_offsets(const Node& scalar) const;

  /// A key written twice in one map, as yaml.v3 refuses it ("mapping key already defined"):
  /// not a syntax error (the tree is complete), so that readers report each one where it is.
  /// Keys that a merge (`<<`) brings in are not duplicates.
  struct Duplicate {
    Node key;   ///< the second occurrence
    Node first; ///< the first one
  };
  /// Every duplicate key of the document, in the order their maps end.
  const std::vector<Duplicate>& duplicates() const { return duplicates_; }

private:
  friend Document detail::parse_text(std::string_view text, Dialect dialect, bool borrow, unsigned parts);
  std::shared_ptr<const detail::Storage> storage_;
  Node root_;
  std::optional<Error> error_;
  std::vector<Duplicate> duplicates_;
};

/// Parses the first document of `text` (a second one is ignored, as yaml-cpp's Load does).
/// Texts of 2 GiB or more are refused (positions are ints, as in yaml-cpp).
/// Merge keys: with Dialect::v3 a map's own keys win over merged ones wherever the `<<` stands;
/// with Dialect::v2 entries apply in the order written, so a key before the `<<` loses to a
/// merged one and a key after it wins. Everything else is the same for both.
Document parse(std::string_view text, Dialect dialect = Dialect::v3);

/// What parse_in_place needs after the text: this many NUL bytes (the scanner looks ahead
/// without bounds checks).
constexpr std::size_t kInputPadding = 32;

/// parse() without copying the text: `text` must be followed in memory by kInputPadding NUL
/// bytes, and must outlive the Document (its scalars are views into it). core::SourceFile keeps
/// its text so (YamlReader parses that way): a 3.4 MB rule file is not held twice.
Document parse_in_place(std::string_view text, Dialect dialect = Dialect::v3);

/// Nesting deeper than this many collections is an error ("nesting too deep").
constexpr int kMaxDepth = 1000;

} // namespace nsmon::yaml
