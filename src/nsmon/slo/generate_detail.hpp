#pragma once
// What the three generators share (generate.hpp's rules, tests and dashboard, one file each:
// generate_rules.cpp, generate_tests.cpp, generate_dashboard.cpp): how the generated YAML writes
// numbers, scalars and windows, and what the rules say that the tests expect (an alert's labels
// and annotations, the traffic the guard reads). Defined in generate_rules.cpp. Not part of the
// public API.
#include <cstdint>
#include <map>
#include <string>

#include "nsmon/slo/generate.hpp"
#include "nsmon/slo/spec.hpp"

namespace nsmon::slo::detail {

/// The windows of the recorded error ratios, shortest first (the SLO window comes after).
inline constexpr const char* kWindows[] = {"5m", "30m", "1h", "2h", "6h", "1d", "3d"};

/// A number with 12 significant digits (rule_number).
std::string num(double v);
/// A YAML scalar: single-quoted, or double-quoted with Go's escapes when it holds a control character.
std::string sq(const std::string& s);
/// A window as rule names and PromQL write it: 30d, not 4w2d.
std::string window_text(std::int64_t ms);
/// A duration literal ("1h") in ms.
std::int64_t ms_of(const char* w);
/// 0.995 as "99.5%".
std::string percent(double v);
/// A label map as a YAML flow mapping, values quoted by sq.
std::string flow(const std::map<std::string, std::string>& m);
/// The traffic over a window (events per second), for the guard; empty when the SLI has none.
std::string total_rate(const Slo& s, const std::string& w);

/// A burn-rate alert's labels and annotations, as the rules write them and the tests expect them.
struct AlertText {
  std::map<std::string, std::string> labels, annotations;
};
AlertText alert_text(const Spec& spec, const Slo& s, const BurnRate& b);

} // namespace nsmon::slo::detail
