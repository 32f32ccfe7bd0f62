-- Keyword libraries (issue 4): each import of a library is a version with its hash, release date and
-- counts per risk; the version history is what B.1.1c ("updated at least weekly") is judged from.
-- Audited: keyword_libraries, keyword_versions (a B.1.1 verdict rests on them). Bulk, not audited
-- row by row: keyword_terms (its digest is keyword_versions.sha256, logged with the import).

CREATE TABLE keyword_libraries (
    name        TEXT PRIMARY KEY,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT ''
);

CREATE TABLE keyword_versions (
    id             INTEGER PRIMARY KEY,
    library        TEXT NOT NULL REFERENCES keyword_libraries(name),
    version        INTEGER NOT NULL,               -- 1, 2, … per library
    sha256         TEXT NOT NULL,                  -- digest of the entries (docs/formats/keyword-library.md)
    source_name    TEXT NOT NULL,                  -- file name imported
    source_sha256  TEXT NOT NULL,                  -- SHA-256 of the file as imported
    source_format  TEXT NOT NULL,                  -- csv | tsv | xlsx | txt
    released_on    TEXT NOT NULL,                  -- YYYY-MM-DD: the provider's release date of this version
    imported_by    TEXT NOT NULL,
    imported_at    TEXT NOT NULL,
    entries        INTEGER NOT NULL,               -- rows of the file (terms, rules, allow entries)
    distinct_terms INTEGER NOT NULL,               -- distinct normalised terms and rules (B.1.1a count)
    allow_entries  INTEGER NOT NULL,
    counts         TEXT NOT NULL,                  -- JSON {risk code: distinct normalised terms}
    note           TEXT NOT NULL DEFAULT '',
    UNIQUE (library, version)
);

CREATE TABLE keyword_terms (
    version_id  INTEGER NOT NULL REFERENCES keyword_versions(id),
    seq         INTEGER NOT NULL,                  -- 0-based order in the imported file
    kind        TEXT NOT NULL,                     -- term | allow
    term        TEXT NOT NULL,                     -- as written (may be a rule a&b~c)
    norm        TEXT NOT NULL,                     -- canonical normalised form
    risks       TEXT NOT NULL,                     -- codes joined by '|'
    lang        TEXT NOT NULL DEFAULT '',
    match       TEXT NOT NULL DEFAULT 'default',
    note        TEXT NOT NULL DEFAULT '',
    added       TEXT NOT NULL DEFAULT '',
    line        INTEGER NOT NULL,                  -- line (row) in the imported file
    PRIMARY KEY (version_id, seq)
) WITHOUT ROWID;
CREATE INDEX keyword_terms_norm ON keyword_terms(version_id, norm);

INSERT INTO audited_tables(name, pk) VALUES
    ('keyword_libraries', 'name'),
    ('keyword_versions', 'id');
