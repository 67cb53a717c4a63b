#!/usr/bin/python3
"""Reference timing of the Multi-Power Law fit in numpy/scipy, for bench_curve_fit.cpp ratios.

Our own reimplementation of the official procedure (laws.md G.1; thu-yao-01-luo/MultiPowerLaw
src/fitting.py, src/models.py): Huber (delta = 1e-3) sum of log-residuals over every point of
the fitted curves; stage 1 fits the surrogate L0 + A S1^-alpha - B (peak - lr) with scipy's
L-BFGS-B (bounds >= 0, finite-difference gradient) from each of the 135 grid points; stage 2
runs 200 AdamW steps (torch defaults, step sizes 5e-2 / 5e-3, patience 20) on all seven
parameters with the exact sums of the law (every k <= s, as the official code) and an
analytic gradient. Serial numpy, like the official code on a CPU.

Usage: /usr/bin/python3 tests/bench/scipy_curve_reference.py [MPL_DIR] [--repeat N]
MPL_DIR defaults to ../shared/datasets/mpl (not in the repo). Prints one JSON line with the
best-of-N wall and CPU times in ms (fit of the 400M training set; forecast of 400M cosine_72000 from
its first half plus the three training curves) and the fitted parameters.
"""
import argparse
import itertools
import json
import os
import time

import numpy as np
from scipy.optimize import minimize

DELTA = 1e-3
PEAK, FINAL, WARMUP = 3e-4, 3e-5, 2160


def schedule(name):
    """LR at every step, as lr_schedule.h (the official src/lr_schedules.py formulas)."""
    warm = np.linspace(0, PEAK, WARMUP)
    if name.startswith("constant_"):
        total = int(name.split("_")[1])
        return np.concatenate((warm, np.full(total - WARMUP, PEAK)))
    if name.startswith("cosine_"):
        total = int(name.split("_")[1])
        s = np.arange(total)[WARMUP:]
        return np.concatenate(
            (warm, FINAL + 0.5 * (PEAK - FINAL) * (1 + np.cos(np.pi * (s - WARMUP) / (total - WARMUP)))))
    if name.startswith("wsdcon_"):
        low = int(name.split("_")[1]) * 1e-5
        return np.concatenate((warm, np.full(8000 - WARMUP, PEAK), np.full(8000, low)))
    raise ValueError(name)


def load(mpl_dir, size, name, fraction=1.0, end=None):
    data = np.genfromtxt(os.path.join(mpl_dir, f"csv_{size}", name + ".csv"), delimiter=",",
                         skip_header=1)
    lrs = schedule(name)
    keep = data[:, 0] < len(lrs)
    steps, loss = data[keep, 0].astype(int), data[keep, 2]
    n = int(len(steps) * fraction)
    curve = {"step": steps[:n], "loss": loss[:n], "lrs": lrs, "last": steps[-1]}
    cs = np.cumsum(lrs)
    gap = np.zeros(len(lrs))
    gap[1:] = np.diff(lrs)
    curve.update(cs=cs, gap=gap, loglr=np.log(np.maximum(lrs, 1e-10)))
    return curve


def huber(r):
    a = np.abs(r)
    return np.where(a <= DELTA, 0.5 * r * r, DELTA * (a - 0.5 * DELTA))


def huber_grad(r):
    return np.clip(r, -DELTA, DELTA)


def predict_and_grad(p, c, steps=None, grad=True):
    L0, A, alpha, B, C, beta, gamma = p
    steps = c["step"] if steps is None else steps
    cs, gap, loglr = c["cs"], c["gap"], c["loglr"]
    pred = np.empty(len(steps))
    jac = np.empty((len(steps), 7)) if grad else None
    for i, s in enumerate(steps):
        d = cs[s] - cs[:s]
        e = np.exp(-gamma * loglr[1:s + 1])
        x = 1 + C * e * d
        lx = np.log(x)
        pw = np.exp(-beta * lx)
        g = gap[1:s + 1]
        ld = np.sum(g * (1 - pw))
        s1 = cs[s]
        pred[i] = L0 + A * s1 ** (-alpha) + B * ld
        if grad:
            q = g * beta * pw / x * e * d
            jac[i] = [1.0, s1 ** (-alpha), -A * s1 ** (-alpha) * np.log(s1), ld,
                      B * np.sum(q), B * np.sum(g * pw * lx), B * np.sum(q * C * -loglr[1:s + 1])]
    return pred, jac


