//! Pieces shared by the survey pages: labels and the round's status badge.
use crate::i18n::*;
use crate::surveys::model::{Pulse, RoundStatus, Theme, Visibility};
use crate::ui::icons::Icon;
use leptos::prelude::*;

pub fn theme_label(locale: Locale, t: Theme) -> &'static str {
    match t {
        Theme::Engagement => td_string!(locale, surveys.theme.engagement),
        Theme::Culture => td_string!(locale, surveys.theme.culture),
        Theme::Safety => td_string!(locale, surveys.theme.safety),
        Theme::Balance => td_string!(locale, surveys.theme.balance),
        Theme::Environment => td_string!(locale, surveys.theme.environment),
        Theme::Wellbeing => td_string!(locale, surveys.theme.wellbeing),
    }
}

fn status_label(locale: Locale, s: RoundStatus) -> &'static str {
    match s {
        RoundStatus::Scheduled => td_string!(locale, surveys.status.scheduled),
        RoundStatus::Open => td_string!(locale, surveys.status.open),
        RoundStatus::Closed => td_string!(locale, surveys.status.closed),
        RoundStatus::Cancelled => td_string!(locale, surveys.status.cancelled),
    }
}

pub(super) fn pulse_label(locale: Locale, p: Pulse) -> &'static str {
    match p {
        Pulse::None => td_string!(locale, surveys.pulse.none),
        Pulse::Weekly => td_string!(locale, surveys.pulse.weekly),
        Pulse::Fortnightly => td_string!(locale, surveys.pulse.fortnightly),
        Pulse::Monthly => td_string!(locale, surveys.pulse.monthly),
        Pulse::Quarterly => td_string!(locale, surveys.pulse.quarterly),
    }
}

pub(super) fn visibility_label(locale: Locale, v: Visibility) -> &'static str {
    match v {
        Visibility::Private => td_string!(locale, surveys.visibility.private),
        Visibility::Team => td_string!(locale, surveys.visibility.team),
        Visibility::Organisation => td_string!(locale, surveys.visibility.organisation),
    }
}

/// A round form's visibility choices, in the page's language.
pub(super) fn visibility_options() -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        Visibility::ALL
            .iter()
            .map(|v| {
                let label = visibility_label(i18n.get_locale(), *v);
                (v.as_str().to_string(), label.to_string())
            })
            .collect()
    })
}

/// A round form's pulse choices, in the page's language (`repeating`: only
/// the cadences, without "does not repeat").
pub(super) fn pulse_options(repeating: bool) -> Signal<Vec<(String, String)>> {
    let i18n = use_i18n();
    Signal::derive(move || {
        Pulse::ALL
            .iter()
            .filter(|p| !repeating || **p != Pulse::None)
            .map(|p| {
                (
                    p.as_str().to_string(),
                    pulse_label(i18n.get_locale(), *p).to_string(),
                )
            })
            .collect()
    })
}

pub(super) fn likert_label(locale: Locale, v: i64) -> &'static str {
    match v {
        1 => td_string!(locale, surveys.likert.l1),
        2 => td_string!(locale, surveys.likert.l2),
        3 => td_string!(locale, surveys.likert.l3),
        4 => td_string!(locale, surveys.likert.l4),
        _ => td_string!(locale, surveys.likert.l5),
    }
}

#[component]
pub(super) fn StatusBadge(status: RoundStatus) -> impl IntoView {
    let i18n = use_i18n();
    let (class, icon) = match status {
        RoundStatus::Scheduled => ("badge badge-info", "clock"),
        RoundStatus::Open => ("badge badge-ok", "edit"),
        RoundStatus::Closed => ("badge", "lock"),
        RoundStatus::Cancelled => ("badge badge-muted", "alert"),
    };
    view! {
        <span class=class data-testid="round-status" data-status=status.as_str()>
            <Icon name=icon/>
            {move || status_label(i18n.get_locale(), status)}
        </span>
    }
}
