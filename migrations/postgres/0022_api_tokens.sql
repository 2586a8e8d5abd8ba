-- Personal API tokens (issue 18, "API for analytics tools"): a person makes
-- a token on their profile page for a tool that reads KPIs or posts
-- check-ins. Only the SHA-256 of the token is stored, with its first 8
-- characters after the `keel_pat_` prefix for the list; every token expires
-- (30, 90 or 365 days) and can be revoked.
CREATE TABLE api_tokens (
    id            TEXT COLLATE "C" PRIMARY KEY,
    user_id       TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    name          TEXT COLLATE "C" NOT NULL,
    token_hash    TEXT COLLATE "C" NOT NULL UNIQUE,
    prefix        TEXT COLLATE "C" NOT NULL,
    scope         TEXT COLLATE "C" NOT NULL CHECK (scope IN ('read', 'checkins')),
    expires_at    TEXT COLLATE "C" NOT NULL,
    created_at    TEXT COLLATE "C" NOT NULL,
    last_used_at  TEXT COLLATE "C",
    revoked_at    TEXT COLLATE "C"
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