def objective_and_grad(p, curves):
    total, grad = 0.0, np.zeros(7)
    for c in curves:
        pred, jac = predict_and_grad(p, c)
        pred = np.maximum(pred, 1e-10)
        r = np.log(c["loss"]) - np.log(pred)
        total += huber(r).sum()
        grad += (huber_grad(r) * -1.0 / pred) @ jac
    return total, grad


def stage1(curves):
    min_loss = min(c["loss"].min() for c in curves)
    lx = np.concatenate([np.log(c["cs"][c["step"]]) for c in curves])
    ly = np.concatenate([np.log(c["loss"] - min_loss + 0.01) for c in curves])
    slope, intercept = np.polyfit(lx, ly, 1)

    def surrogate(q):
        L0, A, alpha, B = q
        total = 0.0
        for c in curves:
            pred = L0 + A * c["cs"][c["step"]] ** (-alpha) - B * (PEAK - c["lrs"][c["step"]])
            total += huber(np.log(c["loss"]) - np.log(np.maximum(pred, 1e-10))).sum()
        return total

    grid = itertools.product(np.linspace(min_loss - 0.2, min_loss + 0.2, 5),
                             np.linspace(np.exp(intercept) - 0.1, np.exp(intercept) + 0.1, 3),
                             np.linspace(-slope - 0.1, -slope + 0.1, 3), np.linspace(100, 1000, 3))
    best = None
    for x0 in grid:
        res = minimize(surrogate, x0, method="L-BFGS-B", bounds=[(0, np.inf)] * 4,
                       options={"maxiter": 100000, "ftol": 1e-9, "gtol": 1e-6, "eps": 1e-8})
        if best is None or res.fun < best.fun:
            best = res
    return best.x


def stage2(curves, x0, steps=200, lr1=5e-2, lr2=5e-3, patience=20, wd=1e-2):
    p = np.array(x0, dtype=float)
    lrs = np.array([lr1, lr1, lr2, lr1, lr1, lr2, lr2])
    m, v = np.zeros(7), np.zeros(7)
    best, best_p, min_loss, no_improve = np.inf, p.copy(), np.inf, 0
    for t in range(steps):
        loss, g = objective_and_grad(p, curves)
        p *= 1 - lrs * wd
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g * g
        p -= lrs / (1 - 0.9 ** (t + 1)) * m / (np.sqrt(v) / np.sqrt(1 - 0.999 ** (t + 1)) + 1e-8)
        if loss < min_loss:
            min_loss, no_improve = loss, 0
        else:
            no_improve += 1
        if t > patience and no_improve >= patience:
            break
        if np.linalg.norm(g) < 1e-5:
            break
        if loss < best:
            best, best_p = loss, p.copy()
    return best_p, best


def fit(curves):
    L0, A, alpha, B = stage1(curves)
    return stage2(curves, [L0, A, alpha, B, 1.0, 0.5, 0.5])


def main():
    ap = argparse.ArgumentParser()
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("mpl_dir", nargs="?",
                    default=os.path.join(here, "..", "..", "..", "shared", "datasets", "mpl"))
    ap.add_argument("--repeat", type=int, default=1)
    a = ap.parse_args()
    train = [load(a.mpl_dir, "400", n) for n in ("cosine_24000", "constant_24000", "wsdcon_9")]
    target = load(a.mpl_dir, "400", "cosine_72000", fraction=0.5)
    fit_ms, forecast_ms, fit_cpu_ms, forecast_cpu_ms = [], [], [], []
    for _ in range(a.repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        params, objective = fit(train)
        fit_ms.append(1000 * (time.perf_counter() - t0))
        fit_cpu_ms.append(1000 * (time.process_time() - c0))
        t0, c0 = time.perf_counter(), time.process_time()
        fparams, _ = fit([target] + train)
        final, _ = predict_and_grad(fparams, target, steps=[target["last"]], grad=False)
        forecast_ms.append(1000 * (time.perf_counter() - t0))
        forecast_cpu_ms.append(1000 * (time.process_time() - c0))
    print(json.dumps({"fit_ms": min(fit_ms), "fit_cpu_ms": min(fit_cpu_ms),
                      "forecast_ms": min(forecast_ms), "forecast_cpu_ms": min(forecast_cpu_ms),
                      "objective": objective, "params": list(params),
                      "forecast_final_loss": float(final[0])}))


if __name__ == "__main__":
    main()
