-- Team-culture and wellbeing surveys (issue 6). Anonymity by construction:
-- answers and responses carry no user id, no client-made id and no time,
-- under random keys in tables without rowid, so that storage order says
-- nothing about who answered when. Who answered a round lives apart, in
-- survey_participation, with no time either.
CREATE TABLE survey_rounds (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    opens_at TEXT NOT NULL,          -- RFC 3339 UTC
    closes_at TEXT NOT NULL,         -- moved to now when closed early
    pulse TEXT NOT NULL DEFAULT 'none' CHECK (pulse IN ('none','weekly','fortnightly','monthly','quarterly')),
    series_id TEXT NOT NULL,         -- the rounds of one pulse share it
    min_group INTEGER NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 3 AND 10),
    comment_min INTEGER NOT NULL DEFAULT 5 CHECK (comment_min BETWEEN 3 AND 10),
    visibility TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private','team','organisation')),
    support_note TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_rounds_series ON survey_rounds (series_id, opens_at);
CREATE INDEX survey_rounds_closes ON survey_rounds (closes_at);

CREATE TABLE survey_round_teams (
    round_id TEXT NOT NULL REFERENCES survey_rounds(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (round_id, team_id)
) WITHOUT ROWID;

CREATE TABLE survey_questions (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES survey_rounds(id),
    position INTEGER NOT NULL,
    theme TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('likert','enps','single','multiple','text')),
    text_en TEXT NOT NULL,
    text_zh TEXT NOT NULL,
    options TEXT NOT NULL DEFAULT '[]',   -- JSON [[en, zh], ...]
    distress_at INTEGER                    -- an answer at or below it shows support resources
);
CREATE INDEX survey_questions_round ON survey_questions (round_id, position);

-- Who was asked, with the team they belonged to when the round was made:
-- the answer's group and the response rate come from here.
CREATE TABLE survey_invitees (
    round_id TEXT NOT NULL REFERENCES survey_rounds(id),
    person_id TEXT NOT NULL REFERENCES users(id),
    team_id TEXT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;
CREATE INDEX survey_invitees_person ON survey_invitees (person_id);

-- That a person answered a round: nothing else, no time. The submission id
-- recognises a replay of the same submission; it is never stored with answers.
CREATE TABLE survey_participation (
    round_id TEXT NOT NULL REFERENCES survey_rounds(id),
    person_id TEXT NOT NULL REFERENCES users(id),
    submission TEXT NOT NULL,
    PRIMARY KEY (round_id, person_id)
) WITHOUT ROWID;
CREATE INDEX survey_participation_person ON survey_participation (person_id);

-- One row per response (counts respondents per team); random key, no link
-- to the answers or to a person.
CREATE TABLE survey_responses (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX survey_responses_round ON survey_responses (round_id, team_id);

-- One row per answer (a multiple-choice answer: one per chosen option);
-- random key, no link to the response or to a person.
CREATE TABLE survey_answers (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    value INTEGER,
    text TEXT
) WITHOUT ROWID;
CREATE INDEX survey_answers_round ON survey_answers (round_id, question_id, team_id, value);
CREATE INDEX survey_answers_text ON survey_answers (round_id, question_id, team_id, text) WHERE text IS NOT NULL;

CREATE TABLE survey_actions (
    id TEXT PRIMARY KEY,
    round_id TEXT NOT NULL REFERENCES survey_rounds(id),
    team_id TEXT REFERENCES teams(id),   -- NULL: the whole round
    focus TEXT NOT NULL,                  -- a theme key
    action TEXT NOT NULL,
    owner_id TEXT NOT NULL REFERENCES users(id),
    due_date TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    follow_up TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL REFERENCES users(id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL
);
CREATE INDEX survey_actions_round ON survey_actions (round_id);
