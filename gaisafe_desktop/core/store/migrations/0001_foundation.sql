-- Foundation: project metadata, service profile, people, audit log, evidence store.

CREATE TABLE project (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    uuid              TEXT NOT NULL,
    title             TEXT NOT NULL,
    provider          TEXT NOT NULL,
    service           TEXT NOT NULL,
    model_name        TEXT NOT NULL DEFAULT '',
    model_version     TEXT NOT NULL DEFAULT '',
    framework_id      TEXT NOT NULL,
    framework_version TEXT NOT NULL,
    framework_hash    TEXT NOT NULL,
    scope             TEXT NOT NULL DEFAULT '',
    start_date        TEXT,
    end_date          TEXT,
    created_at        TEXT NOT NULL,
    app_version       TEXT NOT NULL
);

-- One row per profile field of the framework; value is JSON.
CREATE TABLE service_profile (
    field TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE people (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    organisation TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    roles        TEXT NOT NULL DEFAULT '[]',   -- JSON list: lead_auditor, auditor, annotator, reviewer, observer
    active       INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL
);

-- Append-only, hash-chained log of every change; written in the same transaction as the change.
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL DEFAULT '',
    entity_id  TEXT NOT NULL DEFAULT '',
    payload    TEXT NOT NULL DEFAULT '{}',
    row_digest TEXT,            -- SHA-256 of the audited row after the change ('' = deleted)
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- Tables whose rows a verdict rests on: every write goes through the audited writer, and the
-- verifier compares each row with the digest of its last audit-log entry.
CREATE TABLE audited_tables (
    name TEXT PRIMARY KEY,
    pk   TEXT NOT NULL          -- comma-separated primary-key columns
);

CREATE TABLE evidence (
    sha256     TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    media_type TEXT NOT NULL,
    size       INTEGER NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    added_by   TEXT NOT NULL,
    added_at   TEXT NOT NULL
);

-- Content-addressed blobs, stored in 1 MiB chunks so large files stream in bounded memory.
CREATE TABLE evidence_chunks (
    sha256 TEXT NOT NULL REFERENCES evidence(sha256) ON DELETE CASCADE,
    idx    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, idx)
);

CREATE TABLE evidence_links (
    sha256      TEXT NOT NULL REFERENCES evidence(sha256) ON DELETE CASCADE,
    target_type TEXT NOT NULL,  -- clause, assessment, dataset, resource …
    target_id   TEXT NOT NULL,
    linked_by   TEXT NOT NULL,
    linked_at   TEXT NOT NULL,
    PRIMARY KEY (sha256, target_type, target_id)
);

INSERT INTO audited_tables(name, pk) VALUES
    ('project', 'id'),
    ('service_profile', 'field'),
    ('people', 'id'),
    ('evidence', 'sha256'),
    ('evidence_links', 'sha256,target_type,target_id');
