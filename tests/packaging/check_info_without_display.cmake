# `scalelens --help` and `--version` must work without a display: QT_QPA_PLATFORM names a
# platform plug-in that does not exist and DISPLAY / WAYLAND_DISPLAY are unset, so creating a
# QApplication would abort on every system.
#   cmake -DEXE=<scalelens> -DVERSION=<x.y.z> -P check_info_without_display.cmake
foreach(args "--help" "-h" "--version")
    execute_process(
        COMMAND ${CMAKE_COMMAND} -E env --unset=DISPLAY --unset=WAYLAND_DISPLAY
                QT_QPA_PLATFORM=scalelens-no-display ${EXE} ${args}
        RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "scalelens ${args} without a display: exit ${rc}\n${out}${err}")
    endif()
    if(args STREQUAL "--version")
        set(expected "^scalelens ${VERSION}\n$")
    else()
        set(expected "Usage: .*--example")
    endif()
    if(NOT out MATCHES "${expected}")
        message(FATAL_ERROR "scalelens ${args}: output does not match '${expected}':\n${out}")
    endif()
endforeach()
message(STATUS "scalelens --help/--version work without a display")
