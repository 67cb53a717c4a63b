#include "widgets/base/number_field.h"

#include <limits>

#include "widgets/base/number_format.h"

namespace scalelens::ui {

NumberField::NumberField(const QString& text, QWidget* parent)
    : QLineEdit(text, parent),
      m_minimum(-std::numeric_limits<double>::max()),
      m_maximum(std::numeric_limits<double>::max()) {
    setClearButtonEnabled(false);
    connect(this, &QLineEdit::textChanged, this, [this] {
        revalidate();
        emit edited();
    });
    revalidate();
}

void NumberField::setRange(double minimum, double maximum, const QString& description) {
    m_minimum = minimum;
    m_maximum = maximum;
    m_rangeDescription = description;
    revalidate();
}

void NumberField::setRule(std::function<QString(double)> rule) {
    m_rule = std::move(rule);
    revalidate();
}

void NumberField::setHelp(const QString& help) {
    m_help = help;
    applyStyle();
}

void NumberField::setOptional(bool optional) {
    m_optional = optional;
    revalidate();
}

std::optional<double> NumberField::value() const {
    if (!m_parseError.isEmpty() || text().trimmed().isEmpty())
        return std::nullopt;
    return parseNumber(text());
}

void NumberField::setExternalError(const QString& reason) {
    if (reason == m_externalError)
        return;
    m_externalError = reason;
    applyStyle();
}

void NumberField::revalidate() {
    const QString expect = m_rangeDescription.isEmpty()
                               ? tr("Enter a number between %1 and %2.")
                                     .arg(formatScientific(m_minimum), formatScientific(m_maximum))
                               : tr("Enter %1.").arg(m_rangeDescription);
    m_parseError.clear();
    if (text().trimmed().isEmpty()) {
        if (!m_optional)
            m_parseError = tr("Empty. %1").arg(expect);
    } else if (const auto v = parseNumber(text()); !v) {
        m_parseError = tr("'%1' is not a number (use a dot for decimals, e.g. 1.5e21). %2")
                           .arg(text().trimmed(), expect);
    } else if (*v < m_minimum || *v > m_maximum) {
        m_parseError = tr("%1 is out of range. %2").arg(text().trimmed(), expect);
    } else if (m_rule) {
        const QString reason = m_rule(*v);
        if (!reason.isEmpty())
            m_parseError = reason;
    }
    applyStyle();
}

void NumberField::applyStyle() {
    m_error = !m_parseError.isEmpty() ? m_parseError : m_externalError;
    if (m_error.isEmpty()) {
        setStyleSheet(QString());
        setToolTip(m_help);
    } else {
        // A red frame is visible in light and dark palettes alike; the reason goes in the
        // tooltip so the layout does not jump while typing.
        setStyleSheet(
            QStringLiteral("QLineEdit { border: 2px solid #d32f2f; border-radius: 3px; }"));
        setToolTip(m_help.isEmpty() ? m_error : m_error + QStringLiteral("\n\n") + m_help);
    }
    setProperty("invalid", !m_error.isEmpty());
}

}  // namespace scalelens::ui
