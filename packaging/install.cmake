# Install rules, desktop integration and installers (CPack).
#
#   cmake --install build --prefix /usr/local     # Linux: binaries, examples, .desktop, MIME type
#   cpack --config build/CPackConfig.cmake -G DEB # .deb (lintian-clean); NSIS .exe on Windows,
#                                                 # DragNDrop .dmg on macOS
#
# The bundled examples go to <prefix>/share/scalelens/examples (Linux, Windows) or to
# scalelens.app/Contents/Resources/examples (macOS), the two places data::examplesDir() looks
# relative to the executable, so an installed ScaleLens opens its example project.
include(GNUInstallDirs)

# Debian wants /usr/share/doc/<package>; GNUInstallDirs would give the project name (ScaleLens).
set(SCALELENS_DOC_DIR ${CMAKE_INSTALL_DATADIR}/doc/scalelens)

# ---- Icons for Windows and macOS, rendered from the SVG at build time ------------------------
if(TARGET Qt6::Svg)
    add_executable(scalelens-make-icons ${CMAKE_SOURCE_DIR}/packaging/icons/make_icons.cpp)
    target_link_libraries(scalelens-make-icons PRIVATE Qt6::Gui Qt6::Svg scalelens_warnings)
    set(SCALELENS_ICO ${CMAKE_BINARY_DIR}/icons/scalelens.ico)
    set(SCALELENS_ICNS ${CMAKE_BINARY_DIR}/icons/scalelens.icns)
    add_custom_command(OUTPUT ${SCALELENS_ICO} ${SCALELENS_ICNS}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons
        COMMAND scalelens-make-icons ${CMAKE_SOURCE_DIR}/resources/icons/scalelens.svg
                ${SCALELENS_ICO} ${SCALELENS_ICNS}
        DEPENDS scalelens-make-icons ${CMAKE_SOURCE_DIR}/resources/icons/scalelens.svg
        COMMENT "Rendering scalelens.ico and scalelens.icns from scalelens.svg")
    add_custom_target(scalelens-icons DEPENDS ${SCALELENS_ICO} ${SCALELENS_ICNS})
endif()

# ---- Binaries --------------------------------------------------------------------------------
set(SCALELENS_EXAMPLES_DESTINATION ${CMAKE_INSTALL_DATADIR}/scalelens/examples)
set(SCALELENS_CLI_DESTINATION ${CMAKE_INSTALL_BINDIR})
if(APPLE AND TARGET scalelens)
    # Everything inside the bundle, so the DMG holds one scalelens.app: the CLI sits next to the
    # GUI in Contents/MacOS and finds the examples in ../Resources/examples.
    set(SCALELENS_EXAMPLES_DESTINATION scalelens.app/Contents/Resources/examples)
    set(SCALELENS_CLI_DESTINATION scalelens.app/Contents/MacOS)
endif()
install(TARGETS scalelens-cli RUNTIME DESTINATION ${SCALELENS_CLI_DESTINATION})
if(TARGET scalelens)
    install(TARGETS scalelens
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
        BUNDLE DESTINATION .)
endif()

install(DIRECTORY ${CMAKE_SOURCE_DIR}/datasets/examples/
    DESTINATION ${SCALELENS_EXAMPLES_DESTINATION}
    FILES_MATCHING PATTERN "*.csv" PATTERN "*.md" PATTERN "*.py" PATTERN "*.json")
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${SCALELENS_DOC_DIR})

