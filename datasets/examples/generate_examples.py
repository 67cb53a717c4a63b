#!/usr/bin/env python3
"""Regenerates the synthetic example data in this folder (stdlib only, deterministic).

    python3 datasets/examples/generate_examples.py [output-folder]

Writes chinchilla_summary.csv, chinchilla_curves.csv, lr_batch_sweep.csv, sparse_runs.csv and
knowledge_runs.csv.
base_models.csv is not generated: it is a cited copy of shared/datasets/model-zoo (see README.md).
Every number here is synthetic: drawn from published laws plus seeded noise.
"""
import json
import math
import os
import random
import sys

SEED = 20240418  # fixed: the committed files are exactly what this script writes

# Besiroglu et al. 2024 ("Chinchilla Scaling: A replication attempt"), Eq. 2 fit:
# L(N, D) = E + A / N^alpha + B / D^beta
E, A, B, ALPHA, BETA = 1.8172, 482.01, 2085.43, 0.3478, 0.3658

BUDGETS = [6e18, 1e19, 3e19, 6e19, 1e20, 3e20, 6e20, 1e21, 3e21]
N_MIN, N_MAX = 44e6, 16e9
SEQ_LEN = 2048


def law(n, d):
    return E + A / n**ALPHA + B / d**BETA


def n_opt(c):
    # Minimise L(N, C/6N) over log N by golden-section search (unimodal in log N).
    lo, hi = math.log(1e6), math.log(1e13)
    g = (math.sqrt(5) - 1) / 2
    f = lambda x: law(math.exp(x), c / (6 * math.exp(x)))
    a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    for _ in range(200):
        if f(a) < f(b):
            hi = b
        else:
            lo = a
        a, b = hi - g * (hi - lo), lo + g * (hi - lo)
    return math.exp((lo + hi) / 2)


def fmt(x):
    return "%.6g" % x


def size_name(n):
    return "%dM" % round(n / 1e6) if n < 1e9 else "%.3gB" % (n / 1e9)


def chinchilla(rng, out):
    """IsoFLOP grid like Hoffmann et al. 2022 Fig. 3: several sizes per budget around N_opt."""
    summary = ["run,params,tokens,flops,loss"]
    curves = ["run,step,tokens,flops,metric,value"]
    batch_tokens = 2**19  # 0.5M-token batches
    for c in BUDGETS:
        center = math.log(n_opt(c))
        for k in range(-4, 5):  # nine sizes, factor 10^(1/4) apart, around the optimum
            n = math.exp(center + k * math.log(10) / 4)
            if not N_MIN <= n <= N_MAX:
                continue
            n = float("%.3g" % n)
            d = c / (6 * n)
            if d < 1e8:
                continue
            noise = math.exp(rng.gauss(0.0, 0.015))  # ~1.5% multiplicative log-normal
            final = law(n, d) * noise
            name = "isoflop-%.0e-%s" % (c, size_name(n))
            summary.append(",".join([name, fmt(n), fmt(d), fmt(c), "%.5f" % final]))
            # Training curve: the law along the run's own tokens, scaled to end at the final
            # loss, with a warm-up bump at the start and small per-point noise.
            points = 60
            for i in range(1, points + 1):
                t = d * 10 ** (-2.5 + 2.5 * i / points)  # log-spaced, 0.3% .. 100% of D
                t = max(t, batch_tokens)
                warm = 1.0 + 0.3 * math.exp(-t / (0.005 * d))
                # Capped near ln(vocabulary size), the loss of a uniform prediction.
                v = min(law(n, t) * (final / law(n, d)) * warm, 10.8)
                if i < points:
                    v *= math.exp(rng.gauss(0.0, 0.003))
                else:
                    v = final
                step = round(t / batch_tokens)
                curves.append(",".join([name, str(step), fmt(t), fmt(6 * n * t), "loss",
                                        "%.5f" % v]))
    write(out, "chinchilla_summary.csv", summary)
    write(out, "chinchilla_curves.csv", curves)


# Li et al. 2025 (Step Law), Eq. 1-2: eta_opt = 1.79 N^-0.713 D^0.307, B_opt = 0.58 D^0.571
# (B in tokens).
def lr_opt(n, d):
    return 1.79 * n**-0.713 * d**0.307


def bs_opt(d):
    return 0.58 * d**0.571


BS_GRID_SEQ = [16, 24, 32, 64, 96, 128, 192, 256, 352, 512, 736, 1024, 2048]  # Step Law grid


