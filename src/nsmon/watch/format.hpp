#pragma once
// The formatting helpers of watch's renderers: util's, and the latency of a histogram quantile.
#include <string>

#include "nsmon/util/humanize.hpp"
#include "nsmon/watch/stats.hpp"

namespace nsmon::watch::fmt {

using namespace util::fmt;

/// A quantile's latency: "0.31 s", "850 ms"; a capped one (rank in the +Inf bucket) as ">10 s".
std::string latency(const Quantile& q);
using util::fmt::latency;

/// The time since the start that heads plain lines: "[  4.5s]", "[   12s]".
std::string elapsed(double seconds);

} // namespace nsmon::watch::fmt
