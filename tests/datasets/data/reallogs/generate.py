#!/usr/bin/env python3
"""Writes the small, realistic (messy) log files of a 5-run GPT sweep used by the real-log
tests: what one training script leaves behind, in the shapes the reallogs issue describes.

  sweep_steps.csv    wide per-step log: run, step, tokens, flops, wall_time_s, lr, train_loss,
                     val_loss (val_loss only at evaluation steps; gpt-s4 stopped at 60% of its
                     schedule, after its last evaluation)
  sweep_summary.csv  one row per run: size (text: s1..s5), params_total, params_non_embedding,
                     budget_flops, batch, peak_lr, final losses, status (finished / stopped)

The TensorBoard log folder of the same sweep is written by the tests with protobuf.
Run: python3 generate.py (deterministic; no dependencies).
"""
import math

RUNS = [  # name, total params, non-embedding params, planned steps, peak lr
    ("gpt-s1", 2.0e6, 1.2e6, 400, 1.2e-3),
    ("gpt-s2", 5.0e6, 3.6e6, 400, 9.0e-4),
    ("gpt-s3", 1.0e7, 8.0e6, 600, 6.0e-4),
    ("gpt-s4", 2.0e7, 1.7e7, 1000, 4.5e-4),
    ("gpt-s5", 4.0e7, 3.6e7, 1000, 3.0e-4),
]
STOPPED = {"gpt-s4": 0.65}  # fraction of the schedule actually trained
BATCH = 64 * 256  # tokens per step
WARMUP = 100


def lr_at(step, total, peak):
    if step < WARMUP:
        return peak * (1 + 16 * step / WARMUP) / 17  # first logged value: peak / 17
    frac = (step - WARMUP) / (total - WARMUP)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))


def loss(n, d):
    return 1.8 + 400.0 / n**0.34 + 60.0 / d**0.28


def g(x):
    return f"{x:.6g}"


with open("sweep_steps.csv", "w") as f:
    f.write("run,step,tokens,flops,wall_time_s,lr,train_loss,val_loss\n")
    for name, n, _, total, peak in RUNS:
        last = int(total * STOPPED.get(name, 1.0))
        for step in range(0, last + 1, 50):
            d = max(step, 1) * BATCH
            val = g(loss(n, d) + 0.05) if step % 200 == 0 and step > 0 else ""
            f.write(",".join([name, str(step), str(step * BATCH), g(6 * n * step * BATCH),
                              g(step * 0.5), g(lr_at(step, total, peak)), g(loss(n, d)), val]))
            f.write("\n")

with open("sweep_summary.csv", "w") as f:
    f.write("name,size,params_total,params_non_embedding,budget_flops,batch,peak_lr,"
            "final_train_loss,final_val_loss,status\n")
    for i, (name, n, ne, total, peak) in enumerate(RUNS):
        last = int(total * STOPPED.get(name, 1.0))
        last_eval = last // 200 * 200
        f.write(",".join([name, f"s{i + 1}", g(n), g(ne), g(6 * n * total * BATCH), str(BATCH),
                          g(peak), g(loss(n, last * BATCH)),
                          g(loss(n, last_eval * BATCH) + 0.05),
                          "stopped" if name in STOPPED else "finished"]))
        f.write("\n")
