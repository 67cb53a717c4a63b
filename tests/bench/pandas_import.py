#!/usr/bin/env python3
"""Reference for bench_import: pandas read_csv + DataFrame.to_sql into a new SQLite file.

    python3 tests/bench/pandas_import.py /tmp/scalelens_bench_1m.csv

Prints one line: rows, seconds, rows/s. Uses Debian's python3-pandas (stdlib sqlite3).
"""
import os
import sqlite3
import sys
import tempfile
import time

import pandas as pd


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "scalelens_bench_1m.csv")
    best = None
    for _ in range(3):
        with tempfile.TemporaryDirectory() as tmp:
            db = os.path.join(tmp, "pandas.sqlite")
            start = time.perf_counter()
            frame = pd.read_csv(path)
            con = sqlite3.connect(db)
            con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = NORMAL")
            frame.to_sql("metrics", con, index=False)
            con.commit()
            con.close()
            elapsed = time.perf_counter() - start
            best = elapsed if best is None else min(best, elapsed)
    rows = len(frame)
    print("pandas read_csv+to_sql: %d rows, best of 3 %.3f s, %.0f rows/s"
          % (rows, best, rows / best))


if __name__ == "__main__":
    main()
