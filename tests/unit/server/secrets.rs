//! Unit tests of `src/server/secrets.rs`.

use keel::server::secrets::*;

fn key(c: char) -> SecretKey {
    SecretKey::parse(&c.to_string().repeat(64)).unwrap()
}

#[test]
fn keys_are_64_hex_characters_and_never_printed() {
    let hex = "0123456789abcdef".repeat(4);
    let k = SecretKey::parse(&format!("{hex}\n")).unwrap();
    let shown = format!("{k:?}");
    assert_eq!(shown, "SecretKey(…)");
    assert!(!shown.contains("0123"));
    let e = SecretKey::parse("secret").unwrap_err();
    assert!(e.contains("64 hexadecimal"), "{e}");
    assert!(
        !e.contains("secret"),
        "the error must not echo the value: {e}"
    );
    assert!(SecretKey::parse(&"zz".repeat(32)).is_err());
    assert!(SecretKey::parse(&"ab".repeat(33)).is_err());
}

#[test]
fn a_sealed_value_opens_with_its_key_and_associated_data_only() {
    let url = "https://hooks.slack.com/services/T000/B000/XXXXXXXX";
    let ad = webhook_associated("dest-1");
    assert_eq!(ad, b"keel webhook v1\ndest-1".to_vec());
    let sealed = seal(&key('a'), url.as_bytes(), &ad).unwrap();
    // Nonce, ciphertext and tag; the URL is not readable in it.
    assert_eq!(sealed.len(), NONCE_LEN + url.len() + 16);
    assert!(!sealed.windows(5).any(|w| w == b"hooks"));
    assert_eq!(open(&key('a'), &sealed, &ad).unwrap(), url.as_bytes());
    // Another destination, another key, altered or short bytes: refused.
    assert_eq!(
        open(&key('a'), &sealed, &webhook_associated("dest-2")),
        Err(CipherError)
    );
    assert_eq!(open(&key('b'), &sealed, &ad), Err(CipherError));
    let mut altered = sealed.clone();
    let last = altered.len() - 1;
    altered[last] ^= 1;
    assert_eq!(open(&key('a'), &altered, &ad), Err(CipherError));
    assert_eq!(open(&key('a'), &sealed[..5], &ad), Err(CipherError));
}

#[test]
fn every_seal_uses_a_fresh_nonce() {
    let ad = webhook_associated("dest-1");
    let a = seal(&key('a'), b"secret", &ad).unwrap();
    let b = seal(&key('a'), b"secret", &ad).unwrap();
    assert_ne!(a, b);
    assert_eq!(open(&key('a'), &b, &ad).unwrap(), b"secret");
}
