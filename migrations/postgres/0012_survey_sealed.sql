-- Sealed survey answers (issue 16): see migrations/sqlite/0012_survey_sealed.sql.
-- PostgreSQL stores every answer to an open round here, never in the
-- counters: an UPDATE there would leave a row version stamped with the same
-- transaction as the person's participation row.
CREATE TABLE survey_sealed (
    id TEXT COLLATE "C" PRIMARY KEY,   -- random
    round_id TEXT COLLATE "C" NOT NULL,
    sealed BYTEA NOT NULL              -- nonce || ChaCha20-Poly1305 of the padded answer
);
CREATE INDEX survey_sealed_round ON survey_sealed (round_id);

-- See migrations/sqlite/0012_survey_sealed.sql.
CREATE TABLE survey_key_check (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    sealed BYTEA NOT NULL
);
