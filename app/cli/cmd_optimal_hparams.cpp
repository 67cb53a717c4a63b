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

const char* const kDescription =
    "Optimal peak learning rate and batch size from published laws. Batch sizes are in tokens\n"
    "unless labelled sequences. --json prints {\"inputs\": {...}, \"presets\": [{\"preset\",\n"
    "\"lr\", \"batch_tokens\", \"batch_sequences\", \"citation\", ...}]}.";

struct HparamArgs {
    std::optional<double> n;
    std::optional<double> d;
    std::optional<double> seqLen;
    std::optional<double> loss;
    std::optional<double> flopsPerToken;
    std::optional<long long> nLayer;
    std::optional<long long> dModel;
    std::optional<std::string> preset;
    bool all = false;
    bool json = false;
};

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

int runOptimalHparams(const HparamArgs& p) {
    fit::HparamInputs in;
    in.n = p.n.value_or(0);
    in.d = p.d.value_or(0);
    in.seqLen = p.seqLen.value_or(2048);
    in.loss = p.loss.value_or(0);
    in.flopsPerToken = p.flopsPerToken.value_or(0);
    in.nLayer = static_cast<int>(p.nLayer.value_or(0));
    in.dModel = static_cast<int>(p.dModel.value_or(0));
    std::string error;
    if (!in.isValid(&error))
        throw UsageError{error};
    if (p.all && p.preset)
        throw UsageError{"give either --preset or --all, not both"};

    std::vector<fit::HparamRecommendation> recs;
    if (p.all) {
        recs = fit::recommendAllHparams(in);
    } else {
        const std::string key = p.preset.value_or("step-law");
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

    if (p.json) {
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

RunFn declareOptimalHparams(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<HparamArgs>();
    addNumber(app, "--n", o->n, "Non-embedding parameters (count, e.g. 7e9)", Rule::Positive);
    addNumber(app, "--d", o->d, "Training tokens (e.g. 1.4e12)", Rule::Positive);
    addNumber(app, "--seq-len", o->seqLen,
              "Tokens per sequence, converts batch tokens to sequences (default 2048)",
              Rule::Positive);
    addNumber(app, "--loss", o->loss, "Training loss in nats/token (Kaplan B_crit, MiniCPM batch)",
              Rule::Positive);
    auto* m = addNumber(app, "--flops-per-token", o->flopsPerToken,
                        "DeepSeek M (non-embedding FLOPs/token); else from --n-layer and "
                        "--d-model (M = 72 l h^2 + 12 l h seq), else M ~ 6N",
                        Rule::Positive);
    auto* layers =
        addInteger(app, "--n-layer", o->nLayer, "Layers l, for DeepSeek M", Rule::Positive);
    auto* width =
        addInteger(app, "--d-model", o->dModel, "Model width h, for DeepSeek M", Rule::Positive);
    layers->needs(width)->excludes(m);
    width->needs(layers)->excludes(m);
    std::string presets;
    for (const auto& preset : fit::hparamPresets())
        presets += (presets.empty() ? "" : ", ") + preset.key;
    addText(app, "--preset", o->preset, "One of: " + presets + " (default step-law)");
    addFlag(app, "--all", o->all, "Every preset");
    addJsonOption(app, o->json);
    return [o] { return runOptimalHparams(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(optimal_hparams, "optimal-hparams",
                      "Optimal peak LR and batch size from published laws", declareOptimalHparams);

}  // namespace scalelens::cli
