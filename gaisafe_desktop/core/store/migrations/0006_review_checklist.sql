-- Review workbench and clause checklist (issue 8).
-- Judgements themselves live in `judgements` / `judgement_history` (0008, the assessments read them);
-- these tables add what the workbench needs around them: queues built from a drawn sample, who is
-- assigned what, the state of each item per person and role, and an append-only event log with the
-- reason of every change (undo included). Audited: review_queues, review_state, review_events,
-- checklist. Bulk, logged once per queue with a digest: review_items, review_assignments.

CREATE TABLE review_queues (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    plan_id      INTEGER NOT NULL,            -- sampling_plans.id the items come from
    check_id     TEXT NOT NULL,               -- training_manual | generated_content | refusal_review
    blind_double INTEGER NOT NULL DEFAULT 0,  -- 1: every item annotated by two people, blind
    annotators   TEXT NOT NULL DEFAULT '[]',  -- JSON list of names, in assignment order
    items        INTEGER NOT NULL,
    items_sha256 TEXT NOT NULL,               -- digest of review_items + review_assignments
    library      TEXT NOT NULL DEFAULT '',    -- keyword library used for the highlights
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- One sampled record, with the content shown (snapshot taken when the queue was built, so the
-- next item is one row read whatever the size of the project) and keyword hits at original spans.
CREATE TABLE review_items (
    queue_id   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    dataset_id INTEGER NOT NULL,
    content    TEXT NOT NULL,                 -- JSON: kind, text, question, answer, media, modality, meta
    hits       TEXT NOT NULL DEFAULT '{}',    -- JSON: {field: [[start, end, term, [risks]], ...]}
    scores     TEXT NOT NULL DEFAULT '{}',    -- JSON: classifier scores, hidden by default
    PRIMARY KEY (queue_id, position)
) WITHOUT ROWID;
CREATE INDEX review_items_key ON review_items(queue_id, record_key);

CREATE TABLE review_assignments (
    queue_id  INTEGER NOT NULL,
    person    TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (queue_id, person, position)
) WITHOUT ROWID;
CREATE INDEX review_assignments_pos ON review_assignments(queue_id, position);

-- Where each person stands on each item in each role: judged or skipped (no row: still to do).
CREATE TABLE review_state (
    queue_id  INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    person    TEXT NOT NULL,
    role      TEXT NOT NULL,                  -- annotator | reviewer | adjudicator
    state     TEXT NOT NULL,                  -- judged | skipped
    qualified INTEGER,                        -- the decision when judged (1 qualified / refused, 0 not)
    risk_codes TEXT NOT NULL DEFAULT '[]',    -- JSON list, when judged
    event_id  INTEGER NOT NULL,
    PRIMARY KEY (queue_id, position, person, role)
);
CREATE INDEX review_state_person ON review_state(queue_id, person, role, position);

-- Every action of the workbench: who, when, item, old value, new value, why. Append-only.
CREATE TABLE review_events (
    id         INTEGER PRIMARY KEY,
    queue_id   INTEGER NOT NULL,
    position   INTEGER NOT NULL,
    record_key TEXT NOT NULL,
    person     TEXT NOT NULL,
    role       TEXT NOT NULL,
    kind       TEXT NOT NULL,                 -- judge | skip | note | undo
    old_value  TEXT,                          -- JSON of {state, judgement} before, or NULL
    new_value  TEXT,                          -- JSON of {state, judgement} after, or NULL
    why        TEXT NOT NULL DEFAULT '',
    undoes     INTEGER,                       -- review_events.id an undo reverts
    at         TEXT NOT NULL
);
CREATE INDEX review_events_person ON review_events(queue_id, person, role, id);
CREATE TRIGGER review_events_no_update BEFORE UPDATE ON review_events
BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;
CREATE TRIGGER review_events_no_delete BEFORE DELETE ON review_events
BEGIN SELECT RAISE(ABORT, 'review_events is append-only'); END;

-- The clause checklist: one row per clause the auditor has touched (no row: not assessed).
CREATE TABLE checklist (
    clause_id       TEXT PRIMARY KEY,
    result          TEXT NOT NULL DEFAULT 'not_assessed',  -- conform | partial | nonconform | not_applicable | not_assessed
    observations    TEXT NOT NULL DEFAULT '',
    applies_override TEXT NOT NULL DEFAULT '',             -- '' | applies | not_applicable
    override_reason TEXT NOT NULL DEFAULT '',
    assessed_by     TEXT NOT NULL,
    assessed_at     TEXT NOT NULL
);

INSERT INTO audited_tables(name, pk) VALUES
    ('review_queues', 'id'),
    ('review_state', 'queue_id,position,person,role'),
    ('review_events', 'id'),
    ('checklist', 'clause_id');
