#include "nsmon/core/yaml_split.hpp"

#include <algorithm>

#include "nsmon/core/yaml_scanner.hpp"
#include "nsmon/core/yaml_storage.hpp"
#include "nsmon/util/parallel.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::yaml::detail {

namespace {

constexpr unsigned kMaxParts = 8;
constexpr std::size_t kWindow = 64 << 10; // how far past the ideal cut an entry is looked for

// A line "- ..." (an entry of a block sequence), with the column of its "-".
struct Entry {
  std::size_t begin = 0;
  std::size_t column = SIZE_MAX;
};

// The leftmost entry of the lines that begin in [from, to), the first of equals; from is a line
// start.
Entry leftmost_entry(std::string_view text, std::size_t from, std::size_t to) {
  Entry best;
  for (std::size_t at = from; at < to && at < text.size();) {
    std::size_t eol = text.find('\n', at);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(at, eol - at);
    std::size_t i = line.find_first_not_of(' ');
    if (i != std::string_view::npos && i < best.column && line[i] == '-' &&
        (i + 1 == line.size() || line[i + 1] == ' ' || line[i + 1] == '\t' || line[i + 1] == '\r'))
      best = {at, i};
    at = eol + 1;
  }
  return best;
}

} // namespace

SplitPlan plan_split(std::string_view text, unsigned parts) {
  SplitPlan plan;
  parts = std::min(parts, kMaxParts);
  if (parts < 2) return plan;
  std::vector<std::size_t> cuts;
  for (unsigned i = 1; i < parts; ++i) {
    std::size_t target = text.size() / parts * i;
    std::size_t nl = text.find('\n', target);
    if (nl == std::string_view::npos) break;
    Entry e = leftmost_entry(text, nl + 1, nl + 1 + kWindow);
    if (e.column == SIZE_MAX) return {};
    if (plan.column >= 0 && e.column != static_cast<std::size_t>(plan.column)) return {}; // not one sequence
    plan.column = static_cast<int>(e.column);
    if (cuts.empty() || e.begin > cuts.back()) cuts.push_back(e.begin);
  }
  if (cuts.empty()) return {};
  // The line of each cut.
  plan.parts = {Part{0, 0}};
  int line = 0;
  std::size_t pos = 0;
  for (std::size_t cut : cuts) {
    line += static_cast<int>(util::count_byte(text.substr(pos, cut - pos), '\n'));
    pos = cut;
    plan.parts.push_back(Part{cut, line});
  }
  return plan;
}

namespace {

// What one part of the text parsed into.
struct PartTree {
  std::shared_ptr<Storage> storage; ///< a copy of the part; the last part is read in place
  const NodeData* root = nullptr;   ///< null when the part did not parse
  std::vector<std::pair<const NodeData*, const NodeData*>> duplicates;
  std::size_t depth = 0;
};

// Parses part `j` of `plan`: the parts before the last from a copy (followed by NUL bytes, as
// the scanner needs), the last in place in `whole`, all with the lines of the whole text.
PartTree parse_part(Storage& whole, const SplitPlan& plan, std::size_t j, Dialect dialect) {
  PartTree out;
  const std::size_t begin = plan.parts[j].begin;
  const bool last = j + 1 == plan.parts.size();
  const std::size_t end = last ? whole.size : plan.parts[j + 1].begin;
  const std::string_view part(whole.text + begin, end - begin);
  try {
    if (!last) out.storage = std::make_shared<Storage>(part);
    Storage& st = last ? whole : *out.storage;
    check_text(part);
    std::size_t start = (last ? begin : 0) + (begin == 0 && part.substr(0, 3) == kByteOrderMark ? 3 : 0);
    Parsed parsed = parse_document(st, start, plan.parts[j].line, dialect);
    // Another document after it, or tag handles of its own: the parts read apart would differ.
    if (parsed.at_end && !parsed.tag_directives) out.root = parsed.root;
    out.duplicates = std::move(parsed.duplicates);
    out.depth = parsed.depth;
    if (!last) { // the next part begins with the sequence's "-" at the plan's column
      const int next = plan.parts[j + 1].line;
      st.place(begin, {static_cast<int>(end), next, 0}, {static_cast<int>(end) + plan.column, next, plan.column});
    }
  } catch (...) { // a syntax error, or no memory: the whole text is parsed at once instead
    out.root = nullptr;
  }
  return out;
}

} // namespace

