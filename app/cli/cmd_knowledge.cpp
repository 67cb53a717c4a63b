// `scalelens-cli knowledge`: knowledge capacity calculator (Allen-Zhu & Li 2024).
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>
#include <cstdio>
#include <iostream>

#include <fitting/knowledge.h>

#include "command.h"

namespace scalelens::cli {
namespace {

const char* const kDescription =
    "Knowledge bits a model of P parameters can store (Allen-Zhu & Li 2024, Physics of\n"
    "Language Models 3.3, arXiv 2404.05405): 2 bits/param at 1000 exposures, 1 at 100, with\n"
    "the paper's empirical factors for int4, gated MLPs, MoE and junk data (each cited).\n"
    "Give --params P (calculator), --people N (bioS dataset), or both.";

struct KnowledgeArgs {
    std::optional<double> params;
    std::optional<long long> exposures;
    std::string precision = "float";
    std::string architecture = "gpt2";
    bool moe = false;
    bool junk = false;
    bool domainTokens = false;
    std::optional<double> bitsPerFact;
    std::optional<double> people;
    std::optional<double> p1;
    std::optional<double> p2;
    bool json = false;
};

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

int runKnowledge(const KnowledgeArgs& p) {
    if (!p.params && !p.people)
        throw UsageError{"give --params P (calculator) or --people N (bioS dataset)"};

    fit::KnowledgeCalcInputs in;
    in.params = p.params.value_or(1.0);
    in.exposures = static_cast<int>(p.exposures.value_or(1000));
    const std::string& precision = p.precision;
    if (precision == "float")
        in.precision = fit::KnowledgePrecision::Float;
    else if (precision == "int8")
        in.precision = fit::KnowledgePrecision::Int8;
    else if (precision == "int4")
        in.precision = fit::KnowledgePrecision::Int4;
    else
        throw UsageError{"--precision must be float, int8 or int4 (got '" + precision + "')"};
    const std::string& arch = p.architecture;
    if (arch == "gpt2")
        in.architecture = fit::KnowledgeArchitecture::Gpt2;
    else if (arch == "gated-mlp")
        in.architecture = fit::KnowledgeArchitecture::GatedMlp;
    else
        throw UsageError{"--architecture must be gpt2 or gated-mlp (got '" + arch + "')"};
    in.mixtureOfExperts = p.moe;
    in.junkData = p.junk;
    in.domainTokens = p.domainTokens;
    in.bitsPerFact = p.bitsPerFact.value_or(0);
    const fit::KnowledgeEstimate e = fit::estimateKnowledgeCapacity(in);
    if (!e.ok)
        throw UsageError{e.message};
    const bool haveParams = p.params.has_value();

    QJsonObject dataset;
    double datasetBits = 0;
    if (const auto& people = p.people) {
        const auto &p1 = p.p1, &p2 = p.p2;
        if (p1.has_value() != p2.has_value())
            throw UsageError{"give both --p1 and --p2, or neither (maximum bits)"};
        datasetBits =
            p1 ? fit::knowledgeBitsBioS(*people, *p1, *p2) : fit::maxKnowledgeBitsBioS(*people);
        if (!(datasetBits >= 0))
            throw UsageError{"options --p1/--p2: losses this high mean negative knowledge (" +
                             std::to_string(datasetBits) +
                             " bits); they exceed the entropy of the names and values"};
        dataset = QJsonObject{
            {"people", *people},
            {"bits", datasetBits},
            {"bits_per_person", datasetBits / *people},
            {"from_losses", p1.has_value()},
            {"params_needed", fit::paramsForBits(datasetBits, e.bitsPerParam)},
            {"log2_S0", std::log2(fit::kBioSValueSpace)},
            {"log2_N0", std::log2(fit::kBioSNamePool)},
        };
        if (haveParams)
            dataset["capacity_ratio"] = datasetBits / in.params;
    }

    if (p.json) {
        QJsonArray factors;
        for (const auto& f : e.factors)
            factors.append(QJsonObject{
                {"name", qs(f.name)}, {"multiplier", f.multiplier}, {"citation", qs(f.citation)}});
        QJsonArray notes;
        for (const auto& n : e.notes)
            notes.append(qs(n));
        QJsonObject root{{"bits_per_param", e.bitsPerParam},
                         {"bits_per_fact", e.bitsPerFact},
                         {"exposures", in.exposures},
                         {"factors", factors},
                         {"notes", notes}};
        if (haveParams) {
            root["params"] = in.params;
            root["bits"] = e.bits;
            root["facts"] = e.facts;
        }
        if (!dataset.isEmpty())
            root["dataset"] = dataset;
        std::cout << QJsonDocument(root).toJson(QJsonDocument::Indented).toStdString();
        return kExitOk;
    }
    std::printf("bits per parameter: %.4g\n", e.bitsPerParam);
    if (haveParams) {
        std::printf("parameters:         %.4g\n", in.params);
        std::printf("knowledge bits:     %.4g\n", e.bits);
        std::printf("facts (%.4g bits):  %.4g\n", e.bitsPerFact, e.facts);
    }
    for (const auto& f : e.factors)
        std::printf("  x%.4g  %s  [%s]\n", f.multiplier, f.name.c_str(), f.citation.c_str());
    for (const auto& n : e.notes)
        std::printf("  note: %s\n", n.c_str());
    if (!dataset.isEmpty()) {
        std::printf(
            "bioS(N=%.4g): %.4g bits (%.4g bits/person)%s; params needed at %.3g "
            "bit/param: %.4g\n",
            dataset["people"].toDouble(), datasetBits, dataset["bits_per_person"].toDouble(),
            dataset["from_losses"].toBool() ? " from losses" : " maximum", e.bitsPerParam,
            dataset["params_needed"].toDouble());
    }
    return kExitOk;
}

RunFn declareKnowledge(CLI::App& app, const std::vector<std::string>&) {
    app.description(kDescription);
    auto o = std::make_shared<KnowledgeArgs>();
    addNumber(app, "--params", o->params,
              "Parameters P (total for MoE), excluding unused embedding rows", Rule::Positive);
    const char* const calc = "Calculator (--params)";
    addInteger(app, "--exposures", o->exposures, "Times each fact is seen: 1000 (default) or 100")
        ->group(calc);
    app.add_option("--precision", o->precision,
                   "float (default), int8 (unchanged), int4 (~0.7 bit/param)")
        ->group(calc);
    app.add_option("--architecture", o->architecture,
                   "gpt2 (default) or gated-mlp (LLaMA/Mistral: 1.3x lower at 100 exposures)")
        ->group(calc);
    addFlag(app, "--moe", o->moe, "Mixture of experts, 32 experts top-1")->group(calc);
    auto* junk = addFlag(app, "--junk", o->junk, "Useful:junk data = 1:7")->group(calc);
    addFlag(app, "--domain-tokens", o->domainTokens,
            "With --junk: a domain token marks useful data")
        ->group(calc)
        ->needs(junk);
    addNumber(app, "--bits-per-fact", o->bitsPerFact,
              "Bits per fact for the fact count (default log2 S0 = 47.59, one bioS person's "
              "attributes)",
              Rule::Positive)
        ->group(calc);
    const char* const dataset = "bioS dataset (--people)";
    auto* people =
        addNumber(app, "--people", o->people,
                  "bioS(N) dataset: the bits it holds and the params needed to store them")
            ->group(dataset)
            ->check(CLI::Validator(
                [](std::string& text) -> std::string {
                    const auto v = parseNumber(text);
                    if (v && !(*v >= 1 && *v <= fit::kBioSNamePool))
                        return "must be between 1 and the name pool N0 = 1.6e8 (got " + text + ")";
                    return {};
                },
                "", "people"));
    for (auto [name, target] : {std::pair{"--p1", &o->p1}, std::pair{"--p2", &o->p2}})
        addNumber(app, name, *target,
                  std::string(name == std::string("--p1") ? "Name" : "Value") +
                      " loss in summed nats per person (give --p1 and --p2, or neither: "
                      "maximum bits)",
                  Rule::NonNegative)
            ->group(dataset)
            ->needs(people);
    addJsonOption(app, o->json);
    return [o] { return runKnowledge(*o); };
}

}  // namespace

SCALELENS_CLI_COMMAND(knowledge, "knowledge",
                      "Knowledge capacity: bits and facts storable by P parameters",
                      declareKnowledge);

}  // namespace scalelens::cli
