#pragma once
#include <string>
#include <vector>

namespace nsmon::util {

/// Renders rows as left-aligned columns separated by two spaces; the first row is the header.
std::string render_table(const std::vector<std::vector<std::string>>& rows);

} // namespace nsmon::util
