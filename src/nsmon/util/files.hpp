#pragma once
#include <string>

namespace nsmon::util {

/// Reads a whole file ("-" is stdin); throws nsmon::Error with the path and the OS reason.
std::string read_file(const std::string& path);

/// Writes a file atomically: a temporary file in the same directory, fsync, then rename.
/// Never leaves a half-written file behind; throws nsmon::Error on failure.
void write_file_atomic(const std::string& path, const std::string& content);

} // namespace nsmon::util
