# nsmon_embed(target name file): compiles FILE into TARGET as
#   namespace nsmon::embedded { extern const std::string_view <name>; }
# The bytes are written as a char array, so any content (quotes, NULs) is safe.
function(nsmon_embed target name file)
  set(out ${CMAKE_CURRENT_BINARY_DIR}/generated/embedded_${name}.cpp)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out} -DNAME=${name}
            -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    DEPENDS ${file} ${PROJECT_SOURCE_DIR}/cmake/EmbedFile.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE ${out})
endfunction()
