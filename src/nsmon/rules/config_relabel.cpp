// prometheus.yml's relabel rules (model/relabel's Config.Validate) and label names under the
// validation schemes.

#include <cctype>
#include <string_view>

#include "nsmon/httpconfig/rows.hpp"
#include "nsmon/labels/labels.hpp"
#include "nsmon/rules/config_validate.hpp"
#include "nsmon/text/go.hpp"

namespace nsmon::rules::detail {

using namespace httpconfig;

namespace {

const std::vector<std::string_view> kRelabelActions = {"replace",   "keep",      "drop",     "keepequal",
                                                       "dropequal", "hashmod",   "labelmap", "labeldrop",
                                                       "labelkeep", "lowercase", "uppercase"};

} // namespace

namespace {

// A label name, or a template of one ($1, ${name}) where the action allows it, under the
// validation scheme: legacy ([a-zA-Z_][a-zA-Z0-9_]*, relabel.go's relabelTarget for templates) or
// UTF-8 (any non-empty UTF-8 string).
bool valid_target(const std::string& s, bool legacy, bool templated) {
  if (!legacy) return !s.empty() && text::go::valid_utf8(s);
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (std::size_t i = 0; i < s.size();) {
    if (s[i] != '$') {
      if (!word_char(s[i])) return false;
      ++i;
      continue;
    }
    if (!templated) return false;
    std::size_t j = i + 1;
    bool braced = j < s.size() && s[j] == '{';
    if (braced) ++j;
    std::size_t from = j;
    while (j < s.size() && word_char(s[j])) ++j;
    if (j == from || (braced && (j >= s.size() || s[j++] != '}'))) return false;
    i = j;
  }
  return true;
}
} // namespace

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

bool valid_label_name(std::string_view s, bool legacy) { return valid_target(std::string(s), legacy, false); }

void ConfigValidator::relabels(const yaml::Node& list, const std::string& empty_message, bool legacy) {
  if (!list || list.is_null() || !list.is_sequence()) return;
  for (const yaml::Node& r : list) {
    if (r.is_null()) {
      report(y_, r, "config/empty-section", empty_message);
      continue;
    }
    if (!r.is_map()) continue;
    // source_labels are read as label names (common/model: UTF-8 in Prometheus 3), whatever the action.
    if (auto sl = get(r, "source_labels"); sl && sl.is_sequence())
      for (const auto& l : sl)
        if (l.is_scalar() && !valid_label_name(l.scalar(), false))
          report(y_, l, "config/label-name", text::go::quote(l.scalar()) + " is not a valid label name");
    auto action_node = get(r, "action");
    std::string action = action_node ? lower(value(r, "action")) : "replace";
    if (action.empty()) {
      report(y_, action_node, "config/relabel", "relabel action cannot be empty");
      continue;
    }
    if (!contains(kRelabelActions, action)) {
      report(y_, action_node, "config/relabel", "unknown relabel action \"" + value(r, "action") + "\"");
      continue;
    }
    if (auto re = get(r, "regex"); set(re) && re.is_scalar()) {
      if (auto e = labels::regex_error(re.scalar(), labels::Dialect::prometheus)) report(y_, re, "config/relabel", *e);
    }
    auto at = [&](const char* field) { return get(r, field) ? get(r, field) : (action_node ? action_node : r); };
    std::string modulus = value(r, "modulus");
    if (action == "hashmod" && (modulus.empty() || modulus == "0")) {
      report(y_, at("modulus"), "config/relabel", "relabel configuration for hashmod requires non-zero modulus");
      continue;
    }
    bool needs_target = contains({"replace", "hashmod", "lowercase", "uppercase", "keepequal", "dropequal"}, action);
    if (needs_target && !set(r, "target_label")) {
      report(y_, at("action"), "config/relabel",
             "relabel configuration for " + action + " action requires 'target_label' value");
      continue;
    }
    if (auto t = get(r, "target_label");
        needs_target && t.is_scalar() && !valid_target(std::string(t.scalar()), legacy, action == "replace")) {
      report(y_, t, "config/relabel",
             "\"" + std::string(t.scalar()) + "\" is invalid 'target_label' for " + action + " action");
      continue;
    }
    if (auto t = get(r, "replacement");
        action == "labelmap" && t && t.is_scalar() && !valid_target(std::string(t.scalar()), legacy, true)) {
      report(y_, t, "config/relabel",
             "\"" + std::string(t.scalar()) + "\" is invalid 'replacement' for labelmap action");
      continue;
    }
    bool replacement = get(r, "replacement") && value(r, "replacement") != "$1";
    if (contains({"lowercase", "uppercase", "keepequal", "dropequal"}, action) && replacement &&
        (action == "lowercase" || action == "uppercase")) {
      report(y_, get(r, "replacement"), "config/relabel", "'replacement' can not be set for " + action + " action");
      continue;
    }
    bool separator = get(r, "separator") && value(r, "separator") != ";";
    bool mod = !modulus.empty() && modulus != "0";
    if ((action == "keepequal" || action == "dropequal") &&
        ((get(r, "regex") && value(r, "regex") != "(.*)") || mod || separator || replacement)) {
      report(y_, at("action"), "config/relabel",
             action + " action requires only 'source_labels' and `target_label`, and no other fields");
      continue;
    }
    if ((action == "labeldrop" || action == "labelkeep") &&
        (get(r, "source_labels") || set(r, "target_label") || mod || separator || replacement))
      report(y_, at("action"), "config/relabel", action + " action requires only 'regex', and no other fields");
  }
}

bool ConfigValidator::legacy_names(const yaml::Node& job, const yaml::Node& global) {
  std::string scheme = value(job, "metric_name_validation_scheme");
  return (scheme.empty() ? value(global, "metric_name_validation_scheme") : scheme) == "legacy";
}

} // namespace nsmon::rules::detail
