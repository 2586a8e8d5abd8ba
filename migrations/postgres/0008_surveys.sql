-- Team-culture and wellbeing surveys (issue 6). Anonymity by construction:
-- answers and responses carry no user id, no client-made id and no time,
-- under random keys in tables without rowid, so that storage order says
-- nothing about who answered when. Who answered a round lives apart, in
-- survey_participation, with no time either.
-- PostgreSQL twin of migrations/sqlite/0008_surveys.sql. SQLite's WITHOUT ROWID
-- has no PostgreSQL counterpart (heap tables have no rowid to hide) and is dropped.
CREATE TABLE survey_rounds (
    id TEXT COLLATE "C" PRIMARY KEY,
    title TEXT COLLATE "C" NOT NULL,
    owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    opens_at TEXT COLLATE "C" NOT NULL,          -- RFC 3339 UTC
    closes_at TEXT COLLATE "C" NOT NULL,         -- moved to now when closed early
    pulse TEXT COLLATE "C" NOT NULL DEFAULT 'none' CHECK (pulse IN ('none','weekly','fortnightly','monthly','quarterly')),
    series_id TEXT COLLATE "C" NOT NULL,         -- the rounds of one pulse share it
    min_group BIGINT NOT NULL DEFAULT 5 CHECK (min_group BETWEEN 3 AND 10),
    comment_min BIGINT NOT NULL DEFAULT 5 CHECK (comment_min BETWEEN 3 AND 10),
    visibility TEXT COLLATE "C" NOT NULL DEFAULT 'private' CHECK (visibility IN ('private','team','organisation')),
    support_note TEXT COLLATE "C" NOT NULL DEFAULT '',
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX survey_rounds_series ON survey_rounds (series_id, opens_at);
CREATE INDEX survey_rounds_closes ON survey_rounds (closes_at);

CREATE TABLE survey_round_teams (
    round_id TEXT COLLATE "C" NOT NULL REFERENCES survey_rounds(id) DEFERRABLE,
    team_id TEXT COLLATE "C" NOT NULL REFERENCES teams(id) DEFERRABLE,
    PRIMARY KEY (round_id, team_id)
);

CREATE TABLE survey_questions (
    id TEXT COLLATE "C" PRIMARY KEY,
    round_id TEXT COLLATE "C" NOT NULL REFERENCES survey_rounds(id) DEFERRABLE,
    position BIGINT NOT NULL,
    theme TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('likert','enps','single','multiple','text')),
    text_en TEXT COLLATE "C" NOT NULL,
    text_zh TEXT COLLATE "C" NOT NULL,
    options TEXT COLLATE "C" NOT NULL DEFAULT '[]',   -- JSON [[en, zh], ...]
    distress_at BIGINT                    -- an answer at or below it shows support resources
);
CREATE INDEX survey_questions_round ON survey_questions (round_id, position);

-- Who was asked, with the team they belonged to when the round was made:
-- the answer's group and the response rate come from here.
CREATE TABLE survey_invitees (
    round_id TEXT COLLATE "C" NOT NULL REFERENCES survey_rounds(id) DEFERRABLE,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    team_id TEXT COLLATE "C" NOT NULL REFERENCES teams(id) DEFERRABLE,
    PRIMARY KEY (round_id, person_id)
);
CREATE INDEX survey_invitees_person ON survey_invitees (person_id);

-- That a person answered a round: nothing else, no time. The submission id
-- recognises a replay of the same submission; it is never stored with answers.
CREATE TABLE survey_participation (
    round_id TEXT COLLATE "C" NOT NULL REFERENCES survey_rounds(id) DEFERRABLE,
    person_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    submission TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (round_id, person_id)
);
CREATE INDEX survey_participation_person ON survey_participation (person_id);

-- One row per response (counts respondents per team); random key, no link
-- to the answers or to a person.
CREATE TABLE survey_responses (
    id TEXT COLLATE "C" PRIMARY KEY,
    round_id TEXT COLLATE "C" NOT NULL,
    team_id TEXT COLLATE "C" NOT NULL
);
CREATE INDEX survey_responses_round ON survey_responses (round_id, team_id);

-- One row per answer (a multiple-choice answer: one per chosen option);
-- random key, no link to the response or to a person.
CREATE TABLE survey_answers (
    id TEXT COLLATE "C" PRIMARY KEY,
    round_id TEXT COLLATE "C" NOT NULL,
    team_id TEXT COLLATE "C" NOT NULL,
    question_id TEXT COLLATE "C" NOT NULL,
    value BIGINT,
    text TEXT COLLATE "C"
);
CREATE INDEX survey_answers_round ON survey_answers (round_id, question_id, team_id, value);
CREATE INDEX survey_answers_text ON survey_answers (round_id, question_id, team_id, text) WHERE text IS NOT NULL;

CREATE TABLE survey_actions (
    id TEXT COLLATE "C" PRIMARY KEY,
    round_id TEXT COLLATE "C" NOT NULL REFERENCES survey_rounds(id) DEFERRABLE,
    team_id TEXT COLLATE "C" REFERENCES teams(id) DEFERRABLE,   -- NULL: the whole round
    focus TEXT COLLATE "C" NOT NULL,                  -- a theme key
    action TEXT COLLATE "C" NOT NULL,
    owner_id TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    due_date TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL DEFAULT 'open' CHECK (status IN ('open','done')),
    follow_up TEXT COLLATE "C" NOT NULL DEFAULT '',
    created_by TEXT COLLATE "C" NOT NULL REFERENCES users(id) DEFERRABLE,
    version BIGINT NOT NULL DEFAULT 1,
    created_at TEXT COLLATE "C" NOT NULL
);
CREATE INDEX survey_actions_round ON survey_actions (round_id);
