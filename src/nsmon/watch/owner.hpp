#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/watch/source.hpp"

// Whose endpoint it is. `nsmon watch -- COMMAND` reports the command's figures, but the URL it
// scrapes may be served by another process: a leftover detector on the port, whose run would be
// reported as the command's while the command's own detector dies ("Address already in use"). An
// answer is not the command's when it came before the command was started, after it had ended, or
// from a process that started before it (process_start_time_seconds).

namespace nsmon::watch {

/// When a fetch was made, in the command's life.
enum class FetchTime { before_start, running, after_end };

/// Slack on process_start_time_seconds: prometheus_client and the Go client add the process's start
/// ticks to the boot time of /proc/stat, whole seconds, so the figure can be up to a second early.
inline constexpr std::int64_t kStartTimeSlackMs = 2000;

/// Why an answer from the endpoint cannot be the command's ("it answered before the command was
/// started", "its process started 9m 32s before the command", ...), or "" when nothing says so.
/// `started_ms`: when the command was started (wall clock, ms since the epoch).
std::string not_the_commands(const ScrapeResult& r, FetchTime when, std::int64_t started_ms);

/// What is said of it, once as it is found and in the summary: "URL is another process's, not the
/// command's: WHY; ...".
std::string another_process_text(std::string_view target, std::string_view why);

/// The process of this machine listening on the port of `url` when its host is a loopback address
/// or localhost: "pid 123: python3 detector.py --port 8000" (the command line cut to `width`
/// cells); nullopt when it cannot be told (another host, a process of another user, no /proc).
std::optional<std::string> listening_process(std::string_view url, std::size_t width = 80);

/// The TCP ports taking loopback connections that process `pid` or one of its descendants listens
/// on (sorted); empty when there are none or they cannot be told (no /proc, another user's).
std::vector<int> listening_ports(int pid);

/// `url` with its port replaced (and any user info dropped): where to look instead.
std::string with_port(std::string_view url, int port);

} // namespace nsmon::watch
