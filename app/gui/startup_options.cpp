#include "startup_options.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <cstdio>

namespace scalelens::app {

bool parseStartupOptions(const QStringList& arguments, StartupOptions* options, int* exitCode) {
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QCoreApplication::translate("main", "ScaleLens: fit, plot and plan LLM scaling laws."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(
        QStringLiteral("project"),
        QCoreApplication::translate("main", "Project file to open (.scalelens)."),
        QStringLiteral("[project]"));
    const QCommandLineOption example(
        QStringLiteral("example"),
        QCoreApplication::translate("main", "Open the example project (created on first use)."));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate(
            "main", "Render the window to PNG <file> after the first paint, then quit."),
        QStringLiteral("file"));
    const QCommandLineOption quit(
        QStringLiteral("quit-after-first-paint"),
        QCoreApplication::translate(
            "main", "Quit as soon as the window has painted (start-up benchmark)."));
    const QCommandLineOption view(QStringLiteral("view"),
                                  QCoreApplication::translate("main", "Show plot <id> first."),
                                  QStringLiteral("id"));
    const QCommandLineOption size(
        QStringLiteral("size"),
        QCoreApplication::translate("main", "Window size <WxH>, e.g. 1600x1000."),
        QStringLiteral("WxH"));
    const QCommandLineOption reset(
        QStringLiteral("reset-settings"),
        QCoreApplication::translate("main", "Ignore the saved window layout and theme."));
    const QCommandLineOption theme(
        QStringLiteral("theme"),
        QCoreApplication::translate("main", "Theme for this session: system, light or dark."),
        QStringLiteral("name"));
    const QCommandLineOption import(
        QStringLiteral("import"),
        QCoreApplication::translate("main",
                                    "Open the import dialog for run log <file> (repeatable)."),
        QStringLiteral("file"));
    parser.addOptions({example, screenshot, quit, view, size, reset, theme, import});

    if (!parser.parse(arguments)) {
        std::fprintf(stderr, "scalelens: %s\n", qPrintable(parser.errorText()));
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::printf("%s", qPrintable(parser.helpText()));
        *exitCode = 0;
        return false;
    }
    if (parser.isSet(QStringLiteral("version"))) {
        std::printf("scalelens %s\n", qPrintable(QCoreApplication::applicationVersion()));
        *exitCode = 0;
        return false;
    }
    options->example = parser.isSet(example);
    options->screenshot = parser.value(screenshot);
    if (options->screenshot.isEmpty())
        options->screenshot = qEnvironmentVariable("SCALELENS_SCREENSHOT");
    options->quitAfterFirstPaint = parser.isSet(quit);
    options->view = parser.value(view);
    options->resetSettings = parser.isSet(reset);
    options->theme = parser.value(theme);
    options->imports = parser.values(import);
    if (!options->theme.isEmpty() && options->theme != QLatin1String("system") &&
        options->theme != QLatin1String("light") && options->theme != QLatin1String("dark")) {
        std::fprintf(stderr, "scalelens: --theme must be system, light or dark\n");
        *exitCode = 2;
        return false;
    }
    if (parser.isSet(size)) {
        const QStringList parts = parser.value(size).split(QLatin1Char('x'));
        bool okW = false, okH = false;
        const int w = parts.size() == 2 ? parts[0].toInt(&okW) : 0;
        const int h = parts.size() == 2 ? parts[1].toInt(&okH) : 0;
        if (!okW || !okH || w < 200 || h < 150) {
            std::fprintf(stderr, "scalelens: --size expects WxH, e.g. 1600x1000\n");
            *exitCode = 2;
            return false;
        }
        options->size = QSize(w, h);
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) {
        std::fprintf(stderr, "scalelens: at most one project file\n");
        *exitCode = 2;
        return false;
    }
    if (!positional.isEmpty())
        options->file = positional.front();
    return true;
}

}  // namespace scalelens::app
