-- Invitation links (issue 17): an admin makes a single-use link with which
-- a person sets their own password. Only a hash of the link's secret is
-- stored (SHA-256 of 32 random bytes), so the database alone cannot be used
-- to sign in; a link expires after 7 days, and a new one for the same
-- person replaces any unused one.
CREATE TABLE invitations (
    token_hash  TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);
CREATE INDEX invitations_user ON invitations(user_id);
