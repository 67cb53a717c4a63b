// scalelens: the desktop explorer. See startup_options.h for the command line.
#include <datasets/project.h>
#include <widgets/base/theme.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QIcon>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>
#include <cstring>

#include "first_paint.h"
#include "guarded_application.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "screenshot_png.h"
#include "startup_options.h"

namespace {

// --help and --version must work without a display (man page generation, packaging checks, a
// terminal over ssh): QApplication aborts when it finds no display, so these are answered under a
// QCoreApplication before the QApplication exists.
bool wantsInfoOnly(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        for (const char* flag : {"-h", "--help", "-?", "-v", "--version"})
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

void setApplicationInfo() {
    QCoreApplication::setApplicationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setOrganizationName(QStringLiteral("ScaleLens"));
    QCoreApplication::setApplicationVersion(QStringLiteral(SCALELENS_VERSION));
}

}  // namespace

int main(int argc, char** argv) {
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (wantsInfoOnly(argc, argv)) {
        QCoreApplication core(argc, argv);
        setApplicationInfo();
        scalelens::app::StartupOptions ignored;
        int exitCode = 0;
        scalelens::app::parseStartupOptions(QCoreApplication::arguments(), &ignored, &exitCode);
        return exitCode;
    }
    // The icons live in scalelens_app, a static library: register its resources by hand.
    Q_INIT_RESOURCE(resources);
    scalelens::app::GuardedApplication app(argc, argv);
    setApplicationInfo();
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/scalelens/icons/scalelens.svg")));
    QGuiApplication::setDesktopFileName(QStringLiteral("io.github.scalelens.ScaleLens"));
    scalelens::ui::captureSystemPalette();

    // SCALELENS_STARTUP_TRACE=1 prints how long each start-up phase took (stderr).
    const bool trace = qEnvironmentVariableIsSet("SCALELENS_STARTUP_TRACE");
    auto phase = [&](const char* name) {
        if (trace)
            std::fprintf(stderr, "startup: %-22s %5lld ms\n", name,
                         static_cast<long long>(sinceStart.elapsed()));
    };
    phase("QApplication");

    scalelens::app::StartupOptions options;
    int exitCode = 0;
    if (!scalelens::app::parseStartupOptions(QApplication::arguments(), &options, &exitCode))
        return exitCode;

    scalelens::app::MainWindow window;
    phase("main window built");
    window.restoreSettings(!options.resetSettings);
    if (!options.theme.isEmpty())
        window.setTheme(scalelens::ui::themeFromName(options.theme), false);
    if (options.size.isValid())
        window.resize(options.size);
    if (!options.view.isEmpty() && !window.plotTabs()->showView(options.view)) {
        std::fprintf(stderr, "scalelens: unknown view '%s'\n", qPrintable(options.view));
        return 2;
    }

    QString error;
    bool opened = true;
    try {
        if (!options.file.isEmpty())
            opened = window.openProject(options.file, &error);
        else if (options.example)
            opened = window.openExampleProject(&error);
        else if (!options.imports.isEmpty())
            opened = true;  // the import creates a new untitled project, never the last-opened one
        else
            opened = window.openStartupProject(&error);
    } catch (const scalelens::data::ProjectError& e) {
        // Opening reads the run list; a file damaged inside its data pages fails here.
        opened = false;
        error = QString::fromStdString(e.what());
    }
    if (!opened)
        std::fprintf(stderr, "scalelens: %s\n", qPrintable(error));
    phase("project opened");

    // The window appears first; the visible plot (which may fit a law on the fly) is drawn
    // right after the first frame.
    window.plotTabs()->setBuildsHeld(true);
    const bool headless = !options.screenshot.isEmpty() || options.quitAfterFirstPaint;
    scalelens::app::FirstPaintWatcher::install(&window, [&] {
        phase("first paint");
        const qint64 firstPaint = sinceStart.elapsed();
        if (!headless) {
            window.plotTabs()->setBuildsHeld(false);
            return;
        }
        window.plotTabs()->rebuildCurrentNow();
        phase("first plot drawn");
        if (options.quitAfterFirstPaint) {
            std::printf("first paint after %lld ms\n", static_cast<long long>(firstPaint));
            std::printf("first plot drawn after %lld ms\n",
                        static_cast<long long>(sinceStart.elapsed()));
        }
        if (!options.screenshot.isEmpty()) {
            // Let deferred layouts (dock sizes, chart geometry) settle before grabbing.
            QTimer::singleShot(300, &window, [&] {
                // PNGs as 8-bit palette images: a fraction of the size, same look.
                const QImage shot = window.grab().toImage();
                const bool png =
                    options.screenshot.endsWith(QLatin1String(".png"), Qt::CaseInsensitive);
                const bool saved =
                    (png ? scalelens::app::toIndexed8(shot) : shot).save(options.screenshot);
                if (!saved)
                    std::fprintf(stderr, "scalelens: could not write %s\n",
                                 qPrintable(options.screenshot));
                QApplication::exit(saved ? 0 : 4);
            });
            return;
        }
        QApplication::exit(0);
    });
    if (!opened && !headless) {
        QTimer::singleShot(0, &window,
                           [&] { QMessageBox::warning(&window, QObject::tr("ScaleLens"), error); });
    }
    window.show();
    if (!headless) {
        // A window that never paints (started minimised) still gets its plots.
        QTimer::singleShot(1000, &window, [&] { window.plotTabs()->setBuildsHeld(false); });
    }
    if (!options.imports.isEmpty())
        window.showImportDialog(options.imports);
    return QApplication::exec();
}
