# Script mode: writes OUT, a C++ file holding the bytes of IN as nsmon::embedded::NAME.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR size "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
string(REGEX REPLACE "(('\\\\x[0-9a-f][0-9a-f]',){16})" "\\1\n" bytes "${bytes}")
file(WRITE ${OUT}.tmp
"#include <string_view>\n"
"namespace nsmon::embedded {\n"
"static const char ${NAME}_data[] = {${bytes} '\\0'};\n"
"extern const std::string_view ${NAME};\n"
"const std::string_view ${NAME}(${NAME}_data, ${size});\n"
"}\n")
file(RENAME ${OUT}.tmp ${OUT})
