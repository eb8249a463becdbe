#include "nsmon/watch/owner.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <vector>

#include "nsmon/util/files.hpp"
#include "nsmon/util/humanize.hpp"
#include "nsmon/util/url.hpp"

namespace nsmon::watch {

std::string not_the_commands(const ScrapeResult& r, FetchTime when, std::int64_t started_ms) {
  std::string started;
  if (r.snapshot.process_start_time) {
    const double before_ms = static_cast<double>(started_ms) - *r.snapshot.process_start_time * 1000;
    if (before_ms > kStartTimeSlackMs)
      started = "its process started " + util::fmt::duration(before_ms / 1000) + " before the command";
  }
  std::string why;
  if (when == FetchTime::before_start) why = "it answered before the command was started";
  else if (when == FetchTime::after_end) why = "it still answered after the command had ended";
  if (why.empty()) return started;
  return started.empty() ? why : why + ", and " + started;
}

std::string another_process_text(std::string_view target, std::string_view why) {
  return std::string(target) + " is another process's, not the command's: " + std::string(why) +
         "; nothing it serves is the run's (--attach: watch it anyway)";
}

namespace {

struct HostPort {
  std::string host;
  int port = 0;
};

std::optional<HostPort> host_port(std::string_view url) {
  const bool https = util::ascii_lower(url.substr(0, 8)) == "https://";
  if (!https && util::ascii_lower(url.substr(0, 7)) != "http://") return std::nullopt;
  auto [begin, end] = util::url_authority(url);
  std::string_view a = url.substr(begin, end - begin);
  if (auto at = a.rfind('@'); at != std::string_view::npos) a.remove_prefix(at + 1);
  HostPort hp;
  std::string_view port;
  if (!a.empty() && a.front() == '[') {
    auto close = a.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    hp.host = std::string(a.substr(1, close - 1));
    if (close + 1 < a.size() && a[close + 1] == ':') port = a.substr(close + 2);
  } else {
    auto colon = a.rfind(':');
    hp.host = std::string(a.substr(0, colon));
    if (colon != std::string_view::npos) port = a.substr(colon + 1);
  }
  hp.port = https ? 443 : 80;
  if (!port.empty()) {
    hp.port = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || hp.port > 65535) return std::nullopt;
      hp.port = hp.port * 10 + (c - '0');
    }
  }
  return hp;
}

bool loopback_host(const std::string& host) {
  const std::string h = util::ascii_lower(host);
  return h == "localhost" || h.rfind("127.", 0) == 0 || h == "::1" || h == "0.0.0.0";
}

// An address of /proc/net/tcp{,6}: 32-bit words, each printed as the native integer of its bytes.
std::vector<unsigned char> proc_address(std::string_view hex) {
  std::vector<unsigned char> bytes;
  for (std::size_t i = 0; i + 8 <= hex.size(); i += 8) {
    std::uint32_t word = static_cast<std::uint32_t>(std::stoul(std::string(hex.substr(i, 8)), nullptr, 16));
    unsigned char b[4];
    std::memcpy(b, &word, 4);
    bytes.insert(bytes.end(), b, b + 4);
  }
  return bytes;
}

// A listener there takes connections to 127.0.0.1 or ::1: the any address, or a loopback one
// (IPv4-mapped ones too).
bool takes_loopback(const std::vector<unsigned char>& a) {
  if (std::all_of(a.begin(), a.end(), [](unsigned char b) { return b == 0; })) return true;
  if (a.size() == 4) return a[0] == 127;
  if (a.size() != 16) return false;
  static constexpr std::array<unsigned char, 16> one = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  if (std::equal(a.begin(), a.end(), one.begin())) return true;
  const bool mapped =
      std::all_of(a.begin(), a.begin() + 10, [](unsigned char b) { return b == 0; }) && a[10] == 0xff && a[11] == 0xff;
  return mapped && (a[12] == 127 || (a[12] == 0 && a[13] == 0 && a[14] == 0 && a[15] == 0));
}

// A listening TCP socket that takes loopback connections.
struct Listener {
  int port = 0;
  std::string inode; ///< as a descriptor's link names it: "socket:[123]"
};

// A /proc file's text, or "" when it cannot be read: a process can end between the listing of
// /proc and the read, which then fails with ESRCH (an exception from an ifstream's buffer, which
// took nsmon watch down in CI).
std::string proc_text(const std::string& path) {
  try {
    return util::read_file(path);
  } catch (const std::exception&) {
    return {};
  }
}

