#include "widgets/calculators_panel.h"

#include <QLabel>
#include <QTabWidget>
#include <QVBoxLayout>

namespace scalelens::ui {

struct CalculatorsPanel::Private {
    ProjectDocument* document = nullptr;
    QTabWidget* tabs = nullptr;
    std::vector<FitSummary> fittedPresets;
};

CalculatorsPanel::CalculatorsPanel(QWidget* parent) : QWidget(parent), d(new Private) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->tabs = new QTabWidget(this);
    d->tabs->setObjectName(QStringLiteral("calculatorTabs"));
    layout->addWidget(d->tabs);
    const QString titles[] = {tr("Compute-optimal"), tr("LR && batch"), tr("Density"),
                              tr("Knowledge")};
    for (const QString& title : titles) {
        auto* page =
            new QLabel(tr("This calculator appears when its fitting engine is built."), d->tabs);
        page->setWordWrap(true);
        d->tabs->addTab(page, title);
    }
}

CalculatorsPanel::~CalculatorsPanel() = default;

void CalculatorsPanel::setDocument(ProjectDocument* document) {
    d->document = document;
}

void CalculatorsPanel::showSection(Section section) {
    d->tabs->setCurrentIndex(static_cast<int>(section));
}

bool CalculatorsPanel::addFittedPreset(const FitSummary& summary) {
    // No calculator is wired to an engine yet, so nothing can use the fit.
    (void)summary;
    return false;
}

}  // namespace scalelens::ui
