#include "nsmon/util/strings.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <numeric>

namespace nsmon::util {

std::string_view trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  return join<std::vector<std::string>>(parts, sep);
}

std::string word_list(const std::vector<std::string>& items, std::string_view last) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? concat({" ", last, " "}) : ", ";
    out += items[i];
  }
  return out;
}

std::string concat(std::initializer_list<std::string_view> pieces) {
  std::size_t size = 0;
  for (auto p : pieces) size += p.size();
  std::string out;
  out.reserve(size);
  for (auto p : pieces) out += p;
  return out;
}

std::vector<std::string> split_lists(const std::vector<std::string>& lists) {
  std::vector<std::string> out;
  for (std::string_view list : lists) {
    while (true) {
      std::size_t comma = list.find(',');
      std::string_view item = trim(list.substr(0, comma));
      if (!item.empty()) out.emplace_back(item);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  return out;
}

std::string line_diff(std::string_view a, std::string_view b, std::string_view prefix) {
  auto lines = [](std::string_view t) {
    std::vector<std::string_view> out;
    for (std::size_t start = 0;;) {
      auto nl = t.find('\n', start);
      out.push_back(t.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
      if (nl == std::string_view::npos) return out;
      start = nl + 1;
    }
  };
  const auto x = lines(a), y = lines(b);
  // lcs[i][j]: the longest common subsequence of x[i..] and y[j..].
  std::vector<std::vector<std::size_t>> lcs(x.size() + 1, std::vector<std::size_t>(y.size() + 1, 0));
  for (std::size_t i = x.size(); i-- > 0;)
    for (std::size_t j = y.size(); j-- > 0;)
      lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::string out;
  auto emit = [&](const char* mark, std::string_view line) {
    if (!out.empty()) out += '\n';
    out.append(prefix).append(mark).append(line);
  };
  std::size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    if (i < x.size() && j < y.size() && x[i] == y[j]) emit("  ", x[i++]), ++j;
    else if (i < x.size() && (j == y.size() || lcs[i + 1][j] >= lcs[i][j + 1])) emit("- ", x[i++]);
    else emit("+ ", y[j++]);
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of two neighbours
  // (modle -> model, the commonest typo) cost one edit each.
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > cap) return cap + 1;
  std::vector<std::size_t> before(a.size() + 1), prev(a.size() + 1), row(a.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  std::size_t prev_best = cap + 1;
  for (std::size_t j = 1; j <= b.size(); ++j) {
    before.swap(prev);
    prev.swap(row);
    row[0] = j;
    std::size_t best = row[0];
    for (std::size_t i = 1; i <= a.size(); ++i) {
      row[i] = std::min({prev[i] + 1, row[i - 1] + 1, prev[i - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[i] = std::min(row[i], before[i - 2] + 1);
      best = std::min(best, row[i]);
    }
    // A later row is at least this row's best, or the row before's plus the one swap.
    if (best > cap && prev_best + 1 > cap) return cap + 1;
    prev_best = best;
  }
  return row[a.size()];
}

std::string did_you_mean(std::string_view name, const std::vector<std::string>& candidates) {
  // A typo is at most a third of the name's length away (and at least one edit allowed).
  std::size_t limit = std::max<std::size_t>(1, name.size() / 3);
  std::string best;
  std::size_t best_d = limit + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(name, c, limit);
    if (d < best_d || (d == best_d && !best.empty() && c < best)) {
      best_d = d;
      best = c;
    }
  }
  return best_d <= limit && best != name ? best : std::string();
}

bool FirstSeen::operator()(std::string_view s) {
  if (count_ < few_.size()) {
    for (std::size_t i = 0; i < count_; ++i)
      if (few_[i] == s) return false;
    few_[count_++] = s;
    return true;
  }
  if (many_.empty()) many_.insert(few_.begin(), few_.end());
  return many_.insert(s).second;
}

std::string format_number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::size_t count_byte(std::string_view s, char c) {
  std::size_t n = 0, i = 0;
  for (; i + 64 <= s.size(); i += 64) {
    unsigned char in_block = 0; // at most 64
    for (std::size_t k = 0; k < 64; ++k) in_block += s[i + k] == c;
    n += in_block;
  }
  for (; i < s.size(); ++i) n += s[i] == c;
  return n;
}

} // namespace nsmon::util
