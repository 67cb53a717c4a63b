#include "widgets/views/schedule_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <algorithm>

#include <analysis/curve_inputs.h>
#include <analysis/number_text.h>
#include <datasets/project.h>

#include "widgets/base/number_field.h"
#include "widgets/document/project_document.h"

namespace scalelens::ui {

namespace {

const fit::ScheduleShape kShapes[] = {
    fit::ScheduleShape::Constant,     fit::ScheduleShape::Cosine,    fit::ScheduleShape::Linear,
    fit::ScheduleShape::WsdGeometric, fit::ScheduleShape::WsdLinear, fit::ScheduleShape::TwoStage,
};

QString shapeTitle(fit::ScheduleShape s) {
    switch (s) {
        case fit::ScheduleShape::Constant:
            return QObject::tr("Constant");
        case fit::ScheduleShape::Cosine:
            return QObject::tr("Cosine");
        case fit::ScheduleShape::Linear:
            return QObject::tr("Linear decay");
        case fit::ScheduleShape::WsdGeometric:
            return QObject::tr("WSD, geometric decay");
        case fit::ScheduleShape::WsdLinear:
            return QObject::tr("WSD, linear decay");
        case fit::ScheduleShape::TwoStage:
            return QObject::tr("Two-stage (step down)");
    }
    return {};
}

QSpinBox* stepBox(QWidget* parent, const QString& name) {
    auto* box = new QSpinBox(parent);
    box->setObjectName(name);
    box->setRange(0, 2000000000);
    box->setGroupSeparatorShown(true);
    return box;
}

}  // namespace

ScheduleDialog::ScheduleDialog(ProjectDocument* document, qint64 runId, QWidget* parent)
    : QDialog(parent), m_document(document), m_runId(runId) {
    setObjectName(QStringLiteral("scheduleDialog"));
    const data::Project* project = document->project();
    const auto run = project ? project->run(runId) : std::nullopt;
    setWindowTitle(tr("Schedule of run '%1'")
                       .arg(run ? QString::fromStdString(run->name) : QString::number(runId)));
    m_shape = new QComboBox(this);
    m_shape->setObjectName(QStringLiteral("scheduleShape"));
    for (const fit::ScheduleShape s : kShapes)
        m_shape->addItem(shapeTitle(s), static_cast<int>(s));
    m_peak = new NumberField(QStringLiteral("3e-4"), this);
    m_peak->setObjectName(QStringLiteral("schedulePeak"));
    m_peak->setRange(1e-12, 1e3, tr("the peak learning rate (> 0)"));
    m_final = new NumberField(QStringLiteral("3e-5"), this);
    m_final->setObjectName(QStringLiteral("scheduleFinal"));
    m_final->setRange(0, 1e3, tr("the final learning rate (0 to the peak)"));
    m_warmup = stepBox(this, QStringLiteral("scheduleWarmup"));
    m_total = stepBox(this, QStringLiteral("scheduleTotal"));
    m_decayStart = stepBox(this, QStringLiteral("scheduleDecayStart"));
    m_source = new QLabel(this);
    m_source->setObjectName(QStringLiteral("scheduleSource"));
    m_source->setWordWrap(true);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("scheduleError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828"));

