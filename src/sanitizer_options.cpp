// Linked into every executable of a sanitizer build (NSMON_SANITIZE, CMakeLists.txt) only.
//
// intercept_tls_get_addr=0: the sanitizer runtimes of GCC up to 13 and LLVM up to 16 take a
// dynamic TLS block that happens to start 16 bytes into a page for one with glibc's pre-2.25
// header, and read a bogus address and size from the two words before it. LeakSanitizer's tracer
// then dies at exit ("Tracer caught signal 11") in processes with threads that use TLS (libcurl's
// resolver): the run fails with no leak found, depending on where malloc placed the block
// (google/sanitizers#1322). The cost: LeakSanitizer no longer scans dynamic TLS blocks (those of
// libraries loaded at run time) for pointers, so a block reachable only from there would be
// reported as a leak; nsmon keeps none there.
// ASAN_OPTIONS set by a user still wins over these defaults.
extern "C" const char* __asan_default_options(); // NOLINT(bugprone-reserved-identifier)

extern "C" const char* __asan_default_options() { // NOLINT(bugprone-reserved-identifier)
  return "intercept_tls_get_addr=0";
}
