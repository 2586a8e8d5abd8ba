-- Closing a growth period (issue 17): an admin closes a period once. Its
-- plans are read-only afterwards; the KPIs due in it are archived with the
-- status they ended on (kept on the KPI, so it shows that status instead of
-- a live one, and in a snapshot for the period's summary); unfinished plan
-- items may be carried into the next period as copies that name the item
-- they continue (the original stays in the closed plan as it was).
-- Same end schema as migrations/postgres/0018.
ALTER TABLE periods ADD COLUMN closed_at TEXT;            -- RFC 3339 UTC; NULL = open
ALTER TABLE periods ADD COLUMN closed_by TEXT REFERENCES users(id);
ALTER TABLE kpis ADD COLUMN final_status TEXT CHECK (final_status IN ('on_track', 'at_risk', 'off_track', 'achieved'));
ALTER TABLE plan_items ADD COLUMN carried_from_id TEXT REFERENCES plan_items(id);
CREATE UNIQUE INDEX plan_items_carried_from ON plan_items(carried_from_id);

-- What the close archived, as it was then: the summary reads it whatever
-- happens to the KPI afterwards (restored, renamed, deleted).
CREATE TABLE period_kpis (
    period_id     TEXT NOT NULL REFERENCES periods(id),
    kpi_id        TEXT NOT NULL,
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    team_id       TEXT NOT NULL,
    team_name     TEXT NOT NULL,
    owner_id      TEXT,
    visibility    TEXT NOT NULL,
    due_date      TEXT NOT NULL,
    final_value   REAL,
    final_status  TEXT NOT NULL CHECK (final_status IN ('on_track', 'at_risk', 'off_track', 'achieved')),
    PRIMARY KEY (period_id, kpi_id)
);
