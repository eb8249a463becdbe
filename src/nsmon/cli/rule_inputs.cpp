#include "nsmon/cli/rule_inputs.hpp"

#include <algorithm>
#include <filesystem>

#include "nsmon/core/error.hpp"
#include "nsmon/core/yaml_tree.hpp"
#include "nsmon/rules/config.hpp"
#include "nsmon/rules/rule_file.hpp"
#include "nsmon/util/files.hpp"

namespace nsmon::cli {

namespace fs = std::filesystem;

void InputReader::rule_path(const std::string& path) {
  std::error_code ec;
  if (path == "-" || !fs::is_directory(path, ec)) return rule_file(path);
  std::vector<std::string> files;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!name.empty() && name[0] == '.') {
      if (it->is_directory(ec)) it.disable_recursion_pending();
      continue;
    }
    const auto ext = it->path().extension();
    if ((ext == ".yml" || ext == ".yaml") && it->is_regular_file(ec)) files.push_back(it->path().string());
  }
  if (ec) throw Error("cannot read " + path + ": " + ec.message());
  if (files.empty()) throw UsageError("no *.yml or *.yaml files in the directory " + path);
  std::sort(files.begin(), files.end());
  for (const auto& f : files) rule_file(f);
}

void InputReader::rule_file(const std::string& path) {
  // A file named on the command line and in rule_files (under another spelling) is linted once.
  if (path != "-" && !seen_.insert(identity(path)).second) return;
  const auto& src = out_.sources.add(path == "-" ? "<stdin>" : path, util::read_file(path, yaml::kInputPadding));
  out_.input.rule_files.push_back(rules::load_rule_file(src, out_.diags));
  ++out_.files;
  for (const auto& g : out_.input.rule_files.back().groups) out_.rules += static_cast<int>(g.rules.size());
}

void InputReader::config(const std::string& path) {
  seen_.insert(identity(path));
  const auto& src = out_.sources.add(path, util::read_file(path, yaml::kInputPadding));
  out_.input.config = rules::load_config(src, out_.diags);
  ++out_.files;
  for (const auto& p : rules::resolve_rule_files(*out_.input.config, out_.diags)) rule_file(p);
}

std::string InputReader::identity(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(path, ec);
  return ec ? path : p.string();
}

} // namespace nsmon::cli
