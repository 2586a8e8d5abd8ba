//! Translated names of states, sources, frameworks, fields, sorts, agreement and evidence kinds.
use crate::backlog::model::{Agreement, EvidenceKind, Framework, Sort, Source, Status};
use crate::i18n::*;

pub fn status_label(locale: Locale, s: Status) -> &'static str {
    match s {
        Status::New => td_string!(locale, backlog.status.new),
        Status::UnderReview => td_string!(locale, backlog.status.under_review),
        Status::Planned => td_string!(locale, backlog.status.planned),
        Status::InProgress => td_string!(locale, backlog.status.in_progress),
        Status::Done => td_string!(locale, backlog.status.done),
        Status::Rejected => td_string!(locale, backlog.status.rejected),
        Status::Duplicate => td_string!(locale, backlog.status.duplicate),
        Status::Withdrawn => td_string!(locale, backlog.status.withdrawn),
    }
}

pub fn source_label(locale: Locale, s: Source) -> &'static str {
    match s {
        Source::Customer => td_string!(locale, backlog.sources.customer),
        Source::Sales => td_string!(locale, backlog.sources.sales),
        Source::Support => td_string!(locale, backlog.sources.support),
        Source::MarketResearch => td_string!(locale, backlog.sources.market_research),
        Source::UserResearch => td_string!(locale, backlog.sources.user_research),
        Source::InternalIdea => td_string!(locale, backlog.sources.internal_idea),
        Source::Leadership => td_string!(locale, backlog.sources.leadership),
    }
}

pub fn framework_label(locale: Locale, f: Framework) -> &'static str {
    match f {
        Framework::Rice => td_string!(locale, backlog.frameworks.rice),
        Framework::Wsjf => td_string!(locale, backlog.frameworks.wsjf),
        Framework::Ice => td_string!(locale, backlog.frameworks.ice),
        Framework::ValueEffort => td_string!(locale, backlog.frameworks.value_effort),
        Framework::Moscow => td_string!(locale, backlog.frameworks.moscow),
    }
}

pub fn field_label(locale: Locale, field: &str) -> &'static str {
    match field {
        "reach" => td_string!(locale, backlog.fields.reach),
        "impact" => td_string!(locale, backlog.fields.impact),
        "confidence" => td_string!(locale, backlog.fields.confidence),
        "effort" => td_string!(locale, backlog.fields.effort),
        "business_value" => td_string!(locale, backlog.fields.business_value),
        "time_criticality" => td_string!(locale, backlog.fields.time_criticality),
        "risk_reduction" => td_string!(locale, backlog.fields.risk_reduction),
        "job_size" => td_string!(locale, backlog.fields.job_size),
        "ease" => td_string!(locale, backlog.fields.ease),
        "value" => td_string!(locale, backlog.fields.value),
        _ => td_string!(locale, backlog.fields.category),
    }
}

pub fn sort_label(locale: Locale, s: Sort) -> &'static str {
    match s {
        Sort::Rank => td_string!(locale, backlog.sorts.rank),
        Sort::Score => td_string!(locale, backlog.sorts.score),
        Sort::Votes => td_string!(locale, backlog.sorts.votes),
        Sort::Newest => td_string!(locale, backlog.sorts.newest),
        Sort::Oldest => td_string!(locale, backlog.sorts.oldest),
    }
}

pub fn agreement_label(locale: Locale, a: Option<Agreement>) -> &'static str {
    match a {
        Some(Agreement::High) => td_string!(locale, backlog.poker.high),
        Some(Agreement::Medium) => td_string!(locale, backlog.poker.medium),
        Some(Agreement::Low) => td_string!(locale, backlog.poker.low),
        None => "—",
    }
}

pub(super) fn evidence_label(locale: Locale, k: EvidenceKind) -> &'static str {
    match k {
        EvidenceKind::ResearchFinding => td_string!(locale, backlog.evidence.research_finding),
        EvidenceKind::CustomerQuote => td_string!(locale, backlog.evidence.customer_quote),
        EvidenceKind::Metric => td_string!(locale, backlog.evidence.metric),
    }
}
