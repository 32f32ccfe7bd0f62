-- Verifiable sampling (issue 6): plans are written (with their seed) before the draw; samples after.

CREATE TABLE sampling_plans (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    purpose         TEXT NOT NULL DEFAULT '',   -- assessment id the sample serves, e.g. training_manual
    population      TEXT NOT NULL,              -- JSON: {"datasets": [ids], "where": {field: [values]}}
    population_hash TEXT NOT NULL,              -- digest of the population manifest when planned
    population_size INTEGER NOT NULL,
    rule            TEXT NOT NULL,              -- JSON: {"kind": "count", "n": 4000} | {"kind": "fraction", "fraction": "0.10"}
    strata          TEXT NOT NULL DEFAULT '',   -- '' | dataset | risk_code | aspect
    seed            TEXT NOT NULL,
    seed_source     TEXT NOT NULL,              -- csprng | nonce
    status          TEXT NOT NULL,              -- planned | drawn
    sample_size     INTEGER,
    sample_hash     TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    drawn_at        TEXT
);

-- The drawn sample, in selection order (smallest score first within each stratum, strata by name).
CREATE TABLE samples (
    plan_id    INTEGER NOT NULL REFERENCES sampling_plans(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    dataset_id INTEGER NOT NULL,
    stratum    TEXT NOT NULL DEFAULT '',
    score      TEXT NOT NULL,                  -- hex SHA-256(seed US key)
    PRIMARY KEY (plan_id, position)
);
CREATE INDEX samples_key ON samples(plan_id, record_key);

INSERT INTO audited_tables(name, pk) VALUES ('sampling_plans', 'id');
