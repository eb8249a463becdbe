#pragma once
#include <stdexcept>
#include <string>

namespace nsmon {

/// An environment failure (unreadable file, network); caught once in cli::main.
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A usage error: bad flags or arguments (exit code 2).
struct UsageError : Error {
  using Error::Error;
};

} // namespace nsmon
