// The YAML parser: yaml-cpp 0.7's SingleDocParser and NodeBuilder, with an explicit stack instead
// of recursion (deep nesting in hostile input cannot overflow the C++ stack), building the tree
// straight into an arena.
#include "nsmon/core/yaml_tree.hpp"

#include <algorithm>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

#include "nsmon/core/yaml_scanner.hpp"
#include "nsmon/core/yaml_split.hpp"
#include "nsmon/core/yaml_storage.hpp"
#include "nsmon/util/parallel.hpp"

namespace nsmon::yaml {

namespace detail {

const std::string& empty_string() {
  static const std::string s;
  return s;
}

namespace {

class Parser {
public:
  Parser(Storage& storage, Scanner& scanner, Dialect dialect) : st_(storage), sc_(scanner), dialect_(dialect) {}

  /// Directives, then the first document (Parser::HandleNextDocument and HandleDocument).
  const NodeData* parse() {
    directives();
    if (sc_.empty()) return nullptr; // no document at all: an empty file
    if (sc_.peek().type == TokenType::doc_start) sc_.pop();
    handle_node();
    while (!frames_.empty()) step();
    bool ended = false;
    while (!sc_.empty() && sc_.peek().type == TokenType::doc_end) {
      sc_.pop();
      ended = true;
    }
    // yaml-cpp stops reading here whatever follows; after the top-level node only "---" (or,
    // after "...", a next document) may come, else something is misplaced.
    if (!ended && !sc_.empty() && sc_.peek().type != TokenType::doc_start)
      fail(sc_.peek().mark, "unexpected content after the end of the document (wrong indentation?)");
    return root_;
  }

private:
  enum class Kind : std::uint8_t { block_seq, flow_seq, block_map, flow_map, compact_map, compact_map_no_key };
  struct Frame {
    Kind kind;
    int state = 0;
    yaml::Mark mark; ///< the mark yaml-cpp gives a missing key or value
    NodeData* node;
    std::size_t first_child;
  };

  void directives() {
    bool read = false;
    while (!sc_.empty() && sc_.peek().type == TokenType::directive) {
      // Directives apply to the document that follows them.
      if (!read) {
        tag_handles_.clear();
        version_seen_ = false;
      }
      read = true;
      const Token& t = sc_.peek();
      if (t.value == "YAML") {
        if (version_seen_) fail(t.mark, "repeated YAML directive");
        // As Go's yaml reads it: digits '.' digits (a comment may follow at once), and only 1.1.
        const std::string v = t.params.empty() ? std::string() : t.params[0];
        std::size_t i = 0;
        int major = 0, minor = 0;
        bool ok = !v.empty() && v[0] >= '0' && v[0] <= '9' && read_int(v, i, major) && i < v.size() && v[i] == '.';
        ++i;
        ok = ok && i < v.size() && v[i] >= '0' && v[i] <= '9' && read_int(v, i, minor) &&
             (i == v.size() || v[i] == '#') && (t.params.size() == 1 || t.params[1][0] == '#');
        if (!ok) fail(t.mark, "bad YAML version: " + v);
        if (major != 1 || minor != 1)
          fail(t.mark, "YAML version " + v + " is not supported (Go's yaml reads %YAML 1.1 only)");
        version_seen_ = true;
      } else if (t.value == "TAG") {
        if (t.params.size() != 2) fail(t.mark, "TAG directives must have exactly two arguments");
        if (!tag_handles_.emplace(t.params[0], t.params[1]).second) fail(t.mark, "repeated TAG directive");
      } else {
        fail(t.mark, "unknown directive %" + t.value + " (only %YAML and %TAG exist)");
      }
      sc_.pop();
    }
  }

  std::string translate_handle(const std::string& handle) const {
    auto it = tag_handles_.find(handle);
    if (it != tag_handles_.end()) return it->second;
    return handle == "!!" ? "tag:yaml.org,2002:" : handle;
  }

  std::string translate_tag(const Token& t) const {
    switch (t.tag_kind) {
    case TagKind::verbatim: return t.value;
    case TagKind::primary_handle: return translate_handle("!") + t.value;
    case TagKind::secondary_handle: return translate_handle("!!") + t.value;
    case TagKind::named_handle: return translate_handle("!" + t.value + "!") + t.params[0];
    case TagKind::non_specific: return "!";
    }
    return "!";
  }

