#include "nsmon/text/percent.hpp"

namespace nsmon::text {

std::string percent_encode(std::string_view s, std::string_view keep) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    const bool unreserved = (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || c == '-' ||
                            c == '.' || c == '_' || c == '~';
    if (unreserved || keep.find(c) != std::string_view::npos) out += c;
    else out += {'%', kHex[u >> 4], kHex[u & 15]};
  }
  return out;
}

} // namespace nsmon::text
