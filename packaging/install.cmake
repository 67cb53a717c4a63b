# Install rules, desktop integration and installers (CPack).
#
#   cmake --install build --prefix /usr/local     # Linux: binaries, examples, .desktop, MIME type
#   cpack --config build/CPackConfig.cmake        # .deb on Linux, NSIS .exe on Windows, .dmg on macOS
#
# The bundled examples go to <prefix>/share/scalelens/examples, where data::examplesDir() looks
# first (relative to the executable), so an installed ScaleLens opens its example project.
include(GNUInstallDirs)

set(SCALELENS_INSTALL_TARGETS scalelens-cli)
if(TARGET scalelens)
    list(APPEND SCALELENS_INSTALL_TARGETS scalelens)
endif()
install(TARGETS ${SCALELENS_INSTALL_TARGETS}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    BUNDLE DESTINATION .)

install(DIRECTORY ${CMAKE_SOURCE_DIR}/datasets/examples/
    DESTINATION ${CMAKE_INSTALL_DATADIR}/scalelens/examples
    FILES_MATCHING PATTERN "*.csv" PATTERN "*.md" PATTERN "*.py" PATTERN "*.json")
install(FILES ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/README.md
    DESTINATION ${CMAKE_INSTALL_DOCDIR})

if(UNIX AND NOT APPLE)
    # Freedesktop integration: menu entry, icon, and the *.scalelens file association.
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/io.github.scalelens.ScaleLens.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/scalelens-mime.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/scalelens.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
endif()

if(APPLE AND TARGET scalelens)
    # Info.plist declares the .scalelens document type so Finder opens projects with ScaleLens.
    set_target_properties(scalelens PROPERTIES
        MACOSX_BUNDLE_INFO_PLIST ${CMAKE_SOURCE_DIR}/packaging/macos/Info.plist.in)
endif()

if(WIN32 AND TARGET scalelens)
    configure_file(${CMAKE_SOURCE_DIR}/packaging/windows/scalelens.rc.in
        ${CMAKE_BINARY_DIR}/scalelens.rc @ONLY)
    target_sources(scalelens PRIVATE ${CMAKE_BINARY_DIR}/scalelens.rc)
endif()

set(CPACK_PACKAGE_NAME "scalelens")
set(CPACK_PACKAGE_VENDOR "ScaleLens developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Fit, plot and plan LLM scaling laws")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY "ScaleLens")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_EXECUTABLES "scalelens;ScaleLens")
# Debian: runtime libraries of the build dependencies (qt6-base-dev etc. at build time).
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "ScaleLens developers")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Windows (NSIS): Start menu entry and the .scalelens file association.
set(CPACK_NSIS_DISPLAY_NAME "ScaleLens")
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "
  WriteRegStr HKCR '.scalelens' '' 'ScaleLens.Project'
  WriteRegStr HKCR 'ScaleLens.Project' '' 'ScaleLens project'
  WriteRegStr HKCR 'ScaleLens.Project\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\scalelens.exe\\\" \\\"%1\\\"'
")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "
  DeleteRegKey HKCR '.scalelens'
  DeleteRegKey HKCR 'ScaleLens.Project'
")
if(WIN32)
    set(CPACK_GENERATOR NSIS ZIP)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
else()
    set(CPACK_GENERATOR DEB TGZ)
endif()
include(CPack)
