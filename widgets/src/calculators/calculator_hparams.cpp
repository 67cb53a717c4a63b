// LR & batch page: every preset of fitting/hparams.h side by side, plus fitted LR/batch laws.
#include <fitting/hparams.h>
#include <QFormLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>

#include "calculator_sections.h"
#include "widgets/base/number_field.h"
#include "widgets/base/number_format.h"

namespace scalelens::ui {

namespace {
enum Column { LawColumn, LrColumn, TokensColumn, SequencesColumn, SourceColumn, ColumnCount };

QTableWidgetItem* cellItem(const QString& text, const QString& toolTip = {}) {
    auto* item = new QTableWidgetItem(text);
    item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    item->setToolTip(toolTip);
    return item;
}

QString join(const std::vector<std::string>& lines) {
    QStringList out;
    for (const std::string& l : lines)
        out << QString::fromStdString(l);
    return out.join(QLatin1Char('\n'));
}
}  // namespace

HparamsPage::HparamsPage(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    m_n = new NumberField(QStringLiteral("7e9"), this);
    m_n->setObjectName(QStringLiteral("hparamsNField"));
    m_n->setRange(1e3, 1e15, tr("the non-embedding parameter count, e.g. 7e9"));
    m_n->setHelp(tr("N: non-embedding parameters (Step Law and Kaplan count no embeddings)."));
    form->addRow(tr("&N (non-embedding params):"), m_n);
    m_d = new NumberField(QStringLiteral("1.4e12"), this);
    m_d->setObjectName(QStringLiteral("hparamsDField"));
    m_d->setRange(1e3, 1e16, tr("the training token count, e.g. 1.4e12"));
    form->addRow(tr("&D (training tokens):"), m_d);
    m_seqLen = new NumberField(QStringLiteral("2048"), this);
    m_seqLen->setObjectName(QStringLiteral("seqLenField"));
    m_seqLen->setRange(1, 1e7, tr("the sequence length in tokens, e.g. 2048"));
    form->addRow(tr("&Sequence length:"), m_seqLen);
    m_loss = new NumberField(QString(), this);
    m_loss->setObjectName(QStringLiteral("hparamsLossField"));
    m_loss->setOptional(true);
    m_loss->setRange(0.01, 20, tr("a training loss in nats/token between 0.01 and 20"));
    m_loss->setPlaceholderText(tr("optional, for Kaplan and MiniCPM batch"));
    form->addRow(tr("&Loss (nats/token):"), m_loss);
    layout->addLayout(form);

    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("hparamsTable"));
    m_table->setHorizontalHeaderLabels(
        {tr("Law"), tr("Peak LR"), tr("Batch (tokens)"), tr("Batch (sequences)"), tr("Source")});
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table, 1);
    auto* note = new QLabel(tr("Batch sizes are in tokens; sequences = tokens / sequence length. "
                               "Hover a cell for the formula, its variables and caveats."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);

    for (NumberField* f : {m_n, m_d, m_seqLen, m_loss})
        connect(f, &NumberField::edited, this, [this] { recompute(); });
    recompute();
}

void HparamsPage::setFittedLaws(const std::vector<FittedLaw>& laws) {
    m_fitted = laws;
    recompute();
}

