# Writes a manual page from a program's --help (and, for scalelens-cli, each command's --help),
# so the page never drifts from the program. Run at build time by packaging/install.cmake:
#
#   cmake -DEXE=build/bin/scalelens-cli -DNAME=scalelens-cli -DVERSION=0.1.0
#         -DSUMMARY="..." -DOUT=scalelens-cli.1 [-DSUBCOMMANDS=ON] -P man_from_help.cmake
foreach(var EXE NAME VERSION SUMMARY OUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "man_from_help.cmake: -D${var}=... is required")
    endif()
endforeach()

# --help must work without a display (QT_QPA_PLATFORM is left alone on purpose).
function(help_of out)
    execute_process(COMMAND ${EXE} ${ARGN} --help
        RESULT_VARIABLE rc OUTPUT_VARIABLE text ERROR_VARIABLE err)
    if(NOT rc EQUAL 0 OR text STREQUAL "")
        message(FATAL_ERROR "${EXE} ${ARGN} --help failed (exit ${rc}): ${err}")
    endif()
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as roff no-fill lines: backslashes escaped, lines starting with . or ' protected.
function(roff_verbatim out text)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    string(REGEX REPLACE "\n+$" "" text "${text}")
    set(${out} ".nf\n${text}\n.fi\n" PARENT_SCOPE)
endfunction()

string(TOUPPER "${NAME}" title)
help_of(help)
roff_verbatim(body "${help}")
set(page ".TH ${title} 1 \"\" \"ScaleLens ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\n${NAME} \\- ${SUMMARY}\n")
string(APPEND page ".SH DESCRIPTION\n${body}")

if(SUBCOMMANDS)
    # The "Commands:" / "Subcommands:" (CLI11) block: "  name   description" lines up to the
    # next blank line.
    string(REGEX MATCH "\n(Sub)?[Cc]ommands:\n(  [^\n]+\n)+" block "${help}")
    string(REGEX MATCHALL "\n  [a-z][a-z0-9-]*" names "${block}")
    if(names)
        string(APPEND page ".SH COMMANDS\n")
    endif()
    foreach(name IN LISTS names)
        string(STRIP "${name}" name)
        help_of(sub ${name})
        roff_verbatim(sub "${sub}")
        string(APPEND page ".SS ${name}\n${sub}")
    endforeach()
endif()

string(APPEND page ".SH SEE ALSO\n")
if(NAME STREQUAL "scalelens")
    string(APPEND page ".BR scalelens-cli (1)\n")
else()
    string(APPEND page ".BR scalelens (1)\n")
endif()
file(WRITE "${OUT}" "${page}")
