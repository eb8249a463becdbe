#pragma once
// Internal to the YAML parser: where a large document may be cut into parts that parse apart
// (on several threads), and the parts joined into the tree of the whole (parse_text uses it).
#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::yaml::detail {

/// A part of the text: from `begin` (the start of line `line`, 0-based) to the next part's begin.
struct Part {
  std::size_t begin = 0;
  int line = 0;
};

/// The parts of a document that ends in one long block sequence, cut before its entries.
struct SplitPlan {
  int column = -1;         ///< the column of the sequence's "-" indicators
  std::vector<Part> parts; ///< the first begins at 0; empty when the text is not cut
};

/// Cuts a text into up to `parts` parts of about the same size: each cut is before the leftmost
/// line "- ..." in the 64 KiB after where it should be, all at the same column (the entries of
/// the block sequence a document ends in: a rule file's groups, or one group's rules). Only a
/// guess from a few lines, without scanning: the parser checks that each part parses alone,
/// that the parts join as one sequence, and that the first part's document is the only one and
/// has no %TAG directive; otherwise it parses the whole text at once.
SplitPlan plan_split(std::string_view text, unsigned parts);

class Storage;

/// A text parsed in parts and joined: the tree, its storage (which keeps the parts'), and the
/// keys written twice in the order parsing the whole text gives.
struct Joined {
  std::shared_ptr<Storage> storage;
  const NodeData* root = nullptr;
  std::vector<std::pair<const NodeData*, const NodeData*>> duplicates;
};

/// The text cut as plan_split guesses, its parts parsed on several threads and joined into the
/// tree that parsing it whole gives (parse_text); nothing when the guess was wrong.
std::optional<Joined> parse_parts(std::string_view text, Dialect dialect, bool borrow, unsigned parts);

} // namespace nsmon::yaml::detail
