-- Survey answers unlinkable also on disk (issue 13).
-- PostgreSQL twin of migrations/sqlite/0009_survey_counters.sql; the reasons
-- for this layout are given there. Differences:
-- * PRAGMA secure_delete = ON is dropped: no PostgreSQL counterpart (and no
--   old PostgreSQL data exists: these migrations always build a fresh schema).
-- * The backfills are kept and valid PostgreSQL: max(a, b) -> GREATEST,
--   json_array_length(x) -> json_array_length(x::json),
--   lower(hex(randomblob(16))) -> replace(gen_random_uuid()::text, '-', ''),
--   strftime('%Y-%m-%dT%H:%M:%SZ', 'now') -> to_char(now() AT TIME ZONE 'UTC', ...),
--   "x IS NOT NULL" as a value -> CASE WHEN ... THEN 1 ELSE 0 END.
-- * survey_counts.n is BIGINT like every integer (the 6-byte-record reasoning
--   is SQLite's; the values are the same).

CREATE TABLE survey_counts (
    round_id TEXT COLLATE "C" NOT NULL,
    team_id TEXT COLLATE "C" NOT NULL,
    question_id TEXT COLLATE "C" NOT NULL,   -- '' = the team's respondents
    value BIGINT NOT NULL,                   -- the value or option; -1 = answered (the question, or with '' the round)
    n BIGINT NOT NULL                        -- 1099511627776 (2^40) + the count
);
CREATE UNIQUE INDEX survey_counts_key ON survey_counts (round_id, team_id, question_id, value);

-- Every round's counters, with the answers stored so far counted into them.
-- Old multiple-choice answers were one row per option, so who answered such
-- a question is its team's respondents (the question is required).
WITH RECURSIVE
    nums(i) AS (
        SELECT 0
        UNION ALL
        SELECT i + 1 FROM nums
        WHERE i + 1 < (SELECT GREATEST(11, COALESCE(MAX(json_array_length(options::json)), 0)) FROM survey_questions)
    ),
    round_team(round_id, team_id) AS (
        SELECT round_id, team_id FROM survey_invitees
        UNION
        SELECT round_id, team_id FROM survey_responses
    ),
    slots(round_id, team_id, question_id, kind, value, pos) AS (
        SELECT round_id, team_id, ''::text, ''::text, -1, -1::bigint FROM round_team
        UNION ALL
        SELECT t.round_id, t.team_id, q.id, q.kind, -1, q.position
        FROM round_team t JOIN survey_questions q ON q.round_id = t.round_id
        WHERE q.kind <> 'text'
        UNION ALL
        SELECT t.round_id, t.team_id, q.id, q.kind,
               (CASE q.kind WHEN 'likert' THEN 1 ELSE 0 END) + nums.i, q.position
        FROM round_team t JOIN survey_questions q ON q.round_id = t.round_id
        JOIN nums ON nums.i < (CASE q.kind
            WHEN 'likert' THEN 5
            WHEN 'enps' THEN 11
            WHEN 'text' THEN 0
            ELSE json_array_length(q.options::json) END)
    )
INSERT INTO survey_counts (round_id, team_id, question_id, value, n)
SELECT s.round_id, s.team_id, s.question_id, s.value, 1099511627776 + CASE
        WHEN s.question_id = '' OR (s.value = -1 AND s.kind = 'multiple') THEN
            (SELECT COUNT(*) FROM survey_responses r
             WHERE r.round_id = s.round_id AND r.team_id = s.team_id)
        WHEN s.value = -1 THEN
            (SELECT COUNT(*) FROM survey_answers a
             WHERE a.round_id = s.round_id AND a.team_id = s.team_id
               AND a.question_id = s.question_id AND a.value IS NOT NULL)
        ELSE
            (SELECT COUNT(*) FROM survey_answers a
             WHERE a.round_id = s.round_id AND a.team_id = s.team_id
               AND a.question_id = s.question_id AND a.value = s.value)
    END
FROM slots s
ORDER BY s.round_id, s.team_id, s.pos, s.value;

-- Participation: one row per invitee, in no order of answering. Rebuilt as
-- in SQLite (the column order changes and the primary key and foreign keys
-- go); the CHECKs are named as PostgreSQL would name them on the final table.
CREATE TABLE survey_participation_v9 (
    round_id TEXT COLLATE "C" NOT NULL,
    person_id TEXT COLLATE "C" NOT NULL,
    answered BIGINT NOT NULL DEFAULT 0
        CONSTRAINT survey_participation_answered_check CHECK (answered IN (0, 1)),
    submission TEXT COLLATE "C" NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000'
        CONSTRAINT survey_participation_submission_check CHECK (length(submission) = 36)
);
INSERT INTO survey_participation_v9 (round_id, person_id, answered, submission)
SELECT i.round_id, i.person_id, CASE WHEN p.person_id IS NOT NULL THEN 1 ELSE 0 END,
       COALESCE(p.submission, '00000000-0000-0000-0000-000000000000')
FROM survey_invitees i
LEFT JOIN survey_participation p ON p.round_id = i.round_id AND p.person_id = i.person_id
ORDER BY i.round_id, i.person_id;
DROP TABLE survey_participation;
ALTER TABLE survey_participation_v9 RENAME TO survey_participation;
CREATE UNIQUE INDEX survey_participation_key ON survey_participation (round_id, person_id);
CREATE INDEX survey_participation_person ON survey_participation (person_id);

-- Free text of rounds still open (or not yet open): waits for the close.
CREATE TABLE survey_pending_texts (
    id TEXT COLLATE "C" PRIMARY KEY,          -- random
    round_id TEXT COLLATE "C" NOT NULL,
    team_id TEXT COLLATE "C" NOT NULL,
    question_id TEXT COLLATE "C" NOT NULL,
    text TEXT COLLATE "C" NOT NULL
);

-- Free text of closed rounds, appended at the close; read in the order of
-- the random key drawn then (ORDER BY id).
CREATE TABLE survey_comments (
    id TEXT COLLATE "C" NOT NULL,             -- random, drawn at the close
    round_id TEXT COLLATE "C" NOT NULL,
    team_id TEXT COLLATE "C" NOT NULL,
    question_id TEXT COLLATE "C" NOT NULL,
    text TEXT COLLATE "C" NOT NULL
);
CREATE INDEX survey_comments_round ON survey_comments (round_id);

-- Both in the order of keys drawn here: a scan of survey_answers would
-- follow the order the answers were stored in.
WITH pending AS MATERIALIZED (
    SELECT replace(gen_random_uuid()::text, '-', '') AS id, a.round_id, a.team_id, a.question_id, a.text
    FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
    WHERE a.text IS NOT NULL
      AND r.closes_at > to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
)
INSERT INTO survey_pending_texts (id, round_id, team_id, question_id, text)
SELECT id, round_id, team_id, question_id, text FROM pending ORDER BY id;

WITH shuffled AS MATERIALIZED (
    SELECT replace(gen_random_uuid()::text, '-', '') AS id, a.round_id, a.team_id, a.question_id, a.text
    FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
    WHERE a.text IS NOT NULL
      AND r.closes_at <= to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
)
INSERT INTO survey_comments (id, round_id, team_id, question_id, text)
SELECT id, round_id, team_id, question_id, text FROM shuffled ORDER BY id;

DROP TABLE survey_answers;
DROP TABLE survey_responses;
