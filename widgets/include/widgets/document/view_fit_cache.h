// Fits the views compute on the fly (when the project has no saved fit of the law), kept while
// the project's data stay the same.
//
// The ProjectDocument owns one cache and empties it whenever the data change (dataChanged) or
// another project opens, so a lookup is a map search: no data fingerprint is recomputed. Entries
// are typed (one map per result type), keyed by what the fit depends on besides the data.
// Thread-safe: the plot tabs prefetch fits on a worker thread.
//
//   const ViewFitCache::Generation g = cache.generation();  // before reading the data
//   ... read the runs, fit ...
//   cache.store<fit::FitResult>(g, key, result);   // dropped when the data changed since g
//   if (auto hit = cache.find<fit::FitResult>(key)) ...
#pragma once

#include <analysis/curve_forecast_job.h>
#include <fitting/avgparam_fit.h>
#include <fitting/chinchilla_fit.h>
#include <compare>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <type_traits>

namespace scalelens::ui {

// What a cached fit depends on besides the data.
struct ViewFitKey {
    std::string lossMetric;  // the metric read as the final loss
    std::string group;       // the sweep the runs come from ("" = ungrouped or all)
    double cutoff = 0;       // back-tests: the FLOP cutoff; 0 otherwise
    auto operator<=>(const ViewFitKey&) const = default;
};

template <class... Results>
class TypedFitCache {
  public:
    using Generation = std::uint64_t;

    // Changes on every clear(); take it before reading the data a fit is computed from.
    Generation generation() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_generation;
    }

    // Forgets every entry (the data changed); results computed from older data are not stored.
    void clear() {
        const std::lock_guard<std::mutex> lock(m_mutex);
        ++m_generation;
        std::apply([](auto&... maps) { (maps.clear(), ...); }, m_maps);
    }

    template <class Result>
    std::optional<Result> find(const ViewFitKey& key) const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const auto& map = std::get<Map<Result>>(m_maps);
        const auto it = map.find(key);
        if (it == map.end())
            return std::nullopt;
        return it->second;
    }

    // Stores `result`, computed from the data as they were at `generation`; ignored when the
    // data changed since.
    template <class Result>
    void store(Generation generation, const ViewFitKey& key, Result result) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (generation != m_generation)
            return;
        auto& map = std::get<Map<Result>>(m_maps);
        if (map.size() >= kMaxEntriesPerType)  // a few sweeps x loss metrics; keep it bounded
            map.clear();
        map.insert_or_assign(key, std::move(result));
    }

    template <class Result>
    std::size_t size() const {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return std::get<Map<Result>>(m_maps).size();
    }

  private:
    template <class Result>
    using Map = std::map<ViewFitKey, Result>;
    static constexpr std::size_t kMaxEntriesPerType = 32;

    mutable std::mutex m_mutex;
    Generation m_generation = 0;
    std::tuple<Map<Results>...> m_maps;
};

// The results the views fit on the fly: Chinchilla fits, the residual view's back-test, the
// average-parameter law, the curve forecast and its what-if schedules.
using ViewFitCache = TypedFitCache<fit::FitResult, fit::BacktestResult, fit::AvgParamFitResult,
                                   analysis::CurveForecastOutcome, analysis::CurveWhatIf>;

}  // namespace scalelens::ui
