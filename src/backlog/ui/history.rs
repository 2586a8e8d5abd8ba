//! A requirement's history and "why did this move".
use super::*;
use crate::backlog::api::why_moved;
use crate::backlog::model::{HistoryEntry, Moscow, ScoreInput, Status, round2};
use crate::i18n::*;
use crate::ui::form::TextField;
use leptos::prelude::*;

/// A date-time as its date (YYYY-MM-DD).
pub(super) fn day(at: &str) -> String {
    crate::calendar::day_part(at)
}

/// A date-time as "YYYY-MM-DD HH:MM" (the server sends instants in the
/// organisation's offset).
pub(super) fn minute(at: &str) -> String {
    crate::calendar::minute_part(at)
}

/// A value of one input as people read it (a MoSCoW weight as its category).
pub(super) fn show_value(locale: Locale, field: &str, v: f64) -> String {
    if field == "category" {
        match Moscow::from_weight(v) {
            Some(Moscow::Must) => td_string!(locale, backlog.moscow.must).to_string(),
            Some(Moscow::Should) => td_string!(locale, backlog.moscow.should).to_string(),
            Some(Moscow::Could) => td_string!(locale, backlog.moscow.could).to_string(),
            Some(Moscow::Wont) => td_string!(locale, backlog.moscow.wont).to_string(),
            None => v.to_string(),
        }
    } else {
        round2(v).to_string()
    }
}

/// An intake field's name as the forms show it.
pub(super) fn intake_label(locale: Locale, field: &str) -> &'static str {
    match field {
        "title" => td_string!(locale, backlog.title_field),
        "description" => td_string!(locale, backlog.description),
        "source" => td_string!(locale, backlog.source),
        "requester" => td_string!(locale, backlog.requester),
        "customer" => td_string!(locale, backlog.customer),
        "segment" => td_string!(locale, backlog.segment),
        _ => td_string!(locale, backlog.links),
    }
}

/// One history line in words.
pub(super) fn history_text(locale: Locale, h: &HistoryEntry) -> String {
    let status = |s: &Option<String>| {
        s.as_deref()
            .and_then(Status::parse)
            .map(|s| status_label(locale, s).to_string())
            .unwrap_or_default()
    };
    match h.kind.as_str() {
        "created" => td_string!(locale, backlog.history.created).to_string(),
        "status" => format!(
            "{}: {} → {}",
            td_string!(locale, backlog.history.status),
            status(&h.from),
            status(&h.to)
        ),
        "score" => {
            let parts: Vec<String> = h
                .changes
                .iter()
                .map(|c| {
                    let from = c
                        .from
                        .map(|f| show_value(locale, &c.field, f))
                        .unwrap_or_else(|| "—".into());
                    format!(
                        "{} {} → {}",
                        field_label(locale, &c.field),
                        from,
                        show_value(locale, &c.field, c.to)
                    )
                })
                .collect();
            format!(
                "{}: {}",
                td_string!(locale, backlog.history.score),
                parts.join(", ")
            )
        }
        "move" => td_string!(locale, backlog.history.moved).to_string(),
        "reset" => td_string!(locale, backlog.history.reset).to_string(),
        "merge" => td_string!(locale, backlog.history.merged).to_string(),
        "unmerge" => td_string!(locale, backlog.history.unmerged).to_string(),
        "owner" => td_string!(locale, backlog.history.owner).to_string(),
        "edit" => {
            // The changed fields, named (their old and new values are kept).
            let fields: Vec<&str> = h
                .to
                .as_deref()
                .and_then(|t| {
                    serde_json::from_str::<std::collections::BTreeMap<String, serde_json::Value>>(t)
                        .ok()
                })
                .map(|m| {
                    // In the order the form shows them.
                    [
                        "title",
                        "description",
                        "source",
                        "requester",
                        "customer",
                        "segment",
                        "links",
                    ]
                    .into_iter()
                    .filter(|k| m.contains_key(*k))
                    .map(|k| intake_label(locale, k))
                    .collect()
                })
                .unwrap_or_default();
            format!(
                "{}: {}",
                td_string!(locale, backlog.history.edited),
                fields.join(", ")
            )
        }
        "reopen" => format!(
            "{}: {}",
            td_string!(locale, backlog.history.reopened),
            h.to.clone().unwrap_or_default()
        ),
        "rescore" => {
            let framework =
                h.to.as_deref()
                    .and_then(|f| serde_json::from_value(serde_json::json!(f)).ok())
                    .map(|f| framework_label(locale, f))
                    .unwrap_or_default();
            let old: Vec<String> = h
                .from
                .as_deref()
                .and_then(|j| serde_json::from_str::<ScoreInput>(j).ok())
                .map(|i| {
                    i.values()
                        .into_iter()
                        .map(|(f, v)| {
                            format!("{} {}", field_label(locale, f), show_value(locale, f, v))
                        })
                        .collect()
                })
                .unwrap_or_default();
            format!(
                "{} {}: {} ({})",
                td_string!(locale, backlog.history.rescored),
                framework,
                td_string!(locale, backlog.history.rescored_tail),
                old.join(", ")
            )
        }
        "unreset" => td_string!(locale, backlog.history.unreset).to_string(),
        _ => h.kind.clone(),
    }
}

