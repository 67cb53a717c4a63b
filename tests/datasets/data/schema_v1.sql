-- A project file as ScaleLens schema version 1 wrote it (datasets/src/schema.cpp, kStep1),
-- with a little data, for the migration test.
CREATE TABLE runs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    group_name TEXT NOT NULL DEFAULT '',
    total_params REAL,
    non_embedding_params REAL,
    active_params REAL,
    tokens REAL,
    flops REAL,
    peak_lr REAL,
    batch_tokens REAL,
    seq_len REAL,
    sparsity_schedule TEXT NOT NULL DEFAULT '',
    release_date TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '',
    excluded INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    UNIQUE (group_name, name)
);
CREATE TABLE metric_names (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE metrics (
    run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    metric_id INTEGER NOT NULL REFERENCES metric_names(id),
    step REAL,
    tokens REAL,
    flops REAL,
    wall_time REAL,
    value REAL NOT NULL
);
CREATE UNIQUE INDEX metrics_curve ON metrics (run_id, metric_id, step);
CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    source_path TEXT NOT NULL,
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    format TEXT NOT NULL,
    run_count INTEGER NOT NULL DEFAULT 0,
    metric_row_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX imports_sha256 ON imports (sha256);
CREATE TABLE fits (
    id INTEGER PRIMARY KEY,
    law TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    options_json TEXT NOT NULL,
    result_json TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
INSERT INTO runs (id, name, total_params, tokens) VALUES (1, 'old-run-1', 1e8, 2e9);
INSERT INTO runs (id, name, total_params, tokens) VALUES (2, 'old-run-2', 2e8, 4e9);
INSERT INTO metric_names (id, name) VALUES (1, 'loss');
INSERT INTO metrics (run_id, metric_id, step, value) VALUES (1, 1, 10, 4.0), (1, 1, 20, 3.5);
INSERT INTO imports (source_path, size_bytes, sha256, imported_at, format, run_count,
                     metric_row_count) VALUES ('/old/runs.csv', 120, 'abc', 1700000000, 'long', 2, 2);
INSERT INTO fits (law, options_json, result_json, created_at)
    VALUES ('chinchilla', '{}', '{}', 1700000000);
PRAGMA user_version = 1;
