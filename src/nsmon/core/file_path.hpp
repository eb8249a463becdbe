#pragma once
#include <compare>
#include <string>
#include <string_view>

namespace nsmon::core {

/// A file's path, stored once per process: copying one (every Span holds one) copies a pointer,
/// not the path. Equal paths are the same pointer.
class FilePath {
public:
  FilePath();
  FilePath(std::string_view path);
  FilePath(const std::string& path) : FilePath(std::string_view(path)) {}
  FilePath(const char* path) : FilePath(std::string_view(path)) {}

  const std::string& str() const { return *path_; }
  operator const std::string&() const { return *path_; }
  bool empty() const { return path_->empty(); }

  friend bool operator==(const FilePath& a, const FilePath& b) { return a.path_ == b.path_; }
  friend std::strong_ordering operator<=>(const FilePath& a, const FilePath& b) {
    return a.path_ == b.path_ ? std::strong_ordering::equal : a.path_->compare(*b.path_) <=> 0;
  }

private:
  const std::string* path_;
};

} // namespace nsmon::core
