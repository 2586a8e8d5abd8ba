//! The wording of a notification, one for every channel: a title and a body
//! per kind (`notify.kind.<kind>.{title,body}` in the locale files) with the
//! event's values put in their `{name}` places. Values are plain text (a
//! requirement's title is whatever its submitter typed): the page escapes
//! them, as every view does. A state is named in the reader's language.
use super::model::EventKind;
use crate::i18n::*;
use std::collections::BTreeMap;

/// The title and body template of a kind in a language.
pub fn templates(kind: EventKind, locale: Locale) -> (&'static str, &'static str) {
    use EventKind::*;
    match kind {
        CheckinDue => (
            td_string!(locale, notify.kind.checkin_due.title),
            td_string!(locale, notify.kind.checkin_due.body),
        ),
        CheckinOverdue => (
            td_string!(locale, notify.kind.checkin_overdue.title),
            td_string!(locale, notify.kind.checkin_overdue.body),
        ),
        KpiStatusChanged => (
            td_string!(locale, notify.kind.kpi_status_changed.title),
            td_string!(locale, notify.kind.kpi_status_changed.body),
        ),
        RequirementStateChanged => (
            td_string!(locale, notify.kind.requirement_state_changed.title),
            td_string!(locale, notify.kind.requirement_state_changed.body),
        ),
        RequirementMerged => (
            td_string!(locale, notify.kind.requirement_merged.title),
            td_string!(locale, notify.kind.requirement_merged.body),
        ),
        RequirementEvidenceAdded => (
            td_string!(locale, notify.kind.requirement_evidence_added.title),
            td_string!(locale, notify.kind.requirement_evidence_added.body),
        ),
        PokerInvited => (
            td_string!(locale, notify.kind.poker_invited.title),
            td_string!(locale, notify.kind.poker_invited.body),
        ),
        PlanWaitingApproval => (
            td_string!(locale, notify.kind.plan_waiting_approval.title),
            td_string!(locale, notify.kind.plan_waiting_approval.body),
        ),
        PlanApproved => (
            td_string!(locale, notify.kind.plan_approved.title),
            td_string!(locale, notify.kind.plan_approved.body),
        ),
        SurveyOpened => (
            td_string!(locale, notify.kind.survey_opened.title),
            td_string!(locale, notify.kind.survey_opened.body),
        ),
        SurveyClosing => (
            td_string!(locale, notify.kind.survey_closing.title),
            td_string!(locale, notify.kind.survey_closing.body),
        ),
        SurveyActionDue => (
            td_string!(locale, notify.kind.survey_action_due.title),
            td_string!(locale, notify.kind.survey_action_due.body),
        ),
        MentoringMeetingLogged => (
            td_string!(locale, notify.kind.mentoring_meeting_logged.title),
            td_string!(locale, notify.kind.mentoring_meeting_logged.body),
        ),
    }
}

/// A value as the reader reads it: states in their language, the rest as given.
fn shown(kind: EventKind, key: &str, value: &str, locale: Locale) -> String {
    match (kind, key) {
        (EventKind::RequirementStateChanged, "status") => {
            match crate::backlog::model::Status::parse(value) {
                Some(s) => crate::backlog::ui::status_label(locale, s).to_string(),
                None => value.to_string(),
            }
        }
        (EventKind::KpiStatusChanged, "status") => {
            match crate::kpi::model::KpiStatus::parse(value) {
                Some(s) => crate::kpi::ui::status_label(locale, s).to_string(),
                None => value.to_string(),
            }
        }
        _ => value.to_string(),
    }
}

/// Puts the values in their `{name}` places; a place with no value is left
/// empty, and a value is never read again for places (no injection of one
/// value's braces into another).
pub fn fill(
    template: &str,
    kind: EventKind,
    params: &BTreeMap<String, String>,
    locale: Locale,
) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close)
                if after[..close]
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_') =>
            {
                let key = &after[..close];
                if let Some(v) = params.get(key) {
                    out.push_str(&shown(kind, key, v, locale));
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A notification's title and body in a language.
pub fn render(
    kind: EventKind,
    params: &BTreeMap<String, String>,
    locale: Locale,
) -> (String, String) {
    let (title, body) = templates(kind, locale);
    (
        fill(title, kind, params, locale),
        fill(body, kind, params, locale),
    )
}
