#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <set>

#include "nsmon/catalog/catalog.hpp"
#include "nsmon/cli/command.hpp"
#include "nsmon/cli/common.hpp"
#include "nsmon/cli/completion.hpp"
#include "nsmon/core/checks.hpp"
#include "nsmon/core/exit_codes.hpp"

namespace nsmon::cli {

namespace {

constexpr const char* kCompletionHelp = R"(
The script is generated from nsmon's own command-line definition: every subcommand and option,
the values of options that take a fixed set (formats, --fail-on, ...), check ids, and metric
names from the catalog (for catalog show, query, promql). The packaged ones are installed in
share/bash-completion/completions/nsmon, share/zsh/vendor-completions/_nsmon and
share/fish/vendor_completions.d/nsmon.fish. Without installing:

  bash:  source <(nsmon completion bash)          (e.g. in ~/.bashrc)
  zsh:   nsmon completion zsh > ~/.zfunc/_nsmon    (with ~/.zfunc in $fpath, before compinit)
  fish:  nsmon completion fish > ~/.config/fish/completions/nsmon.fish)";

// Metric names (and the series names on the wire) of the catalog in use, sorted.
std::vector<std::string> metric_names() {
  const catalog::Catalog& cat = load_catalog();
  std::set<std::string> names;
  for (const auto* list : {&cat.metrics, &cat.prometheus_series})
    for (const auto& m : *list) names.insert(m.name);
  for (auto& n : cat.all_series_names()) names.insert(std::move(n));
  return {names.begin(), names.end()};
}

// Every check id: explain takes any; --disable and policy files take the lint ones among them.
std::vector<std::string> check_ids() {
  std::vector<std::string> ids;
  for (const auto& c : core::kChecks) ids.emplace_back(c.id);
  return ids;
}

} // namespace

Run define_completion(CLI::App& cmd) {
  auto shell = std::make_shared<std::string>();
  cmd.add_option("SHELL", *shell, "The shell")->check(CLI::IsMember({"bash", "zsh", "fish"}))->required();
  cmd.footer(std::string(kCompletionHelp) + "\n" + exit_codes_help({kOk, kUsage}));
  const CLI::App* root = cmd.get_parent();
  return [root, shell](const Context&) {
    std::cout << completion_script(describe(*root), *shell, metric_names(), check_ids());
    return kOk;
  };
}

} // namespace nsmon::cli
