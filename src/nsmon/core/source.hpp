#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/core/file_path.hpp"

namespace nsmon::core {

/// 1-based line and column (column counts bytes).
struct LineCol {
  int line = 0;
  int col = 0;
};

/// The text of one input file with a line index, for positions and source excerpts.
class SourceFile {
public:
  SourceFile(std::string path, std::string text);
  const std::string& path() const { return path_.str(); }
  /// The path as spans hold it.
  const FilePath& file() const { return path_; }
  /// The file's text. It is followed in memory by yaml::kInputPadding NUL bytes, so that
  /// YamlReader parses it in place (yaml::parse_in_place) instead of copying it.
  std::string_view text() const { return {text_.data(), size_}; }
  /// Position of a byte offset (clamped to the end of the text).
  LineCol line_col(std::size_t offset) const;
  /// Byte offset of a 1-based line and column (clamped).
  std::size_t offset(int line, int col) const;
  /// Text of a 1-based line, without its newline; empty if out of range.
  std::string_view line(int n) const;
  int line_count() const { return static_cast<int>(starts_.size()); }

private:
  FilePath path_;
  std::string text_;     ///< the text and the padding
  std::size_t size_ = 0; ///< of the text
  std::vector<std::size_t> starts_;
};

/// All source files of one run, by path, so renderers can quote lines.
class SourceSet {
public:
  const SourceFile& add(std::string path, std::string text);
  const SourceFile* find(const std::string& path) const;

private:
  std::map<std::string, std::unique_ptr<SourceFile>> files_;
};

} // namespace nsmon::core
