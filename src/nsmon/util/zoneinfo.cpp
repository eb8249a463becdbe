#include "nsmon/util/zoneinfo.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

namespace nsmon::util {

namespace {

std::int64_t be(std::string_view b, std::size_t at, std::size_t n) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(b[at + i]);
  if (n == 4) return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  return static_cast<std::int64_t>(v);
}

std::optional<std::string> read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The offset at `t` from a TZif file (RFC 8536): the version 2+ block with 64-bit times when
// there is one, else version 1's.
std::optional<int> offset_in(std::string_view f, std::int64_t t) {
  auto header = [&](std::size_t at, std::size_t& size, std::size_t time_size, std::int64_t counts[6]) {
    if (f.size() < at + 44 || f.substr(at, 4) != "TZif") return false;
    for (int i = 0; i < 6; ++i) counts[i] = be(f, at + 20 + 4 * static_cast<std::size_t>(i), 4);
    // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
    size = 44 + static_cast<std::size_t>(counts[3]) * (time_size + 1) + static_cast<std::size_t>(counts[4]) * 6 +
           static_cast<std::size_t>(counts[5]) + static_cast<std::size_t>(counts[2]) * (time_size + 4) +
           static_cast<std::size_t>(counts[1] + counts[0]);
    return counts[4] > 0 && f.size() >= at + size;
  };
  std::int64_t c[6];
  std::size_t size = 0, at = 0, time_size = 4;
  if (!header(0, size, 4, c)) return std::nullopt;
  if (f[4] >= '2') {
    at = size;
    time_size = 8;
    if (!header(at, size, 8, c)) return std::nullopt;
  }
  const std::size_t times = at + 44, idx = times + static_cast<std::size_t>(c[3]) * time_size;
  const std::size_t types = idx + static_cast<std::size_t>(c[3]);
  std::size_t type = 0; // before the first transition: the first type (RFC 8536's rule of thumb)
  for (std::size_t i = 0; i < static_cast<std::size_t>(c[3]); ++i) {
    if (be(f, times + i * time_size, time_size) > t) break;
    type = static_cast<unsigned char>(f[idx + i]);
  }
  if (type >= static_cast<std::size_t>(c[4])) return std::nullopt;
  return static_cast<int>(be(f, types + type * 6, 4));
}

} // namespace

std::optional<int> zone_offset(const std::string& name, std::int64_t unix_seconds) {
  if (name.empty() || name == "UTC") return 0;
  std::string path;
  if (name == "Local") {
    const char* tz = std::getenv("TZ");
    if (tz && *tz) return zone_offset(*tz == ':' ? tz + 1 : tz, unix_seconds);
    path = "/etc/localtime";
  } else {
    // Go refuses names that climb out of the database.
    if (name.find("..") != std::string::npos || name[0] == '/' || name[0] == '\\') return std::nullopt;
    const char* dir = std::getenv("ZONEINFO");
    path = std::string(dir && *dir ? dir : "/usr/share/zoneinfo") + "/" + name;
  }
  auto f = read(path);
  if (!f) return name == "Local" ? std::optional<int>(0) : std::nullopt;
  return offset_in(*f, unix_seconds);
}

} // namespace nsmon::util
