//! Handing over what a person owns or leads: `/people/:id/handover`, for
//! admins and the leaders above the person.
use super::api::{HandOver, HandOverAll, person_holdings};
use super::model::{Holding, HoldingKind, Holdings};
use crate::auth::Role;
use crate::i18n::*;
use crate::ui::form::{FormAlert, SelectField, focus_first_invalid};
use crate::ui::icons::Icon;
use crate::ui::page::{PageHeader, PageScaffold, Reload, page_resource, use_reload};
use leptos::prelude::*;

pub fn kind_label(locale: Locale, kind: HoldingKind) -> &'static str {
    match kind {
        HoldingKind::Team => td_string!(locale, people.handover.kinds.team),
        HoldingKind::Kpi => td_string!(locale, people.handover.kinds.kpi),
        HoldingKind::Goal => td_string!(locale, people.handover.kinds.goal),
        HoldingKind::Backlog => td_string!(locale, people.handover.kinds.backlog),
        HoldingKind::Mentoring => td_string!(locale, people.handover.kinds.mentoring),
        HoldingKind::SurveyRound => td_string!(locale, people.handover.kinds.survey_round),
        HoldingKind::SurveyAction => td_string!(locale, people.handover.kinds.survey_action),
    }
}

/// Where a holding is looked after.
fn link(h: &Holding) -> String {
    match h.kind {
        HoldingKind::Team => "/people".into(),
        HoldingKind::Kpi => format!("/kpis/{}", h.id),
        HoldingKind::Goal => "/kpis/goals".into(),
        HoldingKind::Backlog => format!("/backlog?b={}", h.id),
        HoldingKind::Mentoring => "/growth/mentoring".into(),
        HoldingKind::SurveyRound => format!("/surveys/{}", h.id),
        HoldingKind::SurveyAction => "/surveys".into(),
    }
}

#[component]
pub fn HandoverPage() -> impl IntoView {
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.with(|p| p.get("id").unwrap_or_default());
    let reload = Reload::provide();
    let data = page_resource(move || (id(), reload.get()), |(id, _)| person_holdings(id));
    view! {
        <PageScaffold data=data let:h><HandoverView h/></PageScaffold>
    }
}

