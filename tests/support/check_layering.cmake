# Fails when a lower layer includes a higher one (STYLE.md A.1), or a widgets/ role folder
# includes a folder above it. Run: cmake -DROOT=<source tree> -P check_layering.cmake
#
# Layers, lowest first (a layer may include only layers to its left):
#   fitting <- datasets <- analysis <- widgets <- app
# plus: fitting/ has no Qt at all; datasets/ and analysis/ use Qt Core at most (no Gui, Widgets,
# Charts, Svg); SQL (sqlite3.h, QtSql) only in datasets/.
# widgets/ role folders (include/widgets/<role>/ and src/<role>/), lowest first:
#   base <- document <- plot <- views <- fit <- calculators, runs, import
# Folders of the same rank (calculators, runs, import) do not include each other, and every
# widgets/ source file lives in one of these folders.
# tests/support/check_layering_selftest.cmake runs this script on fake trees that break each rule.
if(NOT ROOT)
    message(FATAL_ERROR "usage: cmake -DROOT=<source tree> -P check_layering.cmake")
endif()

set(layers fitting datasets analysis widgets app)
set(rank_fitting 0)
set(rank_datasets 1)
set(rank_analysis 2)
set(rank_widgets 3)
set(rank_app 4)

set(roles base document plot views fit calculators runs import)
set(role_rank_base 0)
set(role_rank_document 1)
set(role_rank_plot 2)
set(role_rank_views 3)
set(role_rank_fit 4)
set(role_rank_calculators 5)
set(role_rank_runs 5)
set(role_rank_import 5)

# Qt modules above Qt Core (by header): forbidden in fitting/ (all Qt is), datasets/, analysis/.
set(qt_gui_regex "^(QtGui|QtWidgets|QtCharts|QtSvg|QtPrintSupport|QtOpenGL|QWidget|QChart|QAbstractButton|QAbstractItemView|QAction|QApplication|QBrush|QColor|QComboBox|QDialog|QFont|QGraphics|QGuiApplication|QIcon|QImage|QLabel|QLayout|QLineEdit|QMainWindow|QPainter|QPalette|QPen|QPixmap|QPushButton|QScreen|QStyle|QSvg|QTableView|QTreeView|QValueAxis|QLogValueAxis|QLineSeries|QScatterSeries|QStandardItemModel|QUndoStack|QUndoCommand)")
set(sql_regex "^(sqlite3\\.h|QtSql|QSql)")

# Headers of app/ by file name: widgets/ and below must not include them by any path.
file(GLOB_RECURSE app_headers ${ROOT}/app/*.h)
set(app_header_names "")
foreach(h ${app_headers})
    get_filename_component(n ${h} NAME)
    list(APPEND app_header_names ${n})
endforeach()

set(errors "")
set(checked 0)

# Layer of an include target, or "" for system/third-party/same-folder headers.
function(include_layer target out)
    set(layer "")
    foreach(l fitting datasets analysis widgets app)
        if(target MATCHES "^${l}/")
            set(layer ${l})
        endif()
    endforeach()
    set(${out} "${layer}" PARENT_SCOPE)
endfunction()

foreach(layer ${layers})
    if(NOT IS_DIRECTORY ${ROOT}/${layer})
        continue()  # e.g. analysis/ before it exists
    endif()
    file(GLOB_RECURSE files ${ROOT}/${layer}/*.h ${ROOT}/${layer}/*.hpp ${ROOT}/${layer}/*.cpp)
    foreach(f ${files})
        math(EXPR checked "${checked} + 1")
        file(RELATIVE_PATH rel ${ROOT} ${f})
        get_filename_component(dir ${f} DIRECTORY)

        # The widgets role folder of this file.
        set(role "")
        if(layer STREQUAL "widgets" AND NOT rel STREQUAL "widgets/CMakeLists.txt")
            if(rel MATCHES "^widgets/(include/widgets|src)/([^/]+)/")
                set(role ${CMAKE_MATCH_2})
                if(NOT DEFINED role_rank_${role})
                    string(APPEND errors "${rel}: widgets/ folder '${role}' is not a role folder (${roles}); add it to the order in check_layering.cmake and the README\n")
                    set(role "")
                endif()
            else()
                string(APPEND errors "${rel}: widgets/ files live in a role folder (include/widgets/<role>/ or src/<role>/)\n")
            endif()
        endif()

        file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
        foreach(line ${lines})
            if(NOT line MATCHES "#[ \t]*include[ \t]*[<\"]([^>\"]+)[>\"]")
                continue()
            endif()
            set(target ${CMAKE_MATCH_1})
            get_filename_component(target_name ${target} NAME)
            set(where "${rel}: #include ${target}")

            # Layer order.
            include_layer(${target} target_layer)
            if(target_layer AND rank_${target_layer} GREATER rank_${layer})
                string(APPEND errors "${where}: ${layer}/ must not include ${target_layer}/ (order: fitting <- datasets <- analysis <- widgets <- app)\n")
            endif()
            # app/ headers by bare name (app/gui and app/cli are include directories).
            if(NOT layer STREQUAL "app" AND line MATCHES "\"" AND NOT EXISTS ${dir}/${target})
                list(FIND app_header_names ${target_name} app_index)
                if(app_index GREATER -1 AND NOT target MATCHES "/")
                    string(APPEND errors "${where}: ${layer}/ must not include app/ headers\n")
                endif()
            endif()
            # Qt and SQL.
            if(layer STREQUAL "fitting" AND target MATCHES "^Q")
                string(APPEND errors "${where}: fitting/ must not include Qt\n")
            endif()
            if((layer STREQUAL "datasets" OR layer STREQUAL "analysis" OR layer STREQUAL "fitting")
               AND target MATCHES "${qt_gui_regex}")
                string(APPEND errors "${where}: ${layer}/ may use Qt Core only (no Gui, Widgets, Charts, Svg)\n")
            endif()
            if(NOT layer STREQUAL "datasets" AND target MATCHES "${sql_regex}")
                string(APPEND errors "${where}: SQL belongs in datasets/ only\n")
            endif()

            # widgets/ role order: <widgets/ROLE/x.h> (public) or "ROLE/x.h" (private, from src/).
            if(role)
                set(target_role "")
                if(target MATCHES "^widgets/([^/]+)/")
                    set(target_role ${CMAKE_MATCH_1})
                elseif(line MATCHES "\"" AND target MATCHES "^([^/]+)/" AND NOT EXISTS ${dir}/${target})
                    set(target_role ${CMAKE_MATCH_1})
                elseif(target MATCHES "^widgets/[^/]+$")
                    string(APPEND errors "${where}: widgets/ headers are in role folders (widgets/<role>/...)\n")
                endif()
                if(target_role AND NOT target_role STREQUAL role)
                    if(NOT DEFINED role_rank_${target_role})
                        string(APPEND errors "${where}: unknown widgets/ role folder '${target_role}'\n")
                    elseif(NOT role_rank_${target_role} LESS role_rank_${role})
                        string(APPEND errors "${where}: widgets/${role}/ must not include widgets/${target_role}/ (order: base <- document <- plot <- views <- fit <- calculators, runs, import)\n")
                    endif()
                endif()
            endif()
        endforeach()
    endforeach()
endforeach()

if(checked EQUAL 0)
    message(FATAL_ERROR "check_layering: no source files under ${ROOT} (wrong ROOT?)")
endif()
if(errors)
    # NOTICE prints the lines as they are (FATAL_ERROR would re-wrap them).
    message(NOTICE "${errors}")
    message(FATAL_ERROR "layering violations above")
endif()
message(STATUS "layering ok (${checked} files)")
