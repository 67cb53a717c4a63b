// `scalelens-cli optimal-hparams`: peak LR and batch size from published laws, side by side.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <iostream>

#include <fitting/hparams.h>

#include "command.h"

namespace scalelens::cli {
namespace {

const char* const kUsage =
    "Usage: scalelens-cli optimal-hparams --n N --d D [--seq-len 2048] [--loss L]\n"
    "         [--flops-per-token M | --n-layer L --d-model H] [--preset NAME | --all] [--json]\n"
    "\n"
    "Optimal peak learning rate and batch size from published laws.\n"
    "  --n N              non-embedding parameters (count, e.g. 7e9)\n"
    "  --d D              training tokens (e.g. 1.4e12)\n"
    "  --seq-len S        tokens per sequence, converts batch tokens to sequences (2048)\n"
    "  --loss L           training loss in nats/token (Kaplan B_crit, MiniCPM batch)\n"
    "  --flops-per-token M  DeepSeek M (non-embedding FLOPs/token); else from --n-layer and\n"
    "                     --d-model (M = 72 l h^2 + 12 l h seq), else M ~ 6N\n"
    "  --preset NAME      one of: step-law (default), step-law-bootstrap, deepseek, porian,\n"
    "                     kaplan, minicpm\n"
    "  --all              every preset\n"
    "  --json             one JSON document: {\"inputs\": {...}, \"presets\": [{\"preset\", "
    "\"lr\",\n"
    "                     \"batch_tokens\", \"batch_sequences\", \"citation\", ...}]}\n"
    "Batch sizes are in tokens unless labelled sequences. Exit codes: 0 ok, 2 bad arguments.\n";

QJsonValue optionalValue(const std::optional<double>& v) {
    return v ? QJsonValue(*v) : QJsonValue(QJsonValue::Null);
}

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

std::string fmt(const std::optional<double>& v, const char* format = "%.4g") {
    if (!v)
        return "-";
    char buf[64];
    std::snprintf(buf, sizeof buf, format, *v);
    return buf;
}

int runOptimalHparams(const std::vector<std::string>& args) {
    ArgParser p(args,
                {"n", "d", "seq-len", "loss", "flops-per-token", "n-layer", "d-model", "preset"},
                {"all", "json", "help"});
    if (p.flag("help")) {
        std::cout << kUsage;
        return kExitOk;
    }
    if (!p.positionals().empty())
        throw UsageError{"unexpected argument '" + p.positionals().front() + "'"};
    fit::HparamInputs in;
    in.n = p.number("n").value_or(0);
    in.d = p.number("d").value_or(0);
    in.seqLen = p.number("seq-len").value_or(2048);
    in.loss = p.number("loss").value_or(0);
    in.flopsPerToken = p.number("flops-per-token").value_or(0);
    in.nLayer = static_cast<int>(p.integer("n-layer").value_or(0));
    in.dModel = static_cast<int>(p.integer("d-model").value_or(0));
    std::string error;
    if (!in.isValid(&error))
        throw UsageError{error};
    if (p.flag("all") && p.value("preset"))
        throw UsageError{"give either --preset or --all, not both"};

    std::vector<fit::HparamRecommendation> recs;
    if (p.flag("all")) {
        recs = fit::recommendAllHparams(in);
    } else {
        const std::string key = p.value("preset").value_or("step-law");
        const fit::HparamPresetInfo* info = fit::findHparamPreset(key);
        if (!info) {
            std::string known;
            for (const auto& preset : fit::hparamPresets())
                known += (known.empty() ? "" : ", ") + preset.key;
            throw UsageError{"unknown preset '" + key + "' (known: " + known + ")"};
        }
        recs.push_back(fit::recommendHparams(info->id, in));
        if (!recs.front().ok())
            throw UsageError{recs.front().message};
    }

    if (p.flag("json")) {
        QJsonObject inputs{{"n", in.n},
                           {"d", in.d},
                           {"seq_len", in.seqLen},
                           {"loss", in.loss > 0 ? QJsonValue(in.loss) : QJsonValue()}};
        QJsonArray presets;
        for (const auto& r : recs) {
            const auto& info = fit::hparamPresetInfo(r.preset);
            QJsonArray notes;
            for (const auto& n : r.notes)
                notes.append(qs(n));
            presets.append(QJsonObject{
                {"preset", qs(r.key)},
                {"name", qs(info.name)},
                {"lr", optionalValue(r.lr)},
                {"batch_tokens", optionalValue(r.batchTokens)},
                {"batch_sequences", optionalValue(r.batchSequences)},
                {"compute_flops", optionalValue(r.computeFlops)},
                {"lr_formula", qs(info.lrFormula)},
                {"batch_formula", qs(info.batchFormula)},
                {"variables", qs(info.variables)},
                {"citation", qs(r.citation)},
                {"caveat", qs(info.caveat)},
                {"notes", notes},
                {"message", r.message.empty() ? QJsonValue() : QJsonValue(qs(r.message))},
            });
        }
        QJsonObject root{{"inputs", inputs}, {"presets", presets}};
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    std::printf("%-20s %12s %14s %12s\n", "preset", "peak lr", "batch tokens", "sequences");
    for (const auto& r : recs) {
        std::printf("%-20s %12s %14s %12s\n", r.key.c_str(), fmt(r.lr).c_str(),
                    fmt(r.batchTokens).c_str(), fmt(r.batchSequences, "%.1f").c_str());
    }
    std::printf("\nsequences of %g tokens; N = non-embedding parameters\n", in.seqLen);
    for (const auto& r : recs) {
        std::printf("%s: %s\n", r.key.c_str(), r.citation.c_str());
        for (const auto& n : r.notes)
            std::printf("  note: %s\n", n.c_str());
        if (!r.message.empty())
            std::printf("  missing: %s\n", r.message.c_str());
    }
    return kExitOk;
}

}  // namespace

SCALELENS_CLI_COMMAND(optimal_hparams, "optimal-hparams",
                      "Optimal peak LR and batch size from published laws", runOptimalHparams);

}  // namespace scalelens::cli
