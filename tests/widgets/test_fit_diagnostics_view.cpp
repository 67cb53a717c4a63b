// The GUI side of issue 9: the fit panel shows a banner coloured by the worst diagnostic and
// marks flagged parameters; the calculators never use an unreliable fit silently.
#include <datasets/examples.h>
#include <datasets/project.h>
#include <QComboBox>
#include <QLabel>
#include <QTableWidget>
#include <QTemporaryDir>

#include "test_fit_support.h"
#include "widgets/base/theme.h"
#include "widgets/calculators/calculators_panel.h"
#include "widgets/document/project_document.h"
#include "widgets/fit/diagnostics_banner.h"
#include "widgets/fit/fit_panel.h"
#include "widgets/fit/fit_store.h"

using namespace scalelens::ui;
namespace data = scalelens::data;
namespace fit = scalelens::fit;

namespace {

template <typename T>
T* child(QWidget& parent, const char* name) {
    T* w = parent.findChild<T*>(QString::fromLatin1(name));
    REQUIRE(w != nullptr);
    return w;
}

// A Chinchilla fit whose E went to its bound: the 11-run sweep, in summary form.
FitSummary unreliableChinchilla() {
    FitSummary s;
    s.lawId = QStringLiteral("chinchilla");
    s.lawTitle = QStringLiteral("Chinchilla L(N, D)");
    s.status = fit::FitStatus::Converged;
    s.message = QStringLiteral("converged");
    s.nPoints = 11;
    s.created = QDateTime::currentDateTimeUtc();
    const std::pair<const char*, double> values[] = {
        {"E", 6e-95}, {"A", 406.4}, {"B", 410.7}, {"alpha", 0.34}, {"beta", 0.28}};
    for (const auto& [name, value] : values) {
        FitParameterRow r;
        r.name = r.label = QString::fromLatin1(name);
        r.value = value;
        r.standardError = 0.1;
        if (r.name == QStringLiteral("E"))
            r.flags = fit::kEstimateAtBound;
        s.parameters.push_back(r);
    }
    scalelens::analysis::addDiagnostics(
        {{"param_at_bound", fit::Severity::Unreliable, "E = 6e-95 is at its lower bound 0"},
         {"few_points", fit::Severity::Warning, "11 points for 5 parameters"}},
        &s);
    return s;
}

}  // namespace

TEST_CASE("the fit panel shows an unreliable fit with a red banner and marks E",
          "[fit][panel][diagnostics]") {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("p.scalelens"));
    std::string error;
    REQUIRE(data::createExampleProject(path.toStdString(), &error));
    ProjectDocument doc;
    REQUIRE(doc.open(path));
    const FitSummary s = unreliableChinchilla();
    REQUIRE(s.status == fit::FitStatus::Unreliable);
    const std::int64_t id = doc.project()->saveFit(fitRecordFromSummary(s, {}, {}), &error);
    REQUIRE(id > 0);

    FitPanel panel;
    panel.setDocument(&doc);
    REQUIRE(panel.showFit(id));
    auto* banner = child<QLabel>(panel, "diagnosticsBanner");
    CHECK_FALSE(banner->isHidden());
    CHECK(banner->property("severity").toString() == QStringLiteral("unreliable"));
    CHECK(banner->text().contains(QStringLiteral("param_at_bound")));
    CHECK(banner->text().contains(QStringLiteral("11 points for 5 parameters")));
    // Unreliable first, then the warning.
    CHECK(banner->text().indexOf(QStringLiteral("param_at_bound")) <
          banner->text().indexOf(QStringLiteral("few_points")));
    // Red: the unreliable colours of the theme in use.
    CHECK(banner->styleSheet() == bannerStyle(fit::Severity::Unreliable, banner->palette()));
    CHECK(banner->styleSheet() != bannerStyle(fit::Severity::Warning, banner->palette()));

    auto* table = child<QTableWidget>(panel, "resultsTable");
    REQUIRE(table->rowCount() == 5);
    CHECK_FALSE(table->item(0, 0)->icon().isNull());  // E is at its bound
    CHECK(table->item(0, 0)->toolTip().contains(QStringLiteral("bound")));
    CHECK(table->item(0, 1)->text().contains(QStringLiteral("at bound")));
    CHECK(table->item(1, 0)->icon().isNull());  // A is not flagged

    // The calculators offer it, but say why it must not be trusted beside every number.
    CalculatorsPanel calculators;
    calculators.setDocument(&doc);
    auto* source = child<QComboBox>(calculators, "computeSource");
    int fitted = -1;
    for (int i = 0; i < source->count(); ++i) {
        if (source->itemText(i).startsWith(QStringLiteral("Fit: chinchilla")))
            fitted = i;
    }
    REQUIRE(fitted >= 0);
    CHECK(source->itemText(fitted).contains(QStringLiteral("(unreliable)")));
    source->setCurrentIndex(fitted);
    auto* warning = child<QLabel>(calculators, "computeFitWarning");
    CHECK_FALSE(warning->isHidden());
    CHECK(warning->text().contains(QStringLiteral("Unreliable fit")));
    CHECK(warning->text().contains(QStringLiteral("lower bound")));
    auto* nOpt = child<QLabel>(calculators, "nOptLabel");
    CHECK(nOpt->text().contains(QStringLiteral("\u26a0")));
    CHECK(nOpt->toolTip().contains(QStringLiteral("Unreliable fit")));
    // A published preset carries no warning.
    source->setCurrentIndex(0);
    CHECK(warning->isHidden());
    CHECK_FALSE(nOpt->text().contains(QStringLiteral("\u26a0")));
}

TEST_CASE("banner colours are readable in both themes", "[fit][diagnostics][theme]") {
    for (const QPalette& palette : {lightPalette(), darkPalette()}) {
        for (const fit::Severity s :
             {fit::Severity::Info, fit::Severity::Warning, fit::Severity::Unreliable}) {
            const QString style = bannerStyle(s, palette);
            // background-color: #xxxxxx; color: #yyyyyy;
            const QColor bg(style.section(QStringLiteral("background-color: "), 1).left(7));
            const QColor fg(style.section(QStringLiteral("; color: "), 1).left(7));
            REQUIRE(bg.isValid());
            REQUIRE(fg.isValid());
            CHECK(contrastRatio(fg, bg) >= 4.5);
        }
    }
    // No diagnostics: no banner.
    FitSummary clean;
    clean.status = fit::FitStatus::Converged;
    QLabel banner;
    showDiagnostics(&banner, clean);
    CHECK(banner.isHidden());
    CHECK(diagnosticsHtml(clean).isEmpty());
}