  // --- nodes (NodeBuilder) ---

  NodeData* new_node(NodeType type, const yaml::Mark& mark, const std::string& anchor) {
    NodeData* n = st_.new_node();
    n->type = type;
    n->mark = mark;
    if (!anchor.empty()) anchors_[anchor] = n;
    return n;
  }

  void add(const NodeData* n) {
    if (frames_.empty()) root_ = n;
    else children_.push_back(n);
  }

  void add_null(const yaml::Mark& mark, const std::string& anchor = {}) { add(new_node(NodeType::null, mark, anchor)); }

  void open(Kind kind, NodeType type, const yaml::Mark& mark, const std::string* tag, const std::string& anchor) {
    NodeData* n = new_node(type, mark, anchor);
    n->tag = tag;
    n->open = true;
    frames_.push_back({kind, 0, {}, n, children_.size()});
  }

  static bool is_merge_key(const NodeData* k) {
    return k->type == NodeType::scalar && k->style == ScalarStyle::plain && k->value() == "<<" &&
           (!k->tag || k->tag == &kPlainTag || *k->tag == "tag:yaml.org,2002:merge");
  }

  // Merge keys, as Go's yaml.v3 resolves them: `<<: *a` or `<<: [*a, *b]` adds the entries of
  // those maps that the map does not have itself (explicit keys win; earlier maps in the list win
  // over later ones). The merged entries are the anchored nodes, so their positions are the
  // anchor's text.
  //
  // Before that, the checks yaml.v3's decoder makes on the map as written (merged entries
  // excluded): a key that is a map or a list is refused (no Go map key or struct field can be
  // one), and a scalar key written twice is recorded in duplicates_ (the reader reports each).
  void resolve_merges(std::size_t first) {
    check_keys(first);
    bool any = false; // most maps have no merge key: nothing to build
    for (std::size_t i = first; i + 1 < children_.size() && !any; i += 2) any = is_merge_key(children_[i]);
    if (!any) return;
    std::vector<const NodeData*> merges;
    std::vector<const NodeData*> own;
    for (std::size_t i = first; i + 1 < children_.size(); i += 2) {
      if (is_merge_key(children_[i])) {
        const NodeData* v = children_[i + 1];
        if (v->type == NodeType::map) merges.push_back(v);
        else if (v->type == NodeType::sequence) {
          for (std::uint32_t j = 0; j < v->count; ++j) {
            if (v->items[j]->type != NodeType::map)
              fail(children_[i]->mark, "map merge requires map or sequence of maps as the value");
            merges.push_back(v->items[j]);
          }
        } else fail(children_[i]->mark, "map merge requires map or sequence of maps as the value");
        continue;
      }
      own.push_back(children_[i]);
      own.push_back(children_[i + 1]);
    }
    if (merges.empty()) return;
    if (dialect_ == Dialect::v2) return resolve_merges_v2(first);
    auto has = [&](const NodeData* key) {
      for (std::size_t i = 0; i < own.size(); i += 2)
        if (own[i]->type == NodeType::scalar && key->type == NodeType::scalar && own[i]->value() == key->value())
          return true;
      return false;
    };
    for (const NodeData* m : merges)
      for (std::uint32_t j = 0; j < m->count; ++j)
        if (!has(m->items[2 * j])) {
          own.push_back(m->items[2 * j]);
          own.push_back(m->items[2 * j + 1]);
        }
    children_.resize(first);
    children_.insert(children_.end(), own.begin(), own.end());
  }

  // Merge keys as yaml.v2 resolves them (prometheus.yml, alertmanager.yml): entries in the order
  // written, each `<<` writing its maps' entries where it stands (in `<<: [*a, *b]` the later map
  // first, so that the earlier wins), and an entry overwriting an earlier one with the same key —
  // so a key written before the `<<` loses to the merged one. The values are checked already.
  void resolve_merges_v2(std::size_t first) {
    std::vector<const NodeData*> out;
    auto set = [&](const NodeData* k, const NodeData* v) {
      for (std::size_t i = 0; i < out.size(); i += 2)
        if (out[i]->type == NodeType::scalar && k->type == NodeType::scalar && out[i]->value() == k->value()) {
          out[i] = k;
          out[i + 1] = v;
          return;
        }
      out.push_back(k);
      out.push_back(v);
    };
    auto merge = [&](const NodeData* m) {
      for (std::uint32_t j = 0; j < m->count; ++j) set(m->items[2 * j], m->items[2 * j + 1]);
    };
    for (std::size_t i = first; i + 1 < children_.size(); i += 2) {
      const NodeData* v = children_[i + 1];
      if (!is_merge_key(children_[i])) set(children_[i], v);
      else if (v->type == NodeType::map) merge(v);
      else
        for (std::uint32_t j = v->count; j-- > 0;) merge(v->items[j]);
    }
    children_.resize(first);
    children_.insert(children_.end(), out.begin(), out.end());
  }

