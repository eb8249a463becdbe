#pragma once
#include <string>
#include <vector>

namespace nsmon::util {

/// Display width of UTF-8 text in terminal cells (one per code point; combining marks excluded).
std::size_t display_width(const std::string& s);

/// Renders rows as left-aligned columns separated by two spaces; the first row is the header.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

} // namespace nsmon::util
