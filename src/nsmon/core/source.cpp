#include "nsmon/core/source.hpp"

#include <algorithm>

#include "nsmon/core/yaml_tree.hpp"

namespace nsmon::core {

SourceFile::SourceFile(std::string path, std::string text) : path_(path), text_(std::move(text)), size_(text_.size()) {
  // Line starts: after each line break but a final one.
  const std::string_view t = text_;
  starts_.reserve(size_ / 32 + 1); // lines of rule files average 35-40 bytes
  starts_.push_back(0);
  for (auto nl = t.find('\n'); nl != std::string_view::npos; nl = t.find('\n', nl + 1)) starts_.push_back(nl + 1);
  if (starts_.size() > 1 && starts_.back() == size_) starts_.pop_back();
  text_.append(yaml::kInputPadding, '\0'); // no copy when the reader left room (util::read_file's spare)
}

LineCol SourceFile::line_col(std::size_t offset) const {
  offset = std::min(offset, size_);
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  auto line = static_cast<int>(it - starts_.begin());
  return {line, static_cast<int>(offset - starts_[static_cast<std::size_t>(line - 1)]) + 1};
}

std::size_t SourceFile::offset(int line, int col) const {
  if (line < 1) return 0;
  if (line > line_count()) return size_;
  return std::min(size_, starts_[static_cast<std::size_t>(line - 1)] + static_cast<std::size_t>(std::max(col, 1) - 1));
}

std::string_view SourceFile::line(int n) const {
  if (n < 1 || n > line_count()) return {};
  std::size_t b = starts_[static_cast<std::size_t>(n - 1)];
  std::string_view t = text();
  std::size_t e = t.find('\n', b);
  if (e == std::string_view::npos) e = size_;
  if (e > b && t[e - 1] == '\r') --e;
  return t.substr(b, e - b);
}

const SourceFile& SourceSet::add(std::string path, std::string text) {
  auto file = std::make_unique<SourceFile>(path, std::move(text));
  auto& slot = files_[path];
  slot = std::move(file);
  return *slot;
}

const SourceFile* SourceSet::find(const std::string& path) const {
  auto it = files_.find(path);
  return it == files_.end() ? nullptr : it->second.get();
}

} // namespace nsmon::core
