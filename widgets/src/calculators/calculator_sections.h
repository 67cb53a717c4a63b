// The four calculator pages of CalculatorsPanel (private to widgets/). Each page owns its input
// fields and recomputes its outputs on every edit; pages never show NaN: a missing or invalid
// result is an en dash with the reason in the tooltip.
#pragma once

#include <fitting/densing.h>
#include <fitting/law.h>
#include <QWidget>
#include <vector>

#include "widgets/fit/fit_store.h"
#include "widgets/fit/fit_summary.h"

class QComboBox;
class QLabel;
class QTableWidget;
class QCheckBox;
class QLineEdit;

namespace scalelens::data {
class Project;
}

namespace scalelens::ui {

class NumberField;

// A law offered in a calculator's source list.
struct ChinchillaSource {
    QString title;     // "Hoffmann et al. 2022 (Approach 3, as printed)"
    QString citation;  // shown under the results
    fit::ChinchillaParams params;
    // analysis::trustWarning of a fitted source: shown beside every number computed from it
    // (an unreliable fit is never used silently). Empty for presets and clean fits.
    QString warning;
};

// Budget -> N_opt, D_opt, D/N, loss (Hoffmann et al. 2022, Eq. 4).
class ComputeOptimalPage : public QWidget {
  public:
    explicit ComputeOptimalPage(QWidget* parent = nullptr);
    // Replaces the fitted sources (saved fits and "Use as preset"); keeps the selection when
    // the same title is still there. `select` picks a title after the update.
    void setFittedSources(const std::vector<ChinchillaSource>& sources, const QString& select = {});
    void recompute();

  private:
    std::vector<ChinchillaSource> m_sources;  // presets first, then fitted
    QComboBox* m_source = nullptr;
    NumberField* m_budget = nullptr;
    QLabel* m_nOpt = nullptr;
    QLabel* m_dOpt = nullptr;
    QLabel* m_ratio = nullptr;
    QLabel* m_loss = nullptr;
    QLabel* m_exponents = nullptr;
    QLabel* m_params = nullptr;
    QLabel* m_fitWarning = nullptr;
};

// N, D, sequence length -> LR and batch from every preset plus fitted LR/batch laws.
class HparamsPage : public QWidget {
  public:
    struct FittedLaw {
        QString title;
        QString citation;
        FittedHparamLaw law;
        QString warning;  // analysis::trustWarning; shown beside the numbers
    };
    explicit HparamsPage(QWidget* parent = nullptr);
    void setFittedLaws(const std::vector<FittedLaw>& laws);
    void recompute();

  private:
    std::vector<FittedLaw> m_fitted;
    NumberField* m_n = nullptr;
    NumberField* m_d = nullptr;
    NumberField* m_seqLen = nullptr;
    NumberField* m_loss = nullptr;
    QTableWidget* m_table = nullptr;
};

// P, exposures, precision, architecture, MoE, junk -> bits and facts (Allen-Zhu & Li 2024).
class KnowledgePage : public QWidget {
  public:
    explicit KnowledgePage(QWidget* parent = nullptr);
    void recompute();

  private:
    NumberField* m_params = nullptr;
    QComboBox* m_exposures = nullptr;
    QComboBox* m_precision = nullptr;
    QComboBox* m_architecture = nullptr;
    QCheckBox* m_moe = nullptr;
    QCheckBox* m_junk = nullptr;
    QCheckBox* m_domain = nullptr;
    NumberField* m_bitsPerFact = nullptr;
    QLabel* m_bitsPerParam = nullptr;
    QLabel* m_bits = nullptr;
    QLabel* m_facts = nullptr;
    QLabel* m_factors = nullptr;
};

// Score -> effective parameters N_eff and density rho = N_eff / N (Xiao et al. 2024), with the
// score-vs-size curve of a reference family fitted to the project's benchmark evaluations
// (fitting/densing.h, direct mode).
class DensityPage : public QWidget {
  public:
    explicit DensityPage(QWidget* parent = nullptr);
    // Re-reads benchmarks and models from the project (nullptr: no project).
    void setProject(const data::Project* project);
    void recompute();

  private:
    void refitCurve();

    const data::Project* m_project = nullptr;
    QComboBox* m_benchmark = nullptr;
    QLineEdit* m_family = nullptr;
    QComboBox* m_kind = nullptr;
    QLabel* m_curveLabel = nullptr;
    NumberField* m_score = nullptr;
    NumberField* m_params = nullptr;
    QLabel* m_nEff = nullptr;
    QLabel* m_density = nullptr;
    bool m_curveOk = false;
    fit::SizeScoreCurve m_curve;
};

// Shared helpers for the pages.
QLabel* makeOutputLabel(const QString& objectName, QWidget* parent);
// Sets an output to `text` (with `toolTip`), or to an en dash with the reason as tooltip.
void setOutput(QLabel* label, const QString& text, const QString& toolTip = {});
void clearOutput(QLabel* label, const QString& reason);

}  // namespace scalelens::ui
