#include "nsmon/util/parallel.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace nsmon::util {

namespace {

// How long a worker keeps looking for the next job before it parks (and how long a caller spins
// before it sleeps on the workers): about as long as lint-rules' serial steps between two parallel
// ones, so that a worker is still awake for the next step; waking a parked one on a virtual
// machine costs more than the spin (bench/README, lint-rules).
constexpr auto kSpin = std::chrono::milliseconds(3);

void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until done() or kSpin has passed (the clock read every 64 turns); whether done().
template <class Done> bool spin_until(Done done) {
  const auto deadline = std::chrono::steady_clock::now() + kSpin;
  for (unsigned turn = 1;; ++turn) {
    if (done()) return true;
    cpu_relax();
    if (turn % 64 == 0 && std::chrono::steady_clock::now() >= deadline) return done();
  }
}

// The process's workers: started on first use, never stopped (detached; the process ends them).
// A job is posted by bumping `generation_` under the mutex; a worker reads the job under it too,
// so that a worker that was not wanted for a job and wakes late cannot mix two jobs' fields.
class Workers {
public:
  static Workers& get() {
    static Workers* w = new Workers; // never destroyed: detached threads may still be spinning
    return *w;
  }

  bool run(unsigned extra, void (*call)(void*), void* ctx) {
    std::unique_lock busy(busy_, std::try_to_lock);
    if (!busy.owns_lock()) return false;
    start(extra);
    {
      std::lock_guard lock(mutex_);
      call_ = call;
      ctx_ = ctx;
      wanted_ = extra;
      pending_.store(extra, std::memory_order_relaxed);
      generation_.fetch_add(1, std::memory_order_release);
    }
    posted_.notify_all();
    try {
      call(ctx);
    } catch (...) {
      wait();
      throw;
    }
    wait();
    return true;
  }

  void start(unsigned count) {
    count = std::min(count, kMaxWorkers - 1);
    std::lock_guard lock(mutex_);
    // A new worker waits for the next job: the one before may be over, its context gone.
    const std::uint64_t now = generation_.load(std::memory_order_relaxed);
    while (started_ < count) std::thread([this, i = started_++, now] { loop(i, now); }).detach();
  }

private:
  void loop(unsigned index, std::uint64_t seen) {
    // While it waits for its first job: its arena on huge pages, so that collapsing its first
    // pages does not delay the first step's end.
    advise_thread_heap();
    for (;;) {
      if (!spin_until([&] { return generation_.load(std::memory_order_acquire) != seen; })) {
        std::unique_lock lock(mutex_);
        posted_.wait(lock, [&] { return generation_.load(std::memory_order_relaxed) != seen; });
      }
      void (*call)(void*) = nullptr;
      void* ctx = nullptr;
      {
        std::lock_guard lock(mutex_);
        seen = generation_.load(std::memory_order_relaxed);
        if (index < wanted_) call = call_, ctx = ctx_;
      }
      if (call == nullptr) continue;
      call(ctx);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
        std::lock_guard lock(mutex_);
        finished_.notify_one();
      }
    }
  }

  void wait() {
    auto done = [&] { return pending_.load(std::memory_order_acquire) == 0; };
    if (spin_until(done)) return;
    std::unique_lock lock(mutex_);
    finished_.wait(lock, done);
  }

  std::mutex busy_; // held by the caller whose job runs
  std::mutex mutex_;
  std::condition_variable posted_, finished_;
  std::atomic<std::uint64_t> generation_{0};
  std::atomic<unsigned> pending_{0}; // wanted workers still running the job
  void (*call_)(void*) = nullptr;
  void* ctx_ = nullptr;
  unsigned wanted_ = 0; // workers 0 .. wanted_ - 1 run the job
  unsigned started_ = 0;
};

} // namespace

namespace detail {
bool run_on_workers(unsigned extra, void (*call)(void*), void* ctx) { return Workers::get().run(extra, call, ctx); }
} // namespace detail

void start_workers() {
  const unsigned threads = std::min(hardware_threads(), kMaxWorkers);
  if (threads > 1) Workers::get().start(threads - 1);
}

} // namespace nsmon::util
