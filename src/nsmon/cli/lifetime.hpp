#pragma once
// Ending a command without tearing down what it built.
#include <memory>

namespace nsmon::cli {

/// Leaves `p` to the end of the process instead of destroying it: a command's big structures
/// (every rule, every finding) need no walk through their destructors right before exit. Builds
/// with AddressSanitizer destroy it as usual, so that their leak check still sees every owner.
template <class T> void keep_until_exit(std::unique_ptr<T> p) {
#if defined(__SANITIZE_ADDRESS__)
  p.reset();
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  p.reset();
#else
  static_cast<void>(p.release());
#endif
#else
  static_cast<void>(p.release());
#endif
}

} // namespace nsmon::cli
