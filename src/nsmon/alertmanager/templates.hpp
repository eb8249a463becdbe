#pragma once
// Alertmanager's Go templates: the files of `templates:` and the {{ ... }} in receivers' fields
// must parse as Go's text/template parses them with Alertmanager's functions. Alertmanager itself
// parses the files when it loads the configuration and the inline ones only when it notifies.
#include <string>
#include <string_view>
#include <vector>

#include "nsmon/alertmanager/config.hpp"
#include "nsmon/core/diagnostic.hpp"
#include "nsmon/core/source.hpp"

namespace nsmon::alertmanager {

/// Empty if `text` parses, else Go's message ("template: NAME:LINE: ...").
std::string template_error(std::string_view text, std::string_view name);

/// A template file of `templates:`; its parse error (alertmanager/template) at its line.
void check_template_file(const core::SourceFile& file, std::vector<core::Diagnostic>& diags);

/// Go's parse error of the template file `path` ("template: NAME:LINE: ...") at its line.
core::Diagnostic template_file_error(const std::string& path, const std::string& err);

/// The names a template text defines ({{ define "name" }}).
std::vector<std::string> defined_templates(std::string_view text);

/// {{ template "name" }} in a receiver whose name neither `defined` (the templates: files) nor
/// Alertmanager's default templates define: alertmanager/undefined-template (the notification
/// fails to render when it is sent).
void check_template_names(const Config& cfg, const std::vector<std::string>& defined,
                          std::vector<core::Diagnostic>& diags);

/// Why `value` looks like a placeholder left in a configuration ("YOUR_...", "example.com", ...),
/// or empty.
std::string placeholder(std::string_view value);

} // namespace nsmon::alertmanager
