// Optimal LR / batch presets and the Step Law sweep fitter (laws.md §A).
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "fitting/hparams.h"
#include "fitting/hparams_fit.h"
#include "scalelens_catch.h"
#include "shared_data.h"

using namespace scalelens::fit;

namespace {

HparamInputs inputs(double n, double d) {
    HparamInputs in;
    in.n = n;
    in.d = d;
    return in;
}

// Reads the Step Law dense CSV (plain comma-separated, no quoted fields) by column name.
std::vector<LrBsRun> readStepLawDense() {
    std::ifstream file(SCALELENS_SHARED_DIR "/datasets/steplaw/dense_lr_bs_loss.csv");
    std::vector<LrBsRun> runs;
    std::string line;
    if (!std::getline(file, line))
        return runs;
    auto split = [](const std::string& s) {
        std::vector<std::string> out;
        std::stringstream ss(s);
        std::string cell;
        while (std::getline(ss, cell, ','))
            out.push_back(cell);
        return out;
    };
    std::map<std::string, std::size_t> col;
    const auto header = split(line);
    for (std::size_t i = 0; i < header.size(); ++i)
        col[header[i]] = i;
    while (std::getline(file, line)) {
        const auto c = split(line);
        LrBsRun r;
        r.n = std::stod(c.at(col.at("N")));
        r.d = std::stod(c.at(col.at("D")));
        r.lr = std::stod(c.at(col.at("lr")));
        r.batchTokens = std::stod(c.at(col.at("bs"))) * 2048.0;  // sequences of 2048 tokens
        r.loss = std::stod(c.at(col.at("smooth loss")));
        runs.push_back(r);
    }
    return runs;
}

}  // namespace

TEST_CASE("Step Law preset reproduces the laws.md test vectors", "[hparams]") {
    // laws.md §A test vectors, computed from the published rounded coefficients; rel 1e-4.
    struct Row {
        double n, d, lr, bt, bseq;
    };
    const Row rows[] = {{7e9, 1.4e12, 9.1656e-4, 4.9988e6, 2440.8},
                        {1e9, 1e11, 1.6325e-3, 1.1077e6, 540.9},
                        {4e8, 4e10, 2.3682e-3, 6.5645e5, 320.5}};
    for (const Row& row : rows) {
        const auto r = recommendHparams(HparamPreset::StepLaw, inputs(row.n, row.d));
        REQUIRE(r.lr);
        REQUIRE(r.batchTokens);
        REQUIRE(r.batchSequences);
        CHECK(*r.lr == Approx(row.lr).epsilon(1e-4));
        CHECK(*r.batchTokens == Approx(row.bt).epsilon(1e-4));
        CHECK(*r.batchSequences == Approx(row.bseq).epsilon(2e-4));
        CHECK(r.message.empty());
        CHECK(r.citation.find("2503.04715") != std::string::npos);
    }
}

TEST_CASE("Step Law bootstrap-mean preset matches the repository CLI", "[hparams]") {
    // fit_tool.py pred-opt-lr-bs 7e9 1.4e12 2048 -> 9.347e-4, 4.9970e6 (laws.md §A).
    const auto r = recommendHparams(HparamPreset::StepLawBootstrapMean, inputs(7e9, 1.4e12));
    REQUIRE(r.ok());
    CHECK(*r.lr == Approx(9.347e-4).epsilon(2e-4));
    CHECK(*r.batchTokens == Approx(4.9970e6).epsilon(1e-4));
}

TEST_CASE("Bootstrap-mean constants are the means of the released 1004 CSV", "[hparams]") {
    SCALELENS_REQUIRE_SHARED("steplaw/1004_fitted_lr_bs_scaling_model_parameters.csv");
    std::ifstream file(SCALELENS_SHARED_DIR
                       "/datasets/steplaw/1004_fitted_lr_bs_scaling_model_parameters.csv");
    std::string line;
    REQUIRE(std::getline(file, line));
    CHECK(line.rfind("lr_intercept,lr_coefN,lr_coefD,bs_intercept,bs_coefD", 0) == 0);
    double sum[5] = {0, 0, 0, 0, 0};
    int rows = 0;
    while (std::getline(file, line)) {
        std::stringstream ss(line);
        std::string cell;
        for (double& s : sum) {
            std::getline(ss, cell, ',');
            s += std::stod(cell);
        }
        ++rows;
    }
    REQUIRE(rows == 1000);
    using namespace hparam_coeffs;
    const double expected[5] = {kStepBootLrLogC, kStepBootLrN, kStepBootLrD, kStepBootBsLogC,
                                kStepBootBsD};
    for (int i = 0; i < 5; ++i)
        CHECK(sum[i] / rows == Approx(expected[i]).margin(1e-8));
}

