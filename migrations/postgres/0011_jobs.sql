-- Background work that one server of several does (issue 16): a row per
-- job with when it last ran. A server runs a job only after claiming it with
-- a conditional update of its row (`server::jobs::claim`), which one server
-- wins per period, however many run.
CREATE TABLE jobs (
    name      TEXT COLLATE "C" PRIMARY KEY,
    last_run  TEXT COLLATE "C" NOT NULL,              -- RFC 3339 UTC
    runner    TEXT COLLATE "C" NOT NULL DEFAULT ''    -- the server that ran it last (for the log)
);
INSERT INTO jobs (name, last_run) VALUES
    ('survey_sweep', '1970-01-01T00:00:00Z'),
    ('session_expiry', '1970-01-01T00:00:00Z');
