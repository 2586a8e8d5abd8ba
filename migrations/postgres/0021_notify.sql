-- PostgreSQL twin of migrations/sqlite/0021_notify.sql.
CREATE TABLE notify_events (
    id          TEXT COLLATE "C" PRIMARY KEY,
    kind        TEXT COLLATE "C" NOT NULL,
    subject_id  TEXT COLLATE "C" NOT NULL,
    team_id     TEXT COLLATE "C" REFERENCES teams(id) DEFERRABLE,
    actor_id    TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE,
    params      TEXT COLLATE "C" NOT NULL DEFAULT '{}',
    link        TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notify_events_created ON notify_events(created_at);

CREATE TABLE notify_marks (
    key         TEXT COLLATE "C" PRIMARY KEY,
    value       TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at  TEXT COLLATE "C" NOT NULL
);

CREATE TABLE notifications (
    id              TEXT COLLATE "C" PRIMARY KEY,
    recipient_id    TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    event_id        TEXT COLLATE "C" NOT NULL REFERENCES notify_events(id) DEFERRABLE,
    read_at         TEXT COLLATE "C",
    digest_pending  BIGINT NOT NULL DEFAULT 0 CHECK (digest_pending IN (0, 1)),
    created_at      TEXT COLLATE "C" NOT NULL,
    UNIQUE (recipient_id, event_id)
);
CREATE INDEX notifications_inbox ON notifications(recipient_id, created_at);
CREATE INDEX notifications_unread ON notifications(recipient_id) WHERE read_at IS NULL;
-- The cleanup job asks, per event, whether anything still points at it.
CREATE INDEX notifications_event ON notifications(event_id);

CREATE TABLE notify_settings (
    user_id         TEXT COLLATE "C" PRIMARY KEY REFERENCES users(id) DEFERRABLE,
    email_mode      TEXT COLLATE "C" NOT NULL DEFAULT 'instant' CHECK (email_mode IN ('instant', 'digest', 'off')),
    digest_hour     BIGINT NOT NULL DEFAULT 9 CHECK (digest_hour BETWEEN 0 AND 23),
    last_digest_at  TEXT COLLATE "C",
    version         BIGINT NOT NULL DEFAULT 1,
    updated_at      TEXT COLLATE "C" NOT NULL
);

CREATE TABLE notify_muted (
    user_id     TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    kind        TEXT COLLATE "C" NOT NULL,
    created_at  TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (user_id, kind)
);

CREATE TABLE notify_deliveries (
    id               TEXT COLLATE "C" PRIMARY KEY,
    event_id         TEXT COLLATE "C" REFERENCES notify_events(id) DEFERRABLE,
    channel          TEXT COLLATE "C" NOT NULL CHECK (channel IN ('email', 'chat')),
    purpose          TEXT COLLATE "C" NOT NULL CHECK (purpose IN ('event', 'digest', 'reset', 'test')),
    recipient_id     TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE,
    destination_id   TEXT COLLATE "C",
    payload          TEXT COLLATE "C",
    status           TEXT COLLATE "C" NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead', 'skipped')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT COLLATE "C" NOT NULL,
    lease_owner      TEXT COLLATE "C",
    lease_until      TEXT COLLATE "C",
    last_status      BIGINT,
    last_error       TEXT COLLATE "C",
    sent_at          TEXT COLLATE "C",
    created_at       TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notify_deliveries_due ON notify_deliveries(status, next_attempt_at);
CREATE INDEX notify_deliveries_destination ON notify_deliveries(destination_id, status);
CREATE INDEX notify_deliveries_event ON notify_deliveries(event_id);

INSERT INTO jobs (name, last_run) VALUES ('notify_cleanup', '1970-01-01T00:00:00Z');
