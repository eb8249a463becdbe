#pragma once
// Internal to the YAML parser: the arena a document's nodes live in, and the parse of one
// document (yaml_tree.cpp), shared by parse_text and the parts of a text parsed apart
// (yaml_split.cpp).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::yaml::detail {

/// The non-specific tags yaml-cpp gives untagged nodes: "?" plain scalars and collections, "!"
/// quoted and block scalars (compared by address: one string each).
inline const std::string kPlainTag = "?";
inline const std::string kNonPlainTag = "!";

/// A UTF-8 byte order mark: not content (columns of the first line count from after it).
inline constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

/// Owns a document's text and nodes. Nodes are allocated in blocks and never move.
class Storage {
public:
  /// A copy of `input` followed by kPadding NUL bytes.
  explicit Storage(std::string_view input) : size(input.size()) {
    own_.reserve(input.size() + kPadding);
    own_.append(input);
    own_.append(kPadding, '\0');
    text = own_.data();
  }
  /// `input` itself, which the caller pads and keeps (parse_in_place).
  struct Borrow {};
  Storage(std::string_view input, Borrow) : text(input.data()), size(input.size()) {}

  Storage(const Storage&) = delete;
  Storage& operator=(const Storage&) = delete;
  ~Storage() {
    for (std::size_t b = 0; b < node_blocks_.size(); ++b) {
      std::size_t used =
          b + 1 == node_blocks_.size() ? kNodeBlock - static_cast<std::size_t>(node_end_ - node_next_) : kNodeBlock;
      std::destroy_n(node_blocks_[b], used);
      std::allocator<NodeData>().deallocate(node_blocks_[b], kNodeBlock);
    }
  }

  NodeData* new_node() {
    // Nodes live in blocks and never move; each is constructed when it is needed, not when its
    // block is allocated.
    if (node_next_ == node_end_) {
      node_blocks_.push_back(std::allocator<NodeData>().allocate(kNodeBlock));
      node_next_ = node_blocks_.back();
      node_end_ = node_next_ + kNodeBlock;
    }
    return std::construct_at(node_next_++);
  }

  const NodeData* const* store_items(const NodeData* const* items, std::size_t n) {
    if (n == 0) return nullptr;
    if (n > kItemBlock / 4) {
      big_items_.push_back(std::make_unique<const NodeData*[]>(n));
      std::memcpy(big_items_.back().get(), items, n * sizeof(NodeData*));
      return big_items_.back().get();
    }
    if (item_blocks_.empty() || item_used_ + n > kItemBlock) {
      item_blocks_.push_back(std::make_unique<const NodeData*[]>(kItemBlock));
      item_used_ = 0;
    }
    const NodeData** out = &item_blocks_.back()[item_used_];
    std::memcpy(out, items, n * sizeof(NodeData*));
    item_used_ += n;
    return out;
  }

  /// A scalar's value: its bytes in the text if it stands there verbatim at `at` or just after
  /// (a quote), else a copy in the arena.
  const char* store_value(std::string_view v, std::size_t at) {
    if (v.empty()) return "";
    for (std::size_t p = at; p <= at + 1; ++p)
      if (p + v.size() <= size && (v.data() == text + p || std::memcmp(text + p, v.data(), v.size()) == 0))
        return text + p;
    if (v.size() > kCharBlock / 4) {
      big_chars_.push_back(std::make_unique<char[]>(v.size()));
      std::memcpy(big_chars_.back().get(), v.data(), v.size());
      return big_chars_.back().get();
    }
    if (char_blocks_.empty() || char_used_ + v.size() > kCharBlock) {
      char_blocks_.push_back(std::make_unique<char[]>(kCharBlock));
      char_used_ = 0;
    }
    char* out = char_blocks_.back().get() + char_used_;
    std::memcpy(out, v.data(), v.size());
    char_used_ += v.size();
    return out;
  }

  /// The nodes of a part of a text, parsed from a copy of that part, placed in the whole text:
  /// their positions move by `delta` bytes, and the nodes marked at the part's end (the mark
  /// yaml-cpp gives a missing value is the next token's) get the mark of the whole's next token.
  void place(std::size_t delta, const yaml::Mark& end, const yaml::Mark& next) {
    for (std::size_t b = 0; b < node_blocks_.size(); ++b) {
      NodeData* last = b + 1 == node_blocks_.size() ? node_next_ : node_blocks_[b] + kNodeBlock;
      for (NodeData* n = node_blocks_[b]; n != last; ++n) {
        if (n->mark.pos >= 0) n->mark.pos += static_cast<int>(delta);
        if (n->alias >= 0) n->alias += static_cast<std::int32_t>(delta);
        if (n->type == NodeType::scalar) n->scan.pos += static_cast<std::uint32_t>(delta);
        if (n->mark.pos == end.pos && n->mark.line == end.line && n->mark.column == end.column) n->mark = next;
      }
    }
  }

  const std::string* intern_tag(std::string tag) {
    if (tag == kPlainTag) return &kPlainTag;
    if (tag == kNonPlainTag) return &kNonPlainTag;
    return &*tags_.insert(std::move(tag)).first;
  }

  const char* text = nullptr; ///< the input, followed by kPadding NUL bytes
  std::size_t size;           ///< of the input
  /// The storages of the parts of the text parsed apart (parse_parts), whose nodes are in the tree.
  std::vector<std::shared_ptr<const Storage>> parts;

private:
  static constexpr std::size_t kNodeBlock = 512;
  static constexpr std::size_t kItemBlock = 4096;
  static constexpr std::size_t kCharBlock = 65536;
  std::vector<NodeData*> node_blocks_;
  NodeData* node_next_ = nullptr;
  NodeData* node_end_ = nullptr;
  std::vector<std::unique_ptr<const NodeData*[]>> item_blocks_;
  std::vector<std::unique_ptr<const NodeData*[]>> big_items_;
  std::size_t item_used_ = 0;
  std::vector<std::unique_ptr<char[]>> char_blocks_;
  std::vector<std::unique_ptr<char[]>> big_chars_;
  std::size_t char_used_ = 0;
  std::unordered_set<std::string> tags_; // elements keep their address when the set grows
  std::string own_;                      ///< the copy of the input, unless it is borrowed
};

/// What parsing one document gave.
struct Parsed {
  const NodeData* root = nullptr; ///< null for an empty document
  /// Keys written twice in a map: (the second, the first), in the order the maps closed.
  std::vector<std::pair<const NodeData*, const NodeData*>> duplicates;
  std::size_t depth = 0;       ///< the most collections that were open around a node
  bool at_end = true;          ///< the document ran to the end of the input (no other follows)
  bool tag_directives = false; ///< a %TAG directive named tag handles for the document
};

/// Parses the first document of `st`'s text from byte `start`, which is column 0 of line `line`,
/// into `st`; throws Failure at the first error.
Parsed parse_document(Storage& st, std::size_t start, int line, Dialect dialect);

} // namespace nsmon::yaml::detail
