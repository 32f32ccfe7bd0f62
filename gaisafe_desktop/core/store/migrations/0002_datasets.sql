-- Datasets and import (issue 3): training-data sources, transcripts, question banks, media folders.
-- Audited: sources, datasets, dataset_files (the manifest). Bulk, not audited row by row:
-- records, record_marks, quarantine, import_state (one audit entry per committed batch instead).

-- A training-data source (standard 5.1, B.2.1) with its provenance metadata.
CREATE TABLE sources (
    name              TEXT PRIMARY KEY,
    origin            TEXT NOT NULL DEFAULT '',   -- domestic | foreign | ''
    source_type       TEXT NOT NULL DEFAULT '',   -- open_source | self_collected | commercial | user_input
    licence_evidence  TEXT NOT NULL DEFAULT '',   -- evidence sha256 of the licence / authorisation
    collection_records TEXT NOT NULL DEFAULT '',
    robots_note       TEXT NOT NULL DEFAULT '',
    personal_info     TEXT NOT NULL DEFAULT 'unknown',  -- yes | no | unknown
    sensitive_personal_info TEXT NOT NULL DEFAULT 'unknown',
    consent_basis     TEXT NOT NULL DEFAULT '',
    note              TEXT NOT NULL DEFAULT '',
    updated_at        TEXT NOT NULL
);

CREATE TABLE datasets (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,
    kind          TEXT NOT NULL,              -- training | transcripts | bank | media
    mode          TEXT NOT NULL,              -- full | register
    status        TEXT NOT NULL,              -- importing | complete
    source        TEXT,                       -- sources.name for training data
    format        TEXT NOT NULL DEFAULT '',
    options       TEXT NOT NULL DEFAULT '{}', -- JSON: mapping, encoding override, limits, bank kind …
    bank_kind     TEXT,                       -- generated | should_refuse | should_not_refuse
    version_date  TEXT,
    records       INTEGER NOT NULL DEFAULT 0,
    quarantined   INTEGER NOT NULL DEFAULT 0,
    duplicates    INTEGER NOT NULL DEFAULT 0,
    empty         INTEGER NOT NULL DEFAULT 0,
    manifest_hash TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    completed_at  TEXT
);
CREATE UNIQUE INDEX datasets_name ON datasets(kind, name);

-- The manifest: one row per file of a dataset.
CREATE TABLE dataset_files (
    dataset_id  INTEGER NOT NULL,
    file_idx    INTEGER NOT NULL,
    path        TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    size        INTEGER NOT NULL,
    format      TEXT NOT NULL,
    encoding    TEXT NOT NULL DEFAULT '',
    media_type  TEXT NOT NULL DEFAULT '',
    records     INTEGER NOT NULL DEFAULT 0,
    quarantined INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dataset_id, file_idx)
);

-- Imported records. id = dataset_id << 40 | seq (seq = 0-based order of taken records in the dataset),
-- so a dataset's records are one contiguous rowid range in file order. The record key is not stored:
-- it is rebuilt from dataset_files.sha256, idx and chash (see docs/formats/record-key.md).
CREATE TABLE records (
    id            INTEGER PRIMARY KEY,
    file_idx      INTEGER NOT NULL,
    idx           INTEGER NOT NULL,   -- record index within its file (data rows, quarantined ones included)
    line          INTEGER NOT NULL,   -- 1-based line / row number in the file
    chash         INTEGER NOT NULL,   -- first 8 bytes of the content SHA-256, signed big-endian
    flags         INTEGER NOT NULL DEFAULT 0,  -- 1 empty, 2 duplicate of an earlier record
    text          TEXT,
    question      TEXT,
    answer        TEXT,
    risk_code     TEXT,
    aspect        TEXT,
    question_id   TEXT,
    bank_id       TEXT,
    modality      TEXT,
    model         TEXT,
    model_version TEXT,
    ts            TEXT,
    media         TEXT,
    meta          TEXT             -- JSON of unmapped columns / the raw transcript record
);

-- Flags of records of register-only datasets (which store no records): by seq.
CREATE TABLE record_marks (
    dataset_id INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    flags      INTEGER NOT NULL,
    PRIMARY KEY (dataset_id, seq)
) WITHOUT ROWID;

CREATE TABLE quarantine (
    id         INTEGER PRIMARY KEY,
    dataset_id INTEGER NOT NULL,
    file_idx   INTEGER NOT NULL,
    path       TEXT NOT NULL,
    line       INTEGER NOT NULL,
    idx        INTEGER,            -- record index within the file, when the row was one
    reason     TEXT NOT NULL,      -- code: bad_json, undecodable, missing_field, oversized, …
    detail     TEXT NOT NULL,
    excerpt    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX quarantine_dataset ON quarantine(dataset_id, file_idx, line);

-- Checkpoint of an unfinished import (deleted when it completes).
CREATE TABLE import_state (
    dataset_id INTEGER PRIMARY KEY,
    state      TEXT NOT NULL,      -- JSON
    updated_at TEXT NOT NULL
);

INSERT INTO audited_tables(name, pk) VALUES
    ('sources', 'name'),
    ('datasets', 'id'),
    ('dataset_files', 'dataset_id,file_idx');
