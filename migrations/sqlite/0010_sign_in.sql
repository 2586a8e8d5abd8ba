-- Sign-in hardening (issue 13).
-- A session remembers the generation of its user at sign-in; changing or
-- resetting the password and deactivating move it on, which ends every
-- other session of that person.
ALTER TABLE users ADD COLUMN session_gen INTEGER NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN last_sign_in_at TEXT;

-- Failures are kept per account and client address (backoff applies to the
-- pair, so an attacker elsewhere cannot lock the owner out), pruned after a day.
DROP TABLE login_failures;
CREATE TABLE login_failures (
    email      TEXT NOT NULL,      -- at most 254 characters, checked before storing
    address    TEXT NOT NULL,      -- the client's IP address
    failed_at  TEXT NOT NULL       -- RFC 3339 UTC
);
CREATE INDEX login_failures_pair ON login_failures (email, address, failed_at);
CREATE INDEX login_failures_at ON login_failures (failed_at);

-- Failed attempts on an account since its owner last signed in, shown to
-- the owner at their next sign-in until they dismiss them.
CREATE TABLE sign_in_alerts (
    user_id    TEXT NOT NULL REFERENCES users(id),
    failed_at  TEXT NOT NULL,
    address    TEXT NOT NULL
);
CREATE INDEX sign_in_alerts_user ON sign_in_alerts (user_id, failed_at);
