// Room for the plot (issue 12): in the main window's default layout, at 1366x768 and 1920x1080,
// light and dark, every view of the example project draws every axis title, legend entry, tick
// label and note in full (nothing elided), the plot gets most of the window, the fit panel's
// buttons show their whole text and run names elide at the end.
#include <datasets/examples.h>
#include <widgets/base/theme.h>
#include <widgets/fit/fit_panel.h>
#include <widgets/plot/plot_view.h>
#include <widgets/runs/runs_panel.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QDockWidget>
#include <QMenu>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabBar>
#include <QTemporaryDir>
#include <QToolButton>
#include <QTreeView>

#include "example_window.h"
#include "main_window.h"
#include "plot_tabs.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

// Every button of the fit panel shows its whole label: the width Qt gave it holds the text
// plus the style's padding (a QPushButton clips, it never elides), and it lies inside the
// part of the panel the dock shows.
void checkButtons(app::MainWindow& window, const QString& where) {
    ui::FitPanel* panel = window.fitPanel();
    QWidget* viewport = panel->parentWidget();  // the scroll area's viewport
    REQUIRE(viewport != nullptr);
    for (const char* name : {"copyButton", "exportButton", "presetButton"}) {
        auto* button = panel->findChild<QPushButton*>(QString::fromLatin1(name));
        REQUIRE(button != nullptr);
        QString text = button->text();
        text.remove(QLatin1Char('&'));
        const int needed = button->fontMetrics().horizontalAdvance(text);
        INFO(where.toStdString() << " button '" << text.toStdString() << "' needs " << needed
                                 << " px, has " << button->width());
        CHECK(button->width() >= needed + 8);
        const QRect shown = QRect(button->mapTo(viewport, QPoint(0, 0)), button->size());
        CHECK(shown.left() >= 0);
        CHECK(shown.right() <= viewport->width());
    }
}

// Every view is reachable without scroll arrows and no tab title is elided: the tabs need no
// more than the bar's width (Qt squeezes and elides them otherwise), each lies inside the bar,
// and the views button lists every view.
void checkTabs(app::MainWindow& window, const QString& where) {
    app::PlotTabs* tabs = window.plotTabs();
    auto* bar = tabs->findChild<QTabBar*>();
    REQUIRE(bar != nullptr);
    INFO(where.toStdString() << ": tabs need " << bar->sizeHint().width() << " px, have "
                             << bar->width() << (tabs->shortTitles() ? " (short titles)" : ""));
    CHECK(bar->sizeHint().width() <= bar->width());
    for (QToolButton* arrow : bar->findChildren<QToolButton*>())
        CHECK_FALSE(arrow->isVisible());
    for (int i = 0; i < bar->count(); ++i) {
        INFO("tab '" << bar->tabText(i).toStdString() << "'");
        CHECK(bar->isTabVisible(i));  // at 1366 px every view has its tab
        CHECK(bar->rect().contains(bar->tabRect(i)));
        CHECK(bar->tabRect(i).width() >= bar->fontMetrics().horizontalAdvance(bar->tabText(i)));
        CHECK(bar->tabToolTip(i).startsWith(ui::viewCatalog()[std::size_t(i)].title));
    }
    auto* views = tabs->findChild<QToolButton*>(QStringLiteral("viewsButton"));
    REQUIRE(views != nullptr);
    CHECK(views->isVisible());
    REQUIRE(views->menu() != nullptr);
    CHECK(views->menu()->actions().size() == bar->count());
}

}  // namespace

TEST_CASE("every view fits its labels in the default layout at 1366x768 and 1920x1080",
          "[main_window][plot][layout]") {
    testing::ExampleWindow example;
    app::MainWindow& window = *example.window;

    auto* tree = window.runsPanel()->findChild<QTreeView*>(QStringLiteral("runsTree"));
    REQUIRE(tree != nullptr);
    CHECK(tree->textElideMode() == Qt::ElideRight);

    for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
        for (const ui::Theme theme : {ui::Theme::Light, ui::Theme::Dark}) {
            window.setTheme(theme, false);
            window.resize(size);
            QApplication::processEvents();
            const QString where = QStringLiteral("%1x%2 %3")
                                      .arg(size.width())
                                      .arg(size.height())
                                      .arg(ui::themeName(theme));
            checkButtons(window, where);
            checkTabs(window, where);
            for (const ui::ViewInfo& info : ui::viewCatalog()) {
                REQUIRE(window.plotTabs()->showView(info.id));
                window.plotTabs()->rebuildCurrentNow();
                QApplication::processEvents();
                ui::PlotView* view = window.plotTabs()->currentPlotView();
                REQUIRE(view != nullptr);
                // The plot gets most of the window's width.
                INFO(where.toStdString() << " view " << info.id.toStdString() << ": plot "
                                         << view->width() << " px of " << window.width());
                CHECK(view->width() >= 0.55 * window.width());
                const auto texts = view->drawnTexts();
                CHECK(texts.size() >= 4);  // at least titles and tick labels were found
                for (const ui::PlotView::DrawnText& t : texts) {
                    INFO(where.toStdString()
                         << " view " << info.id.toStdString() << " panel " << t.panel << ": '"
                         << t.text.toStdString() << "' needs " << t.width << " px, given "
                         << t.available);
                    CHECK_FALSE(t.elided);
                }
            }
        }
    }
    window.close();
}
