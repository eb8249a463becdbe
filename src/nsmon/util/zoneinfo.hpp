#pragma once
// Time zones as Go's time.LoadLocation finds them: the IANA database of the machine
// ($ZONEINFO, else /usr/share/zoneinfo), "UTC" (and "") as UTC, "Local" as $TZ or /etc/localtime.
#include <cstdint>
#include <optional>
#include <string>

namespace nsmon::util {

/// The offset from UTC, in seconds, of zone `name` at `unix_seconds`, or nullopt when the zone
/// is not in the database (or its file is not a TZif file). A time after the file's last
/// transition keeps that transition's offset (the POSIX rule at the file's end is not read: the
/// database's files list transitions to 2037).
std::optional<int> zone_offset(const std::string& name, std::int64_t unix_seconds);

} // namespace nsmon::util