TEST_CASE("DeepSeek, Kaplan, MiniCPM and Porian presets", "[hparams]") {
    HparamInputs in;
    in.flopsPerToken = 1e21 / 1e11;  // C = M*D = 1e21
    in.d = 1e11;
    auto ds = recommendHparams(HparamPreset::DeepSeek, in);
    REQUIRE(ds.ok());
    CHECK(*ds.computeFlops == Approx(1e21));
    CHECK(*ds.lr == Approx(7.394e-4).epsilon(2e-4));
    CHECK(*ds.batchTokens == Approx(2.160e6).epsilon(2e-4));

    // Only N known: M ~ 6N and the note says so.
    auto approx = recommendHparams(HparamPreset::DeepSeek, inputs(1e21 / 6 / 1e11, 1e11));
    REQUIRE(approx.lr);
    CHECK(*approx.lr == Approx(7.394e-4).epsilon(2e-4));
    REQUIRE(approx.notes.size() == 1);
    CHECK(approx.notes[0].find("6N") != std::string::npos);

    // From the architecture: n_layer 2, d_model 10, seq 100 -> 72*2*100 + 12*2*10*100 = 38400.
    CHECK(deepSeekFlopsPerToken(2, 10, 100) == Approx(38400.0));

    HparamInputs k = inputs(1e9, 0);
    k.loss = 2.5;
    auto kap = recommendHparams(HparamPreset::Kaplan, k);
    REQUIRE(kap.lr);
    REQUIRE(kap.batchTokens);
    CHECK(*kap.lr == Approx(3.48e-4).epsilon(1e-3));
    CHECK(*kap.batchTokens == Approx(2.547e6).epsilon(2e-4));

    HparamInputs mc;
    mc.loss = 3.0;
    auto mini = recommendHparams(HparamPreset::MiniCpm, mc);
    REQUIRE(mini.batchTokens);
    CHECK_FALSE(mini.lr);
    CHECK(*mini.batchTokens == Approx(1.277e6).epsilon(2e-4));

    // Porian at N = 1e9: 2.13e-3 and 1.61e6 (laws.md §A, plausibility check).
    auto po = recommendHparams(HparamPreset::Porian, inputs(1e9, 0));
    REQUIRE(po.ok());
    CHECK(*po.lr == Approx(2.13e-3).epsilon(1e-3));
    CHECK(*po.batchTokens == Approx(1.61e6).epsilon(1e-3));
}

TEST_CASE("Missing or invalid inputs give a message, not NaN", "[hparams]") {
    auto r = recommendHparams(HparamPreset::StepLaw, inputs(7e9, 0));
    CHECK_FALSE(r.ok());
    CHECK(r.message == "Step Law needs d (training tokens)");
    auto m = recommendHparams(HparamPreset::MiniCpm, inputs(1e9, 1e11));
    CHECK_FALSE(m.ok());
    CHECK(m.message == "MiniCPM needs loss (nats/token, C4) for the batch");
    HparamInputs bad = inputs(7e9, 1e11);
    bad.seqLen = 0;
    std::string error;
    CHECK_FALSE(bad.isValid(&error));
    CHECK(error == "seqLen must be a finite number > 0");
    CHECK(recommendHparams(HparamPreset::StepLaw, bad).message == error);
    bad = inputs(-1, 1e11);
    CHECK_FALSE(recommendHparams(HparamPreset::Porian, bad).ok());
    CHECK(HparamInputs{}.isValid(nullptr));
}

TEST_CASE("Preset table is complete and keyed", "[hparams]") {
    CHECK(hparamPresets().size() == 6);
    for (const auto& p : hparamPresets()) {
        CHECK(findHparamPreset(p.key) == &p);
        CHECK_FALSE(p.citation.empty());
        CHECK_FALSE(p.variables.empty());
    }
    CHECK(findHparamPreset("nope") == nullptr);
    CHECK(recommendAllHparams(inputs(1e9, 1e11)).size() == 6);
}

TEST_CASE("smoothedFinalLoss follows scipy gaussian_filter1d (reflect)", "[hparams]") {
    // 200 entries -> sigma = min(100, 0.01*200) = 2 log entries. A constant is unchanged.
    std::vector<double> constant(200, 2.5);
    CHECK(smoothedFinalLoss(constant) == Approx(2.5));
    std::vector<double> ramp(200);
    for (int i = 0; i < 200; ++i)
        ramp[static_cast<std::size_t>(i)] = i;
    // Hand-computed (python, stdlib only): sigma 2, radius int(4*2+0.5) = 8, reflected tail
    // 199, 198, ... -> 197.8383.
    CHECK(smoothedFinalLoss(ramp) == Approx(197.8383).margin(1e-4));
    CHECK(smoothedFinalLoss({}) == 0.0);
}

