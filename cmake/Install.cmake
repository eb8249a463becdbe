# Installation and the .deb: the binary, the shell completions where each shell looks for them,
# the man page (help2man, from the CLI's own --help), the default catalog, rules and templates.
include(GNUInstallDirs)

install(TARGETS nsmon RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES rules/catalog.yml DESTINATION ${CMAKE_INSTALL_DATADIR}/nsmon)
# The defaults every subcommand falls back to outside a clone (cli/defaults.cpp); templates/slo.yml
# reads rules/slo_rules.yml.
install(FILES rules/alert_rules.yml rules/prometheus.yml rules/slos.yml rules/slo_rules.yml rules/alertmanager.yml
              rules/alertmanager_cases.yml rules/alert_rules_test.yml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/nsmon/rules)
if(EXISTS ${PROJECT_SOURCE_DIR}/templates)
  install(DIRECTORY templates/ DESTINATION ${CMAKE_INSTALL_DATADIR}/nsmon/templates FILES_MATCHING PATTERN "*.yml")
endif()
install(FILES completions/nsmon.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME nsmon)
install(FILES completions/_nsmon DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)
install(FILES completions/nsmon.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# The man page: `nsmon --help` plus a section with every subcommand's --help (cmake/man.sh).
find_program(HELP2MAN help2man)
if(HELP2MAN)
  add_custom_command(OUTPUT ${PROJECT_BINARY_DIR}/nsmon.1
                     COMMAND bash ${PROJECT_SOURCE_DIR}/cmake/man.sh $<TARGET_FILE:nsmon> ${PROJECT_BINARY_DIR}/nsmon.1
                     DEPENDS nsmon ${PROJECT_SOURCE_DIR}/cmake/man.sh
                     COMMENT "Generating the man page nsmon.1 with help2man" VERBATIM)
  add_custom_target(man ALL DEPENDS ${PROJECT_BINARY_DIR}/nsmon.1)
  install(FILES ${PROJECT_BINARY_DIR}/nsmon.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page is built or installed (apt install help2man)")
endif()

# `cmake --build build --target update-completions` rewrites completions/ from the binary; the
# test e2e.completions_up_to_date fails while they differ.
add_custom_target(update-completions COMMAND bash ${PROJECT_SOURCE_DIR}/completions/update.sh $<TARGET_FILE:nsmon>
                  DEPENDS nsmon VERBATIM)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME nsmon)
set(CPACK_PACKAGE_VENDOR nsmon)
set(CPACK_PACKAGE_CONTACT "nsmon developers <nsmon@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "monitor the Neurosymbolic Object Detection application through Prometheus and Grafana")
set(CPACK_PACKAGE_DESCRIPTION "nsmon checks alerting rules, prometheus.yml, /metrics scrapes and Grafana \
dashboards against the application's metric catalog offline, watches training and inference runs \
live, and queries Prometheus-compatible servers, in terminals and in CI.")
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
# Depends from the binary's shared libraries (libre2-9, libstdc++6, ...) when dpkg-shlibdeps
# (dpkg-dev) is there, plus libcurl4, which nsmon loads with dlopen (http/curl_client.cpp), so
# dpkg-shlibdeps does not see it; otherwise Debian 12's names, written out.
find_program(DPKG_SHLIBDEPS dpkg-shlibdeps)
if(DPKG_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libcurl4")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libcurl4, libre2-9, libstdc++6, libgcc-s1")
endif()
# prometheus-alertmanager installs the default templates (default.tmpl) that test-rules and
# `routes test --alerts` render notifications with; tzdata the zones of time intervals.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "prometheus, prometheus-alertmanager, tzdata, bash-completion")
include(CPack)
