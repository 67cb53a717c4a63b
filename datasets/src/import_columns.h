// Column-name aliases for the importers: which header names mean which mapping key, and the
// unit suffixes (_b = billions, ...) that scale a count column.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "datasets/run.h"

namespace scalelens::data::detail {

// Canonical mapping keys (see ImportConfig in import.h). "D" and "C" are aliases of
// "tokens" and "flops": in summary files they are run fields, in curve files per-row axes.
inline constexpr const char* kKeys[] = {"run",
                                        "group",
                                        "step",
                                        "tokens",
                                        "flops",
                                        "wall_time",
                                        "metric",
                                        "value",
                                        "N",
                                        "non_embedding_params",
                                        "active_params",
                                        "lr",
                                        "batch",
                                        "batch_sequences",
                                        "seq_len",
                                        "sparsity_schedule",
                                        "release_date",
                                        "tags",
                                        "notes",
                                        "status"};

// Canonical key for a user-written key ("params" -> "N", "compute" -> "C"); empty if unknown
// (then the key names a metric).
std::string canonicalKey(const std::string& key);

struct ColumnMatch {
    std::string key;     // canonical key
    double scale = 1.0;  // multiply cell values by this (unit suffix)
};
// Well-known meaning of a header name, if any.
std::optional<ColumnMatch> matchColumn(const std::string& header);

// Benchmark columns that summary files import as evaluations.
bool isBenchmarkName(const std::string& header);

// Header -> key mapping for a file: aliases first, then the config overrides. Returns
// key -> column index; `scales` receives per-column unit scales. An override naming a column
// that does not exist is an error (message in `error`).
struct ColumnLayout {
    std::map<std::string, int> keyColumn;
    std::vector<double> scale;                   // per column
    std::map<std::string, int> metricOverrides;  // metric name -> column (columnMap extras)
};
// `textSample(c)` returns a non-numeric cell of column c from the sampled rows (nullopt when
// every sampled cell is a number or empty): such a column is never auto-mapped to a numeric
// key. `notes` receives one line per skipped or ambiguous auto-mapping, saying which column was
// used and the --map that chooses another.
bool resolveColumns(const std::vector<std::string>& headers,
                    const std::map<std::string, std::string>& overrides, ColumnLayout* layout,
                    std::string* error,
                    const std::function<std::optional<std::string>(int)>& textSample = {},
                    std::vector<std::string>* notes = nullptr);

// Keys of numeric run fields (N, tokens, flops, lr, batch, ...). The curve keys step, value and
// wall_time are structural: a text cell there is an error, not a reason to look elsewhere.
bool isNumericKey(const std::string& key);

// Run field addressed by a canonical key, if it is one.
std::optional<RunField> runFieldForKey(const std::string& key);

}  // namespace scalelens::data::detail
