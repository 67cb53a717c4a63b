#include "datasets/curve_overview.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "sqlite_util.h"

namespace scalelens::data {

std::vector<double> emaSmooth(const std::vector<double>& values, double weight) {
    std::vector<double> out;
    out.reserve(values.size());
    double last = 0.0;
    double debias = 1.0;
    for (double v : values) {
        if (!std::isfinite(v)) {
            out.push_back(v);
            continue;
        }
        last = last * weight + (1.0 - weight) * v;
        debias *= weight;
        out.push_back(weight > 0 ? last / (1.0 - debias) : v);
    }
    return out;
}

std::vector<std::size_t> overviewRows(const std::vector<double>& x,
                                      const std::vector<double>& value, int buckets) {
    std::vector<std::size_t> keep;
    const std::size_t n = std::min(x.size(), value.size());
    if (n == 0 || buckets < 1)
        return keep;
    const double lo = x.front(), hi = x[n - 1];
    const double span = hi - lo;
    const auto firstPositive =
        std::upper_bound(x.begin(), x.begin() + static_cast<std::ptrdiff_t>(n), 0.0);
    const double logLo =
        firstPositive != x.begin() + static_cast<std::ptrdiff_t>(n) ? *firstPositive : 0.0;
    const double logScale = logLo > 0 && hi > logLo ? buckets / std::log(hi / logLo) : 0.0;
    const auto bucketOf = [&](double v) -> std::pair<long, long> {
        // Multiply, then divide: integer steps fall into the buckets a pixel grid with a
        // divisor of `buckets` columns puts them in, with no rounding at the edges.
        const long lin =
            span > 0 ? std::min<long>(buckets - 1, static_cast<long>((v - lo) * buckets / span))
                     : 0;
        const long lg =
            v > 0 && logScale > 0
                ? std::min<long>(buckets - 1, static_cast<long>(std::log(v / logLo) * logScale))
                : -1;
        return {lin, lg};
    };
    std::size_t start = 0;
    auto current = bucketOf(x[0]);
    std::size_t lowest = 0, highest = 0;
    const auto close = [&](std::size_t end) {  // bucket [start, end)
        std::size_t rows[4] = {start, lowest, highest, end - 1};
        std::sort(std::begin(rows), std::end(rows));
        for (std::size_t r : rows)
            if (keep.empty() || keep.back() != r)
                keep.push_back(r);
    };
    for (std::size_t i = 1; i < n; ++i) {
        const auto b = bucketOf(x[i]);
        if (b != current) {
            close(i);
            start = lowest = highest = i;
            current = b;
            continue;
        }
        if (value[i] < value[lowest])
            lowest = i;
        if (value[i] > value[highest])
            highest = i;
    }
    close(n);
    return keep;
}

}  // namespace scalelens::data

