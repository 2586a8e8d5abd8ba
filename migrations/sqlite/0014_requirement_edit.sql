-- Requirements people can correct and retire (issue 17): a submitter can
-- withdraw a requirement (state `withdrawn`), done work can be reopened,
-- fields are edited with history, a backlog's framework can change, evidence
-- can be edited, and "reset to score order" can be undone until the next move.
--
-- SQLite cannot alter a CHECK, so `requirements` and `requirement_events`
-- are rebuilt (new table, copy, drop, rename). Other tables reference
-- `requirements`, and with foreign keys on, dropping it would delete-check
-- every child row; SQLite's migrations therefore run with foreign keys off
-- (`server::db::migrate`), which checks every reference after. The copy
-- keeps every id, so every reference resolves again once the new table has
-- the old name. Same end schema as migrations/postgres/0014.
CREATE TABLE requirements_new (
    id                 TEXT PRIMARY KEY,
    backlog_id         TEXT NOT NULL REFERENCES backlogs(id),
    title              TEXT NOT NULL,
    description        TEXT NOT NULL DEFAULT '',
    source             TEXT NOT NULL CHECK (source IN ('customer', 'sales', 'support', 'market_research', 'user_research', 'internal_idea', 'leadership')),
    requester          TEXT NOT NULL DEFAULT '',
    customer           TEXT NOT NULL DEFAULT '',
    segment            TEXT NOT NULL DEFAULT '',
    links              TEXT NOT NULL DEFAULT '[]',
    submitted_by       TEXT NOT NULL REFERENCES users(id),
    status             TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'under_review', 'planned', 'in_progress', 'done', 'rejected', 'duplicate', 'withdrawn')),
    reject_reason      TEXT,
    duplicate_of       TEXT REFERENCES requirements(id),
    score_input        TEXT,
    score              REAL,
    -- Fractional ordering key (see backlog::rank); compared bytewise.
    rank_key           TEXT NOT NULL,
    -- Set by a manual move; cleared by "reset to score order".
    pinned             INTEGER NOT NULL DEFAULT 0,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    status_changed_at  TEXT NOT NULL,
    owner_id           TEXT REFERENCES users(id)
);
INSERT INTO requirements_new (id, backlog_id, title, description, source, requester, customer, segment, links,
        submitted_by, status, reject_reason, duplicate_of, score_input, score, rank_key, pinned, version,
        created_at, updated_at, status_changed_at, owner_id)
    SELECT id, backlog_id, title, description, source, requester, customer, segment, links,
        submitted_by, status, reject_reason, duplicate_of, score_input, score, rank_key, pinned, version,
        created_at, updated_at, status_changed_at, owner_id
    FROM requirements ORDER BY rowid;
DROP TABLE requirements;
ALTER TABLE requirements_new RENAME TO requirements;
CREATE INDEX requirements_submitter ON requirements(submitted_by);
CREATE INDEX requirements_rank ON requirements(backlog_id, rank_key, id);
CREATE INDEX requirements_status ON requirements(backlog_id, status);
-- The requirements that wait for a score, counted on every backlog page.
CREATE INDEX requirements_unscored ON requirements(backlog_id, status) WHERE score IS NULL;
CREATE TRIGGER requirements_count_insert AFTER INSERT ON requirements BEGIN
    UPDATE backlogs SET requirement_count = requirement_count + 1 WHERE id = NEW.backlog_id;
END;
CREATE TRIGGER requirements_count_delete AFTER DELETE ON requirements BEGIN
    UPDATE backlogs SET requirement_count = requirement_count - 1 WHERE id = OLD.backlog_id;
END;

-- New history kinds: edit (fields, old and new values as JSON), reopen
-- (done → in progress, with the reason), rescore (the backlog's framework
-- changed; the old inputs are kept here) and unreset (a reset undone).
CREATE TABLE requirement_events_new (
    id              TEXT PRIMARY KEY,
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    actor_id        TEXT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL CHECK (kind IN ('created', 'status', 'score', 'move', 'reset', 'merge', 'unmerge', 'owner', 'edit', 'reopen', 'rescore', 'unreset')),
    from_value      TEXT,
    to_value        TEXT,
    at              TEXT NOT NULL
);
INSERT INTO requirement_events_new (id, requirement_id, actor_id, kind, from_value, to_value, at)
    SELECT id, requirement_id, actor_id, kind, from_value, to_value, at FROM requirement_events ORDER BY rowid;
DROP TABLE requirement_events;
ALTER TABLE requirement_events_new RENAME TO requirement_events;
CREATE INDEX requirement_events_req ON requirement_events(requirement_id, at);
CREATE INDEX requirement_events_at ON requirement_events(at);

-- Evidence its author corrected: when (NULL = never edited).
ALTER TABLE evidence ADD COLUMN edited_at TEXT;

-- The order before the last "reset to score order" of a backlog, so that it
-- can be undone until the next manual move: JSON [[id, rank_key, pinned], ...].
CREATE TABLE backlog_resets (
    backlog_id  TEXT PRIMARY KEY REFERENCES backlogs(id),
    previous    TEXT NOT NULL,
    actor_id    TEXT NOT NULL REFERENCES users(id),
    at          TEXT NOT NULL
);
