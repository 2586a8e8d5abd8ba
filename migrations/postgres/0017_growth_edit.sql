-- Growth records people can live with for years (issue 17): PostgreSQL twin
-- of migrations/sqlite/0017_growth_edit.sql.
ALTER TABLE competencies ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE competencies ADD COLUMN retired_at TEXT COLLATE "C";
ALTER TABLE levels ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE levels ADD COLUMN retired_at TEXT COLLATE "C";
ALTER TABLE catalog ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE catalog ADD COLUMN retired_at TEXT COLLATE "C";
ALTER TABLE periods ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE mentorships ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE mentorships ADD COLUMN ended_at TEXT COLLATE "C";
ALTER TABLE mentorships ADD COLUMN ended_by TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE;

CREATE TABLE level_changes (
    id             TEXT COLLATE "C" PRIMARY KEY,
    user_id        TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    track_id       TEXT COLLATE "C" NOT NULL REFERENCES tracks(id) DEFERRABLE,
    from_level_id  TEXT COLLATE "C" REFERENCES levels(id) DEFERRABLE,
    to_level_id    TEXT COLLATE "C" NOT NULL REFERENCES levels(id) DEFERRABLE,
    changed_by     TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    changed_at     TEXT COLLATE "C" NOT NULL
);
CREATE INDEX level_changes_user ON level_changes(user_id, changed_at);
