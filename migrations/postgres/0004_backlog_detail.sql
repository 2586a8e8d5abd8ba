-- Requirement owners, merges that can be undone, group scoring (priority poker).
-- PostgreSQL twin of migrations/sqlite/0004_backlog_detail.sql.
ALTER TABLE requirements ADD COLUMN owner_id TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE;
CREATE INDEX requirements_submitter ON requirements(submitted_by);
-- Rank order is (rank_key, id): the index serves pages and neighbour lookups without a sort.
DROP INDEX requirements_rank;
CREATE INDEX requirements_rank ON requirements(backlog_id, rank_key, id);
CREATE INDEX requirements_status ON requirements(backlog_id, status);

-- Events gain kinds (unmerge, owner). SQLite rebuilds the table
-- (requirement_events_new, copy, drop, rename) because it cannot alter a
-- CHECK; PostgreSQL swaps the constraint in place. Same end schema: same
-- columns and order, requirement_events_req kept, requirement_events_at added.
ALTER TABLE requirement_events DROP CONSTRAINT requirement_events_kind_check;
ALTER TABLE requirement_events ADD CONSTRAINT requirement_events_kind_check
    CHECK (kind IN ('created', 'status', 'score', 'move', 'reset', 'merge', 'unmerge', 'owner'));
CREATE INDEX requirement_events_at ON requirement_events(at);

-- A duplicate merged into the kept requirement: what moved, so that it can be undone.
CREATE TABLE requirement_merges (
    duplicate_id    TEXT COLLATE "C" PRIMARY KEY REFERENCES requirements(id) DEFERRABLE,
    kept_id         TEXT COLLATE "C" NOT NULL REFERENCES requirements(id) DEFERRABLE,
    previous_status TEXT COLLATE "C" NOT NULL,
    moved_votes     TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    moved_evidence  TEXT COLLATE "C" NOT NULL DEFAULT '[]',
    kept_status     TEXT COLLATE "C" NOT NULL,
    actor_id        TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    at              TEXT COLLATE "C" NOT NULL
);
CREATE INDEX requirement_merges_kept ON requirement_merges(kept_id);

-- Priority poker: the owner opens a round on chosen requirements and invites people.
CREATE TABLE poker_rounds (
    id          TEXT COLLATE "C" PRIMARY KEY,
    backlog_id  TEXT COLLATE "C" NOT NULL REFERENCES backlogs(id) DEFERRABLE,
    owner_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    title       TEXT COLLATE "C" NOT NULL,
    closed_at   TEXT COLLATE "C",
    created_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX poker_rounds_backlog ON poker_rounds(backlog_id);

CREATE TABLE poker_items (
    round_id        TEXT COLLATE "C" NOT NULL REFERENCES poker_rounds(id) DEFERRABLE,
    requirement_id  TEXT COLLATE "C" NOT NULL REFERENCES requirements(id) DEFERRABLE,
    position        BIGINT NOT NULL,
    accepted_input  TEXT COLLATE "C",
    accepted_at     TEXT COLLATE "C",
    PRIMARY KEY (round_id, requirement_id)
);

CREATE TABLE poker_participants (
    round_id      TEXT COLLATE "C" NOT NULL REFERENCES poker_rounds(id) DEFERRABLE,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    submitted_at  TEXT COLLATE "C",
    PRIMARY KEY (round_id, user_id)
);
CREATE INDEX poker_participants_user ON poker_participants(user_id);

CREATE TABLE poker_estimates (
    round_id        TEXT COLLATE "C" NOT NULL REFERENCES poker_rounds(id) DEFERRABLE,
    requirement_id  TEXT COLLATE "C" NOT NULL REFERENCES requirements(id) DEFERRABLE,
    user_id         TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    input           TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (round_id, requirement_id, user_id)
);

-- The size of each backlog, kept on write so that the list never counts 20,000 rows to page.
ALTER TABLE backlogs ADD COLUMN requirement_count BIGINT NOT NULL DEFAULT 0;
UPDATE backlogs SET requirement_count = (SELECT COUNT(*) FROM requirements r WHERE r.backlog_id = backlogs.id);

-- SQLite triggers are always FOR EACH ROW; so are these.
CREATE FUNCTION requirements_count_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE backlogs SET requirement_count = requirement_count + 1 WHERE id = NEW.backlog_id;
    RETURN NULL;
END;
$$;
CREATE FUNCTION requirements_count_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE backlogs SET requirement_count = requirement_count - 1 WHERE id = OLD.backlog_id;
    RETURN NULL;
END;
$$;
CREATE TRIGGER requirements_count_insert AFTER INSERT ON requirements
    FOR EACH ROW EXECUTE FUNCTION requirements_count_insert();
CREATE TRIGGER requirements_count_delete AFTER DELETE ON requirements
    FOR EACH ROW EXECUTE FUNCTION requirements_count_delete();
