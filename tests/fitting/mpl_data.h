// Loader for the Multi-Power Law authors' loss curves in ../shared/datasets/mpl/ (MIT, see
// that folder's README and LICENSE): csv_<size>/<schedule>.csv with header step,lr,loss.
#pragma once

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "fitting/curve_fit.h"
#include "fitting/lr_schedule.h"

namespace scalelens::fit::testdata {

inline std::filesystem::path mplDir() {
    return std::filesystem::path(SCALELENS_SHARED_DIR) / "datasets" / "mpl";
}

inline bool haveMplData() {
    return std::filesystem::exists(mplDir() / "csv_400" / "cosine_24000.csv");
}

// The schedule of each file as the authors define it (their src/data_loader.py and the
// dataset README): warm-up 2,160 steps to 3e-4, then the named shape.
inline ScheduleDefinition mplSchedule(const std::string& name) {
    ScheduleDefinition d;
    d.peakLr = 3e-4;
    d.finalLr = 3e-5;
    d.warmupSteps = 2160;
    if (name.rfind("constant_", 0) == 0) {
        d.shape = ScheduleShape::Constant;
        d.totalSteps = std::stol(name.substr(9));
    } else if (name.rfind("cosine_", 0) == 0) {
        d.shape = ScheduleShape::Cosine;
        d.totalSteps = std::stol(name.substr(7));
    } else if (name.rfind("wsdcon_", 0) == 0) {
        d.shape = ScheduleShape::TwoStage;
        d.totalSteps = 16000;
        d.decayStart = 8000;
        d.finalLr = std::stod(name.substr(7)) * 1e-5;
    } else if (name.rfind("wsdld_", 0) == 0) {
        d.shape = ScheduleShape::WsdLinear;
        d.totalSteps = 24000;
        d.decayStart = 20000;
    } else {
        d.shape = ScheduleShape::WsdGeometric;
        d.totalSteps = 24000;
        d.decayStart = 20000;
    }
    return d;
}

struct MplFile {
    std::vector<long> steps;
    std::vector<double> lr;  // logged LR column
    std::vector<double> loss;
};

inline std::optional<MplFile> readMplFile(const std::string& size, const std::string& name) {
    std::ifstream in(mplDir() / ("csv_" + size) / (name + ".csv"));
    if (!in)
        return std::nullopt;
    MplFile f;
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
        std::stringstream ss(line);
        std::string a, b, c;
        std::getline(ss, a, ',');
        std::getline(ss, b, ',');
        std::getline(ss, c, ',');
        f.steps.push_back(std::stol(a));
        f.lr.push_back(std::stod(b));
        f.loss.push_back(std::stod(c));
    }
    return f;
}

// A curve ready for the fitter: steps < totalSteps (the official loader drops a final step
// equal to the total), LR from the definition.
inline std::optional<LossCurve> mplCurve(const std::string& size, const std::string& name) {
    const auto f = readMplFile(size, name);
    if (!f)
        return std::nullopt;
    LossCurve c;
    c.name = size + "M/" + name;
    const ScheduleDefinition d = mplSchedule(name);
    c.lr = d.materialise();
    for (std::size_t i = 0; i < f->steps.size(); ++i)
        if (f->steps[i] < d.totalSteps) {
            c.steps.push_back(f->steps[i]);
            c.loss.push_back(f->loss[i]);
        }
    return c;
}

inline const std::vector<std::string>& mplTrainNames() {
    static const std::vector<std::string> names = {"cosine_24000", "constant_24000", "wsdcon_9"};
    return names;
}

inline const std::vector<std::string>& mplHeldOutNames() {
    static const std::vector<std::string> names = {"constant_72000",  "cosine_72000",
                                                   "wsd_20000_24000", "wsdld_20000_24000",
                                                   "wsdcon_3",        "wsdcon_18"};
    return names;
}

}  // namespace scalelens::fit::testdata
