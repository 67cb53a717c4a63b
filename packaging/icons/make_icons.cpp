// scalelens-make-icons: renders the application SVG into the Windows .ico and the macOS .icns
// the installers need, so no binary icon is committed (packaging/install.cmake runs it at build
// time).
//
//   scalelens-make-icons icon.svg out.ico out.icns
//
// Both containers hold PNG images: ICO entries may be PNG since Windows Vista, ICNS types
// icp4..ic14 are PNG since macOS 10.7.
#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <cstdio>
#include <iterator>
#include <utility>
#include <vector>

namespace {

QByteArray renderPng(QSvgRenderer& svg, int size) {
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        svg.render(&painter);
    }
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

void appendLE16(QByteArray& out, quint16 v) {
    out.append(char(v & 0xff)).append(char(v >> 8));
}

void appendLE32(QByteArray& out, quint32 v) {
    for (int i = 0; i < 4; ++i)
        out.append(char((v >> (8 * i)) & 0xff));
}

void appendBE32(QByteArray& out, quint32 v) {
    for (int i = 3; i >= 0; --i)
        out.append(char((v >> (8 * i)) & 0xff));
}

QByteArray makeIco(QSvgRenderer& svg) {
    const int sizes[] = {16, 24, 32, 48, 64, 128, 256};
    const quint16 count = std::size(sizes);
    std::vector<QByteArray> images;
    for (int s : sizes)
        images.push_back(renderPng(svg, s));
    QByteArray out;
    appendLE16(out, 0);  // reserved
    appendLE16(out, 1);  // type: icon
    appendLE16(out, count);
    quint32 offset = 6 + 16 * count;
    for (std::size_t i = 0; i < images.size(); ++i) {
        const int s = sizes[i];
        out.append(char(s >= 256 ? 0 : s)).append(char(s >= 256 ? 0 : s));  // 0 means 256
        out.append(char(0)).append(char(0));  // palette size, reserved
        appendLE16(out, 1);                   // colour planes
        appendLE16(out, 32);                  // bits per pixel
        appendLE32(out, quint32(images[i].size()));
        appendLE32(out, offset);
        offset += quint32(images[i].size());
    }
    for (const QByteArray& png : images)
        out.append(png);
    return out;
}

QByteArray makeIcns(QSvgRenderer& svg) {
    const std::pair<const char*, int> types[] = {
        {"icp4", 16},  {"icp5", 32},  {"icp6", 64},  {"ic07", 128}, {"ic08", 256},
        {"ic09", 512}, {"ic10", 1024}, {"ic11", 32}, {"ic12", 64},  {"ic13", 256},
        {"ic14", 512}};
    QByteArray body;
    for (const auto& [type, size] : types) {
        const QByteArray png = renderPng(svg, size);
        body.append(type, 4);
        appendBE32(body, quint32(png.size() + 8));
        body.append(png);
    }
    QByteArray out("icns");
    appendBE32(out, quint32(body.size() + 8));
    return out + body;
}

bool writeFile(const QString& path, const QByteArray& data) {
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size()) {
        std::fprintf(stderr, "scalelens-make-icons: cannot write %s\n", qPrintable(path));
        return false;
    }
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    // Rendering needs no display.
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 4) {
        std::fprintf(stderr, "usage: scalelens-make-icons icon.svg out.ico out.icns\n");
        return 2;
    }
    QSvgRenderer svg(args[1]);
    if (!svg.isValid()) {
        std::fprintf(stderr, "scalelens-make-icons: %s: not a readable SVG file\n",
                     qPrintable(args[1]));
        return 3;
    }
    return writeFile(args[2], makeIco(svg)) && writeFile(args[3], makeIcns(svg)) ? 0 : 4;
}
