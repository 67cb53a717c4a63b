#include "widgets/calculators/calculators_panel.h"

#include <QLabel>
#include <QPointer>
#include <QScrollArea>
#include <QTabWidget>
#include <QVBoxLayout>

#include "calculator_sections.h"
#include "widgets/document/project_document.h"
#include "widgets/fit/fit_store.h"

namespace scalelens::ui {

struct CalculatorsPanel::Private {
    QPointer<ProjectDocument> document;
    QTabWidget* tabs = nullptr;
    ComputeOptimalPage* compute = nullptr;
    HparamsPage* hparams = nullptr;
    KnowledgePage* knowledge = nullptr;
    DensityPage* density = nullptr;
    // Fits offered through "Use as preset" that are not (yet) saved in the project.
    std::vector<FitSummary> offered;

    void reloadFits(const QString& selectCompute = {});
};

void CalculatorsPanel::Private::reloadFits(const QString& selectCompute) {
    std::vector<FitSummary> fits = offered;
    if (document && document->project()) {
        for (FitSummary& s : savedFitSummaries(*document->project())) {
            const bool alreadyOffered =
                std::any_of(offered.begin(), offered.end(),
                            [&](const FitSummary& o) { return o.fitId > 0 && o.fitId == s.fitId; });
            if (!alreadyOffered)
                fits.push_back(std::move(s));
        }
    }
    std::vector<ChinchillaSource> sources;
    std::vector<HparamsPage::FittedLaw> hparamLaws;
    for (const FitSummary& s : fits) {
        if (const auto p = chinchillaParams(s)) {
            sources.push_back({CalculatorsPanel::tr("Fit: %1").arg(fitDisplayName(s)),
                               CalculatorsPanel::tr("Your fit (%1, %2 points): %3")
                                   .arg(s.lawTitle)
                                   .arg(s.nPoints)
                                   .arg(s.citation),
                               *p, analysis::trustWarning(s)});
        }
        if (const auto law = fittedHparamLaw(s)) {
            hparamLaws.push_back(
                {CalculatorsPanel::tr("Fit: %1").arg(fitDisplayName(s)),
                 CalculatorsPanel::tr("Your fit of %1 runs (Step Law procedure)").arg(s.nPoints),
                 *law, analysis::trustWarning(s)});
        }
    }
    compute->setFittedSources(sources, selectCompute);
    hparams->setFittedLaws(hparamLaws);
}

CalculatorsPanel::CalculatorsPanel(QWidget* parent) : QWidget(parent), d(new Private) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    d->tabs = new QTabWidget(this);
    d->tabs->setObjectName(QStringLiteral("calculatorTabs"));
    layout->addWidget(d->tabs);

    // Each page scrolls on its own so the dock can be narrow.
    auto wrap = [this](QWidget* page) {
        auto* scroll = new QScrollArea(d->tabs);
        scroll->setWidgetResizable(true);
        scroll->setFrameShape(QFrame::NoFrame);
        scroll->setWidget(page);
        return scroll;
    };
    d->compute = new ComputeOptimalPage;
    d->compute->setObjectName(QStringLiteral("computeOptimalPage"));
    d->tabs->addTab(wrap(d->compute), tr("Compute-optimal"));
    d->hparams = new HparamsPage;
    d->hparams->setObjectName(QStringLiteral("hparamsPage"));
    d->tabs->addTab(wrap(d->hparams), tr("LR && batch"));
    d->density = new DensityPage;
    d->density->setObjectName(QStringLiteral("densityPage"));
    d->tabs->addTab(wrap(d->density), tr("Density"));
    d->knowledge = new KnowledgePage;
    d->knowledge->setObjectName(QStringLiteral("knowledgePage"));
    d->tabs->addTab(wrap(d->knowledge), tr("Knowledge"));
}

CalculatorsPanel::~CalculatorsPanel() = default;

void CalculatorsPanel::setDocument(ProjectDocument* document) {
    if (d->document)
        disconnect(d->document, nullptr, this, nullptr);
    d->document = document;
    d->offered.clear();
    if (document) {
        connect(document, &ProjectDocument::fitsChanged, this, [this] { d->reloadFits(); });
        connect(document, &ProjectDocument::dataChanged, this, [this] {
            d->reloadFits();
            d->density->setProject(d->document->project());
        });
        connect(document, &ProjectDocument::projectReplaced, this, [this] {
            d->offered.clear();
            d->reloadFits();
            d->density->setProject(d->document->project());
        });
    }
    d->reloadFits();
    d->density->setProject(document ? document->project() : nullptr);
}

void CalculatorsPanel::showSection(Section section) {
    d->tabs->setCurrentIndex(static_cast<int>(section));
}

bool CalculatorsPanel::addFittedPreset(const FitSummary& summary) {
    const bool chinchilla = chinchillaParams(summary).has_value();
    const bool hparams = fittedHparamLaw(summary).has_value();
    if (!chinchilla && !hparams)
        return false;
    d->offered.erase(std::remove_if(d->offered.begin(), d->offered.end(),
                                    [&](const FitSummary& o) {
                                        return summary.fitId > 0 && o.fitId == summary.fitId;
                                    }),
                     d->offered.end());
    d->offered.insert(d->offered.begin(), summary);
    d->reloadFits(chinchilla ? tr("Fit: %1").arg(fitDisplayName(summary)) : QString());
    showSection(chinchilla ? Section::ComputeOptimal : Section::Hyperparameters);
    return true;
}

}  // namespace scalelens::ui
