-- PostgreSQL twin of migrations/sqlite/0013_goal_edit.sql.
ALTER TABLE goals ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE goals ADD COLUMN start_date TEXT COLLATE "C";
ALTER TABLE goals ADD COLUMN due_date TEXT COLLATE "C";
ALTER TABLE goals ADD COLUMN archived_at TEXT COLLATE "C";
ALTER TABLE kpis ADD COLUMN archived_at TEXT COLLATE "C";
