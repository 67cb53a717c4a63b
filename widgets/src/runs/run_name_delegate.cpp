#include "widgets/runs/run_name_delegate.h"

#include <QApplication>
#include <QFontMetrics>
#include <QStyle>
#include <algorithm>

namespace scalelens::ui {

namespace {

bool isSeparator(QChar c) {
    return c == QLatin1Char('-') || c == QLatin1Char('_') || c == QLatin1Char('.') ||
           c == QLatin1Char('/') || c == QLatin1Char(':') || c == QLatin1Char(' ');
}

}  // namespace

QString sharedNamePrefix(const QStringList& names) {
    if (names.size() < 2)
        return {};
    qsizetype length = names.front().size();
    for (const QString& name : names) {
        qsizetype i = 0;
        const qsizetype n = std::min(length, name.size());
        while (i < n && name[i] == names.front()[i])
            ++i;
        length = i;
        if (length == 0)
            return {};
    }
    // Back to just after the last separator inside the shared part.
    while (length > 0 && !isSeparator(names.front()[length - 1]))
        --length;
    return names.front().left(length);
}

QString shortenedRunName(const QString& name, const QString& prefix, const QFontMetrics& fm,
                         int width) {
    if (fm.horizontalAdvance(name) <= width || prefix.size() < 4 || !name.startsWith(prefix) ||
        name.size() == prefix.size())
        return name;
    return QStringLiteral("…") + name.mid(prefix.size());
}

RunNameDelegate::RunNameDelegate(QObject* parent) : QStyledItemDelegate(parent) {}

void RunNameDelegate::clearCache() {
    m_prefixes.clear();
}

QString RunNameDelegate::prefixOf(const QModelIndex& parent) const {
    const QPersistentModelIndex key(parent);
    if (auto it = m_prefixes.constFind(key); it != m_prefixes.constEnd())
        return *it;
    const QAbstractItemModel* model = parent.model();
    QStringList names;
    const int rows = model->rowCount(parent);
    names.reserve(rows);
    for (int r = 0; r < rows; ++r)
        names << model->index(r, 0, parent).data(Qt::DisplayRole).toString();
    const QString prefix = sharedNamePrefix(names);
    m_prefixes.insert(key, prefix);
    return prefix;
}

QString RunNameDelegate::shownName(const QModelIndex& index, const QFontMetrics& fm,
                                   int width) const {
    const QString name = index.data(Qt::DisplayRole).toString();
    if (!index.parent().isValid() || index.column() != 0)
        return name;  // group rows and other columns: as they are
    if (fm.horizontalAdvance(name) <= width)
        return name;
    return shortenedRunName(name, prefixOf(index.parent()), fm, width);
}

int RunNameDelegate::textWidth(const QStyleOptionViewItem& option) const {
    // The width QCommonStyle elides the text to: the text rect less its margins.
    const QWidget* widget = option.widget;
    const QStyle* style = widget ? widget->style() : QApplication::style();
    const QRect text = style->subElementRect(QStyle::SE_ItemViewItemText, &option, widget);
    const int margin = style->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, widget) + 1;
    return text.width() - 2 * margin;
}

void RunNameDelegate::initStyleOption(QStyleOptionViewItem* option,
                                      const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(option, index);
    if (!index.parent().isValid() || index.column() != 0 || option->rect.width() <= 0)
        return;
    option->text = shownName(index, option->fontMetrics, textWidth(*option));
}

QString RunNameDelegate::drawnText(QStyleOptionViewItem option, const QModelIndex& index) const {
    initStyleOption(&option, index);
    return option.fontMetrics.elidedText(option.text, option.textElideMode, textWidth(option));
}

int RunNameDelegate::textRoom(QStyleOptionViewItem option, const QModelIndex& index) const {
    QStyledItemDelegate::initStyleOption(&option, index);
    return textWidth(option);
}

}  // namespace scalelens::ui