  void check_keys(std::size_t first) {
    std::size_t n = (children_.size() - first) / 2;
    auto same = [](const NodeData* a, const NodeData* b) {
      return a->type == b->type && (a->type == NodeType::null || a->value() == b->value());
    };
    auto check_type = [](const NodeData* k) {
      if (k->type == NodeType::map || k->type == NodeType::sequence)
        fail(k->mark, std::string("a ") + (k->type == NodeType::map ? "map" : "list") + " cannot be a key");
    };
    if (n <= 16) {
      for (std::size_t i = 0; i < n; ++i) {
        const NodeData* k = children_[first + 2 * i];
        check_type(k);
        for (std::size_t j = 0; j < i; ++j)
          if (same(children_[first + 2 * j], k)) {
            duplicates_.push_back({k, children_[first + 2 * j]});
            break;
          }
      }
      return;
    }
    // Large maps: a hash of the keys seen, so that hostile input stays linear.
    std::unordered_map<std::string_view, const NodeData*> seen;
    const NodeData* null_key = nullptr;
    for (std::size_t i = 0; i < n; ++i) {
      const NodeData* k = children_[first + 2 * i];
      check_type(k);
      if (k->type == NodeType::null) {
        if (null_key) duplicates_.push_back({k, null_key});
        else null_key = k;
        continue;
      }
      auto [it, added] = seen.emplace(k->value(), k);
      if (!added) duplicates_.push_back({k, it->second});
    }
  }

  void close() {
    Frame f = frames_.back();
    frames_.pop_back();
    if (f.node->type == NodeType::map) resolve_merges(f.first_child);
    std::size_t n = children_.size() - f.first_child;
    f.node->items = st_.store_items(children_.data() + f.first_child, n);
    f.node->count = static_cast<std::uint32_t>(f.node->type == NodeType::map ? n / 2 : n);
    f.node->open = false;
    children_.resize(f.first_child);
    add(f.node);
  }

  // --- SingleDocParser::HandleNode: adds a leaf, or opens a collection for step() ---