TEST_CASE("LR/BS fitter recovers a synthetic law exactly", "[hparams]") {
    // Runs placed exactly on lr = 0.5*N^-0.6*D^0.25, bs = 2*D^0.55 at the optimum of each group.
    std::vector<LrBsRun> runs;
    for (double n : {1e8, 3e8, 1e9})
        for (double d : {1e10, 3e10, 1e11}) {
            const double lr = 0.5 * std::pow(n, -0.6) * std::pow(d, 0.25);
            const double bs = 2.0 * std::pow(d, 0.55);
            for (int i = -2; i <= 2; ++i)
                for (int j = -2; j <= 2; ++j) {
                    const double u = 0.35 * i, v = 0.35 * j;
                    const double loss = 3.0 * (1 + 0.01 * (u * u + v * v + 0.3 * u * v));
                    runs.push_back({n, d, lr * std::exp(u), bs * std::exp(v), loss});
                }
        }
    LrBsFitOptions opt;
    opt.argminOnly = true;
    auto r = fitLrBsSweep(runs, opt);
    REQUIRE(r.status == FitStatus::Converged);
    CHECK(r.lr.coefN.value == Approx(-0.6).margin(1e-9));
    CHECK(r.lr.coefD.value == Approx(0.25).margin(1e-9));
    CHECK(std::exp(r.lr.intercept.value) == Approx(0.5).epsilon(1e-8));
    CHECK(r.batch.coefD.value == Approx(0.55).margin(1e-9));
    CHECK(r.batch.predict(0, 1e10) == Approx(2.0 * std::pow(1e10, 0.55)).epsilon(1e-8));
    REQUIRE(r.groups.size() == 9);
    for (const auto& g : r.groups) {
        REQUIRE(g.quadraticOk);
        // The loss is exactly quadratic in (ln lr, ln bs): the minimiser is the true optimum.
        CHECK(g.quadLr == Approx(0.5 * std::pow(g.n, -0.6) * std::pow(g.d, 0.25)).epsilon(1e-6));
        CHECK(g.quadLoss == Approx(3.0).epsilon(1e-9));
    }
}

TEST_CASE("LR/BS fitter warns when (N, D) groups of one run enter the law", "[hparams]") {
    // Swept groups at 2 x 2 (N, D), 3 x 3 LR x batch each, plus single runs at 3 other (N, D)
    // (an IsoFLOP grid imported with an LR sweep): the law runs, and says how many swept nothing.
    std::vector<LrBsRun> runs;
    for (double n : {1e8, 1e9})
        for (double d : {1e10, 1e11})
            for (int i = -1; i <= 1; ++i)
                for (int j = -1; j <= 1; ++j)
                    runs.push_back({n, d, 1e-3 * std::exp(0.5 * i), 1e5 * std::exp(0.5 * j),
                                    3.0 + 0.01 * (i * i + j * j)});
    auto swept = fitLrBsSweep(runs, LrBsFitOptions{});
    REQUIRE(isUsable(swept.status));
    for (const auto& d : swept.diagnostics)
        CHECK(d.code != "single_run_groups");
    runs.push_back({3e8, 3e10, 2e-3, 6e4, 3.1});
    runs.push_back({3e8, 1e11, 5e-4, 2e5, 3.0});
    runs.push_back({3e9, 3e10, 1e-3, 1e5, 2.9});
    auto mixed = fitLrBsSweep(runs, LrBsFitOptions{});
    REQUIRE(isUsable(mixed.status));
    int found = 0;
    for (const auto& d : mixed.diagnostics)
        if (d.code == "single_run_groups") {
            ++found;
            CHECK(d.severity == Severity::Warning);
            CHECK(d.message.rfind("3 of 7 (N, D) groups hold a single run", 0) == 0);
        }
    CHECK(found == 1);
}

