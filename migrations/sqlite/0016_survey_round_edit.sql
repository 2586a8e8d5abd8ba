-- Survey rounds people can correct before they open (issue 17): a
-- scheduled round can be cancelled (kept and marked, it never opens and no
-- pulse repeats it), and a stopped pulse keeps its cadence so that it can be
-- restarted; a restarted pulse makes its next round from the first window
-- that begins after the restart, never the windows missed while stopped.
-- Title, window, teams and questions of a scheduled round change in place
-- (the round's `version` detects an edit based on an old reading).
ALTER TABLE survey_rounds ADD COLUMN cancelled_at TEXT;       -- RFC 3339 UTC; NULL = not cancelled
ALTER TABLE survey_rounds ADD COLUMN stopped_pulse TEXT NOT NULL DEFAULT ''
    CHECK (stopped_pulse IN ('', 'weekly', 'fortnightly', 'monthly', 'quarterly')); -- '' = not stopped
ALTER TABLE survey_rounds ADD COLUMN pulse_resumed_at TEXT;   -- RFC 3339 UTC; when a stopped pulse was restarted
