//! CSV import of people: the column table and the rule for one row.
//! Reading (UTF-8 with or without BOM, or GB18030; English or Chinese
//! headers; row numbers and row errors) is `crate::csv_read`'s.
use super::model::Team;
use crate::auth::{Language, Role};
use crate::csv_read::{Column, Parsed};
use crate::error::{AppError, ErrorCode};
use std::collections::BTreeSet;

/// The columns an import of people reads.
pub const COLUMNS: [Column; 5] = [
    Column::required("name", "name", "姓名"),
    Column::required("email", "email", "邮箱"),
    Column::required("role", "role", "角色"),
    Column::optional("team", "team", "团队"),
    Column::optional("language", "language", "语言"),
];

/// One person as a row of the file names them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRow {
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub team_id: Option<String>,
    pub language: Language,
}

/// A role as a file may write it: its key (`pm`), its English name
/// (`Product manager`) or its Chinese one (`产品经理`).
fn role(cell: &str) -> Option<Role> {
    let c = cell.trim();
    let named = |r: Role| match r {
        Role::Admin => ["admin", "administrator", "管理员"],
        Role::Leader => ["leader", "team leader", "团队负责人"],
        Role::Pm => ["pm", "product manager", "产品经理"],
        Role::Member => ["member", "member", "成员"],
    };
    Role::ALL
        .into_iter()
        .find(|r| named(*r).iter().any(|n| n.eq_ignore_ascii_case(c)))
}

/// A language as a file may write it (empty: `default`).
fn language(cell: &str, default: Language) -> Option<Language> {
    match cell.trim().to_lowercase().as_str() {
        "" => Some(default),
        "en" | "english" | "英文" | "英语" => Some(Language::En),
        "zh" | "zh-cn" | "chinese" | "中文" | "简体中文" | "中文（简体）" => {
            Some(Language::Zh)
        }
        _ => None,
    }
}

/// Parses a decoded file: names and emails as the people form checks them,
/// roles and languages in English or Chinese, teams by name (as the admin
/// shows them). An email twice in one file is refused on its second row.
pub fn parse(text: &str, teams: &[Team], default_language: Language) -> Parsed<PersonRow> {
    let mut seen = BTreeSet::new();
    crate::csv_read::read(text, &COLUMNS, |r| {
        let mut errors = Vec::new();
        let name = crate::input::parse_name("name", r.cell("name"));
        let email = crate::input::parse_email(r.cell("email"));
        if let Ok(e) = &email {
            if !seen.insert(e.clone()) {
                errors.push(AppError::field(ErrorCode::EmailTaken, "email"));
            }
        }
        let role =
            role(r.cell("role")).ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "role"));
        let team_cell = r.cell("team").trim();
        let team = if team_cell.is_empty() {
            Ok(None)
        } else {
            teams
                .iter()
                .find(|t| t.name.trim().eq_ignore_ascii_case(team_cell))
                .map(|t| Some(t.id.clone()))
                .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "team"))
        };
        let language = language(r.cell("language"), default_language)
            .ok_or_else(|| AppError::field(ErrorCode::InvalidChoice, "language"));
        for e in [
            name.as_ref().err(),
            email.as_ref().err(),
            role.as_ref().err(),
            team.as_ref().err(),
            language.as_ref().err(),
        ]
        .into_iter()
        .flatten()
        {
            errors.push(e.clone());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PersonRow {
            display_name: name.unwrap_or_default(),
            email: email.unwrap_or_default(),
            role: role.unwrap_or(Role::Member),
            team_id: team.unwrap_or_default(),
            language: language.unwrap_or(default_language),
        })
    })
}
