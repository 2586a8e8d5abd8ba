-- PostgreSQL twin of migrations/sqlite/0018_period_close.sql.
ALTER TABLE periods ADD COLUMN closed_at TEXT COLLATE "C";
ALTER TABLE periods ADD COLUMN closed_by TEXT COLLATE "C" REFERENCES users(id) DEFERRABLE;
ALTER TABLE kpis ADD COLUMN final_status TEXT COLLATE "C" CHECK (final_status IN ('on_track', 'at_risk', 'off_track', 'achieved'));
ALTER TABLE plan_items ADD COLUMN carried_from_id TEXT COLLATE "C" REFERENCES plan_items(id) DEFERRABLE;
CREATE UNIQUE INDEX plan_items_carried_from ON plan_items(carried_from_id);

CREATE TABLE period_kpis (
    period_id     TEXT COLLATE "C" NOT NULL REFERENCES periods(id) DEFERRABLE,
    kpi_id        TEXT COLLATE "C" NOT NULL,
    code          TEXT COLLATE "C" NOT NULL,
    name          TEXT COLLATE "C" NOT NULL,
    team_id       TEXT COLLATE "C" NOT NULL,
    team_name     TEXT COLLATE "C" NOT NULL,
    owner_id      TEXT COLLATE "C",
    visibility    TEXT COLLATE "C" NOT NULL,
    due_date      TEXT COLLATE "C" NOT NULL,
    final_value   DOUBLE PRECISION,
    final_status  TEXT COLLATE "C" NOT NULL CHECK (final_status IN ('on_track', 'at_risk', 'off_track', 'achieved')),
    PRIMARY KEY (period_id, kpi_id)
);
