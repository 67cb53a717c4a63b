#include "import_columns.h"

#include <algorithm>
#include <iterator>
#include <set>

#include "csv_reader.h"
#include "datasets/import_keys.h"

namespace scalelens::data::detail {

namespace {

// Lower-case, with spaces, '_', '-', '.', '(', ')' removed: "Model Size" == "model_size".
std::string normalize(const std::string& s) {
    std::string out;
    for (char c : toLower(s))
        if (c != ' ' && c != '_' && c != '-' && c != '.' && c != '(' && c != ')')
            out.push_back(c);
    return out;
}

const std::map<std::string, std::string>& aliases() {
    static const std::map<std::string, std::string> table = [] {
        std::map<std::string, std::string> t;
        auto add = [&](const char* key, std::initializer_list<const char*> names) {
            for (const char* n : names)
                t[normalize(n)] = key;
        };
        add("run", {"run", "run_name", "runname", "name", "model", "model_name", "exp_name",
                    "experiment", "run_id"});
        add("group", {"group", "group_name", "sweep", "family"});
        add("step", {"step", "steps", "_step", "global_step", "iteration", "iter", "it"});
        add("tokens", {"tokens", "train_tokens", "training_tokens", "num_tokens", "n_tokens",
                       "tokens_seen", "d"});
        add("flops",
            {"flops", "flop", "c", "compute", "training_flop", "training_flops", "total_flops"});
        add("wall_time", {"wall_time", "walltime", "_runtime", "runtime", "time", "elapsed",
                          "_timestamp", "timestamp", "wall_time_s", "time_s", "elapsed_s"});
        add("metric", {"metric", "metric_name", "tag", "key"});
        add("value", {"value"});
        add("N", {"n", "params", "parameters", "model_size", "num_params", "n_params",
                  "total_params", "nparams", "size", "params_total", "total_parameters"});
        add("non_embedding_params", {"non_embedding_params", "nonembedding_params", "n_nonembed",
                                     "non_embed_params", "params_non_embedding"});
        add("active_params", {"active_params", "activated_params", "n_active"});
        add("lr", {"lr", "learning_rate", "peak_lr", "max_lr", "lr_max"});
        add("batch", {"batch", "batch_size", "bs", "batch_tokens", "global_batch_size"});
        add("batch_sequences", {"batch_sequences", "batch_seqs", "bs_in_sample"});
        add("seq_len", {"seq_len", "sequence_length", "seqlen", "context_length", "ctx_len"});
        add("sparsity_schedule", {"sparsity_schedule", "pruning_schedule"});
        add("release_date", {"release_date", "released", "date"});
        add("tags", {"tags", "organisation", "organization", "org"});
        add("notes", {"notes", "note", "source_notes", "comment"});
        add("status", {"status", "state", "run_status"});
        return t;
    }();
    return table;
}

}  // namespace

std::string canonicalKey(const std::string& key) {
    for (const char* k : kKeys)
        if (normalize(k) == normalize(key))
            return k;
    const auto it = aliases().find(normalize(key));
    return it == aliases().end() ? std::string() : it->second;
}

std::optional<ColumnMatch> matchColumn(const std::string& header) {
    const std::string n = normalize(header);
    if (const auto it = aliases().find(n); it != aliases().end())
        return ColumnMatch{it->second, 1.0};
    // Unit suffixes on counts: params_b (billions), train_tokens_t (trillions), ...
    static const std::pair<const char*, double> suffixes[] = {
        {"t", 1e12}, {"b", 1e9}, {"bn", 1e9}, {"m", 1e6}, {"k", 1e3}};
    const std::string lower = toLower(trim(header));
    for (const auto& [suffix, scale] : suffixes) {
        for (const std::string sep : {"_", " ", "("}) {
            std::string tail = sep + suffix + (sep == "(" ? ")" : "");
            if (lower.size() > tail.size() && lower.ends_with(tail)) {
                const std::string base = normalize(lower.substr(0, lower.size() - tail.size()));
                const auto it = aliases().find(base);
                if (it != aliases().end() &&
                    (it->second == "N" || it->second == "non_embedding_params" ||
                     it->second == "active_params" || it->second == "tokens" ||
                     it->second == "flops"))
                    return ColumnMatch{it->second, scale};
            }
        }
    }
    return std::nullopt;
}

bool isBenchmarkName(const std::string& header) {
    static const char* names[] = {"mmlu",          "bbh",        "math",    "humaneval", "mbpp",
                                  "gsm8k",         "hellaswag",  "arc_c",   "arc_e",     "arc_easy",
                                  "arc_challenge", "winogrande", "piqa",    "triviaqa",  "boolq",
                                  "lambada",       "drop",       "agieval", "ceval",     "cmmlu",
                                  "gpqa",          "mmlu_pro",   "ifeval",  "openbookqa"};
    // Normalised once: files can have a million columns.
    static const std::set<std::string> normalized = [] {
        std::set<std::string> out;
        for (const char* b : names)
            out.insert(normalize(b));
        return out;
    }();
    return normalized.count(normalize(header)) > 0;
}

std::optional<RunField> runFieldForKey(const std::string& key) {
    if (key == "N")
        return RunField::TotalParams;
    if (key == "non_embedding_params")
        return RunField::NonEmbeddingParams;
    if (key == "active_params")
        return RunField::ActiveParams;
    if (key == "tokens")
        return RunField::Tokens;
    if (key == "flops")
        return RunField::Flops;
    if (key == "lr")
        return RunField::PeakLr;
    if (key == "batch")
        return RunField::BatchTokens;
    if (key == "seq_len")
        return RunField::SeqLen;
    return std::nullopt;
}

bool isNumericKey(const std::string& key) {
    return runFieldForKey(key) || key == "batch_sequences";
}

bool resolveColumns(const std::vector<std::string>& headers,
                    const std::map<std::string, std::string>& overrides, ColumnLayout* layout,
                    std::string* error,
                    const std::function<std::optional<std::string>(int)>& textSample,
                    std::vector<std::string>* notes) {
    layout->keyColumn.clear();
    layout->metricOverrides.clear();
    layout->scale.assign(headers.size(), 1.0);
    const auto header = [&](int c) { return headers[static_cast<std::size_t>(c)]; };
    auto explicitlyMapped = [&](const std::string& key) {
        for (const auto& [k, column] : overrides)
            if (canonicalKey(k) == key)
                return true;
        return false;
    };
    std::map<std::string, std::vector<int>> alsoMatched;  // key -> further candidate columns
    for (int c = 0; c < static_cast<int>(headers.size()); ++c) {
        const auto match = matchColumn(header(c));
        if (!match)
            continue;
        if (isNumericKey(match->key) && textSample) {
            if (const auto text = textSample(c)) {
                if (notes && !explicitlyMapped(match->key))
                    notes->push_back("column '" + header(c) + "' looks like " + match->key +
                                     " but holds text ('" + *text + "'); not used as " +
                                     match->key + " (use --map " + match->key +
                                     "=<column> to choose a column)");
                continue;
            }
        }
        // The first column with a meaning wins (duplicate headers keep the first).
        if (layout->keyColumn.emplace(match->key, c).second)
            layout->scale[static_cast<std::size_t>(c)] = match->scale;
        else
            alsoMatched[match->key].push_back(c);
    }
    if (notes) {
        for (const auto& [key, columns] : alsoMatched) {
            if (explicitlyMapped(key))
                continue;
            std::string others;
            for (int c : columns)
                others += (others.empty() ? "'" : ", '") + header(c) + "'";
            notes->push_back(key + ": using column '" + header(layout->keyColumn.at(key)) + "'; " +
                             others + " could also be " + key + " (use --map " + key + "=" +
                             header(columns.front()) + " to switch)");
        }
        const auto n = layout->keyColumn.find("N");
        const auto ne = layout->keyColumn.find("non_embedding_params");
        if (n != layout->keyColumn.end() && ne != layout->keyColumn.end() && !explicitlyMapped("N"))
            notes->push_back("N: using column '" + header(n->second) +
                             "' (all parameters); column '" + header(ne->second) +
                             "' is kept as the non-embedding count (use --map N=" +
                             header(ne->second) + " to fit on it instead)");
    }
    for (const auto& [key, column] : overrides) {
        if (trim(column).empty()) {
            // "key=" (the dialog's "(none)"): no column takes this key.
            if (const std::string canonical = canonicalKey(key); !canonical.empty())
                layout->keyColumn.erase(canonical);
            continue;
        }
        int found = -1;
        for (int c = 0; c < static_cast<int>(headers.size()); ++c)
            if (toLower(trim(headers[static_cast<std::size_t>(c)])) == toLower(trim(column))) {
                found = c;
                break;
            }
        if (found < 0) {
            if (error)
                *error = "--map " + key + "=" + column + ": no column named '" + column + "'";
            return false;
        }
        const std::string canonical = canonicalKey(key);
        // A column given explicitly loses any alias meaning it had.
        for (auto it = layout->keyColumn.begin(); it != layout->keyColumn.end();)
            it = it->second == found ? layout->keyColumn.erase(it) : std::next(it);
        if (canonical.empty()) {
            layout->metricOverrides[key] = found;
        } else {
            layout->keyColumn[canonical] = found;
            layout->scale[static_cast<std::size_t>(found)] = 1.0;
        }
    }
    return true;
}

}  // namespace scalelens::data::detail

namespace scalelens::data {

const std::vector<std::string>& importMappingKeys() {
    static const std::vector<std::string> keys(std::begin(detail::kKeys), std::end(detail::kKeys));
    return keys;
}

}  // namespace scalelens::data
