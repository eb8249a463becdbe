#include "nsmon/core/file_path.hpp"

#include <functional>
#include <mutex>
#include <unordered_set>

namespace nsmon::core {

namespace {

/// Hashes a std::string and a view of one alike, so that a path already seen is found by view.
struct ViewHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// Every path seen in this process; a node-based set, so the strings never move. Loaders may
/// run on several threads, hence the lock.
const std::string* intern(std::string_view path) {
  static std::mutex mutex;
  static std::unordered_set<std::string, ViewHash, std::equal_to<>> paths;
  std::lock_guard lock(mutex);
  if (auto it = paths.find(path); it != paths.end()) return &*it;
  return &*paths.emplace(path).first;
}

// Every default Span has one: interned once, not locked for each.
const std::string* empty_path() {
  static const std::string* const empty = intern({});
  return empty;
}

} // namespace

FilePath::FilePath() : path_(empty_path()) {}

FilePath::FilePath(std::string_view path) : path_(intern(path)) {}

} // namespace nsmon::core
