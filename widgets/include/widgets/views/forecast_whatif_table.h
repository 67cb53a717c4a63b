// The curve-forecast view's what-if schedules as a table (issue 10, item 3): one row per
// schedule of analysis::computeWhatIf -- name, predicted final loss, band low and high, and the
// difference from the run's own schedule ("plan"), and the cooldown search's best WSD
// ("best WSD 15%", no band) -- sortable, with Ctrl+C copying the selected
// rows as tab-separated text under a header. The note above the plot keeps a one-line summary;
// the table is what a user compares and pastes.
#pragma once

#include <QString>
#include <QWidget>
#include <optional>

#include <analysis/curve_forecast_job.h>

class QTableWidget;

namespace scalelens::ui {

class ForecastWhatIfTable : public QWidget {
    Q_OBJECT
  public:
    enum Column { Name, FinalLoss, BandLow, BandHigh, VsPlan, ColumnCount };
    // At most this many rows show at once; more scroll (the plot above keeps its room).
    static constexpr int kVisibleRows = 5;

    explicit ForecastWhatIfTable(QWidget* parent = nullptr);

    // Fills the table (nullopt or no schedule: empty). Sorting is kept.
    void setWhatIf(const std::optional<analysis::CurveWhatIf>& whatIf);

    int rowCount() const;
    // The exact value of a numeric cell in the displayed (sorted) order; NaN for the name
    // column or a difference without a plan row.
    double value(int row, int column) const;
    QString text(int row, int column) const;
    // The selected rows (all rows when none is selected) as TSV with a header line; numbers
    // at full precision (the shortest text that reads back as the same double).
    QString selectionAsTsv() const;
    QTableWidget* table() const { return m_table; }

  private:
    void copy() const;
    QTableWidget* m_table;
};

}  // namespace scalelens::ui
