// Lines handed to Qt Charts simplified to within 0.2 px (simplifyPolyline, issue 14 item 7):
// fewer segments to stroke and lay out, the same look, and the same points for hover and
// note placement.
#include <datasets/examples.h>
#include <datasets/project.h>
#include <widgets/plot/plot_view.h>
#include <widgets/plot/series_decimation.h>
#include <widgets/views/plot_views.h>
#include <QApplication>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <cmath>

#include "scalelens_catch.h"

using namespace scalelens::ui;

namespace {

// Distance in pixels from p to the segment a-b (axis units scaled by sx, sy).
double segmentDistance(QPointF p, QPointF a, QPointF b, double sx, double sy) {
    const double dx = (b.x() - a.x()) * sx, dy = (b.y() - a.y()) * sy;
    const double px = (p.x() - a.x()) * sx, py = (p.y() - a.y()) * sy;
    const double len2 = dx * dx + dy * dy;
    const double t = len2 > 0 ? std::clamp((px * dx + py * dy) / len2, 0.0, 1.0) : 0.0;
    return std::hypot(px - t * dx, py - t * dy);
}

// Every dropped point lies within `tol` px of the kept polyline's segment spanning it.
void checkWithin(const QList<QPointF>& pts, const std::vector<std::size_t>& keep, double sx,
                 double sy, double tol) {
    REQUIRE(keep.size() >= 2);
    CHECK(keep.front() == 0);
    CHECK(keep.back() == static_cast<std::size_t>(pts.size() - 1));
    double worst = 0;
    for (std::size_t k = 0; k + 1 < keep.size(); ++k) {
        REQUIRE(keep[k] < keep[k + 1]);
        for (std::size_t i = keep[k] + 1; i < keep[k + 1]; ++i)
            worst = std::max(worst, segmentDistance(pts[qsizetype(i)], pts[qsizetype(keep[k])],
                                                    pts[qsizetype(keep[k + 1])], sx, sy));
    }
    CHECK(worst <= tol);
}

}  // namespace

TEST_CASE("simplifyPolyline keeps a smooth curve's shape within the tolerance in few points",
          "[plot][decimation]") {
    // A loss curve, 2,000 points over 1,000 x 600 px (axis units: log10 x, linear y).
    QList<QPointF> pts;
    for (int i = 0; i < 2000; ++i) {
        const double lx = 5.0 + 4.0 * i / 1999.0;
        pts.append(QPointF(lx, 2.0 + 3.0 * std::pow(10.0, -0.3 * (lx - 5.0))));
    }
    const double sx = 1000.0 / 4.0, sy = 600.0 / 3.5;
    const auto keep = simplifyPolyline(pts, sx, sy, 0.2);
    checkWithin(pts, keep, sx, sy, 0.2);
    CHECK(keep.size() < 100);  // from 2,000
    // A tighter tolerance keeps more, never fewer.
    const auto tight = simplifyPolyline(pts, sx, sy, 0.01);
    checkWithin(pts, tight, sx, sy, 0.01);
    CHECK(tight.size() > keep.size());
}

TEST_CASE("simplifyPolyline keeps spikes, folds and the ends", "[plot][decimation]") {
    // A flat line with one 5 px spike, then a fold back (a min/max column pair).
    QList<QPointF> pts;
    for (int i = 0; i < 100; ++i)
        pts.append(QPointF(i, i == 40 ? 5.0 : 0.0));
    pts.append(QPointF(50, 3.0));  // back in x: an unsorted polyline
    pts.append(QPointF(120, 0.0));
    const auto keep = simplifyPolyline(pts, 1.0, 1.0, 0.2);
    checkWithin(pts, keep, 1.0, 1.0, 0.2);
    CHECK(std::find(keep.begin(), keep.end(), 40u) != keep.end());
    CHECK(std::find(keep.begin(), keep.end(), 100u) != keep.end());
    CHECK(keep.size() < 12);
    // Two points, one point, none: returned as they are.
    CHECK(simplifyPolyline({QPointF(0, 0), QPointF(1, 1)}, 1, 1, 0.2).size() == 2);
    CHECK(simplifyPolyline({QPointF(0, 0)}, 1, 1, 0.2).size() == 1);
    CHECK(simplifyPolyline({}, 1, 1, 0.2).empty());
}

