// The README screenshots cannot go stale unnoticed (issue 12): every view of the catalogue has
// a committed screenshot in light and dark at 1366x768 and 1920x1080, made by
// resources/screenshots/make_screenshots.sh (too slow to run here; this only checks the files).
#include <QFileInfo>
#include <QImage>

#include "scalelens_catch.h"
#include "widgets/views/plot_views.h"

using namespace scalelens::ui;

TEST_CASE("every view has a committed screenshot in both themes at both sizes", "[screenshots]") {
    const QString dir = QStringLiteral(SCALELENS_SOURCE_DIR "/resources/screenshots/");
    REQUIRE(QFileInfo(dir + QStringLiteral("make_screenshots.sh")).isExecutable());
    int checked = 0;
    for (const ViewInfo& view : viewCatalog()) {
        for (const char* theme : {"light", "dark"}) {
            for (const QSize size : {QSize(1366, 768), QSize(1920, 1080)}) {
                const QString file = dir + QStringLiteral("%1-%2-%3x%4.png")
                                               .arg(view.id, QLatin1String(theme))
                                               .arg(size.width())
                                               .arg(size.height());
                INFO(file.toStdString());
                const QImage image(file);
                REQUIRE_FALSE(image.isNull());
                CHECK(image.size() == size);
                // Written as 8-bit palette PNGs (scalelens --screenshot), to stay small.
                CHECK(image.format() == QImage::Format_Indexed8);
                // Light screenshots are light, dark ones dark (the theme really was applied):
                // judged on the top-left pixel (window background).
                const bool dark = QColor(image.pixel(2, 2)).lightness() < 128;
                CHECK(dark == (QLatin1String(theme) == QLatin1String("dark")));
                ++checked;
            }
        }
    }
    CHECK(checked == static_cast<int>(viewCatalog().size()) * 4);
}
