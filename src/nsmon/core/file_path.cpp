#include "nsmon/core/file_path.hpp"

#include <functional>
#include <mutex>
#include <unordered_set>

#include "nsmon/util/strings.hpp"

namespace nsmon::core {

namespace {

/// Every path seen in this process; a node-based set, so the strings never move. Loaders may
/// run on several threads, hence the lock.
const std::string* intern(std::string_view path) {
  static std::mutex mutex;
  static std::unordered_set<std::string, util::StringHash, std::equal_to<>> paths; // found by view
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