namespace scalelens::data::detail {

bool refreshCurveOverview(sqlite3* db, std::int64_t runId, std::string* error) {
    const std::string what = "cannot update the curve overviews";
    for (const char* sql : {"DELETE FROM curve_overview WHERE run_id = ?",
                            "DELETE FROM curve_overview_info WHERE run_id = ?"}) {
        Stmt del(db, sql);
        del.bind(1, runId);
        if (!del.run(error, what))
            return false;
    }
    std::vector<std::int64_t> metricIds;
    {
        Stmt s(db, "SELECT metric_id FROM curve_stats WHERE run_id = ? AND row_count >= ?");
        s.bind(1, runId);
        s.bind(2, static_cast<std::int64_t>(kOverviewMinRows));
        while (s.row())
            metricIds.push_back(s.int64(0));
    }
    Stmt read(db,
              "SELECT x, step, tokens, flops, wall_time, value FROM metrics WHERE run_id = ? AND "
              "metric_id = ? AND x >= 0 ORDER BY x");
    Stmt info(db,
              "INSERT INTO curve_overview_info (run_id, metric_id, points, step_finite, "
              "tokens_positive, flops_positive, flops_finite, wall_finite) VALUES "
              "(?,?,?,?,?,?,?,?)");
    Stmt row(db,
             "INSERT INTO curve_overview (run_id, metric_id, kind, rows, data) VALUES "
             "(?,?,?,?,?)");
    std::vector<double> x, step, tokens, flops, wall, value;
    for (const std::int64_t metricId : metricIds) {
        for (auto* v : {&x, &step, &tokens, &flops, &wall, &value})
            v->clear();
        read.bind(1, runId);
        read.bind(2, metricId);
        std::int64_t stepFinite = 0, tokensPositive = 0, flopsPositive = 0, flopsFinite = 0,
                     wallFinite = 0;
        std::size_t wallMin = 0;
        while (read.row()) {
            x.push_back(read.real(0));
            step.push_back(read.realOrNan(1));
            tokens.push_back(read.realOrNan(2));
            flops.push_back(read.realOrNan(3));
            wall.push_back(read.realOrNan(4));
            value.push_back(read.real(5));
            stepFinite += std::isfinite(step.back());
            tokensPositive += tokens.back() > 0;
            flopsPositive += flops.back() > 0;
            flopsFinite += std::isfinite(flops.back());
            if (std::isfinite(wall.back())) {
                if (wallFinite == 0 || wall.back() < wall[wallMin])
                    wallMin = wall.size() - 1;
                ++wallFinite;
            }
        }
        read.reset();
        std::vector<std::size_t> raw = overviewRows(x, value);
        if (raw.size() * 4 > x.size())
            continue;  // little to gain: plots read the curve
        const std::vector<double> smoothed = emaSmooth(value, kOverviewEmaWeight);
        std::vector<std::size_t> smooth = overviewRows(x, smoothed);
        // The wall-time axis counts from a run's earliest time: keep that row in both kinds.
        for (auto* rows : {&raw, &smooth})
            if (wallFinite > 0 && !std::binary_search(rows->begin(), rows->end(), wallMin))
                rows->insert(std::lower_bound(rows->begin(), rows->end(), wallMin), wallMin);
        info.bind(1, runId);
        info.bind(2, metricId);
        info.bind(3, static_cast<std::int64_t>(x.size()));
        info.bind(4, stepFinite);
        info.bind(5, tokensPositive);
        info.bind(6, flopsPositive);
        info.bind(7, flopsFinite);
        info.bind(8, wallFinite);
        if (!info.run(error, what))
            return false;
        info.reset();
        for (int kind = 0; kind < 2; ++kind) {
            const std::vector<double>& v = kind == 0 ? value : smoothed;
            MetricSeries kept;
            for (const std::size_t i : kind == 0 ? raw : smooth) {
                kept.step.push_back(step[i]);
                kept.tokens.push_back(tokens[i]);
                kept.flops.push_back(flops[i]);
                kept.wallTime.push_back(wall[i]);
                kept.value.push_back(v[i]);
            }
            const std::string blob = packOverview(kept);
            row.bind(1, runId);
            row.bind(2, metricId);
            row.bind(3, kind);
            row.bind(4, static_cast<std::int64_t>(kept.size()));
            sqlite3_bind_blob(row.get(), 5, blob.data(), static_cast<int>(blob.size()),
                              SQLITE_STATIC);
            if (!row.run(error, what))
                return false;
            row.reset();
        }
    }
    return true;
}

namespace {
constexpr bool kLittleEndian = std::endian::native == std::endian::little;
std::uint64_t swapBytes(std::uint64_t v) {
    std::uint64_t out = 0;
    for (int i = 0; i < 8; ++i)
        out = (out << 8) | ((v >> (8 * i)) & 0xff);
    return out;
}
}  // namespace

std::string packOverview(const MetricSeries& series) {
    const std::size_t n = series.size();
    std::string blob(n * 5 * sizeof(double), '\0');
    char* out = blob.data();
    for (const std::vector<double>* column :
         {&series.step, &series.tokens, &series.flops, &series.wallTime, &series.value})
        for (std::size_t i = 0; i < n; ++i) {
            std::uint64_t bits = 0;
            std::memcpy(&bits, &(*column)[i], sizeof bits);
            if (!kLittleEndian)
                bits = swapBytes(bits);
            std::memcpy(out, &bits, sizeof bits);
            out += sizeof bits;
        }
    return blob;
}

bool unpackOverview(const void* blob, std::size_t bytes, std::int64_t rows, MetricSeries* series) {
    if (rows < 0 || bytes != static_cast<std::size_t>(rows) * 5 * sizeof(double))
        return false;
    const auto n = static_cast<std::size_t>(rows);
    const char* in = static_cast<const char*>(blob);
    for (std::vector<double>* column :
         {&series->step, &series->tokens, &series->flops, &series->wallTime, &series->value}) {
        column->resize(n);
        std::memcpy(column->data(), in, n * sizeof(double));
        if (!kLittleEndian)
            for (double& d : *column) {
                std::uint64_t bits = 0;
                std::memcpy(&bits, &d, sizeof bits);
                bits = swapBytes(bits);
                std::memcpy(&d, &bits, sizeof bits);
            }
        in += n * sizeof(double);
    }
    return true;
}

}  // namespace scalelens::data::detail
