//! Configuration from the environment, with defaults. A bad value stops the
//! start with one line that names the variable.
use std::net::SocketAddr;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    pub site_addr: SocketAddr,
    pub demo: bool,
    pub secure_cookies: bool,
    /// The one-time token setup asks for; random (and printed in the log) when unset.
    pub setup_token: Option<String>,
    /// Behind a reverse proxy: the client's address is the last X-Forwarded-For entry.
    pub trust_proxy: bool,
    /// Seals answers to open survey rounds where the database cannot
    /// overwrite in place (required on PostgreSQL; see README).
    pub survey_key: Option<crate::surveys::seal::SealKey>,
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
        let database_url = database_url(&get)?;
        let addr = get("LEPTOS_SITE_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_string());
        let site_addr = addr.parse().map_err(|_| {
            format!("LEPTOS_SITE_ADDR must be host:port (for example 127.0.0.1:3000), got {addr:?}")
        })?;
        let demo = flag(&get, "KEEL_DEMO", false)?;
        let secure_cookies = flag(&get, "KEEL_SECURE_COOKIES", !cfg!(debug_assertions))?;
        let setup_token = get("KEEL_SETUP_TOKEN").filter(|t| !t.trim().is_empty());
        if setup_token.as_ref().is_some_and(|t| t.trim().len() < 16) {
            return Err("KEEL_SETUP_TOKEN must be at least 16 characters".to_string());
        }
        let trust_proxy = flag(&get, "KEEL_TRUST_PROXY", false)?;
        let survey_key = survey_key(&get, &database_url)?;
        Ok(Settings {
            database_url,
            site_addr,
            demo,
            secure_cookies,
            setup_token: setup_token.map(|t| t.trim().to_string()),
            trust_proxy,
            survey_key,
        })
    }
}

/// `KEEL_SURVEY_KEY`, or the file `KEEL_SURVEY_KEY_FILE` names (for a
/// secret store that mounts files); required on PostgreSQL.
fn survey_key(
    get: &impl Fn(&str) -> Option<String>,
    database_url: &str,
) -> Result<Option<crate::surveys::seal::SealKey>, String> {
    use crate::surveys::seal::SealKey;
    let value = get("KEEL_SURVEY_KEY").filter(|k| !k.trim().is_empty());
    let file = get("KEEL_SURVEY_KEY_FILE").filter(|k| !k.trim().is_empty());
    let key = match (value, file) {
        (Some(_), Some(_)) => {
            return Err("set KEEL_SURVEY_KEY or KEEL_SURVEY_KEY_FILE, not both".to_string());
        }
        (Some(k), None) => Some(SealKey::parse(&k).map_err(|e| format!("KEEL_SURVEY_KEY {e}"))?),
        (None, Some(path)) => {
            let k = std::fs::read_to_string(path.trim())
                .map_err(|e| format!("KEEL_SURVEY_KEY_FILE: cannot read {path:?}: {e}"))?;
            Some(SealKey::parse(&k).map_err(|e| format!("KEEL_SURVEY_KEY_FILE {path:?} {e}"))?)
        }
        (None, None) => None,
    };
    if key.is_none() && !database_url.starts_with("sqlite:") {
        return Err("KEEL_SURVEY_KEY must be set on PostgreSQL: 64 hexadecimal characters (for example from `openssl rand -hex 32`), the same on every server, kept outside the database and its backups; it seals survey answers until their round closes (see README)".to_string());
    }
    Ok(key)
}

/// `KEEL_DATABASE_URL`, all the command line's `backup`, `restore` and
/// `copy-to` need (they copy sealed survey answers as they are).
pub fn database_url(get: &impl Fn(&str) -> Option<String>) -> Result<String, String> {
    let database_url =
        get("KEEL_DATABASE_URL").unwrap_or_else(|| "sqlite://data/keel.db".to_string());
    if !["sqlite:", "postgres:", "postgresql:"]
        .iter()
        .any(|s| database_url.starts_with(s))
    {
        return Err(format!(
            "KEEL_DATABASE_URL must be a sqlite: or postgres: URL (for example sqlite://data/keel.db or postgres://keel@db.internal/keel), got {database_url:?}"
        ));
    }
    Ok(database_url)
}

fn flag(get: &impl Fn(&str) -> Option<String>, name: &str, default: bool) -> Result<bool, String> {
    match get(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(format!("{name} must be 1 or 0, got {other:?}")),
    }
}
