-- Goals and KPIs: a goal tree (company → team → PM), KPIs under goals,
-- check-ins that are never overwritten, and PM role charters.

CREATE TABLE goals (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    level       TEXT NOT NULL CHECK (level IN ('company', 'team', 'pm')),
    owner_id    TEXT REFERENCES users(id),
    parent_id   TEXT REFERENCES goals(id),
    visibility  TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'organisation')),
    weight      REAL NOT NULL DEFAULT 1,
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX goals_parent ON goals(parent_id);

-- A team goal's owning teams (a shared goal has several).
CREATE TABLE goal_teams (
    goal_id  TEXT NOT NULL REFERENCES goals(id) ON DELETE CASCADE,
    team_id  TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (goal_id, team_id)
);

CREATE TABLE kpis (
    id            TEXT PRIMARY KEY,
    code          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    -- The owning PM; NULL when a team owns it.
    owner_id      TEXT REFERENCES users(id),
    -- The owning team, or the owning PM's team.
    team_id       TEXT NOT NULL REFERENCES teams(id),
    unit          TEXT NOT NULL DEFAULT '',
    direction     TEXT NOT NULL CHECK (direction IN ('increase', 'decrease', 'stay_above', 'stay_below')),
    baseline      REAL NOT NULL,
    target        REAL NOT NULL CHECK (target <> baseline),
    start_date    TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    cadence_days  INTEGER NOT NULL DEFAULT 7,
    visibility    TEXT NOT NULL CHECK (visibility IN ('private', 'team', 'organisation')),
    goal_id       TEXT REFERENCES goals(id),
    weight        REAL NOT NULL DEFAULT 1,
    -- Derived from the check-ins in the transaction that adds one: the
    -- effective series (corrections applied) as JSON [[julian day, value]...],
    -- its last value and day.
    series        TEXT NOT NULL DEFAULT '[]',
    current_value REAL,
    last_day      TEXT,
    -- The dashboard card's sparkline (JSON of model::Spark) and the forecast
    -- at the due date, refreshed with the series and when the KPI is edited.
    spark         TEXT NOT NULL DEFAULT '{}',
    forecast      REAL,
    version       INTEGER NOT NULL DEFAULT 1,
    created_by    TEXT NOT NULL REFERENCES users(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX kpis_team ON kpis(team_id, code);
CREATE INDEX kpis_owner ON kpis(owner_id);
CREATE INDEX kpis_goal ON kpis(goal_id);

CREATE TABLE checkins (
    id           TEXT PRIMARY KEY,
    kpi_id       TEXT NOT NULL REFERENCES kpis(id),
    day          TEXT NOT NULL,
    value        REAL NOT NULL,
    confidence   INTEGER NOT NULL CHECK (confidence BETWEEN 0 AND 100),
    note         TEXT NOT NULL DEFAULT '',
    corrects_id  TEXT REFERENCES checkins(id),
    author_id    TEXT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL
);
CREATE INDEX checkins_kpi ON checkins(kpi_id, created_at);

CREATE TABLE charters (
    person_id         TEXT PRIMARY KEY REFERENCES users(id),
    responsibilities  TEXT NOT NULL DEFAULT '',
    decision_rights   TEXT NOT NULL DEFAULT '',
    version           INTEGER NOT NULL DEFAULT 1,
    updated_by        TEXT REFERENCES users(id),
    updated_at        TEXT
);

-- A counter that moves with every change to what a KPI row shows (its own
-- columns, its owner's or team's name), so that a server can keep the rows
-- in memory and know with one small read when they are out of date.
CREATE TABLE change_counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO change_counters (name, value) VALUES ('kpis', 0);
CREATE TRIGGER kpis_changed_insert AFTER INSERT ON kpis BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'kpis';
END;
CREATE TRIGGER kpis_changed_update AFTER UPDATE ON kpis BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'kpis';
END;
CREATE TRIGGER kpis_changed_delete AFTER DELETE ON kpis BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'kpis';
END;
CREATE TRIGGER kpis_changed_team AFTER UPDATE OF name ON teams BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'kpis';
END;
CREATE TRIGGER kpis_changed_person AFTER UPDATE OF display_name, team_id ON users BEGIN
    UPDATE change_counters SET value = value + 1 WHERE name = 'kpis';
END;
