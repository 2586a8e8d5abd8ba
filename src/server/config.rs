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
}

impl Settings {
    pub fn from_env() -> Result<Settings, String> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Settings, String> {
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
        Ok(Settings {
            database_url,
            site_addr,
            demo,
            secure_cookies,
            setup_token: setup_token.map(|t| t.trim().to_string()),
            trust_proxy,
        })
    }
}

fn flag(get: &impl Fn(&str) -> Option<String>, name: &str, default: bool) -> Result<bool, String> {
    match get(name).as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some("1" | "true" | "yes" | "on") => Ok(true),
        Some("0" | "false" | "no" | "off") => Ok(false),
        Some(other) => Err(format!("{name} must be 1 or 0, got {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(kk, _)| kk == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn defaults() {
        let s = Settings::from_lookup(env(&[])).unwrap();
        assert_eq!(s.database_url, "sqlite://data/keel.db");
        assert_eq!(s.site_addr.to_string(), "127.0.0.1:3000");
        assert!(!s.demo);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = Settings::from_lookup(env(&[("KEEL_DEMO", "maybe")])).unwrap_err();
        assert!(e.starts_with("KEEL_DEMO"), "{e}");
        let e = Settings::from_lookup(env(&[("LEPTOS_SITE_ADDR", "nowhere")])).unwrap_err();
        assert!(e.starts_with("LEPTOS_SITE_ADDR"), "{e}");
        let e = Settings::from_lookup(env(&[("KEEL_DATABASE_URL", "mysql://x")])).unwrap_err();
        assert!(e.starts_with("KEEL_DATABASE_URL"), "{e}");
        let e = Settings::from_lookup(env(&[("KEEL_SECURE_COOKIES", "2")])).unwrap_err();
        assert!(e.starts_with("KEEL_SECURE_COOKIES"), "{e}");
        let s = Settings::from_lookup(env(&[("KEEL_DEMO", "1"), ("KEEL_SECURE_COOKIES", "0")]))
            .unwrap();
        assert!(s.demo && !s.secure_cookies);
    }
}
