// Whose endpoint it is (watch/owner.hpp): the proofs that an answer is not the command's, and the
// process listening on a local port.
#include <arpa/inet.h>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "nsmon/util/humanize.hpp"
#include "nsmon/watch/owner.hpp"

using namespace nsmon::watch;

namespace {

ScrapeResult answer(std::optional<double> process_start) {
  ScrapeResult r;
  r.ok = r.answered = true;
  r.snapshot.process_start_time = process_start;
  return r;
}

constexpr std::int64_t kStarted = 1'700'000'000'000; // the command's start, ms

} // namespace

TEST_CASE("an answer before the start or after the end of the command is not the command's", "[watch][owner]") {
  CHECK(not_the_commands(answer(std::nullopt), FetchTime::before_start, kStarted) ==
        "it answered before the command was started");
  CHECK(not_the_commands(answer(std::nullopt), FetchTime::after_end, kStarted) ==
        "it still answered after the command had ended");
  CHECK(not_the_commands(answer(std::nullopt), FetchTime::running, kStarted).empty());
}

TEST_CASE("a process that started before the command is not the command's, within a clock slack", "[watch][owner]") {
  const double started = kStarted / 1000.0;
  CHECK(not_the_commands(answer(started - 572), FetchTime::running, kStarted) ==
        "its process started 9m 32s before the command");
  CHECK(not_the_commands(answer(started - 600), FetchTime::before_start, kStarted) ==
        "it answered before the command was started, and its process started 10m 0s before the command");
  // /proc/stat's boot time is whole seconds: the command's own process may look a little early.
  CHECK(not_the_commands(answer(started - 1.5), FetchTime::running, kStarted).empty());
  CHECK(not_the_commands(answer(started + 0.2), FetchTime::running, kStarted).empty());
}

TEST_CASE("the process listening on a loopback port is named, other hosts are not looked up", "[watch][owner]") {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0);
  REQUIRE(::listen(fd, 1) == 0);
  socklen_t len = sizeof a;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0);
  const std::string port = std::to_string(ntohs(a.sin_port));
  const std::string self = "pid " + std::to_string(::getpid()) + ": ";
  for (const std::string& url : {"http://127.0.0.1:" + port + "/metrics", "http://localhost:" + port,
                                 "http://user:secret@127.0.0.1:" + port + "/metrics?x=1"}) {
    INFO(url);
    auto who = listening_process(url);
    REQUIRE(who);
    CHECK(who->rfind(self, 0) == 0);
    CHECK(who->find("nsmon_unit_tests") != std::string::npos);
  }
  CHECK(nsmon::util::fmt::width(listening_process("http://127.0.0.1:" + port, 20)->substr(self.size())) <= 20);
  CHECK_FALSE(listening_process("http://192.0.2.1:" + port + "/metrics"));
  CHECK_FALSE(listening_process("fake://metrics"));
  ::close(fd);
  CHECK_FALSE(listening_process("http://127.0.0.1:" + port + "/metrics"));
}
