// Reads the Epoch/Besiroglu 240-point verification set from ../shared (never committed).
#pragma once

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fitting/chinchilla_fit.h"

namespace scalelens::testdata {

// Rows of svg_extracted_data.csv as (N, D = C/(6N), loss), dropping the `drop` rows with the
// highest loss (loss strictly below the drop-th largest value), as Besiroglu et al. 2024 do.
inline std::vector<fit::Observation> loadChinchilla(int drop = 5) {
    std::ifstream in(SCALELENS_SHARED_DIR "/datasets/chinchilla/svg_extracted_data.csv");
    std::vector<fit::Observation> rows;
    std::string line;
    std::getline(in, line);  // x,y,color,Model Size,Training FLOP,hex_color,loss
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, ','))
            cells.push_back(cell);
        if (cells.size() < 7)
            continue;
        const double n = std::stod(cells[3]);
        const double c = std::stod(cells[4]);
        rows.push_back({n, c / (6.0 * n), std::stod(cells[6]), 1.0, {}});
    }
    if (drop > 0 && static_cast<int>(rows.size()) > drop) {
        std::vector<double> losses;
        for (const auto& r : rows)
            losses.push_back(r.loss);
        std::sort(losses.begin(), losses.end(), std::greater<>());
        const double limit = losses[drop - 1];
        rows.erase(std::remove_if(rows.begin(), rows.end(),
                                  [&](const fit::Observation& o) { return o.loss >= limit; }),
                   rows.end());
    }
    return rows;
}

}  // namespace scalelens::testdata
