#include "widgets/views/forecast_whatif_table.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLocale>
#include <QTableWidget>
#include <QVBoxLayout>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include <analysis/number_text.h>

namespace scalelens::ui {

namespace {

constexpr int ValueRole = Qt::UserRole + 1;

// Sorts by the exact value, not by the shortened text ("2.89" vs "2.9" would sort as text).
class NumberItem : public QTableWidgetItem {
  public:
    explicit NumberItem(double v) {
        setData(ValueRole, v);
        setText(std::isfinite(v) ? analysis::compactNumber(v, 5) : QStringLiteral("–"));
        setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
    }
    bool operator<(const QTableWidgetItem& other) const override {
        const double a = data(ValueRole).toDouble();
        const double b = other.data(ValueRole).toDouble();
        if (std::isnan(a) || std::isnan(b))
            return !std::isnan(a) && std::isnan(b);  // missing values last
        return a < b;
    }
};

// QAbstractItemView answers Ctrl+C itself (the current cell's text) before a shortcut action
// sees it: the table takes the key and copies the whole selection as TSV instead.
class CopyTable : public QTableWidget {
  public:
    CopyTable(int rows, int columns, QWidget* parent, std::function<void()> copy)
        : QTableWidget(rows, columns, parent), m_copy(std::move(copy)) {}

  protected:
    void keyPressEvent(QKeyEvent* event) override {
        if (event->matches(QKeySequence::Copy)) {
            m_copy();
            event->accept();
            return;
        }
        QTableWidget::keyPressEvent(event);
    }

  private:
    std::function<void()> m_copy;
};

QString exact(double v) {
    return std::isfinite(v) ? QLocale::c().toString(v, 'g', QLocale::FloatingPointShortest)
                            : QString();
}

}  // namespace

ForecastWhatIfTable::ForecastWhatIfTable(QWidget* parent)
    : QWidget(parent), m_table(new CopyTable(0, ColumnCount, this, [this] { copy(); })) {
    setObjectName(QStringLiteral("forecastWhatIfTable"));
    m_table->setObjectName(QStringLiteral("forecastWhatIfGrid"));
    m_table->setHorizontalHeaderLabels({tr("Schedule"), tr("Predicted final loss"), tr("Band low"),
                                        tr("Band high"), tr("vs own schedule")});
    m_table->horizontalHeaderItem(VsPlan)->setToolTip(
        tr("Predicted final loss minus the run's own (planned) schedule's: negative is better"));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSortingEnabled(true);
    m_table->setAlternatingRowColors(true);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    // Bounded: the header and kVisibleRows rows, so the plot above keeps its room; more rows
    // scroll.
    const int rows = m_table->verticalHeader()->defaultSectionSize() * kVisibleRows;
    const int header = m_table->horizontalHeader()->sizeHint().height();
    const int frame = 2 * m_table->frameWidth();
    m_table->setMaximumHeight(rows + header + frame + 2);
    // At least two rows before it scrolls (the plot above keeps its least height first).
    m_table->setMinimumHeight(2 * m_table->verticalHeader()->defaultSectionSize() + header + frame +
                              2);
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);

    // The context menu's entry (Ctrl+C itself goes through CopyTable::keyPressEvent).
    auto* copyAction = new QAction(tr("Copy as Tab-Separated Text"), this);
    copyAction->setShortcut(QKeySequence::Copy);
    copyAction->setShortcutContext(Qt::WidgetShortcut);
    connect(copyAction, &QAction::triggered, this, &ForecastWhatIfTable::copy);
    m_table->addAction(copyAction);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 0, 8, 4);
    layout->addWidget(m_table);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
}

