// Run names in a narrow runs tree (issue 12): a sweep's runs share a long prefix
// ("isoflop-1e+19-1.47B", "isoflop-3e+20-853M", ...), and eliding at the end left every run of
// the sweep reading "isoflop-1e+1…". When a name does not fit its cell, the prefix it shares
// with its sibling rows is drawn as "…" so the part that tells the runs apart stays visible
// ("…1e+19-1.47B"); what still does not fit elides at the end as usual. The tooltip
// (RunsTreeModel) keeps the full name, and filtering, sorting and editing see the full name.
#pragma once

#include <QHash>
#include <QPersistentModelIndex>
#include <QStringList>
#include <QStyledItemDelegate>

class QFontMetrics;

namespace scalelens::ui {

// Longest prefix every name starts with, cut back to just after its last separator
// (- _ . / : or a space) so it never ends inside a token. Empty for fewer than two names.
QString sharedNamePrefix(const QStringList& names);

// What a cell `width` px wide shows of `name`: the name when it fits, else, when `prefix`
// starts it and is at least 4 characters, "…" and the rest of the name.
QString shortenedRunName(const QString& name, const QString& prefix, const QFontMetrics& fm,
                         int width);

// Draws the name column of the runs tree: run rows (children of a group row) shortened by the
// prefix they share with their siblings when they do not fit.
class RunNameDelegate : public QStyledItemDelegate {
    Q_OBJECT
  public:
    explicit RunNameDelegate(QObject* parent = nullptr);
    // The text drawn for `index` in a cell whose text gets `width` px (before end elision).
    QString shownName(const QModelIndex& index, const QFontMetrics& fm, int width) const;
    // The text as drawn for `index` in `option`'s rect: shortened, then elided at the end as
    // the style does.
    QString drawnText(QStyleOptionViewItem option, const QModelIndex& index) const;
    // The width the text of `index` gets in `option`'s rect.
    int textRoom(QStyleOptionViewItem option, const QModelIndex& index) const;
    // Forget the cached prefixes (the rows changed).
    void clearCache();

  protected:
    void initStyleOption(QStyleOptionViewItem* option, const QModelIndex& index) const override;

  private:
    int textWidth(const QStyleOptionViewItem& option) const;
    QString prefixOf(const QModelIndex& parent) const;
    mutable QHash<QPersistentModelIndex, QString> m_prefixes;
};

}  // namespace scalelens::ui
