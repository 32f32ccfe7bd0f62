-- Assessment results and human judgements (issue 6).
-- Audited: judgements, judgement_history, assessment_results (a verdict rests on each row).
-- Bulk, not audited row by row: assessment_items (failing / judged items of one result); their
-- digest is assessment_results.items_sha256, which the audited result row carries.

-- One human decision on one record. The import (`gaisafe judgements import`) writes role
-- 'annotator' rows (with the reviewer who confirmed them); the review workbench writes the same
-- table, one row per (record, role, judge). The effective decision for a record is the one of the
-- highest role (adjudicator > reviewer > annotator), latest first.
CREATE TABLE judgements (
    id          INTEGER PRIMARY KEY,
    record_key  TEXT NOT NULL,
    dataset_id  INTEGER,
    role        TEXT NOT NULL,              -- annotator | reviewer | adjudicator
    judge       TEXT NOT NULL,              -- who decided
    qualified   INTEGER NOT NULL,           -- 1 qualified, 0 not qualified
    risk_codes  TEXT NOT NULL DEFAULT '[]', -- JSON list of Appendix A codes found
    reviewer    TEXT NOT NULL DEFAULT '',   -- who reviewed/confirmed it ('' = not reviewed)
    judged_at   TEXT NOT NULL,              -- when the judge decided (from the file, or now)
    origin      TEXT NOT NULL,              -- import:<file sha256> | workbench
    note        TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    UNIQUE (record_key, role, judge)
);
CREATE INDEX judgements_key ON judgements(record_key);

-- Every change of a judgement: old and new value, who and when (append-only).
CREATE TABLE judgement_history (
    id           INTEGER PRIMARY KEY,
    judgement_id INTEGER NOT NULL,
    record_key   TEXT NOT NULL,
    old_value    TEXT,                      -- JSON of {qualified, risk_codes, reviewer, note} or NULL
    new_value    TEXT NOT NULL,
    changed_by   TEXT NOT NULL,
    changed_at   TEXT NOT NULL,
    origin       TEXT NOT NULL
);
CREATE INDEX judgement_history_j ON judgement_history(judgement_id);
CREATE TRIGGER judgement_history_no_update BEFORE UPDATE ON judgement_history
BEGIN SELECT RAISE(ABORT, 'judgement_history is append-only'); END;
CREATE TRIGGER judgement_history_no_delete BEFORE DELETE ON judgement_history
BEGIN SELECT RAISE(ABORT, 'judgement_history is append-only'); END;

-- One stored verdict of one check. Every run adds rows; the latest per check_id is current.
CREATE TABLE assessment_results (
    id            INTEGER PRIMARY KEY,
    run_id        TEXT NOT NULL,            -- groups the rows written by one run
    check_id      TEXT NOT NULL,            -- e.g. training_manual, generated_content.keyword, source_rule:src-a
    assessment    TEXT NOT NULL,            -- framework assessment id
    clauses       TEXT NOT NULL,            -- JSON list of clause refs
    kind          TEXT NOT NULL,            -- rate | resource
    inputs        TEXT NOT NULL,            -- JSON: datasets + hashes, plans + seeds, library/model ids + hashes
    inputs_sha256 TEXT NOT NULL,
    n             INTEGER,
    count         INTEGER,                  -- successes (qualified / refused / illegal items)
    rate          REAL,
    threshold     REAL,
    direction     TEXT,                     -- min | max
    min_n         INTEGER,
    ci_low        REAL,
    ci_high       REAL,
    wilson_low    REAL,
    wilson_high   REAL,
    interval_note TEXT,
    verdict       TEXT NOT NULL,            -- pass | fail | insufficient_sample | not_run
    detail        TEXT NOT NULL DEFAULT '{}',  -- JSON: breakdowns, what is missing, notes
    items         INTEGER NOT NULL DEFAULT 0,
    items_sha256  TEXT NOT NULL DEFAULT '',
    run_by        TEXT NOT NULL,
    run_at        TEXT NOT NULL
);
CREATE INDEX assessment_results_check ON assessment_results(check_id, id);

CREATE TABLE assessment_items (
    result_id  INTEGER NOT NULL REFERENCES assessment_results(id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    outcome    TEXT NOT NULL,               -- unqualified | refused | not_refused | disagreement | not_judged | …
    reason     TEXT NOT NULL,               -- JSON: keyword hits, classifier codes, judgement, refusal channels
    PRIMARY KEY (result_id, seq)
) WITHOUT ROWID;

INSERT INTO audited_tables(name, pk) VALUES
    ('judgements', 'id'),
    ('judgement_history', 'id'),
    ('assessment_results', 'id');
