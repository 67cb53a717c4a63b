# scalelens-make-icons renders the SVG into a Windows .ico and a macOS .icns (both PNG-based).
#   cmake -DEXE=<scalelens-make-icons> -DSVG=<svg> -DOUT=<dir> -P check_icons.cmake
file(MAKE_DIRECTORY ${OUT})
execute_process(COMMAND ${EXE} ${SVG} ${OUT}/t.ico ${OUT}/t.icns RESULT_VARIABLE rc
    ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "scalelens-make-icons failed (${rc}): ${err}")
endif()
# ICO: reserved 0, type 1, 7 images; the first image is a PNG at offset 6 + 7 * 16 = 118.
file(READ ${OUT}/t.ico head LIMIT 6 HEX)
file(READ ${OUT}/t.ico png OFFSET 118 LIMIT 8 HEX)
if(NOT head STREQUAL "000001000700" OR NOT png STREQUAL "89504e470d0a1a0a")
    message(FATAL_ERROR "t.ico: unexpected header ${head} / first image ${png}")
endif()
# ICNS: "icns", total length (big-endian) = file size, first entry icp4 holding a PNG.
file(SIZE ${OUT}/t.icns size)
file(READ ${OUT}/t.icns head LIMIT 20 HEX)
math(EXPR expected_len "${size}" OUTPUT_FORMAT HEXADECIMAL)
string(SUBSTRING "${head}" 8 8 len)
math(EXPR len "0x${len}")
if(NOT head MATCHES "^69636e73" OR NOT len EQUAL size OR NOT head MATCHES "^69636e73........69637034........89504e47")
    message(FATAL_ERROR "t.icns: unexpected header ${head} (file size ${size})")
endif()
message(STATUS "icons ok (.icns ${size} bytes)")
