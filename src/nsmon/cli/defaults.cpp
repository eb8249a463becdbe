#include "nsmon/cli/defaults.hpp"

#include <filesystem>
#include <iostream>

#include "nsmon/core/error.hpp"

namespace nsmon::cli {

namespace fs = std::filesystem;

std::string installed_data_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "/usr/share/nsmon";
  return (exe.parent_path().parent_path() / "share" / "nsmon").string();
}

std::optional<std::string> find_default(const std::string& relative) {
  std::error_code ec;
  if (fs::exists(relative, ec)) return relative;
  const std::string installed = (fs::path(installed_data_dir()) / relative).string();
  if (!fs::exists(installed, ec)) return std::nullopt;
  std::cerr << "nsmon: note: using the installed " << installed << " (there is no " << relative << " here)\n";
  return installed;
}

std::string require_default(const std::string& relative, const std::string& what_to_give) {
  if (auto found = find_default(relative)) return *found;
  throw UsageError(what_to_give + " (there is no " + relative + " in the current directory, nor in " +
                   installed_data_dir() + ")");
}

} // namespace nsmon::cli
