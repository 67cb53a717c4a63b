// The loss metric: documented default order, the user's choice remembered in the project, and
// the choice reaching every law's inputs.
#include <analysis/law_inputs.h>
#include <analysis/loss_metric.h>
#include <analysis/run_table.h>

#include "analysis_helpers.h"
#include "scalelens_catch.h"

using namespace scalelens;

TEST_CASE("default loss metric follows the documented order", "[analysis][metric]") {
    CHECK(analysis::defaultLossMetric({"loss", "train_loss", "val_loss"}) == "val_loss");
    CHECK(analysis::defaultLossMetric({"loss", "eval/loss", "train/loss"}) == "eval/loss");
    CHECK(analysis::defaultLossMetric({"train_loss", "loss"}) == "loss");
    CHECK(analysis::defaultLossMetric({"lr", "My_Loss_smoothed"}) == "My_Loss_smoothed");
    CHECK(analysis::defaultLossMetric({"lr", "accuracy"}).empty());
}

TEST_CASE("the chosen loss metric is remembered and reaches the inputs", "[analysis][metric]") {
    test::TempDir tmp;
    // Two losses per run that differ, so the inputs show which one was read.
    auto p = test::projectFromCsv(tmp,
                                  "run,params,tokens,loss,val_loss\n"
                                  "a,1e8,2e9,3.0,3.5\n"
                                  "b,2e8,4e9,2.8,3.3\n"
                                  "c,4e8,8e9,2.6,3.1\n");
    analysis::LossMetric m = analysis::lossMetric(*p);
    CHECK(m.name == "val_loss");  // the default order prefers validation loss
    CHECK_FALSE(m.chosen);
    CHECK(m.label() == "val_loss (default)");

    analysis::RunTable table;
    std::string error;
    REQUIRE(analysis::loadRunTable(*p, {}, &table, &error));
    analysis::NdlInputs in = analysis::ndlInputs(table);
    REQUIRE(in.obs.size() == 3);
    CHECK(in.obs[0].loss == 3.5);
    CHECK(in.lossMetric == "val_loss");

    REQUIRE(analysis::setLossMetric(*p, "loss", &error));
    m = analysis::lossMetric(*p);
    CHECK(m.name == "loss");
    CHECK(m.chosen);
    REQUIRE(analysis::loadRunTable(*p, {}, &table, &error));
    in = analysis::ndlInputs(table);
    CHECK(in.obs[0].loss == 3.0);
    analysis::IsoFlopInputs iso = analysis::isoflopInputs(table);
    CHECK(iso.points[1].L == 2.8);

    // A selection naming a metric wins over the project's choice.
    analysis::Selection sel;
    sel.lossMetric = "val_loss";
    REQUIRE(analysis::loadRunTable(*p, sel, &table, &error));
    CHECK(analysis::ndlInputs(table).obs[2].loss == 3.1);

    // A metric the project does not have is refused and changes nothing.
    CHECK_FALSE(analysis::setLossMetric(*p, "nope", &error));
    CHECK(error.find("nope") != std::string::npos);
    CHECK(analysis::lossMetric(*p).name == "loss");
}
