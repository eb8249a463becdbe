#pragma once

namespace nsmon::core {

/// How bad a finding is, in the order --fail-on compares them.
enum class Severity { info, warning, error };
const char* to_string(Severity s);

} // namespace nsmon::core