#[component]
pub(super) fn HistoryList(
    entries: Vec<HistoryEntry>,
    #[prop(optional)] own_id: Option<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ol class="timeline">
            {entries
                .into_iter()
                .map(|h| {
                    let other = own_id.as_ref().is_some_and(|o| *o != h.requirement_id);
                    let link = format!("/backlog/requirements/{}", h.requirement_id);
                    let title = h.requirement_title.clone();
                    let at = minute(&h.at);
                    let actor = h.actor_name.clone();
                    let place = h.now_above;
                    view! {
                        <li data-testid="history-entry">
                            <time class="muted small">{at}</time>
                            <span>
                                {other.then(|| view! { <a href=link>{title}</a> })}
                                {place.map(|above| view! {
                                    " "
                                    <span class="chip" data-testid="now-place">
                                        {move || if above {
                                            td_string!(i18n.get_locale(), backlog.why.now_above)
                                        } else {
                                            td_string!(i18n.get_locale(), backlog.why.now_below)
                                        }}
                                    </span>
                                })}
                                {other.then(|| ": ")}
                                {move || history_text(i18n.get_locale(), &h)}
                            </span>
                            <span class="muted small">{actor}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

/// "Why did this move since …": the changes since a chosen date.
#[component]
pub(super) fn WhyMoved(requirement_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let since = RwSignal::new(String::new());
    let asked = RwSignal::new(None::<String>);
    let rid = requirement_id.clone();
    let answer = Resource::new(
        move || asked.get(),
        move |d| {
            let rid = rid.clone();
            async move {
                match d {
                    Some(d) => why_moved(rid, d).await.map(Some),
                    None => Ok(None),
                }
            }
        },
    );
    let error = Signal::derive(move || answer.get().and_then(|r| r.err()));
    view! {
        <section class="card section" aria-labelledby="why-title">
            <h2 id="why-title">{t!(i18n, backlog.why.title)}</h2>
            <form id="why-form" class="form-row" novalidate on:submit=move |ev| {
                ev.prevent_default();
                asked.set(Some(since.get_untracked()));
            }>
                <TextField form="why-form" name="since" kind="date" value=since error>{t!(i18n, backlog.why.since)}</TextField>
                <div class="form-actions">
                    <button type="submit" class="btn">{t!(i18n, backlog.why.explain)}</button>
                </div>
            </form>
            <Transition fallback=|| view! { <div class="skeleton line"></div> }>
                {move || {
                    let rid = requirement_id.clone();
                    Suspend::new(async move {
                        match answer.await {
                            Ok(Some(list)) if list.is_empty() => view! { <p class="muted" data-testid="why-answer">{t!(i18n, backlog.why.nothing)}</p> }.into_any(),
                            Ok(Some(list)) => view! {
                                <div data-testid="why-answer">
                                    <p class="muted small">{t!(i18n, backlog.why.explainer)}</p>
                                    <HistoryList entries=list own_id=rid/>
                                </div>
                            }.into_any(),
                            _ => ().into_any(),
                        }
                    })
                }}
            </Transition>
        </section>
    }
}