#[component]
fn HandoverView(h: Holdings) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let all = ServerAction::<HandOverAll>::new();
    let to_all = RwSignal::new(String::new());
    let error = Signal::derive(move || all.value().get().and_then(|r| r.err()));
    focus_first_invalid("handover-all", error);
    Effect::new(move |_| {
        if matches!(all.value().get(), Some(Ok(_))) {
            reload.bump();
        }
    });
    let name = h.person.display_name.clone();
    let person_id = StoredValue::new(h.person.id.clone());
    let receivers = StoredValue::new(h.receivers.clone());
    let kinds: Vec<HoldingKind> = h.items.iter().map(|i| i.kind).collect();
    let all_options = move || {
        receivers.with_value(|r| {
            r.iter()
                .filter(|(_, _, role)| kinds.iter().all(|k| k.accepts(*role)))
                .map(|(id, name, _)| (id.clone(), name.clone()))
                .collect::<Vec<_>>()
        })
    };
    let choose = move || td_string!(i18n.get_locale(), people.handover.choose).to_string();
    let title = name.clone();
    let empty = h.items.is_empty();
    let active = h.person.active;
    view! {
        <PageHeader
            title=Signal::derive(move || format!("{} · {}", t_string!(i18n, people.handover.title), title))
            subtitle=Signal::derive(move || t_string!(i18n, people.handover.intro).to_string())
        />
        <p class="page-links">
            <a href="/people" class="btn btn-small">"← " {t!(i18n, people.handover.back)}</a>
            {if active {
                view! { <span class="badge badge-ok"><Icon name="check"/>{t!(i18n, people.active)}</span> }.into_any()
            } else {
                view! { <span class="badge badge-muted"><Icon name="lock"/>{t!(i18n, people.inactive)}</span> }.into_any()
            }}
        </p>
        {(!h.approves_for.is_empty()).then(|| view! {
            <p class="alert alert-info" data-testid="approves-for">
                {t!(i18n, people.handover.approves)} ": " {h.approves_for.join(", ")} ". "
                {t!(i18n, people.handover.approves_note)}
            </p>
        })}
        <section class="card section" aria-labelledby="holdings-title">
            <h2 id="holdings-title">{t!(i18n, people.handover.items)} " " <span class="count">{h.items.len()}</span></h2>
            {empty.then(|| view! {
                <div class="empty-state" data-testid="nothing-held">
                    <span class="empty-icon"><Icon name="check"/></span>
                    <p class="muted">{t!(i18n, people.handover.nothing)}</p>
                </div>
            })}
            {(!empty).then(|| view! {
                <div class="table-wrap">
                    <table class="table" data-testid="holdings">
                        <thead>
                            <tr>
                                <th scope="col">{t!(i18n, people.handover.kind)}</th>
                                <th scope="col">{t!(i18n, people.handover.item)}</th>
                                <th scope="col">{t!(i18n, people.handover.to)}</th>
                            </tr>
                        </thead>
                        <tbody>
                            {h.items.iter().cloned().map(|item| view! {
                                <HoldingRow item person_id=person_id.get_value() receivers=receivers.get_value()/>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <form id="handover-all" class="subform form-row" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    if crate::ui::confirm(td_string!(i18n.get_locale_untracked(), people.handover.all_confirm)) {
                        all.dispatch(HandOverAll { person_id: person_id.get_value(), to_id: to_all.get_untracked() });
                    }
                }>
                    <h3>{t!(i18n, people.handover.all_to_one)}</h3>
                    <FormAlert error/>
                    <SelectField form="handover-all" name="to_id" value=to_all error options=Signal::derive(move || {
                        let mut v = vec![(String::new(), choose())];
                        v.extend(all_options());
                        v
                    })>{t!(i18n, people.handover.to)}</SelectField>
                    <p class="muted small">{t!(i18n, people.handover.all_note)}</p>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" data-testid="hand-over-all" disabled=move || all.pending().get()>{t!(i18n, people.handover.hand_over_all)}</button>
                    </div>
                </form>
            })}
        </section>
    }
}

#[component]
fn HoldingRow(
    item: Holding,
    person_id: String,
    receivers: Vec<(String, String, Role)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let reload = use_reload();
    let one = ServerAction::<HandOver>::new();
    let to = RwSignal::new(String::new());
    let error = Signal::derive(move || one.value().get().and_then(|r| r.err()));
    Effect::new(move |_| {
        if matches!(one.value().get(), Some(Ok(_))) {
            reload.bump();
        }
    });
    let kind = item.kind;
    let options: Vec<(String, String)> = receivers
        .into_iter()
        .filter(|(_, _, role)| kind.accepts(*role))
        .map(|(id, name, _)| (id, name))
        .collect();
    let form = format!("handover-{}", item.id);
    let item_id = item.id.clone();
    let href = link(&item);
    view! {
        <tr data-testid="holding">
            <td>{move || kind_label(i18n.get_locale(), kind)}</td>
            <td><a href=href>{item.title.clone()}</a></td>
            <td>
                <form id=form.clone() class="inline-form" novalidate on:submit=move |ev| {
                    ev.prevent_default();
                    one.dispatch(HandOver { person_id: person_id.clone(), kind: kind.as_str().into(), item_id: item_id.clone(), to_id: to.get_untracked() });
                }>
                    <SelectField form=form.clone() name="to_id" value=to error options=Signal::derive(move || {
                        let mut v = vec![(String::new(), td_string!(i18n.get_locale(), people.handover.choose).to_string())];
                        v.extend(options.iter().cloned());
                        v
                    })>
                        <span class="sr-only">{t!(i18n, people.handover.to)} " " {item.title.clone()}</span>
                    </SelectField>
                    <button type="submit" class="btn btn-small" disabled=move || one.pending().get()>{t!(i18n, people.handover.hand_over)}</button>
                </form>
            </td>
        </tr>
    }
}
