#include "widgets/base/theme.h"

#include <QApplication>
#include <QStyle>
#include <QStyleFactory>
#include <memory>
#include <optional>

namespace scalelens::ui {
namespace {
std::optional<QPalette> g_systemPalette;
Theme g_current = Theme::System;
}  // namespace

QString themeName(Theme theme) {
    switch (theme) {
        case Theme::Light:
            return QStringLiteral("light");
        case Theme::Dark:
            return QStringLiteral("dark");
        case Theme::System:
            break;
    }
    return QStringLiteral("system");
}

Theme themeFromName(const QString& name) {
    if (name == QLatin1String("light"))
        return Theme::Light;
    if (name == QLatin1String("dark"))
        return Theme::Dark;
    return Theme::System;
}

void captureSystemPalette() {
    if (!g_systemPalette)
        g_systemPalette = QApplication::palette();
}

bool isDarkPalette(const QPalette& palette) {
    return palette.color(QPalette::Window).lightnessF() < 0.5;
}

bool systemPrefersDark() {
    captureSystemPalette();
    return isDarkPalette(*g_systemPalette);
}

QPalette lightPalette() {
    // Fusion's own palette is a good light palette; only the accent is tuned.
    const std::unique_ptr<QStyle> fusion(QStyleFactory::create(QStringLiteral("Fusion")));
    QPalette p = fusion->standardPalette();
    const QColor accent(0x1f, 0x6f, 0xb4);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, accent);
    return p;
}

QPalette darkPalette() {
    QPalette p;
    const QColor window(0x2b, 0x2d, 0x30);
    const QColor base(0x1e, 0x1f, 0x22);
    const QColor alternate(0x26, 0x28, 0x2b);
    const QColor text(0xdf, 0xe1, 0xe5);
    const QColor disabledText(0x7f, 0x83, 0x8a);
    const QColor button(0x35, 0x38, 0x3c);
    const QColor accent(0x3d, 0x8e, 0xd8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, alternate);
    p.setColor(QPalette::ToolTipBase, QColor(0x3c, 0x3f, 0x44));
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, disabledText);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, button);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4d, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x3f, 0x42, 0x46));
    p.setColor(QPalette::Mid, QColor(0x25, 0x27, 0x29));
    p.setColor(QPalette::Dark, QColor(0x18, 0x19, 0x1b));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Highlight, accent);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb2, 0xf0));
    p.setColor(QPalette::LinkVisited, QColor(0xa7, 0x8b, 0xe0));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText}) {
        p.setColor(QPalette::Disabled, role, disabledText);
    }
    p.setColor(QPalette::Disabled, QPalette::Highlight, QColor(0x50, 0x53, 0x58));
    p.setColor(QPalette::Disabled, QPalette::Base, window);
    return p;
}

void applyTheme(Theme theme) {
    captureSystemPalette();
    g_current = theme;
    const bool dark = theme == Theme::Dark || (theme == Theme::System && systemPrefersDark());
    if (QApplication::style()->name().compare(QLatin1String("fusion"), Qt::CaseInsensitive) != 0)
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(dark ? darkPalette() : lightPalette());
}

Theme currentTheme() {
    return g_current;
}

}  // namespace scalelens::ui