    auto* form = new QFormLayout;
    form->addRow(tr("Type:"), m_shape);
    form->addRow(tr("Peak LR:"), m_peak);
    form->addRow(tr("Final LR:"), m_final);
    form->addRow(tr("Warm-up steps:"), m_warmup);
    form->addRow(tr("Total steps:"), m_total);
    form->addRow(tr("Decay start (step):"), m_decayStart);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_source);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (save())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_shape, &QComboBox::currentIndexChanged, this, &ScheduleDialog::updateEnabled);

    // Start from the stored schedule, else the inferred one, else a cosine over the log.
    fit::ScheduleDefinition start;
    if (project) {
        const std::vector<fit::LrPoint> logged = analysis::loggedLr(*project, runId, "lr");
        if (const auto stored = project->runSchedule(runId)) {
            start = stored->definition;
            m_source->setText(tr("Stored schedule (%1). Edit and save to replace it.")
                                  .arg(QString::fromUtf8(data::toString(stored->origin).data())));
        } else if (!logged.empty()) {
            const fit::ScheduleInference inf = fit::inferSchedule(logged);
            start = inf.definition;
            if (inf.unambiguous) {
                m_inferred = inf.definition;
                m_source->setText(tr("Inferred from the logged learning rate: %1. Confirm it "
                                     "with Save, or correct it (e.g. the total steps of a run "
                                     "still in progress).")
                                      .arg(QString::fromStdString(inf.message)));
            } else {
                m_source->setText(tr("The logged learning rate does not pin a schedule (%1): "
                                     "enter the planned one.")
                                      .arg(QString::fromStdString(inf.message)));
            }
        } else {
            const analysis::LoggedLoss loss =
                analysis::loggedLoss(*project, runId, analysis::projectLossMetric(*project));
            if (!loss.steps.empty())
                start.totalSteps = loss.steps.back() + 1;
            m_source->setText(
                tr("The run has no logged learning rate: enter its planned "
                   "schedule."));
        }
    }
    if (start.totalSteps <= 0)
        start.totalSteps = 10000;
    setDefinition(start);
}

void ScheduleDialog::setDefinition(const fit::ScheduleDefinition& d) {
    for (int i = 0; i < m_shape->count(); ++i)
        if (m_shape->itemData(i).toInt() == static_cast<int>(d.shape))
            m_shape->setCurrentIndex(i);
    m_peak->setText(analysis::compactNumber(d.peakLr, 6));
    m_final->setText(analysis::compactNumber(d.finalLr, 6));
    m_warmup->setValue(static_cast<int>(std::min<long>(d.warmupSteps, 2000000000)));
    m_total->setValue(static_cast<int>(std::min<long>(d.totalSteps, 2000000000)));
    m_decayStart->setValue(static_cast<int>(std::min<long>(d.decayStart, 2000000000)));
    updateEnabled();
}

void ScheduleDialog::updateEnabled() {
    const auto shape = static_cast<fit::ScheduleShape>(m_shape->currentData().toInt());
    m_final->setEnabled(shape != fit::ScheduleShape::Constant);
    m_decayStart->setEnabled(shape == fit::ScheduleShape::WsdGeometric ||
                             shape == fit::ScheduleShape::WsdLinear ||
                             shape == fit::ScheduleShape::TwoStage);
}

std::optional<fit::ScheduleDefinition> ScheduleDialog::definition(QString* why) const {
    fit::ScheduleDefinition d;
    d.shape = static_cast<fit::ScheduleShape>(m_shape->currentData().toInt());
    const auto peak = m_peak->value();
    const auto finalLr = m_final->value();
    if (!peak) {
        if (why)
            *why = tr("Peak LR: %1").arg(m_peak->errorText());
        return std::nullopt;
    }
    d.peakLr = *peak;
    d.finalLr = d.shape == fit::ScheduleShape::Constant ? *peak : finalLr.value_or(-1);
    d.warmupSteps = m_warmup->value();
    d.totalSteps = m_total->value();
    d.decayStart = m_decayStart->isEnabled() ? m_decayStart->value() : 0;
    std::string error;
    if (!d.isValid(&error)) {
        if (why)
            *why = QString::fromStdString(error);
        return std::nullopt;
    }
    return d;
}

bool ScheduleDialog::save() {
    QString why;
    const auto d = definition(&why);
    if (!d) {
        m_error->setText(why);
        return false;
    }
    data::RunSchedule s;
    s.runId = m_runId;
    s.definition = *d;
    s.origin = m_inferred && m_inferred->describe() == d->describe()
                   ? data::ScheduleOrigin::Confirmed
                   : data::ScheduleOrigin::User;
    s.note = m_inferred ? "inferred: " + m_inferred->describe() : std::string();
    if (!m_document->setRunSchedule(m_runId, s, &why)) {
        m_error->setText(why);
        return false;
    }
    m_error->clear();
    return true;
}

bool ScheduleDialog::edit(ProjectDocument* document, qint64 runId, QWidget* parent) {
    if (!document || !document->isOpen() || runId <= 0)
        return false;
    ScheduleDialog dialog(document, runId, parent);
    return dialog.exec() == QDialog::Accepted;
}

}  // namespace scalelens::ui