TEST_CASE("LR/BS fitter reproduces the Step Law dense refit", "[hparams][steplaw]") {
    SCALELENS_REQUIRE_SHARED("steplaw/dense_lr_bs_loss.csv");
    const auto runs = readStepLawDense();
    REQUIRE(runs.size() == 1911);
    LrBsFitOptions opt;
    auto r = fitLrBsSweep(runs, opt);
    REQUIRE(r.status == FitStatus::Converged);
    // laws.md §A reproduction check: 129 runs, lr = 77.69 N^-0.7662 D^0.1970,
    // bs = 0.2085 D^0.6125 (4 significant digits).
    CHECK(r.runsUsed == 129);
    CHECK(r.groups.size() == 17);
    CHECK(std::exp(r.lr.intercept.value) == Approx(77.69).epsilon(5e-4));
    CHECK(r.lr.coefN.value == Approx(-0.7662).margin(5e-5));
    CHECK(r.lr.coefD.value == Approx(0.1970).margin(5e-5));
    CHECK(std::exp(r.batch.intercept.value) == Approx(0.2085).epsilon(5e-4));
    CHECK(r.batch.coefD.value == Approx(0.6125).margin(5e-5));

    // Per-group quadratic optima (default window 0.5%): 16 of 17 groups have a minimum inside
    // the grid, on average within 0.1 of the argmin in ln lr (the grid step is ln sqrt2 = 0.35).
    int quadOk = 0;
    double shift = 0;
    for (const auto& g : r.groups) {
        if (!g.quadraticOk)
            continue;
        ++quadOk;
        shift += std::log(g.quadLr / g.bestLr);
    }
    CHECK(quadOk == 16);
    CHECK(std::abs(shift / quadOk) < 0.1);

    opt.argminOnly = true;
    auto a = fitLrBsSweep(runs, opt);
    REQUIRE(a.status == FitStatus::Converged);
    CHECK(a.runsUsed == 17);
    CHECK(std::exp(a.lr.intercept.value) == Approx(30.10).epsilon(5e-4));
    CHECK(a.lr.coefN.value == Approx(-0.8235).margin(5e-5));
    CHECK(a.lr.coefD.value == Approx(0.2882).margin(5e-5));
    CHECK(std::exp(a.batch.intercept.value) == Approx(3.416).epsilon(5e-4));
    CHECK(a.batch.coefD.value == Approx(0.4983).margin(5e-5));

    // Bootstrap: the mean stays near the OLS values and the CI brackets them.
    opt.argminOnly = false;
    opt.bootstrapSamples = 200;
    auto b = fitLrBsSweep(runs, opt);
    REQUIRE(b.status == FitStatus::Converged);
    CHECK(b.bootstrapSamples == 200);
    CHECK(b.lr.coefN.value == Approx(-0.7662).margin(0.03));
    CHECK(b.lr.coefN.ciLow() < -0.7662);
    CHECK(b.lr.coefN.ciHigh() > -0.7662);
    CHECK(b.lr.coefN.sd() > 0);
}

TEST_CASE("LR/BS fitter rejects bad input with a message", "[hparams]") {
    std::vector<LrBsRun> runs = {{1e8, 1e10, 1e-3, 1e6, 3.0}, {1e8, 1e10, 2e-3, 1e6, 0}};
    auto r = fitLrBsSweep(runs, LrBsFitOptions{});
    CHECK(r.status == FitStatus::Failed);
    CHECK(r.message == "run 1: n, d, lr, batchTokens and loss must all be finite and > 0");
    runs.pop_back();
    r = fitLrBsSweep(runs, LrBsFitOptions{});
    CHECK(r.status == FitStatus::Failed);
    CHECK(r.message ==
          "need runs at >= 2 distinct N and >= 2 distinct D (found 1 N, 1 D, 1 "
          "near-optimal runs)");
    LrBsFitOptions bad;
    bad.confidenceLevel = 1.5;
    std::string error;
    CHECK_FALSE(bad.isValid(&error));
    CHECK(error == "confidenceLevel must be in (0, 1)");
    CHECK(LrBsFitOptions{}.isValid(nullptr));
    CHECK(fitLrBsSweep(runs, bad).message == "invalid options: confidenceLevel must be in (0, 1)");
}

TEST_CASE("LR/BS bootstrap can be cancelled through the progress callback", "[hparams]") {
    SCALELENS_REQUIRE_SHARED("steplaw/dense_lr_bs_loss.csv");
    const auto runs = readStepLawDense();
    LrBsFitOptions opt;
    opt.bootstrapSamples = 500;
    int calls = 0;
    auto r = fitLrBsSweep(runs, opt, [&](double) { return ++calls < 3; });
    CHECK(r.status == FitStatus::Cancelled);
    CHECK(calls == 3);
    CHECK(r.message == "cancelled during the bootstrap; OLS coefficients kept");
    CHECK(r.lr.coefN.value == Approx(-0.7662).margin(5e-5));  // the OLS values survive
}
