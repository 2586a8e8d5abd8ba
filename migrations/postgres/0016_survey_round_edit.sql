-- PostgreSQL twin of migrations/sqlite/0016_survey_round_edit.sql.
ALTER TABLE survey_rounds ADD COLUMN cancelled_at TEXT COLLATE "C";
ALTER TABLE survey_rounds ADD COLUMN stopped_pulse TEXT COLLATE "C" NOT NULL DEFAULT ''
    CHECK (stopped_pulse IN ('', 'weekly', 'fortnightly', 'monthly', 'quarterly'));
ALTER TABLE survey_rounds ADD COLUMN pulse_resumed_at TEXT COLLATE "C";
