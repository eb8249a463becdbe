#pragma once
// Sloth's output for Sloth's specs (prometheus/v1 and the Kubernetes PrometheusServiceLevel): the
// groups, rule names, labels, metadata rules and the page and ticket alerts Sloth v0.16 writes,
// with Go's number and duration spellings, so that what keys on Sloth's output keeps working.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "nsmon/slo/spec.hpp"

namespace nsmon::slo {

/// The rule file (or, for the Kubernetes form, one PrometheusRule per spec) for specs of one form.
/// The SLO period's ratio comes from the 5m recording (as Sloth's default), never from raw series.
std::string sloth_rules_yaml(const std::vector<Spec>& specs);

/// A Sloth alert as it fires: its name, whether it is the page (else the ticket) alert, the labels
/// it carries (the recorded series' but sloth_window, then the rule's) and its annotations (not
/// yet expanded).
struct SlothAlert {
  std::string name;
  bool page = false;
  std::map<std::string, std::string> labels, annotations;
};
std::vector<SlothAlert> sloth_alerts(const Spec& spec, const Slo& s);

/// One of the four conditions of Sloth's alerts (page/ticket, quick/slow): the error ratio over
/// both windows above `threshold` (Sloth's factor times the error budget).
struct SlothCondition {
  double threshold;
  std::int64_t short_ms, long_ms;
  double factor; ///< the burn rate; threshold = factor × the error budget
};
SlothCondition sloth_condition(const Slo& s, bool page, bool quick);

/// The names of the rule groups Sloth writes for an SLO, in order (sli, meta, alerts if any).
std::vector<std::string> sloth_groups(const Spec& spec, const Slo& s);

} // namespace nsmon::slo
