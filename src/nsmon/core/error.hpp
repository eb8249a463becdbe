#pragma once
#include <stdexcept>
#include <string>

namespace nsmon {

/// An environment failure: an input that cannot be read or is invalid; caught once in cli::main.
/// The kind of failure decides the exit code (exit_code_for in core/exit_codes.hpp).
struct Error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// A usage error: bad flags or arguments.
struct UsageError : Error {
  using Error::Error;
};

/// A server that could not be reached or understood (connection refused, timeout, an answer that
/// is not what was asked for): the same fault, and the same exit code, in every subcommand.
struct ServerError : Error {
  using Error::Error;
};

} // namespace nsmon
