//! Sealed answers: where the database cannot overwrite a row in place
//! (PostgreSQL writes every change as a new row version stamped with its
//! transaction, and keeps old versions and the WAL), an answer to an open
//! round is stored as one row encrypted under the survey key, a secret kept
//! outside the database and its backups (`KEEL_SURVEY_KEY`). Nothing in that
//! row is readable without the key, and every sealed answer of a round has
//! the same size whatever was answered (free text included), so neither its
//! content nor its length can be paired with the person whose participation
//! row the same transaction marked. The close opens them all at once and
//! adds them into the counters and comments in one transaction: the only
//! plain answers ever written are the round's totals.
//!
//! ChaCha20-Poly1305 (`server::secrets`) with a random nonce per answer;
//! the round's id is the associated data, so a sealed answer cannot be
//! moved to another round.
use super::model::{MAX_TEXT, Question, QuestionKind};
use crate::server::secrets::{self, SecretKey};

/// The survey key: 32 bytes, configured as 64 hexadecimal characters. The
/// key and the cipher are `server::secrets`'; this adds the survey's
/// associated data and the fixed-size padding.
#[derive(Clone)]
pub struct SealKey(SecretKey);

impl std::fmt::Debug for SealKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never printed, not even in a debug dump of the settings.
        f.write_str("SealKey(…)")
    }
}

impl SealKey {
    /// Reads a key from its 64 hexadecimal characters (surrounding
    /// whitespace ignored, as a key file ends with a newline).
    pub fn parse(hex: &str) -> Result<SealKey, String> {
        SecretKey::parse(hex).map(SealKey)
    }

    /// Seals one answer to `round`, padded to `size` bytes of plain text.
    pub fn seal(&self, round: &str, answer: &Answer, size: usize) -> Result<Vec<u8>, SealError> {
        let mut plain = answer.encode();
        if plain.len() > size {
            return Err(SealError::TooLong);
        }
        plain.resize(size, 0);
        secrets::seal(&self.0, &plain, &aad(round)).map_err(|_| SealError::Cipher)
    }

    /// Opens an answer sealed for `round`.
    pub fn open(&self, round: &str, sealed: &[u8]) -> Result<Answer, SealError> {
        let plain = secrets::open(&self.0, sealed, &aad(round)).map_err(|_| SealError::Cipher)?;
        Answer::decode(&plain).ok_or(SealError::Format)
    }
}

fn aad(round: &str) -> Vec<u8> {
    format!("keel survey answer v1\n{round}").into_bytes()
}

#[derive(Debug, PartialEq, Eq)]
pub enum SealError {
    /// The answer does not fit the round's size (a bug: the size is an upper bound).
    TooLong,
    /// Another key, another round, or altered bytes.
    Cipher,
    /// Opened, but not an answer.
    Format,
}

/// What one submission adds to a round: the counters it adds one to
/// (question, value; see `store::submit`) and its free text, for one team.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Answer {
    pub team: String,
    pub counts: Vec<(String, i64)>,
    pub texts: Vec<(String, String)>,
}

/// The largest team id an answer is sized for (ids are 36-character UUIDs).
const TEAM_MAX: usize = 64;

impl Answer {
    /// Length-prefixed fields (little-endian u32 lengths and counts, i64
    /// values): unlike JSON, its largest size follows from the questions
    /// alone, whatever characters the text holds.
    fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let put = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u32).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
        };
        put(&mut out, &self.team);
        out.extend_from_slice(&(self.counts.len() as u32).to_le_bytes());
        for (q, v) in &self.counts {
            put(&mut out, q);
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.texts.len() as u32).to_le_bytes());
        for (q, t) in &self.texts {
            put(&mut out, q);
            put(&mut out, t);
        }
        out
    }

    /// The inverse of `encode`; the padding after it is ignored.
    fn decode(b: &[u8]) -> Option<Answer> {
        struct Reader<'a>(&'a [u8]);
        impl Reader<'_> {
            fn take(&mut self, n: usize) -> Option<&[u8]> {
                if self.0.len() < n {
                    return None;
                }
                let (a, b) = self.0.split_at(n);
                self.0 = b;
                Some(a)
            }
            fn u32(&mut self) -> Option<usize> {
                Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?) as usize)
            }
            fn i64(&mut self) -> Option<i64> {
                Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
            }
            fn text(&mut self) -> Option<String> {
                let n = self.u32()?;
                String::from_utf8(self.take(n)?.to_vec()).ok()
            }
        }
        let mut r = Reader(b);
        let team = r.text()?;
        let n = r.u32()?;
        let mut counts = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            counts.push((r.text()?, r.i64()?));
        }
        let n = r.u32()?;
        let mut texts = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            texts.push((r.text()?, r.text()?));
        }
        Some(Answer {
            team,
            counts,
            texts,
        })
    }
}

/// The size every sealed answer of a round with these questions is padded
/// to: the encoding of the largest answer it can get (every counter it
/// could name, every free text at its longest in 4-byte characters),
/// rounded up to 256 bytes. Questions can only change before a round opens,
/// so all answers of a round have the same size.
pub fn padded_size(questions: &[Question]) -> usize {
    let mut n = 4 + TEAM_MAX + 4 + 4;
    // The team's respondents ('' / -1).
    n += 4 + 8;
    for q in questions {
        if q.kind == QuestionKind::Text {
            n += 4 + q.id.len() + 4 + MAX_TEXT * 4;
        } else {
            // "Answered it" and every value at most once.
            n += (1 + q.kind.scale(q.options.len())) * (4 + q.id.len() + 8);
        }
    }
    n.div_ceil(256) * 256
}
