#pragma once
// Where an alert goes: Alertmanager's routing tree walk (dispatch/route.go) and inhibition
// (inhibit/inhibit.go) over the typed model, for `nsmon routes test` and the checks that need it.
#include <map>
#include <string>
#include <vector>

#include "nsmon/alertmanager/config.hpp"

namespace nsmon::alertmanager {

/// An alert's labels. A label that is absent matches as the empty value, as in Alertmanager.
using LabelSet = std::map<std::string, std::string>;

/// True when every matcher holds for `labels` (regexes anchored, as Alertmanager compiles them).
bool matches(const std::vector<Matcher>& matchers, const LabelSet& labels);

/// One route an alert reaches, with the receiver in effect there (inherited from the parents when
/// the route names none) and its place in the tree (child indices from the root).
struct RouteMatch {
  const Route* route = nullptr;
  std::string receiver;
  std::vector<std::size_t> path;
};

/// The routes an alert reaches, in tree order: a route matches when its matchers hold; its
/// children are tried in order and the first one that matches stops the search unless it has
/// `continue: true`; a route none of whose children matched is itself the match. The root route
/// matches every alert.
std::vector<RouteMatch> route_alert(const Route& root, const LabelSet& labels);

/// The indices of the inhibit rules that mute `target` while the alerts of `firing` fire: the
/// target matches the rule's target matchers, some firing alert matches its source matchers, and
/// both have the same value for every label of `equal` (absent counts as the same empty value).
/// When the target matches the source side too, source alerts that also match the target side
/// do not count (an alert never inhibits itself).
std::vector<std::size_t> inhibited_by(const Config& cfg, const LabelSet& target, const std::vector<LabelSet>& firing);

/// A matcher as Alertmanager prints it: name="value", name=~"regex", ...
std::string to_string(const Matcher& m);

} // namespace nsmon::alertmanager
