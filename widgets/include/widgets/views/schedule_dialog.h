// The schedule dialog: a run's planned learning-rate schedule (type constant / cosine / linear /
// WSD with geometric or linear decay / two-stage; peak, final LR, warm-up, total steps, decay
// start), for the loss-curve forecasts. Opens on the stored schedule, else the one inferred from
// the logged LR (shown for confirmation), else a cosine over the logged steps. Saving pushes
// ProjectDocument::setRunSchedule (undoable; undo restores the previous schedule).
//
//   if (ScheduleDialog::edit(document, runId, this)) ...   // true when a schedule was saved
#pragma once

#include <QDialog>
#include <optional>

#include <fitting/lr_schedule.h>

class QComboBox;
class QLabel;
class QSpinBox;

namespace scalelens::ui {

class NumberField;
class ProjectDocument;

class ScheduleDialog : public QDialog {
    Q_OBJECT
  public:
    ScheduleDialog(ProjectDocument* document, qint64 runId, QWidget* parent = nullptr);

    // The definition entered, or nullopt (with the reason) when a field is invalid.
    std::optional<fit::ScheduleDefinition> definition(QString* why = nullptr) const;
    void setDefinition(const fit::ScheduleDefinition& d);
    // True when the dialog opened on an inferred (not stored) schedule.
    bool showsInferred() const { return m_inferred.has_value(); }
    // Validates and stores the schedule (origin "confirmed" when it is the inferred one
    // unchanged, else "user"). False with the reason shown in the dialog.
    bool save();

    // Opens the dialog modally and saves on OK.
    static bool edit(ProjectDocument* document, qint64 runId, QWidget* parent);

  private:
    void updateEnabled();
    ProjectDocument* m_document;
    qint64 m_runId;
    std::optional<fit::ScheduleDefinition> m_inferred;
    QComboBox* m_shape;
    NumberField* m_peak;
    NumberField* m_final;
    QSpinBox* m_warmup;
    QSpinBox* m_total;
    QSpinBox* m_decayStart;
    QLabel* m_source;
    QLabel* m_error;
};

}  // namespace scalelens::ui