TEST_CASE("a view draws the same with and without the view-switch savings", "[plot][plot_views]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string err;
    REQUIRE(scalelens::data::createExampleProject(path, &err));
    auto project = scalelens::data::Project::open(path, &err);
    REQUIRE(project);
    // Many smooth curves (training curves) and dense model lines over scatters (loss vs
    // compute): rendered both ways at 1200 x 800, pixel by pixel.
    for (const char* id : {"training-curves", "loss-vs-compute"}) {
        INFO(id);
        QImage images[2];
        std::size_t handed[2] = {0, 0};
        QString notes[2];
        for (int fast = 0; fast < 2; ++fast) {
            PlotView::setFastDrawing(fast == 1);
            ViewContext ctx;
            ctx.project = project.get();
            PlotView view;
            view.resize(1200, 800);
            QString error;
            REQUIRE(buildView(QString::fromLatin1(id), ctx, &view, &error));
            images[fast] = QImage(1200, 800, QImage::Format_ARGB32_Premultiplied);
            images[fast].fill(Qt::white);
            QPainter painter(&images[fast]);
            view.resetWorkCounts();
            view.renderFigure(&painter, QRectF(0, 0, 1200, 800), QSizeF(1200, 800));
            handed[fast] = static_cast<std::size_t>(view.workCounts().pointsHanded);
            for (int panel = 0; panel < view.panelCount(); ++panel)
                notes[fast] += view.notes(panel) + QLatin1Char('\n');
        }
        PlotView::setFastDrawing(true);
        // The notes say the same either way (the note boxes are compared as pixels below).
        CHECK(notes[0] == notes[1]);
        // Fewer points handed over for the same figure (the example's curves are short).
        CHECK(handed[1] < handed[0]);
        // No pixel moves by more than antialiasing does at 0.2 px: at most a small share of
        // the figure differs visibly (> 48 of 255 in a channel), and on average by little.
        long long visible = 0;
        double sum = 0;
        for (int y = 0; y < 800; ++y) {
            const QRgb* a = reinterpret_cast<const QRgb*>(images[0].constScanLine(y));
            const QRgb* b = reinterpret_cast<const QRgb*>(images[1].constScanLine(y));
            for (int x = 0; x < 1200; ++x) {
                const int d = std::max({std::abs(qRed(a[x]) - qRed(b[x])),
                                        std::abs(qGreen(a[x]) - qGreen(b[x])),
                                        std::abs(qBlue(a[x]) - qBlue(b[x]))});
                visible += d > 48 ? 1 : 0;
                sum += d;
            }
        }
        const double share = static_cast<double>(visible) / (1200.0 * 800.0);
        const double mean = sum / (1200.0 * 800.0);
        INFO("pixels differing visibly: " << share * 100 << "%, mean difference " << mean);
        CHECK(share < 0.002);
        CHECK(mean < 0.5);
    }
}

TEST_CASE("buildView redraws each panel once, where it redrew one per series added",
          "[plot][plot_views]") {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("example.scalelens")).toStdString();
    std::string err;
    REQUIRE(scalelens::data::createExampleProject(path, &err));
    auto project = scalelens::data::Project::open(path, &err);
    REQUIRE(project);
    // The counter test_view_switch_blocking bounds (12 a stretch) tells the two ways apart.
    long long refreshes[2] = {0, 0};
    int panels = 0;
    for (int fast = 0; fast < 2; ++fast) {
        PlotView::setFastDrawing(fast == 1);
        ViewContext ctx;
        ctx.project = project.get();
        PlotView view;
        view.resize(1200, 800);
        QString error;
        REQUIRE(buildView(QStringLiteral("isoflop"), ctx, &view, &error));
        refreshes[fast] = view.workCounts().refreshes;
        panels = view.panelCount();
    }
    PlotView::setFastDrawing(true);
    INFO("refreshes before " << refreshes[0] << ", now " << refreshes[1]);
    CHECK(refreshes[0] > 12);
    CHECK(refreshes[1] <= 2 * panels + 2);
}
