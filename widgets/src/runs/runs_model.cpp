// Helpers shared by the two run models (runs_tree_model.cpp, runs_table_model.cpp).
#include "widgets/runs/runs_model.h"

#include <analysis/loss_metric.h>
#include <datasets/project.h>
#include <QFont>
#include <QLocale>
#include <QPalette>
#include <cmath>

#include "runs_model_internal.h"
#include "widgets/document/project_document.h"

namespace scalelens::ui {
namespace runs_detail {

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

std::map<qint64, double> finalValuesOf(const data::Project* project, const QString& metric) {
    std::map<qint64, double> values;
    if (!project || metric.isEmpty())
        return values;
    for (const auto& v : project->finalValues(metric.toStdString())) {
        values[v.runId] = v.value;
    }
    return values;
}

bool isCountField(data::RunField field) {
    switch (field) {
        case data::RunField::TotalParams:
        case data::RunField::NonEmbeddingParams:
        case data::RunField::ActiveParams:
        case data::RunField::Tokens:
        case data::RunField::BatchTokens:
        case data::RunField::SeqLen:
            return true;
        default:
            return false;
    }
}

QString derivedTooltip(data::RunField field) {
    switch (field) {
        case data::RunField::Tokens:
            return QObject::tr("Derived: D = C / (6N) (Kaplan et al. 2020, Eq. 2.1)");
        case data::RunField::Flops:
            return QObject::tr("Derived: C = 6ND (Kaplan et al. 2020, Eq. 2.1)");
        default:
            return QObject::tr("Derived from other fields");
    }
}

}  // namespace runs_detail

QString formatRunNumber(double value, bool count) {
    if (!std::isfinite(value))
        return QString();
    const double magnitude = std::fabs(value);
    if (count && magnitude >= 1e3 && magnitude < 1e15) {
        static const struct {
            double scale;
            const char* suffix;
        } units[] = {{1e12, "T"}, {1e9, "B"}, {1e6, "M"}, {1e3, "K"}};
        for (const auto& unit : units) {
            if (magnitude >= unit.scale) {
                const double scaled = value / unit.scale;
                const int decimals =
                    std::fabs(scaled) >= 100 ? 0 : (std::fabs(scaled) >= 10 ? 1 : 2);
                return QString::number(scaled, 'f', decimals) + QLatin1Char(' ') +
                       QLatin1String(unit.suffix);
            }
        }
    }
    if (count && magnitude < 1e3 && value == std::floor(value))
        return QString::number(value, 'f', 0);
    if (magnitude != 0.0 && (magnitude >= 1e5 || magnitude < 1e-2)) {
        // 3.00e21 rather than 3.00e+21, 9.17e-4 rather than 9.17e-04.
        QString text = QString::number(value, 'e', 2);
        const qsizetype e = text.indexOf(QLatin1Char('e'));
        QString exponent = text.mid(e + 1);
        const bool negative = exponent.startsWith(QLatin1Char('-'));
        if (negative || exponent.startsWith(QLatin1Char('+')))
            exponent.remove(0, 1);
        while (exponent.size() > 1 && exponent.startsWith(QLatin1Char('0'))) {
            exponent.remove(0, 1);
        }
        text = text.left(e + 1) + (negative ? QStringLiteral("-") : QString()) + exponent;
        return text;
    }
    return QString::number(value, 'g', 4);
}

}  // namespace scalelens::ui
