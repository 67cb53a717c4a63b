// Density page: Densing law direct mode (Xiao et al. 2024, arXiv 2412.04315): a score-vs-size
// curve fitted to a reference family, inverted at the user's score.
#include <datasets/project.h>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <map>
#include <set>

#include "calculator_sections.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"

namespace scalelens::ui {

DensityPage::DensityPage(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    auto* intro = new QLabel(
        tr("Effective parameter size N_eff: the size a model of the reference family would need "
           "for the same score; capability density \u03c1 = N_eff / N (Xiao et al. 2024, "
           "\"Densing Law of LLMs\", arXiv 2412.04315, direct mode)."),
        this);
    intro->setWordWrap(true);
    form->addRow(intro);
    m_benchmark = new QComboBox(this);
    m_benchmark->setObjectName(QStringLiteral("densityBenchmark"));
    form->addRow(tr("&Benchmark:"), m_benchmark);
    m_family = new QLineEdit(QStringLiteral("LLaMA-"), this);
    m_family->setObjectName(QStringLiteral("densityFamily"));
    m_family->setToolTip(
        tr("Reference family: runs whose name starts with this text (case-sensitive)"));
    form->addRow(tr("Reference &family:"), m_family);
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("densityCurveKind"));
    m_kind->addItem(tr("Log-linear: S = p\u2080 + p\u2081 ln N"),
                    int(fit::SizeCurveKind::LogLinear));
    m_kind->addItem(tr("Logistic in ln N"), int(fit::SizeCurveKind::Logistic));
    form->addRow(tr("&Curve:"), m_kind);
    m_curveLabel = new QLabel(this);
    m_curveLabel->setObjectName(QStringLiteral("densityCurveLabel"));
    m_curveLabel->setWordWrap(true);
    form->addRow(m_curveLabel);
    m_score = new NumberField(QStringLiteral("60"), this);
    m_score->setObjectName(QStringLiteral("densityScoreField"));
    m_score->setRange(-1e6, 1e6, tr("a benchmark score on the curve's scale, e.g. 60"));
    form->addRow(tr("&Score:"), m_score);
    m_params = new NumberField(QStringLiteral("7e9"), this);
    m_params->setObjectName(QStringLiteral("densityParamsField"));
    m_params->setRange(1, 1e16, tr("the model's parameter count, e.g. 7e9"));
    form->addRow(tr("&Parameters (N):"), m_params);
    m_nEff = makeOutputLabel(QStringLiteral("nEffLabel"), this);
    m_density = makeOutputLabel(QStringLiteral("densityLabel"), this);
    form->addRow(tr("N_eff:"), m_nEff);
    form->addRow(tr("Density \u03c1:"), m_density);

    connect(m_benchmark, &QComboBox::currentIndexChanged, this, [this] { refitCurve(); });
    connect(m_kind, &QComboBox::currentIndexChanged, this, [this] { refitCurve(); });
    connect(m_family, &QLineEdit::textChanged, this, [this] { refitCurve(); });
    connect(m_score, &NumberField::edited, this, [this] { recompute(); });
    connect(m_params, &NumberField::edited, this, [this] { recompute(); });
    setProject(nullptr);
}

void DensityPage::setProject(const data::Project* project) {
    m_project = project;
    const QString current = m_benchmark->currentText();
    {
        const QSignalBlocker blocker(m_benchmark);
        m_benchmark->clear();
        if (project) {
            std::set<std::string> names;
            for (const data::Evaluation& e : project->evaluations())
                names.insert(e.benchmark);
            for (const std::string& n : names)
                m_benchmark->addItem(QString::fromStdString(n));
        }
        int index = m_benchmark->findText(current.isEmpty() ? QStringLiteral("mmlu") : current);
        m_benchmark->setCurrentIndex(index >= 0 ? index : 0);
    }
    refitCurve();
}

void DensityPage::refitCurve() {
    m_curveOk = false;
    if (!m_project || m_benchmark->count() == 0) {
        m_curveLabel->setText(
            tr("Needs a project with benchmark scores of a model family "
               "(for example the model zoo of the example project)."));
        recompute();
        return;
    }
    const std::string benchmark = m_benchmark->currentText().toStdString();
    std::map<std::int64_t, double> score;
    for (const data::Evaluation& e : m_project->evaluations()) {
        if (e.benchmark == benchmark)
            score[e.runId] = e.score;
    }
    std::vector<fit::SizeScorePoint> points;
    const QString prefix = m_family->text().trimmed();
    for (const data::Run& run : m_project->runs()) {
        const auto s = score.find(run.id);
        if (run.excluded || s == score.end() || !run.totalParams)
            continue;
        // Case-sensitive: "LLaMA-" is the first LLaMA family, "Llama-2-" the second.
        if (!QString::fromStdString(run.name).startsWith(prefix, Qt::CaseSensitive))
            continue;
        points.push_back({*run.totalParams, s->second});
    }
    fit::SizeCurveFitOptions options;
    options.kind = fit::SizeCurveKind(m_kind->currentData().toInt());
    const fit::SizeCurveFit f = fit::fitSizeScoreCurve(points, options);
    if (!fit::isUsable(f.status)) {
        m_curveLabel->setText(tr("No curve from %1 reference models: %2")
                                  .arg(points.size())
                                  .arg(QString::fromStdString(f.message)));
        recompute();
        return;
    }
    m_curveOk = true;
    m_curve = f.curve;
    const QString shape = f.curve.kind == fit::SizeCurveKind::LogLinear
                              ? QStringLiteral("S = %1 + %2 ln N")
                                    .arg(formatPlain(f.curve.p0, 4), formatPlain(f.curve.p1, 4))
                              : QStringLiteral("S = %1 / (1 + e^(\u2212%2 (ln N \u2212 %3))) + %4")
                                    .arg(formatPlain(f.curve.c, 4), formatPlain(f.curve.k, 4),
                                         formatPlain(f.curve.m, 4), formatPlain(f.curve.d, 4));
    m_curveLabel->setText(tr("%1, fitted to %2 models (RMSE %3)")
                              .arg(shape)
                              .arg(points.size())
                              .arg(formatPlain(f.rmse, 3)));
    recompute();
}

void DensityPage::recompute() {
    m_score->setExternalError({});
    if (!m_curveOk) {
        clearOutput(m_nEff, m_curveLabel->text());
        clearOutput(m_density, m_curveLabel->text());
        return;
    }
    const auto score = m_score->value();
    if (!score) {
        clearOutput(m_nEff, m_score->errorText());
        clearOutput(m_density, m_score->errorText());
        return;
    }
    const fit::DensingInverse inv = fit::invertSizeCurve(m_curve, *score);
    if (!inv.ok) {
        // The score itself is the problem (outside the curve's range): mark the field.
        const QString reason = QString::fromStdString(inv.message);
        m_score->setExternalError(reason);
        clearOutput(m_nEff, reason);
        clearOutput(m_density, reason);
        return;
    }
    setOutput(m_nEff, formatCount(inv.nEff, tr("params")), formatScientific(inv.nEff));
    const auto n = m_params->value();
    if (!n) {
        clearOutput(m_density, m_params->errorText());
        return;
    }
    setOutput(
        m_density, formatPlain(inv.nEff / *n, 3),
        tr("\u03c1 = N_eff / N = %1 / %2").arg(formatScientific(inv.nEff), formatScientific(*n)));
}

}  // namespace scalelens::ui
