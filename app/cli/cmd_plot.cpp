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

const char* const kDescription =
    "Renders a view of the project offscreen, as the GUI draws it: --view NAME --out FILE\n"
    "(the format follows the suffix: .pdf (vector), .svg, .png), or --view all --out FOLDER\n"
    "(one file per view, --format pdf|svg|png). --list-views prints the view names.\n"
    "Exit 3 when the project is missing or unreadable or a file is not writable.";

struct PlotArgs {
    std::optional<std::string> project;
    std::optional<std::string> view;
    std::optional<std::string> out;
    std::optional<long long> fit;
    std::optional<long long> dpi;
    std::optional<long long> width;
    std::optional<long long> height;
    std::optional<std::string> xAxis;
    std::optional<double> smoothing;
    std::vector<std::string> metrics;
    std::optional<std::string> colorBy;
    std::optional<std::string> runs;
    std::optional<std::string> format;
    bool listViews = false;
    bool json = false;
};

#ifdef SCALELENS_WITH_GUI
int fail(int code, const std::string& message) {
    std::cerr << "scalelens-cli plot: " << message << "\n";
    return code;
}

int runPlot(const PlotArgs& p) {
    if (p.listViews) {
        for (const ui::ViewInfo& v : ui::viewCatalog())
            std::cout << v.id.toStdString() << "\n";
        return kExitOk;
    }
    for (const auto& [name, value] : {std::pair{"--project", &p.project},
                                      std::pair{"--view", &p.view}, std::pair{"--out", &p.out}})
        if (!*value)
            throw UsageError{std::string(name) + " is required"};
    const std::string& projectPath = *p.project;
    const std::string& viewName = *p.view;
    const std::string& out = *p.out;
    const bool all = viewName == "all";
    if (!all && !ui::findView(QString::fromStdString(viewName)))
        throw UsageError{"unknown view '" + viewName + "' (see scalelens-cli plot --list-views)"};

    ui::ExportOptions options;
    if (const auto& w = p.width)
        options.size.setWidth(static_cast<int>(*w));
    if (const auto& h = p.height)
        options.size.setHeight(static_cast<int>(*h));
    if (const auto& dpi = p.dpi)
        options.dpi = static_cast<int>(*dpi);
    std::string why;
    if (!options.isValid(&why))
        throw UsageError{why};

    ui::ViewContext ctx;
    if (const auto& fitId = p.fit)
        ctx.fitId = *fitId;
    if (const auto& axis = p.xAxis) {
        if (!ui::parseCurveAxis(QString::fromStdString(*axis), &ctx.curveAxis))
            throw UsageError{"option --x: expected step, tokens, flops or wall-time, got '" +
                             *axis + "'"};
    }
    for (const std::string& m : p.metrics)
        ctx.metrics << QString::fromStdString(m);
    if (const auto& c = p.colorBy) {
        bool known = *c == "N" || *c == "D" || *c == "C" || *c == "lr" || *c == "batch";
        for (const auto& [key, title] : ui::curveColorFields())
            known = known || key.toStdString() == *c;
        if (!known)
            throw UsageError{
                "option --color-by: expected N, D, C, lr, batch or a run field "
                "(total_params, tokens, flops, peak_lr, batch_tokens, ...), got '" +
                *c + "'"};
        ctx.colorBy = QString::fromStdString(*c);
    }
    if (const auto& s = p.smoothing)
        ctx.smoothing = *s;
    if (const auto& runs = p.runs) {
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
        const std::string f = p.format.value_or("pdf");
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
    bool busy = false;
    auto project = data::Project::open(projectPath, &error, data::OpenMode::ReadOnly, &busy);
    if (!project)
        return fail(busy ? kExitBusy : kExitBadInput, error);
    ctx.project = project.get();
    {
        const QStringList available = ui::trainingCurveMetrics(*project);
        for (const QString& m : ctx.metrics)
            if (!available.contains(m))
                return fail(kExitBadInput,
                            "option --metric: the project has no metric '" + m.toStdString() +
                                "' (it has: " + available.join(QStringLiteral(", ")).toStdString() +
                                ")");
    }

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
    if (p.json) {
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
int runPlot(const PlotArgs&) {
    std::cerr << "scalelens-cli plot: this build has no GUI libraries (SCALELENS_BUILD_GUI=OFF)\n";
    return kExitInternal;
}
#endif

RunFn declarePlot(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<PlotArgs>();
    auto* list = addFlag(app, "--list-views", o->listViews, "Print the view names and exit");
    std::vector<CLI::Option*> drawing;
    drawing.push_back(addText(app, "--project", o->project, "Project file (.scalelens)"));
    drawing.push_back(addText(app, "--view", o->view, "A name printed by --list-views, or all"));
    drawing.push_back(
        addText(app, "--out", o->out, "FILE.pdf|svg|png, or a folder for --view all"));
    drawing.push_back(addInteger(app, "--fit", o->fit,
                                 "Draw this saved fit (default: the newest fit of the view's "
                                 "law, else a quick fit without bootstrap)"));
    drawing.push_back(addInteger(app, "--dpi", o->dpi,
                                 "PNG resolution (default 150; the figure is W x H pixels at 96 "
                                 "DPI)",
                                 Rule::Positive));
    drawing.push_back(addInteger(app, "--width", o->width,
                                 "Figure width in pixels at 96 DPI (default 1200)",
                                 Rule::Positive));
    drawing.push_back(addInteger(app, "--height", o->height,
                                 "Figure height in pixels at 96 DPI (default 800)",
                                 Rule::Positive));
    drawing.push_back(addText(app, "--x,--x-axis", o->xAxis,
                              "x axis of training-curves: step, tokens (default), flops or "
                              "wall-time"));
    drawing.push_back(addTexts(app, "--metric", o->metrics,
                               "Metric of training-curves, repeatable (e.g. --metric val_loss "
                               "--metric lr: twin axes when units differ; default: the "
                               "project's loss metric)"));
    drawing.push_back(addNumber(app, "--smoothing", o->smoothing,
                                "EMA weight in [0, 1) for training-curves (TensorBoard-style, "
                                "default 0.6; 0 = raw)"));
    drawing.push_back(addText(app, "--color-by", o->colorBy,
                              "Run field colouring training-curves when there are many runs: "
                              "N (default), D, C, lr, batch or a field key"));
    drawing.push_back(addText(app, "--runs", o->runs,
                              "ID,ID...: runs of training-curves (default: every run with the "
                              "metric)"));
    drawing.push_back(
        addText(app, "--format", o->format, "pdf (default), svg or png, for --view all"));
    for (auto* opt : drawing)
        opt->excludes(list);
    addJsonOption(app, o->json);
    return [o] { return runPlot(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(plot, "plot", "Render a view of a project to PDF, SVG or PNG", declarePlot);

}  // namespace scalelens::cli
