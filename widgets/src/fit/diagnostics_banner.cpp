#include "widgets/fit/diagnostics_banner.h"

#include <QApplication>
#include <QLabel>
#include <QStyle>
#include <QVariant>

#include "widgets/base/theme.h"

namespace scalelens::ui {

namespace {

struct BannerColours {
    QColor background;
    QColor text;
    QColor border;
};

BannerColours colours(fit::Severity severity, bool dark) {
    switch (severity) {
        case fit::Severity::Unreliable:
            return dark ? BannerColours{QColor(0x5a, 0x1e, 0x1e), QColor(0xff, 0xdc, 0xdc),
                                        QColor(0xff, 0x6b, 0x6b)}
                        : BannerColours{QColor(0xfd, 0xec, 0xea), QColor(0x7f, 0x1d, 0x1d),
                                        QColor(0xc6, 0x28, 0x28)};
        case fit::Severity::Warning:
            return dark ? BannerColours{QColor(0x4a, 0x38, 0x0c), QColor(0xff, 0xec, 0xb3),
                                        QColor(0xff, 0xb3, 0x00)}
                        : BannerColours{QColor(0xff, 0xf4, 0xdb), QColor(0x6b, 0x45, 0x00),
                                        QColor(0xd9, 0x8e, 0x00)};
        case fit::Severity::Info:
            break;
    }
    return dark ? BannerColours{QColor(0x1c, 0x33, 0x4d), QColor(0xd6, 0xe8, 0xfa),
                                QColor(0x64, 0xa8, 0xf0)}
                : BannerColours{QColor(0xe8, 0xf1, 0xfb), QColor(0x17, 0x45, 0x73),
                                QColor(0x2f, 0x7c, 0xd3)};
}

QString severityName(fit::Severity severity) {
    const std::string_view name = fit::toString(severity);
    return QString::fromUtf8(name.data(), qsizetype(name.size()));
}

}  // namespace

QString bannerStyle(fit::Severity severity, const QPalette& palette) {
    const BannerColours c = colours(severity, isDarkPalette(palette));
    return QStringLiteral(
               "QLabel { background-color: %1; color: %2; border-left: 4px solid %3; "
               "padding: 6px; }")
        .arg(c.background.name(), c.text.name(), c.border.name());
}

QString diagnosticsHtml(const FitSummary& s) {
    if (s.diagnostics.empty())
        return {};
    const fit::Severity worst = s.worstSeverity();
    QString title;
    if (s.status == fit::FitStatus::Unreliable || worst == fit::Severity::Unreliable)
        title = QApplication::translate(
            "FitPanel", "Unreliable: the numbers below must not be used as they are.");
    else if (worst == fit::Severity::Warning)
        title = QApplication::translate("FitPanel", "Usable, with warnings:");
    else
        title = QApplication::translate("FitPanel", "Notes:");
    QString html = QStringLiteral("<b>\u26a0 %1</b>").arg(title.toHtmlEscaped());
    if (worst == fit::Severity::Info)
        html = QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped());
    for (const fit::Severity level :
         {fit::Severity::Unreliable, fit::Severity::Warning, fit::Severity::Info}) {
        for (const fit::Diagnostic& d : s.diagnostics) {
            if (d.severity != level)
                continue;
            html += QStringLiteral("<br>[%1] <i>%2</i>: %3")
                        .arg(severityName(d.severity), QString::fromStdString(d.code),
                             QString::fromStdString(d.message).toHtmlEscaped());
        }
    }
    return html;
}

void showDiagnostics(QLabel* banner, const FitSummary& s) {
    if (s.diagnostics.empty()) {
        banner->clear();
        banner->setProperty("severity", QVariant());
        banner->hide();
        return;
    }
    const fit::Severity worst = s.worstSeverity();
    banner->setTextFormat(Qt::RichText);
    banner->setText(diagnosticsHtml(s));
    banner->setStyleSheet(bannerStyle(worst, banner->palette()));
    banner->setProperty("severity", severityName(worst));
    banner->show();
}

QString flagToolTip(unsigned flags) {
    QStringList lines;
    if (flags & fit::kEstimateAtBound)
        lines << QApplication::translate(
            "FitPanel",
            "At (or within a hair of) its bound: the optimum is on the edge of the allowed range, "
            "so this value and its standard error do not describe the data.");
    if (flags & fit::kEstimateNotIdentified)
        lines << QApplication::translate(
            "FitPanel",
            "Not identified: it lies on a direction the data do not determine (see the "
            "ill_conditioned diagnostic).");
    if (flags & fit::kEstimateIllConditioned)
        lines << QApplication::translate(
            "FitPanel",
            "Its standard error comes from an ill-conditioned covariance: indicative only.");
    return lines.join(QLatin1Char('\n'));
}

QIcon flagIcon() {
    return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
}

}  // namespace scalelens::ui
