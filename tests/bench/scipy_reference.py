#!/usr/bin/python3
"""Reference timing of Chinchilla Approach 3 in scipy, for bench_fit.cpp ratios.

Our own implementation of the published procedure (Hoffmann et al. 2022 App. D.2, as in
Besiroglu et al. 2024): Huber (delta = 1e-3) sum of log-residuals of
LSE(a - alpha log N, b - beta log D, e), minimised with scipy's L-BFGS-B (finite-difference
gradient, scipy defaults) from each point of the 4,500-point grid; then a bootstrap over points
(4,000 resamples by default) refitting from the full-data optimum. Serial, like the notebook.

Usage: /usr/bin/python3 tests/bench/scipy_reference.py [CSV] [--resamples R]
           [--starts-stride K] [--starts-limit K]
CSV defaults to ../shared/datasets/chinchilla/svg_extracted_data.csv (not in the repo).
Prints one JSON line with the timings and the best objective.
"""
import argparse
import itertools
import json
import os
import time

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import logsumexp

DELTA = 1e-3


def load(path, drop=5):
    df = pd.read_csv(path)
    n = df["Model Size"].to_numpy()
    d = df["Training FLOP"].to_numpy() / (6.0 * n)
    loss = df["loss"].to_numpy()
    limit = np.sort(loss)[::-1][drop - 1]
    keep = loss < limit
    return np.log(n[keep]), np.log(d[keep]), np.log(loss[keep])


def objective(x, log_n, log_d, log_l, weights):
    a, b, e, alpha, beta = x
    pred = logsumexp(np.stack([a - alpha * log_n, b - beta * log_d,
                               np.full_like(log_n, e)]), axis=0)
    r = pred - log_l
    ar = np.abs(r)
    h = np.where(ar <= DELTA, 0.5 * r * r, DELTA * (ar - 0.5 * DELTA))
    return float(np.sum(weights * h))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_csv = os.path.join(here, "..", "..", "..", "shared", "datasets", "chinchilla",
                               "svg_extracted_data.csv")
    p = argparse.ArgumentParser()
    p.add_argument("csv", nargs="?", default=default_csv)
    p.add_argument("--resamples", type=int, default=4000)
    p.add_argument("--starts-limit", type=int, default=0, help="0 = all 4,500 starts")
    p.add_argument("--starts-stride", type=int, default=1,
                   help="time every K-th start only (spread over the grid); the report then "
                        "extrapolates grid_seconds_full = seconds_per_start * 4500")
    p.add_argument("--seed", type=int, default=42)
    args = p.parse_args()

    log_n, log_d, log_l = load(args.csv)
    w = np.ones_like(log_l)
    grid = list(itertools.product(np.arange(0, 30, 5), np.arange(0, 30, 5),
                                  np.arange(-1, 1.5, 0.5), np.arange(0, 2.5, 0.5),
                                  np.arange(0, 2.5, 0.5)))
    full_grid = len(grid)
    grid = grid[::max(1, args.starts_stride)]
    if args.starts_limit:
        grid = grid[:args.starts_limit]

    t0 = time.perf_counter()
    best = None
    for start in grid:
        res = minimize(objective, np.array(start, dtype=float), args=(log_n, log_d, log_l, w),
                       method="L-BFGS-B")
        if best is None or res.fun < best.fun:
            best = res
    grid_seconds = time.perf_counter() - t0

    rng = np.random.default_rng(args.seed)
    n = len(log_l)
    t1 = time.perf_counter()
    samples = []
    for _ in range(args.resamples):
        counts = np.bincount(rng.integers(0, n, n), minlength=n).astype(float)
        res = minimize(objective, best.x, args=(log_n, log_d, log_l, counts), method="L-BFGS-B")
        samples.append(res.x)
    boot_seconds = time.perf_counter() - t1
    s = np.array(samples)
    nat = np.column_stack([np.exp(s[:, 2]), np.exp(s[:, 0]), np.exp(s[:, 1]), s[:, 3], s[:, 4]])
    a, b, e, alpha, beta = best.x
    print(json.dumps({
        "starts": len(grid),
        "grid_seconds": grid_seconds,
        "seconds_per_start": grid_seconds / len(grid),
        "grid_seconds_full": grid_seconds / len(grid) * full_grid,
        "best_objective": best.fun,
        "params": {"E": float(np.exp(e)), "A": float(np.exp(a)), "B": float(np.exp(b)),
                   "alpha": float(alpha), "beta": float(beta)},
        "bootstrap_resamples": args.resamples,
        "bootstrap_seconds": boot_seconds,
        "bootstrap_seconds_4000": boot_seconds / max(1, args.resamples) * 4000,
        "bootstrap_stderr": dict(zip(["E", "A", "B", "alpha", "beta"],
                                     [float(v) for v in nat.std(axis=0, ddof=1)])),
    }))


if __name__ == "__main__":
    main()
