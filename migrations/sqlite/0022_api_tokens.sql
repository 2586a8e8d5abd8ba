-- Personal API tokens (issue 18, "API for analytics tools"): a person makes
-- a token on their profile page for a tool that reads KPIs or posts
-- check-ins. Only the SHA-256 of the token is stored, with its first 8
-- characters after the `keel_pat_` prefix for the list; every token expires
-- (30, 90 or 365 days) and can be revoked.
CREATE TABLE api_tokens (
    id            TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    name          TEXT NOT NULL,
    token_hash    TEXT NOT NULL UNIQUE,
    prefix        TEXT NOT NULL,
    scope         TEXT NOT NULL CHECK (scope IN ('read', 'checkins')),
    expires_at    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    last_used_at  TEXT,
    revoked_at    TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);