// The text cut as plan_split guesses, its parts parsed on several threads and joined into the
// tree that parsing it whole gives; nothing when a part does not parse, or the parts do not join
// as one sequence (the guess was wrong: a cut inside a quoted scalar, an alias to an anchor of an
// earlier part, a part less indented than the sequence), or joined they would nest too deep.
std::optional<Joined> parse_parts(std::string_view text, Dialect dialect, bool borrow, unsigned parts) {
  const SplitPlan plan = plan_split(text, parts);
  const std::size_t n = plan.parts.size();
  if (n < 2) return std::nullopt;
  auto whole = borrow ? std::make_shared<Storage>(text, Storage::Borrow{}) : std::make_shared<Storage>(text);
  std::vector<PartTree> read(n);
  util::parallel_steps(n, 1, [&](std::size_t b, std::size_t e, std::size_t) {
    for (std::size_t j = b; j < e; ++j) read[j] = parse_part(*whole, plan, j, dialect);
  });
  for (const auto& r : read)
    if (!r.root) return std::nullopt;
  // The join follows each map's last entry, which must be its last key in the text: a merge key
  // (`<<:`) puts the keys it brings after the map's own, a key written twice keeps its first
  // place, and the next part's entries would join the wrong sequence (both found by fuzz_yaml).
  // Such a first part is rare in a large rule file: the whole text is parsed at once.
  if (!read[0].duplicates.empty() || text.substr(0, plan.parts[1].begin).find("<<") != std::string_view::npos)
    return std::nullopt;
  // The sequence the first part ends in: the last block sequence at the cuts' column on the path
  // of last entries from its root (a block sequence's mark is its first "-"). The collections
  // before it on the path are still open where the next part begins.
  std::vector<const NodeData*> open = {read[0].root};
  std::size_t at = 0;
  for (const NodeData* d = open.back(); (d->type == NodeType::map || d->type == NodeType::sequence) && d->count > 0;) {
    d = d->type == NodeType::map ? d->items[2 * d->count - 1] : d->items[d->count - 1];
    open.push_back(d);
  }
  for (std::size_t k = 0; k < open.size(); ++k)
    if (open[k]->type == NodeType::sequence && open[k]->mark.column == plan.column &&
        whole->text[static_cast<std::size_t>(open[k]->mark.pos)] == '-')
      at = k + 1;
  if (at == 0) return std::nullopt;
  open.resize(at);
  // The node is this storage's own: it gets the entries of the other parts.
  auto* seq = const_cast<NodeData*>(open.back());
  open.pop_back();
  std::vector<const NodeData*> items(seq->items, seq->items + seq->count);
  for (std::size_t j = 1; j < n; ++j) {
    const NodeData* r = read[j].root;
    if (r->type != NodeType::sequence || r->mark.pos != static_cast<int>(plan.parts[j].begin + plan.column) ||
        read[j].depth + open.size() >= static_cast<std::size_t>(kMaxDepth))
      return std::nullopt;
    items.insert(items.end(), r->items, r->items + r->count);
  }
  seq->items = whole->store_items(items.data(), items.size());
  seq->count = static_cast<std::uint32_t>(items.size());
  // Keys written twice in the maps around the sequence: those maps end with the whole text.
  auto around = [&](const NodeData* key) {
    for (const NodeData* m : open)
      if (m->type == NodeType::map)
        for (std::uint32_t i = 0; i < m->count; ++i)
          if (m->items[2 * i] == key) return true;
    return false;
  };
  Joined out;
  std::vector<std::pair<const NodeData*, const NodeData*>> last;
  for (const auto& d : read[0].duplicates) (around(d.first) ? last : out.duplicates).push_back(d);
  for (std::size_t j = 1; j < n; ++j)
    out.duplicates.insert(out.duplicates.end(), read[j].duplicates.begin(), read[j].duplicates.end());
  out.duplicates.insert(out.duplicates.end(), last.begin(), last.end());
  for (std::size_t j = 0; j + 1 < n; ++j) whole->parts.push_back(std::move(read[j].storage));
  out.storage = std::move(whole);
  out.root = read[0].root;
  return out;
}

} // namespace nsmon::yaml::detail
