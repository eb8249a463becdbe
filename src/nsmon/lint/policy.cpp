#include "nsmon/lint/policy.hpp"

#include <set>

#include "nsmon/core/yaml.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/util/strings.hpp"

namespace nsmon::lint {

namespace {

class PolicyLoader {
public:
  PolicyLoader(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) : y_(src, diags) {}

  Policy run() {
    Policy p;
    auto root = y_.parse();
    if (!root || root->is_null()) return p; // an empty policy keeps every default
    if (!y_.check_mapping(
            *root,
            {"severity_label", "severity_values", "required_annotations", "disable", "severity", "external", "cost"},
            "a policy file"))
      return p;
    const yaml::Node& r = *root;
    if (auto n = r["severity_label"]) {
      if (auto s = y_.string(n, "severity_label")) {
        if (labels::is_legacy_label_name(*s)) p.severity_label = *s;
        else y_.report(n, "policy-file/value", "severity_label '" + *s + "' is not a valid label name");
      }
    }
    if (auto n = r["severity_values"]) p.severity_values = names(n, "severity_values", false);
    if (auto n = r["required_annotations"]) p.required_annotations = names(n, "required_annotations", true);
    if (auto n = r["disable"]) {
      if (!n.is_null() && !n.is_sequence()) y_.report(n, "yaml/type", "disable must be a list of check ids");
      else
        for (const auto& item : n)
          if (known_check(item)) p.disabled.emplace(item.scalar());
    }
    if (auto n = r["severity"]) severities(n, p);
    if (auto n = r["external"]) p.external_prefixes = names(n, "external", false);
    if (auto n = r["cost"]) cost(n, p);
    return p;
  }

private:
  // A list of strings; a null value is an empty list (`required_annotations:` requires none).
  std::vector<std::string> names(const yaml::Node& n, const char* what, bool label_names) {
    std::vector<std::string> out;
    if (n.is_null()) return out;
    if (!n.is_sequence()) {
      y_.report(n, "yaml/type", std::string(what) + " must be a list of strings");
      return out;
    }
    for (const auto& item : n) {
      auto s = y_.string(item, std::string(what) + " entries");
      if (!s) continue;
      if (label_names && !labels::is_legacy_label_name(*s))
        y_.report(item, "policy-file/value", "'" + *s + "' is not a valid annotation name");
      else out.push_back(*s);
    }
    return out;
  }

  // Whether a node names a check nsmon has; reports it (with the closest id) if not.
  bool known_check(const yaml::Node& n) {
    auto id = y_.string(n, "a check id");
    if (!id) return false;
    if (find_check(*id)) return true;
    std::vector<std::string> ids;
    for (const auto& c : checks()) ids.emplace_back(c.id);
    std::string hint = util::did_you_mean(*id, ids);
    y_.report(n, "policy-file/unknown-check", "unknown check '" + *id + "'",
              hint.empty() ? "'nsmon lint-rules --list-checks' lists the check ids" : "did you mean '" + hint + "'?");
    return false;
  }

  void severities(const yaml::Node& n, Policy& p) {
    if (n.is_null()) return;
    if (!n.is_map()) {
      y_.report(n, "yaml/type", "severity must be a mapping of check ids to error, warning, info or off");
      return;
    }
    std::set<std::string> seen;
    for (auto it = n.begin(); it != n.end(); ++it) {
      if (!known_check(it->first)) continue;
      if (!seen.emplace(it->first.scalar()).second) {
        y_.report(it->first, "yaml/duplicate-key",
                  "duplicate key '" + std::string(it->first.scalar()) + "' in severity");
        continue;
      }
      auto level = y_.string(it->second, "a severity");
      if (!level) continue;
      const std::string id(it->first.scalar());
      if (*level == "off") p.disabled.insert(id);
      else if (*level == "error") p.severity_override[id] = core::Severity::error;
      else if (*level == "warning") p.severity_override[id] = core::Severity::warning;
      else if (*level == "info") p.severity_override[id] = core::Severity::info;
      else {
        std::string hint = util::did_you_mean(*level, {"error", "warning", "info", "off"});
        y_.report(it->second, "policy-file/value",
                  "severity of " + id + " must be error, warning, info or off, not '" + *level + "'",
                  hint.empty() ? "" : "did you mean '" + hint + "'?");
      }
    }
  }

  // cost: {ratio: 10, min_samples: 1000000}
  void cost(const yaml::Node& n, Policy& p) {
    if (n.is_null() || !y_.check_mapping(n, {"ratio", "min_samples"}, "cost")) return;
    if (auto r = n["ratio"]) {
      if (auto v = y_.number(r, "cost ratio"); v && *v >= 1) p.cost_ratio = *v;
      else if (v) y_.report(r, "policy-file/value", "cost ratio must be 1 or more");
    }
    if (auto m = n["min_samples"]) {
      if (auto v = y_.number(m, "cost min_samples"); v && *v >= 0) p.cost_min_samples = *v;
      else if (v) y_.report(m, "policy-file/value", "cost min_samples must be 0 or more");
    }
  }

  core::YamlReader y_;
};

} // namespace

Policy load_policy(const core::SourceFile& src, std::vector<core::Diagnostic>& diags) {
  return PolicyLoader(src, diags).run();
}

} // namespace nsmon::lint
