# Precompiled headers (NSMON_PCH, on by default): the standard headers most sources include, and
# Catch2 and nlohmann/json in the unit tests, are parsed once per target instead of once per
# source (at -O0 -g, catch2/catch.hpp costs ~1.4 s in every test source, nlohmann/json.hpp ~2.4 s,
# the standard headers below ~1.4 s). CLI11 is not among them: what cli/'s sources spend is its
# templates instantiated and compiled, which a precompiled header does not save (measured).
# A source still includes what it uses: clang-tidy (.ci/check-format.sh) and the fuzz preset
# (NSMON_PCH=OFF) compile each source on its own includes.
option(NSMON_PCH "Precompile the headers most sources include" ON)

set(NSMON_PCH_STD <algorithm> <cstdint> <functional> <map> <memory> <optional> <set> <string>
                  <string_view> <utility> <vector>)

# nsmon_pch(target [header...]): the standard headers above, plus the given ones, precompiled for
# TARGET.
function(nsmon_pch target)
  if(NSMON_PCH)
    target_precompile_headers(${target} PRIVATE ${NSMON_PCH_STD} ${ARGN})
  endif()
endfunction()
