// The importer's canonical mapping keys (the left side of ImportConfig::columnMap and of
// `--map key=column`; see import.h for what each means), for UIs that offer one choice per key.
//
//   for (const std::string& key : data::importMappingKeys()) addMappingRow(key);
#pragma once

#include <string>
#include <vector>

namespace scalelens::data {

// Curve keys (run, group, step, tokens, flops, wall_time, metric, value), then run fields (N,
// non_embedding_params, active_params, lr, batch, batch_sequences, seq_len, sparsity_schedule,
// release_date, tags, notes).
const std::vector<std::string>& importMappingKeys();

}  // namespace scalelens::data
