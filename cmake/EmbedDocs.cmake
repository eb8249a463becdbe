# Script mode: writes OUT, a C++ file holding every check page under DIR (DIR/<family>/<name>.md)
# as nsmon::embedded::check_pages, {id, markdown} sorted by id (core/check_docs.cpp reads them).
# The pages go in as raw string literals, so the generated file reads like the pages themselves.
file(GLOB_RECURSE pages RELATIVE ${DIR} ${DIR}/*/*.md)
# Sorted by id, not by file name: "a/x-y.md" sorts before "a/x.md", "a/x" before "a/x-y".
list(TRANSFORM pages REPLACE "\\.md$" "" OUTPUT_VARIABLE ids)
list(SORT ids)
set(body "")
set(count 0)
foreach(id ${ids})
  set(page ${id}.md)
  file(READ ${DIR}/${page} text)
  string(FIND "${text}" ")nsmon_page\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${DIR}/${page}: the text )nsmon_page\" ends the embedded literal; reword it")
  endif()
  string(APPEND body "    {\"${id}\", R\"nsmon_page(${text})nsmon_page\"},\n")
  math(EXPR count "${count} + 1")
endforeach()
file(WRITE ${OUT}.tmp
"#include <cstddef>\n"
"#include <string_view>\n"
"namespace nsmon::embedded {\n"
"struct CheckPage {\n  std::string_view id;\n  std::string_view markdown;\n};\n"
"extern const CheckPage check_pages[];\n"
"extern const std::size_t check_pages_size;\n"
"const CheckPage check_pages[] = {\n${body}    {\"\", \"\"}};\n"
"const std::size_t check_pages_size = ${count};\n"
"}\n")
file(RENAME ${OUT}.tmp ${OUT})
