-- Requirement owners, merges that can be undone, group scoring (priority poker).
ALTER TABLE requirements ADD COLUMN owner_id TEXT REFERENCES users(id);
CREATE INDEX requirements_submitter ON requirements(submitted_by);
-- Rank order is (rank_key, id): the index serves pages and neighbour lookups without a sort.
DROP INDEX requirements_rank;
CREATE INDEX requirements_rank ON requirements(backlog_id, rank_key, id);
CREATE INDEX requirements_status ON requirements(backlog_id, status);

-- Events gain kinds (unmerge, owner, poker); SQLite cannot alter a CHECK, so the table is rebuilt.
CREATE TABLE requirement_events_new (
    id              TEXT PRIMARY KEY,
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    actor_id        TEXT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL CHECK (kind IN ('created', 'status', 'score', 'move', 'reset', 'merge', 'unmerge', 'owner')),
    from_value      TEXT,
    to_value        TEXT,
    at              TEXT NOT NULL
);
INSERT INTO requirement_events_new SELECT id, requirement_id, actor_id, kind, from_value, to_value, at FROM requirement_events;
DROP TABLE requirement_events;
ALTER TABLE requirement_events_new RENAME TO requirement_events;
CREATE INDEX requirement_events_req ON requirement_events(requirement_id, at);
CREATE INDEX requirement_events_at ON requirement_events(at);

-- A duplicate merged into the kept requirement: what moved, so that it can be undone.
CREATE TABLE requirement_merges (
    duplicate_id    TEXT PRIMARY KEY REFERENCES requirements(id),
    kept_id         TEXT NOT NULL REFERENCES requirements(id),
    previous_status TEXT NOT NULL,
    moved_votes     TEXT NOT NULL DEFAULT '[]',
    moved_evidence  TEXT NOT NULL DEFAULT '[]',
    kept_status     TEXT NOT NULL,
    actor_id        TEXT NOT NULL REFERENCES users(id),
    at              TEXT NOT NULL
);
CREATE INDEX requirement_merges_kept ON requirement_merges(kept_id);

-- Priority poker: the owner opens a round on chosen requirements and invites people.
CREATE TABLE poker_rounds (
    id          TEXT PRIMARY KEY,
    backlog_id  TEXT NOT NULL REFERENCES backlogs(id),
    owner_id    TEXT NOT NULL REFERENCES users(id),
    title       TEXT NOT NULL,
    closed_at   TEXT,
    created_at  TEXT NOT NULL
);
CREATE INDEX poker_rounds_backlog ON poker_rounds(backlog_id);

CREATE TABLE poker_items (
    round_id        TEXT NOT NULL REFERENCES poker_rounds(id),
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    position        INTEGER NOT NULL,
    accepted_input  TEXT,
    accepted_at     TEXT,
    PRIMARY KEY (round_id, requirement_id)
);

CREATE TABLE poker_participants (
    round_id      TEXT NOT NULL REFERENCES poker_rounds(id),
    user_id       TEXT NOT NULL REFERENCES users(id),
    submitted_at  TEXT,
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX poker_participants_user ON poker_participants(user_id);

CREATE TABLE poker_estimates (
    round_id        TEXT NOT NULL REFERENCES poker_rounds(id),
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    input           TEXT NOT NULL,
    PRIMARY KEY (round_id, requirement_id, user_id)
);

-- The size of each backlog, kept on write so that the list never counts 20,000 rows to page.
ALTER TABLE backlogs ADD COLUMN requirement_count INTEGER NOT NULL DEFAULT 0;
UPDATE backlogs SET requirement_count = (SELECT COUNT(*) FROM requirements r WHERE r.backlog_id = backlogs.id);
CREATE TRIGGER requirements_count_insert AFTER INSERT ON requirements BEGIN
    UPDATE backlogs SET requirement_count = requirement_count + 1 WHERE id = NEW.backlog_id;
END;
CREATE TRIGGER requirements_count_delete AFTER DELETE ON requirements BEGIN
    UPDATE backlogs SET requirement_count = requirement_count - 1 WHERE id = OLD.backlog_id;
END;