  void handle_node() {
    depth_ = std::max(depth_, frames_.size());
    if (frames_.size() >= static_cast<std::size_t>(kMaxDepth))
      fail(sc_.mark(), "nesting is too deep (more than " + std::to_string(kMaxDepth) + " levels)");
    if (sc_.empty()) return add_null(sc_.mark());

    yaml::Mark mark = sc_.peek().mark;
    // ": v" with no key where a node should start ("[: v]"): Go's yaml refuses it.
    if (sc_.peek().type == TokenType::value) fail(mark, "did not find expected node content");
    if (sc_.peek().type == TokenType::alias) {
      const std::string& name = sc_.peek().value;
      auto it = anchors_.find(name);
      if (it == anchors_.end()) fail(mark, "the referenced anchor is not defined");
      // yaml-cpp would build a cycle; a tree that contains itself is no configuration.
      if (it->second->open) fail(mark, "alias *" + name + " refers to a node that contains it");
      sc_.pop();
      // A copy that knows where it is used; the anchored node's items and bytes are shared, so
      // many aliases of a large node stay cheap.
      NodeData* n = st_.new_node();
      *n = *it->second;
      n->alias = mark.pos;
      return add(n);
    }

    std::string explicit_tag, anchor;
    properties(explicit_tag, anchor);
    if (sc_.empty()) return add_null(mark, anchor);

    Token& t = sc_.peek();
    // Untagged nodes get yaml-cpp's non-specific tags: "!" for quoted and block scalars, else "?".
    const std::string* tag = !explicit_tag.empty()                   ? st_.intern_tag(std::move(explicit_tag))
                             : t.type == TokenType::non_plain_scalar ? &kNonPlainTag
                                                                     : &kPlainTag;
    if (t.type == TokenType::plain_scalar && tag == &kPlainTag && is_null_string(t.scalar())) {
      add_null(mark, anchor);
      sc_.pop();
      return;
    }
    switch (t.type) {
    case TokenType::plain_scalar:
    case TokenType::non_plain_scalar: {
      NodeData* n = new_node(NodeType::scalar, mark, anchor);
      n->tag = tag;
      // Go's yaml decodes a !!binary scalar's base64 (what a loader sees is the bytes).
      if (*tag == "tag:yaml.org,2002:binary") {
        t.value = std::string(t.scalar());
        t.verbatim = {};
        if (!decode_base64(t.value)) fail(mark, "!!binary value contains invalid base64 data");
      }
      const std::string_view value = t.scalar();
      n->chars = st_.store_value(value, t.scan.pos);
      n->count = static_cast<std::uint32_t>(value.size());
      n->style = t.style;
      n->scan = t.scan;
      sc_.pop();
      return add(n);
    }
    case TokenType::flow_seq_start:
    case TokenType::block_seq_start:
      open(t.type == TokenType::flow_seq_start ? Kind::flow_seq : Kind::block_seq, NodeType::sequence, mark, tag,
           anchor);
      sc_.pop();
      return;
    case TokenType::flow_map_start:
    case TokenType::block_map_start:
      open(t.type == TokenType::flow_map_start ? Kind::flow_map : Kind::block_map, NodeType::map, mark, tag, anchor);
      sc_.pop();
      return;
    case TokenType::key:
      // A single "key: value" pair in a flow sequence is a map of one entry.
      if (!frames_.empty() && frames_.back().kind == Kind::flow_seq) {
        open(Kind::compact_map, NodeType::map, mark, tag, anchor);
        frames_.back().mark = t.mark;
        sc_.pop();
        return; // step() reads the key and the value
      }
      break;
    default: break;
    }
    if (tag == &kPlainTag) return add_null(mark, anchor);
    NodeData* n = new_node(NodeType::scalar, mark, anchor);
    n->tag = tag;
    add(n);
  }

  void properties(std::string& tag, std::string& anchor) {
    while (!sc_.empty()) {
      const Token& t = sc_.peek();
      if (t.type == TokenType::tag) {
        if (!tag.empty()) fail(t.mark, "cannot assign multiple tags to the same node");
        tag = translate_tag(t);
      } else if (t.type == TokenType::anchor) {
        if (!anchor.empty()) fail(t.mark, "cannot assign multiple anchors to the same node");
        anchor = t.value;
      } else {
        return;
      }
      sc_.pop();
    }
  }

  // --- the collection loops of SingleDocParser, one step at a time ---

  void step() {
    Frame& f = frames_.back();
    switch (f.kind) {
    case Kind::block_seq: return step_block_seq();
    case Kind::flow_seq: return step_flow_seq(f);
    case Kind::block_map: return step_block_map(f);
    case Kind::flow_map: return step_flow_map(f);
    case Kind::compact_map:
      if (f.state == 0) {
        f.state = 1;
        return handle_node(); // the key
      }
      if (f.state == 1) return map_value(f);
      return close();
    case Kind::compact_map_no_key:
      if (f.state == 0) {
        f.state = 1;
        return handle_node(); // the value
      }
      return close();
    }
  }

  void step_block_seq() {
    if (sc_.empty()) fail(sc_.mark(), "end of sequence not found");
    const Token& t = sc_.peek();
    if (t.type != TokenType::block_entry && t.type != TokenType::block_seq_end)
      fail(t.mark, "end of sequence not found");
    bool end = t.type == TokenType::block_seq_end;
    sc_.pop();
    if (end) return close();
    if (!sc_.empty()) {
      const Token& next = sc_.peek();
      if (next.type == TokenType::block_entry || next.type == TokenType::block_seq_end) return add_null(next.mark);
    }
    handle_node();
  }

  void step_flow_seq(Frame& f) {
    if (sc_.empty()) fail(sc_.mark(), "end of sequence flow not found");
    if (f.state == 0) {
      if (sc_.peek().type == TokenType::flow_seq_end) {
        sc_.pop();
        return close();
      }
      // "[a, , b]" or "[, a]": an entry with nothing in it (Go's yaml refuses it).
      if (sc_.peek().type == TokenType::flow_entry) fail(sc_.peek().mark, "did not find expected node content");
      f.state = 1;
      return handle_node();
    }
    const Token& t = sc_.peek();
    if (t.type == TokenType::flow_entry) sc_.pop();
    else if (t.type != TokenType::flow_seq_end) fail(t.mark, "end of sequence flow not found");
    f.state = 0;
  }

