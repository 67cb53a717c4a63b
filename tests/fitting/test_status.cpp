#include "scalelens_catch.h"

#include "fitting/status.h"

using scalelens::fit::FitStatus;

TEST_CASE("FitStatus names are stable and only fitted results are usable", "[status]") {
    CHECK(scalelens::fit::toString(FitStatus::Converged) == "converged");
    CHECK(scalelens::fit::toString(FitStatus::Cancelled) == "cancelled");
    CHECK(scalelens::fit::isUsable(FitStatus::Converged));
    CHECK(scalelens::fit::isUsable(FitStatus::NoConvergence));
    CHECK_FALSE(scalelens::fit::isUsable(FitStatus::NotRun));
    CHECK_FALSE(scalelens::fit::isUsable(FitStatus::Failed));
    CHECK_FALSE(scalelens::fit::isUsable(FitStatus::Cancelled));
    // Unreliable results are shown (with their diagnostics) but are not trustworthy.
    CHECK(scalelens::fit::toString(FitStatus::Unreliable) == "unreliable");
    CHECK(scalelens::fit::isUsable(FitStatus::Unreliable));
    CHECK_FALSE(scalelens::fit::isTrustworthy(FitStatus::Unreliable));
    CHECK_FALSE(scalelens::fit::isTrustworthy(FitStatus::NoConvergence));
    CHECK(scalelens::fit::isTrustworthy(FitStatus::Converged));
}
