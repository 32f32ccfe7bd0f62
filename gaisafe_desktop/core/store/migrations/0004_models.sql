-- Classifier models (issue 5): every model registered in a project (bundled or brought by a provider
-- or auditor), with its manifest, hashes and the risk codes it covers (B.1.4 coverage), and every
-- classification / refusal run made with one. The model file itself is kept in the evidence store
-- (content-addressed), so a regulator re-runs exactly the model the audit used.
-- Audited: models, model_runs (verdicts rest on them). Bulk, not audited row by row:
-- model_run_results (its digest is model_runs.results_sha256, logged with the run).

CREATE TABLE models (
    id               INTEGER PRIMARY KEY,
    name             TEXT NOT NULL,
    version          TEXT NOT NULL,
    task             TEXT NOT NULL,                 -- risk-multilabel | refusal
    origin           TEXT NOT NULL,                 -- bundled | registered
    manifest         TEXT NOT NULL,                 -- canonical JSON of manifest.json
    manifest_sha256  TEXT NOT NULL,
    model_sha256     TEXT NOT NULL REFERENCES evidence(sha256),
    covered_codes    TEXT NOT NULL,                 -- JSON list of risk codes
    registered_by    TEXT NOT NULL,
    registered_at    TEXT NOT NULL,
    note             TEXT NOT NULL DEFAULT '',
    UNIQUE (name, version)
);

CREATE TABLE model_runs (
    id              INTEGER PRIMARY KEY,
    model_id        INTEGER NOT NULL REFERENCES models(id),
    kind            TEXT NOT NULL,                  -- classify | refusal
    source_name     TEXT NOT NULL,
    source_sha256   TEXT NOT NULL,
    records         INTEGER NOT NULL,
    flagged         INTEGER NOT NULL,               -- risky texts, or refusals
    summary         TEXT NOT NULL,                  -- JSON: counts per code / label
    results_sha256  TEXT NOT NULL,                  -- digest of the model_run_results rows in order
    run_by          TEXT NOT NULL,
    run_at          TEXT NOT NULL
);

CREATE TABLE model_run_results (
    run_id   INTEGER NOT NULL REFERENCES model_runs(id),
    seq      INTEGER NOT NULL,
    record   TEXT NOT NULL,                         -- record key (id column or line number)
    result   TEXT NOT NULL,                         -- JSON verdict
    PRIMARY KEY (run_id, seq)
);

INSERT INTO audited_tables(name, pk) VALUES ('models', 'id'), ('model_runs', 'id');
