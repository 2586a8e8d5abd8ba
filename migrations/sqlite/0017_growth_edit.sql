-- Growth records people can live with for years (issue 17): competencies,
-- levels and catalog entries can be renamed and retired (a retired one keeps
-- its history and is no longer offered for anything new), periods and
-- catalog entries edited, a mentoring pair ended (kept, with when and by
-- whom), and every change of a person's level is kept as promotion history.
-- Every edited record carries a version. Same end schema as
-- migrations/postgres/0017.
ALTER TABLE competencies ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE competencies ADD COLUMN retired_at TEXT;      -- RFC 3339 UTC; NULL = in use
ALTER TABLE levels ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE levels ADD COLUMN retired_at TEXT;            -- RFC 3339 UTC; NULL = in use
ALTER TABLE catalog ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE catalog ADD COLUMN retired_at TEXT;           -- RFC 3339 UTC; NULL = offered
ALTER TABLE periods ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE mentorships ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE mentorships ADD COLUMN ended_at TEXT;         -- RFC 3339 UTC; NULL while active
ALTER TABLE mentorships ADD COLUMN ended_by TEXT REFERENCES users(id);

-- Promotion history: every change of a person's level, who made it and when
-- (from NULL: the person had no level before).
CREATE TABLE level_changes (
    id             TEXT PRIMARY KEY,
    user_id        TEXT NOT NULL REFERENCES users(id),
    track_id       TEXT NOT NULL REFERENCES tracks(id),
    from_level_id  TEXT REFERENCES levels(id),
    to_level_id    TEXT NOT NULL REFERENCES levels(id),
    changed_by     TEXT NOT NULL REFERENCES users(id),
    changed_at     TEXT NOT NULL
);
CREATE INDEX level_changes_user ON level_changes(user_id, changed_at);