void HparamsPage::recompute() {
    const auto n = m_n->value();
    const auto d = m_d->value();
    const auto seqLen = m_seqLen->value();
    const auto loss = m_loss->value();
    const bool inputsOk = m_n->isValidInput() && m_d->isValidInput() && m_seqLen->isValidInput() &&
                          m_loss->isValidInput();
    QString inputError;
    for (NumberField* f : {m_n, m_d, m_seqLen, m_loss}) {
        if (!f->isValidInput()) {
            inputError = f->errorText();
            break;
        }
    }

    fit::HparamInputs in;
    in.n = n.value_or(0.0);
    in.d = d.value_or(0.0);
    in.seqLen = seqLen.value_or(2048.0);
    in.loss = loss.value_or(0.0);
    const std::vector<fit::HparamRecommendation> recs =
        inputsOk ? fit::recommendAllHparams(in) : std::vector<fit::HparamRecommendation>{};
    const std::vector<fit::HparamPresetInfo>& presets = fit::hparamPresets();

    m_table->setRowCount(int(presets.size() + m_fitted.size()));
    const QString dash = QStringLiteral("\u2013");
    int row = 0;
    for (std::size_t i = 0; i < presets.size(); ++i, ++row) {
        const fit::HparamPresetInfo& info = presets[i];
        QString formula = QString::fromStdString(info.lrFormula);
        if (!info.batchFormula.empty())
            formula += QLatin1Char('\n') + QString::fromStdString(info.batchFormula);
        formula += QStringLiteral("\n\n") + QString::fromStdString(info.variables);
        if (!info.caveat.empty())
            formula += QStringLiteral("\n\nCaveat: ") + QString::fromStdString(info.caveat);
        m_table->setItem(row, LawColumn, cellItem(QString::fromStdString(info.name), formula));
        m_table->setItem(
            row, SourceColumn,
            cellItem(QString::fromStdString(info.citation), QString::fromStdString(info.citation)));
        if (i >= recs.size()) {
            for (int c : {LrColumn, TokensColumn, SequencesColumn})
                m_table->setItem(row, c, cellItem(dash, inputError));
            continue;
        }
        const fit::HparamRecommendation& r = recs[i];
        QString why = QString::fromStdString(r.message);
        const QString notes = join(r.notes);
        if (!notes.isEmpty())
            why = why.isEmpty() ? notes : why + QLatin1Char('\n') + notes;
        m_table->setItem(
            row, LrColumn,
            r.lr ? cellItem(formatScientific(*r.lr, {}, 4), notes) : cellItem(dash, why));
        m_table->setItem(row, TokensColumn,
                         r.batchTokens ? cellItem(formatCount(*r.batchTokens),
                                                  formatScientific(*r.batchTokens, tr("tokens")))
                                       : cellItem(dash, why));
        m_table->setItem(row, SequencesColumn,
                         r.batchSequences ? cellItem(formatPlain(*r.batchSequences, 5),
                                                     tr("%1 sequences of %2 tokens")
                                                         .arg(formatPlain(*r.batchSequences, 6))
                                                         .arg(formatPlain(in.seqLen, 6)))
                                          : cellItem(dash, why));
    }
    for (const FittedLaw& f : m_fitted) {
        m_table->setItem(row, LawColumn,
                         cellItem(f.title, tr("Your fitted law: ln lr = %1 %2 ln N %3 ln D; "
                                              "ln B = %4 %5 ln D (tokens)")
                                               .arg(formatPlain(f.law.lrLogC, 5))
                                               .arg(formatPlain(f.law.lrCoefN, 4))
                                               .arg(formatPlain(f.law.lrCoefD, 4))
                                               .arg(formatPlain(f.law.bsLogC, 5))
                                               .arg(formatPlain(f.law.bsCoefD, 4))));
        m_table->setItem(row, SourceColumn, cellItem(f.citation, f.citation));
        if (!inputsOk || !n || !d) {
            for (int c : {LrColumn, TokensColumn, SequencesColumn})
                m_table->setItem(row, c, cellItem(dash, inputError));
        } else {
            // The same template the fitter's law uses (fitting/hparams.h).
            const double lr = fit::logLinearLr(*n, *d, f.law.lrLogC, f.law.lrCoefN, f.law.lrCoefD);
            const double bs = fit::logLinearBatch(*d, f.law.bsLogC, f.law.bsCoefD);
            m_table->setItem(row, LrColumn, cellItem(formatScientific(lr, {}, 4)));
            m_table->setItem(row, TokensColumn,
                             cellItem(formatCount(bs), formatScientific(bs, tr("tokens"))));
            m_table->setItem(row, SequencesColumn, cellItem(formatPlain(bs / in.seqLen, 5)));
        }
        // A fit with warnings (or unreliable) says so beside each of its numbers.
        if (!f.warning.isEmpty()) {
            for (int c : {LawColumn, LrColumn, TokensColumn, SequencesColumn}) {
                QTableWidgetItem* item = m_table->item(row, c);
                item->setText(item->text() + QStringLiteral(" \u26a0"));
                item->setToolTip(f.warning + QStringLiteral("\n\n") + item->toolTip());
            }
        }
        ++row;
    }
    m_table->resizeColumnsToContents();
}

}  // namespace scalelens::ui
