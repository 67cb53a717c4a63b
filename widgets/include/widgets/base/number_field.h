// A line edit for numbers in the calculators and the fit options: scientific notation in any
// locale, and a visible invalid state (red frame, reason in the tooltip) instead of a silent
// clamp or a NaN further down.
//
//   auto* budget = new NumberField(QStringLiteral("1e21"), this);
//   budget->setRange(1e10, 1e30, tr("a FLOP budget between 1e10 and 1e30"));
//   connect(budget, &NumberField::edited, this, &MyPanel::recompute);
//   if (auto c = budget->value()) ...
#pragma once

#include <QLineEdit>
#include <functional>
#include <optional>

namespace scalelens::ui {

class NumberField : public QLineEdit {
    Q_OBJECT
  public:
    explicit NumberField(const QString& text = {}, QWidget* parent = nullptr);

    // Accepted closed range; `description` completes "Enter <description>." in the tooltip.
    void setRange(double minimum, double maximum, const QString& description = {});
    // Extra rule on top of the range (e.g. "must be an integer"); returns an empty string when
    // the value is fine, else the reason shown in the tooltip.
    void setRule(std::function<QString(double)> rule);
    // Help text shown in the tooltip while the value is valid.
    void setHelp(const QString& help);
    // An optional field accepts empty text (value() is then nullopt but the field is valid).
    void setOptional(bool optional);

    // The parsed value, or nullopt when the text is empty or invalid.
    std::optional<double> value() const;
    // Shows an externally detected problem (e.g. a score outside the fitted curve's range) in
    // the same way as a parse error; an empty reason clears it.
    void setExternalError(const QString& reason);
    bool isValidInput() const { return m_error.isEmpty(); }
    // The reason the field is marked invalid (empty when valid).
    QString errorText() const { return m_error; }

  signals:
    // Emitted on every edit (typing or setText) after the field re-validated itself.
    void edited();

  private:
    void revalidate();
    void applyStyle();

    double m_minimum;
    double m_maximum;
    QString m_rangeDescription;
    QString m_help;
    std::function<QString(double)> m_rule;
    bool m_optional = false;
    QString m_parseError;     // from the text itself
    QString m_externalError;  // set by the owner
    QString m_error;          // what is shown (parse error first)
};

}  // namespace scalelens::ui