void ForecastWhatIfTable::setWhatIf(const std::optional<analysis::CurveWhatIf>& whatIf) {
    const bool sorting = m_table->isSortingEnabled();
    m_table->setSortingEnabled(false);  // rows are filled in place, sorted once at the end
    m_table->setRowCount(0);
    if (whatIf) {
        const auto& s = whatIf->schedules;
        double plan = std::numeric_limits<double>::quiet_NaN();
        for (std::size_t i = 0; i < s.size() && i < whatIf->names.size(); ++i)
            if (whatIf->names[i] == "plan")
                plan = s[i].finalLoss;
        // The cooldown search's best WSD is a row too (no band: the search evaluates the law
        // only), so the note above the plot need not carry it while the table shows.
        const bool best = whatIf->searched && std::isfinite(whatIf->bestLoss);
        m_table->setRowCount(static_cast<int>(s.size()) + (best ? 1 : 0));
        if (best) {
            const int r = static_cast<int>(s.size());
            auto* nameItem = new QTableWidgetItem(
                tr("best WSD %1%").arg(std::lround(100 * whatIf->bestFraction)));
            nameItem->setToolTip(tr("The WSD cooldown fraction with the lowest predicted final "
                                    "loss (searched over %1 fractions; no band)")
                                     .arg(whatIf->fractions.size()));
            nameItem->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            m_table->setItem(r, Name, nameItem);
            const double nan = std::numeric_limits<double>::quiet_NaN();
            m_table->setItem(r, FinalLoss, new NumberItem(whatIf->bestLoss));
            m_table->setItem(r, BandLow, new NumberItem(nan));
            m_table->setItem(r, BandHigh, new NumberItem(nan));
            m_table->setItem(r, VsPlan, new NumberItem(whatIf->bestLoss - plan));
        }
        for (std::size_t i = 0; i < s.size(); ++i) {
            const int r = static_cast<int>(i);
            const QString name = i < whatIf->names.size() ? QString::fromStdString(whatIf->names[i])
                                                          : QString::fromStdString(s[i].label);
            auto* nameItem = new QTableWidgetItem(name);
            nameItem->setToolTip(QString::fromStdString(s[i].label));
            nameItem->setFlags(Qt::ItemIsSelectable | Qt::ItemIsEnabled);
            m_table->setItem(r, Name, nameItem);
            m_table->setItem(r, FinalLoss, new NumberItem(s[i].finalLoss));
            m_table->setItem(r, BandLow, new NumberItem(s[i].finalBand.lower));
            m_table->setItem(r, BandHigh, new NumberItem(s[i].finalBand.upper));
            // Positive: this schedule ends higher (worse) than the run's own.
            m_table->setItem(r, VsPlan, new NumberItem(s[i].finalLoss - plan));
        }
    }
    m_table->setSortingEnabled(sorting);
    m_table->resizeColumnsToContents();
}

int ForecastWhatIfTable::rowCount() const {
    return m_table->rowCount();
}

double ForecastWhatIfTable::value(int row, int column) const {
    const QTableWidgetItem* item = m_table->item(row, column);
    if (!item || column == Name)
        return std::numeric_limits<double>::quiet_NaN();
    return item->data(ValueRole).toDouble();
}

QString ForecastWhatIfTable::text(int row, int column) const {
    const QTableWidgetItem* item = m_table->item(row, column);
    return item ? item->text() : QString();
}

QString ForecastWhatIfTable::selectionAsTsv() const {
    std::set<int> rows;
    for (const QModelIndex& index : m_table->selectionModel()->selectedIndexes())
        rows.insert(index.row());
    if (rows.empty())
        for (int r = 0; r < m_table->rowCount(); ++r)
            rows.insert(r);
    QStringList header;
    for (int c = 0; c < ColumnCount; ++c)
        header << m_table->horizontalHeaderItem(c)->text();
    QString out = header.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (const int r : rows) {
        QStringList cells{text(r, Name)};
        for (int c = FinalLoss; c < ColumnCount; ++c)
            cells << exact(value(r, c));
        out += cells.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return out;
}

void ForecastWhatIfTable::copy() const {
    QApplication::clipboard()->setText(selectionAsTsv());
}

}  // namespace scalelens::ui
