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

const char* const kUsage =
    "Usage: scalelens-cli knowledge --params P [--exposures 1000|100]\n"
    "         [--precision float|int8|int4] [--architecture gpt2|gated-mlp] [--moe]\n"
    "         [--junk [--domain-tokens]] [--bits-per-fact B] [--json]\n"
    "       scalelens-cli knowledge --people N [--p1 NATS --p2 NATS] [--params P] [--json]\n"
    "\n"
    "Knowledge bits a model of P parameters can store (Allen-Zhu & Li 2024, Physics of\n"
    "Language Models 3.3, arXiv 2404.05405): 2 bits/param at 1000 exposures, 1 at 100, with\n"
    "the paper's empirical factors for int4, gated MLPs, MoE and junk data (each cited).\n"
    "  --params P         parameters (total for MoE), excluding unused embedding rows\n"
    "  --exposures E      times each fact is seen: 1000 (default) or 100\n"
    "  --precision X      float (default), int8 (unchanged), int4 (~0.7 bit/param)\n"
    "  --architecture A   gpt2 (default) or gated-mlp (LLaMA/Mistral: 1.3x lower at 100 exp.)\n"
    "  --moe              mixture of experts, 32 experts top-1\n"
    "  --junk             useful:junk data = 1:7;  --domain-tokens: with a domain token\n"
    "  --bits-per-fact B  bits per fact for the fact count (default log2 S0 = 47.59, one\n"
    "                     bioS person's attributes)\n"
    "  --people N         bioS(N) dataset: bits it holds (max, or from losses --p1/--p2 in\n"
    "                     summed nats per person) and the params needed to store them\n"
    "Exit codes: 0 ok, 2 bad arguments.\n";

QString qs(const std::string& s) {
    return QString::fromStdString(s);
}

int runKnowledge(const std::vector<std::string>& args) {
    ArgParser p(
        args,
        {"params", "exposures", "precision", "architecture", "bits-per-fact", "people", "p1", "p2"},
        {"moe", "junk", "domain-tokens", "json", "help"});
    if (p.flag("help")) {
        std::cout << kUsage;
        return kExitOk;
    }
    if (!p.positionals().empty())
        throw UsageError{"unexpected argument '" + p.positionals().front() + "'"};
    if (!p.value("params") && !p.value("people"))
        throw UsageError{"give --params P (calculator) or --people N (bioS dataset)"};

    fit::KnowledgeCalcInputs in;
    in.params = p.number("params").value_or(1.0);
    in.exposures = static_cast<int>(p.integer("exposures").value_or(1000));
    const std::string precision = p.value("precision").value_or("float");
    if (precision == "float")
        in.precision = fit::KnowledgePrecision::Float;
    else if (precision == "int8")
        in.precision = fit::KnowledgePrecision::Int8;
    else if (precision == "int4")
        in.precision = fit::KnowledgePrecision::Int4;
    else
        throw UsageError{"--precision must be float, int8 or int4 (got '" + precision + "')"};
    const std::string arch = p.value("architecture").value_or("gpt2");
    if (arch == "gpt2")
        in.architecture = fit::KnowledgeArchitecture::Gpt2;
    else if (arch == "gated-mlp")
        in.architecture = fit::KnowledgeArchitecture::GatedMlp;
    else
        throw UsageError{"--architecture must be gpt2 or gated-mlp (got '" + arch + "')"};
    in.mixtureOfExperts = p.flag("moe");
    in.junkData = p.flag("junk");
    in.domainTokens = p.flag("domain-tokens");
    in.bitsPerFact = p.number("bits-per-fact").value_or(0);
    const fit::KnowledgeEstimate e = fit::estimateKnowledgeCapacity(in);
    if (!e.ok)
        throw UsageError{e.message};
    const bool haveParams = p.value("params").has_value();

    QJsonObject dataset;
    double datasetBits = 0;
    if (const auto people = p.number("people")) {
        if (!(*people >= 1))
            throw UsageError{"--people must be >= 1"};
        const auto p1 = p.number("p1"), p2 = p.number("p2");
        if (p1.has_value() != p2.has_value())
            throw UsageError{"give both --p1 and --p2, or neither (maximum bits)"};
        datasetBits =
            p1 ? fit::knowledgeBitsBioS(*people, *p1, *p2) : fit::maxKnowledgeBitsBioS(*people);
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

    if (p.flag("json")) {
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

}  // namespace

SCALELENS_CLI_COMMAND(knowledge, "knowledge",
                      "Knowledge capacity: bits and facts storable by P parameters", runKnowledge);

}  // namespace scalelens::cli
