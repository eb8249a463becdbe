#include "nsmon/lint/analysis.hpp"

namespace nsmon::lint {

void Analysis::run() {
  // Filled in by the check families (work in progress).
}

} // namespace nsmon::lint
