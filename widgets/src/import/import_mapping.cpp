#include "widgets/import/import_mapping.h"

#include <datasets/import_keys.h>
#include <QMap>

namespace scalelens::ui {

const QStringList& importMappingKeys() {
    static const QStringList keys = [] {
        QStringList out;
        for (const std::string& key : data::importMappingKeys())
            out << QString::fromStdString(key);
        // Not a run field: the column imported as metric "loss" (a summary's final loss).
        out << QStringLiteral("loss");
        return out;
    }();
    return keys;
}

QString importMappingTitle(const QString& key) {
    static const QMap<QString, QString> titles = {
        {QStringLiteral("N"), QStringLiteral("N (params)")},
        {QStringLiteral("tokens"), QStringLiteral("tokens (D)")},
        {QStringLiteral("flops"), QStringLiteral("FLOPs (C)")},
        {QStringLiteral("non_embedding_params"), QStringLiteral("non-embedding N")},
        {QStringLiteral("active_params"), QStringLiteral("active N")},
        {QStringLiteral("wall_time"), QStringLiteral("wall time")},
        {QStringLiteral("seq_len"), QStringLiteral("sequence length")},
        {QStringLiteral("release_date"), QStringLiteral("release date")},
        {QStringLiteral("lr"), QStringLiteral("peak LR")},
        {QStringLiteral("batch"), QStringLiteral("batch (tokens)")},
        {QStringLiteral("batch_sequences"), QStringLiteral("batch (sequences)")},
        {QStringLiteral("sparsity_schedule"), QStringLiteral("sparsity schedule")},
        {QStringLiteral("loss"), QStringLiteral("final loss")},
    };
    return titles.value(key, key);
}

}  // namespace scalelens::ui