  void step_block_map(Frame& f) {
    if (f.state == 0) {
      if (sc_.empty()) fail(sc_.mark(), "end of map not found");
      const Token& t = sc_.peek();
      if (t.type != TokenType::key && t.type != TokenType::value && t.type != TokenType::block_map_end)
        fail(t.mark, "end of map not found");
      if (t.type == TokenType::block_map_end) {
        sc_.pop();
        return close();
      }
      // A value with no key (": v" at the key's indentation): Go's yaml refuses it.
      if (t.type != TokenType::key) fail(t.mark, "did not find expected key");
      f.mark = t.mark;
      f.state = 1;
      sc_.pop();
      return handle_node();
    }
    f.state = 0;
    if (!sc_.empty() && sc_.peek().type == TokenType::value) {
      sc_.pop();
      return handle_node();
    }
    add_null(f.mark);
  }

  // After a key: its value when a ':' follows, else null.
  void map_value(Frame& f) {
    f.state = 2;
    if (!sc_.empty() && sc_.peek().type == TokenType::value) {
      sc_.pop();
      return handle_node();
    }
    add_null(f.mark);
  }

  void step_flow_map(Frame& f) {
    if (f.state == 0) {
      if (sc_.empty()) fail(sc_.mark(), "end of map flow not found");
      const Token& t = sc_.peek();
      f.mark = t.mark;
      if (t.type == TokenType::flow_map_end) {
        sc_.pop();
        return close();
      }
      if (t.type == TokenType::flow_entry || t.type == TokenType::value)
        fail(t.mark, "did not find expected node content");
      f.state = 1;
      if (t.type == TokenType::key) {
        sc_.pop();
        return handle_node();
      }
      return add_null(f.mark);
    }
    if (f.state == 1) return map_value(f);
    if (sc_.empty()) fail(sc_.mark(), "end of map flow not found");
    const Token& t = sc_.peek();
    if (t.type == TokenType::flow_entry) sc_.pop();
    else if (t.type != TokenType::flow_map_end) fail(t.mark, "end of map flow not found");
    f.state = 0;
  }

