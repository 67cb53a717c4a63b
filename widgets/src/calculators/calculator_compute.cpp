// Compute-optimal page: Hoffmann et al. 2022, Eq. 4 through fitting/allocation.h.
#include <fitting/allocation.h>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QVBoxLayout>

#include "calculator_sections.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"
#include "widgets/fit/diagnostics_banner.h"

namespace scalelens::ui {

QLabel* makeOutputLabel(const QString& objectName, QWidget* parent) {
    auto* label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    return label;
}

void setOutput(QLabel* label, const QString& text, const QString& toolTip) {
    label->setText(text);
    label->setToolTip(toolTip);
}

void clearOutput(QLabel* label, const QString& reason) {
    label->setText(QStringLiteral("\u2013"));
    label->setToolTip(reason);
}

namespace {
std::vector<ChinchillaSource> presetSources() {
    return {
        {ComputeOptimalPage::tr("Hoffmann et al. 2022 (Approach 3, as printed)"),
         ComputeOptimalPage::tr("Hoffmann et al. 2022, \"Training Compute-Optimal Large Language "
                                "Models\", Approach 3 (Eq. 2, Eq. 4): E=1.69, A=406.4, B=410.7, "
                                "\u03b1=0.34, \u03b2=0.28."),
         fit::ChinchillaParams::hoffmann2022(),
         {}},
        {ComputeOptimalPage::tr("Besiroglu et al. 2024 (Chinchilla replication)"),
         ComputeOptimalPage::tr("Besiroglu et al. 2024, \"Chinchilla Scaling: A replication "
                                "attempt\" (MLE, 240 points): E=1.8172, A=482.01, B=2085.43, "
                                "\u03b1=0.3478, \u03b2=0.3658."),
         fit::ChinchillaParams::besiroglu2024(),
         {}},
    };
}
}  // namespace

ComputeOptimalPage::ComputeOptimalPage(QWidget* parent) : QWidget(parent) {
    m_sources = presetSources();
    auto* form = new QFormLayout(this);
    m_source = new QComboBox(this);
    m_source->setObjectName(QStringLiteral("computeSource"));
    for (const ChinchillaSource& s : m_sources)
        m_source->addItem(s.title);
    form->addRow(tr("&Law:"), m_source);
    m_budget = new NumberField(QStringLiteral("1e21"), this);
    m_budget->setObjectName(QStringLiteral("budgetField"));
    m_budget->setRange(1e6, 1e35, tr("a training budget in FLOP, e.g. 1e21 or 5.76e23"));
    m_budget->setHelp(tr("Training compute C in FLOP; C \u2248 6\u00b7N\u00b7D."));
    form->addRow(tr("&Budget (FLOP):"), m_budget);
    // A fitted source with warnings says so right above its numbers (and each number carries
    // a warning sign with the reason in its tooltip).
    m_fitWarning = new QLabel(this);
    m_fitWarning->setObjectName(QStringLiteral("computeFitWarning"));
    m_fitWarning->setWordWrap(true);
    m_fitWarning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fitWarning->hide();
    form->addRow(m_fitWarning);
    m_nOpt = makeOutputLabel(QStringLiteral("nOptLabel"), this);
    m_dOpt = makeOutputLabel(QStringLiteral("dOptLabel"), this);
    m_ratio = makeOutputLabel(QStringLiteral("ratioLabel"), this);
    m_loss = makeOutputLabel(QStringLiteral("lossLabel"), this);
    form->addRow(tr("N_opt:"), m_nOpt);
    form->addRow(tr("D_opt:"), m_dOpt);
    form->addRow(tr("D/N:"), m_ratio);
    form->addRow(tr("Loss at optimum:"), m_loss);
    m_exponents = new QLabel(this);
    m_exponents->setObjectName(QStringLiteral("exponentsLabel"));
    form->addRow(tr("Scaling:"), m_exponents);
    m_params = new QLabel(this);
    m_params->setObjectName(QStringLiteral("computeCitation"));
    m_params->setWordWrap(true);
    m_params->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_params);

    connect(m_source, &QComboBox::currentIndexChanged, this, [this] { recompute(); });
    connect(m_budget, &NumberField::edited, this, [this] { recompute(); });
    recompute();
}

void ComputeOptimalPage::setFittedSources(const std::vector<ChinchillaSource>& sources,
                                          const QString& select) {
    const QString current = select.isEmpty() ? m_source->currentText() : select;
    m_sources = presetSources();
    m_sources.insert(m_sources.end(), sources.begin(), sources.end());
    {
        const QSignalBlocker blocker(m_source);
        m_source->clear();
        for (const ChinchillaSource& s : m_sources)
            m_source->addItem(s.title);
        const int index = m_source->findText(current);
        m_source->setCurrentIndex(index >= 0 ? index : 0);
    }
    recompute();
}

void ComputeOptimalPage::recompute() {
    const int index = m_source->currentIndex();
    QLabel* outputs[] = {m_nOpt, m_dOpt, m_ratio, m_loss, m_exponents};
    if (index < 0 || index >= int(m_sources.size())) {
        for (QLabel* l : outputs)
            clearOutput(l, tr("Choose a law."));
        return;
    }
    const ChinchillaSource& source = m_sources[std::size_t(index)];
    const fit::ChinchillaParams& p = source.params;
    m_params->setText(source.citation);
    m_fitWarning->setText(source.warning);
    m_fitWarning->setStyleSheet(bannerStyle(source.warning.contains(QLatin1String("Unreliable"))
                                                ? fit::Severity::Unreliable
                                                : fit::Severity::Warning,
                                            palette()));
    m_fitWarning->setVisible(!source.warning.isEmpty());
    const auto budget = m_budget->value();
    if (!budget) {
        for (QLabel* l : outputs)
            clearOutput(l, m_budget->errorText());
        return;
    }
    fit::Allocation a;
    std::string error;
    if (!fit::computeAllocation(p, *budget, &a, &error)) {
        for (QLabel* l : outputs)
            clearOutput(l, QString::fromStdString(error));
        return;
    }
    setOutput(m_nOpt, formatCount(a.nOpt, tr("params")),
              tr("N_opt = G\u00b7(C/6)^a = %1 parameters").arg(formatScientific(a.nOpt)));
    setOutput(m_dOpt, formatCount(a.dOpt, tr("tokens")),
              tr("D_opt = G\u207b\u00b9\u00b7(C/6)^b = %1 tokens").arg(formatScientific(a.dOpt)));
    setOutput(m_ratio, tr("%1 tokens/param").arg(formatPlain(a.tokensPerParam, 4)));
    setOutput(m_loss, tr("%1 nats/token").arg(formatPlain(a.loss, 5)),
              tr("L(N_opt, D_opt) = E + A/N^\u03b1 + B/D^\u03b2"));
    setOutput(m_exponents, tr("N_opt \u221d C^%1, D_opt \u221d C^%2, G = %3")
                               .arg(formatPlain(a.a, 3), formatPlain(a.b, 3), formatPlain(a.G, 4)));
    if (!source.warning.isEmpty()) {
        for (QLabel* l : outputs) {
            l->setText(l->text() + QStringLiteral("  \u26a0"));
            l->setToolTip(source.warning + QStringLiteral("\n\n") + l->toolTip());
        }
    }
}

}  // namespace scalelens::ui
