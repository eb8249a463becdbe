#pragma once
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nsmon::lint {

/// A set of label names, sorted, in one vector: what std::set<std::string> gave Shape (count,
/// insert, erase, sorted iteration) without a node per name. A result has a handful of labels.
class LabelSet {
public:
  using const_iterator = std::vector<std::string>::const_iterator;
  using value_type = std::string;
  LabelSet() = default;
  template <class It> LabelSet(It first, It last) { insert(first, last); }
  const_iterator begin() const { return names_.begin(); }
  const_iterator end() const { return names_.end(); }
  std::size_t size() const { return names_.size(); }
  bool empty() const { return names_.empty(); }
  void clear() { names_.clear(); }
  std::size_t count(std::string_view name) const {
    auto it = lower(name);
    return it != names_.end() && *it == name ? 1 : 0;
  }
  void insert(std::string_view name) {
    auto it = lower(name);
    if (it != names_.end() && *it == name) return;
    if (names_.capacity() == 0) { // one allocation for most sets
      names_.reserve(8);
      it = names_.begin();
    }
    names_.emplace(it, name);
  }
  template <class It> void insert(It first, It last) {
    for (; first != last; ++first) insert(std::string_view(*first));
  }
  std::size_t erase(std::string_view name) {
    auto it = lower(name);
    if (it == names_.end() || *it != name) return 0;
    names_.erase(it);
    return 1;
  }
  const_iterator erase(const_iterator it) { return names_.erase(it); }
  friend bool operator==(const LabelSet&, const LabelSet&) = default;

private:
  std::vector<std::string>::iterator lower(std::string_view name) {
    return std::lower_bound(names_.begin(), names_.end(), name);
  }
  const_iterator lower(std::string_view name) const { return std::lower_bound(names_.begin(), names_.end(), name); }
  std::vector<std::string> names_;
};

/// A map from label names to V, sorted, in one vector: what std::map<std::string, V> gave Shape
/// (find, count, emplace, [], erase, sorted iteration) without a node per label. A map assigned
/// to another reuses that one's memory, which Inference's shapes keep from rule to rule.
template <class V> class LabelMap {
public:
  using value_type = std::pair<std::string, V>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;
  iterator begin() { return items_.begin(); }
  iterator end() { return items_.end(); }
  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  std::size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void clear() { items_.clear(); }
  iterator find(std::string_view name) {
    auto it = lower(items_, name);
    return it != items_.end() && it->first == name ? it : items_.end();
  }
  const_iterator find(std::string_view name) const {
    auto it = lower(items_, name);
    return it != items_.end() && it->first == name ? it : items_.end();
  }
  std::size_t count(std::string_view name) const { return find(name) != end() ? 1 : 0; }
  /// As std::map's: an existing entry stays as it is.
  template <class... Args> std::pair<iterator, bool> emplace(std::string_view name, Args&&... value) {
    auto it = lower(items_, name);
    if (it != items_.end() && it->first == name) return {it, false};
    return {items_.emplace(it, std::string(name), V(std::forward<Args>(value)...)), true};
  }
  std::pair<iterator, bool> insert(const value_type& entry) { return emplace(entry.first, entry.second); }
  template <class It> void insert(It first, It last) {
    for (; first != last; ++first) insert(*first);
  }
  V& operator[](std::string_view name) { return emplace(name).first->second; }
  std::size_t erase(std::string_view name) {
    auto it = find(name);
    if (it == items_.end()) return 0;
    items_.erase(it);
    return 1;
  }
  iterator erase(const_iterator it) { return items_.erase(it); }
  template <class Pred> friend std::size_t erase_if(LabelMap& m, Pred pred) { return std::erase_if(m.items_, pred); }
  friend bool operator==(const LabelMap&, const LabelMap&) = default;

private:
  template <class Items> static auto lower(Items& items, std::string_view name) {
    return std::lower_bound(items.begin(), items.end(), name,
                            [](const value_type& entry, std::string_view x) { return entry.first < x; });
  }
  std::vector<value_type> items_;
};

} // namespace nsmon::lint
