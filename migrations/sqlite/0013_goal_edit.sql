-- Goals and KPIs people can live with for years (issue 17): a goal gets a
-- description and optional start and due dates; goals and KPIs can be
-- archived (kept, with their history, out of the everyday views).
ALTER TABLE goals ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE goals ADD COLUMN start_date TEXT;           -- YYYY-MM-DD
ALTER TABLE goals ADD COLUMN due_date TEXT;             -- YYYY-MM-DD
ALTER TABLE goals ADD COLUMN archived_at TEXT;          -- RFC 3339 UTC; NULL = active
ALTER TABLE kpis ADD COLUMN archived_at TEXT;           -- RFC 3339 UTC; NULL = active
