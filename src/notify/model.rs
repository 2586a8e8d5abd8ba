//! What an event is and how each kind is handled (compiled for the browser
//! too). [`spec`] is the one place that says what a kind may do.
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

text_enum!(
    /// A kind of event that tells someone something.
    EventKind {
        CheckinDue => "checkin_due",
        CheckinOverdue => "checkin_overdue",
        KpiStatusChanged => "kpi_status_changed",
        RequirementStateChanged => "requirement_state_changed",
        RequirementMerged => "requirement_merged",
        RequirementEvidenceAdded => "requirement_evidence_added",
        PokerInvited => "poker_invited",
        PlanWaitingApproval => "plan_waiting_approval",
        PlanApproved => "plan_approved",
        SurveyOpened => "survey_opened",
        SurveyClosing => "survey_closing",
        SurveyActionDue => "survey_action_due",
        MentoringMeetingLogged => "mentoring_meeting_logged",
    }
);

/// How a kind of event may travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KindSpec {
    /// It may be sent by email.
    pub email: bool,
    /// It may be posted to a team's chat.
    pub chat: bool,
    /// A person may turn its email off.
    pub mutable: bool,
    /// It is about one person's own data (plans, mentoring, their check-ins
    /// late): never posted to a team's chat.
    pub person_data: bool,
}

/// THE one place to say what a kind may do.
pub fn spec(kind: EventKind) -> KindSpec {
    use EventKind::*;
    let (email, chat, mutable, person_data) = match kind {
        CheckinDue => (true, false, true, false),
        CheckinOverdue => (true, false, true, true),
        KpiStatusChanged => (true, true, true, false),
        RequirementStateChanged => (true, true, true, false),
        RequirementMerged => (true, false, true, false),
        RequirementEvidenceAdded => (true, false, true, false),
        PokerInvited => (true, true, true, false),
        PlanWaitingApproval => (true, false, false, true),
        PlanApproved => (true, false, true, true),
        SurveyOpened => (true, true, true, false),
        SurveyClosing => (true, true, true, false),
        SurveyActionDue => (true, false, true, false),
        MentoringMeetingLogged => (true, false, true, true),
    };
    KindSpec {
        email,
        chat,
        mutable,
        person_data,
    }
}

/// Something that happened, as written to the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    pub kind: EventKind,
    /// The record it is about (a requirement, a KPI, a plan …).
    pub subject_id: String,
    /// The team whose chat may hear of it.
    pub team_id: Option<String>,
    /// Who caused it (never told of it); `None` for time-made events.
    pub actor_id: Option<String>,
    /// Values the wording names (`{title}`, `{status}` …), as plain text.
    pub params: BTreeMap<String, String>,
    /// The record's page, a path of this site.
    pub link: String,
}

impl Event {
    /// A new event with a fresh id.
    pub fn new(
        kind: EventKind,
        subject_id: &str,
        team_id: Option<&str>,
        actor_id: Option<&str>,
        link: impl Into<String>,
    ) -> Event {
        Event {
            id: uuid::Uuid::new_v4().to_string(),
            kind,
            subject_id: subject_id.to_string(),
            team_id: team_id.map(str::to_string),
            actor_id: actor_id.map(str::to_string),
            params: BTreeMap::new(),
            link: link.into(),
        }
    }

    /// The same event naming one more value.
    pub fn with(mut self, key: &str, value: impl Into<String>) -> Event {
        self.params.insert(key.to_string(), value.into());
        self
    }
}

/// One notification on the notifications page, worded in the reader's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationRow {
    pub id: String,
    pub kind: EventKind,
    pub title: String,
    pub body: String,
    /// The record's page.
    pub link: String,
    pub unread: bool,
    /// When it arrived, as stored (UTC): what "mark all read" sends back.
    pub created_at: String,
    /// The same instant in the organisation's offset, for display.
    pub local_at: String,
}

/// A page of the notifications page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsPage {
    pub rows: Vec<NotificationRow>,
    /// How many the list holds (with the unread-only filter, if set).
    pub total: i64,
    pub offset: i64,
    pub unread: i64,
    pub unread_only: bool,
    /// The newest arrival of the whole list ("" when empty): mark-all-read
    /// marks up to it, so a later arrival stays unread.
    pub newest: String,
}

/// Whether a link is a path of this site (an event's link is only ever one).
pub fn is_local_link(link: &str) -> bool {
    link.starts_with('/') && !link.starts_with("//") && !link.contains('\\')
}
