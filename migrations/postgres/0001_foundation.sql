-- Foundation: organisation, teams, people, sign-in throttling.
-- PostgreSQL twin of migrations/sqlite/0001_foundation.sql: same tables,
-- columns and index names. INTEGER -> BIGINT (sqlx Any reads i64 on both),
-- every TEXT column COLLATE "C" (byte order, like SQLite's BINARY).
-- Every foreign key is DEFERRABLE (checked at once, as on SQLite, unless a
-- transaction defers it): `keel copy-to` and `keel restore` copy whole tables
-- whose rows point at each other (teams <-> users) and check at the commit.

CREATE TABLE organisation (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    time_zone   TEXT COLLATE "C" NOT NULL DEFAULT 'Asia/Shanghai',
    currency    TEXT COLLATE "C" NOT NULL DEFAULT 'CNY',
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
);

-- teams.leader_id references users, which does not exist yet: SQLite allows
-- the forward reference, PostgreSQL gets the constraint after users below.
CREATE TABLE teams (
    id          TEXT COLLATE "C" PRIMARY KEY,
    name        TEXT COLLATE "C" NOT NULL,
    parent_id   TEXT COLLATE "C" REFERENCES teams(id) DEFERRABLE,
    leader_id   TEXT COLLATE "C",
    version     BIGINT NOT NULL DEFAULT 1,
    created_at  TEXT COLLATE "C" NOT NULL,
    updated_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE users (
    id             TEXT COLLATE "C" PRIMARY KEY,
    email          TEXT COLLATE "C" NOT NULL UNIQUE,
    display_name   TEXT COLLATE "C" NOT NULL,
    password_hash  TEXT COLLATE "C" NOT NULL,
    role           TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'leader', 'pm', 'member')),
    team_id        TEXT COLLATE "C" REFERENCES teams(id) DEFERRABLE,
    language       TEXT COLLATE "C" NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'zh')),
    active         BIGINT NOT NULL DEFAULT 1,
    version        BIGINT NOT NULL DEFAULT 1,
    created_at     TEXT COLLATE "C" NOT NULL,
    updated_at     TEXT COLLATE "C" NOT NULL
);

ALTER TABLE teams ADD CONSTRAINT teams_leader_id_fkey FOREIGN KEY (leader_id) REFERENCES users(id) DEFERRABLE;

CREATE INDEX users_team ON users(team_id);
CREATE INDEX teams_parent ON teams(parent_id);
CREATE INDEX teams_leader ON teams(leader_id);

-- Failed sign-ins per account (also for unknown emails, so that the lockout
-- does not reveal which accounts exist).
CREATE TABLE login_failures (
    email      TEXT COLLATE "C" NOT NULL,
    failed_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX login_failures_email ON login_failures(email, failed_at);
