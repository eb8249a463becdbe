#include "nsmon/core/file_path.hpp"

#include <mutex>
#include <unordered_set>

namespace nsmon::core {

namespace {

/// Every path seen in this process; a node-based set, so the strings never move. Loaders may
/// run on several threads, hence the lock.
const std::string* intern(std::string_view path) {
  static std::mutex mutex;
  static std::unordered_set<std::string> paths;
  std::lock_guard lock(mutex);
  return &*paths.emplace(path).first;
}

} // namespace

FilePath::FilePath() : path_(intern({})) {}

FilePath::FilePath(std::string_view path) : path_(intern(path)) {}

} // namespace nsmon::core
