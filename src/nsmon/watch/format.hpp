#pragma once
// The formatting helpers of watch's renderers: util's, and the latency of a histogram quantile.
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/util/humanize.hpp"
#include "nsmon/watch/stats.hpp"

namespace nsmon::watch::fmt {

using namespace util::fmt;

/// A quantile's latency: "0.31 s", "850 ms"; a capped one (rank in the +Inf bucket) as ">10 s".
std::string latency(const Quantile& q);
using util::fmt::latency;

/// The time since the start that heads plain lines: "[  4.5s]", "[   12s]".
std::string elapsed(double seconds);

/// `head`, then `pieces` joined by `sep`, as lines of at most `width` display cells, each ending in
/// "\n"; the lines after the first start with `indent` spaces (fewer when the width leaves too little
/// room). A piece goes whole to the next line when it does not fit; one wider than a line is split
/// between words; only a word wider than a line is broken. `width` 0: one line.
std::string wrap(std::string_view head, const std::vector<std::string>& pieces, std::string_view sep, std::size_t width,
                 std::size_t indent);

} // namespace nsmon::watch::fmt
