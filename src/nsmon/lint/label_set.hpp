#pragma once
#include <algorithm>
#include <string>
#include <string_view>
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

} // namespace nsmon::lint
