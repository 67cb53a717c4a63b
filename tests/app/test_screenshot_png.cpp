// `scalelens --screenshot` writes 8-bit palette PNGs (screenshot_png.h): few colours are kept
// exactly, many are reduced to 256 close ones, and the file shrinks.
#include <QBuffer>
#include <QColor>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cstdlib>

#include "scalelens_catch.h"
#include "screenshot_png.h"

using namespace scalelens;

TEST_CASE("screenshots become 8-bit palette images", "[screenshot]") {
    // Three colours: reproduced exactly.
    QImage few(40, 30, QImage::Format_RGB32);
    few.fill(QColor(250, 250, 250));
    for (int x = 0; x < 40; ++x) {
        few.setPixel(x, 3, qRgb(214, 39, 40));
        few.setPixel(x, 20, qRgb(31, 119, 180));
    }
    const QImage a = app::toIndexed8(few);
    REQUIRE(a.format() == QImage::Format_Indexed8);
    CHECK(a.colorCount() == 3);
    for (int y = 0; y < 30; ++y)
        for (int x = 0; x < 40; ++x)
            CHECK((a.pixel(x, y) & 0xffffff) == (few.pixel(x, y) & 0xffffff));

    // A window-like image with anti-aliased text and a gradient: at most 256 colours, the
    // dominant colours exact to within the 5-bit bins, and a smaller PNG than 32-bit.
    QImage many(400, 300, QImage::Format_RGB32);
    many.fill(Qt::white);
    {
        QPainter p(&many);
        p.setRenderHint(QPainter::Antialiasing);
        for (int x = 0; x < 400; ++x) {
            p.setPen(QColor(x * 255 / 399, 80, 255 - x * 255 / 399));
            p.drawLine(x, 200, x, 299);
        }
        p.setPen(Qt::black);
        p.drawText(
            QRect(10, 10, 380, 180), Qt::TextWordWrap,
            QStringLiteral("Training compute C (FLOPs) 10¹⁹ 2×10²⁰ L = 1.87 + 1219/N^0.403"));
    }
    const QImage b = app::toIndexed8(many);
    REQUIRE(b.format() == QImage::Format_Indexed8);
    CHECK(b.colorCount() <= 256);
    CHECK((b.pixel(0, 0) & 0xffffff) == 0xffffff);  // the background stays exactly white
    int worst = 0;
    for (int y = 0; y < 300; y += 3)
        for (int x = 0; x < 400; x += 3) {
            const QRgb s = many.pixel(x, y), d = b.pixel(x, y);
            worst = std::max({worst, std::abs(qRed(s) - qRed(d)), std::abs(qGreen(s) - qGreen(d)),
                              std::abs(qBlue(s) - qBlue(d))});
        }
    CHECK(worst <= 24);
    QByteArray full, small;
    QBuffer fb(&full), sb(&small);
    fb.open(QIODevice::WriteOnly);
    sb.open(QIODevice::WriteOnly);
    REQUIRE(many.save(&fb, "PNG"));
    REQUIRE(b.save(&sb, "PNG"));
    CHECK(small.size() < full.size());
}
