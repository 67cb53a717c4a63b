#include "fitting/result.h"

namespace scalelens::fit {

std::string_view toString(Severity severity) {
    switch (severity) {
        case Severity::Info:
            return "info";
        case Severity::Warning:
            return "warning";
        case Severity::Unreliable:
            return "unreliable";
    }
    return "unreliable";
}

std::optional<Severity> severityFromString(std::string_view text) {
    for (const Severity s : {Severity::Info, Severity::Warning, Severity::Unreliable})
        if (text == toString(s))
            return s;
    return std::nullopt;
}

Severity FitResultBase::worstSeverity() const {
    Severity worst = Severity::Info;
    for (const Diagnostic& d : diagnostics)
        if (static_cast<int>(d.severity) > static_cast<int>(worst))
            worst = d.severity;
    return worst;
}

const Diagnostic* FitResultBase::findDiagnostic(std::string_view code) const {
    for (const Diagnostic& d : diagnostics)
        if (d.code == code)
            return &d;
    return nullptr;
}

}  // namespace scalelens::fit
