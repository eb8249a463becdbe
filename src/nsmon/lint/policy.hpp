#pragma once
#include <vector>

#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"
#include "nsmon/lint/lint.hpp"

namespace nsmon::lint {

/// Reads a policy file (--policy FILE), strictly: unknown keys, wrong types and unknown check ids
/// are positioned errors in `diags` (with "did you mean"). Keys that are absent keep the defaults
/// of Policy. Example:
///
///     severity_label: severity
///     severity_values: [page, ticket, info]
///     required_annotations: [summary, description, runbook_url]
///     disable: [promql/regex-anchors]
///     severity: {rules/record-naming: off, units/out-of-range: error}
Policy load_policy(const core::SourceFile& src, std::vector<core::Diagnostic>& diags);

} // namespace nsmon::lint
