-- Requirements people can correct and retire (issue 17): PostgreSQL twin of
-- migrations/sqlite/0014_requirement_edit.sql. SQLite rebuilds two tables to
-- change their CHECKs; PostgreSQL swaps the constraints in place.
ALTER TABLE requirements DROP CONSTRAINT requirements_status_check;
ALTER TABLE requirements ADD CONSTRAINT requirements_status_check
    CHECK (status IN ('new', 'under_review', 'planned', 'in_progress', 'done', 'rejected', 'duplicate', 'withdrawn'));
ALTER TABLE requirement_events DROP CONSTRAINT requirement_events_kind_check;
ALTER TABLE requirement_events ADD CONSTRAINT requirement_events_kind_check
    CHECK (kind IN ('created', 'status', 'score', 'move', 'reset', 'merge', 'unmerge', 'owner', 'edit', 'reopen', 'rescore', 'unreset'));

-- The requirements that wait for a score, counted on every backlog page.
CREATE INDEX requirements_unscored ON requirements(backlog_id, status) WHERE score IS NULL;

ALTER TABLE evidence ADD COLUMN edited_at TEXT COLLATE "C";

CREATE TABLE backlog_resets (
    backlog_id  TEXT COLLATE "C" PRIMARY KEY REFERENCES backlogs(id) DEFERRABLE,
    previous    TEXT NOT NULL,
    actor_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    at          TEXT COLLATE "C" NOT NULL
);
