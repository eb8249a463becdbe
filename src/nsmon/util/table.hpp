#pragma once
#include <string>
#include <vector>

namespace nsmon::util {

/// Renders rows as columns separated by two spaces; the first row is the header. Columns are
/// left-aligned, except those `right` marks (figures).
std::string render_table(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right = {});

} // namespace nsmon::util
