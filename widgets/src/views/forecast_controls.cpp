// The curve-forecast view's controls bar (forecast_view.h): held-out fraction, law, siblings,
// Forecast/Cancel with progress, Schedule…, what-if schedules, Store forecast.
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <cmath>

#include "widgets/document/project_document.h"
#include "widgets/views/forecast_view.h"

namespace scalelens::ui {

ForecastControls::ForecastControls(ProjectDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_timer(new QTimer(this)) {
    setObjectName(QStringLiteral("forecastControls"));
    m_options.progress = std::make_shared<ViewContext::FitProgress>();
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(8, 4, 8, 4);
    m_holdout = new QDoubleSpinBox(this);
    m_holdout->setObjectName(QStringLiteral("forecastHoldout"));
    m_holdout->setRange(0, 90);
    m_holdout->setSingleStep(10);
    m_holdout->setDecimals(0);
    m_holdout->setSuffix(QStringLiteral("%"));
    m_holdout->setToolTip(
        tr("Hide the last part of a finished run's logged steps, forecast "
           "them from the rest, and show the error at the end"));
    m_law = new QComboBox(this);
    m_law->setObjectName(QStringLiteral("forecastLaw"));
    m_law->addItem(tr("Multi-Power"), static_cast<int>(fit::CurveLawId::MultiPower));
    m_law->addItem(tr("LR-annealing"), static_cast<int>(fit::CurveLawId::LrAnnealing));
    m_law->setToolTip(
        tr("The loss-curve law fitted: the Multi-Power Law (Luo et al. 2025, 7 parameters) or "
           "the LR-annealing law (Tissue et al. 2024, 4 parameters)"));
    m_siblings = new QCheckBox(tr("Siblings (0)"), this);
    m_siblings->setObjectName(QStringLiteral("forecastSiblings"));
    m_siblings->setEnabled(false);
    m_rerun = new QPushButton(tr("Forecast"), this);
    m_rerun->setObjectName(QStringLiteral("forecastRun"));
    m_rerun->setToolTip(tr("Fit the law again (after a Cancel)"));
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(QStringLiteral("forecastProgress"));
    m_progress->setRange(0, 100);
    m_progress->setMaximumWidth(160);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("forecastCancel"));
    m_cancel->setVisible(false);
    m_schedule = new QPushButton(tr("Schedule…"), this);
    m_schedule->setObjectName(QStringLiteral("forecastSchedule"));
    m_schedule->setToolTip(tr("Set or confirm the run's planned learning-rate schedule"));
    m_store = new QPushButton(tr("Store"), this);
    m_store->setObjectName(QStringLiteral("forecastStore"));
    m_store->setToolTip(
        tr("Keep this forecast in the project: scaling-law fits can use it as "
           "the run's final loss when they include forecasts (undoable)"));
    m_whatIf = new QPushButton(tr("What-if"), this);
    m_whatIf->setObjectName(QStringLiteral("forecastWhatIf"));
    m_whatIf->setCheckable(true);
    m_whatIf->setToolTip(
        tr("Predict the same run under cosine and WSD (10% and 20% cooldown) "
           "schedules, and search the best WSD cooldown fraction"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("forecastStatus"));
    // The bar must never widen the window (a top-level grows to its minimum and stays there:
    // at 1366x768 a status text while fitting made it 1,625 px wide): the status may be cut,
    // and while fitting, the progress and Cancel take the disabled Forecast button's place.
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_progress->setMinimumWidth(40);
    row->addWidget(new QLabel(tr("Hide last:"), this));
    row->addWidget(m_holdout);
    row->addWidget(new QLabel(tr("Law:"), this));
    row->addWidget(m_law);
    row->addWidget(m_siblings);
    row->addWidget(m_rerun);
    row->addWidget(m_progress);
    row->addWidget(m_cancel);
    row->addWidget(m_schedule);
    row->addWidget(m_whatIf);
    row->addWidget(m_store);
    row->addWidget(m_status, 1);

    connect(m_holdout, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        m_options.holdout = v / 100.0;
        emit changed();
    });
    connect(m_law, &QComboBox::currentIndexChanged, this, [this] {
        m_options.law = static_cast<fit::CurveLawId>(m_law->currentData().toInt());
        emit changed();
    });
    connect(m_siblings, &QCheckBox::toggled, this, [this](bool on) {
        m_options.siblings = on;
        emit changed();
    });
    connect(m_rerun, &QPushButton::clicked, this, [this] {
        ++m_options.attempt;
        emit changed();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_options.progress->cancel = true; });
    connect(m_schedule, &QPushButton::clicked, this, [this] {
        if (m_runId)
            emit scheduleRequested(m_runId);
    });
    connect(m_whatIf, &QPushButton::toggled, this, [this](bool on) {
        m_options.whatIf = on;
        emit changed();
    });
    connect(m_store, &QPushButton::clicked, this, &ForecastControls::storeForecast);
    m_timer->setInterval(100);
    connect(m_timer, &QTimer::timeout, this, &ForecastControls::poll);
    m_timer->start();
    m_store->setEnabled(false);
    m_schedule->setEnabled(false);
}

void ForecastControls::applyTo(ViewContext* ctx) const {
    ctx->forecast = m_options;
}

void ForecastControls::setShownRun(qint64 runId, bool hasForecast,
                                   const std::vector<std::string>& siblingNames) {
    m_runId = runId;
    QStringList names;
    for (const std::string& n : siblingNames)
        names << QString::fromStdString(n);
    m_siblings->setText(tr("Siblings (%1)").arg(names.size()));
    // Left checked when a run has none: the choice comes back with a run that has some, and the
    // forecast of a run without siblings is the same either way.
    m_siblings->setEnabled(!names.isEmpty());
    m_siblings->setToolTip(
        names.isEmpty()
            ? tr("No finished run of the same group and size (within 5%) with at least 8 loss "
                 "points and a learning rate to fit jointly with this run")
            : tr("Fit the law jointly to this run and its finished siblings of the same group "
                 "and size: %1")
                  .arg(names.join(QStringLiteral(", "))));
    m_schedule->setEnabled(runId != 0);
    m_store->setEnabled(hasForecast);
}

void ForecastControls::poll() {
    const bool running = m_options.progress->running.load();
    if (m_progress->isVisible() != running) {
        m_progress->setVisible(running);
        m_cancel->setVisible(running);
        m_rerun->setVisible(!running);
        m_status->setText(running ? tr("Fitting the law in the background…") : QString());
        m_status->setToolTip(m_status->text());
    }
    if (running)
        m_progress->setValue(static_cast<int>(std::lround(100 * m_options.progress->fraction)));
}

void ForecastControls::storeForecast() {
    if (!m_document->isOpen())
        return;
    ViewContext ctx;
    ctx.project = m_document->project();
    ctx.useFitCache(m_document->viewFitCache());
    const QList<qint64> selection = m_document->selectedRuns();
    ctx.selectedRunIds.assign(selection.begin(), selection.end());
    applyTo(&ctx);
    const auto outcome = curveForecast(ctx, false);
    if (!outcome || !fit::isUsable(outcome->result.status)) {
        m_status->setText(tr("No forecast to store yet."));
        return;
    }
    QString error;
    if (!m_document->setRunForecast(outcome->job.request.runId, analysis::toRunForecast(*outcome),
                                    &error))
        m_status->setText(error);
    else
        m_status->setText(tr("Forecast stored (Edit > Undo removes it)."));
}

}  // namespace scalelens::ui