std::vector<Listener> loopback_listeners() {
  std::vector<Listener> out;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::istringstream in(proc_text(table));
    std::string line;
    std::getline(in, line); // the header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
      if (!(fields >> sl >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode))
        continue;
      auto colon = local.find(':');
      if (state != "0A" || colon == std::string::npos) continue; // 0A: TCP_LISTEN
      try {
        if (!takes_loopback(proc_address(std::string_view(local).substr(0, colon)))) continue;
        out.push_back({std::stoi(local.substr(colon + 1), nullptr, 16), "socket:[" + inode + "]"});
      } catch (const std::exception&) {
        continue;
      }
    }
  }
  return out;
}

// The inodes of the listening sockets on `port` that take loopback connections.
std::vector<std::string> listening_inodes(int port) {
  std::vector<std::string> inodes;
  for (auto& l : loopback_listeners())
    if (l.port == port) inodes.push_back(std::move(l.inode));
  return inodes;
}

bool is_pid(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// What each descriptor of process `pid` points at ("socket:[123]", a path, ...); empty when its
// descriptors cannot be read (another user's process, or gone).
std::vector<std::string> descriptor_targets(const std::string& pid) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator fd("/proc/" + pid + "/fd", ec), end; !ec && fd != end; fd.increment(ec)) {
    std::error_code link_ec;
    std::string target = fs::read_symlink(fd->path(), link_ec).string();
    if (!link_ec) out.push_back(std::move(target));
  }
  return out;
}

// Process `root` and its descendants, from the parent of every process in /proc/PID/stat.
std::vector<std::string> process_tree(int root) {
  namespace fs = std::filesystem;
  std::vector<std::pair<std::string, std::string>> parent_of; // (pid, ppid)
  std::error_code ec;
  for (fs::directory_iterator p("/proc", ec), end; !ec && p != end; p.increment(ec)) {
    const std::string pid = p->path().filename().string();
    if (!is_pid(pid)) continue;
    const std::string stat = proc_text(p->path() / "stat");
    // "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, the last ")" ends it.
    auto close = stat.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(stat.substr(close + 1));
    std::string state, ppid;
    if (rest >> state >> ppid) parent_of.emplace_back(pid, ppid);
  }
  std::vector<std::string> tree = {std::to_string(root)};
  for (std::size_t i = 0; i < tree.size(); ++i)
    for (const auto& [pid, ppid] : parent_of)
      if (ppid == tree[i]) tree.push_back(pid);
  return tree;
}

std::string command_line(const std::string& pid) {
  std::string cmd = proc_text("/proc/" + pid + "/cmdline");
  while (!cmd.empty() && cmd.back() == '\0') cmd.pop_back();
  std::replace(cmd.begin(), cmd.end(), '\0', ' ');
  return cmd;
}

} // namespace

std::optional<std::string> listening_process(std::string_view url, std::size_t width) {
  auto hp = host_port(url);
  if (!hp || !loopback_host(hp->host)) return std::nullopt;
  const std::vector<std::string> inodes = listening_inodes(hp->port);
  if (inodes.empty()) return std::nullopt;
  namespace fs = std::filesystem;
  std::error_code ec;
  for (fs::directory_iterator p("/proc", ec), end; !ec && p != end; p.increment(ec)) {
    const std::string pid = p->path().filename().string();
    if (!is_pid(pid)) continue;
    for (const auto& target : descriptor_targets(pid)) {
      if (std::find(inodes.begin(), inodes.end(), target) == inodes.end()) continue;
      std::string cmd = util::fmt::sanitize(command_line(pid), false);
      return "pid " + pid + (cmd.empty() ? "" : ": " + util::fmt::fit(cmd, width));
    }
  }
  return std::nullopt;
}

std::vector<int> listening_ports(int pid) {
  const std::vector<Listener> listeners = loopback_listeners();
  std::vector<int> ports;
  if (listeners.empty()) return ports;
  for (const auto& p : process_tree(pid))
    for (const auto& target : descriptor_targets(p))
      for (const auto& l : listeners)
        if (l.inode == target) ports.push_back(l.port);
  std::sort(ports.begin(), ports.end());
  ports.erase(std::unique(ports.begin(), ports.end()), ports.end());
  return ports;
}

std::string with_port(std::string_view url, int port) {
  auto hp = host_port(url);
  if (!hp) return std::string(url);
  auto [begin, end] = util::url_authority(url);
  const std::string host = hp->host.find(':') != std::string::npos ? "[" + hp->host + "]" : hp->host;
  return std::string(url.substr(0, begin)) + host + ":" + std::to_string(port) + std::string(url.substr(end));
}

} // namespace nsmon::watch
