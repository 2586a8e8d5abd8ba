-- Notifications (issue 18): every event that tells someone something is
-- written in the same transaction as the change that causes it (an outbox),
-- with one in-app notification per recipient. Email and chat deliveries
-- (`notify_deliveries`) are made from the same rows by a later worker.
-- Same end schema as migrations/postgres/0021.
CREATE TABLE notify_events (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL,
    subject_id  TEXT NOT NULL,                 -- the record it is about
    team_id     TEXT REFERENCES teams(id),
    actor_id    TEXT REFERENCES users(id),     -- who caused it; NULL: time or the system
    params      TEXT NOT NULL DEFAULT '{}',    -- JSON object of text values for the wording
    link        TEXT NOT NULL,                 -- the record's page (a path)
    created_at  TEXT NOT NULL                  -- fixed-width UTC, microseconds
);
CREATE INDEX notify_events_created ON notify_events(created_at);

-- Scheduled-event idempotence and last known states (`checkin_due:<kpi>:<day>`).
CREATE TABLE notify_marks (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL
);

-- One in-app notification per recipient and event.
CREATE TABLE notifications (
    id              TEXT PRIMARY KEY,
    recipient_id    TEXT NOT NULL REFERENCES users(id),
    event_id        TEXT NOT NULL REFERENCES notify_events(id),
    read_at         TEXT,                      -- NULL: unread
    digest_pending  INTEGER NOT NULL DEFAULT 0 CHECK (digest_pending IN (0, 1)),
    created_at      TEXT NOT NULL,             -- fixed-width UTC, microseconds (as the event's)
    UNIQUE (recipient_id, event_id)
);
CREATE INDEX notifications_inbox ON notifications(recipient_id, created_at);
CREATE INDEX notifications_unread ON notifications(recipient_id) WHERE read_at IS NULL;
-- The cleanup job asks, per event, whether anything still points at it.
CREATE INDEX notifications_event ON notifications(event_id);

-- A person's email settings; no row = the defaults.
CREATE TABLE notify_settings (
    user_id         TEXT PRIMARY KEY REFERENCES users(id),
    email_mode      TEXT NOT NULL DEFAULT 'instant' CHECK (email_mode IN ('instant', 'digest', 'off')),
    digest_hour     INTEGER NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
    last_digest_at  TEXT,
    version         INTEGER NOT NULL DEFAULT 1,
    updated_at      TEXT NOT NULL
);

-- Email off for one kind of event (the unsubscribe link writes here).
CREATE TABLE notify_muted (
    user_id     TEXT NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- Email and chat deliveries (used by the delivery worker, a later change).
-- The id is the delivery id a receiver de-duplicates by; it never changes.
CREATE TABLE notify_deliveries (
    id               TEXT PRIMARY KEY,
    event_id         TEXT REFERENCES notify_events(id),
    channel          TEXT NOT NULL CHECK (channel IN ('email', 'chat')),
    purpose          TEXT NOT NULL CHECK (purpose IN ('event', 'digest', 'reset', 'test')),
    recipient_id     TEXT REFERENCES users(id),
    destination_id   TEXT,
    payload          TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'skipped')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,            -- fixed-width UTC, milliseconds
    lease_owner      TEXT,
    lease_until      TEXT,
    last_status      INTEGER,
    last_error       TEXT,
    sent_at          TEXT,
    created_at       TEXT NOT NULL
);
CREATE INDEX notify_deliveries_due ON notify_deliveries(status, next_attempt_at);
CREATE INDEX notify_deliveries_destination ON notify_deliveries(destination_id, status);
CREATE INDEX notify_deliveries_event ON notify_deliveries(event_id);

INSERT INTO jobs (name, last_run) VALUES ('notify_cleanup', '1970-01-01T00:00:00Z');
