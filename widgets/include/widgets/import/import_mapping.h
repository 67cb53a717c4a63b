// The mapping keys the import dialog offers (one drop-down each) and their labels.
//
// The keys are the importer's own (data::importMappingKeys(), see data::ImportConfig::columnMap),
// so a key the importer learns appears in the dialog without a change here.
#pragma once

#include <QString>
#include <QStringList>

namespace scalelens::ui {

// Mapping keys in display order: the importer's canonical keys.
const QStringList& importMappingKeys();
// A short label for a mapping key ("tokens" -> "tokens (D)").
QString importMappingTitle(const QString& key);

}  // namespace scalelens::ui
