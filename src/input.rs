//! What a person types, checked the same way on every path in (forms, CSV
//! imports, JSON): trimmed, required or optional, bounded in length, and of
//! the right shape. Errors name the field, so the message lands beside it.
use crate::error::{AppError, ErrorCode};

pub const NAME_MAX: usize = 120;
pub const TEXT_MAX: usize = 10_000;
pub const EMAIL_MAX: usize = 254;
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// A required single-line name: trimmed, non-empty, at most 120 characters.
pub fn parse_name(field: &str, raw: &str) -> Result<String, AppError> {
    parse_bounded(field, raw, NAME_MAX)
}

/// Required free text: trimmed, non-empty, at most 10,000 characters.
pub fn parse_text(field: &str, raw: &str) -> Result<String, AppError> {
    parse_bounded(field, raw, TEXT_MAX)
}

fn parse_bounded(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    if value.chars().count() > max {
        return Err(AppError::field(ErrorCode::TooLong, field));
    }
    Ok(value.to_string())
}

/// An email address, lower-cased: one `@`, a non-empty local part and a domain
/// with a dot, no spaces. Deliverability is not our business.
pub fn parse_email(raw: &str) -> Result<String, AppError> {
    let value = raw.trim().to_lowercase();
    if value.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "email"));
    }
    if value.chars().count() > EMAIL_MAX {
        return Err(AppError::field(ErrorCode::TooLong, "email"));
    }
    let valid = match value.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !value.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if valid {
        Ok(value)
    } else {
        Err(AppError::field(ErrorCode::InvalidEmail, "email"))
    }
}

/// A new password: 8 to 128 characters.
pub fn parse_new_password(field: &str, raw: &str) -> Result<String, AppError> {
    let n = raw.chars().count();
    if n == 0 {
        return Err(AppError::field(ErrorCode::Required, field));
    }
    if n < PASSWORD_MIN {
        return Err(AppError::field(ErrorCode::PasswordTooShort, field));
    }
    if n > PASSWORD_MAX {
        return Err(AppError::field(ErrorCode::PasswordTooLong, field));
    }
    Ok(raw.to_string())
}

/// ISO 4217-shaped currency code: three letters, stored upper-case.
pub fn parse_currency(raw: &str) -> Result<String, AppError> {
    let value = raw.trim().to_uppercase();
    if value.is_empty() {
        return Err(AppError::field(ErrorCode::Required, "currency"));
    }
    if value.len() == 3 && value.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(value)
    } else {
        Err(AppError::field(ErrorCode::InvalidCurrency, "currency"))
    }
}

/// Optional free text: trimmed, at most `max` characters.
pub fn optional_text(field: &str, raw: &str, max: usize) -> Result<String, AppError> {
    let t = raw.trim();
    if t.chars().count() > max {
        return Err(AppError::field(ErrorCode::TooLong, field));
    }
    Ok(t.to_string())
}

/// An optional web link: empty, or starting with https:// or http://.
pub fn optional_link(field: &str, raw: &str) -> Result<String, AppError> {
    let t = raw.trim();
    if !t.is_empty()
        && (!(t.starts_with("https://") || t.starts_with("http://"))
            || t.len() > 2000
            || t.contains(char::is_whitespace))
    {
        return Err(AppError::field(ErrorCode::InvalidLink, field));
    }
    Ok(t.to_string())
}

/// A move's direction from a form, "up" or "down": whether it is up.
pub fn parse_direction(raw: &str) -> Result<bool, AppError> {
    match raw.trim() {
        "up" => Ok(true),
        "down" => Ok(false),
        _ => Err(AppError::field(ErrorCode::InvalidChoice, "direction")),
    }
}

/// The longest search a list takes (longer text is cut there).
pub const SEARCH_MAX: usize = 200;

/// What a list's search box sent, as searched: trimmed, at most
/// `SEARCH_MAX` characters ("" searches for everything).
pub fn search_text(raw: &str) -> String {
    raw.trim()
        .chars()
        .take(SEARCH_MAX)
        .collect::<String>()
        .trim()
        .to_string()
}

/// An optional reference from a select: empty means none.
pub fn optional_id(raw: &str) -> Option<String> {
    let v = raw.trim();
    (!v.is_empty()).then(|| v.to_string())
}
