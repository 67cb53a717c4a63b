// The stale mark of saved fits: a digest of every value the fit used plus its options.
#include <analysis/digest.h>
#include <analysis/fit_jobs.h>
#include <analysis/fit_store.h>
#include <datasets/project.h>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

namespace {

const char* const kSweep =
    "run,params,tokens,flops,loss\n"
    "a,1e8,,1e19,3.00\n"
    "b,2e8,,1e19,2.90\n"
    "c,4e8,,1e19,2.95\n"
    "d,1e8,,3e19,2.80\n"
    "e,2e8,,3e19,2.70\n"
    "f,4e8,,3e19,2.75\n";

std::string digestOf(const data::Project& p, const QString& law,
                     const analysis::FitJobOptions& options = {}) {
    analysis::FitJob job;
    QString error;
    analysis::Selection sel;
    sel.group = "sweep";
    INFO(error.toStdString());
    REQUIRE(analysis::prepareFitJob(p, law, sel, options, &job, &error));
    return job.inputDigest;
}

// Replaces run `name`'s final loss by `value` (delete and restore with the edited curve).
void setLoss(data::Project& p, const std::string& name, double value) {
    std::string error;
    data::RunSnapshot snapshot;
    REQUIRE(p.deleteRun(p.runByName("sweep", name)->id, &snapshot, &error));
    for (auto& curve : snapshot.curves)
        if (curve.metric == "loss")
            curve.series.value.back() = value;
    REQUIRE(p.restoreRun(snapshot, &error));
}

}  // namespace

TEST_CASE("the input digest changes when two runs swap their losses", "[analysis][digest]") {
    test::TempDir tmp;
    auto p = test::projectFromCsv(tmp, kSweep);
    const std::string before = digestOf(*p, "isoflop");
    CHECK(before.rfind("sha256:", 0) == 0);
    CHECK(before.size() == 7 + 64);
    CHECK(digestOf(*p, "isoflop") == before);  // deterministic

    setLoss(*p, "a", 2.90);
    setLoss(*p, "b", 3.00);
    const std::string swapped = digestOf(*p, "isoflop");
    CHECK(swapped != before);
    // Count, sum and sum of squares of the losses are unchanged by the swap.
    setLoss(*p, "a", 3.00);
    setLoss(*p, "b", 2.90);
    CHECK(digestOf(*p, "isoflop") == before);

    // Options are part of the digest.
    analysis::FitJobOptions drop;
    drop.dropHighestLoss = 1;
    CHECK(digestOf(*p, "isoflop", drop) != before);
    analysis::FitJobOptions tolerance;
    tolerance.grouping.tolerance = 0.1;
    CHECK(digestOf(*p, "isoflop", tolerance) != before);
}

TEST_CASE("a saved fit is stale after a value swap and fresh after unrelated edits",
          "[analysis][digest][store]") {
    test::TempDir tmp;
    auto p = test::projectFromCsv(tmp, kSweep);
    {  // a run of another sweep, which the fit does not use
        data::Run other;
        other.name = "z";
        other.group = "other";
        other.totalParams = 1e9;
        std::string error;
        REQUIRE(p->addRun(other, &error) > 0);
    }
    analysis::FitJob job;
    QString error;
    analysis::Selection sel;
    sel.group = "sweep";
    REQUIRE(analysis::prepareFitJob(*p, QStringLiteral("isoflop"), sel, {}, &job, &error));
    const analysis::FitSummary summary = analysis::runFitJob(job);
    INFO(summary.message.toStdString());
    CHECK(summary.dataFingerprint.toStdString() == job.inputDigest);
    std::string why;
    const std::int64_t id = p->saveFit(
        analysis::fitRecordFromSummary(summary, summary.engineJson, job.request()), &why);
    REQUIRE(id > 0);
    CHECK_FALSE(analysis::fitIsStale(*p, *p->fit(id)));

    // Editing a run the fit did not use leaves it fresh.
    REQUIRE(p->setExcluded(p->runByName("other", "z")->id, true, &why));
    CHECK_FALSE(analysis::fitIsStale(*p, *p->fit(id)));
    REQUIRE(analysis::savedFitSummaries(*p).size() == 1);
    CHECK_FALSE(analysis::savedFitSummaries(*p).front().stale);

    // Swapping two losses marks it stale; swapping back makes it fresh again.
    setLoss(*p, "d", 2.70);
    setLoss(*p, "e", 2.80);
    CHECK(analysis::fitIsStale(*p, *p->fit(id)));
    CHECK(analysis::savedFitSummaries(*p).front().stale);
    setLoss(*p, "d", 2.80);
    setLoss(*p, "e", 2.70);
    CHECK_FALSE(analysis::fitIsStale(*p, *p->fit(id)));

    // Excluding a run the fit used marks it stale.
    REQUIRE(p->setExcluded(p->runByName("sweep", "a")->id, true, &why));
    CHECK(analysis::fitIsStale(*p, *p->fit(id)));
}