def lr_batch(rng, out):
    rows = ["run,params,tokens,lr,batch_tokens,seq_len,loss"]
    # Six (N, D) groups with N and D varied independently (two token budgets per size), so the
    # Step Law regression log lr ~ log N + log D is identifiable from the example alone.
    groups = [(214e6, 8e9), (214e6, 20e9), (429e6, 20e9), (429e6, 50e9), (1.07e9, 50e9),
              (1.07e9, 100e9)]
    for n, d in groups:
        eta, b_opt = lr_opt(n, d), bs_opt(d)
        floor = law(n, d)
        for k in range(-6, 7):  # lr grid in sqrt(2) steps around the optimum
            lr = eta * 2 ** (k / 2)
            for seqs in BS_GRID_SEQ:
                bt = seqs * SEQ_LEN
                if abs(math.log(bt / b_opt)) > math.log(8):
                    continue
                x, y = math.log(lr / eta), math.log(bt / b_opt)
                # Bowl in (log lr, log bs): quadratic with a mild tilt, as in Step Law Fig. 3.
                bowl = 0.030 * x * x + 0.012 * y * y + 0.008 * x * y
                # 0.1% noise: Step Law's smoothed final losses are about this repeatable, and
                # the 0.25% near-optimum filter needs noise well below its width.
                loss = (floor + bowl) * math.exp(rng.gauss(0.0, 0.001))
                name = "N%s-D%.0fB-lr%.3e-bs%d" % (size_name(n), d / 1e9, lr, seqs)
                rows.append(",".join([name, fmt(n), fmt(d), "%.4e" % lr, str(bt), str(SEQ_LEN),
                                      "%.5f" % loss]))
    write(out, "lr_batch_sweep.csv", rows)


def sparse(rng, out):
    """Dense and pruned runs (Jin et al. 2025, "The Journey Matters"): global magnitude pruning
    on a geometric schedule from 25% to 75% of training. N_avg is the step average of the
    parameter count; over the pruning window the density (1-s)^x averages s / -ln(1-s)."""
    rows = ["run,params,tokens,sparsity_schedule,final_sparsity,avg_params,loss"]
    for n in [162e6, 400e6, 1e9]:
        for tpp in [20, 40]:  # tokens per (dense) parameter
            d = tpp * n
            for s in [0.0, 0.2, 0.4, 0.6, 0.8]:
                if s == 0.0:
                    density, schedule = 1.0, ""
                else:
                    # The schedule's 25% / 75% are fractions of training *compute*, counted
                    # with the current non-zero parameter count (run.h, laws.md section C), so
                    # in steps pruning starts before 25%. With w = s / -ln(1-s), the mean
                    # density over the geometric window, the step-average density T solves
                    # a = T/4, a + (b-a) w = 3T/4, (1-b)(1-s) = T/4:
                    window = s / -math.log(1 - s)
                    density = 1.0 / (0.25 / (1 - s) + 0.25 + 0.5 / window)
                    schedule = json.dumps({"kind": "geometric", "prune_start": 0.25,
                                           "prune_end": 0.75, "final_sparsity": s},
                                          separators=(",", ":"))
                n_avg = n * density
                loss = law(n_avg, d) * math.exp(rng.gauss(0.0, 0.01))
                name = "%s-%dx-s%02d" % (size_name(n), tpp, round(100 * s))
                sched = '"' + schedule.replace('"', '""') + '"' if schedule else ""
                rows.append(",".join([name, fmt(n), fmt(d), sched, "%.2f" % s, fmt(n_avg),
                                      "%.5f" % loss]))
    write(out, "sparse_runs.csv", rows)


def knowledge(rng, out):
    """Knowledge-capacity runs (Allen-Zhu & Li 2024, Physics of LMs 3.3): GPT-2-style models of
    P parameters trained on bioS(N = 1M people) for 1000 exposures. Every model is smaller than
    the data set needs (2P < 5.49e7 bits, the most bioS(1M) holds), so it stores about 2 bits
    per parameter, the paper's Result 1."""
    rows = ["run,params,people,exposures,knowledge_bits"]
    max_bits = 1e6 * (math.log2(1.6e8 / 1e6) + math.log2(2.1208e14))  # laws.md section D
    for k in range(10):
        p = 1e6 * 20 ** (k / 9)  # 1M to 20M parameters, log-spaced
        bits = min(2.0 * p * math.exp(rng.gauss(0.0, 0.04)), max_bits)
        rows.append(",".join(["gpt2-bioS1M-%.3gM" % (p / 1e6), fmt(p), "1000000", "1000",
                              fmt(bits)]))
    write(out, "knowledge_runs.csv", rows)


def write(out, name, lines):
    with open(os.path.join(out, name), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(SEED)
    chinchilla(rng, out)
    lr_batch(rng, out)
    sparse(rng, out)
    knowledge(rng, out)


if __name__ == "__main__":
    main()