  Storage& st_;
  Scanner& sc_;
  std::vector<Frame> frames_;
  std::vector<const NodeData*> children_; ///< children of the open collections, innermost last
  const NodeData* root_ = nullptr;
  std::unordered_map<std::string, NodeData*> anchors_;
  std::map<std::string, std::string> tag_handles_;
  bool version_seen_ = false;
  Dialect dialect_;

public:
  /// Keys written twice in a map: (the second, the first), in the order the maps closed.
  std::vector<std::pair<const NodeData*, const NodeData*>> duplicates_;
  /// The most collections that were open around a node.
  std::size_t depth_ = 0;
  /// After parse(): whether the document ran to the end of the input (no other document follows).
  bool at_end() { return sc_.empty(); }
  /// Whether a %TAG directive named tag handles for the document.
  bool tag_directives() const { return !tag_handles_.empty(); }
};

} // namespace

Parsed parse_document(Storage& st, std::size_t start, int line, Dialect dialect) {
  Scanner scanner(st.text, st.size, start, line);
  Parser parser(st, scanner, dialect);
  Parsed out;
  out.root = parser.parse();
  out.duplicates = std::move(parser.duplicates_);
  out.depth = parser.depth_;
  out.at_end = parser.at_end();
  out.tag_directives = parser.tag_directives();
  return out;
}
} // namespace detail

static_assert(sizeof(void*) != 8 || sizeof(detail::NodeData) == 56, "a node is 56 bytes (a rule has ~20)");

bool Node::is(const Node& other) const {
  const detail::NodeData *a = data_, *b = other.data_;
  if (a == b) return true;
  // An alias is a copy of its anchored node: the same place, items and bytes.
  if (!a || !b || (a->alias < 0 && b->alias < 0) || a->type != b->type || a->mark.pos != b->mark.pos ||
      a->count != b->count)
    return false;
  if (a->type == NodeType::scalar) return a->chars == b->chars;
  return a->type == NodeType::null || a->items == b->items;
}

Node Node::operator[](std::string_view key) const {
  if (!is_map()) return {};
  for (std::uint32_t i = 0; i < data_->count; ++i) {
    const detail::NodeData* k = data_->items[2 * i];
    if (k->type == NodeType::scalar && k->value() == key) return Node(data_->items[2 * i + 1]);
  }
  return {};
}

Node Node::at(std::size_t i) const {
  if (!is_sequence() || i >= data_->count) return {};
  return Node(data_->items[i]);
}

Node::const_iterator Node::begin() const {
  if (is_map()) return const_iterator(data_->items, data_->items + 2 * std::size_t{data_->count}, 2);
  if (is_sequence()) return const_iterator(data_->items, data_->items + data_->count, 1);
  return {};
}

Node::const_iterator Node::end() const {
  if (is_map()) {
    auto e = data_->items + 2 * std::size_t{data_->count};
    return const_iterator(e, e, 2);
  }
  if (is_sequence()) {
    auto e = data_->items + data_->count;
    return const_iterator(e, e, 1);
  }
  return {};
}

std::vector<std::size_t> Document::value_offsets(const Node& n) const {
  std::vector<std::size_t> out;
  if (!storage_ || !n.is_scalar() || n.scalar().empty()) return out;
  const detail::NodeData& d = *n.data_;
  if (d.scan.pos > storage_->size) return out;
  detail::Stream in(storage_->text, storage_->size, d.scan.pos, 0, d.scan.column);
  detail::ScalarParams params = detail::params_for(d.style, d.scan);
  out.reserve(d.count);
  std::string value;
  try {
    detail::scan_scalar(in, params, value, &out);
  } catch (const detail::Failure&) {
    // Not a node of this document: the scan cannot fail on text that parsed.
  }
  // The same scan gives the same value; keep the contract (one offset per byte) regardless.
  out.resize(d.count, out.empty() ? d.scan.pos : out.back());
  return out;
}

namespace detail {
Document parse_text(std::string_view text, Dialect dialect, bool borrow, unsigned parts) {
  Document doc;
  if (text.size() >= static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    doc.error_ = Error{0, 0, 0, "the file is too large (2 GiB or more)"};
    return doc;
  }
  if (parts > 1)
    if (auto joined = parse_parts(text, dialect, borrow, parts)) {
      doc.root_ = Node(joined->root);
      for (const auto& [dup, first] : joined->duplicates) doc.duplicates_.push_back({Node(dup), Node(first)});
      doc.storage_ = std::move(joined->storage);
      return doc;
    }
  auto storage = borrow ? std::make_shared<Storage>(text, Storage::Borrow{}) : std::make_shared<Storage>(text);
  try {
    check_text(text);
    // A UTF-8 byte order mark is not content: columns of the first line count from after it (as
    // Go's yaml does); byte offsets stay offsets into the text.
    Parsed parsed = parse_document(*storage, text.substr(0, 3) == kByteOrderMark ? 3 : 0, 0, dialect);
    const NodeData* root = parsed.root;
    if (!root) {
      // An empty document is a null node without a position, as yaml-cpp's Node().
      static const NodeData empty_root;
      root = &empty_root;
    }
    doc.root_ = Node(root);
    for (const auto& [dup, first] : parsed.duplicates) doc.duplicates_.push_back({Node(dup), Node(first)});
  } catch (const Failure& f) {
    doc.error_ = Error{std::max(f.mark.line, 0), std::max(f.mark.column, 0),
                       static_cast<std::size_t>(std::max(f.mark.pos, 0)), f.message};
  }
  doc.storage_ = std::move(storage);
  return doc;
}
} // namespace detail

Document parse(std::string_view text, Dialect dialect) { return detail::parse_text(text, dialect, false, 1); }

Document parse_in_place(std::string_view text, Dialect dialect) {
  static_assert(kInputPadding == detail::kPadding);
  constexpr std::size_t kPartBytes = 256 << 10; // less is parsed at once sooner than cut
  return detail::parse_text(
      text, dialect, true,
      text.size() >= 2 * kPartBytes
          ? std::min<unsigned>(util::hardware_threads(), static_cast<unsigned>(text.size() / kPartBytes))
          : 1);
}

} // namespace nsmon::yaml
