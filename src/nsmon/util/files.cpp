#include "nsmon/util/files.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <glob.h>
#include <iostream>
#include <iterator>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "nsmon/core/error.hpp"

namespace nsmon::util {

std::vector<std::string> glob(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  if (::glob(pattern.c_str(), 0, nullptr, &g) == 0)
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  return out;
}

namespace {
std::string os_error(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}
} // namespace

std::string read_file(const std::string& path, std::size_t spare) {
  if (path == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw UnreadableFile(os_error("cannot read", path), path);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    throw UnreadableFile("cannot read " + path + ": is a directory", path);
  }
  // Straight into the string: a regular file in one read of its size, into one allocation of its
  // size and `spare` (it may have changed since: read to the end all the same).
  std::string out;
  const std::size_t size = S_ISREG(st.st_mode) && st.st_size > 0 ? static_cast<std::size_t>(st.st_size) : 0;
  out.reserve(size + 1 + spare);
  out.resize(std::max<std::size_t>(size + 1, 1 << 16)); // +1: the read that finds the end
  std::size_t used = 0;
  for (;;) {
    if (used == out.size()) out.resize(2 * out.size());
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string msg = os_error("cannot read", path);
      ::close(fd);
      throw UnreadableFile(msg, path);
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  out.resize(used);
  ::close(fd);
  return out;
}

namespace {

// Writes `content` to a temporary file next to `path` and syncs it; returns its name.
std::string write_temp(const std::string& path, const std::string& content) {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw Error(os_error("cannot write", path));
  std::size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string msg = os_error("cannot write", path);
      ::close(fd);
      ::unlink(tmp.c_str());
      throw Error(msg);
    }
    done += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  bool closed = ::close(fd) == 0;
  if (!synced || !closed) {
    std::string msg = os_error("cannot write", path);
    ::unlink(tmp.c_str());
    throw Error(msg);
  }
  return tmp;
}

void rename_into_place(const std::string& tmp, const std::string& path) {
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string msg = os_error("cannot write", path);
    ::unlink(tmp.c_str());
    throw Error(msg);
  }
}

} // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  rename_into_place(write_temp(path, content), path);
}

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::string> temps;
  try {
    for (const auto& [path, content] : files) temps.push_back(write_temp(path, content));
  } catch (const Error&) {
    for (const auto& t : temps) ::unlink(t.c_str());
    throw;
  }
  for (std::size_t i = 0; i < files.size(); ++i) rename_into_place(temps[i], files[i].first);
}

InputText::InputText(const std::string& path) {
  int fd = path == "-" ? 0 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (p != MAP_FAILED) {
      map_ = p;
      size_ = static_cast<std::size_t>(st.st_size);
    }
  }
  if (fd > 0) ::close(fd);
  // Errors (no such file, a directory) are left to read_file, which words them.
  if (!map_) owned_ = read_file(path == "-" ? "/dev/stdin" : path);
}

std::unique_ptr<InputText> InputText::of(std::string text) {
  std::unique_ptr<InputText> t(new InputText());
  t->owned_ = std::move(text);
  return t;
}

InputText::~InputText() {
  if (map_) ::munmap(map_, size_);
}

} // namespace nsmon::util
