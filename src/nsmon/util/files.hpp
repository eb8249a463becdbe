#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nsmon/core/error.hpp"

namespace nsmon::util {

/// A file that cannot be read, with its path (what a report points at: SARIF's notification).
struct UnreadableFile : Error {
  UnreadableFile(const std::string& message, std::string file) : Error(message), path(std::move(file)) {}
  std::string path;
};

/// Reads a whole file ("-" is stdin); throws UnreadableFile with the path and the OS reason.
std::string read_file(const std::string& path, std::size_t spare = 0);

/// The paths `pattern` matches (glob(3): *, ?, [...] in any path element), sorted as Go's
/// filepath.Glob returns them; empty when nothing matches or the pattern cannot be read.
std::vector<std::string> glob(const std::string& pattern);

/// Writes a file atomically: a temporary file in the same directory, fsync, then rename.
/// Never leaves a half-written file behind; throws nsmon::Error on failure.
void write_file_atomic(const std::string& path, const std::string& content);

/// Writes several files (path, content) all or nothing: every one is written to a temporary file
/// first; only when all were written are they renamed into place (a full disk or a directory that
/// cannot be written leaves every old file as it was).
void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files);

/// A whole input: mapped into memory when it is a regular file (a 22 MB scrape is then read
/// without a copy), read into a string otherwise (pipes, "-" for standard input) or when given.
class InputText {
public:
  /// Maps or reads `path`; throws nsmon::Error as read_file does.
  explicit InputText(const std::string& path);
  /// Text that is already in memory (an HTTP answer).
  static std::unique_ptr<InputText> of(std::string text);
  ~InputText();
  InputText(const InputText&) = delete;
  InputText& operator=(const InputText&) = delete;
  std::string_view view() const { return map_ ? std::string_view(static_cast<const char*>(map_), size_) : owned_; }

private:
  InputText() = default;
  void* map_ = nullptr;
  std::size_t size_ = 0;
  std::string owned_;
};

} // namespace nsmon::util
