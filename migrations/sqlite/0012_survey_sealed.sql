-- Sealed survey answers (issue 16): where the database cannot overwrite in
-- place (PostgreSQL), an answer to an open round is one row here, encrypted
-- under the survey key (KEEL_SURVEY_KEY, kept outside the database) and
-- padded to the round's largest answer, until the round's close adds it into
-- survey_counts and survey_comments and deletes it (src/surveys/seal.rs).
-- SQLite answers in place and writes nothing here itself; the table exists
-- on both backends so that a copy from PostgreSQL with rounds still open
-- keeps their answers and finalises them the same way.
CREATE TABLE survey_sealed (
    id TEXT PRIMARY KEY,      -- random
    round_id TEXT NOT NULL,
    sealed BLOB NOT NULL      -- nonce || ChaCha20-Poly1305 of the padded answer
) WITHOUT ROWID;
CREATE INDEX survey_sealed_round ON survey_sealed (round_id);

-- A value sealed under the survey key in use, so that a server started with
-- another key while answers wait sealed refuses to start, and a server whose
-- key differs from the others' refuses to seal (`surveys::store::check_key`).
CREATE TABLE survey_key_check (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sealed BLOB NOT NULL
);
