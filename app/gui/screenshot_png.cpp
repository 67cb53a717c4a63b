#include "screenshot_png.h"

#include <QHash>
#include <algorithm>
#include <cstdint>
#include <numeric>
#include <vector>

namespace scalelens::app {

QImage toIndexed8(const QImage& image) {
    const QImage rgb = image.convertToFormat(QImage::Format_RGB32);
    const int w = rgb.width(), h = rgb.height();
    // Few colours: exact palette.
    QHash<QRgb, int> exact;
    for (int y = 0; y < h && exact.size() <= 256; ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < w && exact.size() <= 256; ++x)
            exact.insert(line[x] | 0xff000000u, 0);
    }
    QImage out(w, h, QImage::Format_Indexed8);
    if (exact.size() <= 256) {
        QList<QRgb> table;
        for (auto it = exact.begin(); it != exact.end(); ++it) {
            it.value() = static_cast<int>(table.size());
            table.append(it.key());
        }
        out.setColorTable(table);
        for (int y = 0; y < h; ++y) {
            const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
            uchar* dst = out.scanLine(y);
            for (int x = 0; x < w; ++x)
                dst[x] = static_cast<uchar>(exact.value(line[x] | 0xff000000u));
        }
        return out;
    }
    // Bins of 5 bits a channel; the 256 fullest become the palette (their mean colour).
    constexpr int kBins = 1 << 15;
    std::vector<std::uint64_t> count(kBins, 0), sumR(kBins, 0), sumG(kBins, 0), sumB(kBins, 0);
    auto binOf = [](QRgb c) {
        return ((qRed(c) >> 3) << 10) | ((qGreen(c) >> 3) << 5) | (qBlue(c) >> 3);
    };
    for (int y = 0; y < h; ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        for (int x = 0; x < w; ++x) {
            const int b = binOf(line[x]);
            ++count[b];
            sumR[b] += qRed(line[x]);
            sumG[b] += qGreen(line[x]);
            sumB[b] += qBlue(line[x]);
        }
    }
    std::vector<int> order(kBins);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return count[a] > count[b]; });
    QList<QRgb> table;
    for (int i = 0; i < 256 && count[order[i]] > 0; ++i) {
        const int b = order[i];
        const auto n = count[b];
        table.append(qRgb(static_cast<int>((sumR[b] + n / 2) / n),
                          static_cast<int>((sumG[b] + n / 2) / n),
                          static_cast<int>((sumB[b] + n / 2) / n)));
    }
    // Every used bin maps to its nearest palette colour (squared RGB distance of bin means).
    std::vector<uchar> index(kBins, 0);
    for (int b = 0; b < kBins; ++b) {
        if (count[b] == 0)
            continue;
        const auto n = count[b];
        const int r = static_cast<int>(sumR[b] / n), g = static_cast<int>(sumG[b] / n),
                  bl = static_cast<int>(sumB[b] / n);
        int best = 0;
        int bestD = 1 << 30;
        for (int i = 0; i < table.size(); ++i) {
            const int dr = qRed(table[i]) - r, dg = qGreen(table[i]) - g, db = qBlue(table[i]) - bl;
            const int d = dr * dr + dg * dg + db * db;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        index[b] = static_cast<uchar>(best);
    }
    out.setColorTable(table);
    for (int y = 0; y < h; ++y) {
        const auto* line = reinterpret_cast<const QRgb*>(rgb.constScanLine(y));
        uchar* dst = out.scanLine(y);
        for (int x = 0; x < w; ++x)
            dst[x] = index[binOf(line[x])];
    }
    return out;
}

}  // namespace scalelens::app
