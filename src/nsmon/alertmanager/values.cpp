#include "nsmon/alertmanager/values.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <re2/re2.h>

#include "nsmon/util/url.hpp"

namespace nsmon::alertmanager::detail {

std::string host_port_error(std::string_view s) {
  std::size_t colon = 0;
  if (s[0] == '[') {
    auto close = s.find(']');
    if (close == std::string_view::npos) return "missing ']' in address";
    if (close + 1 == s.size()) return "missing port in address";
    if (s[close + 1] != ':')
      return s.find(':', close) == std::string_view::npos ? "missing port in address" : "too many colons in address";
    colon = close + 1;
    if (s.find_first_of("[]", colon) != std::string_view::npos) return "unexpected '[' in address";
  } else {
    colon = s.rfind(':');
    if (colon == std::string_view::npos) return "missing port in address";
    if (s.substr(0, colon).find(':') != std::string_view::npos) return "too many colons in address";
    if (s.find('[') != std::string_view::npos) return "unexpected '[' in address";
    if (s.find(']') != std::string_view::npos) return "unexpected ']' in address";
  }
  if (colon + 1 == s.size()) return "port cannot be empty";
  return {};
}

bool value_is_credential(std::string_view key, std::string_view v) {
  if (key.find("password") != std::string_view::npos || key.find("secret") != std::string_view::npos) return true;
  return v.size() >= 20 || std::any_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

bool url_has_credential(std::string_view u) {
  auto [begin, end] = util::url_authority(u);
  if (std::string_view(u).substr(begin, end - begin).find('@') != std::string_view::npos) return true;
  std::string_view rest = u.substr(std::min(end, u.size()));
  std::string_view path = rest.substr(0, rest.find_first_of("?#"));
  for (std::size_t at = 0; at <= path.size();) {
    std::size_t next = std::min(path.find('/', at), path.size());
    std::string_view seg = path.substr(at, next - at);
    bool letters = false, digits = false, shaped = seg.size() >= 16;
    for (char ch : seg) {
      bool alpha = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
      bool digit = ch >= '0' && ch <= '9';
      letters = letters || alpha;
      digits = digits || digit;
      shaped = shaped && (alpha || digit || ch == '-' || ch == '_');
    }
    if (shaped && letters && digits) return true;
    at = next + 1;
  }
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    std::string query = util::ascii_lower(rest.substr(q + 1));
    for (std::size_t at = 0; at < query.size();) {
      std::size_t amp = std::min(query.find('&', at), query.size());
      std::string_view name = std::string_view(query).substr(at, amp - at);
      name = name.substr(0, name.find('='));
      for (std::string_view word : {"token", "key", "secret", "sig", "password", "auth"})
        if (name.find(word) != std::string_view::npos) return true;
      at = amp + 1;
    }
  }
  return false;
}

namespace {

constexpr std::array<std::string_view, 12> kMonths = {"january",   "february", "march",    "april",
                                                      "may",       "june",     "july",     "august",
                                                      "september", "october",  "november", "december"};
constexpr std::array<std::string_view, 7> kWeekdays = {"sunday",   "monday", "tuesday", "wednesday",
                                                       "thursday", "friday", "saturday"};

// strconv.Atoi.
std::optional<int> number(std::string_view s, std::string& err) {
  int v = 0;
  auto [end, ec] = std::from_chars(s.data() + (!s.empty() && s[0] == '+'), s.data() + s.size(), v);
  if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) return v;
  err = "strconv.Atoi: parsing \"" + std::string(s) + "\": invalid syntax";
  return std::nullopt;
}

// A member of a range: a weekday's or month's name (months may be numbers too) or a number.
std::optional<int> member(std::string_view field, std::string_view s, std::string& err) {
  if (field == "weekdays" || field == "months") {
    const auto* names = field == "weekdays" ? kWeekdays.data() : kMonths.data();
    const std::size_t count = field == "weekdays" ? kWeekdays.size() : kMonths.size();
    for (std::size_t i = 0; i < count; ++i)
      if (s == names[i]) return static_cast<int>(field == "weekdays" ? i : i + 1);
    std::string ignored;
    if (field == "months")
      if (auto n = number(s, ignored)) return n;
    err = std::string(s) + (field == "weekdays" ? " is not a valid weekday" : " is not a valid month");
    return std::nullopt;
  }
  return number(s, err);
}

std::string month_name(int m) { return m >= 1 && m <= 12 ? std::string(kMonths[static_cast<std::size_t>(m - 1)]) : ""; }

} // namespace

std::optional<std::pair<int, int>> time_range(std::string_view field, std::string_view value) {
  if (!time_range_error(field, value).empty()) return std::nullopt;
  const std::string in = util::ascii_lower(value);
  const auto colon = in.find(':');
  std::string err;
  int b = *member(field, std::string_view(in).substr(0, colon), err);
  int e = colon == std::string::npos ? b : *member(field, std::string_view(in).substr(colon + 1), err);
  return std::pair{b, e};
}

std::string time_range_error(std::string_view field, std::string_view value) {
  // stringableRangeFromString: "a" or "a:b", lower-cased.
  const std::string in = util::ascii_lower(value);
  const auto colon = in.find(':');
  if (colon != std::string::npos && in.find(':', colon + 1) != std::string::npos)
    return "couldn't parse range " + in + ", invalid format";
  std::string err;
  auto b = member(field, std::string_view(in).substr(0, colon), err);
  if (!b) return err;
  auto e = colon == std::string::npos ? b : member(field, std::string_view(in).substr(colon + 1), err);
  if (!e) return err;
  if (field == "weekdays") {
    if (*b > *e) return "start day cannot be before end day";
    if (*b < 0 || *b > 6 || *e < 0 || *e > 6)
      return std::string(value) + " is not a valid day of the week: out of range";
  } else if (field == "days_of_month") {
    for (int d : {*b, *e})
      if (d == 0 || d < -31 || d > 31) return std::to_string(d) + " is not a valid day of the month: out of range";
    if (*b < 0 && *e > 0) return "end day must be negative if start day is negative";
    // Negative days count from the month's end; 28 days is the shortest month.
    if ((*b < 0 ? 28 + *b : *b) > (*e < 0 ? 28 + *e : *e))
      return "end day " + std::to_string(*e) + " is always before start day " + std::to_string(*b);
  } else if (field == "months") {
    if (*b > *e) return "end month " + month_name(*e) + " is before start month " + month_name(*b);
  } else if (*b > *e) {
    return "end year " + std::to_string(*e) + " is before start year " + std::to_string(*b);
  }
  return {};
}

std::optional<int> clock_minutes(std::string_view hhmm) {
  static const RE2 valid(R"(^((([01][0-9])|(2[0-3])):[0-5][0-9])$|(^24:00$))");
  re2::StringPiece v(hhmm.data(), hhmm.size());
  if (!RE2::FullMatch(v, valid)) return std::nullopt;
  return ((hhmm[0] - '0') * 10 + (hhmm[1] - '0')) * 60 + (hhmm[3] - '0') * 10 + (hhmm[4] - '0');
}

} // namespace nsmon::alertmanager::detail
