#include "datasets/run.h"

#include <cassert>
#include <cmath>

namespace scalelens::data {

std::string_view fieldKey(RunField field) {
    switch (field) {
        case RunField::TotalParams:
            return "total_params";
        case RunField::NonEmbeddingParams:
            return "non_embedding_params";
        case RunField::ActiveParams:
            return "active_params";
        case RunField::Tokens:
            return "tokens";
        case RunField::Flops:
            return "flops";
        case RunField::PeakLr:
            return "peak_lr";
        case RunField::BatchTokens:
            return "batch_tokens";
        case RunField::SeqLen:
            return "seq_len";
        case RunField::Count:
            break;
    }
    assert(false && "fieldKey: RunField::Count is not a field");
    return "";
}

std::optional<double>& Run::field(RunField f) {
    return const_cast<std::optional<double>&>(static_cast<const Run*>(this)->field(f));
}

const std::optional<double>& Run::field(RunField f) const {
    switch (f) {
        case RunField::TotalParams:
            return totalParams;
        case RunField::NonEmbeddingParams:
            return nonEmbeddingParams;
        case RunField::ActiveParams:
            return activeParams;
        case RunField::Tokens:
            return tokens;
        case RunField::Flops:
            return flops;
        case RunField::PeakLr:
            return peakLr;
        case RunField::BatchTokens:
            return batchTokens;
        case RunField::SeqLen:
        case RunField::Count:
            break;
    }
    assert(f == RunField::SeqLen && "Run::field: RunField::Count is not a field");
    return seqLen;
}

void Run::setDerived(RunField f, bool derived) {
    const std::uint32_t bit = 1u << static_cast<int>(f);
    derivedMask = derived ? (derivedMask | bit) : (derivedMask & ~bit);
}

void deriveComputeFields(Run& run) {
    // C = 6 N D (Kaplan et al. 2020, Sec. 2.1): forward+backward cost per parameter per token.
    // For MoE only the active parameters do work per token.
    const std::optional<double>& n = run.activeParams ? run.activeParams : run.totalParams;
    if (!n || *n <= 0.0)
        return;
    // A product or quotient that leaves the double range is not stored (never Inf or 0).
    if (run.flops && !run.tokens && *run.flops > 0.0) {
        const double d = *run.flops / (6.0 * *n);
        if (std::isfinite(d) && d > 0.0) {
            run.tokens = d;
            run.setDerived(RunField::Tokens, true);
        }
    } else if (run.tokens && !run.flops && *run.tokens > 0.0) {
        const double c = 6.0 * *n * *run.tokens;
        if (std::isfinite(c)) {
            run.flops = c;
            run.setDerived(RunField::Flops, true);
        }
    }
}

}  // namespace scalelens::data
