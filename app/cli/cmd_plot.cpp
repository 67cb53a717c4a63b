// `scalelens-cli plot`: render any catalogue view of a project to PDF, SVG or PNG, headlessly,
// with exactly the builders the GUI tabs use (widgets/plot_views.h).
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <iostream>
#include <sstream>

#include "command.h"

#ifdef SCALELENS_WITH_GUI
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/views/plot_export.h>
#include <widgets/views/plot_views.h>
#endif

namespace scalelens::cli {
namespace {

const char* const kUsage =
    "Usage: scalelens-cli plot --project P.scalelens --view NAME --out FILE.pdf|svg|png\n"
    "                          [--fit ID] [--dpi N] [--width W --height H]\n"
    "                          [--x-axis step|tokens|flops] [--smoothing S] [--runs ID,ID...]\n"
    "       scalelens-cli plot --project P.scalelens --view all --out FOLDER [--format "
    "pdf|svg|png]\n"
    "       scalelens-cli plot --list-views\n"
    "\n"
    "Renders a view of the project offscreen, as the GUI draws it.\n"
    "  --view NAME   one of the names printed by --list-views, or 'all' (one file per view)\n"
    "  --out FILE    the format follows the suffix: .pdf (vector), .svg, .png\n"
    "  --fit ID      draw this saved fit (default: the newest fit of the view's law, else a\n"
    "                quick fit without bootstrap computed on the spot)\n"
    "  --dpi N       PNG resolution (default 150; the figure is W x H pixels at 96 DPI)\n"
    "  --width W, --height H  figure size in pixels at 96 DPI (default 1200 x 800)\n"
    "  --x-axis      x axis of training-curves (default tokens); --smoothing EMA weight in [0, 1)\n"
    "  --runs        run ids for training-curves (default: every run with the metric)\n"
    "  --json        print {\"written\": [...]} on stdout\n"
    "Exit codes: 0 ok, 2 bad arguments (unknown view, bad size, unknown suffix),\n"
    "            3 bad input (project missing or unreadable, file not writable), 4 internal.\n";

#ifdef SCALELENS_WITH_GUI
int fail(int code, const std::string& message) {
    std::cerr << "scalelens-cli plot: " << message << "\n";
    return code;
}

int runPlot(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << kUsage;
        return kExitOk;
    }
    ArgParser p(args,
                {"project", "view", "out", "fit", "dpi", "width", "height", "x-axis", "smoothing",
                 "runs", "format"},
                {"list-views", "json"});
    if (!p.positionals().empty())
        throw UsageError{"unexpected argument '" + p.positionals().front() + "'"};
    if (p.flag("list-views")) {
        for (const ui::ViewInfo& v : ui::viewCatalog())
            std::cout << v.id.toStdString() << "\n";
        return kExitOk;
    }
    const std::string projectPath = p.required("project");
    const std::string viewName = p.required("view");
    const std::string out = p.required("out");
    const bool all = viewName == "all";
    if (!all && !ui::findView(QString::fromStdString(viewName)))
        throw UsageError{"unknown view '" + viewName + "' (see scalelens-cli plot --list-views)"};

    ui::ExportOptions options;
    if (const auto w = p.integer("width"))
        options.size.setWidth(static_cast<int>(*w));
    if (const auto h = p.integer("height"))
        options.size.setHeight(static_cast<int>(*h));
    if (const auto dpi = p.integer("dpi"))
        options.dpi = static_cast<int>(*dpi);
    std::string why;
    if (!options.isValid(&why))
        throw UsageError{why};

    ui::ViewContext ctx;
    if (const auto fitId = p.integer("fit"))
        ctx.fitId = *fitId;
    if (const auto axis = p.value("x-axis")) {
        if (*axis == "step")
            ctx.curveAxis = ui::CurveAxis::Step;
        else if (*axis == "tokens")
            ctx.curveAxis = ui::CurveAxis::Tokens;
        else if (*axis == "flops")
            ctx.curveAxis = ui::CurveAxis::Flops;
        else
            throw UsageError{"option --x-axis: expected step, tokens or flops, got '" + *axis +
                             "'"};
    }
    if (const auto s = p.number("smoothing"))
        ctx.smoothing = *s;
    if (const auto runs = p.value("runs")) {
        std::stringstream ss(*runs);
        std::string cell;
        while (std::getline(ss, cell, ',')) {
            const auto v = parseNumber(cell);
            if (!v || *v != static_cast<double>(static_cast<long long>(*v)))
                throw UsageError{"option --runs: '" + cell + "' is not a run id"};
            ctx.selectedRunIds.push_back(static_cast<qint64>(*v));
        }
    }
    if (!(ctx.smoothing >= 0.0 && ctx.smoothing < 1.0))
        throw UsageError{"option --smoothing must be in [0, 1)"};

    ui::ExportFormat format = ui::ExportFormat::Pdf;
    if (all) {
        const std::string f = p.value("format").value_or("pdf");
        const auto parsed =
            ui::exportFormatForPath(QStringLiteral("x.") + QString::fromStdString(f));
        if (!parsed)
            throw UsageError{"option --format: expected pdf, svg or png, got '" + f + "'"};
        format = *parsed;
    } else {
        const auto parsed = ui::exportFormatForPath(QString::fromStdString(out));
        if (!parsed)
            throw UsageError{"option --out: '" + out + "' must end in .pdf, .svg or .png"};
        format = *parsed;
    }

    if (!QFileInfo::exists(QString::fromStdString(projectPath)))
        return fail(kExitBadInput, "project '" + projectPath + "' does not exist");
    std::string error;
    auto project = data::Project::open(projectPath, &error);
    if (!project)
        return fail(kExitBadInput, error);
    ctx.project = project.get();

    QStringList written;
    if (all) {
        QString err;
        const bool ok =
            ui::exportAllViews(ctx, QString::fromStdString(out), format, options, &written, &err);
        if (!ok)
            std::cerr << "scalelens-cli plot: " << err.toStdString() << "\n";
        if (!ok && written.isEmpty())
            return kExitBadInput;
    } else {
        ui::PlotView view;
        view.resize(options.size);
        QString err;
        if (!ui::buildView(QString::fromStdString(viewName), ctx, &view, &err))
            return fail(kExitInternal, err.toStdString());
        if (!ui::exportPlot(&view, QString::fromStdString(out), format, options, &err))
            return fail(kExitBadInput, err.toStdString());
        written << QString::fromStdString(out);
    }
    if (p.flag("json")) {
        QJsonObject doc;
        doc[QStringLiteral("written")] = QJsonArray::fromStringList(written);
        std::cout << QJsonDocument(doc).toJson(QJsonDocument::Compact).toStdString() << "\n";
    } else {
        for (const QString& w : written)
            std::cerr << "wrote " << w.toStdString() << "\n";
    }
    return kExitOk;
}
#else
int runPlot(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << kUsage;
        return kExitOk;
    }
    std::cerr << "scalelens-cli plot: this build has no GUI libraries (SCALELENS_BUILD_GUI=OFF)\n";
    return kExitInternal;
}
#endif

}  // namespace

SCALELENS_CLI_COMMAND(plot, "plot", "Render a view of a project to PDF, SVG or PNG", runPlot);

}  // namespace scalelens::cli
