#include "fitting/status.h"

namespace scalelens::fit {

std::string_view toString(FitStatus status) {
    switch (status) {
        case FitStatus::NotRun:
            return "not_run";
        case FitStatus::Converged:
            return "converged";
        case FitStatus::NoConvergence:
            return "not_converged";
        case FitStatus::Failed:
            return "failed";
        case FitStatus::Cancelled:
            return "cancelled";
        case FitStatus::Unreliable:
            return "unreliable";
    }
    return "failed";
}

}  // namespace scalelens::fit
