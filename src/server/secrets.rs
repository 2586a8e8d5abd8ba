//! Secrets at rest: a 32-byte key kept outside the database and its backups
//! (configuration, like the survey key), and ChaCha20-Poly1305 (RustCrypto's
//! maintained crate) sealing under it with a random nonce per value.
//!
//! A sealed value is `nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes)`. The
//! associated data names what the value belongs to (a chat destination's
//! id, a survey round), so a sealed value copied to another row does not
//! open there. Survey answers (`surveys::seal`) and chat webhook URLs and
//! secrets ([`webhook_associated`]) both seal through here.
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

/// The nonce's length in bytes (ChaCha20-Poly1305's 96-bit nonce).
pub const NONCE_LEN: usize = 12;

/// A 32-byte key, configured as 64 hexadecimal characters. Its `Debug`
/// never shows the key, not even in a debug dump of the settings.
#[derive(Clone)]
pub struct SecretKey(Key);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    /// Reads a key from its 64 hexadecimal characters (surrounding
    /// whitespace ignored, as a key file ends with a newline). The error
    /// says what is expected, never what was given.
    pub fn parse(hex: &str) -> Result<SecretKey, String> {
        let hex = hex.trim();
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "must be 64 hexadecimal characters (32 bytes, for example from `openssl rand -hex 32`), got {} characters",
                hex.chars().count()
            ));
        }
        let mut key = [0u8; 32];
        for (i, b) in key.iter_mut().enumerate() {
            *b = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).map_err(|e| e.to_string())?;
        }
        Ok(SecretKey(key.into()))
    }
}

/// Sealing or opening failed: another key, other associated data, or
/// altered bytes (opening); a value too large to seal (sealing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CipherError;

/// Seals `plaintext` under `key`, bound to `associated`.
pub fn seal(key: &SecretKey, plaintext: &[u8], associated: &[u8]) -> Result<Vec<u8>, CipherError> {
    let nonce = ChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = ChaCha20Poly1305::new(&key.0)
        .encrypt(
            &nonce,
            Payload {
                msg: plaintext,
                aad: associated,
            },
        )
        .map_err(|_| CipherError)?;
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens a value [`seal`]ed under `key` with the same `associated` data.
pub fn open(key: &SecretKey, sealed: &[u8], associated: &[u8]) -> Result<Vec<u8>, CipherError> {
    if sealed.len() < NONCE_LEN {
        return Err(CipherError);
    }
    let (nonce, body) = sealed.split_at(NONCE_LEN);
    ChaCha20Poly1305::new(&key.0)
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: body,
                aad: associated,
            },
        )
        .map_err(|_| CipherError)
}

/// The associated data of a chat destination's sealed URL and secret: a
/// value sealed for one destination does not open for another.
pub fn webhook_associated(destination_id: &str) -> Vec<u8> {
    format!("keel webhook v1\n{destination_id}").into_bytes()
}
