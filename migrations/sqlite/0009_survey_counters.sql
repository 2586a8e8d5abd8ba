-- Survey answers unlinkable also on disk (issue 13). Random keys hide the
-- logical order of rows, not their physical one: SQLite places each new cell
-- after the previous one in its page, and a WAL frame holds a whole commit.
-- So a submission no longer adds rows that anything could be paired with:
--
-- * survey_counts: one pre-created counter per round × team × question ×
--   value (or option), plus "answered this question" (value -1) and the
--   team's respondents (question ''), each updated in place by a submission.
--   n holds COUNT_BASE (2^40) + the count, so the record always takes the
--   same 6 bytes and SQLite overwrites the cell where it is
--   (btreeOverwriteCell); no foreign keys and n in no index, for the same
--   reason (either would turn the UPDATE into a delete and an insert).
-- * survey_participation: one row per invitee made with the round, whose
--   answered flag (0 and 1 both take no byte) and 36-character submission
--   slot are overwritten in place.
-- * free text, which must stay text, waits in survey_pending_texts while
--   the round is open (all of a round's rows rewritten under fresh random
--   keys at every submission) and is written into survey_comments in a
--   fresh random order when the round closes; the pending rows are deleted
--   then.
--
-- secure_delete (set on every connection by the server, and here) zeroes
-- what is deleted, the old tables included.
PRAGMA secure_delete = ON;

CREATE TABLE survey_counts (
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    question_id TEXT NOT NULL,   -- '' = the team's respondents
    value INTEGER NOT NULL,      -- the value or option; -1 = answered (the question, or with '' the round)
    n INTEGER NOT NULL           -- 1099511627776 (2^40) + the count: always 6 bytes
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
        WHERE i + 1 < (SELECT max(11, COALESCE(MAX(json_array_length(options)), 0)) FROM survey_questions)
    ),
    round_team(round_id, team_id) AS (
        SELECT round_id, team_id FROM survey_invitees
        UNION
        SELECT round_id, team_id FROM survey_responses
    ),
    slots(round_id, team_id, question_id, kind, value, pos) AS (
        SELECT round_id, team_id, '', '', -1, -1 FROM round_team
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
            ELSE json_array_length(q.options) END)
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

-- Participation: one row per invitee, in no order of answering.
CREATE TABLE survey_participation_v9 (
    round_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    answered INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1)),
    submission TEXT NOT NULL DEFAULT '00000000-0000-0000-0000-000000000000'
        CHECK (length(submission) = 36)
);
INSERT INTO survey_participation_v9 (round_id, person_id, answered, submission)
SELECT i.round_id, i.person_id, p.person_id IS NOT NULL,
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
    id TEXT PRIMARY KEY,          -- random
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    text TEXT NOT NULL
) WITHOUT ROWID;

-- Free text of closed rounds, appended at the close in the order of a random
-- key drawn then: rowid order and byte order are that key's order, nothing
-- else (rows are only ever appended, so no cell of a page moves).
CREATE TABLE survey_comments (
    id TEXT NOT NULL,             -- random, drawn at the close
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX survey_comments_round ON survey_comments (round_id);

-- Both in the order of keys drawn here: a scan of survey_answers would
-- follow the order the answers were stored in.
WITH pending AS MATERIALIZED (
    SELECT lower(hex(randomblob(16))) AS id, a.round_id, a.team_id, a.question_id, a.text
    FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
    WHERE a.text IS NOT NULL AND r.closes_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
)
INSERT INTO survey_pending_texts (id, round_id, team_id, question_id, text)
SELECT id, round_id, team_id, question_id, text FROM pending ORDER BY id;

WITH shuffled AS MATERIALIZED (
    SELECT lower(hex(randomblob(16))) AS id, a.round_id, a.team_id, a.question_id, a.text
    FROM survey_answers a JOIN survey_rounds r ON r.id = a.round_id
    WHERE a.text IS NOT NULL AND r.closes_at <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
)
INSERT INTO survey_comments (id, round_id, team_id, question_id, text)
SELECT id, round_id, team_id, question_id, text FROM shuffled ORDER BY id;

DROP TABLE survey_answers;
DROP TABLE survey_responses;
