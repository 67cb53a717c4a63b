// CalculatorsPanel: the calculators dock. Four tabs, each updating as you type:
//  - Compute-optimal: FLOP budget -> N_opt, D_opt, D/N and the loss at the optimum, from a
//    published preset (Hoffmann et al. 2022, Besiroglu et al. 2024) or a fit saved in the
//    project / offered through "Use as preset" in the fit panel.
//  - LR & batch: N, D and sequence length -> the optimal peak learning rate and batch size (in
//    tokens and in sequences) from every published preset side by side, plus the user's fitted
//    LR/batch law, each with its citation.
//  - Density: a benchmark score -> effective parameter count N_eff and capacity density
//    rho = N_eff / N (Xiao et al. 2024).
//  - Knowledge: parameters, exposures and precision -> storable knowledge bits and facts
//    (Allen-Zhu & Li 2024).
// Inputs accept scientific notation in any locale (NumberField); a bad input is framed in red
// with the reason in its tooltip and the outputs show an en dash, never NaN.
//
//   auto* calculators = new CalculatorsPanel(this);
//   calculators->setDocument(document);   // lists the project's saved fits as presets
#pragma once

#include <QWidget>
#include <memory>

#include "widgets/fit/fit_summary.h"

namespace scalelens::ui {

class ProjectDocument;

class CalculatorsPanel : public QWidget {
    Q_OBJECT
  public:
    enum class Section { ComputeOptimal, Hyperparameters, Density, Knowledge };

    explicit CalculatorsPanel(QWidget* parent = nullptr);
    ~CalculatorsPanel() override;

    // The document is not owned; its saved fits become selectable presets. nullptr detaches.
    void setDocument(ProjectDocument* document);

    void showSection(Section section);

  public slots:
    // Offers a fitted law as a preset in the calculator that uses it (Chinchilla-form laws in
    // compute-optimal, LR/batch laws in LR & batch) and selects it. Returns false (and changes
    // nothing) when no calculator uses this law or the fit is not usable.
    bool addFittedPreset(const scalelens::ui::FitSummary& summary);

  private:
    struct Private;
    std::unique_ptr<Private> d;
};

}  // namespace scalelens::ui
