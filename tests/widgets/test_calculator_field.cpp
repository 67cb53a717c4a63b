// Number entry and unit formatting used by the calculators dock (issue 5, item 5).
#include <QLocale>

#include "test_fit_support.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"

using scalelens::ui::formatCount;
using scalelens::ui::formatPlain;
using scalelens::ui::formatScientific;
using scalelens::ui::NumberField;
using scalelens::ui::parseNumber;

TEST_CASE("parseNumber accepts scientific notation in any locale", "[calculator][format]") {
    const QLocale saved;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    CHECK(parseNumber(QStringLiteral("1e21")).value() == 1e21);
    CHECK(parseNumber(QStringLiteral(" 5.76e23 ")).value() == 5.76e23);
    CHECK(parseNumber(QStringLiteral("+2.5E-3")).value() == 2.5e-3);
    CHECK(parseNumber(QStringLiteral("7000000000")).value() == 7e9);
    CHECK_FALSE(parseNumber(QStringLiteral("1,5")).has_value());
    CHECK_FALSE(parseNumber(QStringLiteral("")).has_value());
    CHECK_FALSE(parseNumber(QStringLiteral("1e21 FLOP")).has_value());
    CHECK_FALSE(parseNumber(QStringLiteral("nan")).has_value());
    CHECK_FALSE(parseNumber(QStringLiteral("inf")).has_value());
    CHECK_FALSE(parseNumber(QStringLiteral("1e400")).has_value());
    QLocale::setDefault(saved);
}

TEST_CASE("formatting uses SI-style suffixes and never prints nan", "[calculator][format]") {
    CHECK(formatCount(1.824e9, QStringLiteral("params")) == QStringLiteral("1.82 B params"));
    CHECK(formatCount(9.136e10, QStringLiteral("tokens")) == QStringLiteral("91.4 B tokens"));
    CHECK(formatCount(2.982e12, QStringLiteral("tokens")) == QStringLiteral("2.98 T tokens"));
    CHECK(formatCount(4.9988e6, QStringLiteral("tokens")) == QStringLiteral("5.00 M tokens"));
    CHECK(formatCount(999.96e6) == QStringLiteral("1.00 B"));
    CHECK(formatCount(2440.8, QStringLiteral("sequences")) == QStringLiteral("2.44 K sequences"));
    CHECK(formatCount(512) == QStringLiteral("512"));
    CHECK(formatScientific(1e21, QStringLiteral("FLOP")) == QStringLiteral("1e21 FLOP"));
    CHECK(formatScientific(5.76e23) == QStringLiteral("5.76e23"));
    CHECK(formatScientific(9.1656e-4) == QStringLiteral("9.166e-4"));
    CHECK(formatScientific(9.1656e-4, {}, 5) == QStringLiteral("9.1656e-4"));
    CHECK(formatScientific(50.1) == QStringLiteral("50.1"));
    CHECK(formatPlain(2.32894, 5) == QStringLiteral("2.3289"));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const QString& s : {formatCount(nan), formatScientific(nan), formatPlain(nan),
                             formatCount(std::numeric_limits<double>::infinity())})
        CHECK(s == QStringLiteral("\u2013"));
}

TEST_CASE("NumberField marks invalid input with a red frame and the reason",
          "[calculator][field]") {
    NumberField field(QStringLiteral("1e21"));
    field.setRange(1e10, 1e30, QStringLiteral("a FLOP budget between 1e10 and 1e30"));
    int edits = 0;
    QObject::connect(&field, &NumberField::edited, [&] { ++edits; });
    CHECK(field.isValidInput());
    CHECK(field.value().value() == 1e21);
    CHECK(field.styleSheet().isEmpty());

    field.setText(QStringLiteral("abc"));
    CHECK(edits == 1);
    CHECK_FALSE(field.value().has_value());
    CHECK(field.property("invalid").toBool());
    CHECK(field.styleSheet().contains(QStringLiteral("border")));
    CHECK(field.toolTip().contains(QStringLiteral("'abc' is not a number")));
    CHECK(field.toolTip().contains(QStringLiteral("a FLOP budget between 1e10 and 1e30")));

    field.setText(QStringLiteral("1e5"));
    CHECK_FALSE(field.value().has_value());
    CHECK(field.toolTip().contains(QStringLiteral("1e5 is out of range")));

    field.setText(QStringLiteral("5.76e23"));
    CHECK(field.isValidInput());
    CHECK(field.styleSheet().isEmpty());
    CHECK(field.value().value() == 5.76e23);

    field.setRule([](double v) {
        return v == std::floor(v) ? QString() : QStringLiteral("must be a whole number");
    });
    field.setText(QStringLiteral("1.5e10"));
    CHECK(field.isValidInput());
    field.setExternalError(QStringLiteral("score outside the curve's range"));
    CHECK_FALSE(field.isValidInput());
    CHECK(field.toolTip() == QStringLiteral("score outside the curve's range"));
    field.setExternalError({});
    CHECK(field.isValidInput());
}
