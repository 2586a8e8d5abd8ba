-- Foundation: organisation, teams, people, sign-in throttling.
-- Ids are UUID text and instants are RFC 3339 UTC text, so that a PostgreSQL
-- schema can follow with the same statements.

CREATE TABLE organisation (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    currency    TEXT NOT NULL DEFAULT 'CNY',
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE teams (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_id   TEXT REFERENCES teams(id),
    leader_id   TEXT REFERENCES users(id),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'pm', 'member')),
    team_id        TEXT REFERENCES teams(id),
    language       TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
    active         INTEGER NOT NULL DEFAULT 1,
    version        INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);

CREATE INDEX users_team ON users(team_id);
CREATE INDEX teams_parent ON teams(parent_id);
CREATE INDEX teams_leader ON teams(leader_id);

-- Failed sign-ins per account (also for unknown emails, so that the lockout
-- does not reveal which accounts exist).
CREATE TABLE login_failures (
    email      TEXT NOT NULL,
    failed_at  TEXT NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);