if(UNIX AND NOT APPLE)
    # Debian: copyright, changelog and manual pages (lintian); the licence text itself is
    # /usr/share/common-licenses/GPL-3, referenced from the copyright file.
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/copyright DESTINATION ${SCALELENS_DOC_DIR})
    find_program(SCALELENS_GZIP gzip)
    if(SCALELENS_GZIP)
        set(changelog_gz ${CMAKE_BINARY_DIR}/packaging/changelog.gz)
        set(man_pages ${CMAKE_BINARY_DIR}/packaging/scalelens-cli.1.gz)
        add_custom_command(OUTPUT ${changelog_gz}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
            COMMAND ${SCALELENS_GZIP} -9nc ${CMAKE_SOURCE_DIR}/packaging/linux/changelog
                    > ${changelog_gz}
            DEPENDS ${CMAKE_SOURCE_DIR}/packaging/linux/changelog)
        # Manual pages from --help, so they cannot drift from the programs.
        set(man_targets scalelens-cli)
        set(man_summary_scalelens-cli "fit, plot and plan LLM scaling laws from the command line")
        set(man_summary_scalelens "desktop explorer for LLM scaling laws")
        if(TARGET scalelens)
            list(APPEND man_targets scalelens)
            list(APPEND man_pages ${CMAKE_BINARY_DIR}/packaging/scalelens.1.gz)
        endif()
        foreach(prog IN LISTS man_targets)
            set(page ${CMAKE_BINARY_DIR}/packaging/${prog}.1)
            add_custom_command(OUTPUT ${page}.gz
                COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/packaging
                COMMAND ${CMAKE_COMMAND} -DEXE=$<TARGET_FILE:${prog}> -DNAME=${prog}
                        -DVERSION=${PROJECT_VERSION} "-DSUMMARY=${man_summary_${prog}}"
                        -DOUT=${page} -DSUBCOMMANDS=$<STREQUAL:${prog},scalelens-cli>
                        -P ${CMAKE_SOURCE_DIR}/packaging/man_from_help.cmake
                COMMAND ${SCALELENS_GZIP} -9nf ${page}
                DEPENDS ${prog} ${CMAKE_SOURCE_DIR}/packaging/man_from_help.cmake)
        endforeach()
        add_custom_target(scalelens-debian-docs ALL DEPENDS ${changelog_gz} ${man_pages})
        install(FILES ${changelog_gz} DESTINATION ${SCALELENS_DOC_DIR})
        install(FILES ${man_pages} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
    endif()

    # Freedesktop integration: menu entry, AppStream metainfo, icon, *.scalelens association.
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/io.github.scalelens.ScaleLens.desktop
        DESTINATION ${CMAKE_INSTALL_DATADIR}/applications)
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/io.github.scalelens.ScaleLens.metainfo.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo)
    install(FILES ${CMAKE_SOURCE_DIR}/packaging/linux/scalelens-mime.xml
        DESTINATION ${CMAKE_INSTALL_DATADIR}/mime/packages)
    install(FILES ${CMAKE_SOURCE_DIR}/resources/icons/scalelens.svg
        DESTINATION ${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps)
else()
    install(FILES ${CMAKE_SOURCE_DIR}/LICENSE DESTINATION ${SCALELENS_DOC_DIR})
endif()

if(APPLE AND TARGET scalelens)
    # Info.plist declares the icon and the .scalelens document type (Finder opens projects).
    set_target_properties(scalelens PROPERTIES
        MACOSX_BUNDLE_INFO_PLIST ${CMAKE_SOURCE_DIR}/packaging/macos/Info.plist.in)
    set_source_files_properties(${SCALELENS_ICNS} TARGET_DIRECTORY scalelens PROPERTIES
        MACOSX_PACKAGE_LOCATION Resources GENERATED TRUE)
    target_sources(scalelens PRIVATE ${SCALELENS_ICNS})
    add_dependencies(scalelens scalelens-icons)
endif()

if(WIN32 AND TARGET scalelens)
    # Version info and icon; the .rc file uses ${...} placeholders (no @ONLY).
    set(SCALELENS_ICO_FOR_RC ${SCALELENS_ICO})
    configure_file(${CMAKE_SOURCE_DIR}/packaging/windows/scalelens.rc.in
        ${CMAKE_BINARY_DIR}/scalelens.rc)
    set_source_files_properties(${CMAKE_BINARY_DIR}/scalelens.rc TARGET_DIRECTORY scalelens
        PROPERTIES OBJECT_DEPENDS ${SCALELENS_ICO})
    target_sources(scalelens PRIVATE ${CMAKE_BINARY_DIR}/scalelens.rc)
    add_dependencies(scalelens scalelens-icons)
endif()

# Qt libraries and plug-ins inside the NSIS installer and the DMG (windeployqt / macdeployqt
# through Qt's deployment functions), for the GUI and the CLI next to it. Linux packages use the
# distribution's Qt instead.
if((WIN32 OR APPLE) AND TARGET scalelens)
    if(Qt6_VERSION VERSION_LESS 6.5)
        message(WARNING "Qt ${Qt6_VERSION}: the installer will lack Qt (deployment needs Qt 6.5)")
    else()
        if(APPLE)
            set(deploy_exe "scalelens.app")
            set(deploy_extra "scalelens.app/Contents/MacOS/$<TARGET_FILE_NAME:scalelens-cli>")
        else()
            set(deploy_exe "${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:scalelens>")
            set(deploy_extra "${CMAKE_INSTALL_BINDIR}/$<TARGET_FILE_NAME:scalelens-cli>")
        endif()
        qt_generate_deploy_script(TARGET scalelens OUTPUT_SCRIPT scalelens_deploy CONTENT "
qt_deploy_runtime_dependencies(
    EXECUTABLE \"${deploy_exe}\"
    ADDITIONAL_EXECUTABLES \"${deploy_extra}\"
    GENERATE_QT_CONF
    NO_TRANSLATIONS)
")
        install(SCRIPT ${scalelens_deploy})
    endif()
endif()

set(CPACK_PACKAGE_NAME "scalelens")
set(CPACK_PACKAGE_VENDOR "ScaleLens developers")
set(CPACK_PACKAGE_CONTACT "ScaleLens developers <scalelens@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "fit, plot and plan LLM scaling laws")
# Debian's extended description: lines of at most 79 characters after the leading space.
set(CPACK_PACKAGE_DESCRIPTION
    "ScaleLens imports language-model training logs (CSV tables, TensorBoard
and Weights and Biases exports, MLflow folders) into a project file and
fits scaling laws to them: Chinchilla-style loss laws in model size and
data, compute-optimal allocation, learning-rate and batch-size laws,
capacity density and knowledge capacity. It draws the fits with
confidence intervals and back-tests, and answers planning questions
(model size and tokens for a compute budget).
.
This package holds the desktop application (scalelens), the command line
(scalelens-cli) and an example project built from published laws.")
set(CPACK_PACKAGE_HOMEPAGE_URL "https://github.com/scalelens/scalelens")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_INSTALL_DIRECTORY "ScaleLens")
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGE_EXECUTABLES "scalelens;ScaleLens")
set(CPACK_STRIP_FILES ON)
# Debian: runtime libraries found by dpkg-shlibdeps; the Qt platform plug-ins are no library
# dependency, hence the explicit Recommends (as Debian's own Qt applications have).
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-qpa-plugins")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Windows (NSIS): Start menu entry, icon and the .scalelens file association.
set(CPACK_NSIS_DISPLAY_NAME "ScaleLens")
if(SCALELENS_ICO)
    file(TO_NATIVE_PATH "${SCALELENS_ICO}" scalelens_ico_native)
    string(REPLACE "\\" "\\\\" scalelens_ico_native "${scalelens_ico_native}")
    set(CPACK_NSIS_MUI_ICON "${scalelens_ico_native}")
    set(CPACK_NSIS_MUI_UNIICON "${scalelens_ico_native}")
endif()
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\\\scalelens.exe")
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "
  WriteRegStr HKCR '.scalelens' '' 'ScaleLens.Project'
  WriteRegStr HKCR 'ScaleLens.Project' '' 'ScaleLens project'
  WriteRegStr HKCR 'ScaleLens.Project\\\\shell\\\\open\\\\command' '' '\\\"$INSTDIR\\\\bin\\\\scalelens.exe\\\" \\\"%1\\\"'
")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS "
  DeleteRegKey HKCR '.scalelens'
  DeleteRegKey HKCR 'ScaleLens.Project'
")
# macOS: the DMG shows scalelens.app.
set(CPACK_DMG_VOLUME_NAME "ScaleLens")
if(WIN32)
    set(CPACK_GENERATOR NSIS ZIP)
elseif(APPLE)
    set(CPACK_GENERATOR DragNDrop)
else()
    set(CPACK_GENERATOR DEB TGZ)
endif()
include(CPack)
