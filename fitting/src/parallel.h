// A minimal work-sharing loop over indices for the multi-start and the bootstrap (internal).
#pragma once

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace scalelens::fit::detail {

inline int resolveThreads(int requested, int work) {
    int t = requested > 0 ? requested : static_cast<int>(std::thread::hardware_concurrency());
    return std::clamp(t, 1, std::max(1, work));
}

// Calls fn(index, threadSlot) for index in [0, count) on `threads` threads (slot 0 is the
// calling thread). Stops handing out indices once `stop` becomes true. Results must be
// written to per-index or per-slot storage; the order of indices across threads is not fixed.
template <class Fn>
void parallelFor(int count, int threads, std::atomic<bool>& stop, Fn&& fn) {
    std::atomic<int> next{0};
    auto worker = [&](int slot) {
        for (;;) {
            if (stop.load(std::memory_order_relaxed))
                return;
            const int i = next.fetch_add(1, std::memory_order_relaxed);
            if (i >= count)
                return;
            fn(i, slot);
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t)
        pool.emplace_back(worker, t);
    worker(0);
    for (auto& th : pool)
        th.join();
}

}  // namespace scalelens::fit::detail
