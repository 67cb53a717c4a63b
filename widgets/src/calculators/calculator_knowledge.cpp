// Knowledge page: fitting/knowledge.h's calculator (Allen-Zhu & Li 2024).
#include <fitting/knowledge.h>
#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>

#include "calculator_sections.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"

namespace scalelens::ui {

KnowledgePage::KnowledgePage(QWidget* parent) : QWidget(parent) {
    auto* form = new QFormLayout(this);
    m_params = new NumberField(QStringLiteral("7e9"), this);
    m_params->setObjectName(QStringLiteral("knowledgeParamsField"));
    m_params->setRange(1, 1e16, tr("a parameter count, e.g. 7e9"));
    m_params->setHelp(tr("P: parameters, excluding unused embedding rows (total for MoE)."));
    form->addRow(tr("&Parameters (P):"), m_params);
    m_exposures = new QComboBox(this);
    m_exposures->setObjectName(QStringLiteral("exposuresCombo"));
    m_exposures->addItem(tr("1000 exposures per fact"), 1000);
    m_exposures->addItem(tr("100 exposures per fact"), 100);
    form->addRow(tr("&Exposures:"), m_exposures);
    m_precision = new QComboBox(this);
    m_precision->setObjectName(QStringLiteral("precisionCombo"));
    m_precision->addItem(tr("bf16 / fp16 / fp32"), int(fit::KnowledgePrecision::Float));
    m_precision->addItem(tr("int8 (post-training)"), int(fit::KnowledgePrecision::Int8));
    m_precision->addItem(tr("int4 (GPTQ)"), int(fit::KnowledgePrecision::Int4));
    form->addRow(tr("P&recision:"), m_precision);
    m_architecture = new QComboBox(this);
    m_architecture->setObjectName(QStringLiteral("architectureCombo"));
    m_architecture->addItem(tr("GPT-2 (rotary)"), int(fit::KnowledgeArchitecture::Gpt2));
    m_architecture->addItem(tr("LLaMA / Mistral (gated MLP)"),
                            int(fit::KnowledgeArchitecture::GatedMlp));
    form->addRow(tr("&Architecture:"), m_architecture);
    m_moe = new QCheckBox(tr("Mixture of experts (32 experts, top-1)"), this);
    m_moe->setObjectName(QStringLiteral("moeCheck"));
    form->addRow(m_moe);
    m_junk = new QCheckBox(tr("Junk data (useful : junk = 1 : 7)"), this);
    m_junk->setObjectName(QStringLiteral("junkCheck"));
    form->addRow(m_junk);
    m_domain = new QCheckBox(tr("Domain token prepended to useful data"), this);
    m_domain->setObjectName(QStringLiteral("domainCheck"));
    m_domain->setEnabled(false);
    form->addRow(m_domain);
    m_bitsPerFact = new NumberField(QString(), this);
    m_bitsPerFact->setObjectName(QStringLiteral("bitsPerFactField"));
    m_bitsPerFact->setOptional(true);
    m_bitsPerFact->setRange(1e-3, 1e9, tr("bits per fact, e.g. 47.6 (one bioS biography)"));
    m_bitsPerFact->setPlaceholderText(tr("47.59 (one bioS person: log\u2082 S\u2080)"));
    form->addRow(tr("Bits per &fact:"), m_bitsPerFact);

    m_bitsPerParam = makeOutputLabel(QStringLiteral("bitsPerParamLabel"), this);
    m_bits = makeOutputLabel(QStringLiteral("bitsLabel"), this);
    m_facts = makeOutputLabel(QStringLiteral("factsLabel"), this);
    form->addRow(tr("Bits per parameter:"), m_bitsPerParam);
    form->addRow(tr("Knowledge:"), m_bits);
    form->addRow(tr("Facts:"), m_facts);
    m_factors = new QLabel(this);
    m_factors->setObjectName(QStringLiteral("factorsLabel"));
    m_factors->setWordWrap(true);
    m_factors->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(m_factors);

    connect(m_params, &NumberField::edited, this, [this] { recompute(); });
    connect(m_bitsPerFact, &NumberField::edited, this, [this] { recompute(); });
    for (QComboBox* c : {m_exposures, m_precision, m_architecture})
        connect(c, &QComboBox::currentIndexChanged, this, [this] { recompute(); });
    for (QCheckBox* c : {m_moe, m_junk, m_domain})
        connect(c, &QCheckBox::toggled, this, [this] { recompute(); });
    connect(m_junk, &QCheckBox::toggled, m_domain, &QWidget::setEnabled);
    recompute();
}

void KnowledgePage::recompute() {
    QLabel* outputs[] = {m_bitsPerParam, m_bits, m_facts};
    const auto params = m_params->value();
    if (!params || !m_bitsPerFact->isValidInput()) {
        const QString reason = !params ? m_params->errorText() : m_bitsPerFact->errorText();
        for (QLabel* l : outputs)
            clearOutput(l, reason);
        m_factors->clear();
        return;
    }
    fit::KnowledgeCalcInputs in;
    in.params = *params;
    in.exposures = m_exposures->currentData().toInt();
    in.precision = fit::KnowledgePrecision(m_precision->currentData().toInt());
    in.architecture = fit::KnowledgeArchitecture(m_architecture->currentData().toInt());
    in.mixtureOfExperts = m_moe->isChecked();
    in.junkData = m_junk->isChecked();
    in.domainTokens = m_junk->isChecked() && m_domain->isChecked();
    in.bitsPerFact = m_bitsPerFact->value().value_or(0.0);
    const fit::KnowledgeEstimate e = fit::estimateKnowledgeCapacity(in);
    if (!e.ok) {
        for (QLabel* l : outputs)
            clearOutput(l, QString::fromStdString(e.message));
        m_factors->setText(QString::fromStdString(e.message));
        return;
    }
    setOutput(m_bitsPerParam, tr("%1 bits/param").arg(formatPlain(e.bitsPerParam, 3)));
    setOutput(m_bits, formatCount(e.bits, tr("bits")), formatScientific(e.bits, tr("bits")));
    setOutput(m_facts, formatCount(e.facts, tr("facts")),
              tr("%1 facts of %2 bits each")
                  .arg(formatScientific(e.facts), formatPlain(e.bitsPerFact, 4)));
    QString text;
    for (const fit::KnowledgeFactor& f : e.factors) {
        text +=
            QStringLiteral("\u00d7%1  %2 \u2014 <i>%3</i><br>")
                .arg(formatPlain(f.multiplier, 3), QString::fromStdString(f.name).toHtmlEscaped(),
                     QString::fromStdString(f.citation).toHtmlEscaped());
    }
    for (const std::string& note : e.notes)
        text += QStringLiteral("\u26a0 %1<br>").arg(QString::fromStdString(note).toHtmlEscaped());
    m_factors->setText(text);
}

}  // namespace scalelens::ui
