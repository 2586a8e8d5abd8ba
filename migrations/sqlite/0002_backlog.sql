-- Requirements and backlog ranking.
CREATE TABLE backlogs (
    id          TEXT PRIMARY KEY,
    team_id     TEXT NOT NULL REFERENCES teams(id),
    owner_id    TEXT NOT NULL REFERENCES users(id),
    name        TEXT NOT NULL,
    framework   TEXT NOT NULL CHECK (framework IN ('rice', 'wsjf', 'ice', 'value_effort', 'moscow')),
    version     INTEGER NOT NULL DEFAULT 1,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX backlogs_team ON backlogs(team_id);

CREATE TABLE requirements (
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
    status             TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'under_review', 'planned', 'in_progress', 'done', 'rejected', 'duplicate')),
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
    status_changed_at  TEXT NOT NULL
);
CREATE INDEX requirements_rank ON requirements(backlog_id, rank_key);

-- Who changed what and when: status, score inputs, moves, merges.
CREATE TABLE requirement_events (
    id              TEXT PRIMARY KEY,
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    actor_id        TEXT NOT NULL REFERENCES users(id),
    kind            TEXT NOT NULL CHECK (kind IN ('created', 'status', 'score', 'move', 'reset', 'merge')),
    from_value      TEXT,
    to_value        TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX requirement_events_req ON requirement_events(requirement_id, at);

CREATE TABLE votes (
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    user_id         TEXT NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL,
    PRIMARY KEY (requirement_id, user_id)
);

CREATE TABLE evidence (
    id              TEXT PRIMARY KEY,
    requirement_id  TEXT NOT NULL REFERENCES requirements(id),
    kind            TEXT NOT NULL CHECK (kind IN ('research_finding', 'customer_quote', 'metric')),
    body            TEXT NOT NULL,
    source          TEXT NOT NULL DEFAULT '',
    author_id       TEXT NOT NULL REFERENCES users(id),
    created_at      TEXT NOT NULL
);
CREATE INDEX evidence_req ON evidence(requirement_id);
