# Shows that check_layering.cmake can fail: builds small fake source trees under WORK, one per
# rule, each breaking that rule once, and requires the check to fail on each with the rule's
# message and the offending file named; a clean fake tree must pass.
# Run: cmake -DCHECK=<check_layering.cmake> -DWORK=<scratch dir> -P check_layering_selftest.cmake
if(NOT CHECK OR NOT WORK)
    message(FATAL_ERROR "usage: cmake -DCHECK=<check_layering.cmake> -DWORK=<dir> -P ${CMAKE_CURRENT_LIST_FILE}")
endif()

# A clean tree: every layer includes only what it may.
function(write_clean_tree root)
    file(REMOVE_RECURSE ${root})
    file(WRITE ${root}/fitting/include/fitting/law.h "#pragma once\n#include <vector>\n")
    file(WRITE ${root}/datasets/src/project.cpp
        "#include <fitting/law.h>\n#include <QString>\n#include <sqlite3.h>\n")
    file(WRITE ${root}/analysis/src/fits.cpp
        "#include <datasets/project.h>\n#include <fitting/law.h>\n#include <QJsonObject>\n")
    file(WRITE ${root}/widgets/include/widgets/base/theme.h "#pragma once\n#include <QPalette>\n")
    file(WRITE ${root}/widgets/src/plot/plot_view_impl.h "#include <widgets/base/theme.h>\n")
    file(WRITE ${root}/widgets/src/views/view_common.h "#include <widgets/plot/plot_view.h>\n")
    file(WRITE ${root}/widgets/src/views/view_common.cpp
        "#include \"view_common.h\"\n#include \"plot/plot_view_impl.h\"  // viridis()\n#include <analysis/fits.h>\n")
    file(WRITE ${root}/widgets/src/runs/runs_panel.cpp
        "#include <widgets/document/project_document.h>\n#include <widgets/views/plot_views.h>\n")
    file(WRITE ${root}/app/gui/main_window.h "#pragma once\n#include <QMainWindow>\n")
    file(WRITE ${root}/app/gui/main.cpp
        "#include <widgets/runs/runs_panel.h>\n#include \"main_window.h\"\n")
endfunction()

function(run_check root result_var output_var)
    execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${root} -P ${CHECK}
        RESULT_VARIABLE result OUTPUT_VARIABLE out ERROR_VARIABLE err)
    set(${result_var} ${result} PARENT_SCOPE)
    set(${output_var} "${out}${err}" PARENT_SCOPE)
endfunction()

set(failures "")
set(root ${WORK}/clean)
write_clean_tree(${root})
run_check(${root} result output)
if(NOT result EQUAL 0)
    string(APPEND failures "clean tree: expected to pass, failed with:\n${output}\n")
endif()

# case name | bad file (relative) | its content | text the error must contain
set(cases
    "fitting-includes-datasets|fitting/src/law.cpp|#include <datasets/project.h>|fitting/ must not include datasets/"
    "fitting-includes-qt|fitting/src/law.cpp|#include <QString>|fitting/ must not include Qt"
    "datasets-includes-widgets|datasets/src/import.cpp|#include <widgets/plot/plot_view.h>|datasets/ must not include widgets/"
    "datasets-includes-analysis|datasets/src/import.cpp|#include <analysis/fits.h>|datasets/ must not include analysis/"
    "datasets-includes-qtwidgets|datasets/src/import.cpp|#include <QWidget>|datasets/ may use Qt Core only"
    "analysis-includes-widgets|analysis/src/summary.cpp|#include \"widgets/views/plot_views.h\"|analysis/ must not include widgets/"
    "analysis-includes-charts|analysis/src/summary.cpp|#include <QtCharts/QChart>|analysis/ may use Qt Core only"
    "widgets-includes-app-by-name|widgets/src/fit/fit_panel.cpp|#include \"main_window.h\"|widgets/ must not include app/ headers"
    "widgets-includes-app-by-path|widgets/src/fit/fit_panel.cpp|#include <app/gui/main_window.h>|widgets/ must not include app/"
    "sql-outside-datasets|widgets/src/runs/runs_model.cpp|#include <sqlite3.h>|SQL belongs in datasets/ only"
    "plot-includes-views|widgets/src/plot/plot_export.cpp|#include <widgets/views/plot_views.h>|widgets/plot/ must not include widgets/views/"
    "plot-includes-views-private|widgets/src/plot/plot_items.cpp|#include \"views/view_common.h\"|widgets/plot/ must not include widgets/views/"
    "document-includes-fit|widgets/include/widgets/document/project_document.h|#include <widgets/fit/fit_store.h>|widgets/document/ must not include widgets/fit/"
    "runs-includes-import|widgets/src/runs/runs_panel2.cpp|#include <widgets/import/import_dialog.h>|widgets/runs/ must not include widgets/import/"
    "flat-widgets-header|widgets/src/views/view_old.cpp|#include <widgets/plot_view.h>|widgets/ headers are in role folders"
    "widgets-file-outside-roles|widgets/src/loose.cpp|#include <QString>|widgets/ files live in a role folder"
    "unknown-role-folder|widgets/src/misc/helpers.cpp|#include <QString>|is not a role folder"
)
foreach(c ${cases})
    string(REPLACE "|" ";" parts "${c}")
    list(GET parts 0 name)
    list(GET parts 1 bad_file)
    list(GET parts 2 content)
    list(GET parts 3 expected)
    set(root ${WORK}/${name})
    write_clean_tree(${root})
    file(WRITE ${root}/${bad_file} "// fake file for the layering self-test\n${content}\n")
    run_check(${root} result output)
    if(result EQUAL 0)
        string(APPEND failures "${name}: ${bad_file} with '${content}' was not reported\n")
    else()
        string(FIND "${output}" "${expected}" at_rule)
        string(FIND "${output}" "${bad_file}" at_file)
        if(at_rule EQUAL -1 OR at_file EQUAL -1)
            string(APPEND failures "${name}: failed, but without '${expected}' naming ${bad_file}:\n${output}\n")
        endif()
    endif()
endforeach()
file(REMOVE_RECURSE ${WORK})

if(failures)
    message(FATAL_ERROR "${failures}")
endif()
list(LENGTH cases n)
message(STATUS "layering self-test ok: clean tree passes, ${n} broken trees fail")
